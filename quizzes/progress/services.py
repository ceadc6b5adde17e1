"""A student's graded answers for the progress page.

The page reads running totals (models.progress: ItemProgress, TopicProgress) that
`record_graded` keeps up to date as each answer is graded, so its cost does not grow with
the number of answers. `answer_records` reads every answer: `rebuild` recomputes the
totals from it (for answers stored before the totals existed). Flushes, never commits.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import delete, exists, select
from sqlalchemy.exc import IntegrityError

from models import Attempt, AttemptItem, AttemptStatus, ItemProgress, TopicProgress, db
from quizzes.domain import itemtypes
from quizzes.domain.itemtypes import REGISTRY
from quizzes.progress import stats
from quizzes.progress.stats import AnswerRecord, MissedItem, TopicMastery

TREND_ATTEMPTS = 20
MOST_MISSED = 10


def listed_prompt(snapshot: Mapping[str, Any]) -> str:
    """The question as the progress page lists it, in its type's one-line form (a cloze's
    instruction is followed by its sentence, each blank an ellipsis)."""
    return itemtypes.listed_prompt(snapshot)


def answer_records(user_id: int) -> list[AnswerRecord]:
    """Every graded answer of the student, oldest first (reads every snapshot)."""
    rows = db.session.execute(
        select(AttemptItem)
        .join(Attempt, Attempt.id == AttemptItem.attempt_id)
        # Graded and scored: an answer awaiting a teacher's mark (no score) is not counted yet.
        .where(
            Attempt.user_id == user_id,
            AttemptItem.graded_at.is_not(None),
            AttemptItem.score.is_not(None),
        )
        .order_by(AttemptItem.graded_at)
    ).scalars()
    return [
        AnswerRecord(
            attempt_id=item.attempt_id,
            item_key=item.item_key,
            prompt=listed_prompt(item.snapshot),
            right_answer=_right_answer(item.snapshot),
            topics=tuple(item.snapshot.get("topics", [])),
            score=item.score or 0.0,
            correct=bool(item.correct),
            graded_at=item.graded_at,
        )
        for item in rows
    ]


def _right_answer(snapshot: Mapping[str, Any]) -> str:
    return REGISTRY[snapshot["type"]].describe_key(snapshot["view"], snapshot["key"])


# -- keeping the totals -------------------------------------------------------------------


def _locked_row(model, key: tuple, defaults: dict[str, Any]):
    """The row for `key`, locked for update (PostgreSQL; SQLite has one writer anyway);
    created first when missing, even if another request creates it at the same moment."""
    row = db.session.get(model, key, with_for_update=True)
    if row is not None:
        return row
    try:
        with db.session.begin_nested():
            row = model(**dict(zip(_primary_key(model), key, strict=True)), **defaults)
            db.session.add(row)
    except IntegrityError:
        row = db.session.get(model, key, with_for_update=True, populate_existing=True)
    return row


def _primary_key(model) -> list[str]:
    return [column.name for column in model.__table__.primary_key.columns]


def record_graded(
    user_id: int,
    attempt_id: int,
    snapshot: Mapping[str, Any],
    score: float,
    correct: bool,
    graded_at: datetime,
) -> None:
    """Add one graded answer (blank ones too: they count as missed) to the totals."""
    item = _locked_row(
        ItemProgress,
        (user_id, snapshot["item_key"]),
        {"answered": 0, "missed": 0, "last_attempt_id": attempt_id, "last_graded_at": graded_at},
    )
    item.answered += 1
    item.missed += 0 if correct else 1
    item.prompt = listed_prompt(snapshot)
    item.right_answer = _right_answer(snapshot)
    item.last_attempt_id = attempt_id
    item.last_graded_at = graded_at
    for topic in dict.fromkeys(snapshot.get("topics", [])):
        row = _locked_row(TopicProgress, (user_id, topic), {"answers": 0, "right": 0})
        row.answers += 1
        row.right += 1 if correct else 0
        row.recent = stats.with_recent(row.recent or [], score)
    db.session.flush()


def rebuild(user_id: int) -> None:
    """Recompute the student's totals from every stored answer."""
    db.session.execute(delete(ItemProgress).where(ItemProgress.user_id == user_id))
    db.session.execute(delete(TopicProgress).where(TopicProgress.user_id == user_id))
    items: dict[str, ItemProgress] = {}
    topics: dict[str, TopicProgress] = {}
    for record in answer_records(user_id):
        item = items.get(record.item_key)
        if item is None:
            item = items[record.item_key] = ItemProgress(
                user_id=user_id, item_key=record.item_key, answered=0, missed=0
            )
        item.answered += 1
        item.missed += 0 if record.correct else 1
        item.prompt, item.right_answer = record.prompt, record.right_answer
        item.last_attempt_id, item.last_graded_at = record.attempt_id, record.graded_at
        for topic in dict.fromkeys(record.topics):
            row = topics.get(topic)
            if row is None:
                row = topics[topic] = TopicProgress(
                    user_id=user_id, topic=topic, answers=0, right=0, recent=[]
                )
            row.answers += 1
            row.right += 1 if record.correct else 0
            row.recent = stats.with_recent(row.recent, record.score)
    db.session.add_all([*items.values(), *topics.values()])
    db.session.flush()


# -- reading them -------------------------------------------------------------------------


def has_answers(user_id: int) -> bool:
    return bool(db.session.scalar(select(exists().where(ItemProgress.user_id == user_id))))


def topic_mastery(user_id: int) -> list[TopicMastery]:
    """Per topic, weakest first (as stats.topic_mastery over every answer)."""
    rows = db.session.execute(
        select(
            TopicProgress.topic, TopicProgress.answers, TopicProgress.right, TopicProgress.recent
        ).where(TopicProgress.user_id == user_id)
    )
    return stats.weakest_first(
        [
            TopicMastery(topic=topic, answers=answers, right=right, mastery=stats.mastery(recent))
            for topic, answers, right, recent in rows
        ]
    )


def most_missed(user_id: int, limit: int = MOST_MISSED) -> list[MissedItem]:
    """Items missed most often (as stats.most_missed over every answer). Only the items
    missed at least as often as the `limit`-th one are read, on the (user, missed) index."""
    mine = (ItemProgress.user_id == user_id, ItemProgress.missed > 0)
    floor = db.session.scalar(
        select(ItemProgress.missed)
        .where(*mine)
        .order_by(ItemProgress.missed.desc())
        .offset(limit - 1)
        .limit(1)
    )
    rows = db.session.execute(
        select(
            ItemProgress.item_key,
            ItemProgress.prompt,
            ItemProgress.right_answer,
            ItemProgress.missed,
            ItemProgress.answered,
            ItemProgress.last_attempt_id,
        ).where(*mine, ItemProgress.missed >= (floor or 1))
    )
    return stats.most_missed_first([MissedItem(*row) for row in rows], limit)


def recent_attempts(user_id: int, limit: int = TREND_ATTEMPTS) -> list[Attempt]:
    """The latest submitted attempts, oldest first."""
    latest = db.session.scalars(
        select(Attempt)
        .where(Attempt.user_id == user_id, Attempt.status == AttemptStatus.SUBMITTED)
        .order_by(Attempt.submitted_at.desc(), Attempt.id.desc())
        .limit(limit)
    )
    return list(reversed(list(latest)))
