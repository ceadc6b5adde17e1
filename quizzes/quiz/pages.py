"""What the quiz pages share: template helpers, the bar around each question."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime

from flask import Blueprint, make_response, request, session

from quizzes.domain.itemtypes import REGISTRY
from quizzes.integers import whole_number_or_none
from quizzes.quiz import timing
from quizzes.quiz.answers import CONTROL_FIELDS, SaveOutcome
from quizzes.quiz.presentation import TYPE_LABELS, lateness, removal_note


def register_template_helpers(bp: Blueprint) -> None:
    # Times, dates, scores and Markdown on every page: quizzes/web (display, rendering).
    # One name per question type on every page (quiz, editor, bank, analysis).
    bp.add_app_template_global(TYPE_LABELS, "item_type_labels")
    bp.add_app_template_global(lateness, "lateness")
    bp.add_app_template_global(removal_note, "removal_note")
    bp.add_app_template_global(JUMP_MARKS, "jump_marks")


# The question list's marks: a shape and words for each state, so that a wrong answer
# never looks like a right one and colour is never the only cue (issue 19).
JUMP_MARKS = {
    "empty": ("·", "not answered"),
    "answered": ("●", "answered"),
    "number": ("!", "answered, not a number"),
    "right": ("✓", "right"),
    "partly": ("◐", "partly right"),
    "wrong": ("✗", "wrong"),
}


@dataclass(frozen=True)
class QuizPage:
    """What the item and review pages show around the items themselves."""

    title: str
    total: int
    answered: frozenset[int]
    immediate: bool
    action_url: str  # where this page's answer form posts
    review_url: str
    sample: bool = False
    seconds_left: int | None = None
    deadline: datetime | None = None
    closes_at_deadline: bool = False
    resume_url: str = ""
    submit_url: str = ""  # where the page sends the quiz when its time is up
    marks: Mapping[int, str] | None = None  # position -> a JUMP_MARKS key; None: answered only
    # quiz_nav.js moves between an attempt's questions in the page and fetches this one
    # ahead; "" where the server decides what comes next (see docs/ARCHITECTURE.md).
    next_item_url: str = ""
    in_page: bool = False

    def mark(self, position: int) -> str:
        if self.marks is not None:
            return self.marks.get(position, "empty")
        return "answered" if position in self.answered else "empty"

    @property
    def answered_count(self) -> int:
        return len(self.answered)

    @property
    def countdown(self) -> str:
        return timing.format_duration(self.seconds_left or 0)


def wants_json() -> bool:
    """quiz.js autosaves with fetch and reads a JSON answer instead of a redirect."""
    return request.headers.get("X-Requested-With") == "fetch"


def answer_fields() -> dict[str, list[str]]:
    return request.form.to_dict(flat=False)


# An unfinished answer (an order with a gap or a repeat) is not saved; it waits here, in the
# session, for the next showing of its item, so that what was chosen is not lost.
UNFINISHED_KEY = "quiz_unfinished"
_UNFINISHED_FIELDS, _UNFINISHED_VALUES, _UNFINISHED_CHARS = 20, 20, 200  # the cookie is small


def keep_unfinished(where: str, position: int, form: dict[str, list[str]]) -> None:
    """Remember the answer fields as sent, capped, for item `position` of `where`."""
    fields = [(name, values) for name, values in form.items() if name not in CONTROL_FIELDS]
    session[UNFINISHED_KEY] = {
        "where": where,
        "position": position,
        "form": {
            name[:_UNFINISHED_CHARS]: [value[:_UNFINISHED_CHARS] for value in values][
                :_UNFINISHED_VALUES
            ]
            for name, values in fields[:_UNFINISHED_FIELDS]
        },
    }


def keep_or_forget_unfinished(
    where: str, position: int, outcome: SaveOutcome, form: dict[str, list[str]]
) -> None:
    """After a save: an unfinished answer posted with the whole page is kept to be shown
    again (autosave leaves it on screen); any other save of the item replaces it."""
    if outcome is not SaveOutcome.INCOMPLETE:
        forget_unfinished(where, position)
    elif not wants_json():
        keep_unfinished(where, position, form)


def forget_unfinished(where: str, position: int) -> None:
    """A later save of the item replaces what was kept for it."""
    kept = session.get(UNFINISHED_KEY)
    if isinstance(kept, dict) and (kept.get("where"), kept.get("position")) == (where, position):
        session.pop(UNFINISHED_KEY)


def take_unfinished(where: str, position: int) -> dict[str, list[str]] | None:
    """The fields kept for this item, once; None when none wait for it."""
    kept = session.get(UNFINISHED_KEY)
    if not isinstance(kept, dict) or (kept.get("where"), kept.get("position")) != (
        where,
        position,
    ):
        return None
    session.pop(UNFINISHED_KEY)
    form = kept.get("form")
    return form if isinstance(form, dict) else None


def target_position(go: str | None, position: int, total: int) -> int | None:
    """The item the navigation button pressed with a save leads to; None: the review page."""
    if go == "next":
        return position + 1 if position < total else None
    if go == "prev":
        return max(1, position - 1)
    if go == "review":
        return None
    if (number := whole_number_or_none(go)) is not None and 1 <= number <= total:
        return number
    return position


def next_url(
    go: str | None, position: int, total: int, item_url: Callable[[int], str], review_url: str
) -> str:
    """Where the navigation button pressed with this save leads."""
    target = target_position(go, position, total)
    return review_url if target is None else item_url(target)


def wants_part_ahead() -> bool:
    """quiz_nav.js fetches an item's page to swap it in, maybe ahead of the move: such a
    fetch is no visit (the save that moves there records it) and leaves the kept unfinished
    answer for the page that shows it."""
    return request.headers.get("X-Quiz-Ahead") == "1"


def no_store(html: str):
    # Going back after submitting must show the page afresh, not a cached form.
    response = make_response(html)
    response.headers["Cache-Control"] = "no-store"
    return response


def incomplete_message(outcome: SaveOutcome, position: int, item_type: str) -> str:
    """Why an answer was not saved. A type whose answer can be half given (an order with a
    gap) says how to finish it (UNFINISHED_HINT); for any other type the form sent a value
    no option has (an edited page)."""
    if outcome is not SaveOutcome.INCOMPLETE:
        return ""
    hint = getattr(REGISTRY.get(item_type), "UNFINISHED_HINT", None)
    if hint:
        return f"Question {position} is not saved yet: {hint}"
    return (
        f"Question {position} is not saved: the answer sent could not be read. Choose or "
        "type it again, then save."
    )
