"""Shared pieces of the question-set importers and exporters.

Every importer returns an `ImportResult`; if `errors` is not empty the caller must write
nothing. Every exporter that cannot express some items reports them as `ExportIssue`s instead
of dropping them silently. Item dicts follow docs/ITEMS.md; `check_item` is the structural
gate that imported items must pass before they reach the bank: the fields every item has,
then the type's own `check_data` (the item-type registry still runs its `validate` on top).
"""

from __future__ import annotations

import math
import re
from collections.abc import Collection
from dataclasses import dataclass, field
from decimal import Context, Decimal
from typing import Any

from quizzes.domain import limits
from quizzes.domain.interop.decoding import decode_input  # noqa: F401  (the importers use it from here)
from quizzes.domain.itemtypes import (
    ITEM_FIELDS,
    ITEM_LEVELS,
    ITEM_TYPES,
    OPTIONAL_ITEM_FIELDS,
    REGISTRY,
    format_support,
    validate_item,
)
from quizzes.domain.itemtypes.base import is_number

# Files larger than this are refused before parsing, so no parser ever works on huge input.
MAX_INPUT_BYTES = limits.UPLOAD_BYTES  # decoding.decode_input refuses more
DEFAULT_DIFFICULTY = 0.5
# Formats with a single question text (GIFT missing word) need an instruction for the cloze.
CLOZE_DEFAULT_PROMPT = "Fill in the blank."

# Enough precision to do exact decimal arithmetic on any double.
_EXACT = Context(prec=1200, Emax=999999, Emin=-999999)
_CLOZE_MARK = re.compile(r"\{(\d+)\}")


@dataclass(frozen=True)
class ImportIssue:
    """One problem found while importing, tied to a 1-based line of the original file."""

    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


@dataclass
class ImportResult:
    """What an importer found.

    `items` are item dicts (docs/ITEMS.md) and `item_lines` the line each one starts on.
    `skipped` lists (line, reason) for questions that have no Quizdeck form (essay,
    description). `errors` make the whole file unusable: the caller writes nothing.
    `warnings` name details that were lost on the way in (partial credit a type cannot hold,
    per-answer feedback...). `categories` are GIFT `$CATEGORY` paths as written, `meta` the set
    metadata of a JSON export.
    """

    items: list[dict[str, Any]] = field(default_factory=list)
    item_lines: list[int] = field(default_factory=list)
    skipped: list[tuple[int, str]] = field(default_factory=list)
    errors: list[ImportIssue] = field(default_factory=list)
    warnings: list[ImportIssue] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)
    encoding: str = ""  # how the file's bytes were read ("UTF-8"...), for the preview
    # Files the items show (images carried by the file), cleaned (quizzes.domain.media):
    # the items refer to each as /media/<its name>; the importer stores them with the set.
    media: list[Any] = field(default_factory=list)
    titles: dict[int, str] = field(default_factory=dict)  # question names by line (Moodle)
    # Images the items show as @@PLUGINFILE@@/name, by name (Moodle XML); stored on import.
    files: dict[str, bytes] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors

    def error(self, line: int, message: str) -> None:
        self.errors.append(ImportIssue(line, message))
        limits.stop_if_bounded(self, line, len(self.items), len(self.errors))

    def warn(self, line: int, message: str) -> None:
        self.warnings.append(ImportIssue(line, message))

    def add_item(self, line: int, item: dict[str, Any]) -> bool:
        """Keep `item` if it passes `check_item`; otherwise report each problem as an error."""
        problems = check_item(item)
        for problem in problems:
            self.error(line, problem)
        if problems:
            return False
        self.items.append(item)
        self.item_lines.append(line)
        limits.stop_if_bounded(self, line, len(self.items), len(self.errors))
        return True


@dataclass(frozen=True)
class ExportIssue:
    """An item an exporter could not write (`dropped`) or wrote without some detail."""

    index: int  # position in the list given to the exporter
    key: str
    message: str
    dropped: bool

    def __str__(self) -> str:
        name = f"item {self.index + 1}" + (f" ({self.key})" if self.key else "")
        return f"{name}: {self.message}"


def new_item(
    item_type: str,
    prompt: str,
    data: dict[str, Any],
    *,
    key: str = "",
    explanation: str = "",
    sources: list[str] | None = None,
    topics: list[str] | None = None,
    difficulty: float = DEFAULT_DIFFICULTY,
    fact_ids: list[str] | None = None,
) -> dict[str, Any]:
    """An item dict with every field of docs/ITEMS.md, defaults for imported items."""
    return {
        "key": key,
        "type": item_type,
        "prompt": prompt,
        "data": data,
        "explanation": explanation,
        "sources": list(sources or []),
        "topics": list(topics or []),
        "difficulty": difficulty,
        "fact_ids": list(fact_ids or []),
    }


def unique(values: list[str]) -> list[str]:
    """`values` without repeats, first occurrence kept."""
    seen: set[str] = set()
    out = []
    for value in values:
        if value not in seen:
            seen.add(value)
            out.append(value)
    return out


def default_multi_weights(options: list[dict[str, Any]]) -> list[float]:
    """ITEMS.md default weights: a right option 1/n_right, a wrong one -1/n_wrong."""
    n_right = sum(1 for o in options if o["correct"])
    n_wrong = len(options) - n_right
    return [1 / n_right if o["correct"] else -1 / n_wrong for o in options]


def option_weights(options: list[dict[str, Any]]) -> list[float]:
    """The weight each multi option scores: its own, or the default when none is given."""
    if any("weight" in o for o in options):
        return [float(o.get("weight", 0.0)) for o in options]
    return default_multi_weights(options)


def drop_default_weights(options: list[dict[str, Any]]) -> None:
    """Remove `weight` from multi options when every weight is the default anyway.

    Formats that must spell out weights (GIFT, CSV) write the defaults; dropping them again
    on import gives back the item as it was authored.
    """
    if not any(o["correct"] for o in options):
        return
    defaults = default_multi_weights(options)
    pairs = zip(options, defaults, strict=True)
    if all(math.isclose(o.get("weight", 0.0), d, abs_tol=1e-6) for o, d in pairs):
        for option in options:
            option.pop("weight", None)


def percent_text(fraction: float) -> str:
    """`fraction` as a percentage (0.5 -> "50") that `parse_percent` turns back exactly."""
    exact = _EXACT.scaleb(Decimal(fraction), Decimal(2))
    for places in range(0, 40):
        candidate = _EXACT.quantize(exact, Decimal(1).scaleb(-places))
        if float(_EXACT.scaleb(candidate, Decimal(-2))) == fraction:
            return _plain_decimal(candidate)
    return _plain_decimal(exact)


def parse_percent(text: str) -> float:
    """ "50" -> 0.5 (exactly the inverse of `percent_text`). Raises ValueError."""
    stripped = text.strip()
    if not _PERCENT.fullmatch(stripped):
        raise ValueError(f"'{stripped}' is not a number")
    return float(_EXACT.scaleb(Decimal(stripped), Decimal(-2)))


def number_text(value: float) -> str:
    """A number in plain decimal notation (no exponent) that reads back as the same float."""
    value = float(value)
    if value.is_integer() and abs(value) < 1e16:
        return str(int(value))
    text = repr(value)
    if "e" in text or "E" in text:
        text = _plain_decimal(Decimal(text))
    return text


_PERCENT = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d{1,4})?")


def parse_number(text: str) -> float:
    """A decimal number as written by people ("3", "-0.5", "1e3"). Raises ValueError."""
    stripped = text.strip()
    if not _NUMBER.fullmatch(stripped):
        raise ValueError(f"'{stripped}' is not a number")
    value = float(stripped)
    if not math.isfinite(value):
        raise ValueError(f"'{stripped}' is too large")
    return value


def _plain_decimal(value: Decimal) -> str:
    return format(value.normalize(_EXACT), "f")


def contains_cloze_mark(text: str) -> bool:
    return bool(_CLOZE_MARK.search(text))


# --- structural check of item dicts (docs/ITEMS.md) ---------------------------------------


def check_item(item: Any) -> list[str]:
    """Plain-words problems that keep `item` from being a docs/ITEMS.md item (empty = fine)."""
    if not isinstance(item, dict):
        return ["a question must be an object with the fields " + ", ".join(ITEM_FIELDS)]
    problems = []
    missing = [f for f in ITEM_FIELDS if f not in item]
    unknown = [str(k) for k in item if k not in ITEM_FIELDS and k not in OPTIONAL_ITEM_FIELDS]
    if missing:
        problems.append("missing field(s): " + ", ".join(missing))
    if unknown:
        problems.append("unknown field(s): " + ", ".join(unknown))
    if missing:
        return problems
    if not isinstance(item["key"], str):
        problems.append("'key' must be text")
    if item.get("level", "remember") not in ITEM_LEVELS:
        problems.append("'level' must be one of " + ", ".join(ITEM_LEVELS))
    item_type = item["type"]
    if item_type not in ITEM_TYPES:
        problems.append(f"unknown question type {item_type!r}; known: " + ", ".join(ITEM_TYPES))
    if not isinstance(item["prompt"], str):
        problems.append("'prompt' must be text")
    elif not item["prompt"].strip() and (
        item_type not in ITEM_TYPES or REGISTRY[item_type].PROMPT_REQUIRED
    ):
        problems.append("the question text is empty")
    if not isinstance(item["explanation"], str):
        problems.append("'explanation' must be text")
    for name in ("sources", "topics", "fact_ids"):
        if not _is_text_list(item[name]):
            problems.append(f"'{name}' must be a list of texts")
    difficulty = item["difficulty"]
    if not is_number(difficulty) or not 0 <= difficulty <= 1:
        problems.append("'difficulty' must be a number from 0 to 1")
    data = item["data"]
    if not isinstance(data, dict):
        problems.append("'data' must be an object")
    elif item_type in ITEM_TYPES:  # a tuple: an unhashable "type" from a file is just unknown
        problems.extend(REGISTRY[item_type].check_data(data))
    return problems


def not_written(item_type: str, file_format: str, written: Collection[str], name: str) -> str:
    """Why a writer leaves out a (valid) item of this type, "" when it writes it: the
    type's own reason (its FORMATS entry), else that `name` has no writer for it yet."""
    support = format_support(item_type, file_format)
    if not support.carried:
        return support.reason
    if item_type not in written:
        return f"Quizdeck has no {name} writer for this question type yet"
    return ""


def export_problem(item: Any) -> str:
    """Why an exporter cannot write `item`, in the words a teacher reads ("" if it can).

    The item type's own checks speak of the question the way the editor does. An item that
    passes them but not `check_item` has a shape the exporters do not know: that is a fault
    in Quizdeck, and the teacher cannot fix it by editing the question.
    """
    if not check_item(item):
        return ""
    problems = validate_item(item)
    if problems:
        return "fix it first: " + problems[0][0].lower() + problems[0][1:]
    return (
        "Quizdeck cannot write this question to a file yet; this is a fault in Quizdeck, "
        "not in the question (please report it)"
    )


def _is_text_list(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)
