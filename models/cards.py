"""Flashcards: learners' own decks and the cards they wrote.

Decks of the built-in bank are not stored: they are drawn from its sets and topics
(quizzes.cards.decks). Memory and study settings live in models/memory.py, shared with
quizzes (MemoryState, ReviewLog, StudyPreferences).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, CheckConstraint, ForeignKey, Index, String, Text
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
        # The next new cards of a deck: those never studied, in the order written.
        Index("ix_cards_deck_new", "deck_id", "first_studied_at", "id"),
        # Covers the join from a learner's due memories to the cards of one deck.
        Index("ix_cards_memory_deck", "memory_key", "deck_id"),
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

    # "card:<id>", set once the id is known (quizzes.cards.personal.add_card): an indexed
    # copy of the MemoryState key, so a deck's due cards are one indexed join.
    memory_key: Mapped[str | None] = mapped_column(String(40), unique=True)
    # When its owner first rated it (None: a new card). Kept with its MemoryState by
    # quizzes.cards.services.rate / undo, so finding new cards needs no scan of memories.
    first_studied_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
