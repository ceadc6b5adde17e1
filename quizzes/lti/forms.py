"""The admin's platform registration form."""

from __future__ import annotations

from flask import current_app
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, EqualTo, Length, Optional, ValidationError

from quizzes.domain.lti import origin_of

MAX_DEPLOYMENTS = 50


def _https_url(form, field) -> None:
    value = (field.data or "").strip()
    if origin_of(value) is None:
        raise ValidationError("Give a full web address starting with https://.")
    field.data = value


def lines(text: str | None) -> list[str]:
    return [line.strip() for line in (text or "").replace(",", "\n").splitlines() if line.strip()]


class PlatformForm(FlaskForm):
    name = StringField("Name (for you)", validators=[DataRequired(), Length(max=120)])
    issuer = StringField(
        "Platform ID / issuer", validators=[DataRequired(), Length(max=255), _https_url]
    )
    client_id = StringField("Client ID", validators=[DataRequired(), Length(max=255)])
    deployment_ids = TextAreaField("Deployment IDs (one a line)", validators=[Length(max=5000)])
    auth_login_url = StringField(
        "Authentication request URL", validators=[DataRequired(), Length(max=500), _https_url]
    )
    auth_token_url = StringField(
        "Access token URL", validators=[DataRequired(), Length(max=500), _https_url]
    )
    key_set_url = StringField(
        "Public keyset URL (JWKS)", validators=[DataRequired(), Length(max=500), _https_url]
    )
    frame_origins = TextAreaField(
        "Web addresses the LMS is used at, if not the issuer's (one a line)",
        validators=[Optional(), Length(max=1000)],
    )
    submit = SubmitField("Register platform")

    def validate_deployment_ids(self, field) -> None:
        ids = lines(field.data)
        if not ids:
            raise ValidationError("Give at least one deployment ID.")
        if len(ids) > MAX_DEPLOYMENTS or any(len(one) > 255 for one in ids):
            raise ValidationError(
                f"Give at most {MAX_DEPLOYMENTS} deployment IDs of up to 255 characters."
            )

    def validate_frame_origins(self, field) -> None:
        for line in lines(field.data):
            if origin_of(line) is None:
                raise ValidationError(f"“{line[:80]}” is not a web address (https://…).")


class SetPasswordForm(FlaskForm):
    """A first password for an account an LMS launch made (it has none to confirm)."""

    new = PasswordField("New password", validators=[DataRequired(message="Type a password.")])
    confirm = PasswordField(
        "Repeat the password",
        validators=[
            DataRequired(message="Type the password again."),
            EqualTo("new", message="The passwords do not match."),
        ],
    )
    submit = SubmitField("Set password")

    def validate_new(self, field) -> None:
        minimum = current_app.config["PASSWORD_MIN_LENGTH"]
        if len(field.data or "") < minimum:
            raise ValidationError(f"Use at least {minimum} characters.")
