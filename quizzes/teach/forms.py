"""Forms for sets, classes and imports (the item editor's forms are in item_forms.py)."""

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
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

from quizzes.domain import limits
from quizzes.once import OnceField

TITLE_RULES = [DataRequired(message="Give the set a title."), Length(max=limits.TITLE)]


class SetForm(FlaskForm):
    title = StringField("Title", filters=[lambda s: s.strip() if s else s], validators=TITLE_RULES)
    description = TextAreaField("Description (optional)", validators=[Length(max=5000)])
    once = OnceField()  # a double click creates one (quizzes/once.py)


class ClassForm(FlaskForm):
    name = StringField(
        "Class name",
        filters=[lambda s: s.strip() if s else s],
        validators=[DataRequired(message="Give the class a name."), Length(max=120)],
    )
    once = OnceField()  # a double click creates one (quizzes/once.py)


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class CopyItemsForm(FlaskForm):
    """Bank items (by id) copied into one of the teacher's sets or a new one."""

    items = MultiCheckboxField("Items to copy", coerce=int, validate_choice=False)
    target = SelectField("Copy into", coerce=int, validate_choice=False)
    new_title = StringField(
        "Title of the new set", validators=[Optional(), Length(max=limits.TITLE)]
    )
    once = OnceField()  # a double click creates one (quizzes/once.py)


IMPORT_FORMATS = [
    ("auto", "Tell from the file name"),
    ("gift", "GIFT (Moodle)"),
    ("aiken", "Aiken"),
    ("csv", "CSV (spreadsheet)"),
    ("json", "Quizdeck JSON"),
]


class ImportForm(FlaskForm):
    file = FileField("File to import")
    text = TextAreaField("…or paste the questions here", validators=[Length(max=2_000_000)])
    format = SelectField("Format", choices=IMPORT_FORMATS, default="auto")
    target = SelectField("Import into", coerce=int, validate_choice=False)
    title = StringField(
        "Title of the new set (optional: else the file name)",
        validators=[Optional(), Length(max=limits.TITLE)],
    )


class ConfirmImportForm(FlaskForm):
    token = HiddenField()
    once = OnceField()  # a double click creates one (quizzes/once.py)


class OnceForm(FlaskForm):
    """A POST button that creates something (Duplicate): its CSRF and one-time tokens."""

    once = OnceField()  # a double click creates one (quizzes/once.py)


class AssignmentForm(FlaskForm):
    """Times are typed in the teacher's own time zone; the view converts them to UTC."""

    once = OnceField()  # a double click creates one (quizzes/once.py)

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
