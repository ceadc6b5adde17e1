"""Studying a deck: the queue, rating through the shared memory service, undo, typed answers,
spreading a backlog after a break, and exam mode. Flushes, never commits; `now` is given.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import cached_property

from sqlalchemy import case, delete, func, select

from models import ReviewLog, StudyPreferences, db
from quizzes import memory
from quizzes.cards import decks
from quizzes.cards.decks import Keyed, StudyDeck, new_states
from quizzes.domain import srs
from quizzes.domain.flashcards import Flashcard, pick_form
from quizzes.domain.itemtypes import REGISTRY, Grade

SOURCE = "flashcard"
RATING_LABELS = {
    srs.Rating.Again: "Again",
    srs.Rating.Hard: "Hard",
    srs.Rating.Good: "Good",
    srs.Rating.Easy: "Easy",
}


# -- the learner's settings and exam plan ---------------------------------------------


@dataclass(frozen=True)
class Exam:
    day: date
    topic: str


@dataclass(frozen=True)
class StudyContext:
    settings: srs.StudySettings
    exam: Exam | None = None

    def exam_date_for(self, deck: StudyDeck, today: date) -> date | None:
        """The exam date when this deck is the exam's topic and the exam is not past."""
        if self.exam and deck.topic == self.exam.topic and self.exam.day >= today:
            return self.exam.day
        return None


def load_context(user_id: int) -> StudyContext:
    settings = memory.load_settings(user_id)
    prefs = db.session.get(StudyPreferences, user_id)
    exam = None
    if prefs is not None and prefs.exam_date is not None and prefs.exam_topic:
        exam = Exam(prefs.exam_date.astimezone(UTC).date(), prefs.exam_topic)
    return StudyContext(settings, exam)


def save_exam(user_id: int, exam: Exam | None) -> None:
    """Store the exam plan; its date is kept as midnight UTC of that day."""
    prefs = db.session.get(StudyPreferences, user_id)
    if prefs is None:
        prefs = StudyPreferences(user_id=user_id, settings={})
        db.session.add(prefs)
    prefs.exam_date = datetime.combine(exam.day, time(), tzinfo=UTC) if exam else None
    prefs.exam_topic = exam.topic if exam else None
    db.session.flush()


# -- what was done today --------------------------------------------------------------


def done_today(user_id: int, now: datetime, settings: srs.StudySettings) -> srs.DailyCounts:
    """Flashcard reviews that count against today's limits (learning steps do not).

    Counted in SQL on the (user_id, reviewed_at) index: first reviews have no state
    before; reviews of Review-state memories have state 2 before.
    """
    start = srs.day_start(srs.study_day(now, settings), settings)
    state = ReviewLog.state_before["state"].as_integer()
    new, reviews = db.session.execute(
        select(
            func.count(case((state.is_(None), 1))),
            func.count(case((state == int(srs.State.Review), 1))),
        ).where(
            ReviewLog.user_id == user_id,
            ReviewLog.source == SOURCE,
            ReviewLog.reviewed_at >= start,
        )
    ).one()
    return srs.DailyCounts(new=new, reviews=reviews)


# -- the queue ------------------------------------------------------------------------


@dataclass
class Queue:
    entries: list[srs.QueueEntry]
    states: dict[str, srs.MemoryState]
    done: srs.DailyCounts
    exam_date: date | None = None
    backlog: dict[date, list[str]] = field(default_factory=dict)

    @property
    def counts(self) -> Counter[str]:
        return Counter(entry.kind.value for entry in self.entries)


def build_queue(
    deck: StudyDeck, user_id: int, now: datetime, context: StudyContext, *, with_plan: bool = False
) -> Queue:
    """Today's queue for this deck (srs.due_queue over the deck's memories)."""
    settings = context.settings
    today = srs.study_day(now, settings)
    exam_date = context.exam_date_for(deck, today)
    done = done_today(user_id, now, settings)
    if exam_date is not None:
        # Exam mode looks at every memory: some not yet due will be forgotten by then.
        pairs = deck.all_states(user_id)
    else:
        horizon = max(srs.day_end(today, settings), now + settings.learn_ahead)
        pairs = deck.due_states(user_id, horizon)
    new_room = max(0, settings.new_per_day - done.new)
    known = {key for key, _ in pairs}
    pairs += new_states([k for k in deck.new_keys(user_id, new_room) if k not in known], now)
    entries = srs.due_queue(pairs, now, settings, done.new, done.reviews, exam_date=exam_date)
    queue = Queue(entries, dict(pairs), done, exam_date)
    if with_plan:
        queue.backlog = backlog_plan(pairs, now, settings, done.reviews)
    return queue


@dataclass(frozen=True)
class NextCard:
    card: Flashcard
    entry: srs.QueueEntry
    state: srs.MemoryState
    now: datetime
    settings: srs.StudySettings

    @cached_property
    def intervals(self) -> dict[srs.Rating, str]:
        """The button labels ("10m", "2d"); worked out only when the back is shown."""
        return button_labels(self.state, self.now, self.settings)


def button_labels(state: srs.MemoryState, now: datetime, settings) -> dict[srs.Rating, str]:
    previews = srs.preview_intervals(state, now, settings)
    return {rating: srs.format_interval(interval) for rating, interval in previews.items()}


def next_card(deck: StudyDeck, queue: Queue, now: datetime, settings) -> NextCard | None:
    """The first queued memory that still has a card, in the form to show this time."""
    for entry in queue.entries:
        forms = deck.forms([entry.key]).get(entry.key)
        if not forms:
            continue  # a card deleted since the queue was built
        state = queue.states[entry.key]
        card = pick_form(forms, state.last_review)
        return NextCard(card, entry, state, now, settings)
    return None


def card_view(deck: StudyDeck, user_id: int, card: Flashcard, now: datetime, settings) -> NextCard:
    """A given card (after undo, or to show its back) with its current intervals."""
    state = _state(user_id, card.memory_key) or srs.MemoryState.new(now)
    kind = {srs.Phase.NEW: srs.QueueKind.NEW, srs.Phase.REVIEW: srs.QueueKind.REVIEW}.get(
        state.phase, srs.QueueKind.LEARNING
    )
    entry = srs.QueueEntry(card.memory_key, kind, state.due)
    return NextCard(card, entry, state, now, settings)


def _state(user_id: int, key: str) -> srs.MemoryState | None:
    row = memory.memory_state(user_id, key)
    return srs.MemoryState.from_dict(row.state) if row else None


# -- rating and undo ------------------------------------------------------------------


def rate(
    user_id: int,
    card: Flashcard,
    rating: srs.Rating | int,
    now: datetime,
    settings: srs.StudySettings,
    *,
    duration_ms: int | None = None,
) -> list[int]:
    """Review every memory the card trains; returns the new ReviewLog ids (for undo)."""
    personal_id = int(card.id.split(":")[1]) if card.id.startswith("card:") else None
    log_ids: list[int] = []
    entries = memory.record_review(
        user_id,
        card.memory_keys,
        rating,
        now,
        SOURCE,
        settings=settings,
        topics=card.tags,
        duration_ms=duration_ms,
        card_id=personal_id,
        log_ids=log_ids,
    )
    keys = dict.fromkeys(card.memory_keys)  # record_review's order, one entry per key
    first_time = [
        key for key, entry in zip(keys, entries, strict=True) if entry.state_before == srs.Phase.NEW
    ]
    decks.mark_studied(first_time, now)
    return sorted(log_ids)


def undo(user_id: int, log_ids: list[int]) -> bool:
    """Take back a flashcard rating: restore each memory as it was, drop the log rows.

    Refused (False) when a log is not this user's flashcard review, or a later review
    of the same memory exists (then the state before is no longer the one to restore).
    """
    if not log_ids:
        return False
    rows = list(
        db.session.scalars(
            select(ReviewLog).where(
                ReviewLog.id.in_(log_ids), ReviewLog.user_id == user_id, ReviewLog.source == SOURCE
            )
        )
    )
    if len(rows) != len(set(log_ids)):
        return False
    for row in rows:
        latest = db.session.scalar(
            select(func.max(ReviewLog.id)).where(
                ReviewLog.user_id == user_id, ReviewLog.memory_key == row.memory_key
            )
        )
        if latest != row.id:
            return False
    for row in rows:
        state_row = memory.memory_state(user_id, row.memory_key)
        if row.state_before is None:
            decks.mark_studied([row.memory_key], None)
            if state_row is not None:
                db.session.delete(state_row)
        elif state_row is not None:
            before = srs.MemoryState.from_dict(row.state_before)
            state_row.state = before.to_dict()
            state_row.due = before.due
    db.session.execute(delete(ReviewLog).where(ReviewLog.id.in_([row.id for row in rows])))
    db.session.flush()
    return True


# -- typed answers --------------------------------------------------------------------


@dataclass(frozen=True)
class TypedCheck:
    grade: Grade
    rating: srs.Rating  # what the quiz graders propose
    typed: str  # what was typed, as the graders read it
    expected: str


def check_typed(card: Flashcard, form: Mapping[str, list[str]]) -> TypedCheck | None:
    """Grade a typed answer with the quiz graders; None if this card takes no typing."""
    if card.typed is None:
        return None
    item_type, data = card.typed
    module = REGISTRY[item_type]
    view, key = module.present(data, random.Random(0))  # nothing a typed answer sees is shuffled
    response = module.parse_response(view, form)
    grade = module.grade(view, key, response)
    rating = srs.rating_from_quiz(grade.correct, grade.typo_forgiven, grade.score)
    return TypedCheck(
        grade, rating, module.describe_response(view, response), module.describe_key(view, key)
    )


# -- after a break --------------------------------------------------------------------


def backlog_plan(
    pairs: list[Keyed], now: datetime, settings: srs.StudySettings, reviews_done_today: int
) -> dict[date, list[str]]:
    """When more reviews are due than today's limit allows, the days they are spread over.

    srs.spread_backlog plans under the daily review limit; reviews already done today
    used part of today's room, so today's share beyond it moves to the next days, each
    still under the limit (counting reviews that fall due on that day anyway).
    Empty when everything due fits today.
    """
    cap = max(1, settings.reviews_per_day)
    today = srs.study_day(now, settings)
    end_of_today = srs.day_end(today, settings)
    room_today = max(0, settings.reviews_per_day - reviews_done_today)
    due_today = [
        key for key, state in pairs if state.phase == srs.Phase.REVIEW and state.due < end_of_today
    ]
    if len(due_today) <= room_today:
        return {}
    plan = srs.spread_backlog(pairs, now, settings, cap)
    todays = plan.pop(today, [])
    carry = todays[room_today:]
    if room_today:
        plan[today] = todays[:room_today]
    due_later = Counter(
        srs.study_day(state.due, settings)
        for _, state in pairs
        if state.phase == srs.Phase.REVIEW and state.due >= end_of_today
    )
    day = today
    while carry:
        day += timedelta(days=1)
        room = cap - due_later[day] - len(plan.get(day, []))
        if room > 0:
            plan[day] = carry[:room] + plan.get(day, [])
            carry = carry[room:]
    return dict(sorted(plan.items()))


# -- what comes next ------------------------------------------------------------------


@dataclass(frozen=True)
class DueNext:
    later_today: datetime | None  # the next learning step today, if any
    upcoming: list[tuple[date, int]]  # reviews per coming day (next 7 days, non-zero)
    new_waiting: int


def due_next(deck: StudyDeck, user_id: int, now: datetime, settings: srs.StudySettings) -> DueNext:
    states = [state for _, state in deck.all_states(user_id)]
    today = srs.study_day(now, settings)
    end = srs.day_end(today, settings)
    later = [s.due for s in states if not s.is_new and now < s.due < end]
    forecast = srs.due_forecast(states, now, settings, days=8)
    upcoming = [(day, n) for day, n in forecast.items() if day > today and n]
    return DueNext(min(later) if later else None, upcoming, deck.new_count(user_id))
