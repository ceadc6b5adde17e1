"""Answering an attempt: saving an answer once, grading it, checking one item, submitting.

Between the ORM and the item types' graders; flushes, never commits (the view commits
once). A save claims the item under a guard, so a double submit counts once."""

from __future__ import annotations

import enum
import math
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import Text, bindparam, cast, func, select, update
from sqlalchemy.orm import aliased
from sqlalchemy.orm.attributes import set_committed_value

from models import (
    Attempt,
    AttemptItem,
    AttemptStatus,
    db,
)
from models.attempts import LatePolicy
from quizzes.domain.itemtypes import REGISTRY, Grade
from quizzes.domain.marking import Marking, marking_of
from quizzes.memory import record_quiz_answer
from quizzes.progress import services as progress
from quizzes.quiz import timing

# The two writes of a save, as Core statements on the tables: the same SQL as an ORM
# update(Attempt) with synchronize_session=False, without the ORM's bulk-update work
# (~0.15 ms each, inside the write lock). Nothing is pending in the session when they run.
_attempts, _attempt_items = Attempt.__table__, AttemptItem.__table__


class SaveOutcome(enum.StrEnum):
    SAVED = "saved"
    CLEARED = "cleared"  # the answer was emptied: the item counts as unanswered again
    INCOMPLETE = "incomplete"  # something was filled in, but not a whole answer (ordering)
    CHECKED = "checked"  # graded and locked ("Check answer", immediate feedback)
    NOTHING_TO_CHECK = "nothing_to_check"
    LOCKED = "locked"  # the item was already checked; its answer stays
    KEPT = "kept"  # moving on from a checked item: its fields are disabled, nothing was sent
    NOT_A_NUMBER = "not_a_number"  # "Check answer" on a number item holding other text
    SUBMITTED = "submitted"  # the attempt was already submitted; nothing changed
    CLOSED = "closed"  # the deadline passed under the "close" policy; the attempt is graded


# -- answering -----------------------------------------------------------------------------


class ItemInAttempt(NamedTuple):
    attempt: Attempt
    item: AttemptItem
    total: int  # how many items the attempt has


# The item page and the answer save are the busiest requests: their statements are built
# once here, since building and cache-keying a select costs as much as running it on SQLite.
_SIBLING = aliased(AttemptItem)
_OWN_ATTEMPT_ITEM = (
    select(
        Attempt,
        AttemptItem,
        select(func.count()).where(_SIBLING.attempt_id == Attempt.id).scalar_subquery(),
    )
    .join(AttemptItem, AttemptItem.attempt_id == Attempt.id)
    .where(
        Attempt.id == bindparam("attempt_id"),
        Attempt.user_id == bindparam("user_id"),
        AttemptItem.position == bindparam("position"),
    )
)
_ITEM_AT = select(AttemptItem).where(
    AttemptItem.attempt_id == bindparam("attempt_id"),
    AttemptItem.position == bindparam("position"),
)
_GRADED_AT = select(AttemptItem.graded_at).where(AttemptItem.id == bindparam("item_id"))


_CLAIM = (
    update(_attempts)
    .where(
        _attempts.c.id == bindparam("attempt_id"), _attempts.c.status == AttemptStatus.IN_PROGRESS
    )
    .values(current_position=bindparam("position"), updated_at=bindparam("now"))
)
_STORE_IF_UNGRADED = (
    update(_attempt_items)
    .where(_attempt_items.c.id == bindparam("row_id"), _attempt_items.c.graded_at.is_(None))
    .values(response=bindparam("new_response"), answered_at=bindparam("new_answered_at"))
)
# Plain columns of the table, not of the mapped class: the ORM adds nothing to two
# columns but its own work (~30 us of every item page). Whether an item is answered is
# decided in SQL, so no response is decoded from JSON; a cleared answer may be stored as
# SQL NULL or as JSON null, and both read as not answered.
_POSITIONS_ANSWERED = select(
    _attempt_items.c.position, cast(_attempt_items.c.response, Text) != "null"
).where(_attempt_items.c.attempt_id == bindparam("attempt_id"))


# What the question list marks on each button: answered or not, and for an item already
# checked (feedback after each question) its score; the type, to look for a number item
# holding text. Responses are decoded only for the types that can be unreadable.
_POSITION_MARKS = select(
    _attempt_items.c.position,
    cast(_attempt_items.c.response, Text) != "null",
    _attempt_items.c.graded_at.is_not(None),
    _attempt_items.c.score,
    _attempt_items.c.snapshot["type"].as_string(),
).where(_attempt_items.c.attempt_id == bindparam("attempt_id"))
_SNAPSHOTS_AT = select(
    _attempt_items.c.position, _attempt_items.c.snapshot, _attempt_items.c.response
).where(
    _attempt_items.c.attempt_id == bindparam("attempt_id"),
    _attempt_items.c.position.in_(bindparam("positions", expanding=True)),
)


class PositionMark(enum.StrEnum):
    """How the question list shows one question: never by colour alone (quiz/item.html)."""

    EMPTY = "empty"
    ANSWERED = "answered"
    NEEDS_NUMBER = "number"  # saved as typed, but not a number: it would be marked wrong
    RIGHT = "right"
    PARTLY = "partly"
    WRONG = "wrong"


def mark_of(answered: bool, graded: bool, score: float | None, unreadable: bool) -> PositionMark:
    if graded and score is None:  # checked, awaiting a teacher's mark (an essay)
        return PositionMark.ANSWERED
    if graded:
        if score is not None and score >= 1:
            return PositionMark.RIGHT
        return PositionMark.PARTLY if score else PositionMark.WRONG
    if not answered:
        return PositionMark.EMPTY
    return PositionMark.NEEDS_NUMBER if unreadable else PositionMark.ANSWERED


def item_mark(item: AttemptItem) -> PositionMark:
    return mark_of(item.answered, item.graded, item.score, unreadable(item.snapshot, item.response))


def position_marks(attempt_id: int) -> tuple[frozenset[int], dict[int, PositionMark]]:
    """The positions answered, and each position's mark, from small columns; snapshots only
    of answered items whose type can hold an unreadable answer (numbers)."""
    rows = db.session.execute(_POSITION_MARKS, {"attempt_id": attempt_id}).all()
    can_be_unreadable = {
        position
        for position, answered, graded, _, item_type in rows
        if answered and not graded and hasattr(REGISTRY[item_type], "unreadable")
    }
    bad = set()
    if can_be_unreadable:
        found = db.session.execute(
            _SNAPSHOTS_AT, {"attempt_id": attempt_id, "positions": sorted(can_be_unreadable)}
        )
        bad = {position for position, snapshot, response in found if unreadable(snapshot, response)}
    marks = {
        position: mark_of(answered, graded, score, position in bad)
        for position, answered, graded, score, _ in rows
    }
    return frozenset(position for position, answered, *_ in rows if answered), marks


def own_attempt_item(attempt_id: int, user_id: int, position: int) -> ItemInAttempt | None:
    """The user's own attempt, its item at `position` and its number of items, in one
    query. None when the attempt is someone else's (or not there) or has no such
    position: both are a 404."""
    row = db.session.execute(
        _OWN_ATTEMPT_ITEM, {"attempt_id": attempt_id, "user_id": user_id, "position": position}
    ).one_or_none()
    return None if row is None else ItemInAttempt(*row)


def close_if_expired(attempt: Attempt, now: datetime) -> bool:
    """Under the "close" policy, grade the attempt once its deadline has passed."""
    if (
        attempt.status is AttemptStatus.IN_PROGRESS
        and attempt.late_policy is LatePolicy.CLOSE
        and timing.is_past(attempt.deadline, now)
    ):
        return submit(attempt, now)
    return False


def _claim_open(attempt: Attempt, now: datetime, position: int) -> bool:
    """Note where the student is, if the attempt is still open: one statement that also
    takes the write lock, so a concurrent submit is either fully before or fully after."""
    result = db.session.execute(
        _CLAIM, {"attempt_id": attempt.id, "position": position, "now": now}
    )
    db.session.expire(attempt)
    return result.rowcount == 1


def visit(attempt: Attempt, position: int, now: datetime) -> bool:
    """Remember the item the student opened, so "Resume" brings them back to it.
    True when that was a change (then there is something to commit)."""
    if attempt.current_position != position:
        _claim_open(attempt, now, position)
        return True
    return False


def answered_positions(attempt_id: int) -> tuple[int, frozenset[int]]:
    """How many items the attempt has, and the positions answered: two small columns
    instead of every item with its snapshot (the page around one item needs no more)."""
    rows = db.session.execute(_POSITIONS_ANSWERED, {"attempt_id": attempt_id}).all()
    return len(rows), frozenset(position for position, answered in rows if answered)


def save_answer(
    attempt: Attempt,
    position: int,
    form: Mapping[str, list[str]],
    now: datetime,
    item: AttemptItem | None = None,
) -> SaveOutcome:
    """Store the answer the form holds for the item at `position` (blank clears it).
    `item` is that item when the caller has read it already (see _store_answer)."""
    return _store_answer(attempt, position, form, now, item)[0]


def _store_answer(
    attempt: Attempt,
    position: int,
    form: Mapping[str, list[str]],
    now: datetime,
    item: AttemptItem | None = None,
) -> tuple[SaveOutcome, AttemptItem | None]:
    """The item may have been read before the claim: its snapshot never changes, and
    graded_at, set once, is checked again inside the lock by the conditional UPDATE."""
    if close_if_expired(attempt, now):
        return SaveOutcome.CLOSED, None
    attempt_id = attempt.id  # the claim expires the attempt: reading it again costs a query
    if not _claim_open(attempt, now, position):
        return SaveOutcome.SUBMITTED, None
    if item is None:
        item = db.session.scalar(_ITEM_AT, {"attempt_id": attempt_id, "position": position})
        if item is None:
            raise LookupError(f"attempt {attempt_id} has no item {position}")
    if item.graded:
        return (SaveOutcome.LOCKED if has_input(form) else SaveOutcome.KEPT), item
    snapshot = item.snapshot
    response = REGISTRY[snapshot["type"]].parse_response(snapshot["view"], form)
    if response is None and has_input(form) and not left_blank(snapshot, form):
        # Nothing is written; whether the item was graded meanwhile decides the message.
        if db.session.scalar(_GRADED_AT, {"item_id": item.id}) is not None:
            return SaveOutcome.LOCKED, item
        return SaveOutcome.INCOMPLETE, item  # keep the last whole answer
    answered_at = now if response is not None else None
    stored = db.session.execute(
        _STORE_IF_UNGRADED,
        {"row_id": item.id, "new_response": response, "new_answered_at": answered_at},
    )
    if stored.rowcount != 1:  # graded by another request since it was read
        db.session.expire(item)
        return SaveOutcome.LOCKED, item
    set_committed_value(item, "response", response)
    set_committed_value(item, "answered_at", answered_at)
    return (SaveOutcome.SAVED if response is not None else SaveOutcome.CLEARED), item


# Fields of the item forms that are not part of the answer.
CONTROL_FIELDS = frozenset({"csrf_token", "go", "check"})


def left_blank(snapshot: Mapping[str, Any], form: Mapping[str, list[str]]) -> bool:
    """Whether the fields hold only what the item started with (an essay's template)."""
    check = getattr(REGISTRY[snapshot["type"]], "left_blank", None)
    return check is not None and check(snapshot["view"], form)


def has_input(form: Mapping[str, list[str]]) -> bool:
    """Whether any answer field was filled in at all."""
    return any(
        isinstance(value, str) and value.strip()
        for name, values in form.items()
        if name not in CONTROL_FIELDS
        for value in (values if isinstance(values, list) else [values])
    )


def check_answer(
    attempt: Attempt,
    position: int,
    form: Mapping[str, list[str]],
    now: datetime,
    item: AttemptItem | None = None,
) -> SaveOutcome:
    """Save, then grade and lock the item (immediate feedback)."""
    user_id = attempt.user_id  # read before the save expires the attempt
    outcome, item = _store_answer(attempt, position, form, now, item)
    if outcome is SaveOutcome.CLEARED:
        return SaveOutcome.NOTHING_TO_CHECK
    if outcome is not SaveOutcome.SAVED or item is None:
        return outcome  # INCOMPLETE among them: its message says what is missing
    snapshot = item.snapshot
    if unreadable(snapshot, item.response):
        # Saved as typed, not graded: text that is not a number is a slip, not a wrong answer.
        return SaveOutcome.NOT_A_NUMBER
    if save_warning(snapshot, item.response):
        return SaveOutcome.SAVED  # saved, not locked: it must change first (the page says why)
    _grade_item(item, user_id, now)
    return SaveOutcome.CHECKED


def unreadable(snapshot: Mapping[str, Any], response: Any) -> bool:
    """Whether a saved answer cannot be graded as what it claims to be (see numeric.py)."""
    check = getattr(REGISTRY[snapshot["type"]], "unreadable", None)
    return check is not None and check(snapshot["view"], response)


def save_warning(snapshot: Mapping[str, Any], response: Any) -> str | None:
    """What a saved answer's type says the student must change (an essay over its limit)."""
    warn = getattr(REGISTRY[snapshot["type"]], "save_warning", None)
    return None if warn is None else warn(snapshot["view"], response)


def grade_of(snapshot: Mapping[str, Any], response: Any) -> Grade:
    return REGISTRY[snapshot["type"]].grade(snapshot["view"], snapshot["key"], response)


def awaiting_mark(item: AttemptItem) -> bool:
    """Graded (locked) but without a score: the answer waits for a teacher's mark."""
    return item.graded and item.score is None


def marking(items: Sequence[AttemptItem]) -> Marking:
    """Marked and awaiting answers of an attempt's items (quizzes/domain/marking.py)."""
    return marking_of([None if awaiting_mark(item) else (item.score or 0.0) for item in items])


def _grade_item(item: AttemptItem, user_id: int, now: datetime) -> None:
    """Grade once: the conditional UPDATE makes a second grading (and memory update) a no-op.

    An answer only a teacher can mark (grade.pending) is locked with no score: it is no
    signal of what the student knows until marked, so neither the progress totals nor the
    memory model hear of it now (the mark is recorded by record_mark)."""
    snapshot, attempt_id = item.snapshot, item.attempt_id
    grade = grade_of(snapshot, item.response)
    result = db.session.execute(
        update(AttemptItem)
        .where(AttemptItem.id == item.id, AttemptItem.graded_at.is_(None))
        .values(
            graded_at=now,
            score=None if grade.pending else grade.score,
            correct=None if grade.pending else grade.correct,
            typo_forgiven=grade.typo_forgiven,
            notes=list(grade.notes),
        )
        .execution_options(synchronize_session=False)
    )
    db.session.expire(item)
    if result.rowcount != 1 or grade.pending:
        return
    # The progress page's running totals count every graded answer, blank ones too.
    progress.record_graded(user_id, attempt_id, snapshot, grade.score, grade.correct, now)
    if item.response is not None:
        record_memory(item, user_id, grade, now)


def record_mark(item: AttemptItem, grade: Grade, now: datetime) -> None:
    """A teacher's mark for an answer that awaited one (grade from essay.marked_grade): the
    item gets its score, the attempt its total once nothing else waits, and the progress
    totals count it. The memory model does not: a mark given days later says nothing of
    when the student recalled what (docs/ARCHITECTURE.md, "Essays and marks")."""
    first = awaiting_mark(item)
    item.score, item.correct, item.notes = grade.score, grade.correct, list(grade.notes)
    attempt = item.attempt
    if attempt.is_submitted:
        attempt.score = marking(attempt.items).score
        attempt.updated_at = now
    db.session.flush()
    if first:
        progress.record_graded(
            attempt.user_id, attempt.id, item.snapshot, grade.score, grade.correct, now
        )


def record_memory(item: AttemptItem, user_id: int, grade: Grade, now: datetime) -> None:
    """The one call into the shared memory model, after each graded answer."""
    snapshot = item.snapshot
    record_quiz_answer(
        user_id,
        snapshot["fact_ids"],
        snapshot["item_key"],
        grade,
        now,
        topics=snapshot.get("topics", []),
        attempt_item_id=item.id,
    )


def submit(attempt: Attempt, now: datetime) -> bool:
    """Grade and close the attempt. False (and nothing changes) when it was already closed."""
    late = timing.is_past(attempt.deadline, now)
    closed_by_deadline = late and attempt.late_policy is LatePolicy.CLOSE
    result = db.session.execute(
        update(Attempt)
        .where(Attempt.id == attempt.id, Attempt.status == AttemptStatus.IN_PROGRESS)
        .values(
            status=AttemptStatus.SUBMITTED,
            submitted_at=attempt.deadline if closed_by_deadline else now,
            late=late,
            updated_at=now,
        )
        .execution_options(synchronize_session=False)
    )
    # Whatever happened, read the attempt and its items afresh from inside the lock.
    db.session.expire_all()
    if result.rowcount != 1:
        return False
    items = attempt.items
    for item in items:
        if not item.graded:
            _grade_item(item, attempt.user_id, now)
    # None while an answer awaits a teacher's mark (an essay): no part score for the whole.
    attempt.score = marking(items).score
    db.session.flush()
    return True


def total_score(scores: Sequence[float]) -> float:
    return math.fsum(scores) / len(scores) if scores else 0.0
