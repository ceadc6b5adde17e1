"""Quiz attempts: each keeps a snapshot of its items, so it can be reviewed exactly as shown."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Enum,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models import UTCDateTime, db, utcnow


def _enum(cls: type[enum.Enum]) -> Enum:
    return Enum(cls, native_enum=False, length=16, values_callable=lambda e: [m.value for m in e])


class AttemptStatus(enum.StrEnum):
    IN_PROGRESS = "in_progress"
    SUBMITTED = "submitted"


class FeedbackMode(enum.StrEnum):
    IMMEDIATE = "immediate"  # "Check answer" locks the item and shows the key at once
    END = "end"  # the key appears on the result page only


class LatePolicy(enum.StrEnum):
    MARK = "mark"  # the student may finish; the attempt is flagged late
    CLOSE = "close"  # the attempt closes at the deadline; later answers are refused


class Attempt(db.Model):
    __tablename__ = "attempts"
    __table_args__ = (
        Index("ix_attempts_user_status", "user_id", "status"),
        # A student's history, newest first, a page at a time.
        Index("ix_attempts_user_started", "user_id", "started_at"),
        # A start form posted twice (double click, reload) finds the first attempt.
        UniqueConstraint("user_id", "start_token", name="uq_attempts_user_start_token"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    # What the items were drawn from: a set, or a topic across sets.
    set_id: Mapped[int | None] = mapped_column(
        ForeignKey("question_sets.id", ondelete="SET NULL"), index=True
    )
    topic: Mapped[str | None] = mapped_column(String(80))
    # The set title or topic at the start, for the history after the set is renamed or gone.
    title: Mapped[str] = mapped_column(String(200))
    item_types: Mapped[list[str]] = mapped_column(JSON, default=list)  # [] = every type
    size: Mapped[int] = mapped_column(Integer)
    feedback_mode: Mapped[FeedbackMode] = mapped_column(_enum(FeedbackMode))
    time_limit_seconds: Mapped[int | None] = mapped_column(Integer)
    late_policy: Mapped[LatePolicy] = mapped_column(_enum(LatePolicy), default=LatePolicy.MARK)
    deadline: Mapped[datetime | None] = mapped_column(UTCDateTime)
    status: Mapped[AttemptStatus] = mapped_column(
        _enum(AttemptStatus), default=AttemptStatus.IN_PROGRESS
    )
    # True when the attempt ended after its deadline (submitted late, or closed by it).
    late: Mapped[bool] = mapped_column(Boolean, default=False)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    score: Mapped[float | None] = mapped_column(Float)  # 0..1, set on submit
    seed: Mapped[int] = mapped_column(Integer)
    # The item the student last looked at (1-based): where "Resume" takes them.
    current_position: Mapped[int] = mapped_column(Integer, default=1)
    start_token: Mapped[str | None] = mapped_column(String(64))
    # The assignment the attempt was taken for. Deleting the assignment (or its class, set or
    # teacher) keeps the attempt in the student's history and clears the link, so that a new
    # assignment that reuses the id (SQLite reuses the highest rowid) never adopts it.
    assignment_id: Mapped[int | None] = mapped_column(
        ForeignKey("assignments.id", ondelete="SET NULL"), index=True
    )
    # When the teacher removed that assignment (the link above is cleared then). An attempt
    # still open at that moment was submitted then, as it stood (classes/assignments.py).
    assignment_removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    items: Mapped[list[AttemptItem]] = relationship(
        back_populates="attempt", order_by="AttemptItem.position", cascade="all, delete-orphan"
    )

    @property
    def is_submitted(self) -> bool:
        return self.status is AttemptStatus.SUBMITTED

    @property
    def submitted_by_removal(self) -> bool:
        """Submitted for the student, because its assignment was removed while it was open."""
        return (
            self.is_submitted
            and self.assignment_removed_at is not None
            and self.submitted_at == self.assignment_removed_at
        )

    @property
    def is_immediate(self) -> bool:
        return self.feedback_mode is FeedbackMode.IMMEDIATE

    def __repr__(self) -> str:
        return f"<Attempt {self.id} user={self.user_id} {self.status.value}>"


class AttemptItem(db.Model):
    __tablename__ = "attempt_items"
    __table_args__ = (
        UniqueConstraint("attempt_id", "position", name="uq_attempt_items_attempt_position"),
        Index("ix_attempt_items_item_key", "item_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempts.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)  # 1-based
    # The bank row may be edited, retired or deleted later; the snapshot below is what counts.
    item_id: Mapped[int | None] = mapped_column(
        ForeignKey("items.id", ondelete="SET NULL"), index=True
    )
    item_key: Mapped[str] = mapped_column(String(255))
    # {"type", "prompt", "view", "key", "explanation", "sources", "topics", "fact_ids",
    #  "item_key", "version"}: "key" never leaves the server before the item is answered.
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSON)
    response: Mapped[Any | None] = mapped_column(JSON)  # parse_response's value; None = blank
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # last saved answer
    # Set once, when the answer is graded ("Check answer" or the final submit).
    graded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    score: Mapped[float | None] = mapped_column(Float)
    correct: Mapped[bool | None] = mapped_column(Boolean)
    typo_forgiven: Mapped[bool] = mapped_column(Boolean, default=False)
    notes: Mapped[list[str]] = mapped_column(JSON, default=list)

    attempt: Mapped[Attempt] = relationship(back_populates="items")

    @property
    def answered(self) -> bool:
        return self.response is not None

    @property
    def graded(self) -> bool:
        return self.graded_at is not None

    @property
    def item_type(self) -> str:
        return self.snapshot["type"]
