from flask_wtf import FlaskForm
from wtforms import StringField, SubmitField
from wtforms.validators import DataRequired, Length


class JoinClassForm(FlaskForm):
    code = StringField(
        "Join code",
        validators=[DataRequired(message="Type the code your teacher gave you."), Length(max=20)],
        # Phone keyboards: capitals as on the board, and no spelling "fixes" of the code.
        render_kw={"autocapitalize": "characters", "spellcheck": "false"},
    )
    submit = SubmitField("Join class")
