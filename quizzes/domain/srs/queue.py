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


def due_queue(
    cards: Iterable[Keyed],
    now: datetime,
    settings: StudySettings,
    new_done_today: int,
    reviews_done_today: int,
    *,
    exam_date: date | None = None,
) -> list[QueueEntry]:
    """The study queue at `now`, in the order to show it.

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
    learning_now: list[Keyed] = []
    learning_soon: list[Keyed] = []
    reviews: list[Keyed] = []
    new: list[Keyed] = []
    exam_at = exam_moment(exam_date, settings) if exam_date is not None else None
    if exam_date is not None and exam_date < today:
        raise ValueError(f"the exam date {exam_date} is already past")

    for key, state in cards:
        phase = state.phase
        if phase == Phase.NEW:
            if state.due < end_of_today:
                new.append((key, state))
        elif phase == Phase.REVIEW:
            if state.due < end_of_today:
                reviews.append((key, state))
            elif (
                exam_at is not None
                and state.retrievability(exam_at, settings) < settings.desired_retention
            ):
                reviews.append((key, state))
        elif state.due <= now:
            learning_now.append((key, state))
        elif state.due <= now + settings.learn_ahead:
            learning_soon.append((key, state))

    review_room = max(0, settings.reviews_per_day - reviews_done_today)
    new_room = max(0, settings.new_per_day - new_done_today)
    reviews = _at_risk_order(reviews, exam_at or now)[:review_room]
    new = sorted(new, key=lambda kv: (kv[1].due, kv[0]))[:new_room]

    def by_due(pairs: list[Keyed]) -> list[Keyed]:
        return sorted(pairs, key=lambda kv: (kv[1].due, kv[0]))

    return (
        [QueueEntry(k, QueueKind.LEARNING, s.due) for k, s in by_due(learning_now)]
        + [QueueEntry(k, QueueKind.REVIEW, s.due) for k, s in reviews]
        + [QueueEntry(k, QueueKind.NEW, s.due) for k, s in new]
        + [QueueEntry(k, QueueKind.LEARNING, s.due) for k, s in by_due(learning_soon)]
    )


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
