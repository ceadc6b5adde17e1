"""Marks a teacher gives by hand, and every change to an answer's mark after it was graded
(a manual mark, a regrade after an edit): who, when, the old and the new score, and why."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Enum, Float, ForeignKey, Index, Integer, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models import UTCDateTime, db


class MarkReason(enum.StrEnum):
    MANUAL = "manual"  # a teacher set the mark (an override, or marking an essay)
    REGRADE = "regrade"  # the item's key or credit was edited and the answer graded again


class MarkChange(db.Model):
    """One change of one answer's mark. The newest manual row holds the mark that stands and
    the comment the student reads; a regrade leaves an answer with a manual row alone."""

    __tablename__ = "mark_changes"
    __table_args__ = (Index("ix_mark_changes_item_changed", "attempt_item_id", "changed_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(
        ForeignKey("attempts.id", ondelete="CASCADE"), index=True
    )
    attempt_item_id: Mapped[int] = mapped_column(ForeignKey("attempt_items.id", ondelete="CASCADE"))
    # The teacher who changed it; kept (as "a deleted account") when their account goes.
    changed_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    reason: Mapped[MarkReason] = mapped_column(
        Enum(
            MarkReason,
            native_enum=False,
            length=16,
            values_callable=lambda e: [m.value for m in e],
        )
    )
    # Scores as AttemptItem.score holds them (0..1); None: not graded yet (an essay).
    old_score: Mapped[float | None] = mapped_column(Float)
    new_score: Mapped[float | None] = mapped_column(Float)
    # The item's points when the change was made, to show the change as "3 → 4 of 5".
    max_points: Mapped[float] = mapped_column(Float, default=1.0)
    # Shown to the student under the same rule as the key (presentation.may_reveal).
    comment: Mapped[str] = mapped_column(Text, default="")
    # The rubric level chosen per criterion (indices), when the mark came from a rubric.
    levels: Mapped[list[Any] | None] = mapped_column(JSON)
    # The item version the regrade graded against (None for a manual mark).
    item_version: Mapped[int | None] = mapped_column(Integer)

    changed_by = relationship("User")
    attempt_item = relationship("AttemptItem")
