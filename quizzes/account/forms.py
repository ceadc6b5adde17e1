from flask import current_app
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField, SubmitField
from wtforms.validators import (
    DataRequired,
    EqualTo,
    Length,
    ValidationError,
)

from quizzes.web.forms import TimeZoneField, display_name_field


class DisplayNameForm(FlaskForm):
    display_name = display_name_field()
    submit = SubmitField("Save display name")


class DeleteAccountForm(FlaskForm):
    """Two proofs that the owner means it: their password, and their username typed out."""

    password = PasswordField(
        "Your password", validators=[DataRequired(message="Type your password.")]
    )
    confirm_username = StringField(
        "Your username, typed out",
        validators=[DataRequired(message="Type your username."), Length(max=40)],
    )
    submit = SubmitField("Delete my account and its data")

    def validate_password(self, field: PasswordField) -> None:
        if not current_user.check_password(field.data or ""):
            raise ValidationError("That is not your password. Nothing was deleted.")

    def validate_confirm_username(self, field: StringField) -> None:
        if (field.data or "").strip() != current_user.username:
            raise ValidationError(
                f"Type your username, {current_user.username}, exactly as shown. "
                "Nothing was deleted."
            )


class ChangePasswordForm(FlaskForm):
    current = PasswordField(
        "Current password", validators=[DataRequired(message="Type your current password.")]
    )
    new = PasswordField("New password", validators=[DataRequired(message="Type a new password.")])
    confirm = PasswordField(
        "Repeat the new password",
        validators=[
            DataRequired(message="Type the new password again."),
            EqualTo("new", message="The new passwords do not match."),
        ],
    )
    submit = SubmitField("Change password")

    def validate_current(self, field: PasswordField) -> None:
        if not current_user.check_password(field.data or ""):
            raise ValidationError("That is not your current password. Nothing was changed.")

    def validate_new(self, field: PasswordField) -> None:
        minimum = current_app.config["PASSWORD_MIN_LENGTH"]
        if len(field.data or "") < minimum:
            raise ValidationError(f"Use at least {minimum} characters.")


class TimeZoneForm(FlaskForm):
    timezone = TimeZoneField("Your time zone")
    submit = SubmitField("Save time zone")
