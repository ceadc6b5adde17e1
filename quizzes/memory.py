"""The shared memory model: quiz answers and flashcard reviews update one FSRS state per fact.

Services here flush but never commit: the calling view commits once per request.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import bindparam, or_, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.exc import IntegrityError

from models import Card, ReviewLog, StudyPreferences, by_id, db
from models import MemoryState as MemoryRow
from quizzes.domain.itemtypes.base import Grade
from quizzes.domain.srs import (
    MemoryState,
    Rating,
    ReviewLogEntry,
    StudySettings,
    epoch_us,
    memory_keys,
    rating_from_quiz,
    review,
)
from quizzes.domain.srs.optimise import LoggedReview


class ReviewedMeanwhile(Exception):
    """A memory was reviewed after the moment the caller's page showed it."""


def load_settings(user_id: int) -> StudySettings:
    return settings_of(by_id(StudyPreferences, user_id))


def settings_of(prefs: StudyPreferences | None) -> StudySettings:
    """The settings stored in a user's preferences row (the defaults without one)."""
    if prefs is None or not prefs.settings:
        return StudySettings()
    return StudySettings.from_dict(prefs.settings)


def save_settings(user_id: int, settings: StudySettings) -> None:
    prefs = db.session.get(StudyPreferences, user_id)
    if prefs is None:
        prefs = StudyPreferences(user_id=user_id)
        db.session.add(prefs)
    prefs.settings = settings.to_dict()
    db.session.flush()


def logged_reviews(user_id: int, limit: int) -> list[LoggedReview]:
    """The learner's newest `limit` reviews (quizzes and cards), for the optimiser."""
    rows = db.session.execute(
        select(
            ReviewLog.memory_key, ReviewLog.rating, ReviewLog.reviewed_at, ReviewLog.before_phase
        )
        .where(ReviewLog.user_id == user_id)
        .order_by(ReviewLog.reviewed_at.desc(), ReviewLog.id.desc())
        .limit(limit)
    )
    return [LoggedReview(key, rating, at, phase == "new") for key, rating, at, phase in rows]


def state_columns(state: MemoryState) -> dict:
    """The columns of a MemoryState row that hold `state`: the JSON and its queryable
    copies. Every write of a state goes through here, so they never disagree."""
    return {
        "state": state.to_dict(),
        "due": state.due,
        "phase": state.phase.value,
        "stability": state.stability,
        "last_review_us": None if state.last_review is None else epoch_us(state.last_review),
    }


def memory_state(user_id: int, key: str) -> MemoryRow | None:
    return db.session.scalar(
        select(MemoryRow).where(MemoryRow.user_id == user_id, MemoryRow.memory_key == key)
    )


# Reviews are the hot write path (a flashcard press, every graded quiz answer): they run
# prepared Core statements on the session's connection, not ORM objects, which cost
# several times more per row. A memory row that this session holds as an ORM object is
# expired after its UPDATE, so it is read again when next used.
_memory = MemoryRow.__table__
_logs = ReviewLog.__table__
_READ_STATE = select(
    _memory.c.id, _memory.c.state, _memory.c.topics, _memory.c.last_review_us
).where(_memory.c.user_id == bindparam("user_id"), _memory.c.memory_key == bindparam("key"))
_DECK_OF_CARD = (  # a "card:<id>" memory keeps its card's deck (None for any other key)
    select(Card.__table__.c.deck_id)
    .where(Card.__table__.c.memory_key == bindparam("card_key"))
    .scalar_subquery()
)
# A first review's INSERT writes nothing when another request stored the memory's first
# review since this one read it; the caller then reviews on top of that state.
# PostgreSQL: ON CONFLICT DO NOTHING (no error, no aborted transaction; RETURNING tells
# the two apart, as rowcount does not). SQLite: a plain INSERT whose unique-key error is
# caught, as SQLite undoes the failed statement alone. The plain one is in SQLAlchemy's
# statement cache; the dialects' ON CONFLICT inserts are not (their Insert classes opt
# out), and compiling it again for every first review was a third of a rating's time on
# SQLite (bench/cards_next.py).
_INSERT_STATE = {
    "sqlite": _memory.insert().values(deck_id=_DECK_OF_CARD).returning(_memory.c.id),
    "postgresql": postgresql_insert(_memory)
    .values(deck_id=_DECK_OF_CARD)
    .on_conflict_do_nothing(index_elements=["user_id", "memory_key"])
    .returning(_memory.c.id),
}


def _insert_first_state(connection, values: dict) -> bool:
    """Store a memory's first state; False when it was stored meanwhile (the same key)."""
    statement = _INSERT_STATE[connection.dialect.name]
    if connection.dialect.name != "sqlite":
        return connection.execute(statement, values).first() is not None
    try:
        connection.execute(statement, values).first()
    except IntegrityError:
        # Only the unique key: any other refusal (a missing user) is still an error.
        if (
            connection.execute(
                _READ_STATE, {"user_id": values["user_id"], "key": values["memory_key"]}
            ).first()
            is None
        ):
            raise
        return False
    return True


_UPDATE_STATE = _memory.update().where(_memory.c.id == bindparam("row_id"))
# The same, only while no review is newer than `since_us`: checked by the write itself,
# so of two requests that both read the old state only one can store its review.
_UPDATE_STATE_UNLESS_REVIEWED = _memory.update().where(
    _memory.c.id == bindparam("row_id"),
    or_(_memory.c.last_review_us.is_(None), _memory.c.last_review_us <= bindparam("since_us")),
)
_INSERT_LOG = _logs.insert().returning(_logs.c.id)


def record_review(
    user_id: int,
    keys: Sequence[str],
    rating: Rating | int,
    now: datetime,
    source: str,
    *,
    settings: StudySettings | None = None,
    topics: Sequence[str] = (),
    duration_ms: int | None = None,
    card_id: int | None = None,
    attempt_item_id: int | None = None,
    log_ids: list[int] | None = None,
    unreviewed_since_us: int | None = None,
) -> list[ReviewLogEntry]:
    """Review every memory in `keys` with one rating; store the new states and the log.

    `log_ids`, when given, receives the ids of the ReviewLog rows written, in `keys`
    order, so a caller that needs them (undo) saves a query.
    `unreviewed_since_us` (epoch microseconds), when given, is the newest review the
    caller's page knew of: if any memory has a later one, ReviewedMeanwhile is raised and
    the caller must roll back (some rows may be written already).
    """
    settings = settings or load_settings(user_id)
    connection = db.session.connection()
    entries = []
    for key in dict.fromkeys(keys):
        found = connection.execute(_READ_STATE, {"user_id": user_id, "key": key}).first()
        while True:  # twice at most: a first review stored meanwhile is reviewed on top of
            if found is not None and unreviewed_since_us is not None:
                if (found.last_review_us or 0) > unreviewed_since_us:
                    raise ReviewedMeanwhile(key)
            before = MemoryState.from_dict(found.state) if found else MemoryState.new(now)
            if before.last_review is not None and now < before.last_review:
                now = before.last_review  # clocks of two servers may disagree by a little
            after, entry = review(
                before, rating, now, settings, source=source, duration_ms=duration_ms
            )
            columns = state_columns(after)
            if found is not None:
                break
            values = {"user_id": user_id, "memory_key": key, "topics": list(topics)}
            card_key = key if key.startswith("card:") else None
            if _insert_first_state(connection, {**values, **columns, "card_key": card_key}):
                break
            if unreviewed_since_us is not None:
                raise ReviewedMeanwhile(key)  # the same press, sent twice at once
            found = connection.execute(_READ_STATE, {"user_id": user_id, "key": key}).first()
        state_after = columns["state"]
        if found is not None:
            values = {"row_id": found.id, **columns}
            if topics and not set(topics) <= set(found.topics or []):
                values["topics"] = sorted(set(found.topics or []) | set(topics))
            if unreviewed_since_us is None:
                connection.execute(_UPDATE_STATE, values)
            else:
                values["since_us"] = unreviewed_since_us
                if connection.execute(_UPDATE_STATE_UNLESS_REVIEWED, values).rowcount != 1:
                    raise ReviewedMeanwhile(key)
            held = db.session.identity_map.get(db.session.identity_key(MemoryRow, found.id))
            if held is not None:
                db.session.expire(held)
        log_id = connection.execute(
            _INSERT_LOG,
            {
                "user_id": user_id,
                "memory_key": key,
                "rating": int(entry.rating),
                "reviewed_at": now,
                "source": source,
                "duration_ms": duration_ms,
                "state_before": None if before.is_new else before.to_dict(),
                "before_phase": before.phase.value,
                "state_after": state_after,
                "card_id": card_id,
                "attempt_item_id": attempt_item_id,
            },
        ).scalar_one()
        if log_ids is not None:
            log_ids.append(log_id)
        entries.append(entry)
    return entries


def record_quiz_answer(
    user_id: int,
    fact_ids: Sequence[str],
    item_key: str | None,
    grade: Grade,
    now: datetime,
    *,
    topics: Sequence[str] = (),
    attempt_item_id: int | None = None,
) -> list[ReviewLogEntry]:
    """A graded quiz answer as a review: wrong -> Again, right -> Good, forgiven typo -> Hard."""
    rating = rating_from_quiz(grade.correct, grade.typo_forgiven, grade.score)
    keys = memory_keys(fact_ids, item_key, None)
    return record_review(
        user_id, keys, rating, now, "quiz", topics=topics, attempt_item_id=attempt_item_id
    )
