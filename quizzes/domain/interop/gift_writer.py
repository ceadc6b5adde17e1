"""GIFT (Moodle) export: `to_gift`; reading is in gift_reader.py, which documents the
mapping both follow.

What GIFT has no place for (difficulty, sources, fact ids, a cloze's instruction, a numeric
unit, `romanised`) travels in a `// quizdeck: {...}` comment that Moodle ignores. Items GIFT
cannot hold are left out and reported, never dropped silently: a type GIFT cannot carry
says why in its own module (FORMATS["gift"]).
"""

from __future__ import annotations

import json
import re
from typing import Any

from .common import (
    CLOZE_DEFAULT_PROMPT,
    DEFAULT_DIFFICULTY,
    ExportIssue,
    export_problem,
    not_written,
    number_text,
    option_weights,
    percent_text,
)
from .gift_syntax import _FORMAT, _ID, _META_PREFIX, _TAG


def _escape(text: str) -> str:
    """GIFT text: control characters escaped, line breaks as \\n, so it fits on one line."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    out = []
    for ch in text:
        if ch in "\\~=#{}:":
            out.append("\\" + ch)
        elif ch == "\n":
            out.append("\\n")
        else:
            out.append(ch)
    return "".join(out)


def _guarded(text: str) -> str:
    """Escaped text that the reader will not mistake for a weight or a format marker."""
    escaped = _escape(text.strip())
    if escaped.startswith("%") or _FORMAT.match(escaped):
        return "[markdown]" + escaped
    return escaped


def _comment_safe(value: str, pattern: re.Pattern[str], name: str) -> str:
    token = f"[{name}:{value.replace(']', chr(92) + ']')}]"
    match = pattern.fullmatch(token)
    if not match or match.group(1).replace("\\]", "]").strip() != value:
        raise ValueError
    return token


def to_gift(
    items: list[dict[str, Any]], category: str | None = None
) -> tuple[str, list[ExportIssue]]:
    """Write items as GIFT. Returns the text and the issues: items GIFT cannot hold
    (ordering, clozes with several blanks...) are left out and reported as dropped."""
    if category is not None and ("\n" in category or "\r" in category or not category.strip()):
        raise ValueError("category must be one non-empty line")
    issues: list[ExportIssue] = []
    blocks = []
    if category is not None:
        blocks.append(f"$CATEGORY: {category.strip()}")
    for index, item in enumerate(items):
        key = item.get("key", "") if isinstance(item, dict) else ""
        key = key if isinstance(key, str) else ""
        problem = export_problem(item) or _not_written(item["type"])
        if problem:
            issues.append(ExportIssue(index, key, problem, True))
            continue
        try:
            blocks.append(_write_item(item, index, issues))
        except _Unexportable as exc:
            issues.append(ExportIssue(index, key, str(exc), True))
    text = "\n\n".join(blocks)
    return (text + "\n" if text else ""), issues


class _Unexportable(Exception):
    pass


def _write_item(item: dict[str, Any], index: int, issues: list[ExportIssue]) -> str:
    lines = []
    key = item["key"]
    if key:
        try:
            lines.append("// " + _comment_safe(key, _ID, "id"))
        except ValueError:
            raise _Unexportable(f"the key {key!r} cannot be written in a GIFT comment") from None
    tags = []
    for topic in item["topics"]:
        try:
            tags.append(_comment_safe(topic, _TAG, "tag"))
        except ValueError:
            issues.append(
                ExportIssue(index, key, f"topic {topic!r} cannot be a GIFT tag; left out", False)
            )
    if tags:
        lines.append("// " + " ".join(tags))
    meta: dict[str, Any] = {}
    if item["difficulty"] != DEFAULT_DIFFICULTY:
        meta["difficulty"] = item["difficulty"]
    for name in ("sources", "fact_ids"):
        if item[name]:
            meta[name] = item[name]
    question = _WRITERS[item["type"]](item, meta, index, issues)
    if meta:
        lines.append(_META_PREFIX + " " + json.dumps(meta, ensure_ascii=False, sort_keys=True))
    lines.append(question)
    return "\n".join(lines)


def _general(item: dict[str, Any]) -> list[str]:
    explanation = item["explanation"].strip()
    return [f"\t####{_guarded(explanation)}"] if explanation else []


def _block(prompt: str, answers: list[str], item: dict[str, Any]) -> str:
    inner = answers + _general(item)
    return f"[markdown]{_escape(prompt.strip())}{{\n" + "\n".join(inner) + "\n}"


def _no_arrow(texts: list[str], what: str) -> None:
    for text in texts:
        if "->" in text:
            raise _Unexportable(f"{what} {text!r} contains '->', which GIFT reads as matching")


def _write_choice(item: dict[str, Any], meta: dict[str, Any], index: int, issues: list) -> str:
    options = item["data"]["options"]
    lines = []
    if item["type"] == "single":
        for option in options:
            lines.append(_option_line("=" if option["correct"] else "~", option))
    else:
        explicit = any("weight" in o for o in options)
        for option, weight in zip(options, option_weights(options), strict=True):
            # Default weights are written the way Moodle lists grades (33.33333%); reading
            # recognises them as defaults again. Explicit weights are written exactly.
            shown = percent_text(weight) if explicit else _moodle_percent(weight)
            lines.append(_option_line("~" if weight == 0 else f"~%{shown}%", option))
    return _block(item["prompt"], lines, item)


def _moodle_percent(fraction: float) -> str:
    return f"{fraction * 100:.5f}".rstrip("0").rstrip(".")


def _option_line(marker: str, option: dict[str, Any]) -> str:
    line = f"\t{marker}{_guarded(option['text'])}"
    why = option.get("why", "").strip()
    return line + (f"#{_guarded(why)}" if why else "")


def _write_truefalse(item: dict[str, Any], meta: dict[str, Any], index: int, issues: list) -> str:
    word = "TRUE" if item["data"]["answer"] else "FALSE"
    explanation = item["explanation"].strip()
    general = f"####{_guarded(explanation)}" if explanation else ""
    return f"[markdown]{_escape(item['prompt'].strip())}{{{word}{general}}}"


def _short_lines(answers: list[dict[str, Any]]) -> list[str]:
    lines = []
    for answer in answers:
        if answer["text"].strip() == "*":
            raise _Unexportable("the answer '*' would read back as Moodle's catch-all")
        weight = "" if answer["fraction"] == 1 else f"%{percent_text(answer['fraction'])}%"
        lines.append(f"\t={weight}{_guarded(answer['text'])}")
    return lines


def _keep_romanised(data: dict[str, Any], meta: dict[str, Any]) -> None:
    # GIFT answers have no grading options; the flag travels in the quizdeck comment.
    if "romanised" in data:
        meta["romanised"] = data["romanised"]


def _write_short(item: dict[str, Any], meta: dict[str, Any], index: int, issues: list) -> str:
    answers = item["data"]["answers"]
    _keep_romanised(item["data"], meta)
    _no_arrow([a["text"] for a in answers], "answer")
    return _block(item["prompt"], _short_lines(answers), item)


def _write_numeric(item: dict[str, Any], meta: dict[str, Any], index: int, issues: list) -> str:
    if item["data"]["unit"]:
        meta["unit"] = item["data"]["unit"]
    lines = []
    for answer in item["data"]["answers"]:
        weight = "" if answer["fraction"] == 1 else f"%{percent_text(answer['fraction'])}%"
        lines.append(
            f"\t={weight}{number_text(answer['value'])}:{number_text(answer['tolerance'])}"
        )
    prompt, answers_inner = item["prompt"], ["#"] + lines
    inner = answers_inner + _general(item)
    return f"[markdown]{_escape(prompt.strip())}{{" + "\n".join(inner) + "\n}"


def _write_matching(item: dict[str, Any], meta: dict[str, Any], index: int, issues: list) -> str:
    pairs, distractors = item["data"]["pairs"], item["data"]["distractors"]
    _no_arrow([p["left"] for p in pairs], "left-hand text")
    lines = [f"\t={_guarded(p['left'])} -> {_escape(p['right'].strip())}" for p in pairs]
    lines += [f"\t= -> {_escape(d.strip())}" for d in distractors]
    return _block(item["prompt"], lines, item)


def _write_cloze(item: dict[str, Any], meta: dict[str, Any], index: int, issues: list) -> str:
    text, blanks = item["data"]["text"], item["data"]["blanks"]
    if len(blanks) != 1:
        raise _Unexportable(f"GIFT has one blank per question; this cloze has {len(blanks)}")
    answers = [{"text": a, "fraction": 1.0} for a in blanks[0]["answers"]]
    _no_arrow(blanks[0]["answers"], "answer")
    _keep_romanised(item["data"], meta)
    head, _, tail = text.partition("{1}")
    prompt = item["prompt"]
    if tail.strip():
        if prompt != CLOZE_DEFAULT_PROMPT:
            meta["prompt"] = prompt
        inner = _short_lines(answers) + _general(item)
        # Keep the spaces around the blank: they are part of the sentence.
        return (
            f"[markdown]{_escape(head.lstrip())}{{\n"
            + "\n".join(inner)
            + "\n}"
            + _escape(tail.rstrip())
        )
    issues.append(
        ExportIssue(
            index,
            item["key"],
            "written as a short-answer question: GIFT cannot put a blank at the very end",
            False,
        )
    )
    return _block(f"{head}_____", _short_lines(answers), item)


def _write_essay(item: dict[str, Any], meta: dict[str, Any], index: int, issues: list) -> str:
    # GIFT's essay is an empty answer block; Moodle has no word limit or rubric in GIFT,
    # so they travel in the quizdeck comment (Moodle imports a plain essay).
    if item["data"]:
        meta["essay"] = item["data"]
    return _block(item["prompt"], [], item)


# GIFT's way of writing each type it carries. A type GIFT cannot carry declares why in its
# own module (FORMATS["gift"]); tests/domain/itemtypes/test_itemtypes_complete.py checks
# that every type is one or the other.
_WRITERS = {
    "single": _write_choice,
    "multi": _write_choice,
    "truefalse": _write_truefalse,
    "short": _write_short,
    "numeric": _write_numeric,
    "matching": _write_matching,
    "cloze": _write_cloze,
    "essay": _write_essay,
}
WRITTEN_TYPES = frozenset(_WRITERS)


def _not_written(item_type: str) -> str:
    """Why GIFT leaves out a (valid) item of this type; "" when it writes it."""
    return not_written(item_type, "gift", _WRITERS, "GIFT")
