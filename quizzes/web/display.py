"""How times, scores and topics read on the pages: in the reader's time zone, as
percentages, by name."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import Flask
from flask_login import current_user
from unidecode import unidecode

from quizzes.domain.generator.wording import read_content


def local(moment: datetime) -> datetime:
    """The moment in the signed-in user's time zone (UTC for visitors and unknown zones)."""
    zone_name = current_user.timezone if current_user.is_authenticated else "UTC"
    try:
        zone = ZoneInfo(zone_name)
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo("UTC")
    return moment.astimezone(zone)


def format_time(moment: datetime | None) -> str:
    """E.g. "3 Mar 2025, 14:05 UTC"."""
    if moment is None:
        return ""
    when = local(moment)
    return f"{when.day} {when:%b %Y, %H:%M} {when.tzname()}"


def format_clock(moment: datetime) -> str:
    """E.g. "14:05 KST": the hour alone, as the pages write it (the autosave line)."""
    when = local(moment)
    return f"{when:%H:%M} {when.tzname()}"


def format_date(moment: datetime | None) -> str:
    """E.g. "3 Mar 2025", in the user's time zone: a day without its hour."""
    if moment is None:
        return ""
    when = local(moment)
    return f"{when.day} {when:%b %Y}"


def format_day(moment: datetime) -> str:
    """E.g. "3 Mar": an axis caption."""
    when = local(moment)
    return f"{when.day} {when:%b}"


def percent(score: float | None) -> str:
    return "–" if score is None else f"{round(score * 100)}%"


# The bank's topics by name (content: quizzes/bank/content.toml, [topics]); a topic not
# listed reads as its key, capitalised.
TOPIC_TITLES: dict[str, str] = dict(read_content().get("topics", {}))


def topic_title(topic: str) -> str:
    """A topic's name on every page (quiz start, progress, flashcards, the bank)."""
    return TOPIC_TITLES.get(topic, topic.replace("_", " ").capitalize())


def export_filename(title: str, extension: str) -> str:
    """A safe, readable file name from a title: a set's export, a class's gradebook."""
    stem = "".join(c if c.isalnum() else "-" for c in unidecode(title).lower())
    stem = "-".join(part for part in stem.split("-") if part)[:60] or "question-set"
    return f"{stem}.{extension}"


def register(app: Flask) -> None:
    # Named when only the quiz pages used them; every feature's templates do now.
    app.add_template_filter(format_time, "quiz_time")
    app.add_template_filter(format_date, "quiz_date")
    app.add_template_global(percent, "quiz_percent")
    app.add_template_filter(topic_title, "topic_title")
