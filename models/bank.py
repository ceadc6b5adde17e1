"""Question sets and items: the built-in bank and teachers' own sets share these tables."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Enum, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models import UTCDateTime, db, utcnow


class SetStatus(enum.StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"


class Fact(db.Model):
    """A structured fact of the built-in bank (or of a teacher's uploaded fact file)."""

    __tablename__ = "facts"

    id: Mapped[str] = mapped_column(String(120), primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(1))  # V, R or U
    fields: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    topics: Mapped[list[str]] = mapped_column(JSON, default=list)
    sources: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class QuestionSet(db.Model):
    __tablename__ = "question_sets"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Built-in sets have a stable slug and no owner.
    slug: Mapped[str | None] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    owner_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[SetStatus] = mapped_column(
        Enum(
            SetStatus, native_enum=False, length=16, values_callable=lambda e: [m.value for m in e]
        ),
        default=SetStatus.DRAFT,
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    owner = relationship("User")
    items: Mapped[list[Item]] = relationship(
        back_populates="question_set", order_by="Item.position", cascade="all, delete-orphan"
    )

    @property
    def is_builtin(self) -> bool:
        return self.owner_id is None


class Item(db.Model):
    """One question, in the shape of docs/ITEMS.md. `data` holds the answer key."""

    __tablename__ = "items"
    __table_args__ = (Index("ix_items_set_position", "set_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(255), unique=True)
    set_id: Mapped[int] = mapped_column(ForeignKey("question_sets.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer, default=0)
    type: Mapped[str] = mapped_column(String(20), index=True)
    prompt: Mapped[str] = mapped_column(Text)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    explanation: Mapped[str] = mapped_column(Text, default="")
    # Resolved citations: [{"key", "publisher", "title", "date", "ref"}] or [{"text"}].
    sources: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    topics: Mapped[list[str]] = mapped_column(JSON, default=list)
    difficulty: Mapped[float] = mapped_column(Float, default=0.5)
    # remember / understand / analyse (docs/ITEMS.md): what the item asks of the student.
    level: Mapped[str] = mapped_column(String(12), default="remember", server_default="remember")
    fact_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    version: Mapped[int] = mapped_column(Integer, default=1)
    # Retired items stay for the history of attempts that used them, but are never drawn.
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    question_set: Mapped[QuestionSet] = relationship(back_populates="items")
    topic_rows: Mapped[list[ItemTopic]] = relationship(cascade="all, delete-orphan")

    @property
    def active(self) -> bool:
        return self.retired_at is None

    def as_dict(self) -> dict[str, Any]:
        """The item in the docs/ITEMS.md shape, for domain code."""
        return {
            "key": self.key,
            "type": self.type,
            "prompt": self.prompt,
            "data": self.data,
            "explanation": self.explanation,
            "sources": self.sources,
            "topics": self.topics,
            "difficulty": self.difficulty,
            "fact_ids": self.fact_ids,
            "level": self.level,
        }


class ItemTopic(db.Model):
    """Topic tags as rows, so drawing items by topic is an indexed query."""

    __tablename__ = "item_topics"

    item_id: Mapped[int] = mapped_column(
        ForeignKey("items.id", ondelete="CASCADE"), primary_key=True
    )
    topic: Mapped[str] = mapped_column(String(80), primary_key=True, index=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
