"""Forms: starting a quiz. Answer fields differ per item type and are read by the item types;
the item page renders only its CSRF token (csrf_token() in quiz/item.html)."""

from __future__ import annotations

import secrets

from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, RadioField, SelectField, SelectMultipleField
from wtforms.validators import DataRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from models.attempts import FeedbackMode, LatePolicy
from quizzes.integers import whole_number_or_none
from quizzes.quiz.presentation import TYPE_LABELS
from quizzes.quiz.services import DEFAULT_SIZE, MAX_SIZE
from quizzes.web.display import topic_title

MAX_TIME_LIMIT_MINUTES = 240


class CheckboxesField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class StartQuizForm(FlaskForm):
    # "set:<id>" or "topic:<name>"; choices are filled per request.
    source = SelectField("Questions from", validators=[DataRequired()])
    size = IntegerField(
        "Number of questions",
        default=DEFAULT_SIZE,
        validators=[DataRequired(), NumberRange(min=1, max=MAX_SIZE)],
    )
    item_types = CheckboxesField(
        "Question types", choices=list(TYPE_LABELS.items()), validators=[Optional()]
    )
    feedback_mode = RadioField(
        "Show the answers",
        choices=[
            (FeedbackMode.IMMEDIATE.value, "After each question"),
            (FeedbackMode.END.value, "At the end"),
        ],
        default=FeedbackMode.IMMEDIATE.value,
        validators=[DataRequired()],
    )
    time_limit_minutes = IntegerField(
        "Time limit in minutes (optional)",
        validators=[Optional(), NumberRange(min=1, max=MAX_TIME_LIMIT_MINUTES)],
    )
    late_policy = RadioField(
        "When the time is up",
        choices=[
            (LatePolicy.MARK.value, "Let me finish; mark the attempt late"),
            (LatePolicy.CLOSE.value, "Close the quiz and grade what I saved"),
        ],
        default=LatePolicy.MARK.value,
        validators=[DataRequired()],
    )
    # Posting the same form twice (double click, reload) must not start two attempts.
    start_token = HiddenField(
        default=lambda: secrets.token_urlsafe(16), validators=[DataRequired(), Length(16, 64)]
    )

    def set_source_choices(self, sets: list[tuple[int, str]], topics: list[str]) -> None:
        groups: dict[str, list[tuple[str, str]]] = {}
        if sets:
            groups["Question sets"] = [(f"set:{set_id}", title) for set_id, title in sets]
        if topics:
            groups["Topics (across sets)"] = [(f"topic:{t}", topic_title(t)) for t in topics]
        self.source.choices = groups

    def parsed_source(self) -> tuple[int | None, str | None]:
        kind, _, value = (self.source.data or "").partition(":")
        if kind == "set" and (set_id := whole_number_or_none(value)) is not None:
            return set_id, None
        return None, value if kind == "topic" else None
