"""Studying a deck: the queue, rating through the shared memory service, undo, typed answers,
spreading a backlog after a break, and exam mode. Flushes, never commits; `now` is given.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cached_property

from sqlalchemy import bindparam, case, delete, func, select

from models import MemoryState as MemoryRow
from models import ReviewLog, StudyPreferences, by_id, db
from quizzes import memory
from quizzes.cards import personal, typed
from quizzes.cards import queue as queue_sql
from quizzes.cards.decks import StudyDeck, new_states
from quizzes.domain import srs
from quizzes.domain.flashcards import Flashcard, pick_form
from quizzes.domain.itemtypes import REGISTRY, Grade
from quizzes.domain.itemtypes.base import first_text

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
    typed: bool = False  # flashcards ask for a typed answer first

    def exam_date_for(self, deck: StudyDeck, today: date) -> date | None:
        """The exam date when this deck is the exam's topic and the exam is not past."""
        if self.exam and deck.topic == self.exam.topic and self.exam.day >= today:
            return self.exam.day
        return None


def load_context(user_id: int) -> StudyContext:
    prefs = by_id(StudyPreferences, user_id)  # one read: the settings and the exam
    settings = memory.settings_of(prefs)
    exam = None
    if prefs is not None and prefs.exam_date is not None and prefs.exam_topic:
        exam = Exam(prefs.exam_date, prefs.exam_topic)
    return StudyContext(settings, exam, typed=prefs is not None and prefs.typed_answers)


def _preferences(user_id: int) -> StudyPreferences:
    prefs = db.session.get(StudyPreferences, user_id)
    if prefs is None:
        prefs = StudyPreferences(user_id=user_id, settings={})
        db.session.add(prefs)
    return prefs


def save_exam(user_id: int, exam: Exam | None) -> None:
    """Store the exam plan (a day: it starts at the learner's own day start)."""
    prefs = _preferences(user_id)
    prefs.exam_date = exam.day if exam else None
    prefs.exam_topic = exam.topic if exam else None
    db.session.flush()


def save_typed(user_id: int, typed: bool) -> None:
    """Whether flashcards ask for a typed answer: kept with the settings, on every device."""
    _preferences(user_id).typed_answers = typed
    db.session.flush()


# -- what was done today --------------------------------------------------------------


# Counted on the index (user_id, source, reviewed_at, before_phase): first reviews and
# reviews of memories in the Review phase count against the daily limits. Built once.
_LOGS = ReviewLog.__table__.c  # columns only: no ORM compile step on every study page
_DONE_TODAY = select(
    func.count(case((_LOGS.before_phase == srs.Phase.NEW.value, 1))),
    func.count(case((_LOGS.before_phase == srs.Phase.REVIEW.value, 1))),
).where(
    _LOGS.user_id == bindparam("user_id"),
    _LOGS.source == SOURCE,
    _LOGS.reviewed_at >= bindparam("start"),
)


def done_today(user_id: int, now: datetime, settings: srs.StudySettings) -> srs.DailyCounts:
    """Flashcard reviews that count against today's limits (learning steps do not)."""
    start = srs.day_start(srs.study_day(now, settings), settings)
    new, reviews = db.session.execute(_DONE_TODAY, {"user_id": user_id, "start": start}).one()
    return srs.DailyCounts(new=new, reviews=reviews)


# -- the queue ------------------------------------------------------------------------


@dataclass
class Queue:
    """Today's queue: the number of cards of each kind waiting, and the first of them."""

    entries: list[srs.QueueEntry]  # in order; the first `head` when build_queue got one
    states: dict[str, srs.MemoryState]  # the memories of those entries
    counts: Counter[str]  # waiting per kind: "learning", "review", "new" (none: absent)
    done: srs.DailyCounts
    # Reviews due by the end of today, before the daily limit: every one when a plan was
    # asked for, else up to one more than today's room (enough to tell a backlog).
    reviews_due: int
    review_room: int  # reviews today's limit has left
    new_limit: int | None = None  # new cards a day, across every deck (settings.new_per_day)
    later_today: int = 0  # learning steps due today past learn-ahead: not queued yet
    exam_date: date | None = None
    backlog: dict[date, int] = field(default_factory=dict)  # reviews planned per day
    planned: bool = False  # whether `backlog` was worked out (build_queue's with_plan)

    @property
    def size(self) -> int:
        return sum(self.counts.values())

    @property
    def left_today(self) -> int:
        """Cards still to study today: those queued and the steps coming back later."""
        return self.size + self.later_today

    @property
    def new_limit_reached(self) -> bool:
        """No new card today because the daily limit, shared by every deck, is used up."""
        return self.new_limit is not None and self.done.new >= self.new_limit

    @property
    def behind(self) -> bool:
        """More reviews are due than today's limit has room for."""
        return self.reviews_due > self.review_room

    @property
    def unplanned(self) -> int:
        """Reviews due that the backlog plan could not place within PLAN_DAYS (0 when
        there is no backlog or no plan was made)."""
        if not (self.planned and self.behind):
            return 0
        return self.reviews_due - sum(self.backlog.values())


def build_queue(
    deck: StudyDeck,
    user_id: int,
    now: datetime,
    context: StudyContext,
    *,
    with_plan: bool = False,
    head: int | None = None,
) -> Queue:
    """Today's queue for this deck, with its first `head` entries (all when None).

    In SQL (quizzes/cards/queue.py) except in exam mode, which looks at every memory:
    some not yet due will be forgotten by the exam (srs.due_queue over all of them).
    """
    settings = context.settings
    today = srs.study_day(now, settings)
    exam_date = context.exam_date_for(deck, today)
    done = done_today(user_id, now, settings)
    room = max(0, settings.reviews_per_day - done.reviews)
    if exam_date is None:
        entries, states, counts, reviews_due, later = queue_sql.waiting(
            deck, user_id, now, settings, done, head, count_every_review=with_plan
        )
        queue = Queue(
            entries, states, +Counter(counts), done, reviews_due, room, settings.new_per_day
        )
        queue.later_today = later
    else:
        pairs = deck.all_states(user_id)
        new_room = max(0, settings.new_per_day - done.new)
        known = {key for key, _ in pairs}
        pairs += new_states([k for k in deck.new_keys(user_id, new_room) if k not in known], now)
        entries = srs.due_queue(pairs, now, settings, done.new, done.reviews, exam_date=exam_date)
        end_of_today = srs.day_end(today, settings)
        reviews_due = sum(
            1 for _, s in pairs if s.phase == srs.Phase.REVIEW and s.due < end_of_today
        )
        counts = Counter(entry.kind.value for entry in entries)
        states = dict(pairs)
        entries = entries[:head]
        head_states = {entry.key: states[entry.key] for entry in entries}
        queue = Queue(entries, head_states, counts, done, reviews_due, room, settings.new_per_day)
        queue.exam_date = exam_date
        soon = now + settings.learn_ahead
        queue.later_today = sum(
            1
            for _, s in pairs
            if s.phase in (srs.Phase.LEARNING, srs.Phase.RELEARNING) and soon < s.due < end_of_today
        )
    if with_plan:
        queue.backlog = backlog_plan(deck, user_id, now, settings, queue)
        queue.planned = True
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


def next_card(
    deck: StudyDeck, queue: Queue, now: datetime, settings, *, after: Flashcard | None = None
) -> NextCard | None:
    """The first queued memory that still has a card, in the form to show this time.
    `after`: the card on screen, about to be rated; the card that will follow it is the
    first of the others (what the study page prefetches).

    Every queued memory has one: deleting a card deletes its memory (personal._forget), and
    a bank deck's memories are those of its active items (memory_scope).
    """
    skipped = frozenset(after.memory_keys) if after is not None else frozenset()
    for entry in queue.entries:
        if entry.key in skipped:
            continue
        forms = deck.forms([entry.key]).get(entry.key)
        if not forms:
            continue  # a card deleted since the queue was built
        state = queue.states[entry.key]
        card = pick_form(forms, state.last_review)
        if after is not None and card.id == after.id:
            continue
        return NextCard(card, entry, state, now, settings)
    return None


def card_view(deck: StudyDeck, user_id: int, card: Flashcard, now: datetime, settings) -> NextCard:
    """A given card (after undo, to show its back, to check a typed answer) with its
    current intervals. A card that trains several memories (an item on several facts)
    shows the one due soonest, as the queue that brought it does: the side with the
    answer showed another memory's phase and intervals than the question side."""
    known = [
        (state.due, key, state)
        for key in card.memory_keys
        if (state := _state(user_id, key)) is not None
    ]
    key, state = (min(known)[1:]) if known else (card.memory_key, srs.MemoryState.new(now))
    kind = {srs.Phase.NEW: srs.QueueKind.NEW, srs.Phase.REVIEW: srs.QueueKind.REVIEW}.get(
        state.phase, srs.QueueKind.LEARNING
    )
    entry = srs.QueueEntry(key, kind, state.due)
    return NextCard(card, entry, state, now, settings)


def _state(user_id: int, key: str) -> srs.MemoryState | None:
    row = memory.memory_state(user_id, key)
    return srs.MemoryState.from_dict(row.state) if row else None


# -- rating and undo ------------------------------------------------------------------


_LAST_REVIEWS = select(func.max(MemoryRow.last_review_us)).where(
    MemoryRow.user_id == bindparam("user_id"),
    MemoryRow.memory_key.in_(bindparam("keys", expanding=True)),
)


def card_version(user_id: int, card: Flashcard, shown: srs.MemoryState | None = None) -> int:
    """The card's memory as of now: its latest review (epoch microseconds; 0 when never
    reviewed). A rating moves it on, so a form showing an older one was already rated.
    `shown`, the state the page shows, saves the query for a card with one memory."""
    if shown is not None and len(card.memory_keys) == 1:
        return 0 if shown.last_review is None else srs.epoch_us(shown.last_review)
    found = db.session.scalar(_LAST_REVIEWS, {"user_id": user_id, "keys": list(card.memory_keys)})
    return found or 0


@dataclass(frozen=True)
class Rated:
    log_ids: list[int]  # the new ReviewLog rows, for undo
    done_for_today: bool  # due again only on a later day (an Again comes back today)


def rate(
    user_id: int,
    card: Flashcard,
    rating: srs.Rating | int,
    now: datetime,
    settings: srs.StudySettings,
    *,
    duration_ms: int | None = None,
    seen: int | None = None,
) -> Rated:
    """Review every memory the card trains; returns the new ReviewLog ids (for undo) and
    whether the card is done for today.

    `seen` is the card_version the page showed: a review since then raises
    memory.ReviewedMeanwhile (the same press sent twice, or racing another request).
    """
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
        unreviewed_since_us=seen,
    )
    keys = dict.fromkeys(card.memory_keys)  # record_review's order, one entry per key
    first_time = [
        key for key, entry in zip(keys, entries, strict=True) if entry.state_before == srs.Phase.NEW
    ]
    personal.mark_studied(first_time, now)
    end_of_today = srs.day_end(srs.study_day(now, settings), settings)
    done = all(entry.reviewed_at + entry.scheduled_interval >= end_of_today for entry in entries)
    return Rated(sorted(log_ids), done)


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
            personal.mark_studied([row.memory_key], None)
            if state_row is not None:
                db.session.delete(state_row)
        elif state_row is not None:
            before = srs.MemoryState.from_dict(row.state_before)
            for column, value in memory.state_columns(before).items():
                setattr(state_row, column, value)
    db.session.execute(delete(ReviewLog).where(ReviewLog.id.in_([row.id for row in rows])))
    db.session.flush()
    return True


# -- typed answers --------------------------------------------------------------------


@dataclass(frozen=True)
class TypedCheck:
    grade: Grade | None  # None when the answer could not be read (see `problem`)
    rating: srs.Rating | None  # what the quiz graders propose
    typed: str  # what was typed, as the graders read it
    expected: str
    problem: str = ""  # why the typed text could not be read: ask again, grade nothing


def check_typed(card: Flashcard, form: Mapping[str, list[str]]) -> TypedCheck | None:
    """Grade a typed answer with the quiz graders; None if this card takes no typing."""
    if card.typed is None:
        return None
    item_type, data = card.typed
    module = REGISTRY[item_type]
    view, key = module.present(data, random.Random(0))  # nothing a typed answer sees is shuffled
    expected = module.describe_key(view, key)
    said = ""
    typed_form = getattr(module, "typed_form", None)
    if typed_form is not None:
        # Free text where the quiz has other fields (true/false radios): the type reads it.
        said = first_text(form, "answer") or ""
        read = typed_form(said)
        if read is None:
            return TypedCheck(None, None, said, expected, problem=module.TYPED_ASK)
        form = read
    response = module.parse_response(view, form)
    unreadable = getattr(module, "unreadable", None)
    if unreadable is not None and unreadable(view, response):  # text that is not a number
        return TypedCheck(None, None, response, expected, problem=module.TYPED_ASK)
    grade = module.grade(view, key, response)
    rating = srs.rating_from_quiz(grade.correct, grade.typo_forgiven, grade.score)
    described = module.describe_response(view, response)
    shown = typed.echo(said, described) if said else described
    return TypedCheck(grade, rating, shown, expected)


# -- after a break --------------------------------------------------------------------


PLAN_DAYS = 14  # how far ahead a backlog plan looks


def backlog_plan(
    deck: StudyDeck, user_id: int, now: datetime, settings: srs.StudySettings, queue: Queue
) -> dict[date, int]:
    """When more reviews are due than today's limit allows, how many go on each day.

    Today keeps what its limit has left after the reviews done today; each later day
    takes up to the limit less the reviews falling due on it anyway, for PLAN_DAYS
    (srs.spread_backlog). Empty when everything due fits today.
    """
    if not queue.behind:
        return {}
    scope = deck.memory_scope(user_id)
    cap = max(1, settings.reviews_per_day)

    def due_on(day: date) -> int:
        start, end = srs.day_start(day, settings), srs.day_end(day, settings)
        return queue_sql.count_due(scope, start, end, cap=cap)

    today = srs.study_day(now, settings)
    return srs.spread_backlog(
        queue.reviews_due, today, queue.review_room, cap, due_on, days=PLAN_DAYS
    )


# -- what comes next ------------------------------------------------------------------


@dataclass(frozen=True)
class DueNext:
    later_today: datetime | None  # the next learning step today, if any
    upcoming: list[tuple[date, int]]  # reviews per coming day (next 7 days, non-zero)
    new_waiting: int


def due_next(deck: StudyDeck, user_id: int, now: datetime, settings: srs.StudySettings) -> DueNext:
    """What the finished study page announces: a range count per coming day, not a scan."""
    scope = deck.memory_scope(user_id)
    today = srs.study_day(now, settings)
    later = queue_sql.first_due(scope, now, srs.day_end(today, settings))
    upcoming = []
    for offset in range(1, 8):
        day = today + timedelta(days=offset)
        start, end = srs.day_start(day, settings), srs.day_end(day, settings)
        count = queue_sql.count_due(scope, start, end, phases=queue_sql.STUDIED_PHASES)
        if count:
            upcoming.append((day, count))
    return DueNext(later, upcoming, deck.new_count(user_id))
