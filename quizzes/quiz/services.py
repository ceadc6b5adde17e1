"""Attempts between the ORM and the item types: what a quiz may draw from, assembling an
attempt, reading past ones (answering them: quiz/answers.py).

Everything here flushes and never commits (the route commits once). The clock is a `now`
argument, randomness an `rng`. State changes that two requests could race on (a double
click on "Start") are settled by the database (a unique start token).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from random import Random
from typing import Any, NamedTuple

from sqlalchemy import ColumnElement, and_, exists, func, or_, select
from sqlalchemy.exc import IntegrityError

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
from quizzes.domain.itemtypes import REGISTRY
from quizzes.quiz import selection, timing
from quizzes.quiz.answers import close_if_expired
from quizzes.web.display import topic_title
from quizzes.web.pagination import Page, page_of

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
    if assignment_id is not None:
        # An assignment is a test: every student has the same chance of every item (k of n
        # is a uniform draw with the attempt's seed), whatever their practice history.
        keys = rng.sample(sorted(by_key), min(size, len(by_key)))
    else:
        keys = selection.choose(
            _candidates(user_id, items),
            size,
            now,
            rng,
            one_per_fact=True,
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


# -- reading attempts ---------------------------------------------------------------------


def own_attempt(attempt_id: int, user_id: int) -> Attempt | None:
    attempt = db.session.get(Attempt, attempt_id)
    return attempt if attempt is not None and attempt.user_id == user_id else None


def can_discard(attempt: Attempt) -> bool:
    """Only an open practice quiz: an assignment's attempt is the teacher's record."""
    return attempt.assignment_id is None and attempt.status is AttemptStatus.IN_PROGRESS


def discard(attempt: Attempt) -> None:
    """Delete an open practice attempt and its items (flushes; the caller commits). What
    its checked answers taught the learner's memories stays: those reviews happened."""
    if not can_discard(attempt):
        raise ValueError("only an open practice attempt can be discarded")
    db.session.delete(attempt)
    db.session.flush()


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
    """The due date of the assignment the attempt was taken for, if any (the student's own
    when the teacher extended it)."""
    if attempt.assignment_id is None:
        return None
    assignment = db.session.get(Assignment, attempt.assignment_id)
    return assignment.due_for(attempt.user_id) if assignment is not None else None


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
