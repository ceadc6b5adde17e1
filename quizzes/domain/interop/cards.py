"""Reading flashcards from other apps: Anki packages and text/CSV files (pure functions).

Bytes in, a CardImport out: the cards, the notes or lines left out and why, and the
problems that make the file unusable (each naming its line or note). Nothing here knows
about decks already stored; leaving out cards a deck already has is the caller's job.

Anki packages are zip files. Older ones hold `collection.anki2` or `collection.anki21`
(SQLite, note types as JSON in col.models); current Anki writes `collection.anki21b`
(zstd-compressed SQLite, note types in the `notetypes` and `fields` tables) beside a stub
collection.anki2 whose only note asks to update Anki, so anki21b wins when present.
"""

from __future__ import annotations

import csv
import html
import io
import json
import os
import re
import sqlite3
import tempfile
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import PurePath

import nh3

from quizzes.domain.flashcards import validate_personal

MAX_CARDS = 2000  # one file at a time, as for question sets
MAX_TEXT = 4000  # a card's front or back (the card form's limit)
MAX_SOURCE = 500  # cards.source
MAX_TAG = 80
# An .apkg's collection unpacked: far above any text-only deck the upload limit lets in,
# far below what would fill a disk (a zip bomb is refused before it is written out).
MAX_COLLECTION_BYTES = 64 * 1024 * 1024
QUIZDECK_CSV_HEADER = ("id", "kind", "front", "back", "extra", "context", "sources", "tags")
_COMMON_HEADERS = {
    ("front", "back"),
    ("term", "definition"),
    ("question", "answer"),
    ("word", "meaning"),
}
_FORMULA_ESCAPED = re.compile(r"^'(?=[=+\-@\t\r])")  # quizzes.domain.text.spreadsheet_cell
_MEDIA = re.compile(r"<img\b|<audio\b|<video\b|\[sound:[^\]]*\]", re.IGNORECASE)
_SOUND = re.compile(r"\[sound:[^\]]*\]")
_LINE_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)
# Blocks next to each other (</div><div>) make one line break, not a blank line.
_BLOCK_EDGES = re.compile(r"(?:</?(?:div|p|li|tr|h[1-6])\b[^>]*>\s*)+", re.IGNORECASE)
_STUB_TEXT = "please update to the latest anki version"


@dataclass(frozen=True)
class ImportedCard:
    kind: str  # "basic" or "cloze"; a cloze front keeps its {{c1::...}} blanks
    front: str
    back: str
    source: str = ""
    tags: tuple[str, ...] = ()
    reversed: bool = False
    where: str = ""  # "line 4", "note 12": where the card came from, for the preview

    @property
    def look(self) -> tuple[str, str]:
        """What makes two cards the same card: front and back."""
        return (self.front, self.back)


@dataclass(frozen=True)
class Problem:
    where: str  # "line 4", "note 12", or "" for the file as a whole
    message: str

    def __str__(self) -> str:
        return f"{self.where.capitalize()}: {self.message}" if self.where else self.message


@dataclass
class CardImport:
    format_name: str
    cards: list[ImportedCard] = field(default_factory=list)
    skipped: list[Problem] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)
    media_fields: int = 0  # fields that showed an image or played a sound (not imported)

    @property
    def ok(self) -> bool:
        return not self.errors


def read_card_file(filename: str, data: bytes) -> CardImport:
    """An Anki package (a zip, whatever its name) or a text/CSV file of cards."""
    if data.startswith(b"PK\x03\x04"):
        return from_anki_package(data)
    suffix = PurePath(filename or "").suffix.lower()
    if suffix in (".apkg", ".colpkg"):
        return _refused(
            "Anki package",
            f"“{filename}” is not a complete Anki package (it is not a zip file). "
            "Export the deck from Anki again and upload the new file.",
        )
    if data.startswith(b"SQLite format 3") or b"\x00" in data[:8192]:
        return _refused(
            "text",
            f"“{filename or 'The upload'}” holds binary data, not text. Upload an Anki package "
            "(.apkg) or a text file with one card per line: front, a tab or comma, back.",
        )
    return from_card_text(data)


def _refused(format_name: str, message: str) -> CardImport:
    return CardImport(format_name, errors=[Problem("", message)])


# -- Anki fields --------------------------------------------------------------------------


def field_text(value: str) -> str:
    """An Anki field's HTML as plain text: <br> and block ends become line breaks, other
    markup goes, entities are unescaped, sound tags are dropped."""
    text = _SOUND.sub("", value)
    text = _LINE_BREAK.sub("\n", _BLOCK_EDGES.sub("\n", text))
    # nh3 with no allowed tags keeps only the text (script and style contents go too);
    # what it escapes is unescaped once, after.
    text = html.unescape(nh3.clean(text, tags=set()))
    text = text.replace("\xa0", " ")
    lines = [line.strip() for line in text.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _media_count(fields: Iterable[str]) -> int:
    return sum(1 for value in fields if _MEDIA.search(value))


# -- Anki packages --------------------------------------------------------------------------


@dataclass(frozen=True)
class _NoteType:
    cloze: bool
    field_names: tuple[str, ...]


def from_anki_package(data: bytes) -> CardImport:
    result = CardImport("Anki package")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError):
        result.errors.append(
            Problem("", "The file is not a readable Anki package. Export it from Anki again.")
        )
        return result
    with archive:
        for name in ("collection.anki21b", "collection.anki21", "collection.anki2"):
            if name in names:
                break
        else:
            result.errors.append(
                Problem(
                    "",
                    "This zip file is not an Anki package: it holds no Anki collection. "
                    "In Anki, use File › Export with the format “Anki Deck Package (*.apkg)”.",
                )
            )
            return result
        try:
            database = _unpacked(archive, name)
        except _Unusable as problem:
            result.errors.append(Problem("", str(problem)))
            return result
    try:
        _read_collection(database, modern=name.endswith("21b"), result=result)
    except (sqlite3.DatabaseError, ValueError, KeyError, TypeError):
        result.errors.append(
            Problem("", "The Anki collection in this package is damaged. Export it again.")
        )
    _join_reversed(result)
    return result


def _join_reversed(result: CardImport) -> None:
    """A basic note that is an earlier one turned round (Quizdeck exports a reversed card
    as two notes) marks that card reversed instead of becoming a card of its own."""
    first_of: dict[tuple[str, str], int] = {}
    kept: list[ImportedCard] = []
    for card in result.cards:
        index = first_of.get((card.back, card.front)) if card.kind == "basic" else None
        if index is not None and not kept[index].reversed and card.front != card.back:
            kept[index] = replace(kept[index], reversed=True)
            continue
        if card.kind == "basic":
            first_of.setdefault(card.look, len(kept))
        kept.append(card)
    result.cards = kept


class _Unusable(Exception):
    pass


def _unpacked(archive: zipfile.ZipFile, name: str) -> bytes:
    """The collection's SQLite bytes, refused past MAX_COLLECTION_BYTES however it is
    packed (the sizes a zip claims are not trusted: reading stops at the limit)."""
    too_big = _Unusable(
        f"The Anki collection in this package unpacks to more than "
        f"{MAX_COLLECTION_BYTES // (1024 * 1024)} MB, more than Quizdeck reads. Export a "
        "smaller deck, without its scheduling and media."
    )
    if archive.getinfo(name).file_size > MAX_COLLECTION_BYTES:
        raise too_big
    try:
        with archive.open(name) as member:
            packed = member.read(MAX_COLLECTION_BYTES + 1)
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError) as error:
        raise _Unusable("The Anki package is damaged. Export it from Anki again.") from error
    if len(packed) > MAX_COLLECTION_BYTES:
        raise too_big
    if not name.endswith("21b"):
        return packed
    import zstandard

    try:
        reader = zstandard.ZstdDecompressor().stream_reader(io.BytesIO(packed))
        database = reader.read(MAX_COLLECTION_BYTES + 1)
        while len(database) <= MAX_COLLECTION_BYTES:
            more = reader.read(MAX_COLLECTION_BYTES + 1 - len(database))
            if not more:
                break
            database += more
    except zstandard.ZstdError as error:
        raise _Unusable("The Anki package is damaged. Export it from Anki again.") from error
    if len(database) > MAX_COLLECTION_BYTES:
        raise too_big
    return database


def _read_collection(database: bytes, *, modern: bool, result: CardImport) -> None:
    """Read the notes from the SQLite bytes (sqlite3 needs a file: a temporary one)."""
    handle, path = tempfile.mkstemp(suffix=".anki")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(database)
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            types = _modern_note_types(connection) if modern else _legacy_note_types(connection)
            notes = connection.execute("SELECT mid, flds, tags FROM notes ORDER BY id").fetchall()
        finally:
            connection.close()
    finally:
        os.unlink(path)
    if len(notes) == 1 and _STUB_TEXT in notes[0][1].lower():
        result.errors.append(
            Problem(
                "",
                "This package holds only Anki's note asking to update Anki. Export the deck "
                "again with “Support older Anki versions” ticked, or upload it as a text file.",
            )
        )
        return
    if len(notes) > MAX_CARDS:
        result.errors.append(_too_many(len(notes), "notes"))
        return
    for number, (type_id, fields_text, tags_text) in enumerate(notes, start=1):
        _read_note(number, types.get(type_id), fields_text, tags_text, result)


def _legacy_note_types(connection: sqlite3.Connection) -> dict[int, _NoteType]:
    (models_json,) = connection.execute("SELECT models FROM col").fetchone()
    return {
        int(type_id): _NoteType(
            cloze=model.get("type") == 1,
            field_names=tuple(f["name"] for f in sorted(model["flds"], key=lambda f: f["ord"])),
        )
        for type_id, model in json.loads(models_json).items()
    }


def _modern_note_types(connection: sqlite3.Connection) -> dict[int, _NoteType]:
    names: dict[int, list[str]] = {}
    for type_id, name in connection.execute("SELECT ntid, name FROM fields ORDER BY ntid, ord"):
        names.setdefault(type_id, []).append(name)
    return {
        type_id: _NoteType(cloze=_protobuf_kind(config) == 1, field_names=tuple(names[type_id]))
        for type_id, config in connection.execute("SELECT id, config FROM notetypes")
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


def _read_note(
    number: int, note_type: _NoteType | None, fields_text: str, tags_text: str, result: CardImport
) -> None:
    where = f"note {number}"
    raw = fields_text.split("\x1f")
    result.media_fields += _media_count(raw)
    fields = [field_text(value) for value in raw]
    names = note_type.field_names if note_type else ()
    named = {name.lower(): value for name, value in zip(names, fields, strict=False)}
    tags = _tags(tags_text.split())
    source = named.get("source", "")
    if note_type is not None and note_type.cloze:
        kind, front = "cloze", fields[0] if fields else ""
        back = fields[1] if len(fields) > 1 and names[1:2] != ("Source",) else ""
    else:
        kind = "basic"
        front = fields[0] if fields else ""
        back = fields[1] if len(fields) > 1 else ""
    if not front and not back and any(_MEDIA.search(value) for value in raw):
        result.skipped.append(Problem(where, "it shows only images or sounds"))
        return
    problems = validate_personal(kind, front, back)
    if problems:
        # A side that held only a picture or a sound is not "empty" to the learner.
        media_only = [_MEDIA.search(value) is not None for value in raw[:2]]
        result.skipped.append(Problem(where, _reason(problems[0], media_only)))
        return
    for problem in _too_long(front, back, source):
        result.errors.append(Problem(where, problem))
    result.cards.append(ImportedCard(kind, front, back, source, tags, where=where))


def _reason(problem: str, media_only: Sequence[bool] = ()) -> str:
    """validate_personal's message as a reason a note was left out."""
    sides = (*media_only, False, False)
    if problem.startswith("The front"):
        return (
            "its first field shows only an image or a sound"
            if sides[0]
            else "its first field is empty"
        )
    if problem.startswith("The back"):
        return (
            "its second field (the back) shows only an image or a sound"
            if sides[1]
            else "its second field (the back) is empty"
        )
    return "it is a cloze note without a {{c1::…}} blank"


# -- text and CSV ---------------------------------------------------------------------------


def from_card_text(data: bytes) -> CardImport:
    """Quizdeck's deck CSV, or one card per line: front, a tab (or a comma), back."""
    text = data.decode("utf-8", "replace").lstrip("\ufeff")
    lines = text.splitlines(keepends=True)
    anki = _anki_text_headers(lines)
    body = lines[len(anki.header_lines) :]
    first = next((line for line in body if line.strip()), "")
    delimiter = anki.separator or ("\t" if "\t" in first else ",")
    offset = len(anki.header_lines)
    rows = _rows(body, delimiter, offset)
    first_row = next(rows, None)
    if first_row is None:
        return _refused("text", "The file holds no cards.")
    line, header = first_row
    names = tuple(cell.strip().lower() for cell in header)
    if names[: len(QUIZDECK_CSV_HEADER)] == QUIZDECK_CSV_HEADER:
        return _from_quizdeck_csv(names, rows)
    result = CardImport("tab-separated text" if delimiter == "\t" else "comma-separated text")
    if names[:2] not in _COMMON_HEADERS:
        rows = _chain([(line, header)], rows)
    for line, row in rows:
        _read_line(line, row, anki, result)
        if len(result.cards) > MAX_CARDS:
            result.errors = [_too_many(len(result.cards), "cards", line)]
            break
    return result


@dataclass
class _AnkiText:
    """The "#separator:tab" lines that start a text file Anki exported."""

    header_lines: list[str] = field(default_factory=list)
    separator: str | None = None
    html: bool = False
    tags_column: int | None = None  # 0-based
    other_columns: set[int] = field(default_factory=set)  # guid, note type, deck: not card text


_SEPARATORS = {"tab": "\t", "comma": ",", "semicolon": ";", "space": " ", "pipe": "|"}


def _anki_text_headers(lines: list[str]) -> _AnkiText:
    found = _AnkiText()
    for line in lines:
        match = re.match(r"#([a-z ]+):(.*)$", line.strip())
        if not match:
            break
        found.header_lines.append(line)
        key, value = match.group(1).strip(), match.group(2).strip()
        if key == "separator":
            found.separator = _SEPARATORS.get(value.lower(), value[:1] or None)
        elif key == "html":
            found.html = value.lower() == "true"
        elif key == "tags column" and value.isdigit():
            found.tags_column = int(value) - 1
        elif key in ("guid column", "notetype column", "deck column") and value.isdigit():
            found.other_columns.add(int(value) - 1)
    return found


def _rows(lines: list[str], delimiter: str, offset: int) -> Iterator[tuple[int, list[str]]]:
    """(line number where the row starts, cells) for each row that is not blank."""
    reader = csv.reader(lines, delimiter=delimiter)
    start = offset + 1
    for row in reader:
        if any(cell.strip() for cell in row):
            yield start, row
        start = offset + reader.line_num + 1


def _chain(first: list, rest: Iterator) -> Iterator:
    yield from first
    yield from rest


def _read_line(line: int, row: list[str], anki: _AnkiText, result: CardImport) -> None:
    where = f"line {line}"
    tags: tuple[str, ...] = ()
    if anki.tags_column is not None and anki.tags_column < len(row):
        tags = _tags(row[anki.tags_column].split())
    skip = anki.other_columns | {anki.tags_column}
    row = [cell for index, cell in enumerate(row) if index not in skip]
    if anki.html:
        result.media_fields += _media_count(row)
        row = [field_text(cell) for cell in row]
    else:
        row = [cell.strip() for cell in row]
    front = row[0] if row else ""
    kind = "cloze" if "{{c" in front and "::" in front else "basic"
    if kind == "basic" and (len(row) < 2 or not row[1]):
        result.errors.append(
            Problem(
                where,
                "there is no back. Put the front, a tab (or a comma), then the back on each line",
            )
        )
        return
    back = row[1] if len(row) > 1 else ""
    _add_checked(ImportedCard(kind, front, back, "", tags, where=where), result)


def _from_quizdeck_csv(names: tuple[str, ...], rows: Iterator) -> CardImport:
    """Quizdeck's own deck export (quizzes/cards/export.py): a reversed row turns its card
    round, so it marks that card reversed instead of making another."""
    result = CardImport("Quizdeck CSV")
    column = {name: index for index, name in enumerate(names)}
    by_look: dict[tuple[str, str], int] = {}
    for line, row in rows:
        where = f"line {line}"
        cells = {
            name: _FORMULA_ESCAPED.sub("", row[index]).strip() if index < len(row) else ""
            for name, index in column.items()
        }
        kind = cells["kind"]
        if kind == "reversed":
            index = by_look.get((cells["back"], cells["front"]))
            if index is not None:
                result.cards[index] = replace(result.cards[index], reversed=True)
                continue
            kind = "basic"
        if kind == "cloze":
            front, back = cells.get("cloze", ""), cells["extra"]
        elif kind == "basic":
            front, back = cells["front"], cells["back"]
        else:
            result.errors.append(
                Problem(where, f"the kind “{kind}” is not basic, reversed or cloze")
            )
            continue
        source = cells["sources"].replace(" | ", "; ")
        tags = _tags(cells["tags"].split(","))
        if _add_checked(ImportedCard(kind, front, back, source, tags, where=where), result):
            by_look[(front, back)] = len(result.cards) - 1
        if len(result.cards) > MAX_CARDS:
            result.errors = [_too_many(len(result.cards), "cards", line)]
            break
    return result


def _add_checked(card: ImportedCard, result: CardImport) -> bool:
    problems = validate_personal(card.kind, card.front, card.back)
    problems += _too_long(card.front, card.back, card.source)
    for problem in problems:
        result.errors.append(Problem(card.where, problem[0].lower() + problem[1:].rstrip(".")))
    if problems:
        return False
    result.cards.append(card)
    return True


# -- shared -----------------------------------------------------------------------------------


def _tags(parts: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(p.strip()[:MAX_TAG] for p in parts if p.strip()))


def _too_long(front: str, back: str, source: str) -> list[str]:
    problems = [
        f"the {side} has {len(text):,} characters; a card side has at most {MAX_TEXT:,}"
        for side, text in (("front", front), ("back", back))
        if len(text) > MAX_TEXT
    ]
    if len(source) > MAX_SOURCE:
        problems.append(f"the source has {len(source):,} characters; at most {MAX_SOURCE}")
    return problems


def _too_many(count: int, what: str, line: int | None = None) -> Problem:
    return Problem(
        f"line {line}" if line else "",
        f"the file holds more than {MAX_CARDS:,} {what}; Quizdeck imports at most "
        f"{MAX_CARDS:,} cards at once. Split the deck and import the parts one by one",
    )


def new_cards(
    imported: CardImport, existing: Iterable[tuple[str, str]]
) -> tuple[list[ImportedCard], list[ImportedCard]]:
    """(cards to add, cards left out) where a card is left out when the deck already has a
    card with the same front and back, or an earlier card of the file is the same."""
    seen = set(existing)
    kept, repeats = [], []
    for card in imported.cards:
        if card.look in seen:
            repeats.append(card)
        else:
            seen.add(card.look)
            kept.append(card)
    return kept, repeats
