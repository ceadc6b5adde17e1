"""Quizlet's export (`from_quizlet`): a term, a separator, its definition; then a row
separator (a new line, ";", or whatever the teacher typed into Quizlet's "Custom" box).

Each row becomes a question asking for the term from its definition: a short answer
(`as_type="short"`) or a single choice whose wrong options are other terms of the file
(`as_type="single"`, drawn with the `rng` given, so the same file gives the same items).
Separators are read as given, or detected: tab, else comma, between term and definition;
a new line, else ";", between rows.
"""

from __future__ import annotations

from random import Random
from typing import Any

from quizzes.domain.text import normalise

from .common import ImportResult, decode_input, new_item

ITEM_CHOICES = ("short", "single")
# The separators Quizlet's export offers, by the names the import form uses (None: find it).
TERM_SEPARATORS = {"auto": None, "tab": "\t", "comma": ","}
ROW_SEPARATORS = {"auto": None, "newline": "\n", "semicolon": ";"}
SEPARATOR_NAMES = {"\t": "a tab", ",": "a comma", ";": "a semicolon", "\n": "a new line"}
MAX_SEPARATOR = 10  # Quizlet's custom separators are a few characters
DISTRACTORS = 3  # a single choice of four, as the generator makes them


def detect_term_separator(rows: list[str]) -> str | None:
    """The separator found in the most rows, tab before comma; None when no row has one.
    (A row without it is then reported on its own line.)"""
    counts = {separator: sum(separator in row for row in rows) for separator in ("\t", ",")}
    best = max(counts, key=lambda separator: counts[separator])
    return best if counts[best] else None


def split_rows(text: str, separator: str | None) -> tuple[list[tuple[int, str]], str]:
    """(line, row) of the non-empty rows, and the row separator used (detected when None):
    a new line when the text has several lines, else ";" when it has one."""
    if separator is None:
        lines = [line for line in text.split("\n") if line.strip()]
        separator = "\n" if len(lines) > 1 or ";" not in text else ";"
    rows, line = [], 1
    for row in text.split(separator):
        if row.strip():
            rows.append((line + len(row) - len(row.lstrip("\n")), row.strip("\n")))
        line += row.count("\n") + separator.count("\n")
    return rows, separator


def from_quizlet(
    data: bytes | str,
    *,
    term_separator: str | None = None,
    row_separator: str | None = None,
    as_type: str = "short",
    rng: Random | None = None,
) -> ImportResult:
    """Rows of "term<separator>definition" as items asking for the term."""
    result = ImportResult()
    text = decode_input(data, result)
    if text is None:
        return result
    if as_type not in ITEM_CHOICES:
        result.error(1, f"Quizlet rows become short-answer or single-choice items, not {as_type!r}")
        return result
    for name, separator in (("term", term_separator), ("row", row_separator)):
        if separator is not None and not (0 < len(separator) <= MAX_SEPARATOR):
            result.error(1, f"the {name} separator must be 1 to {MAX_SEPARATOR} characters")
    if not result.ok:
        return result
    rows, row_separator = split_rows(text, row_separator)
    term_separator = term_separator or detect_term_separator([row for _, row in rows])
    result.meta["separators"] = (term_separator, row_separator)
    if term_separator is None:
        result.error(
            1,
            "no separator between term and definition found (tried tab and comma): choose "
            "the one set in Quizlet's export",
        )
        return result
    pairs = []
    for line, row in rows:
        term, found, definition = row.partition(term_separator)
        if not found or not term.strip() or not definition.strip():
            result.error(line, f"the row “{row.strip()[:60]}” has no term and definition")
            continue
        pairs.append((line, term.strip(), definition.strip()))
    if result.ok and as_type == "single":
        _check_enough_terms(result, pairs)
    if not result.ok:
        return result
    terms = _distinct_terms([term for _, term, _ in pairs])
    for line, term, definition in pairs:
        if as_type == "short":
            data_ = {"answers": [{"text": term, "fraction": 1}]}
        else:
            data_ = {"options": _options(term, terms, rng or Random(0))}
        result.add_item(line, new_item(as_type, definition, data_))
    return result


def _key(term: str) -> str:
    return normalise(term) or term


def _distinct_terms(terms: list[str]) -> list[str]:
    seen: dict[str, str] = {}
    for term in terms:
        seen.setdefault(_key(term), term)
    return list(seen.values())


def _check_enough_terms(result: ImportResult, pairs: list[tuple[int, str, str]]) -> None:
    if len(_distinct_terms([term for _, term, _ in pairs])) < 2:
        result.error(
            1,
            "single-choice items take their wrong options from the other terms, and the file "
            "has fewer than 2 different terms: import them as short answers",
        )


def _options(term: str, terms: list[str], rng: Random) -> list[dict[str, Any]]:
    """The term and up to DISTRACTORS other terms of the file, in a random order (drawn
    from a few picks, not the whole list, so a long file stays linear)."""
    own = _key(term)
    picked = rng.sample(terms, min(DISTRACTORS + 1, len(terms)))
    others = [other for other in picked if _key(other) != own][:DISTRACTORS]
    options = [{"text": term, "correct": True}] + [{"text": t, "correct": False} for t in others]
    rng.shuffle(options)
    return options
