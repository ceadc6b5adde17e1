"""Question sets and items: the built-in bank and teachers' own sets share these tables."""

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
    Text,
    event,
    insert,
    select,
    update,
)
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

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


class BankRevision(db.Model):
    """One row: a number raised by every change to the built-in bank (its facts, sets,
    items and their topics), in the same transaction as the change. Every app process
    reads it to know whether what it kept of the bank (quizzes/cards/bank_cards.py) is
    still the bank."""

    __tablename__ = "bank_revision"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[int] = mapped_column(Integer, default=0)


_REVISION = BankRevision.__table__
_READ_REVISION = select(_REVISION.c.number).where(_REVISION.c.id == 1)


def bank_revision(connection: Connection) -> int:
    """The bank's revision number (0 before any change was counted)."""
    return connection.execute(_READ_REVISION).scalar() or 0


def bump_bank_revision(session: Session) -> None:
    """Raise the revision, in the session's transaction (so it commits with the change).
    Until that transaction ends, `bank_changed_here(session)` says so: what it reads of
    the bank may never commit, so nobody may keep it under a revision number."""
    session.info[_CHANGED] = True
    connection = session.connection()
    raised = connection.execute(
        update(_REVISION).where(_REVISION.c.id == 1).values(number=_REVISION.c.number + 1)
    )
    if not raised.rowcount:  # a database made by create_all, not by the migration
        connection.execute(insert(_REVISION).values(id=1, number=1))


def bank_changed_here(session: Session) -> bool:
    return bool(session.info.get(_CHANGED))


_CHANGED = "bank_changed"


@event.listens_for(db.session, "after_commit")
@event.listens_for(db.session, "after_rollback")
def _transaction_ended(session: Session) -> None:
    session.info.pop(_CHANGED, None)


def _touches_bank(session: Session, obj: object) -> bool:
    if isinstance(obj, Fact):
        return True
    if isinstance(obj, QuestionSet):
        return obj.owner_id is None
    if isinstance(obj, ItemTopic):
        item = session.get(Item, obj.item_id) if obj.item_id is not None else None
        return item is None or _touches_bank(session, item)
    if isinstance(obj, Item):
        qset = obj.__dict__.get("question_set")  # a set given but not flushed yet
        set_id = qset.id if qset is not None else obj.set_id
        if set_id is None:
            return qset is None or qset.owner_id is None
        owner = session.connection().execute(
            select(QuestionSet.owner_id).where(QuestionSet.id == set_id)
        )
        return owner.scalar() is None
    return False


@event.listens_for(db.session, "before_flush")
def _count_bank_changes(session: Session, _context, _instances) -> None:
    """ORM changes to the bank raise its revision (bulk Core writes of the bank loader
    raise it themselves, quizzes/bank/loader.py)."""
    dirty = (obj for obj in session.dirty if session.is_modified(obj))
    changed = (*session.new, *dirty, *session.deleted)
    with session.no_autoflush:
        if any(_touches_bank(session, obj) for obj in changed):
            bump_bank_revision(session)
