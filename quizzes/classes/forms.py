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

from quizzes.domain.review import (
    TIMING_LABELS,
    ReviewOptions,
    ReviewTiming,
    review_options_problem,
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


def _review_field(label: str) -> SelectField:
    return SelectField(
        label,
        choices=[(timing.value, text) for timing, text in TIMING_LABELS.items()],
        default=ReviewTiming.ANSWERED.value,
    )


class AssignmentSettingsForm(FlaskForm):
    """Dates, limits and review options, on creation and when editing. Times are typed in
    the teacher's own time zone; the view converts them to UTC."""

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
    grade_method = SelectField(
        "Which attempt counts",
        choices=[
            ("best", "The best one"),
            ("last", "The last one"),
            ("first", "The first one"),
            ("average", "The average of all"),
        ],
        default="best",
    )
    draw_count = IntegerField(
        "Questions per student (empty: every question of the set)",
        validators=[
            Optional(),
            NumberRange(1, 50, message="Draw from 1 to 50 questions per student."),
        ],
    )
    feedback_mode = RadioField(
        "Answering",
        choices=[
            ("end", "Answers are checked when the attempt is submitted"),
            ("immediate", "“Check answer” after each question"),
        ],
        default="end",
    )
    review_score = _review_field("Score (right or wrong, and the total)")
    review_answers = _review_field("Right answers")
    review_explanations = _review_field("Explanations and sources")
    review_feedback = _review_field("Feedback written per option")

    def validate_due_at(self, field: DateTimeLocalField) -> None:
        if field.data and self.opens_at.data and field.data <= self.opens_at.data:
            raise ValidationError("The due date must come after the opening time.")

    def review_options(self) -> ReviewOptions:
        return ReviewOptions(
            score=ReviewTiming(self.review_score.data),
            answers=ReviewTiming(self.review_answers.data),
            explanations=ReviewTiming(self.review_explanations.data),
            feedback=ReviewTiming(self.review_feedback.data),
        )

    def validate(self, extra_validators=None) -> bool:
        if not super().validate(extra_validators):
            return False
        problem = review_options_problem(
            self.review_options(),
            has_due_date=self.due_at.data is not None,
            checks_each_answer=self.feedback_mode.data == "immediate",
        )
        if problem:
            self.review_score.errors = [*self.review_score.errors, problem]
            return False
        return True


class AssignmentForm(AssignmentSettingsForm):
    once = OnceField()  # a double click creates one (quizzes/web/once.py)

    set_id = SelectField("Question set", coerce=int, validate_choice=False)
    # Shown only when the set is already assigned to the class (a retake is allowed).
    again = BooleanField("Assign it again, as a second assignment with its own dates")


class ExtensionForm(FlaskForm):
    """One student's later due date and/or extra minutes on the time limit."""

    student_id = SelectField("Student", coerce=int, validate_choice=False)
    due_at = DateTimeLocalField(
        "Later due date for this student (optional)",
        format="%Y-%m-%dT%H:%M",
        validators=[Optional()],
    )
    extra_minutes = IntegerField(
        "Extra minutes on the time limit (optional)",
        validators=[
            Optional(),
            NumberRange(1, 600, message="Extra time is from 1 to 600 minutes."),
        ],
    )

    def validate(self, extra_validators=None) -> bool:
        if not super().validate(extra_validators):
            return False
        if self.extra_minutes.data is None and self.due_at.data is None:
            self.extra_minutes.errors = ["Give a later due date, extra minutes, or both."]
            return False
        return True
