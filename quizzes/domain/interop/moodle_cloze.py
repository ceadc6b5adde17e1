"""Moodle XML cloze (multianswer) questions as Quizdeck cloze items, for moodle_reader.py:
short-answer, number and drop-down sub-questions become typed blanks (a drop-down's right
choice is the blank's answer, said in a note); a multi-response sub-question or a number
with a tolerance has no blank that grades it the same, and the question is left out naming
the blank. A cloze Moodle itself refuses (no blanks, a menu of one, no full-marks answer, a
number that is not one) is an error, as in Moodle."""

from __future__ import annotations

import re
from typing import Any

from .common import CLOZE_DEFAULT_PROMPT, new_item, number_text
from .moodle_syntax import (
    CHOICE_KINDS,
    EMBEDDED,
    NUMBER_KINDS,
    RESPONSE_KINDS,
    SHORT_CASE_KINDS,
    QuestionBeingRead,
    alternatives,
    field_text,
    number_problem,
    plain_text,
    read_number,
    shown,
)

_PLACE = "\ue000{}\ue001"  # a private-use mark where a blank goes, while HTML is flattened
_PLACE_MARK = re.compile("\ue000(\\d+)\ue001")


def read_cloze(q: QuestionBeingRead) -> dict[str, Any] | None:
    raw, text_format = field_text(q.element, "questiontext")
    blanks: list[dict[str, Any]] = []

    def blank(match: re.Match[str]) -> str:
        # Once one blank is wrong or cannot be carried, the rest need not be read.
        answers = [] if q.failed else _blank_answers(q, len(blanks) + 1, match, text_format)
        blanks.append({"answers": answers})
        return _PLACE.format(len(blanks))

    marked = EMBEDDED.sub(blank, raw)
    if q.failed:
        return None
    if not blanks:
        q.error("a cloze question needs blanks such as {1:SHORTANSWER:=answer}; it has none")
        return None
    text = _PLACE_MARK.sub(r"{\1}", plain_text(marked, text_format))
    data: dict[str, Any] = {"text": text, "blanks": blanks}
    item = new_item("cloze", CLOZE_DEFAULT_PROMPT, data)
    return item


def _blank_answers(
    q: QuestionBeingRead, number: int, match: re.Match[str], text_format: str
) -> list:
    kind, body = match.group(2), match.group(3)
    try:
        found = alternatives(body)
    except ValueError as error:
        q.error(f"blank {number}: {shown(str(error), 120)}")
        return []
    if kind in RESPONSE_KINDS:
        q.leave_out(
            f"blank {number} lets students tick several answers ({kind}); Quizdeck's "
            "blanks take one typed answer, so the question is left out"
        )
        return []
    if kind in CHOICE_KINDS and len(found) < 2:
        q.error(f"blank {number} is a menu with fewer than 2 choices")
        return []
    answers = []
    for alternative in found:
        text = plain_text(alternative.text, text_format)
        if alternative.fraction != 1 or text == "*":
            if 0 < alternative.fraction < 1:
                q.warn(f"blank {number}: partial credit for '{shown(text)}' is not carried")
            continue
        if kind in NUMBER_KINDS:
            value, _, tolerance = text.partition(":")
            try:
                number_value = read_number(value)
                spread = read_number(tolerance) if tolerance.strip() else 0.0
            except ValueError as error:
                bad = value if not _is_number(value) else tolerance
                q.error(f"blank {number}: {number_problem(bad, error)}")
                return []
            if spread:
                q.leave_out(
                    f"blank {number} accepts {shown(value)} ± {shown(tolerance)}; Quizdeck's "
                    "blanks take exact text, so the question is left out (a number "
                    "question takes a tolerance)"
                )
                return []
            text = number_text(number_value)
        answers.append(text)
    if not answers:
        q.error(f"blank {number} has no answer worth 100%")
    if any(alternative.feedback for alternative in found):
        q.warn(f"blank {number}: the feedback on each answer is not carried")
    if kind in CHOICE_KINDS:
        menu = ", ".join(shown(plain_text(a.text, text_format)) for a in found)
        q.warn(f"blank {number} was a menu ({menu}); Quizdeck asks for the answer to be typed")
    if kind in SHORT_CASE_KINDS:
        q.warn(f"blank {number} was matched case-sensitively; Quizdeck ignores case")
    return answers


def _is_number(text: str) -> bool:
    try:
        read_number(text)
    except ValueError:
        return False
    return True
