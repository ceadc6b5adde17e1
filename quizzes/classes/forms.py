"""Forms for classes: joining one (students), creating one and assigning sets (teachers)."""

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    IntegerField,
    RadioField,
    SelectField,
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

from quizzes.web.once import OnceField


class JoinClassForm(FlaskForm):
    code = StringField(
        "Join code",
        validators=[DataRequired(message="Type the code your teacher gave you."), Length(max=20)],
        # Phone keyboards: capitals as on the board, and no spelling "fixes" of the code.
        render_kw={"autocapitalize": "characters", "spellcheck": "false"},
    )
    submit = SubmitField("Join class")


class ClassForm(FlaskForm):
    name = StringField(
        "Class name",
        filters=[lambda s: s.strip() if s else s],
        validators=[DataRequired(message="Give the class a name."), Length(max=120)],
    )
    once = OnceField()  # a double click creates one (quizzes/web/once.py)


class AssignmentForm(FlaskForm):
    """Times are typed in the teacher's own time zone; the view converts them to UTC."""

    once = OnceField()  # a double click creates one (quizzes/web/once.py)

    set_id = SelectField("Question set", coerce=int, validate_choice=False)
    opens_at = DateTimeLocalField(
        "Opens",
        format="%Y-%m-%dT%H:%M",
        validators=[InputRequired(message="Give the date and time it opens.")],
    )
    due_at = DateTimeLocalField("Due (optional)", format="%Y-%m-%dT%H:%M", validators=[Optional()])
    attempt_limit = IntegerField(
        "Attempts allowed (empty: no limit)",
        validators=[Optional(), NumberRange(1, 100, message="Allow from 1 to 100 attempts.")],
    )
    time_limit_minutes = IntegerField(
        "Time limit in minutes (empty: untimed)",
        validators=[
            Optional(),
            NumberRange(1, 600, message="A time limit is from 1 to 600 minutes."),
        ],
    )
    feedback_mode = RadioField(
        "Show right answers",
        choices=[
            ("end", "At the end, on the result page"),
            ("immediate", "After each question (“Check answer”)"),
        ],
        default="end",
    )
    # Shown only when the set is already assigned to the class (a retake is allowed).
    again = BooleanField("Assign it again, as a second assignment with its own dates")

    def validate_due_at(self, field: DateTimeLocalField) -> None:
        if field.data and self.opens_at.data and field.data <= self.opens_at.data:
            raise ValidationError("The due date must come after the opening time.")
