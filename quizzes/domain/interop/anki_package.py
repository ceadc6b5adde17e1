"""Reading flashcards from Anki packages, with bounded work for any file.

Anki packages are zip files. Older ones hold `collection.anki2` or `collection.anki21`
(SQLite, note types as JSON in col.models); current Anki writes `collection.anki21b`
(zstd-compressed SQLite, note types in the `notetypes` and `fields` tables) beside a stub
collection.anki2 whose only note asks to update Anki, so anki21b wins when present.

A package is a program's input as much as data: SQLite runs whatever its schema says (a
view named `notes` can be a recursive query that never ends). So the zip's entries, sizes
and packing ratio are checked before anything is unpacked; the collection is opened
read-only and immutable with `query_only`, refused when its schema holds anything an
Anki collection does not (views, triggers, virtual tables, generated columns, unknown
tables); every query is capped with LIMIT, note sizes are summed in SQL before a row is
fetched, and SQLite stops after a fixed number of steps or at the deadline.
"""

from __future__ import annotations

import io
import os
import sqlite3
import tempfile
import zipfile
from collections.abc import Sequence
from dataclasses import replace

from quizzes.domain import limits
from quizzes.domain.flashcards import card_look, validate_personal
from quizzes.domain.interop.anki_media import KnownMedia, read_media, shown_in
from quizzes.domain.interop.anki_notetypes import NoteType, legacy_note_types, modern_note_types
from quizzes.domain.interop.card_import import (
    MAX_CARDS,
    CardImport,
    ImportedCard,
    Problem,
    anki_tag_text,
    field_text,
    media_count,
    shows_media,
    tags_of,
    too_long,
    too_many,
)
from quizzes.domain.safe_html import field_markdown, plain_text

MAX_COLLECTION_BYTES = limits.COLLECTION_BYTES
_STUB_TEXT = "please update to the latest anki version"
_COLLECTIONS = ("collection.anki21b", "collection.anki21", "collection.anki2")
_CHUNK = 1024 * 1024

# Every table Anki (2.1.x legacy and current) and genanki write into a collection; SQLite
# adds the statistics tables after ANALYZE (and sqlite_sequence for AUTOINCREMENT), and
# Android's SQLite adds android_metadata to a collection AnkiDroid wrote. Plain tables
# only, and indexes on them.
ANKI_TABLES = frozenset(
    {
        "col",
        "notes",
        "cards",
        "revlog",
        "graves",
        "deck_config",
        "config",
        "fields",
        "templates",
        "notetypes",
        "decks",
        "tags",
        "sqlite_stat1",
        "sqlite_stat4",
        "sqlite_sequence",
        "android_metadata",
    }
)
_NEEDED = {False: ("col", "notes"), True: ("notes", "notetypes", "fields")}
_SCHEMA_ENTRIES = 200  # tables and indexes: Anki's schema has about 30
DAMAGED = "The Anki collection in this package is damaged. Export it again."


class _Unusable(Exception):
    pass


class _Stopped(Exception):
    """SQLite was interrupted: too many steps, or the deadline passed."""


def from_anki_package(
    data: bytes, deadline: limits.Deadline | None = None, known_media: KnownMedia | None = None
) -> CardImport:
    result = CardImport("Anki package")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        result.errors.append(
            Problem("", "The file is not a readable Anki package. Export it from Anki again.")
        )
        return result
    with archive:
        names = {member.filename for member in members}
        name = next((name for name in _COLLECTIONS if name in names), None)
        if name is None:
            result.errors.append(
                Problem(
                    "",
                    "This zip file is not an Anki package: it holds no Anki collection. "
                    "In Anki, use File › Export with the format “Anki Deck Package (*.apkg)”.",
                )
            )
            return result
        try:
            _check_members(members, archive.getinfo(name))
            database = _unpacked(archive, name, deadline)
        except _Unusable as problem:
            result.errors.append(Problem("", str(problem)))
            return result
        modern = name.endswith("21b")
        try:
            _read_collection(database, modern=modern, result=result, deadline=deadline)
        except _Unusable as problem:
            result.errors.append(Problem("", str(problem)))
        except _Stopped:
            result.errors.append(Problem("", _time_up()))
        except (sqlite3.Error, ValueError, KeyError, TypeError, RecursionError):
            result.errors.append(Problem("", DAMAGED))
        _join_reversed(result)
        if result.ok:
            wanted = [shown.filename for card in result.cards for shown in card.media]
            media = read_media(archive, modern, wanted, deadline, known_media)
            result.media, result.media_problems = media.files, media.problems
    return result


def _time_up() -> str:
    return (
        "Reading this Anki collection takes more work than Quizdeck spends on one upload. "
        "Export a smaller deck, without its scheduling and media"
    )


def _join_reversed(result: CardImport) -> None:
    """A basic note that is an earlier one turned round (Quizdeck exports a reversed card
    as two notes) marks that card reversed instead of becoming a card of its own."""
    first_of: dict[tuple[str, str], int] = {}
    kept: list[ImportedCard] = []
    for card in result.cards:
        turned = card_look(card.kind, card.back, card.front)
        index = first_of.get(turned) if card.kind == "basic" else None
        if index is not None and not kept[index].reversed and card.front != card.back:
            kept[index] = replace(kept[index], reversed=True)
            continue
        if card.kind == "basic":
            first_of.setdefault(card.look, len(kept))
        kept.append(card)
    result.cards = kept


# -- the zip ------------------------------------------------------------------------------


def _too_big() -> _Unusable:
    return _Unusable(
        f"The Anki collection in this package unpacks to more than "
        f"{MAX_COLLECTION_BYTES // (1024 * 1024)} MB, more than Quizdeck reads. Export a "
        "smaller deck, without its scheduling and media."
    )


def _packed_too_tight(size: int, packed: int) -> bool:
    return size > limits.ZIP_RATIO_FLOOR and size > limits.ZIP_RATIO * max(packed, 1)


def _check_members(members: Sequence[zipfile.ZipInfo], collection: zipfile.ZipInfo) -> None:
    """What the zip says of itself, before anything is unpacked."""
    if collection.file_size > MAX_COLLECTION_BYTES:
        raise _too_big()
    if len(members) > limits.ZIP_ENTRIES:
        raise _Unusable(
            f"This package holds {len(members):,} files; an Anki package Quizdeck reads "
            f"holds at most {limits.ZIP_ENTRIES:,}. Export the deck without its media."
        )
    if sum(member.file_size for member in members) > 2 * MAX_COLLECTION_BYTES:
        raise _too_big()
    for member in members:
        # Media members are checked one by one when read (anki_media), and named when refused.
        if member.filename not in (*_COLLECTIONS, "media"):
            continue
        if _packed_too_tight(member.file_size, member.compress_size):
            raise _Unusable(
                "This package is packed far tighter than any Anki export (a zip bomb?): "
                "Quizdeck does not unpack it. Export the deck from Anki again."
            )


def _unpacked(archive: zipfile.ZipFile, name: str, deadline: limits.Deadline | None) -> bytes:
    """The collection's SQLite bytes, refused past MAX_COLLECTION_BYTES however it is
    packed (the sizes a zip claims are not trusted: reading stops at the limit)."""
    info = archive.getinfo(name)
    try:
        with archive.open(name) as member:
            packed = _read_capped(member, deadline, info.compress_size)
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, ValueError) as error:
        raise _Unusable("The Anki package is damaged. Export it from Anki again.") from error
    if not name.endswith("21b"):
        return packed
    import zstandard

    try:
        decompressor = zstandard.ZstdDecompressor(max_window_size=MAX_COLLECTION_BYTES)
        with decompressor.stream_reader(io.BytesIO(packed)) as reader:
            return _read_capped(reader, deadline, len(packed))
    except zstandard.ZstdError as error:
        raise _Unusable("The Anki package is damaged. Export it from Anki again.") from error


def _read_capped(stream, deadline: limits.Deadline | None, packed_size: int) -> bytes:
    """Read in chunks, stopping at the size cap, a bomb's packing ratio or the deadline."""
    chunks: list[bytes] = []
    size = 0
    while chunk := stream.read(_CHUNK):
        size += len(chunk)
        if size > MAX_COLLECTION_BYTES:
            raise _too_big()
        if _packed_too_tight(size, packed_size):
            raise _Unusable(
                "This package is packed far tighter than any Anki export (a zip bomb?): "
                "Quizdeck does not unpack it. Export the deck from Anki again."
            )
        if deadline is not None and deadline.passed():
            raise _Unusable(_time_up() + ".")
        chunks.append(chunk)
    return b"".join(chunks)


# -- the collection ---------------------------------------------------------------------------


def _read_collection(
    database: bytes, *, modern: bool, result: CardImport, deadline: limits.Deadline | None
) -> None:
    """Read the notes from the SQLite bytes (sqlite3 needs a file: a temporary one)."""
    handle, path = tempfile.mkstemp(suffix=".anki")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(database)
        # immutable: no locks, no journal or WAL files looked for or written beside it.
        connection = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True)
        try:
            _guard(connection, deadline)
            _check_schema(connection, modern)

            def rows_of(sql: str, *args) -> list[tuple]:
                return _execute(connection, sql, *args)

            types = modern_note_types(rows_of) if modern else legacy_note_types(rows_of)
            notes = _notes(connection, result)
        finally:
            connection.close()
    finally:
        os.unlink(path)
    if notes is None:
        return
    if len(notes) == 1 and _STUB_TEXT in notes[0][1].lower():
        result.errors.append(
            Problem(
                "",
                "This package holds only Anki's note asking to update Anki. Export the deck "
                "again with “Support older Anki versions” ticked, or upload it as a text file.",
            )
        )
        return
    for number, (type_id, fields_text, tags_text) in enumerate(notes, start=1):
        _read_note(number, types.get(type_id), fields_text, tags_text, result)


def _guard(connection: sqlite3.Connection, deadline: limits.Deadline | None) -> None:
    connection.execute("PRAGMA query_only = ON")
    connection.execute("PRAGMA trusted_schema = OFF")  # no functions from the file's schema
    connection.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, limits.NOTES_BYTES)
    steps = [0]

    def stop() -> int:
        steps[0] += limits.SQLITE_STEPS_PER_CHECK
        return steps[0] > limits.SQLITE_STEPS or (deadline is not None and deadline.passed())

    connection.set_progress_handler(stop, limits.SQLITE_STEPS_PER_CHECK)


def _execute(connection: sqlite3.Connection, sql: str, *args) -> list[tuple]:
    try:
        return connection.execute(sql, args).fetchall()
    except sqlite3.OperationalError as error:
        if "interrupted" in str(error):
            raise _Stopped from error
        raise


def _check_schema(connection: sqlite3.Connection, modern: bool) -> None:
    """Refuse a collection whose schema holds what Anki never writes."""
    [(count,)] = _execute(connection, "SELECT count(*) FROM sqlite_master")
    if count > _SCHEMA_ENTRIES:
        raise _Unusable(
            f"This Anki collection's schema has {count:,} entries; Anki's has about 30. "
            "Quizdeck does not read it: export the deck from Anki again."
        )
    entries = _execute(connection, "SELECT type, name, tbl_name, sql FROM sqlite_master")
    tables = set()
    for kind, name, table, sql in entries:
        if kind == "table" and " ".join(str(sql or "").upper().split()[:2]) == "CREATE VIRTUAL":
            kind = "virtual table"  # a module's code runs on every read
        if kind == "table" and name in ANKI_TABLES:
            tables.add(name)
        elif kind == "index" and table in ANKI_TABLES:
            continue
        else:
            raise _Unusable(
                f"This Anki collection holds a {kind} “{str(name)[:60]}”, which Anki "
                "collections never do. Quizdeck does not read it: export the deck from "
                "Anki again."
            )
    for table in tables:
        columns = _execute(connection, f'PRAGMA table_xinfo("{table}")')
        if any(column[6] != 0 for column in columns):  # hidden: generated or virtual
            raise _Unusable(
                f"This Anki collection's table “{table}” computes its columns, which Anki "
                "collections never do. Quizdeck does not read it: export the deck again."
            )
    if missing := [name for name in _NEEDED[modern] if name not in tables]:
        raise _Unusable(f"{DAMAGED[:-1]} (it has no “{missing[0]}” table).")


def _notes(connection: sqlite3.Connection, result: CardImport) -> list[tuple] | None:
    """The notes, once their count and sizes (summed in SQL, before any row is fetched)
    are within the limits; None after reporting why not."""
    [(count, largest, total)] = _execute(
        connection,
        "SELECT count(*), coalesce(max(size), 0), coalesce(sum(size), 0) FROM "
        "(SELECT length(CAST(flds AS BLOB)) + length(CAST(tags AS BLOB)) AS size "
        "FROM notes LIMIT ?)",
        MAX_CARDS + 1,
    )
    if count > MAX_CARDS:
        result.errors.append(too_many(count, "notes"))
        return None
    if largest > limits.NOTE_BYTES:
        result.errors.append(
            Problem(
                "",
                f"A note of this collection holds {largest:,} bytes; Quizdeck reads notes of "
                f"up to {limits.NOTE_BYTES // 1024} KB (a card side has at most "
                f"{limits.CARD_SIDE:,} characters). Export the deck without its media",
            )
        )
        return None
    if total > limits.NOTES_BYTES:
        raise _too_big()
    return _execute(
        connection,
        "SELECT mid, CAST(flds AS TEXT), CAST(tags AS TEXT) FROM notes ORDER BY id LIMIT ?",
        MAX_CARDS,
    )


def _read_note(
    number: int, note_type: NoteType | None, fields_text: str, tags_text: str, result: CardImport
) -> None:
    where = f"note {number}"
    raw = fields_text.split("\x1f")
    result.media_fields += media_count(raw)
    fields = [field_markdown(value) for value in raw]
    names = note_type.field_names if note_type else ()
    named = {name.lower(): value for name, value in zip(names, raw, strict=False)}
    tags = tags_of(anki_tag_text(tag) for tag in tags_text.split())
    source = field_text(named.get("source", ""))
    reversed_card = False
    if note_type is not None and note_type.cloze:
        kind, front = "cloze", fields[0] if fields else ""
        back = fields[1] if len(fields) > 1 and names[1:2] != ("Source",) else ""
    else:
        kind = "basic"
        front = fields[0] if fields else ""
        back = fields[1] if len(fields) > 1 else ""
        condition = note_type.reversed_if if note_type else None
        if condition is not None:
            reversed_card = condition == "" or bool(field_text(named.get(condition.lower(), "")))
    if not plain_text(front) and not plain_text(back) and any(shows_media(v) for v in raw):
        result.skipped.append(Problem(where, "it shows only images or sounds"))
        return
    problems = validate_personal(kind, plain_text(front), plain_text(back))
    if problems:
        # A side that held only a picture or a sound is not "empty" to the learner.
        media_only = [shows_media(value) for value in raw[:2]]
        result.skipped.append(Problem(where, _reason(problems[0], media_only)))
        return
    for problem in too_long(front, back, source):
        result.errors.append(Problem(where, problem))
    shown = (*shown_in("front", raw[0] if raw else ""), *shown_in("back", "".join(raw[1:2])))
    result.cards.append(
        ImportedCard(
            kind, front, back, source, tags, reversed=reversed_card, where=where, media=shown
        )
    )


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
