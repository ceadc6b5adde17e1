"""Quizdeck's own JSON format: a question set that reads back exactly as it was written.

    {
      "format": "quizdeck-set",
      "version": 1,
      "set": {...},          # set metadata (title, description...), any JSON object
      "items": [...],        # item dicts as in docs/ITEMS.md, unchanged
      "media": [             # optional: the images the items show (/media/<name> in texts)
        {"name": "<sha256>.png", "type": "image/png", "base64": "..."}
      ]
    }

Media files are cleaned on reading as any upload is (quizzes/domain/media.py); when
cleaning gives other bytes (a JPEG written anew), the items' references are renamed.

`from_json(to_json(meta, items))` gives back `meta` and `items` equal to the originals.
Reading checks every item with `check_item` and names the line the bad item starts on.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
import re
from collections.abc import Mapping
from typing import Any

from quizzes.domain import limits, media
from quizzes.domain.itemtypes import format_support

from .common import ImportResult, decode_input, export_problem

FORMAT_NAME = "quizdeck-set"
FORMAT_VERSION = 1
_SPACE = re.compile(r"[ \t\n\r]*")


def to_json(
    set_meta: Mapping[str, Any],
    items: list[dict[str, Any]],
    media: list[tuple[str, str, bytes]] | None = None,
) -> str:
    """The set as JSON text. Raises ValueError for an invalid item or a value JSON cannot
    hold exactly (NaN, infinity, non-text keys...)."""
    for index, item in enumerate(items):
        problem = export_problem(item)
        support = format_support(item["type"], "json") if not problem else None
        if support is not None and not support.carried:  # the type declares why
            problem = support.reason
        if problem:
            raise ValueError(f"item {index + 1}: {problem}")
    document = {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "set": dict(set_meta),
        "items": items,
    }
    if media:  # (name, mime type, bytes) of each file the items show
        document["media"] = [
            {"name": name, "type": mime, "base64": base64.b64encode(data).decode("ascii")}
            for name, mime, data in media
        ]
    if not is_exact_json(document):
        raise ValueError("the set holds values JSON cannot keep exactly (tuples, NaN, ...)")
    return json.dumps(document, ensure_ascii=False, indent=2, allow_nan=False) + "\n"


def from_json(data: str | bytes) -> ImportResult:
    """Read a set written by `to_json`: the items in `items`, the metadata in `meta`.
    Never raises on bad input: problems come back as `errors`."""
    result = ImportResult()
    text = decode_input(data, result)
    if text is None:
        return result
    try:
        document = json.loads(
            text, parse_constant=_reject_constant, parse_int=_int, parse_float=_float
        )
    except _TooManyDigits as exc:
        line = text.count("\n", 0, max(text.find(exc.number), 0)) + 1
        result.error(
            line,
            f"a number has {len(exc.number):,} digits; numbers in a question set have at "
            f"most {limits.NUMBER_DIGITS}",
        )
        return result
    except _NotANumber as exc:
        result.error(1, f"{exc} is not allowed in a question set")
        return result
    except json.JSONDecodeError as exc:
        result.error(exc.lineno, f"not valid JSON: {exc.msg} (column {exc.colno})")
        return result
    except RecursionError:
        result.error(1, "the JSON is nested too deeply")
        return result
    if not isinstance(document, dict):
        result.error(1, "the file must hold one JSON object with 'format', 'set' and 'items'")
        return result
    if document.get("format") != FORMAT_NAME:
        result.error(1, f"this is not a Quizdeck question set ('format' is not {FORMAT_NAME!r})")
        return result
    version = document.get("version")
    if version != FORMAT_VERSION or isinstance(version, bool):
        result.error(1, f"version {version!r} is not supported; this reader knows version 1")
        return result
    unknown = sorted(set(document) - {"format", "version", "set", "items", "media"})
    if unknown:
        result.error(1, "unknown top-level field(s): " + ", ".join(unknown))
    meta, items = document.get("set", {}), document.get("items")
    if not isinstance(meta, dict):
        result.error(1, "'set' must be a JSON object")
    else:
        result.meta = meta
    if not isinstance(items, list):
        result.error(1, "'items' must be a list of questions")
        return result
    renamed = _read_media(document.get("media", []), result)
    lines = _item_lines(text, len(items))
    for item, line in zip(items, lines, strict=True):
        result.add_item(line, _renamed(item, renamed) if renamed else item)
    return result


def _read_media(entries: Any, result: ImportResult) -> dict[str, str]:
    """Clean each carried file into result.media; {old name: new name} where they differ."""
    if not isinstance(entries, list):
        result.error(1, "'media' must be a list of files")
        return {}
    if len(entries) > media.MEDIA_PER_IMPORT:
        result.error(1, f"the set carries {len(entries)} files; at most {media.MEDIA_PER_IMPORT}")
        return {}
    renamed = {}
    for number, entry in enumerate(entries, 1):
        name = entry.get("name") if isinstance(entry, dict) else None
        encoded = entry.get("base64") if isinstance(entry, dict) else None
        if not isinstance(name, str) or media.MEDIA_NAME.fullmatch(name) is None:
            result.error(1, f"media file {number}: its name is not <sha256>.<png|jpg|gif|webp>")
            continue
        try:
            data = base64.b64decode(encoded if isinstance(encoded, str) else "", validate=True)
            cleaned = media.clean_media(data, allow_sound=False)
        except (ValueError, binascii.Error) as error:  # MediaRefused is a ValueError
            message = str(error) if isinstance(error, media.MediaRefused) else "not base64"
            result.error(1, f"media file {number} ({name[:12]}…): {message}")
            continue
        result.media.append(cleaned)
        if cleaned.name != name:
            renamed[name] = cleaned.name
        limits.stop_if_bounded(result, 1, len(result.items), len(result.errors))
    return renamed


def _renamed(item: Any, renamed: dict[str, str]) -> Any:
    """The item with /media/<old> references renamed (names are [0-9a-f.] only)."""
    text = json.dumps(item, ensure_ascii=False)
    for old, new in renamed.items():
        text = text.replace(f"/media/{old}", f"/media/{new}")
    return json.loads(text)


class _NotANumber(ValueError):
    pass


def _reject_constant(name: str) -> float:
    raise _NotANumber(name)


class _TooManyDigits(ValueError):
    def __init__(self, number: str) -> None:
        super().__init__(number[:20])
        self.number = number


# int() of thousands of digits is slow (and refused past 4,300): no answer needs them.
def _int(number: str) -> int:
    if len(number) > limits.NUMBER_DIGITS:
        raise _TooManyDigits(number)
    return int(number)


def _float(number: str) -> float:
    if len(number) > limits.NUMBER_DIGITS:
        raise _TooManyDigits(number)
    return float(number)


def _item_lines(text: str, count: int) -> list[int]:
    """The line each element of the top-level 'items' list starts on (1 when not found).

    json.loads keeps no positions, so walk the top-level object with raw_decode."""
    decoder = json.JSONDecoder()
    fallback = [1] * count
    try:
        at = _SPACE.match(text, 0).end()  # type: ignore[union-attr]
        if text[at : at + 1] != "{":
            return fallback
        at += 1
        starts: list[int] = []
        while True:
            at = _SPACE.match(text, at).end()  # type: ignore[union-attr]
            if text[at : at + 1] == "}":
                break
            name, at = decoder.raw_decode(text, at)
            at = _SPACE.match(text, at).end()  # type: ignore[union-attr]
            at = _SPACE.match(text, at + 1).end()  # type: ignore[union-attr]  # past ':'
            if name == "items" and text[at : at + 1] == "[":
                starts, at = _list_starts(decoder, text, at + 1)
            else:
                _, at = decoder.raw_decode(text, at)
            at = _SPACE.match(text, at).end()  # type: ignore[union-attr]
            if text[at : at + 1] == ",":
                at += 1
    except (ValueError, RecursionError):
        return fallback
    if len(starts) != count:
        return fallback
    lines, line, counted = [], 1, 0
    for start in starts:  # starts increase, so count line breaks once
        line += text.count("\n", counted, start)
        counted = start
        lines.append(line)
    return lines


def _list_starts(decoder: json.JSONDecoder, text: str, at: int) -> tuple[list[int], int]:
    starts = []
    while True:
        at = _SPACE.match(text, at).end()  # type: ignore[union-attr]
        if text[at : at + 1] == "]":
            return starts, at + 1
        starts.append(at)
        _, at = decoder.raw_decode(text, at)
        at = _SPACE.match(text, at).end()  # type: ignore[union-attr]
        if text[at : at + 1] == ",":
            at += 1


def is_exact_json(value: Any) -> bool:
    """True if `value` survives a JSON round trip unchanged (used by tests and callers)."""
    if isinstance(value, dict):
        return all(isinstance(k, str) and is_exact_json(v) for k, v in value.items())
    if isinstance(value, list):
        return all(is_exact_json(v) for v in value)
    if isinstance(value, float):
        return math.isfinite(value)
    return value is None or isinstance(value, str | int | bool)
