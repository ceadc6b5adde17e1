"""Essay: the student writes an answer in their own words; a teacher marks it.

The data (docs/ITEMS.md) holds an optional word limit, an optional response template (text
the answer box starts with), notes for the marker, and how it is marked: a rubric (criteria,
each with levels worth points) or a plain mark out of `max_points` (1 when neither is
given). Grading gives no score: a written answer is `pending` until a teacher's mark turns
into the item's credit through `manual_credit` (rubric points chosen / rubric maximum, or
points / max_points). A blank answer needs no marker: it scores nothing, as in every type.

Words are counted as runs of characters between spaces (`word_count`), the same in the
browser's counter (static/js/quiz.js) and here. An answer over the limit is saved as
written, so no work is lost, but the page says at once that it must be shortened
(`save_warning`), and the marker sees a note saying by how much it is over.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from random import Random
from typing import Any

from quizzes.domain import limits
from quizzes.domain.itemtypes import schema
from quizzes.domain.itemtypes.base import (
    CARRIED,
    NO_ANSWER,
    FormatSupport,
    Grade,
    awaiting_marking,
    check_prompt,
    format_number,
    is_number,
    is_text,
    no_card_cloze,
    no_card_front,
    no_choice_list,
    no_flashcards,
    no_key_options,
    not_carried,
    prompt_as_listed,
)

NAME = "essay"
LABEL = "Essay"
HINT = "Students write an answer in their own words; you mark it, with a rubric or out of a mark."
PROMPT_REQUIRED = True
BASE_DIFFICULTY = 0.7
FREE_PARTS = None
# A well-formed question of this type, for tests and documentation.
EXAMPLE: tuple[str, dict] = (
    "Why did the 1953 armistice not end the Korean War? Explain in your own words.",
    {
        "word_limit": 150,
        "rubric": [
            {
                "criterion": "Explains what an armistice is",
                "levels": [{"text": "Missing", "points": 0}, {"text": "Clear", "points": 1}],
            },
            {
                "criterion": "Uses evidence",
                "levels": [
                    {"text": "None", "points": 0},
                    {"text": "Some", "points": 1},
                    {"text": "Well chosen", "points": 2},
                ],
            },
        ],
    },
)
FORMATS: dict[str, FormatSupport] = {
    "gift": CARRIED,  # {} is GIFT's essay; its settings go in the quizdeck comment
    "aiken": not_carried("Aiken holds single-choice questions only, not essays"),
    "csv": not_carried("The CSV format has no columns for an essay's word limit or rubric"),
    "json": CARRIED,
    "apkg": not_carried("An essay has no answer to put on the back of an Anki card"),
    "moodle": CARRIED,
    "qti": CARRIED,
    "cc": CARRIED,
}
card_cloze = no_card_cloze  # an exported card is a Basic note (card_front)
listed_prompt = prompt_as_listed
card_front = no_card_front
choice_list = no_choice_list
key_options = no_key_options
flashcards = no_flashcards

# The longest word limit a teacher may set, and the most characters an answer may have
# whatever its limit: about 20 characters a word, so the work on a save stays bounded.
MAX_WORD_LIMIT = 3000
MAX_ANSWER_CHARS = 20 * MAX_WORD_LIMIT
MAX_POINTS = 1000  # for a plain mark, a rubric level, and a rubric's total
MAX_CRITERIA = 12
MAX_LEVELS = 6
UNFINISHED_HINT = (
    f"it is longer than any answer can be ({MAX_ANSWER_CHARS:,} characters). Shorten it, then save."
)
PENDING_NOTE = "Awaiting your teacher's mark."
KEY_LABEL = "How it is marked"  # feedback shows describe_key under this, not "Right answer"
_WORD = re.compile(r"\S+")


def word_count(text: str) -> int:
    """Words as runs of non-space characters: "well-chosen" is one, "ok ." two."""
    return sum(1 for _ in _WORD.finditer(text))


def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _points(value: Any) -> bool:
    return is_number(value) and 0 <= value <= MAX_POINTS


# -- the data ----------------------------------------------------------------------------


def check_data(data: dict) -> list[str]:
    optional = {"word_limit", "template", "rubric", "max_points", "grader_info"}
    problems = schema.keys(data, "data", set(), optional)
    if "word_limit" in data and not (
        _whole(data["word_limit"]) and 1 <= data["word_limit"] <= MAX_WORD_LIMIT
    ):
        problems.append(f"'word_limit' must be a whole number from 1 to {MAX_WORD_LIMIT}")
    for name in ("template", "grader_info"):
        if name in data and not isinstance(data[name], str):
            problems.append(f"'{name}' must be text")
    if "max_points" in data and not (_points(data["max_points"]) and data["max_points"] > 0):
        problems.append(f"'max_points' must be a number above 0 and at most {MAX_POINTS}")
    rubric = data.get("rubric")
    if "rubric" not in data:
        return problems
    if not isinstance(rubric, list) or not all(isinstance(c, dict) for c in rubric):
        return [*problems, "'rubric' must be a list of criteria"]
    for n, criterion in enumerate(rubric, 1):
        problems.extend(schema.keys(criterion, f"criterion {n}", {"criterion", "levels"}, set()))
        levels = criterion.get("levels")
        if not isinstance(levels, list) or not all(isinstance(v, dict) for v in levels):
            problems.append(f"criterion {n}: 'levels' must be a list of levels")
            continue
        for m, level in enumerate(levels, 1):
            problems.extend(
                schema.keys(level, f"criterion {n} level {m}", {"text", "points"}, set())
            )
            if not _points(level.get("points")):
                problems.append(
                    f"criterion {n} level {m}: 'points' must be a number from 0 to {MAX_POINTS}"
                )
    return problems


def validate(prompt: str, data: Any) -> list[str]:
    problems = check_prompt(prompt)
    if not isinstance(data, Mapping):
        return [*problems, "An essay item's data must be a dict"]
    limit = data.get("word_limit")
    if limit is not None and not (_whole(limit) and 1 <= limit <= MAX_WORD_LIMIT):
        problems.append(f"The word limit must be a whole number from 1 to {MAX_WORD_LIMIT}")
    template = data.get("template", "")
    if not isinstance(template, str) or len(template) > limits.ITEM_TEXT:
        problems.append(
            f"The response template must be text of at most {limits.ITEM_TEXT} characters"
        )
    elif _whole(limit) and word_count(template) > limit:
        problems.append("The response template is longer than the word limit")
    if not isinstance(data.get("grader_info", ""), str):
        problems.append("The notes for markers must be text")
    rubric = data.get("rubric")
    if rubric is not None and "max_points" in data:
        problems.append("Mark with a rubric or out of a plain mark (max points), not both")
    if rubric is not None:
        problems.extend(_rubric_problems(rubric))
    elif "max_points" in data and not (_points(data["max_points"]) and data["max_points"] > 0):
        problems.append(f"The max points must be a number above 0 and at most {MAX_POINTS}")
    return problems


def _rubric_problems(rubric: Any) -> list[str]:
    if not isinstance(rubric, list) or not rubric:
        return ["A rubric needs at least one criterion"]
    if len(rubric) > MAX_CRITERIA:
        return [f"A rubric has at most {MAX_CRITERIA} criteria"]
    problems: list[str] = []
    names = []
    for n, criterion in enumerate(rubric, 1):
        if not isinstance(criterion, Mapping) or not is_text(criterion.get("criterion")):
            problems.append(f"Rubric criterion {n} needs a name")
            continue
        names.append(criterion["criterion"])
        levels = criterion.get("levels")
        where = f"Rubric criterion '{criterion['criterion']}'"
        if not isinstance(levels, list) or not 2 <= len(levels) <= MAX_LEVELS:
            problems.append(f"{where} needs from 2 to {MAX_LEVELS} levels")
            continue
        if not all(isinstance(v, Mapping) and is_text(v.get("text")) for v in levels):
            problems.append(f"{where}: every level needs a description")
        points = [v.get("points") if isinstance(v, Mapping) else None for v in levels]
        if not all(_points(p) for p in points):
            problems.append(f"{where}: each level's points must be a number from 0 to {MAX_POINTS}")
        elif len(set(points)) != len(points):
            problems.append(f"{where}: two levels give the same points")
    folded = [" ".join(name.casefold().split()) for name in names]
    for name in sorted({n for n in folded if folded.count(n) > 1}):
        problems.append(f"The rubric criterion '{name}' is listed twice")
    if not problems and not 0 < rubric_maximum(rubric) <= MAX_POINTS:
        problems.append(f"A rubric's top levels must add up to more than 0, at most {MAX_POINTS}")
    return problems


def rubric_maximum(rubric: Sequence[Mapping[str, Any]]) -> float:
    """The points of the top level of every criterion, added up."""
    return math.fsum(max(level["points"] for level in c["levels"]) for c in rubric)


# -- taking it ---------------------------------------------------------------------------


def present(data: dict, rng: Random) -> tuple[dict, dict]:
    """The student sees the limit and the template; the marking scheme stays in the key.
    The notes for markers stay on the item, out of the attempt's snapshot: a student sees
    a graded item's key in their data export, and those notes are never theirs to read."""
    view = {"word_limit": data.get("word_limit"), "template": data.get("template", "")}
    key: dict[str, Any] = {}
    if data.get("rubric"):
        key["rubric"] = [
            {
                "criterion": c["criterion"],
                "levels": [{"text": v["text"], "points": float(v["points"])} for v in c["levels"]],
            }
            for c in data["rubric"]
        ]
        key["max_points"] = rubric_maximum(key["rubric"])
    else:
        key["max_points"] = float(data.get("max_points", 1))
    return view, key


def answer_text(form: Any) -> str | None:
    """The text sent in the answer box, line ends as \\n, trailing space gone; not cut
    (base.form_values cuts at a short answer's length), None when nothing was sent."""
    values = form.get("answer") if isinstance(form, Mapping) else None
    if isinstance(values, list | tuple):
        values = next((v for v in values if isinstance(v, str)), None)
    if not isinstance(values, str):
        return None
    return values.replace("\r\n", "\n").replace("\r", "\n").rstrip()


def parse_response(view: dict, form: Any) -> str | None:
    """The answer as written; None when blank or the template left as it was, or when it
    is over MAX_ANSWER_CHARS (then it is not saved, and UNFINISHED_HINT says why)."""
    text = answer_text(form)
    if text is None or not text.strip() or text.strip() == view.get("template", "").strip():
        return None
    if len(text) > MAX_ANSWER_CHARS:
        return None
    return text


def left_blank(view: dict, form: Any) -> bool:
    """The box holds the template as it was (or nothing): the answer is cleared, not refused."""
    text = answer_text(form)
    return text is not None and text.strip() == view.get("template", "").strip()


def over_limit(view: dict, response: Any) -> int | None:
    """How many words a saved answer has when that is over the word limit, else None."""
    limit = view.get("word_limit")
    if not isinstance(response, str) or not _whole(limit):
        return None
    words = word_count(response)
    return words if words > limit else None


def save_warning(view: dict, response: Any) -> str | None:
    """What the student must hear when this answer is saved: that it is over the limit."""
    words = over_limit(view, response)
    if words is None:
        return None
    return (
        f"it has {words} words and the limit is {view['word_limit']}. Shorten it before you "
        "submit: your teacher sees that it is over the limit."
    )


# -- marking -----------------------------------------------------------------------------


def grade(view: dict, key: dict, response: Any) -> Grade:
    """No score: a written answer waits for a teacher (manual_credit gives the score)."""
    if not isinstance(response, str) or not response.strip():
        return NO_ANSWER
    words = over_limit(view, response)
    if words is not None:
        over = f"Over the word limit: {words} words of at most {view['word_limit']}."
        return awaiting_marking(PENDING_NOTE, over)
    return awaiting_marking(PENDING_NOTE)


def needs_marking(snapshot: Mapping[str, Any], response: Any) -> bool:
    """Whether an answer to this item waits for a teacher: an essay with something written."""
    return snapshot.get("type") == NAME and isinstance(response, str) and bool(response.strip())


def manual_credit(
    key: Mapping[str, Any], *, points: float | None = None, levels: Sequence[int] | None = None
) -> float:
    """A teacher's mark as the item's credit (0..1): with a rubric, one level index per
    criterion (their points added, over the rubric's maximum); without, points out of
    max_points. ValueError, in words for the marker, for a mark that does not fit."""
    rubric = key.get("rubric")
    maximum = float(key["max_points"])
    if rubric:
        if levels is None or len(levels) != len(rubric):
            raise ValueError(f"Choose one level for each of the {len(rubric)} criteria.")
        total = 0.0
        for criterion, chosen in zip(rubric, levels, strict=True):
            if not _whole(chosen) or not 0 <= chosen < len(criterion["levels"]):
                raise ValueError(f"Choose a level of '{criterion['criterion']}'.")
            total += criterion["levels"][chosen]["points"]
        return min(1.0, total / maximum)
    if points is None or not is_number(points) or not 0 <= points <= maximum:
        raise ValueError(f"Give a mark from 0 to {format_number(maximum)}.")
    return points / maximum


def marked_grade(credit: float, comment: str = "") -> Grade:
    """The grade a teacher's mark stands for, to store in place of the pending one."""
    return Grade.of(credit, notes=(comment,) if comment.strip() else ())


def describe_key(view: dict, key: dict) -> str:
    """How it is marked (students see this once it may be shown): no single right answer."""
    maximum = format_number(key["max_points"])
    rubric = key.get("rubric")
    if not rubric:
        return f"Marked by your teacher, out of {maximum}"
    criteria = "; ".join(
        f"{c['criterion']} (up to {format_number(max(v['points'] for v in c['levels']))})"
        for c in rubric
    )
    return f"Marked by your teacher with a rubric, out of {maximum}: {criteria}"


def describe_response(view: dict, response: Any) -> str:
    return response if isinstance(response, str) and response.strip() else "No answer"


def counted_answer(view: dict, response: Any) -> tuple[str, ...]:
    """Item analysis counts whether an essay was written, not its words."""
    return ("Written answer",) if isinstance(response, str) and response.strip() else ()
