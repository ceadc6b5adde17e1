"""Forms for marking: a mark with a comment for one answer, and confirming a regrade."""

from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField, SubmitField, TextAreaField
from wtforms.validators import Length

from quizzes.classes.grading import MAX_COMMENT_CHARS


class MarkForm(FlaskForm):
    """Points are read by quizzes.domain.marking.read_points (the item's maximum is known
    only in the view), so "2,5", "abc" or a 400-digit number come back as a message."""

    points = StringField("Mark (points)", render_kw={"inputmode": "decimal", "autocomplete": "off"})
    comment = TextAreaField(
        "Comment for the student",
        validators=[
            Length(
                max=MAX_COMMENT_CHARS,
                message=f"A comment is at most {MAX_COMMENT_CHARS:,} characters.",
            )
        ],
    )
    submit = SubmitField("Save mark")


class RegradeForm(FlaskForm):
    # What the preview showed: confirming applies only that plan, not a newer one.
    plan = HiddenField()
    submit = SubmitField("Regrade these marks")
