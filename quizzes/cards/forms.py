"""Forms for decks, cards, studying and the study settings."""

from __future__ import annotations

import re
from datetime import timedelta

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    FloatField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
    ValidationError,
)

from quizzes.domain import limits
from quizzes.domain.flashcards import validate_personal
from quizzes.domain.srs.settings import MAX_DESIRED_RETENTION, MIN_DESIRED_RETENTION
from quizzes.web.display import topic_title
from quizzes.web.forms import TimeZoneField
from quizzes.web.once import OnceField


class DeckForm(FlaskForm):
    title = StringField("Title", validators=[DataRequired(), Length(max=limits.TITLE)])
    description = TextAreaField("Description (optional)", validators=[Length(max=2000)])
    once = OnceField()  # a double click creates one (quizzes/web/once.py)
    submit = SubmitField("Save deck")


class CardForm(FlaskForm):
    kind = RadioField(
        "Kind of card",
        choices=[("basic", "Front and back"), ("cloze", "Sentence with a blank (cloze)")],
        default="basic",
    )
    front = TextAreaField("Front", validators=[Length(max=limits.CARD_SIDE)])
    back = TextAreaField("Back", validators=[Length(max=limits.CARD_SIDE)])
    source = StringField("Source (optional)", validators=[Length(max=limits.CARD_SOURCE)])
    tags = StringField("Tags (optional, separated by commas)", validators=[Length(max=500)])
    reversed = BooleanField("Also make a reversed card (back to front)")
    once = OnceField()  # a double click creates one (quizzes/web/once.py)
    submit = SubmitField("Save card")

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        problems = validate_personal(
            self.kind.data or "basic", self.front.data or "", self.back.data or ""
        )
        for problem in problems:
            target = self.back if problem.startswith("The back") else self.front
            target.errors = [*target.errors, problem]
        return ok and not problems


class CardImportForm(FlaskForm):
    file = FileField("Anki package or text file")


class ConfirmCardImportForm(FlaskForm):
    token = HiddenField()
    once = OnceField()  # a double click imports once (quizzes/web/once.py)


class DiscardCardImportForm(FlaskForm):
    token = HiddenField()  # the preview's: the files it stored, to delete


class DecimalCommaFloatField(FloatField):
    """A number that may be written with a decimal comma ("0,85", as much of Europe
    writes it): read as 0.85, instead of two errors at once."""

    def process_formdata(self, valuelist: list[str]) -> None:
        if valuelist:
            valuelist = [valuelist[0].strip().replace(",", ".", 1)]
        super().process_formdata(valuelist)


class RateForm(FlaskForm):
    class Meta:
        # CSRFProtect has checked the token of every POST before the view runs (tested for
        # every route in test_authorization.py); checking it again here, and making a new
        # token for a form never rendered, cost about a twentieth of each rating.
        csrf = False

    card = HiddenField(validators=[DataRequired(), Length(max=400)])
    rating = IntegerField(validators=[InputRequired(), NumberRange(min=1, max=4)])
    shown_at = HiddenField()  # when the card was shown (ms since epoch): review duration
    # The card's memory when shown (services.card_version): a second press of the same
    # form finds it changed and is not counted again.
    seen = HiddenField(validators=[Optional(), Regexp(r"^\d{1,20}$")])


_STEP = re.compile(r"^([0-9]+(?:\.[0-9]+)?)\s*([smh]?)$")
_UNIT_SECONDS = {"s": 1, "m": 60, "": 60, "h": 3600}
TOO_LONG_STEP = "Each step must be shorter than a day."
# A day has 86,400 seconds: a longer number never is (and a huge one overflows timedelta).
_MAX_STEP_CHARS = 10


def parse_steps(text: str) -> list[timedelta]:
    """ "1m 10m" -> [1 minute, 10 minutes]; a bare number is minutes. Raises ValueError
    with a message for people, also for a step of no time or of more digits than a day
    has seconds (a huge number would overflow timedelta)."""
    steps = []
    for part in text.replace(",", " ").split():
        match = _STEP.match(part.strip().lower())
        if not match:
            raise ValueError(f"“{part[:40]}” is not a duration such as 10m, 30s or 1h.")
        if len(match.group(1)) > _MAX_STEP_CHARS:
            raise ValueError(TOO_LONG_STEP)
        step = timedelta(seconds=float(match.group(1)) * _UNIT_SECONDS[match.group(2)])
        if step <= timedelta(0):
            raise ValueError(f"“{part}” is no time at all: each step must be longer than zero.")
        steps.append(step)
    return steps


def format_steps(steps) -> str:
    parts = []
    for step in steps:
        seconds = step.total_seconds()
        if seconds % 3600 == 0:
            parts.append(f"{int(seconds // 3600)}h")
        elif seconds % 60 == 0:
            parts.append(f"{int(seconds // 60)}m")
        else:
            parts.append(f"{int(seconds)}s")
    return " ".join(parts)


class StepsField(StringField):
    def pre_validate(self, form) -> None:
        try:
            steps = parse_steps(self.data or "")
        except ValueError as exc:
            raise ValidationError(str(exc)) from exc
        if any(step >= timedelta(days=1) for step in steps):
            raise ValidationError(TOO_LONG_STEP)


class SettingsForm(FlaskForm):
    desired_retention = DecimalCommaFloatField(
        "Desired retention",
        validators=[
            InputRequired(),
            NumberRange(
                min=MIN_DESIRED_RETENTION,
                max=MAX_DESIRED_RETENTION,
                message=f"Choose between {MIN_DESIRED_RETENTION:.2f} and "
                f"{MAX_DESIRED_RETENTION:.2f} (0.90 means 90%%).",
            ),
        ],
    )
    new_per_day = IntegerField(
        "New cards per day", validators=[InputRequired(), NumberRange(min=0, max=9999)]
    )
    reviews_per_day = IntegerField(
        "Reviews per day", validators=[InputRequired(), NumberRange(min=1, max=99999)]
    )
    learning_steps = StepsField("Learning steps", validators=[DataRequired()])
    relearning_steps = StepsField("Relearning steps", validators=[DataRequired()])
    timezone = TimeZoneField()  # the same choices and checks as on the account page
    day_start_hour = IntegerField(
        "A new study day starts at (hour, 0-23)",
        validators=[InputRequired(), NumberRange(min=0, max=23)],
    )
    exam_date = DateField("Exam date (optional)", validators=[Optional()])
    exam_topic = SelectField("Exam topic", validators=[Optional()])
    submit = SubmitField("Save settings")

    def __init__(self, *args, topics: list[str] = (), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.exam_topic.choices = [("", "No exam")] + [(t, topic_title(t)) for t in topics]

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if bool(self.exam_topic.data) != bool(self.exam_date.data):
            self.exam_topic.errors = [
                *self.exam_topic.errors,
                "Give both an exam date and a topic, or neither.",
            ]
            return False
        return ok
