"""Whole numbers read from URLs and forms: ASCII digits only, within what the databases hold.

Python's int() and str.isdigit() take more than a URL should: "²" passes isdigit() and then
fails int(), "١٢" (Arabic-Indic digits) becomes 12, and "99999999999999999999" becomes a
number no database column holds (SQLite and the driver raise OverflowError: a 500). Every
integer the app reads from a request goes through here:

- path parts: `DatabaseIntConverter`, registered as the app's `int` converter, so every
  `<int:...>` route takes 0 to INT_MAX in ASCII digits and anything else is a 404;
- query and form values: `request.args.get("page", 1, type=whole_number)` (Werkzeug gives
  the default when the type raises ValueError), or `whole_number_or_none(text)`.
"""

from __future__ import annotations

import re

from werkzeug.routing import IntegerConverter, ValidationError

# PostgreSQL INTEGER (every id and position column): the narrowest column an id goes into.
INT_MAX = 2**31 - 1
# BIGINT (microsecond review versions, millisecond timestamps, random seeds).
BIGINT_MAX = 2**63 - 1

_ASCII_DIGITS = re.compile(r"[0-9]+")


def whole_number(text: str | None, maximum: int = INT_MAX) -> int:
    """`text` as a number from 0 to `maximum`, or ValueError (also for None, signs, spaces,
    non-ASCII digits and numbers too long to hold)."""
    if text is None or not _ASCII_DIGITS.fullmatch(text) or len(text) > len(str(maximum)):
        raise ValueError(f"not a whole number from 0 to {maximum}")
    value = int(text)
    if value > maximum:
        raise ValueError(f"not a whole number from 0 to {maximum}")
    return value


def whole_number_or_none(text: str | None, maximum: int = INT_MAX) -> int | None:
    try:
        return whole_number(text, maximum)
    except ValueError:
        return None


def big_whole_number(text: str | None) -> int:
    """whole_number up to BIGINT_MAX, for Werkzeug's type= argument."""
    return whole_number(text, BIGINT_MAX)


class DatabaseIntConverter(IntegerConverter):
    """`<int:...>` for this app: ASCII digits, 0 to INT_MAX (min/max/signed still work)."""

    regex = r"[0-9]+"

    def __init__(self, map, fixed_digits=0, min=None, max=INT_MAX, signed=False) -> None:
        super().__init__(map, fixed_digits, min, max, signed)

    def to_python(self, value: str) -> int:
        if len(value.lstrip("-")) > len(str(self.max or BIGINT_MAX)):
            raise ValidationError()  # not even read: a 5,000-digit id is not an id
        return super().to_python(value)
