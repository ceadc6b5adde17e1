"""Running totals of each student's graded answers, kept as answers are graded, so the
progress page reads a few rows per topic and item instead of every answer ever given."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from models import UTCDateTime, db


class ItemProgress(db.Model):
    """One student and one item (by key): how often answered and missed, and the item as
    it was last answered (the wording the "most missed" list shows)."""

    __tablename__ = "item_progress"
    # The most-missed list reads the highest `missed` counts of one student.
    __table_args__ = (Index("ix_item_progress_user_missed", "user_id", "missed"),)

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    item_key: Mapped[str] = mapped_column(String(255), primary_key=True)
    answered: Mapped[int] = mapped_column(Integer, default=0)
    missed: Mapped[int] = mapped_column(Integer, default=0)
    prompt: Mapped[str] = mapped_column(Text, default="")
    right_answer: Mapped[str] = mapped_column(Text, default="")
    last_attempt_id: Mapped[int] = mapped_column(Integer)
    last_graded_at: Mapped[datetime] = mapped_column(UTCDateTime)


class TopicProgress(db.Model):
    """One student and one topic: answers, right answers, and the latest scores."""

    __tablename__ = "topic_progress"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    topic: Mapped[str] = mapped_column(String(80), primary_key=True)
    answers: Mapped[int] = mapped_column(Integer, default=0)
    right: Mapped[int] = mapped_column(Integer, default=0)
    # The latest quizzes.progress.stats.RECENT_ANSWERS scores (0..1), oldest first.
    recent: Mapped[list[float]] = mapped_column(JSON, default=list)
