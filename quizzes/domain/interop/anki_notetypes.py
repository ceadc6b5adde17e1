"""The note types of an Anki collection: which are cloze, their field names, and whether a
second card asks the second field ("Basic (and reversed card)"). Legacy collections keep
them as JSON in col.models; current ones in the notetypes, fields and templates tables,
whose configs are protobuf messages read here field by field (no protobuf library)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

# Runs one capped query of the collection (anki_package._execute) and returns its rows.
Rows = Callable[..., list[tuple]]


@dataclass(frozen=True)
class NoteType:
    cloze: bool
    field_names: tuple[str, ...]
    # "Basic (and reversed card)": a second card asks the second field. None: no such card;
    # "": always; a field's name: only when that field is filled ("optional reversed").
    reversed_if: str | None = None


_CONDITION = re.compile(r"^\s*\{\{#([^}]+)\}\}")


def _reversed_if(field_names: Sequence[str], question_formats: Sequence[str]) -> str | None:
    """Whether a note type's second card shows the second field as its question."""
    if len(field_names) < 2 or len(question_formats) < 2:
        return None
    second = question_formats[1]
    if "{{" + field_names[1] + "}}" not in second:
        return None
    condition = _CONDITION.match(second)
    return condition.group(1).strip() if condition else ""


def legacy_note_types(rows_of: Rows) -> dict[int, NoteType]:
    (models_json,) = rows_of("SELECT CAST(models AS TEXT) FROM col LIMIT 1")[0]
    types = {}
    for type_id, model in json.loads(models_json).items():
        names = tuple(str(f["name"]) for f in sorted(model["flds"], key=lambda f: int(f["ord"])))
        formats = [
            str(t.get("qfmt", "")) for t in sorted(model.get("tmpls", []), key=lambda t: t["ord"])
        ]
        types[int(type_id)] = NoteType(
            cloze=model.get("type") == 1,
            field_names=names,
            reversed_if=_reversed_if(names, formats),
        )
    return types


def modern_note_types(rows_of: Rows) -> dict[int, NoteType]:
    names: dict[int, list[str]] = {}
    rows = rows_of("SELECT ntid, CAST(name AS TEXT) FROM fields ORDER BY ntid, ord LIMIT ?", 10_000)
    for type_id, name in rows:
        names.setdefault(type_id, []).append(name)
    formats: dict[int, list[str]] = {}
    rows = rows_of(
        "SELECT ntid, CAST(config AS BLOB) FROM templates ORDER BY ntid, ord LIMIT ?",
        10_000,
    )
    for type_id, config in rows:
        formats.setdefault(type_id, []).append(_protobuf_text(bytes(config), 1))
    return {
        type_id: NoteType(
            cloze=_protobuf_kind(config) == 1,
            field_names=tuple(names[type_id]),
            reversed_if=_reversed_if(names[type_id], formats.get(type_id, [])),
        )
        for type_id, config in rows_of(
            "SELECT id, CAST(config AS BLOB) FROM notetypes LIMIT ?", 1000
        )
        if type_id in names
    }


def _protobuf_kind(config: bytes) -> int:
    """Field 1 (kind: 0 normal, 1 cloze) of Anki's NotetypeConfig message; 0 when absent."""
    position = 0
    while position < len(config):
        key, position = _varint(config, position)
        number, wire = key >> 3, key & 7
        if wire == 0:
            value, position = _varint(config, position)
            if number == 1:
                return value
        elif wire == 2:
            length, position = _varint(config, position)
            position += length
        elif wire == 5:
            position += 4
        elif wire == 1:
            position += 8
        else:
            return 0
    return 0


def _protobuf_text(message: bytes, wanted: int) -> str:
    """A string field of a protobuf message (TemplateConfig: 1 is the question format)."""
    position = 0
    while position < len(message):
        key, position = _varint(message, position)
        number, wire = key >> 3, key & 7
        if wire == 2:
            length, position = _varint(message, position)
            if number == wanted:
                return message[position : position + length].decode("utf-8", "replace")
            position += length
        elif wire == 0:
            _, position = _varint(message, position)
        elif wire == 5:
            position += 4
        elif wire == 1:
            position += 8
        else:
            return ""
    return ""


def _varint(data: bytes, position: int) -> tuple[int, int]:
    value = shift = 0
    while position < len(data):
        byte = data[position]
        position += 1
        value |= (byte & 0x7F) << shift
        if not byte & 0x80:
            break
        shift += 7
    return value, position
