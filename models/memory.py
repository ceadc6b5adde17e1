"""One memory model per fact (or per item/card without facts), fed by quizzes and flashcards."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column

from models import UTCDateTime, db, utcnow


class MemoryState(db.Model):
    __tablename__ = "memory_states"
    __table_args__ = (
        UniqueConstraint("user_id", "memory_key", name="uq_memory_states_user_key"),
        Index("ix_memory_states_user_due", "user_id", "due"),
        # The study queue (quizzes/cards/queue.py): one range per phase of a deck's
        # memories by due moment, holding what the order by predicted recall needs.
        Index(
            "ix_memory_states_queue",
            "user_id",
            "deck_id",
            "phase",
            "due",
            "last_review_us",
            "stability",
            "memory_key",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    # "fact:<fact id>", "item:<item key>" or "card:<card id>" (quizzes.domain.srs.memory_key).
    memory_key: Mapped[str] = mapped_column(String(255))
    state: Mapped[dict[str, Any]] = mapped_column(JSON)  # the FSRS card, serialised
    due: Mapped[datetime] = mapped_column(UTCDateTime)
    topics: Mapped[list[str]] = mapped_column(JSON, default=list)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    # Copies of `state` that SQL can query, always written with it
    # (quizzes.memory.state_columns): the phase (quizzes.domain.srs.Phase), fsrs
    # stability, and the last review in whole microseconds since the epoch.
    phase: Mapped[str] = mapped_column(String(10), server_default="new")
    stability: Mapped[float | None] = mapped_column(Float)
    last_review_us: Mapped[int | None] = mapped_column(BigInteger)
    # The learner's own deck of a "card:<id>" memory (a copy of its Card.deck_id; cards
    # never move between decks); None for facts and quiz items.
    deck_id: Mapped[int | None] = mapped_column(Integer)


class ReviewLog(db.Model):
    """Every review from either side: enough to train the FSRS optimizer later."""

    __tablename__ = "review_logs"
    __table_args__ = (
        Index("ix_review_logs_user_time", "user_id", "reviewed_at"),
        # Today's reviews against the daily limits, counted on the index alone.
        Index("ix_review_logs_user_day", "user_id", "source", "reviewed_at", "before_phase"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    memory_key: Mapped[str] = mapped_column(String(255), index=True)
    rating: Mapped[int] = mapped_column(Integer)  # fsrs.Rating: 1 Again .. 4 Easy
    reviewed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    source: Mapped[str] = mapped_column(String(16))  # "quiz" or "flashcard"
    duration_ms: Mapped[int | None] = mapped_column(Integer)
    state_before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    state_after: Mapped[dict[str, Any]] = mapped_column(JSON)
    card_id: Mapped[int | None] = mapped_column(Integer)
    attempt_item_id: Mapped[int | None] = mapped_column(Integer)
    # The phase of state_before (quizzes.domain.srs.Phase; "new" for a first review), a
    # copy SQL can count without reading JSON.
    before_phase: Mapped[str | None] = mapped_column(String(10))


class StudyPreferences(db.Model):
    """A user's scheduling settings (quizzes.domain.srs.StudySettings as JSON), exam plan
    and whether flashcards ask for typed answers."""

    __tablename__ = "study_preferences"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    settings: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    exam_date: Mapped[date | None] = mapped_column(Date)  # a day, in no time zone
    exam_topic: Mapped[str | None] = mapped_column(String(80))
    typed_answers: Mapped[bool] = mapped_column(default=False, server_default=false())
