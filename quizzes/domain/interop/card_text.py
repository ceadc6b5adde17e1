"""Reading flashcards from text: Quizdeck's deck CSV, Anki's and Quizlet's text exports
(one card per line: front, a tab or a comma, back), in any encoding decoding.py reads.

Bounded while reading: the lines of the file, the cells of a row (csv's own field limit,
reported as a message), the cards and the problems listed, and an optional deadline.
"""

from __future__ import annotations

import csv
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace

from quizzes.domain import limits
from quizzes.domain.interop.card_import import (
    MAX_CARDS,
    CardImport,
    ImportedCard,
    Problem,
    add_checked,
    field_text,
    media_count,
    refused,
    tags_of,
    too_many,
)
from quizzes.domain.interop.decoding import Undecodable, decode_upload

QUIZDECK_CSV_HEADER = ("id", "kind", "front", "back", "extra", "context", "sources", "tags")
_COMMON_HEADERS = {
    ("front", "back"),
    ("term", "definition"),
    ("question", "answer"),
    ("word", "meaning"),
}
_FORMULA_ESCAPED = re.compile(r"^'(?=[=+\-@\t\r])")  # quizzes.domain.text.spreadsheet_cell


class _Unreadable(Exception):
    def __init__(self, line: int, error: csv.Error) -> None:
        self.line, self.error = line, error


def from_card_text(data: bytes, deadline: limits.Deadline | None = None) -> CardImport:
    """Quizdeck's deck CSV, or one card per line: front, a tab (or a comma), back."""
    try:
        decoded = decode_upload(data)
    except Undecodable as problem:
        return refused("text", f"Line {problem.line}: {problem}")
    text = decoded.text.lstrip("\ufeff")
    lines = text.splitlines(keepends=True)
    if len(lines) > limits.TEXT_LINES:
        return refused(
            "text",
            f"The file has {len(lines):,} lines; Quizdeck reads at most "
            f"{limits.TEXT_LINES:,} from one file. Split it and import the parts one by one",
        )
    try:
        result = _from_lines(lines, deadline)
    except _Unreadable as problem:
        if "field larger than field limit" in str(problem.error):
            result = refused(
                "text",
                f"Line {problem.line}: a cell is longer than csv reads "
                f"({csv.field_size_limit():,} characters); a card side has at most "
                f"{limits.CARD_SIDE:,}. Check the file's quotes: one unclosed quote makes "
                "the rest of the file one cell",
            )
        else:
            result = refused(
                "text", f"Line {problem.line}: the row cannot be read ({problem.error})"
            )
    except limits.TimeUp as problem:
        result = refused("text", f"{str(problem)[0].upper()}{str(problem)[1:]}")
    result.encoding = decoded.encoding
    return result


def _from_lines(lines: list[str], deadline: limits.Deadline | None) -> CardImport:
    anki = _anki_text_headers(lines)
    body = lines[len(anki.header_lines) :]
    first = next((line for line in body if line.strip()), "")
    delimiter = anki.separator or ("\t" if "\t" in first else ",")
    offset = len(anki.header_lines)
    rows = _rows(body, delimiter, offset, deadline)
    first_row = next(rows, None)
    if first_row is None:
        return refused("text", "The file holds no cards.")
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
            result.errors = [too_many(len(result.cards), "cards", line)]
            break
        if result.full_of_problems:
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
        elif key == "tags column" and _column(value) is not None:
            found.tags_column = _column(value)
        elif key in ("guid column", "notetype column", "deck column"):
            if (column := _column(value)) is not None:
                found.other_columns.add(column)
    return found


def _column(value: str) -> int | None:
    """A 1-based column number as 0-based; None unless a few ASCII digits."""
    return int(value) - 1 if re.fullmatch(r"[0-9]{1,4}", value) else None


def _rows(
    lines: list[str], delimiter: str, offset: int, deadline: limits.Deadline | None
) -> Iterator[tuple[int, list[str]]]:
    """(line number where the row starts, cells) for each row that is not blank."""
    reader = csv.reader(lines, delimiter=delimiter)
    start = offset + 1
    for count in itertools.count(1):
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as error:  # a cell over csv.field_size_limit(), most likely
            raise _Unreadable(start, error) from error
        if deadline is not None and count % 500 == 0:
            deadline.check()
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
        tags = tags_of(row[anki.tags_column].split())
    skip = anki.other_columns | {anki.tags_column}
    row = [cell for index, cell in enumerate(row) if index not in skip]
    if anki.html:
        result.media_fields += media_count(row)
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
    add_checked(ImportedCard(kind, front, back, "", tags, where=where), result)


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
                Problem(where, f"the kind “{kind[:40]}” is not basic, reversed or cloze")
            )
            continue
        source = cells["sources"].replace(" | ", "; ")
        tags = tags_of(cells["tags"].split(","))
        if add_checked(ImportedCard(kind, front, back, source, tags, where=where), result):
            by_look[(front, back)] = len(result.cards) - 1
        if len(result.cards) > MAX_CARDS:
            result.errors = [too_many(len(result.cards), "cards", line)]
            break
        if result.full_of_problems:
            break
    return result
