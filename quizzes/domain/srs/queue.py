"""What to study now: today's queue, spreading a backlog after a break, cramming for an exam.

All functions take the memories as (key, MemoryState) pairs and return keys; the keys
are the caller's (see memory.memory_keys).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from quizzes.domain.srs.clock import as_utc, day_end, day_start, study_day
from quizzes.domain.srs.memory import MemoryState, Phase
from quizzes.domain.srs.settings import StudySettings

Keyed = tuple[str, MemoryState]


class QueueKind(StrEnum):
    LEARNING = "learning"  # learning or relearning steps (minutes)
    REVIEW = "review"
    NEW = "new"


@dataclass(frozen=True)
class QueueEntry:
    key: str
    kind: QueueKind
    due: datetime


def _at_risk_order(pairs: Iterable[Keyed], at: datetime) -> list[Keyed]:
    """Lowest predicted recall at `at` first (highest forgetting index: the same order,
    computed exactly in SQL too); fsrs recall is per whole day, so ties are broken by
    the earlier due moment, then by key (a stable order)."""
    return sorted(pairs, key=lambda kv: (-kv[1].forgetting_index(at), kv[1].due, kv[0]))


def exam_moment(exam_date: date, settings: StudySettings) -> datetime:
    """The instant recall is predicted for in exam mode: the start of the exam's study day."""
    return day_start(exam_date, settings)


def exam_priority(
    states: Iterable[Keyed], exam_date: date, now: datetime, settings: StudySettings
) -> list[str]:
    """Every key, the one least likely to be recalled on the exam date first.

    Never-reviewed memories have predicted recall 0 and so come first.
    """
    if exam_date < study_day(now, settings):
        raise ValueError(f"the exam date {exam_date} is already past")
    return [key for key, _ in _at_risk_order(states, exam_moment(exam_date, settings))]


class Window(StrEnum):
    """Which due moments a part of the queue takes, at `now` on a study day."""

    DUE_NOW = "due now"  # due <= now
    TODAY = "due today"  # due before the end of the study day
    LEARN_AHEAD = "due within learn-ahead"  # now < due <= now + settings.learn_ahead


class Order(StrEnum):
    BY_DUE = "earliest due first"
    AT_RISK = "lowest predicted recall first"


class Room(StrEnum):
    """The daily limit that caps a part; learning steps have none (a card already started)."""

    NONE = "no limit"
    REVIEWS = "reviews_per_day"
    NEW = "new_per_day"


@dataclass(frozen=True)
class QueuePart:
    kind: QueueKind
    window: Window
    order: Order
    room: Room


# The study queue, in the order it is shown: the one definition. due_queue follows it over
# states in Python; quizzes/cards/queue.py follows it in SQL and checks, when imported,
# that it has a statement for every part. Ties go to the earlier due moment, then the key.
QUEUE: tuple[QueuePart, ...] = (
    QueuePart(QueueKind.LEARNING, Window.DUE_NOW, Order.BY_DUE, Room.NONE),
    QueuePart(QueueKind.REVIEW, Window.TODAY, Order.AT_RISK, Room.REVIEWS),
    QueuePart(QueueKind.NEW, Window.TODAY, Order.BY_DUE, Room.NEW),
    QueuePart(QueueKind.LEARNING, Window.LEARN_AHEAD, Order.BY_DUE, Room.NONE),
)
_PHASES = {
    QueueKind.LEARNING: (Phase.LEARNING, Phase.RELEARNING),
    QueueKind.REVIEW: (Phase.REVIEW,),
    QueueKind.NEW: (Phase.NEW,),
}


def due_queue(
    cards: Iterable[Keyed],
    now: datetime,
    settings: StudySettings,
    new_done_today: int,
    reviews_done_today: int,
    *,
    exam_date: date | None = None,
) -> list[QueueEntry]:
    """The study queue at `now`, in the order to show it: the parts of QUEUE in turn.

    1. learning/relearning memories due now, earliest first (never limited: they are
       minutes-long steps of a card already started);
    2. reviews due by the end of the study day, lowest predicted recall first, at most
       `reviews_per_day - reviews_done_today`;
    3. new memories, oldest first, at most `new_per_day - new_done_today`;
    4. learning memories due within `settings.learn_ahead` (Anki's "learn ahead"),
       shown only after everything else.

    In exam mode (`exam_date` given) step 2 also takes reviews not yet due whose
    predicted recall on the exam date is below the desired retention, and orders all
    of them by that predicted recall; the daily review limit still holds.
    Counts "done today" are the caller's (see stats.done_today).
    """
    now = as_utc(now)
    today = study_day(now, settings)
    end_of_today = day_end(today, settings)
    exam_at = exam_moment(exam_date, settings) if exam_date is not None else None
    if exam_date is not None and exam_date < today:
        raise ValueError(f"the exam date {exam_date} is already past")
    rooms = {
        Room.NONE: None,
        Room.REVIEWS: max(0, settings.reviews_per_day - reviews_done_today),
        Room.NEW: max(0, settings.new_per_day - new_done_today),
    }

    soon = now + settings.learn_ahead
    holds: dict[Window, Callable[[datetime], bool]] = {
        Window.DUE_NOW: lambda due: due <= now,
        Window.TODAY: lambda due: due < end_of_today,
        Window.LEARN_AHEAD: lambda due: now < due <= soon,
    }
    # The parts a memory of each phase can fall in, in queue order.
    parts_of: dict[Phase, list[tuple[int, Callable[[datetime], bool], bool]]] = {}
    for number, part in enumerate(QUEUE):
        for phase in _PHASES[part.kind]:
            is_review = part.kind is QueueKind.REVIEW
            parts_of.setdefault(phase, []).append((number, holds[part.window], is_review))

    taken: list[list[Keyed]] = [[] for _ in QUEUE]
    for key, state in cards:
        # Each memory in the first part that holds it.
        for number, in_window, review in parts_of.get(state.phase, ()):
            held = in_window(state.due)
            if not held and review and exam_at is not None:
                # Exam mode: a review not due yet that the exam would find forgotten.
                held = state.retrievability(exam_at, settings) < settings.desired_retention
            if held:
                taken[number].append((key, state))
                break

    entries: list[QueueEntry] = []
    for part, pairs in zip(QUEUE, taken, strict=True):
        if part.order is Order.AT_RISK:
            pairs = _at_risk_order(pairs, exam_at or now)
        else:
            pairs = sorted(pairs, key=lambda kv: (kv[1].due, kv[0]))
        room = rooms[part.room]
        entries += [QueueEntry(key, part.kind, state.due) for key, state in pairs[:room]]
    return entries


def spread_backlog(
    backlog: int,
    today: date,
    room_today: int,
    cap_per_day: int,
    due_on: Callable[[date], int],
    days: int = 14,
) -> dict[date, int]:
    """How many of `backlog` reviews (due by the end of today) to do on each study day.

    Today takes up to `room_today` (what today's review limit has left); each later day
    up to `cap_per_day` less the reviews falling due on it anyway (`due_on(day)`, asked
    only for the days the plan reaches). The plan covers `days` study days from today:
    what does not fit is left out (more falls due each day than the limit allows, and a
    plan months long would not be kept). The queue orders reviews by predicted recall,
    so the most at-risk come first. Days that get none are left out.
    """
    if not isinstance(cap_per_day, int) or cap_per_day < 1:
        raise ValueError(f"cap_per_day must be at least 1, got {cap_per_day!r}")
    plan: dict[date, int] = {}
    waiting, room = backlog, max(0, room_today)
    for offset in range(days):
        if waiting <= 0:
            break
        day = today + timedelta(days=offset)
        if offset:
            room = cap_per_day - due_on(day)
        if room > 0:
            plan[day] = min(room, waiting)
            waiting -= plan[day]
    return plan


# Not strftime("%A"): that follows the process locale.
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def describe_backlog_plan(plan: Mapping[date, int], today: date) -> str:
    """A one-line summary for the learner: "12 today, 12 tomorrow, 6 on Friday"."""
    parts = []
    for day in sorted(plan):
        count = plan[day]
        offset = (day - today).days
        if offset == 0:
            parts.append(f"{count} today")
        elif offset == 1:
            parts.append(f"{count} tomorrow")
        elif 1 < offset < 7:
            parts.append(f"{count} on {_WEEKDAYS[day.weekday()]}")
        else:
            parts.append(f"{count} on {day.isoformat()}")
    return ", ".join(parts)
