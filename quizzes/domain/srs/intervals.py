"""Intervals as Anki prints them on the answer buttons: "10m", "1.5h", "2d", "3mo", "1.2y"."""

from __future__ import annotations

import math
from datetime import timedelta

_MINUTE = 60.0
_HOUR = 60 * _MINUTE
_DAY = 24 * _HOUR
_MONTH = 365 / 12 * _DAY
_YEAR = 365 * _DAY


def _round_half_up(value: float, places: int) -> float:
    # Anki (Rust) rounds halves away from zero; Python's round() would make 2.5d "2d".
    scale = 10**places
    return math.floor(value * scale + 0.5) / scale


def format_interval(interval: timedelta) -> str:
    """Anki's answer-button label for an interval.

    The unit is picked from the unrounded length (59.6 s is "60s", not "1m"); seconds,
    minutes and days are whole numbers, hours, months and years keep one decimal
    unless it is zero. A month is 1/12 of a 365-day year.
    """
    seconds = interval.total_seconds()
    if seconds < 0:
        raise ValueError(f"an interval cannot be negative, got {interval}")
    units = (
        (_MINUTE, 1.0, "s", 0),
        (_HOUR, _MINUTE, "m", 0),
        (_DAY, _HOUR, "h", 1),
        (_MONTH, _DAY, "d", 0),
        (_YEAR, _MONTH, "mo", 1),
        (math.inf, _YEAR, "y", 1),
    )
    for upper, size, suffix, places in units:
        if seconds < upper:
            amount = _round_half_up(seconds / size, places)
            return f"{amount:.{places}f}".removesuffix(".0") + suffix
    raise AssertionError("unreachable: the last unit has no upper bound")
