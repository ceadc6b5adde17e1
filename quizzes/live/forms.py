"""The forms of live sessions: starting one, joining one, renaming a player."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)
from wtforms.widgets import CheckboxInput, ListWidget

from quizzes.domain.live import choice, nicknames, rounds
from quizzes.web.once import OnceField


class PlainIntegerField(IntegerField):
    """An integer typed in ASCII digits: int() would also take "٣٠" (Arabic-Indic), which
    nobody types on purpose, and a 5,000-digit number costs time to parse."""

    def process_formdata(self, valuelist: list[str]) -> None:
        if valuelist:
            text = valuelist[0].strip()
            if not (text.isascii() and len(text) <= 9):
                self.data = None
                raise ValueError(self.gettext("Type a whole number, such as 20."))
        super().process_formdata(valuelist)


class CheckboxList(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class NewSessionForm(FlaskForm):
    once = OnceField()
    set_id = SelectField("Question set", coerce=int, validators=[InputRequired()])
    class_id = SelectField(
        "Class (optional)",
        coerce=int,
        description="Its students' memory picks the drawn questions; it holds the gradebook entry.",
    )
    mode = RadioField(
        "Questions",
        choices=[("draw", "Draw a number of them"), ("choose", "The ones I tick below")],
        default="draw",
    )
    count = PlainIntegerField(
        "How many to draw",
        default=10,
        validators=[Optional(), NumberRange(1, choice.MAX_QUESTIONS)],
        description="Weakest topics of the class first.",
    )
    item_ids = CheckboxList("Questions to ask", coerce=int, validate_choice=True)
    seconds = PlainIntegerField(
        "Seconds per question",
        default=20,
        validators=[
            InputRequired(message="Give the seconds per question."),
            NumberRange(rounds.MIN_SECONDS, rounds.MAX_SECONDS),
        ],
    )
    leaderboard = BooleanField(
        "Show a leaderboard (ranked by right answers; time only breaks ties)"
    )
    keep = BooleanField("Keep the round in the class gradebook")
    submit = SubmitField("Open the session")

    def validate_item_ids(self, field: CheckboxList) -> None:
        if self.mode.data == "choose" and not field.data:
            raise ValidationError("Tick at least one question, or choose to draw them.")

    def validate_count(self, field: IntegerField) -> None:
        if self.mode.data == "draw" and not field.data:
            raise ValidationError("Give how many questions to draw.")

    def validate_keep(self, field: BooleanField) -> None:
        if field.data and not self.class_id.data:
            raise ValidationError("Choose a class to keep the round in its gradebook.")


class JoinForm(FlaskForm):
    pin = StringField(
        "Game PIN",
        validators=[DataRequired(message="Type the PIN on the screen."), Length(max=20)],
        render_kw={"inputmode": "numeric", "autocomplete": "off"},
    )
    nickname = StringField(
        "Nickname",
        validators=[Length(max=60)],
        render_kw={"autocomplete": "nickname", "maxlength": nicknames.MAX_LENGTH},
    )
    submit = SubmitField("Join")


class RenameForm(FlaskForm):
    nickname = StringField(
        "New name",
        validators=[DataRequired(), Length(max=60)],
        render_kw={"maxlength": nicknames.MAX_LENGTH},
    )
    submit = SubmitField("Rename")
