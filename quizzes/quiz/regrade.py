"""Changing a submitted attempt's grade after the fact: a teacher's manual re-score of one
answer, and the regrade of every answer to an item after its key or credit was edited. The
attempt's total follows, and an LMS gradebook hears of it through the LTI score outbox
(quizzes/lti/scores.py queues on any change of Attempt.score). Flushes only."""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select

from models import (
    Assignment,
    Attempt,
    AttemptItem,
    AttemptStatus,
    Item,
    MarkChange,
    MarkReason,
    User,
    db,
)
from quizzes.domain.itemtypes import REGISTRY
from quizzes.domain.marking import AnswerToRegrade, RegradePlan, max_points, plan_regrade
from quizzes.quiz.answers import marking
from quizzes.quiz.services import presentation_rng


class RescoreRefused(ValueError):
    pass


def rescore_item(attempt: Attempt, position: int, score: float, now: datetime) -> bool:
    """Give the answer at `position` (1-based) this score (0..1); False when it already had
    it. Only a submitted attempt is re-scored: an open one is still being graded."""
    if not attempt.is_submitted:
        raise RescoreRefused("Only a submitted attempt can be re-scored.")
    if not (isinstance(score, int | float) and math.isfinite(score) and 0 <= score <= 1):
        raise RescoreRefused("A score is from 0 to 1.")
    item = next((item for item in attempt.items if item.position == position), None)
    if item is None:
        raise RescoreRefused(f"The attempt has no item {position}.")
    if item.score == score:
        return False
    item.score = float(score)
    item.correct = score == 1
    item.graded_at = now
    attempt.score = marking(attempt.items).score  # None while another answer awaits a mark
    attempt.updated_at = now
    db.session.flush()
    return True


# -- regrading every submitted answer to an edited item ------------------------------------


@dataclass(frozen=True)
class ItemRegrade:
    """A regrade worked out and not yet written: the plan the teacher reads, and per answer
    the key it would now be graded against."""

    plan: RegradePlan
    new_keys: dict[int, dict[str, Any]]  # attempt item id -> the new key, same view
    fingerprint: str  # changes the moment any answer or mark the plan read changes


def _assigned_answers(item: Item) -> list[tuple[AttemptItem, Attempt, str]]:
    """Submitted answers to this item in attempts at assignments of its set, with the
    student's name, oldest attempt first."""
    rows = db.session.execute(
        select(AttemptItem, Attempt, User.full_label)
        .join(Attempt, Attempt.id == AttemptItem.attempt_id)
        .join(Assignment, Assignment.id == Attempt.assignment_id)
        .join(User, User.id == Attempt.user_id)
        .where(
            AttemptItem.item_key == item.key,
            Assignment.set_id == item.set_id,
            Attempt.status == AttemptStatus.SUBMITTED,
        )
        .order_by(Attempt.id)
    ).all()
    return [(answer, attempt, name) for answer, attempt, name in rows]


def has_answers_to_regrade(item: Item) -> bool:
    """Whether any submitted attempt at an assignment answered this item."""
    return bool(_assigned_answers(item))


def marked_by_hand(attempt_item_ids: list[int]) -> set[int]:
    """The answers among these whose mark a teacher set by hand (a regrade keeps it)."""
    if not attempt_item_ids:
        return set()
    return set(
        db.session.scalars(
            select(MarkChange.attempt_item_id).where(
                MarkChange.attempt_item_id.in_(attempt_item_ids),
                MarkChange.reason == MarkReason.MANUAL,
            )
        )
    )


def plan_item_regrade(item: Item) -> ItemRegrade:
    """Grade every submitted answer to `item` again against its key as it is now, writing
    nothing. An answer can be graded again only where the question looks as it did to the
    student (same options in the same places): the item is presented again with the
    attempt's own shuffle, and the view must come out the same."""
    found = _assigned_answers(item)
    by_hand = marked_by_hand([answer.id for answer, _, _ in found])
    module = REGISTRY[item.type]
    answers, new_keys = [], {}
    scores: dict[int, list[float]] = {}
    positions: dict[int, int] = {}
    for answer, attempt, name in found:
        view, key = module.present(item.data, presentation_rng(attempt.seed, answer.position))
        new_score = None
        if answer.item_type == item.type and view == answer.snapshot.get("view"):
            grade = module.grade(view, key, answer.response)
            if getattr(grade, "pending", False):
                continue  # a teacher marks it (an essay), not a key: nothing to regrade
            new_keys[answer.id] = key
            new_score = grade.score
        if answer.score is None and not answer.graded:
            new_score = None  # waiting for a teacher's mark (an essay): nothing to regrade
            new_keys.pop(answer.id, None)
        answers.append(
            AnswerToRegrade(
                attempt_id=attempt.id,
                attempt_item_id=answer.id,
                student=name,
                old_score=answer.score,
                new_score=new_score,
                marked_by_hand=answer.id in by_hand,
            )
        )
        if attempt.id not in scores:
            scores[attempt.id] = [one.score or 0.0 for one in attempt.items]
        positions[answer.id] = next(n for n, one in enumerate(attempt.items) if one.id == answer.id)
    plan = plan_regrade(answers, scores, positions)
    seen = sorted((a.attempt_item_id, a.old_score, a.marked_by_hand) for a in answers)
    fingerprint = hashlib.sha256(
        json.dumps([item.version, seen], default=str).encode()
    ).hexdigest()[:32]
    return ItemRegrade(plan, new_keys, fingerprint)


def apply_item_regrade(item: Item, regrade: ItemRegrade, teacher_id: int, now: datetime) -> int:
    """Write a planned regrade: new scores (and attempt totals) for the answers it changes,
    each with an audit row, and the new key on every answer graded again, so the student
    reads the key they were marked against. Marks set by hand stay. Flushes; returns how
    many answers changed."""
    changed = {answer.attempt_item_id for answer in regrade.plan.changes}
    kept = {answer.attempt_item_id for answer in regrade.plan.kept_by_hand}
    for answer in regrade.plan.changes:
        attempt_item = db.session.get(AttemptItem, answer.attempt_item_id)
        db.session.add(
            MarkChange(
                attempt_id=answer.attempt_id,
                attempt_item_id=answer.attempt_item_id,
                changed_by_id=teacher_id,
                changed_at=now,
                reason=MarkReason.REGRADE,
                old_score=answer.old_score,
                new_score=answer.new_score,
                max_points=max_points(attempt_item.snapshot),
                comment="",
                item_version=item.version,
            )
        )
    for attempt_item_id, key in regrade.new_keys.items():
        attempt_item = db.session.get(AttemptItem, attempt_item_id)
        if attempt_item_id in kept:
            continue  # the teacher's mark stands, with the key it was given under
        attempt_item.snapshot = dict(attempt_item.snapshot) | {"key": key}
        if attempt_item_id in changed:
            new_score = next(
                a.new_score for a in regrade.plan.changes if a.attempt_item_id == attempt_item_id
            )
            rescore_item(attempt_item.attempt, attempt_item.position, new_score, now)
    db.session.flush()
    return len(changed)
