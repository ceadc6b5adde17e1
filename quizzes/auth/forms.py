from flask import current_app
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import BooleanField, HiddenField, PasswordField, RadioField, StringField, SubmitField
from wtforms.validators import DataRequired, EqualTo, Length, Optional, Regexp, ValidationError

from models import Role, User, db
from quizzes.auth.signup import INVITATION, checked_policy, invitation_fits
from quizzes.web.forms import display_name_field, time_zone_choices

USERNAME_RULE = Regexp(
    r"^[A-Za-z0-9_.-]+$", message="Use letters, digits, dots, dashes or underscores only."
)


class RegisterForm(FlaskForm):
    username = StringField(
        "Username", validators=[DataRequired(), Length(min=3, max=40), USERNAME_RULE]
    )
    display_name = display_name_field()
    # Filled in by the browser (static/js/app.js): times show in the person's own zone.
    timezone = HiddenField(validators=[Optional()], render_kw={"data-browser-timezone": ""})
    password = PasswordField("Password", validators=[DataRequired()])
    confirm = PasswordField(
        "Repeat password",
        validators=[DataRequired(), EqualTo("password", message="The passwords do not match.")],
    )
    # Asked for where teachers need one (TEACHER_SIGNUP = "invitation"). Before `role`:
    # validate_role adds its message here, after this field's own validation.
    invitation = StringField("Invitation code", validators=[Optional(), Length(max=200)])
    role = RadioField(
        "I am a",
        choices=[(Role.STUDENT.value, "Student"), (Role.TEACHER.value, "Teacher")],
        default=Role.STUDENT.value,
        validators=[DataRequired()],
    )
    submit = SubmitField("Create account")

    def validate_role(self, field: RadioField) -> None:
        if field.data != Role.TEACHER.value:
            return
        config = current_app.config
        if checked_policy(config["TEACHER_SIGNUP"]) != INVITATION:
            return
        if not invitation_fits(
            config["SECRET_KEY"],
            self.invitation.data or "",
            self.username.data or "",
            config["TEACHER_INVITATION_DAYS"],
        ):
            self.invitation.errors = [
                *self.invitation.errors,
                "A teacher account needs the invitation code an administrator made for this "
                f"username (it works for {config['TEACHER_INVITATION_DAYS']} days). Check the "
                "code and the username, ask for a new code, or sign up as a student.",
            ]
            raise ValidationError("Teacher accounts here need an invitation code.")

    def signed_up_zone(self) -> str:
        """The browser's zone if it is one the account page offers, else UTC."""
        zone = (self.timezone.data or "").strip()
        return zone if zone in time_zone_choices() else "UTC"

    def validate_username(self, field: StringField) -> None:
        taken = db.session.scalar(
            select(User.id).where(db.func.lower(User.username) == field.data.lower())
        )
        if taken:
            raise ValidationError(
                "That username is taken. Please choose another, or log in if it is yours."
            )

    def validate_password(self, field: PasswordField) -> None:
        minimum = current_app.config["PASSWORD_MIN_LENGTH"]
        if len(field.data or "") < minimum:
            raise ValidationError(f"Use at least {minimum} characters.")


class LoginForm(FlaskForm):
    username = StringField("Username", validators=[DataRequired(), Length(max=40)])
    password = PasswordField("Password", validators=[DataRequired()])
    remember = BooleanField("Remember me")
    submit = SubmitField("Log in")


class ResetPasswordForm(FlaskForm):
    """A reset code from a teacher or an administrator, and the new password."""

    username = StringField("Username", validators=[DataRequired(), Length(max=40)])
    code = StringField(
        "Reset code",
        validators=[DataRequired(), Length(max=40)],
    )
    password = PasswordField("New password", validators=[DataRequired()])
    confirm = PasswordField(
        "Repeat the new password",
        validators=[DataRequired(), EqualTo("password", message="The passwords do not match.")],
    )
    submit = SubmitField("Set new password")

    def validate_password(self, field: PasswordField) -> None:
        minimum = current_app.config["PASSWORD_MIN_LENGTH"]
        if len(field.data or "") < minimum:
            raise ValidationError(f"Use at least {minimum} characters.")
