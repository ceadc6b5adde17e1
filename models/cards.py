"""Flashcards: personal decks and their cards, and each learner's study settings.

Decks of the built-in bank are not stored: they are drawn from its sets and topics
(quizzes.cards.services.bank_deck). Memory lives in models/memory.py, shared with quizzes.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models import UTCDateTime, db, utcnow


class Deck(db.Model):
    """A learner's own deck: only its owner sees it."""

    __tablename__ = "decks"

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    cards: Mapped[list[Card]] = relationship(
        back_populates="deck", order_by="Card.id", cascade="all, delete-orphan"
    )


class Card(db.Model):
    """A card a learner wrote. Its memory is MemoryState "card:<id>".

    `front` may hold a cloze sentence ("The panel met in {{c1::2014}}.") when
    `kind` is "cloze"; `reversed` adds a back-to-front card on the same memory.
    """

    __tablename__ = "cards"
    __table_args__ = (
        CheckConstraint("kind IN ('basic', 'cloze')", name="kind"),
        Index("ix_cards_deck_id", "deck_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    deck_id: Mapped[int] = mapped_column(ForeignKey("decks.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(10), default="basic")
    front: Mapped[str] = mapped_column(Text)
    back: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(String(500), default="")
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    reversed: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    deck: Mapped[Deck] = relationship(back_populates="cards")

    @property
    def memory_key(self) -> str:
        return f"card:{self.id}"


class StudySettings(db.Model):
    """One row per learner; absent means the defaults (quizzes.domain.srs.StudySettings).

    The time zone is the account's own (User.timezone).
    """

    __tablename__ = "study_settings"
    __table_args__ = (
        CheckConstraint(
            "desired_retention >= 0.70 AND desired_retention <= 0.97", name="desired_retention"
        ),
        CheckConstraint("day_start_hour >= 0 AND day_start_hour <= 23", name="day_start_hour"),
    )

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    desired_retention: Mapped[float] = mapped_column(Float, default=0.90)
    new_per_day: Mapped[int] = mapped_column(Integer, default=20)
    reviews_per_day: Mapped[int] = mapped_column(Integer, default=200)
    # Minutes, e.g. [1, 10]: FSRS learning and relearning steps.
    learning_steps: Mapped[list[float]] = mapped_column(JSON, default=lambda: [1, 10])
    relearning_steps: Mapped[list[float]] = mapped_column(JSON, default=lambda: [10])
    day_start_hour: Mapped[int] = mapped_column(Integer, default=4)
    typed_answers: Mapped[bool] = mapped_column(Boolean, default=False)
    exam_date: Mapped[date | None] = mapped_column(Date)
    exam_topic: Mapped[str | None] = mapped_column(String(80))
    # The 21 FSRS-6 weights once the optimizer has run; None means fsrs' defaults.
    parameters: Mapped[list[float] | None] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    def as_dict(self) -> dict[str, Any]:
        return {
            "desired_retention": self.desired_retention,
            "new_per_day": self.new_per_day,
            "reviews_per_day": self.reviews_per_day,
            "learning_steps": list(self.learning_steps),
            "relearning_steps": list(self.relearning_steps),
            "day_start_hour": self.day_start_hour,
        }
