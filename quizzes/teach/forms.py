"""Forms for sets, classes and imports.

The item editor's forms are in item_forms/, one module per question type.
"""

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    HiddenField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    Length,
    Optional,
    ValidationError,
)
from wtforms.widgets import CheckboxInput, ListWidget

from quizzes.domain import limits
from quizzes.web.once import OnceField

TITLE_RULES = [DataRequired(message="Give the set a title."), Length(max=limits.TITLE)]


class SetForm(FlaskForm):
    title = StringField("Title", filters=[lambda s: s.strip() if s else s], validators=TITLE_RULES)
    description = TextAreaField("Description (optional)", validators=[Length(max=5000)])
    once = OnceField()  # a double click creates one (quizzes/web/once.py)


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
    once = OnceField()  # a double click creates one (quizzes/web/once.py)


IMPORT_FORMATS = [
    ("auto", "Tell from the file name"),
    ("gift", "GIFT (Moodle)"),
    ("aiken", "Aiken"),
    ("csv", "CSV (spreadsheet)"),
    ("moodle", "Moodle XML"),
    ("json", "Quizdeck JSON"),
    ("quizlet", "Quizlet export (term and definition)"),
]
QUIZLET_ITEMS = [
    ("short", "Short answer: type the term for its definition"),
    ("single", "Single choice: pick the term, other terms as wrong options"),
]
QUIZLET_TERMS = [("auto", "Find it"), ("tab", "Tab"), ("comma", "Comma"), ("custom", "Custom")]
QUIZLET_ROWS = [("auto", "Find it"), ("newline", "New line"), ("semicolon", "Semicolon")]
QUIZLET_ROWS.append(("custom", "Custom"))


class ImportForm(FlaskForm):
    file = FileField("File to import")
    text = TextAreaField("…or paste the questions here", validators=[Length(max=2_000_000)])
    format = SelectField("Format", choices=IMPORT_FORMATS, default="auto")
    target = SelectField("Import into", coerce=int, validate_choice=False)
    title = StringField(
        "Title of the new set (optional: else the file name)",
        validators=[Optional(), Length(max=limits.TITLE)],
    )
    # A Quizlet export's choices, as Quizlet's export dialog names them.
    quizlet_items = RadioField("Each row becomes", choices=QUIZLET_ITEMS, default="short")
    quizlet_terms = SelectField(
        "Between term and definition", choices=QUIZLET_TERMS, default="auto"
    )
    quizlet_terms_custom = StringField(
        "Custom separator between term and definition", validators=[Length(max=10)]
    )
    quizlet_rows = SelectField("Between rows", choices=QUIZLET_ROWS, default="auto")
    quizlet_rows_custom = StringField("Custom separator between rows", validators=[Length(max=10)])

    def validate_quizlet_terms_custom(self, field):
        if self.quizlet_terms.data == "custom" and not field.data:
            raise ValidationError("Type the separator chosen in Quizlet, or pick another.")

    def validate_quizlet_rows_custom(self, field):
        if self.quizlet_rows.data == "custom" and not field.data:
            raise ValidationError("Type the separator chosen in Quizlet, or pick another.")


class ConfirmImportForm(FlaskForm):
    token = HiddenField()
    once = OnceField()  # a double click creates one (quizzes/web/once.py)


class OnceForm(FlaskForm):
    """A POST button that creates something (Duplicate): its CSRF and one-time tokens."""

    once = OnceField()  # a double click creates one (quizzes/web/once.py)
