"""Study days: a learner's day starts at `day_start_hour` local time, not at midnight UTC."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from quizzes.domain.srs.settings import StudySettings


def as_utc(moment: datetime, name: str = "now") -> datetime:
    """The same instant in UTC; refuses naive datetimes (their meaning is a guess)."""
    if moment.tzinfo is None or moment.tzinfo.utcoffset(moment) is None:
        raise ValueError(f"{name} must be a timezone-aware datetime, got naive {moment!r}")
    return moment.astimezone(UTC)


def study_day(now: datetime, settings: StudySettings) -> date:
    """The study day `now` belongs to, in the learner's timezone.

    With day_start_hour=4, 2025-03-04 03:59 local is still study day 2025-03-03.
    """
    local = as_utc(now).astimezone(settings.zone)
    # Wall-clock subtraction on purpose: the boundary is 04:00 on the local clock.
    return (local.replace(tzinfo=None) - timedelta(hours=settings.day_start_hour)).date()


def day_start(day: date, settings: StudySettings) -> datetime:
    """The UTC instant at which study day `day` begins."""
    local = datetime.combine(day, time(hour=settings.day_start_hour), tzinfo=settings.zone)
    return local.astimezone(UTC)


def day_end(day: date, settings: StudySettings) -> datetime:
    """The UTC instant at which study day `day` ends (the next one begins)."""
    return day_start(day + timedelta(days=1), settings)
