"""What the quiz pages share: the clock, template helpers, the bar around each question."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from flask import Blueprint, current_app, make_response, request

from models import utcnow
from quizzes.quiz import display, timing
from quizzes.quiz.markup import citation, render_markdown
from quizzes.quiz.services import SaveOutcome


def now() -> datetime:
    """The server clock; tests set app.config["QUIZDECK_NOW"] to a callable to move time."""
    clock = current_app.config.get("QUIZDECK_NOW") or utcnow
    return clock()


def register_template_helpers(bp: Blueprint) -> None:
    bp.add_app_template_filter(render_markdown, "quiz_markdown")
    bp.add_app_template_filter(display.format_time, "quiz_time")
    bp.add_app_template_global(citation, "quiz_citation")
    bp.add_app_template_global(display.percent, "quiz_percent")


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


def next_url(
    go: str | None, position: int, total: int, item_url: Callable[[int], str], review_url: str
) -> str:
    """Where the navigation button pressed with this save leads."""
    if go == "next":
        return item_url(position + 1) if position < total else review_url
    if go == "prev":
        return item_url(max(1, position - 1))
    if go == "review":
        return review_url
    if go and go.isdigit() and 1 <= int(go) <= total:
        return item_url(int(go))
    return item_url(position)


def no_store(html: str):
    # Going back after submitting must show the page afresh, not a cached form.
    response = make_response(html)
    response.headers["Cache-Control"] = "no-store"
    return response


def incomplete_message(outcome: SaveOutcome, position: int) -> str:
    if outcome is SaveOutcome.INCOMPLETE:
        return (
            f"Question {position} is not saved yet: put a different item in every "
            "position, then it is saved."
        )
    return ""
