"""Form pieces more than one feature uses."""

from __future__ import annotations

from functools import cache
from typing import Any
from zoneinfo import available_timezones

from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, SubmitField
from wtforms.validators import Length, Optional, StopValidation, ValidationError


class EmptyForm(FlaskForm):
    """Gives POST-only buttons (log out, delete...) their CSRF token."""

    submit = SubmitField("Submit")


@cache
def time_zone_choices() -> tuple[str, ...]:
    """Every time zone the system's tz database knows, and UTC, in alphabetical order."""
    return tuple(sorted(available_timezones() | {"UTC"}))


class TimeZoneField(SelectField):
    """The time zone, one of `time_zone_choices()`: the same field on the account page and in
    the flashcard study settings, which both change the one stored preference."""

    def __init__(self, label: str = "Time zone", **kwargs: Any) -> None:
        super().__init__(label, choices=time_zone_choices(), **kwargs)

    def pre_validate(self, form: Any) -> None:
        if self.data not in time_zone_choices():
            raise StopValidation("Choose a time zone from the list, such as Europe/London.")


def _no_control_characters(form: FlaskForm, field: StringField) -> None:
    if any(not ch.isprintable() for ch in field.data or ""):
        raise ValidationError(
            "Use letters, spaces and punctuation only (no control or invisible characters)."
        )


# Sign-up and the account page: what teachers and classmates see besides the username.
def display_name_field() -> StringField:
    return StringField(
        "Display name (optional)",
        filters=[lambda value: " ".join(value.split()) if isinstance(value, str) else value],
        validators=[Optional(), Length(max=80), _no_control_characters],
    )
