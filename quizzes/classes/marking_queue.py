"""The grading queue: answers only a teacher can mark (an essay's, as its item type says
through `needs_marking`), one at a time, in a fixed order: question by question in the
set's order, students by name, or in an anonymous order that hides names. Reads, except
`mark_from_queue`, which flushes a mark through grading.set_mark."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select

from models import (
    Assignment,
    Attempt,
    AttemptItem,
    AttemptStatus,
    Item,
    MarkChange,
    MarkReason,
    SchoolClass,
    User,
    db,
)
from quizzes.classes import grading
from quizzes.domain.itemtypes import REGISTRY
from quizzes.domain.marking import max_points, read_points
from quizzes.integers import whole_number_or_none


def _marked_by_person() -> list[str]:
    """The item types whose answers wait for a teacher (they declare `needs_marking`)."""
    return [name for name, module in REGISTRY.items() if hasattr(module, "needs_marking")]


@dataclass(frozen=True)
class Waiting:
    """One answer in the queue."""

    answer_id: int  # AttemptItem id
    attempt_id: int
    student: str
    item_key: str
    question: int  # the item's place in the set, 1-based (10**6 when it was deleted)
    order: tuple  # where it stands in the queue


def _candidates(
    assignment_ids: Sequence[int], include_marked: bool = False
) -> list[tuple[AttemptItem, Attempt, str]]:
    types = _marked_by_person()
    if not types or not assignment_ids:
        return []
    not_marked = (
        ~select(MarkChange.id)
        .where(MarkChange.attempt_item_id == AttemptItem.id, MarkChange.reason == MarkReason.MANUAL)
        .exists()
    )
    rows = db.session.execute(
        select(AttemptItem, Attempt, User.full_label)
        .join(Attempt, Attempt.id == AttemptItem.attempt_id)
        .join(User, User.id == Attempt.user_id)
        .where(
            Attempt.assignment_id.in_(list(assignment_ids)),
            Attempt.status == AttemptStatus.SUBMITTED,
            AttemptItem.snapshot["type"].as_string().in_(types),
            AttemptItem.response.is_not(None),
            *([] if include_marked else [not_marked]),
        )
    ).all()
    found = []
    for answer, attempt, name in rows:
        module = REGISTRY[answer.item_type]
        if module.needs_marking(answer.snapshot, answer.response):
            found.append((answer, attempt, name))
    return found


def _anonymous_place(answer_id: int, salt: int) -> str:
    """A fixed shuffle of the answers (the same on every page), which no name decides."""
    return hashlib.sha256(f"{salt}:{answer_id}".encode()).hexdigest()


def waiting(
    assignment: Assignment, anonymous: bool = False, include_marked: bool = False
) -> list[Waiting]:
    """The answers of this assignment waiting for a mark, in queue order (with those
    marked already too, for going back to one)."""
    found = _candidates([assignment.id], include_marked)
    keys = {answer.item_key for answer, _, _ in found}
    places = dict(
        db.session.execute(select(Item.key, Item.position).where(Item.key.in_(list(keys)))).all()
    )
    queue = []
    for answer, attempt, name in found:
        question = places[answer.item_key] + 1 if answer.item_key in places else 10**6
        if anonymous:
            order: tuple = (question, answer.item_key, _anonymous_place(answer.id, assignment.id))
        else:
            order = (question, answer.item_key, name.casefold(), attempt.id)
        queue.append(Waiting(answer.id, attempt.id, name, answer.item_key, question, order))
    return sorted(queue, key=lambda one: one.order)


def counts(school_class: SchoolClass) -> dict[int, int]:
    """Per assignment of the class, how many answers wait for a mark ("Needs grading: 12")."""
    ids = [assignment.id for assignment in school_class.assignments]
    tally: dict[int, int] = {}
    for _, attempt, _ in _candidates(ids):
        tally[attempt.assignment_id] = tally.get(attempt.assignment_id, 0) + 1
    return tally


def next_after(queue: Sequence[Waiting], order: tuple | None) -> Waiting | None:
    """The answer after `order` in the queue, else the first still waiting (one skipped)."""
    if not queue:
        return None
    if order is not None:
        for one in queue:
            if one.order > order:
                return one
    return queue[0]


def previous_before(queue: Sequence[Waiting], order: tuple) -> Waiting | None:
    earlier = [one for one in queue if one.order < order]
    return earlier[-1] if earlier else None


# -- marking from the queue -------------------------------------------------------------------


@dataclass(frozen=True)
class MarkRead:
    score: float | None = None
    levels: list[int] | None = None
    error: str = ""


def rubric_of(snapshot: Mapping[str, Any]) -> list[dict[str, Any]]:
    rubric = snapshot.get("key", {}).get("rubric")
    return rubric if isinstance(rubric, list) else []


def read_mark(snapshot: Mapping[str, Any], form: Mapping[str, Any]) -> MarkRead:
    """The mark a queue page sent: a level per rubric criterion (`level-<n>`, 1-based), or
    points out of the item's maximum (`points`). The item type turns levels into credit
    (`manual_credit`); a mark that does not fit is a message."""
    rubric = rubric_of(snapshot)
    if not rubric:
        read = read_points(form.get("points"), max_points(snapshot))
        return MarkRead(score=read.score, error=read.error)
    levels = []
    for n, criterion in enumerate(rubric, start=1):
        chosen = whole_number_or_none(form.get(f"level-{n}"))
        if chosen is None or chosen >= len(criterion["levels"]):
            return MarkRead(error=f"Choose a level of “{criterion['criterion']}”.")
        levels.append(chosen)
    credit = getattr(REGISTRY[snapshot["type"]], "manual_credit", None)
    try:
        if credit is not None:
            score = credit(snapshot["key"], levels=levels)
        else:
            chosen = [c["levels"][i]["points"] for c, i in zip(rubric, levels, strict=True)]
            score = min(1.0, sum(chosen) / max_points(snapshot))
    except ValueError as refusal:
        return MarkRead(error=str(refusal))
    return MarkRead(score=score, levels=levels)


def mark_from_queue(
    answer: AttemptItem, read: MarkRead, comment: str, teacher_id: int, now: datetime
) -> None:
    attempt = answer.attempt
    grading.set_mark(attempt, answer.position, read.score, comment, teacher_id, now, read.levels)


def marks_by_person(answer: AttemptItem) -> bool:
    """Whether the answer's type is one a teacher marks (it declares `needs_marking`)."""
    return hasattr(REGISTRY.get(answer.item_type), "needs_marking")


def answer_in(assignment: Assignment, answer_id: int) -> AttemptItem | None:
    """The answer when it belongs to a submitted attempt at this assignment."""
    answer = db.session.get(AttemptItem, answer_id)
    if answer is None or answer.attempt.assignment_id != assignment.id:
        return None
    return answer


def marked_count(assignment: Assignment) -> int:
    """Answers of this assignment a teacher has marked by hand (for "12 marked, 3 to go")."""
    return (
        db.session.scalar(
            select(func.count(func.distinct(MarkChange.attempt_item_id)))
            .join(Attempt, Attempt.id == MarkChange.attempt_id)
            .where(
                Attempt.assignment_id == assignment.id,
                MarkChange.reason == MarkReason.MANUAL,
            )
        )
        or 0
    )
