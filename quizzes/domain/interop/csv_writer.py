"""CSV export (`to_csv`): the columns of docs/CSV_FORMAT.md, which `from_csv` (csvformat.py)
reads back into the same items."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from typing import Any

from .common import export_problem, not_written, number_text, percent_text
from .csvformat import COLUMNS


def _escape(text: str, extra: str = "") -> str:
    """One list element: backslashes and '|' escaped, and a leading '%' so it is no weight."""
    text = text.strip()
    out = "".join("\\" + ch if ch in "\\|" + extra else ch for ch in text)
    return "\\" + out if out.startswith("%") else out


def _join(texts: list[str], extra: str = "") -> str:
    return "|".join(_escape(t, extra) for t in texts)


def _weight(fraction: float) -> str:
    return "" if fraction == 1 else f"%{percent_text(fraction)}%"


def to_csv(items: list[dict[str, Any]], *, bom: bool = True) -> str:
    """Items as CSV text (header row first). `bom` adds the byte-order mark spreadsheet
    programs need to see UTF-8. Raises ValueError for an item that is not valid."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for index, item in enumerate(items):
        problem = export_problem(item) or _not_written(item["type"])
        if problem:
            raise ValueError(f"item {index + 1}: {problem}")
        cells = {column: "" for column in COLUMNS}
        cells.update(
            type=item["type"],
            prompt=item["prompt"],
            explanation=item["explanation"],
            sources=_join(item["sources"]),
            topics=_join(item["topics"]),
            difficulty=number_text(item["difficulty"]),
            key=item["key"],
            fact_ids=_join(item["fact_ids"]),
        )
        cells.update(_WRITERS[item["type"]](item["data"]))
        if "romanised" in item["data"]:
            cells["romanised"] = "true" if item["data"]["romanised"] else "false"
        writer.writerow([cells[column] for column in COLUMNS])
    return ("\ufeff" if bom else "") + out.getvalue()


def _write_choice(data: dict[str, Any]) -> dict[str, str]:
    options = data["options"]
    texts = [o["text"] for o in options]
    if any("weight" in o for o in options):
        shown = "|".join(f"%{percent_text(o['weight'])}%{_escape(o['text'])}" for o in options)
    else:
        shown = _join(texts)
    whys = [o.get("why", "") for o in options]
    return {
        "options": shown,
        "answer": _join([o["text"] for o in options if o["correct"]]),
        "option_feedback": "|".join(_escape(w) for w in whys) if any(whys) else "",
    }


def _write_truefalse(data: dict[str, Any]) -> dict[str, str]:
    return {"answer": "true" if data["answer"] else "false"}


def _write_short(data: dict[str, Any]) -> dict[str, str]:
    return {
        "answer": "|".join(_weight(a["fraction"]) + _escape(a["text"]) for a in data["answers"])
    }


def _write_numeric(data: dict[str, Any]) -> dict[str, str]:
    answers = []
    for answer in data["answers"]:
        text = number_text(answer["value"])
        if answer["tolerance"]:
            text += ":" + number_text(answer["tolerance"])
        answers.append(_weight(answer["fraction"]) + text)
    return {"answer": "|".join(answers), "unit": data["unit"]}


def _write_ordering(data: dict[str, Any]) -> dict[str, str]:
    return {"options": _join(data["items"])}


def _write_matching(data: dict[str, Any]) -> dict[str, str]:
    pairs = [
        _escape(p["left"]).replace("->", "-\\>") + " -> " + _escape(p["right"])
        for p in data["pairs"]
    ]
    return {"options": "|".join(pairs + ["-> " + _escape(d) for d in data["distractors"]])}


def _write_cloze(data: dict[str, Any]) -> dict[str, str]:
    parts = re.split(r"\{(\d+)\}", data["text"])
    out = []
    for n, part in enumerate(parts):
        if n % 2 == 0:
            out.append("".join("\\" + ch if ch in "\\{}" else ch for ch in part))
        else:
            answers = data["blanks"][int(part) - 1]["answers"]
            out.append("{" + _join(answers, "{}") + "}")
    return {"answer": "".join(out)}


# CSV's way of writing each type it carries. A type CSV cannot carry declares why in its own
# module (FORMATS["csv"]); tests/domain/itemtypes/test_itemtypes_complete.py checks that
# every type is one or the other.
_WRITERS: dict[str, Callable[[dict[str, Any]], dict[str, str]]] = {
    "single": _write_choice,
    "multi": _write_choice,
    "truefalse": _write_truefalse,
    "short": _write_short,
    "numeric": _write_numeric,
    "ordering": _write_ordering,
    "matching": _write_matching,
    "cloze": _write_cloze,
}
WRITTEN_TYPES = frozenset(_WRITERS)


def _not_written(item_type: str) -> str:
    """Why CSV cannot hold a (valid) item of this type; "" when it writes it."""
    return not_written(item_type, "csv", _WRITERS, "CSV")
