"""Progress figures from graded answers: pure functions over plain records."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

# Mastery is judged on the latest answers: old mistakes that were since fixed do not count.
RECENT_ANSWERS = 10


@dataclass(frozen=True)
class AnswerRecord:
    """One graded answer of an attempt, with what the item looked like then."""

    attempt_id: int
    item_key: str
    prompt: str
    right_answer: str
    topics: tuple[str, ...]
    score: float  # 0..1
    correct: bool
    graded_at: datetime


@dataclass(frozen=True)
class TopicMastery:
    topic: str
    answers: int
    right: int
    mastery: float  # mean score of the latest RECENT_ANSWERS answers, 0..1


@dataclass(frozen=True)
class MissedItem:
    item_key: str
    prompt: str
    right_answer: str
    missed: int
    answered: int
    last_attempt_id: int


def with_recent(recent: Sequence[float], score: float) -> list[float]:
    """The latest RECENT_ANSWERS scores after one more answer, oldest first."""
    return [*recent, score][-RECENT_ANSWERS:]


def mastery(recent: Sequence[float]) -> float:
    return math.fsum(recent) / len(recent) if recent else 0.0


def weakest_first(rows: Sequence[TopicMastery]) -> list[TopicMastery]:
    return sorted(rows, key=lambda row: (row.mastery, row.topic))


def most_missed_first(rows: Sequence[MissedItem], limit: int = 10) -> list[MissedItem]:
    """Most misses first, then the larger share missed, then by prompt."""
    ordered = sorted(rows, key=lambda row: (-row.missed, -row.missed / row.answered, row.prompt))
    return ordered[:limit]


def topic_mastery(records: Sequence[AnswerRecord]) -> list[TopicMastery]:
    """Per topic, weakest first (ties by name)."""
    by_topic: dict[str, list[AnswerRecord]] = {}
    for record in sorted(records, key=lambda r: r.graded_at):
        for topic in dict.fromkeys(record.topics):
            by_topic.setdefault(topic, []).append(record)
    rows = [
        TopicMastery(
            topic=topic,
            answers=len(answers),
            right=sum(r.correct for r in answers),
            mastery=mastery([r.score for r in answers[-RECENT_ANSWERS:]]),
        )
        for topic, answers in by_topic.items()
    ]
    return weakest_first(rows)


def most_missed(records: Sequence[AnswerRecord], limit: int = 10) -> list[MissedItem]:
    """Items answered wrongly (or partly) most often; the latest wording of each is shown."""
    by_item: dict[str, list[AnswerRecord]] = {}
    for record in sorted(records, key=lambda r: r.graded_at):
        by_item.setdefault(record.item_key, []).append(record)
    rows = []
    for key, answers in by_item.items():
        missed = sum(not r.correct for r in answers)
        if missed:
            latest = answers[-1]
            rows.append(
                MissedItem(
                    key, latest.prompt, latest.right_answer, missed, len(answers), latest.attempt_id
                )
            )
    return most_missed_first(rows, limit)
