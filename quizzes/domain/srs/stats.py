"""Numbers for the statistics page (charts are drawn elsewhere; this only counts)."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from fsrs import Rating

from quizzes.domain.srs.clock import as_utc, study_day
from quizzes.domain.srs.memory import MemoryState, Phase
from quizzes.domain.srs.review import ReviewLogEntry
from quizzes.domain.srs.settings import StudySettings


@dataclass(frozen=True)
class DailyCounts:
    new: int  # first reviews of never-seen memories
    reviews: int  # reviews of memories in the Review state


def done_today(
    entries: Iterable[ReviewLogEntry], now: datetime, settings: StudySettings
) -> DailyCounts:
    """What counts against today's limits in `queue.due_queue` (learning steps do not)."""
    today = study_day(now, settings)
    todays = [e for e in entries if study_day(e.reviewed_at, settings) == today]
    return DailyCounts(
        new=sum(1 for e in todays if e.state_before == Phase.NEW),
        reviews=sum(1 for e in todays if e.state_before == Phase.REVIEW),
    )


def reviews_per_day(entries: Iterable[ReviewLogEntry], settings: StudySettings) -> dict[date, int]:
    """Number of reviews (all kinds) per study day, days in order; days without any are absent."""
    counts = Counter(study_day(entry.reviewed_at, settings) for entry in entries)
    return dict(sorted(counts.items()))


def due_forecast(
    states: Iterable[MemoryState], now: datetime, settings: StudySettings, days: int = 30
) -> dict[date, int]:
    """Memories falling due on each of the next `days` study days, today first.

    Overdue memories count on today; never-reviewed ones are not "due". Every day is
    present, with 0 when nothing falls due, so a chart gets a continuous axis.
    """
    if days < 1:
        raise ValueError(f"days must be at least 1, got {days}")
    today = study_day(now, settings)
    forecast = {today + timedelta(days=offset): 0 for offset in range(days)}
    for state in states:
        if state.is_new:
            continue
        day = max(study_day(state.due, settings), today)
        if day in forecast:
            forecast[day] += 1
    return forecast


@dataclass(frozen=True)
class RetentionStats:
    reviews: int  # reviews of memories that were in the Review state
    passed: int  # of those, answered anything but Again
    achieved: float | None  # passed / reviews; None without reviews
    desired: float


def retention_achieved(
    entries: Iterable[ReviewLogEntry],
    settings: StudySettings,
    since: datetime | None = None,
) -> RetentionStats:
    """True retention: the share of non-Again among reviews of Review-state memories.

    Learning steps are left out, as in Anki's "true retention": they test minutes-old
    memories. Compare `achieved` with `desired` (the settings' desired retention).
    """
    start = as_utc(since, "since") if since is not None else None
    relevant = [
        e
        for e in entries
        if e.state_before == Phase.REVIEW and (start is None or e.reviewed_at >= start)
    ]
    passed = sum(1 for e in relevant if e.rating != Rating.Again)
    return RetentionStats(
        reviews=len(relevant),
        passed=passed,
        achieved=passed / len(relevant) if relevant else None,
        desired=settings.desired_retention,
    )


@dataclass(frozen=True)
class TopicRecall:
    recall: float | None  # mean predicted recall of the reviewed memories; None if none
    reviewed: int
    unseen: int  # never-reviewed memories, left out of the mean
    learning: int = 0  # in learning or relearning steps (just failed), left out of the mean


def recall_now(state: MemoryState, at: datetime, settings: StudySettings) -> float:
    """fsrs' forgetting curve at `at`, with the time since the last review in fractions of
    a day: fsrs' own count of whole days reads 100% for the rest of the day of a review."""
    if state.last_review is None or not state.stability:
        return 0.0
    decay = -settings.scheduler.parameters[20]
    factor = 0.9 ** (1 / decay) - 1
    days = max(0.0, (as_utc(at, "at") - state.last_review).total_seconds() / 86_400)
    return float((1 + factor * days / state.stability) ** decay)


def predicted_recall_by_topic(
    states: Iterable[tuple[Iterable[str], MemoryState]],
    now: datetime,
    settings: StudySettings,
) -> dict[str, TopicRecall]:
    """Mean predicted recall now, per topic; a memory counts in each of its topics.

    Never-reviewed memories would count as recall 0 in fsrs; they are reported apart
    (`unseen`) so a topic just started does not look forgotten. Memories in learning or
    relearning steps (new, or failed and due again within minutes) are reported apart too
    (`learning`): the forgetting curve is for learnt memories, and right after an Again it
    predicts near 100%, which reads as if the card were known.
    """
    recalls: defaultdict[str, list[float]] = defaultdict(list)
    unseen: Counter[str] = Counter()
    learning: Counter[str] = Counter()
    for topics, state in states:
        for topic in dict.fromkeys(topics):
            if state.is_new:
                unseen[topic] += 1
            elif state.phase in (Phase.LEARNING, Phase.RELEARNING):
                learning[topic] += 1
            else:
                recalls[topic].append(recall_now(state, now, settings))
    result = {}
    for topic in sorted(set(recalls) | set(unseen) | set(learning)):
        values = recalls.get(topic, [])
        result[topic] = TopicRecall(
            recall=sum(values) / len(values) if values else None,
            reviewed=len(values),
            unseen=unseen[topic],
            learning=learning[topic],
        )
    return result
