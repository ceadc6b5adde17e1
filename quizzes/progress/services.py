"""Reads a student's graded answers for the progress page."""

from __future__ import annotations

from sqlalchemy import select

from models import Attempt, AttemptItem, AttemptStatus, db
from quizzes.domain.itemtypes import REGISTRY
from quizzes.progress.stats import AnswerRecord

TREND_ATTEMPTS = 20


def answer_records(user_id: int) -> list[AnswerRecord]:
    rows = db.session.execute(
        select(AttemptItem)
        .join(Attempt, Attempt.id == AttemptItem.attempt_id)
        .where(Attempt.user_id == user_id, AttemptItem.graded_at.is_not(None))
        .order_by(AttemptItem.graded_at)
    ).scalars()
    records = []
    for item in rows:
        snapshot = item.snapshot
        module = REGISTRY[snapshot["type"]]
        records.append(
            AnswerRecord(
                attempt_id=item.attempt_id,
                item_key=item.item_key,
                prompt=snapshot["prompt"],
                right_answer=module.describe_key(snapshot["view"], snapshot["key"]),
                topics=tuple(snapshot.get("topics", [])),
                score=item.score or 0.0,
                correct=bool(item.correct),
                graded_at=item.graded_at,
            )
        )
    return records


def recent_attempts(user_id: int, limit: int = TREND_ATTEMPTS) -> list[Attempt]:
    """The latest submitted attempts, oldest first."""
    latest = db.session.scalars(
        select(Attempt)
        .where(Attempt.user_id == user_id, Attempt.status == AttemptStatus.SUBMITTED)
        .order_by(Attempt.submitted_at.desc(), Attempt.id.desc())
        .limit(limit)
    )
    return list(reversed(list(latest)))
