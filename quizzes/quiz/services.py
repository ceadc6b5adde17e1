"""Attempts between the ORM and the item types: assemble, save, check, submit.

Everything here flushes and never commits (the route commits once). The clock is a `now`
argument, randomness an `rng`. State changes that two requests could race on (a double
click on "Submit", a save arriving while another tab submits) are single conditional
UPDATE statements, so the database decides which one wins.
"""

from __future__ import annotations

import enum
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from random import Random
from typing import Any, NamedTuple

from sqlalchemy import ColumnElement, Text, and_, bindparam, cast, exists, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased
from sqlalchemy.orm.attributes import set_committed_value

from models import (
    Assignment,
    Attempt,
    AttemptItem,
    AttemptStatus,
    Item,
    ItemTopic,
    MemoryState,
    db,
)
from models.attempts import FeedbackMode, LatePolicy
from models.bank import QuestionSet, SetStatus
from quizzes.bank.builtin import topic_title
from quizzes.domain.itemtypes import REGISTRY, Grade
from quizzes.memory import record_quiz_answer
from quizzes.pagination import Page, page_of
from quizzes.progress import services as progress
from quizzes.quiz import selection, timing

# A generated item's key: a bank template's, or a teacher fact upload's "set<id>:tpl...".
GENERATED_KEY = re.compile(r"(?:^|:)tpl\.")
DEFAULT_SIZE = 10
MAX_SIZE = 50
SAMPLE_SIZE = 5


class NoItemsError(Exception):
    """Nothing in the bank matches the chosen set, topic and types."""


@dataclass(frozen=True)
class QuizSettings:
    size: int = DEFAULT_SIZE
    item_types: tuple[str, ...] = ()  # () = every type
    feedback_mode: FeedbackMode = FeedbackMode.END
    time_limit_seconds: int | None = None
    late_policy: LatePolicy = LatePolicy.MARK


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


# -- what a quiz may draw from -------------------------------------------------------------


def _visible(user_id: int | None) -> ColumnElement[bool]:
    """Sets a user may practise: the built-in bank's published sets, and their own even as
    drafts. A teacher's published set reaches students only through an assignment: open
    to practice (answers shown after each question), it would give away the test."""
    bank = and_(QuestionSet.owner_id.is_(None), QuestionSet.status == SetStatus.PUBLISHED)
    return bank if user_id is None else or_(bank, QuestionSet.owner_id == user_id)


def usable_sets(user_id: int | None) -> list[QuestionSet]:
    """The sets the user may quiz on that hold active items."""
    visible = _visible(user_id)
    has_items = exists().where(Item.set_id == QuestionSet.id, Item.retired_at.is_(None))
    return list(
        db.session.scalars(
            select(QuestionSet)
            .where(visible, has_items)
            .order_by(QuestionSet.owner_id.is_not(None), QuestionSet.title)
        )
    )


def can_use_set(question_set: QuestionSet | None, user_id: int | None) -> bool:
    """The same rule as _visible, for one set."""
    if question_set is None:
        return False
    if question_set.owner_id is None:
        return question_set.status is SetStatus.PUBLISHED
    return user_id is not None and question_set.owner_id == user_id


def usable_topics(user_id: int | None) -> list[str]:
    """Topics of active items in sets the user may use.

    Each topic (a few hundred at most) is looked up until its first usable item, rather
    than joining every item of the bank (100,000 items: 440 → 25 ms)."""
    topics = select(ItemTopic.topic).distinct().subquery()
    usable = (
        select(ItemTopic.item_id)
        .join(Item, Item.id == ItemTopic.item_id)
        .join(QuestionSet, QuestionSet.id == Item.set_id)
        .where(
            ItemTopic.topic == topics.c.topic,
            ItemTopic.active,
            Item.retired_at.is_(None),
            _visible(user_id),
        )
    )
    stmt = select(topics.c.topic).where(usable.exists()).order_by(topics.c.topic)
    return list(db.session.scalars(stmt))


def candidate_items(
    user_id: int | None,
    *,
    set_id: int | None = None,
    topic: str | None = None,
    item_types: Sequence[str] = (),
) -> list[Item]:
    """Active items of the set, or of the topic across the sets the user may use."""
    stmt = select(Item).where(Item.retired_at.is_(None))
    if set_id is not None:
        stmt = stmt.where(Item.set_id == set_id)
    if topic is not None:
        stmt = (
            stmt.join(ItemTopic, ItemTopic.item_id == Item.id)
            .join(QuestionSet, QuestionSet.id == Item.set_id)
            .where(ItemTopic.topic == topic, ItemTopic.active, _visible(user_id))
        )
    if item_types:
        stmt = stmt.where(Item.type.in_(list(item_types)))
    return list(db.session.scalars(stmt.order_by(Item.id)))


def _candidates(user_id: int, items: Sequence[Item]) -> list[selection.Candidate]:
    """What the student has seen and when they will forget, per item."""
    history = db.session.execute(
        select(AttemptItem.item_key, AttemptItem.correct)
        .join(Attempt, Attempt.id == AttemptItem.attempt_id)
        .where(
            Attempt.user_id == user_id,
            AttemptItem.graded_at.is_not(None),
            AttemptItem.response.is_not(None),
        )
        .order_by(AttemptItem.graded_at)
    ).all()
    last_correct = {key: correct for key, correct in history}  # the latest answer wins
    due = dict(
        db.session.execute(
            select(MemoryState.memory_key, MemoryState.due).where(MemoryState.user_id == user_id)
        ).all()
    )
    candidates = []
    for item in items:
        memory_keys = [f"fact:{fact_id}" for fact_id in item.fact_ids] + [f"item:{item.key}"]
        dues = [due[k] for k in memory_keys if k in due]
        candidates.append(
            selection.Candidate(
                key=item.key,
                seen=item.key in last_correct,
                last_correct=last_correct.get(item.key),
                due=min(dues) if dues else None,
                facts=frozenset(item.fact_ids),
                item_type=item.type,
                content=_content(item),
            )
        )
    return candidates


def _content(item: Item) -> dict[str, Any] | None:
    """What the giveaway rule reads, for generated items (template keys: the bank's, which
    `flask bank build` has checked, and a teacher's fact upload's); other items keep one
    question per fact."""
    if not GENERATED_KEY.search(item.key):
        return None
    return {
        "key": item.key,
        "type": item.type,
        "prompt": item.prompt,
        "data": item.data,
        "explanation": item.explanation,
        "fact_ids": item.fact_ids,
        "version": item.version,  # a bank build moves it with every change of content
    }


# -- presenting ----------------------------------------------------------------------------


def presentation_rng(seed: int, position: int) -> Random:
    """The same shuffle for the same attempt and position, on any server, after a restart."""
    return Random(f"{seed}:{position}")


def snapshot_of(item: Item, seed: int, position: int) -> dict[str, Any]:
    """Everything needed to show, grade and review the item as it was at this moment."""
    view, key = REGISTRY[item.type].present(item.data, presentation_rng(seed, position))
    return {
        "item_key": item.key,
        "version": item.version,
        "type": item.type,
        "prompt": item.prompt,
        "view": view,
        "key": key,
        "explanation": item.explanation,
        "sources": list(item.sources or []),
        "topics": list(item.topics or []),
        "fact_ids": list(item.fact_ids or []),
    }


def attempt_title(question_set: QuestionSet | None, topic: str | None) -> str:
    if question_set is not None:
        return question_set.title
    return f"Topic: {topic_title(topic or '')}"


def assemble(
    user_id: int,
    *,
    settings: QuizSettings,
    now: datetime,
    rng: Random,
    set_id: int | None = None,
    topic: str | None = None,
    assignment_id: int | None = None,
    start_token: str | None = None,
) -> Attempt:
    """Start an attempt: draw the items, shuffle them, snapshot what is shown.

    Reusable by assignments (explicit parameters, no request). A `start_token` seen before
    for this user returns that earlier attempt instead of a second one.
    Raises NoItemsError when nothing matches.
    """
    if (set_id is None) == (topic is None):
        raise ValueError("give exactly one of set_id and topic")
    if start_token and (earlier := _attempt_by_token(user_id, start_token)):
        return earlier
    question_set = db.session.get(QuestionSet, set_id) if set_id is not None else None
    items = candidate_items(user_id, set_id=set_id, topic=topic, item_types=settings.item_types)
    if not items:
        raise NoItemsError
    size = min(max(settings.size, 1), MAX_SIZE)
    by_key = {item.key: item for item in items}
    keys = selection.choose(
        _candidates(user_id, items),
        size,
        now,
        rng,
        one_per_fact=assignment_id is None,
        explanations=settings.feedback_mode is FeedbackMode.IMMEDIATE,
    )
    chosen = [by_key[key] for key in keys]
    seed = rng.randrange(2**31)
    attempt = Attempt(
        user_id=user_id,
        set_id=set_id,
        topic=topic,
        title=attempt_title(question_set, topic),
        item_types=list(settings.item_types),
        size=size,
        feedback_mode=settings.feedback_mode,
        time_limit_seconds=settings.time_limit_seconds,
        late_policy=settings.late_policy,
        deadline=timing.deadline_for(now, settings.time_limit_seconds),
        status=AttemptStatus.IN_PROGRESS,
        started_at=now,
        updated_at=now,
        seed=seed,
        current_position=1,
        start_token=start_token,
        assignment_id=assignment_id,
    )
    for position, item in enumerate(chosen, start=1):
        attempt.items.append(
            AttemptItem(
                position=position,
                item_id=item.id,
                item_key=item.key,
                snapshot=snapshot_of(item, seed, position),
            )
        )
    try:
        # A savepoint: a second request with the same start token loses the race here.
        with db.session.begin_nested():
            db.session.add(attempt)
    except IntegrityError:
        earlier = _attempt_by_token(user_id, start_token) if start_token else None
        if earlier is None:
            raise
        return earlier
    return attempt


def _attempt_by_token(user_id: int, start_token: str) -> Attempt | None:
    return db.session.scalar(
        select(Attempt).where(Attempt.user_id == user_id, Attempt.start_token == start_token)
    )


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
# The two writes of a save, as Core statements on the tables: the same SQL as an ORM
# update(Attempt) with synchronize_session=False, without the ORM's bulk-update work
# (~0.15 ms each, inside the write lock). Nothing is pending in the session when they run.
_attempts, _attempt_items = Attempt.__table__, AttemptItem.__table__
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
    if response is None and has_input(form):
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
    _grade_item(item, user_id, now)
    return SaveOutcome.CHECKED


def unreadable(snapshot: Mapping[str, Any], response: Any) -> bool:
    """Whether a saved answer cannot be graded as what it claims to be (see numeric.py)."""
    check = getattr(REGISTRY[snapshot["type"]], "unreadable", None)
    return check is not None and check(snapshot["view"], response)


def grade_of(snapshot: Mapping[str, Any], response: Any) -> Grade:
    return REGISTRY[snapshot["type"]].grade(snapshot["view"], snapshot["key"], response)


def _grade_item(item: AttemptItem, user_id: int, now: datetime) -> None:
    """Grade once: the conditional UPDATE makes a second grading (and memory update) a no-op."""
    snapshot, attempt_id = item.snapshot, item.attempt_id
    grade = grade_of(snapshot, item.response)
    result = db.session.execute(
        update(AttemptItem)
        .where(AttemptItem.id == item.id, AttemptItem.graded_at.is_(None))
        .values(
            graded_at=now,
            score=grade.score,
            correct=grade.correct,
            typo_forgiven=grade.typo_forgiven,
            notes=list(grade.notes),
        )
        .execution_options(synchronize_session=False)
    )
    db.session.expire(item)
    if result.rowcount != 1:
        return
    # The progress page's running totals count every graded answer, blank ones too.
    progress.record_graded(user_id, attempt_id, snapshot, grade.score, grade.correct, now)
    if item.response is not None:
        record_memory(item, user_id, grade, now)


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
    attempt.score = total_score([item.score or 0.0 for item in items])
    db.session.flush()
    return True


def total_score(scores: Sequence[float]) -> float:
    return math.fsum(scores) / len(scores) if scores else 0.0


# -- reading attempts ---------------------------------------------------------------------


def own_attempt(attempt_id: int, user_id: int) -> Attempt | None:
    attempt = db.session.get(Attempt, attempt_id)
    return attempt if attempt is not None and attempt.user_id == user_id else None


def open_attempts(user_id: int, now: datetime) -> list[Attempt]:
    """The attempts the student can resume, after closing those their deadline has closed."""
    stmt = (
        select(Attempt)
        .where(Attempt.user_id == user_id, Attempt.status == AttemptStatus.IN_PROGRESS)
        .order_by(Attempt.updated_at.desc())
    )
    attempts = list(db.session.scalars(stmt))
    return [attempt for attempt in attempts if not close_if_expired(attempt, now)]


HISTORY_PER_PAGE = 25


class PastAttempt(NamedTuple):
    attempt: Attempt
    questions: int
    due_at: datetime | None  # its assignment's due date, if it was taken for one


def due_date_of(attempt: Attempt) -> datetime | None:
    """The due date of the assignment the attempt was taken for, if any."""
    if attempt.assignment_id is None:
        return None
    due = select(Assignment.due_at).where(Assignment.id == attempt.assignment_id)
    return db.session.scalar(due)


def history(user_id: int, page: int = 1) -> Page[PastAttempt]:
    """A student's attempts, newest first, a page at a time (a student may have thousands),
    each with its number of questions counted in SQL rather than by loading its items."""
    total = db.session.scalar(select(func.count(Attempt.id)).where(Attempt.user_id == user_id))
    questions = (
        select(func.count(AttemptItem.id))
        .where(AttemptItem.attempt_id == Attempt.id)
        .scalar_subquery()
    )

    def read(limit: int, offset: int) -> list[PastAttempt]:
        query = (
            select(Attempt, questions, Assignment.due_at)
            .outerjoin(Assignment, Assignment.id == Attempt.assignment_id)
            .where(Attempt.user_id == user_id)
            .order_by(Attempt.started_at.desc(), Attempt.id.desc())
            .limit(limit)
            .offset(offset)
        )
        return [PastAttempt(*row) for row in db.session.execute(query)]

    return page_of(total, page, HISTORY_PER_PAGE, read)
