"""CSV import (`from_csv`): one question per row, columns described in docs/CSV_FORMAT.md.
The writer, `to_csv` in csv_writer.py, writes the same columns.

The reader takes what spreadsheets write: a header row (required), UTF-8 with or without a
BOM, commas (or semicolons or tabs, guessed from the header), quoted cells with commas and
line breaks. Errors name the line the row starts on. `to_csv` writes the same format, so
its output reads back into the same items.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from typing import Any

from quizzes.domain.itemtypes import REGISTRY, format_support

from .common import (
    DEFAULT_DIFFICULTY,
    ImportResult,
    contains_cloze_mark,
    decode_input,
    new_item,
    parse_number,
    parse_percent,
    percent_text,
)

COLUMNS = (
    "type",
    "prompt",
    "answer",
    "options",
    "explanation",
    "option_feedback",
    "unit",
    "romanised",
    "sources",
    "topics",
    "difficulty",
    "key",
    "fact_ids",
)
REQUIRED_COLUMNS = ("type", "prompt")

# Inside list cells a backslash escapes these characters; other backslashes are literal.
_ESCAPABLE = "\\|%>{}"
_PLACEHOLDER = {c: chr(0xFDE0 + i) for i, c in enumerate(_ESCAPABLE)}
_RESTORE = str.maketrans({p: c for c, p in _PLACEHOLDER.items()})
_ESCAPE_SEQUENCE = re.compile(r"\\([\\|%>{}])")
_RESERVED = re.compile("[\ufde0-\ufde5]")
_WEIGHT = re.compile(r"%([^%]*)%")
_LETTER = re.compile(r"[A-Z]")
_TRUE = {"true", "t", "yes", "y", "1"}
_FALSE = {"false", "f", "no", "n", "0"}


class _RowError(Exception):
    """A problem with one row; the message is shown after the row's line number."""


def _encode(cell: str) -> str:
    return _ESCAPE_SEQUENCE.sub(lambda m: _PLACEHOLDER[m.group(1)], cell)


def _decode(text: str) -> str:
    return text.translate(_RESTORE)


def _elements(cell: str) -> list[str]:
    """A '|'-separated cell as encoded, trimmed elements ([] for an empty cell)."""
    if not cell.strip():
        return []
    return [element.strip() for element in _encode(cell).split("|")]


def _texts(cell: str, what: str, allow_empty: bool = False) -> list[str]:
    texts = [_decode(e) for e in _elements(cell)]
    if not allow_empty and any(not t for t in texts):
        raise _RowError(f"{what} has an empty entry (two '|' in a row?)")
    return texts


def _weighted(element: str, what: str) -> tuple[float | None, str]:
    """A leading %w% (percent) as a fraction, and the decoded rest of the element."""
    match = _WEIGHT.match(element)
    if not match:
        return None, _decode(element)
    try:
        fraction = parse_percent(match.group(1))
    except ValueError:
        raise _RowError(f"{what}: weight {match.group(0)!r} is not a percentage") from None
    return fraction, _decode(element[match.end() :]).strip()


# --- import -------------------------------------------------------------------------------


def from_csv(data: str | bytes) -> ImportResult:
    """Read a CSV file. Never raises on bad input: problems come back as `errors`."""
    result = ImportResult()
    text = decode_input(data, result)
    if text is None:
        return result
    reserved = _RESERVED.search(text)
    if reserved:
        line = text.count("\n", 0, reserved.start()) + 1
        result.error(line, "contains a reserved Unicode noncharacter (U+FDE0..U+FDE5)")
        return result
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text), strict=True)
    try:
        header = next(reader, None)
    except csv.Error as exc:
        result.error(reader.line_num, f"the header row cannot be read: {exc}")
        return result
    if header is None or not any(h.strip() for h in header):
        result.error(1, "the first row must name the columns, e.g. type,prompt,answer,options")
        return result
    columns = [h.strip().lower() for h in header]
    if not _check_header(columns, result):
        return result
    start = reader.line_num + 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            result.error(start, f"the row cannot be read ({exc}); check its quotes")
            break
        line, start = start, reader.line_num + 1
        if not any(cell.strip() for cell in row):
            continue
        if len(row) > len(columns) and any(cell.strip() for cell in row[len(columns) :]):
            result.error(line, f"the row has {len(row)} cells but the header names {len(columns)}")
            continue
        cells = dict(zip(columns, row + [""] * (len(columns) - len(row)), strict=False))
        try:
            item = _row_item(cells)
        except _RowError as exc:
            result.error(line, str(exc))
            continue
        result.add_item(line, item)
    return result


def _delimiter(text: str) -> str:
    header = text.split("\n", 1)[0]
    counts = {d: header.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] > counts[","] else ","


def _check_header(columns: list[str], result: ImportResult) -> bool:
    unknown = [c for c in columns if c and c not in COLUMNS]
    repeated = sorted({c for c in columns if c and columns.count(c) > 1})
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    if unknown:
        result.error(
            1, f"unknown column(s) {', '.join(unknown)}; the columns are {', '.join(COLUMNS)}"
        )
    if repeated:
        result.error(1, "column(s) named twice: " + ", ".join(repeated))
    if missing:
        result.error(1, "the header lacks the column(s) " + ", ".join(missing))
    if "" in columns:
        result.error(1, f"column {columns.index('') + 1} of the header has no name")
    return not (unknown or repeated or missing or "" in columns)


def _row_item(cells: dict[str, str]) -> dict[str, Any]:
    item_type = cells["type"].strip().lower()
    support = format_support(item_type, "csv")
    if item_type in REGISTRY and not support.carried:  # the type declares why
        raise _RowError(support.reason)
    if item_type not in _READERS:
        raise _RowError(
            f"unknown type {cells['type'].strip()!r}; use one of " + ", ".join(_READERS)
        )
    reader, allowed = _READERS[item_type]
    for column in ("answer", "options", "option_feedback", "unit", "romanised"):
        if column not in allowed and cells.get(column, "").strip():
            raise _RowError(f"a {item_type} question takes no '{column}'")
    data = reader(cells)
    romanised = cells.get("romanised", "").strip()
    if romanised:
        data["romanised"] = _yes_or_no(romanised, "romanised")
    difficulty = cells.get("difficulty", "").strip()
    try:
        level = parse_number(difficulty) if difficulty else DEFAULT_DIFFICULTY
    except ValueError:
        raise _RowError(f"difficulty {difficulty!r} is not a number from 0 to 1") from None
    if not 0 <= level <= 1:
        raise _RowError(f"difficulty {difficulty!r} is not a number from 0 to 1")
    return new_item(
        item_type,
        cells["prompt"],
        data,
        key=cells.get("key", "").strip(),
        explanation=cells.get("explanation", ""),
        sources=_texts(cells.get("sources", ""), "sources"),
        topics=_texts(cells.get("topics", ""), "topics"),
        difficulty=level,
        fact_ids=_texts(cells.get("fact_ids", ""), "fact_ids"),
    )


def _pick(answers: list[str], options: list[str]) -> list[int]:
    """Indexes of the options named by answers: the option's exact text, else its letter."""
    picked = []
    for answer in answers:
        if answer in options:
            picked.append(options.index(answer))
        elif _LETTER.fullmatch(answer) and ord(answer) - ord("A") < len(options):
            picked.append(ord(answer) - ord("A"))
        else:
            raise _RowError(
                f"answer {answer!r} is not one of the options (nor a letter A, B, ... of one)"
            )
    return picked


def _feedback(cells: dict[str, str], options: list[dict[str, Any]]) -> None:
    whys = _texts(cells.get("option_feedback", ""), "option_feedback", allow_empty=True)
    if whys and len(whys) != len(options):
        raise _RowError(
            f"option_feedback has {len(whys)} entries for {len(options)} options "
            "(leave an entry empty for an option without feedback)"
        )
    for option, why in zip(options, whys, strict=False):
        if why:
            option["why"] = why


def _read_single(cells: dict[str, str]) -> dict[str, Any]:
    texts = _texts(cells.get("options", ""), "options")
    if len(texts) < 2:
        raise _RowError("a single question needs at least 2 options, separated by '|'")
    answers = _texts(cells.get("answer", ""), "answer")
    if len(answers) != 1:
        raise _RowError("a single question needs exactly one answer: the right option")
    right = _pick(answers, texts)[0]
    options = [{"text": t, "correct": n == right} for n, t in enumerate(texts)]
    _feedback(cells, options)
    return {"options": options}


def _read_multi(cells: dict[str, str]) -> dict[str, Any]:
    weighted = [_weighted(e, "options") for e in _elements(cells.get("options", ""))]
    texts = [text for _, text in weighted]
    if len(texts) < 3 or any(not t for t in texts):
        raise _RowError("a multi question needs at least 3 non-empty options, separated by '|'")
    weights = [w for w, _ in weighted]
    if any(w is None for w in weights) and any(w is not None for w in weights):
        raise _RowError("give every option a %weight% or none")
    answers = _texts(cells.get("answer", ""), "answer")
    if answers:
        right = set(_pick(answers, texts))
    elif weights[0] is not None:
        right = {n for n, w in enumerate(weights) if w is not None and w > 0}
    else:
        raise _RowError("a multi question needs its right options in 'answer', separated by '|'")
    options: list[dict[str, Any]] = []
    for n, (weight, text) in enumerate(weighted):
        option: dict[str, Any] = {"text": text, "correct": n in right}
        if weight is not None:
            if (weight > 0) != (n in right):
                raise _RowError(
                    f"option {text!r} has weight {percent_text(weight)}% but is "
                    + ("" if n in right else "not ")
                    + "named in 'answer'"
                )
            option["weight"] = weight
        options.append(option)
    _feedback(cells, options)
    return {"options": options}


def _yes_or_no(cell: str, what: str) -> bool:
    word = cell.strip().lower()
    if word in _TRUE:
        return True
    if word in _FALSE:
        return False
    raise _RowError(f"{what} is true or false, not {cell!r}")


def _read_truefalse(cells: dict[str, str]) -> dict[str, Any]:
    return {"answer": _yes_or_no(cells.get("answer", ""), "a truefalse answer")}


def _fractions(cells: dict[str, str]) -> list[tuple[float, str]]:
    elements = _elements(cells.get("answer", ""))
    if not elements:
        raise _RowError("the 'answer' cell is empty")
    out = []
    for element in elements:
        fraction, text = _weighted(element, "answer")
        fraction = 1.0 if fraction is None else fraction
        if not 0 <= fraction <= 1:
            raise _RowError(f"answer {text!r}: partial credit runs from %0% to %100%")
        if not text:
            raise _RowError("an answer is empty (two '|' in a row?)")
        out.append((fraction, text))
    return out


def _read_short(cells: dict[str, str]) -> dict[str, Any]:
    return {"answers": [{"text": t, "fraction": f} for f, t in _fractions(cells)]}


def _read_numeric(cells: dict[str, str]) -> dict[str, Any]:
    answers = []
    for fraction, text in _fractions(cells):
        try:
            if text.find("..") > 0:
                low, high = (parse_number(part) for part in text.split("..", 1))
                if low > high:
                    raise _RowError(f"range {text!r} runs from high to low")
                value = (low + high) / 2
                tolerance = high - value
            elif ":" in text:
                value_text, tolerance_text = text.split(":", 1)
                value, tolerance = parse_number(value_text), parse_number(tolerance_text)
                if tolerance < 0:
                    raise _RowError(f"the tolerance in {text!r} is negative")
            else:
                value, tolerance = parse_number(text), 0.0
        except ValueError as exc:
            raise _RowError(f"numeric answer {text!r}: {exc}") from None
        answers.append({"value": value, "tolerance": tolerance, "fraction": fraction})
    return {"answers": answers, "unit": cells.get("unit", "").strip()}


def _read_ordering(cells: dict[str, str]) -> dict[str, Any]:
    items = _texts(cells.get("options", ""), "options")
    if len(items) < 3:
        raise _RowError("an ordering question needs at least 3 options, in the right order")
    return {"items": items}


def _read_matching(cells: dict[str, str]) -> dict[str, Any]:
    pairs, distractors = [], []
    for element in _elements(cells.get("options", "")):
        arrow = element.find("->")
        if arrow == -1:
            raise _RowError(f"matching option {_decode(element)!r} has no '->'")
        left, right = _decode(element[:arrow]).strip(), _decode(element[arrow + 2 :]).strip()
        if not right:
            raise _RowError(f"matching option {_decode(element)!r} has nothing after '->'")
        if left:
            pairs.append({"left": left, "right": right})
        else:
            distractors.append(right)
    if len(pairs) < 2:
        raise _RowError("a matching question needs at least 2 pairs 'left -> right' in options")
    return {"pairs": pairs, "distractors": distractors}


def _read_cloze(cells: dict[str, str]) -> dict[str, Any]:
    encoded = _encode(cells.get("answer", ""))
    pieces: list[str] = []
    blanks: list[dict[str, Any]] = []
    at = 0
    while True:
        opening, closing = encoded.find("{", at), encoded.find("}", at)
        if closing != -1 and (opening == -1 or closing < opening):
            raise _RowError("'}' without '{' in the cloze text (write \\} for a brace)")
        if opening == -1:
            pieces.append(_decode(encoded[at:]))
            break
        if closing == -1:
            raise _RowError("a '{' in the cloze text is never closed")
        if "{" in encoded[opening + 1 : closing]:
            raise _RowError("a '{' inside a blank (write \\{ for a brace)")
        pieces.append(_decode(encoded[at:opening]))
        answers = [_decode(a).strip() for a in encoded[opening + 1 : closing].split("|")]
        if not all(answers):
            raise _RowError(f"blank {len(blanks) + 1} has an empty answer")
        blanks.append({"answers": answers})
        pieces.append(f"{{{len(blanks)}}}")
        at = closing + 1
    if not blanks:
        raise _RowError("a cloze needs its text in 'answer' with blanks like {right answer}")
    texts = pieces[0::2]
    if any(contains_cloze_mark(t) for t in texts):
        raise _RowError("the cloze text contains '{n}' as text; escape the braces as \\{ \\}")
    return {"text": "".join(pieces), "blanks": blanks}


_Reader = Callable[[dict[str, str]], dict[str, Any]]
_READERS: dict[str, tuple[_Reader, set[str]]] = {
    "single": (_read_single, {"answer", "options", "option_feedback"}),
    "multi": (_read_multi, {"answer", "options", "option_feedback"}),
    "truefalse": (_read_truefalse, {"answer"}),
    "short": (_read_short, {"answer", "romanised"}),
    "numeric": (_read_numeric, {"answer", "unit"}),
    "ordering": (_read_ordering, {"options"}),
    "matching": (_read_matching, {"options"}),
    "cloze": (_read_cloze, {"answer", "romanised"}),
}
# The types this reader reads; every other type declares why CSV cannot carry it.
READ_TYPES = frozenset(_READERS)
