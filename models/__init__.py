"""Database handle, declarative base and column types shared by every model module."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TypeVar

from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import DateTime, MetaData, Select, bindparam, event, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.types import TypeDecorator

# Named constraints keep Alembic migrations stable across SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)


_BY_ID: dict[type, Select] = {}


M = TypeVar("M")


def by_id(model: type[M], ident: int) -> M | None:
    """The row with this primary key, like session.get(), for the per-request paths:
    get() builds and caches its select anew on every call (about 90 µs here), this one
    is built once per model. It always asks the database (no identity-map shortcut)."""
    statement = _BY_ID.get(model)
    if statement is None:
        (key,) = model.__mapper__.primary_key
        statement = _BY_ID[model] = select(model).where(key == bindparam("ident"))
    return db.session.scalar(statement, {"ident": ident})


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Stores UTC and always returns aware datetimes.

    SQLite drops the time zone of a DateTime(timezone=True) column; comparing the naive
    value it returns with an aware `now` would raise TypeError.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record) -> None:
    """WAL lets readers work during a write; busy_timeout queues writers instead of failing."""
    import sqlite3

    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


# Every model module registers its tables on Base when imported.
from models.attempts import Attempt, AttemptItem, AttemptStatus  # noqa: E402
from models.bank import (  # noqa: E402
    BankRevision,
    Fact,
    Item,
    ItemTopic,
    QuestionSet,
    SetStatus,
    bank_changed_here,
    bank_revision,
    bump_bank_revision,
)
from models.cards import Card, Deck  # noqa: E402
from models.classes import Assignment, Enrollment, Extension, SchoolClass  # noqa: E402
from models.live import LiveAnswer, LivePlayer, LiveQuestion, LiveSession  # noqa: E402
from models.lti import (  # noqa: E402
    LtiAssignmentLink,
    LtiCourse,
    LtiDeployment,
    LtiKey,
    LtiLaunchValue,
    LtiPlatform,
    LtiScoreOutbox,
    LtiUserLink,
)
from models.marking import MarkChange, MarkReason  # noqa: E402
from models.media import CardMedia, MediaFile, MediaUse  # noqa: E402
from models.memory import MemoryState, ReviewLog, StudyPreferences  # noqa: E402
from models.progress import ItemProgress, TopicProgress  # noqa: E402
from models.submissions import FormSubmission  # noqa: E402
from models.users import ResetCode, Role, User  # noqa: E402

__all__ = [
    "BankRevision",
    "bank_changed_here",
    "bank_revision",
    "bump_bank_revision",
    "Assignment",
    "Attempt",
    "AttemptItem",
    "AttemptStatus",
    "Base",
    "Card",
    "CardMedia",
    "Deck",
    "Enrollment",
    "Extension",
    "Fact",
    "FormSubmission",
    "Item",
    "LiveAnswer",
    "MediaFile",
    "MediaUse",
    "LivePlayer",
    "LiveQuestion",
    "LiveSession",
    "LtiAssignmentLink",
    "LtiCourse",
    "LtiDeployment",
    "LtiKey",
    "LtiLaunchValue",
    "LtiPlatform",
    "LtiScoreOutbox",
    "LtiUserLink",
    "ItemProgress",
    "ItemTopic",
    "MarkChange",
    "MarkReason",
    "MemoryState",
    "QuestionSet",
    "ResetCode",
    "ReviewLog",
    "Role",
    "SchoolClass",
    "SetStatus",
    "StudyPreferences",
    "TopicProgress",
    "UTCDateTime",
    "User",
    "db",
    "utcnow",
]
