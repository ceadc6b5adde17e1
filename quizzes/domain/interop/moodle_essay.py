"""Moodle XML essay questions as Quizdeck essay items, for moodle_reader.py (the writer is
`_write_essay` in moodle_writer.py).

Moodle's maximum word count is the word limit, its response template the template, its
information for graders the marker's notes, and its default grade the plain mark (a rubric,
which Moodle's essay has not, travels in the quizdeck comment). What Moodle's essay has and
Quizdeck's has not (a minimum word count, attachments, a response that may stay empty) is a
note on the question's line.
"""

from __future__ import annotations

from typing import Any

from quizzes.domain.itemtypes.essay import MAX_POINTS, MAX_WORD_LIMIT

from .common import new_item, number_text
from .moodle_syntax import QuestionBeingRead, child_text, field_text, plain_text, read_number


def read_essay(q: QuestionBeingRead) -> dict[str, Any] | None:
    data: dict[str, Any] = {}
    limit = _whole(child_text(q.element, "maxwordlimit"))
    if limit is not None and 1 <= limit <= MAX_WORD_LIMIT:
        data["word_limit"] = limit
    elif limit:
        q.warn(f"the word limit {limit:,} is not carried: Quizdeck's is at most {MAX_WORD_LIMIT:,}")
    least = _whole(child_text(q.element, "minwordlimit"))
    if least:
        q.warn(f"the minimum of {least:,} words is not carried")
    template, template_format = field_text(q.element, "responsetemplate")
    if template:
        data["template"] = plain_text(template, template_format)
    grader_info = q.text("graderinfo")
    if grader_info:
        data["grader_info"] = grader_info
    rubric = q.meta.get("rubric")
    if isinstance(rubric, list):
        data["rubric"] = rubric
    else:
        _plain_mark(q, data)
    attachments = child_text(q.element, "attachments")
    if attachments not in ("", "0"):
        q.warn("attached files are not carried: Quizdeck's essays are typed in the page")
    if child_text(q.element, "responseformat") == "noinline":
        q.warn("Moodle took attached files only; in Quizdeck the answer is typed")
    if child_text(q.element, "responserequired") == "0":
        q.warn("Moodle let the answer box stay empty; in Quizdeck an empty answer scores 0")
    return new_item("essay", q.text("questiontext"), data)


def _plain_mark(q: QuestionBeingRead, data: dict[str, Any]) -> None:
    """Moodle's default grade is the mark the essay is marked out of."""
    grade = child_text(q.element, "defaultgrade")
    try:
        points = read_number(grade) if grade else 1.0
    except ValueError:
        points = 1.0
    if 0 < points <= MAX_POINTS and points != 1:
        data["max_points"] = int(points) if points.is_integer() else points
    elif points != 1:
        q.warn(f"the mark out of {number_text(points)} is not carried; it is marked out of 1")
    if q.meta.get("max_points") == 1:
        data["max_points"] = 1


def _whole(text: str) -> int | None:
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 9 else None
