"""Reviewing a memory: the only place a MemoryState changes (by returning a new one)."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal

from fsrs import Rating, ReviewLog, State
from fsrs.scheduler import FUZZ_RANGES

from quizzes.domain.srs.clock import as_utc
from quizzes.domain.srs.memory import MemoryState, Phase
from quizzes.domain.srs.settings import StudySettings

ReviewSource = Literal["flashcard", "quiz"]
REVIEW_SOURCES: tuple[ReviewSource, ...] = ("flashcard", "quiz")


@dataclass(frozen=True)
class ReviewLogEntry:
    """One review, with enough to train the FSRS optimizer and to draw statistics.

    `elapsed_days` is whole days since the previous review (None on the first one),
    as fsrs counts them. `scheduled_interval` is the time until the new due moment.
    `retrievability` is fsrs' predicted recall just before the review (0 when new).
    """

    rating: Rating
    reviewed_at: datetime
    source: ReviewSource
    duration_ms: int | None
    state_before: Phase
    state_after: Phase
    elapsed_days: int | None
    scheduled_interval: timedelta
    retrievability: float
    stability_after: float
    difficulty_after: float

    def to_fsrs_review_log(self, card_id: int) -> ReviewLog:
        """The fsrs ReviewLog (for fsrs' Optimizer); `card_id` from `fsrs_card_id(key)`."""
        return ReviewLog(
            card_id=card_id,
            rating=self.rating,
            review_datetime=self.reviewed_at,
            review_duration=self.duration_ms,
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "rating": int(self.rating),
            "reviewed_at": self.reviewed_at.isoformat(),
            "source": self.source,
            "duration_ms": self.duration_ms,
            "state_before": str(self.state_before),
            "state_after": str(self.state_after),
            "elapsed_days": self.elapsed_days,
            "scheduled_seconds": self.scheduled_interval.total_seconds(),
            "retrievability": self.retrievability,
            "stability_after": self.stability_after,
            "difficulty_after": self.difficulty_after,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ReviewLogEntry:
        return cls(
            rating=Rating(int(data["rating"])),
            reviewed_at=as_utc(datetime.fromisoformat(data["reviewed_at"]), "reviewed_at"),
            source=data["source"],
            duration_ms=data["duration_ms"],
            state_before=Phase(data["state_before"]),
            state_after=Phase(data["state_after"]),
            elapsed_days=data["elapsed_days"],
            scheduled_interval=timedelta(seconds=data["scheduled_seconds"]),
            retrievability=float(data["retrievability"]),
            stability_after=float(data["stability_after"]),
            difficulty_after=float(data["difficulty_after"]),
        )


def _fuzz_range(interval_days: int, maximum_interval: int) -> tuple[int, int]:
    """fsrs' own fuzz bounds (fsrs.scheduler.FUZZ_RANGES), reproduced to use our generator."""
    delta = 1.0
    for fuzz in FUZZ_RANGES:
        delta += fuzz["factor"] * max(min(float(interval_days), fuzz["end"]) - fuzz["start"], 0.0)
    low = max(2, round(interval_days - delta))
    high = min(round(interval_days + delta), maximum_interval)
    return min(low, high), high


def _fuzzed(interval: timedelta, rng: random.Random, maximum_interval: int) -> timedelta:
    if interval.days < 2.5:  # as fsrs: no fuzz on intervals under 2.5 days
        return interval
    low, high = _fuzz_range(interval.days, maximum_interval)
    return timedelta(days=rng.randint(low, high))


def _default_rng(state: MemoryState, now: datetime, rating: Rating) -> random.Random:
    # Seeded by what is being reviewed, when, and how: the same review always gets the
    # same fuzz, so preview_intervals() shows exactly what review() will schedule.
    return random.Random(f"{state.to_json()}|{now.isoformat()}|{int(rating)}")


def review(
    state: MemoryState,
    rating: Rating | int,
    now: datetime,
    settings: StudySettings,
    *,
    source: ReviewSource = "flashcard",
    duration_ms: int | None = None,
    rng: random.Random | None = None,
) -> tuple[MemoryState, ReviewLogEntry]:
    """Review `state` with `rating` at `now`; returns the new state and its log entry.

    Never mutates `state`. With fuzzing on and no `rng`, the fuzz is drawn from a
    generator seeded by (state, now, rating), so the result is reproducible.
    """
    now = as_utc(now)
    rating = Rating(rating)
    if source not in REVIEW_SOURCES:
        raise ValueError(f"source must be one of {REVIEW_SOURCES}, got {source!r}")
    if state.last_review is not None and now < state.last_review:
        raise ValueError(f"review at {now} is before the last review at {state.last_review}")
    scheduler = settings.scheduler
    card = state.to_card()
    retrievability = float(scheduler.get_card_retrievability(card, now))
    new_card, _ = scheduler.review_card(card, rating, now, duration_ms)
    if settings.enable_fuzzing and new_card.state == State.Review:
        chosen_rng = rng if rng is not None else _default_rng(state, now, rating)
        new_card.due = now + _fuzzed(new_card.due - now, chosen_rng, settings.maximum_interval_days)
    new_state = MemoryState.from_card(new_card)
    assert new_state.stability is not None and new_state.difficulty is not None
    entry = ReviewLogEntry(
        rating=rating,
        reviewed_at=now,
        source=source,
        duration_ms=duration_ms,
        state_before=state.phase,
        state_after=new_state.phase,
        elapsed_days=(now - state.last_review).days if state.last_review else None,
        scheduled_interval=new_state.due - now,
        retrievability=retrievability,
        stability_after=new_state.stability,
        difficulty_after=new_state.difficulty,
    )
    return new_state, entry


def preview_intervals(
    state: MemoryState, now: datetime, settings: StudySettings
) -> dict[Rating, timedelta]:
    """The interval each of the four buttons would schedule (what `review` would do)."""
    return {rating: review(state, rating, now, settings)[0].due - as_utc(now) for rating in Rating}
