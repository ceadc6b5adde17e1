"""The shared memory model: quiz answers and flashcard reviews update one FSRS state per fact.

Services here flush but never commit: the calling view commits once per request.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select

from models import MemoryState as MemoryRow
from models import ReviewLog, StudyPreferences, db
from quizzes.domain.itemtypes.base import Grade
from quizzes.domain.srs import (
    MemoryState,
    Rating,
    ReviewLogEntry,
    StudySettings,
    memory_keys,
    rating_from_quiz,
    review,
)


def load_settings(user_id: int) -> StudySettings:
    prefs = db.session.get(StudyPreferences, user_id)
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


def memory_state(user_id: int, key: str) -> MemoryRow | None:
    return db.session.scalar(
        select(MemoryRow).where(MemoryRow.user_id == user_id, MemoryRow.memory_key == key)
    )


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
    logged: list[ReviewLog] | None = None,
) -> list[ReviewLogEntry]:
    """Review every memory in `keys` with one rating; store the new states and the log.

    `logged`, when given, receives the ReviewLog rows written (with their ids after the
    flush), so a caller that needs them (undo) saves a query.
    """
    settings = settings or load_settings(user_id)
    entries = []
    for key in dict.fromkeys(keys):
        row = memory_state(user_id, key)
        before = MemoryState.from_dict(row.state) if row else MemoryState.new(now)
        if before.last_review is not None and now < before.last_review:
            now = before.last_review  # clocks of two servers may disagree by a little
        after, entry = review(before, rating, now, settings, source=source, duration_ms=duration_ms)
        if row is None:
            row = MemoryRow(user_id=user_id, memory_key=key, topics=list(topics))
            db.session.add(row)
        elif topics:
            row.topics = sorted(set(row.topics or []) | set(topics))
        row.state = after.to_dict()
        row.due = after.due
        log = ReviewLog(
            user_id=user_id,
            memory_key=key,
            rating=int(entry.rating),
            reviewed_at=now,
            source=source,
            duration_ms=duration_ms,
            state_before=None if before.is_new else before.to_dict(),
            state_after=after.to_dict(),
            card_id=card_id,
            attempt_item_id=attempt_item_id,
        )
        db.session.add(log)
        if logged is not None:
            logged.append(log)
        entries.append(entry)
    db.session.flush()
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
