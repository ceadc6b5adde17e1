"""Form pieces more than one feature uses."""

from __future__ import annotations

from functools import cache
from typing import Any
from zoneinfo import available_timezones

from flask_wtf import FlaskForm
from wtforms import SelectField, SubmitField
from wtforms.validators import StopValidation


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
