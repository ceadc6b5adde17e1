from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import StringField, SubmitField
from wtforms.validators import DataRequired, Length

from quizzes.domain import limits


class FactFileForm(FlaskForm):
    title = StringField("Set title", validators=[DataRequired(), Length(max=limits.TITLE)])
    facts = FileField(
        "Fact file (.toml)",
        validators=[
            FileRequired("Choose a fact file."),
            FileAllowed(["toml"], "Fact files are TOML files ending in .toml."),
        ],
    )
    submit = SubmitField("Generate a draft set")
