"""Which questions a live round asks: only types answered in seconds, and when drawn, the
class's weakest topics first (from the memory model's states of its students)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from random import Random

# Cloze (several blanks to type) takes longer than a live question gives.
LIVE_TYPES: tuple[str, ...] = (
    "single",
    "multi",
    "truefalse",
    "short",
    "numeric",
    "ordering",
    "matching",
)
MAX_QUESTIONS = 50


@dataclass(frozen=True)
class Candidate:
    key: str
    type: str
    topics: tuple[str, ...]
    memory_keys: tuple[str, ...]  # "fact:<id>" and "item:<key>"


def answerable_live(item_type: str) -> bool:
    return item_type in LIVE_TYPES


def topic_weakness(
    candidates: Sequence[Candidate],
    due_by_student: Mapping[int, Mapping[str, datetime]],
    now: datetime,
) -> dict[str, float]:
    """Per topic, the share of (student, memory) pairs that are unknown or due now: 1.0 =
    nobody has it, 0.0 = everyone remembers all of it. Without students every topic is 1."""
    weak: dict[str, list[int]] = {}
    for candidate in candidates:
        for topic in candidate.topics or ("",):
            tally = weak.setdefault(topic, [0, 0])
            for dues in due_by_student.values():
                for key in candidate.memory_keys:
                    due = dues.get(key)
                    tally[0] += due is None or due <= now
                    tally[1] += 1
    return {topic: (hits / total if total else 1.0) for topic, (hits, total) in weak.items()}


def draw(
    candidates: Sequence[Candidate],
    count: int,
    due_by_student: Mapping[int, Mapping[str, datetime]],
    now: datetime,
    rng: Random,
) -> list[str]:
    """`count` item keys: topics from weakest to strongest, one item from each in turn, so
    the weakest topics come first and a round still covers several topics."""
    usable = [c for c in candidates if answerable_live(c.type)]
    weakness = topic_weakness(usable, due_by_student, now)
    by_topic: dict[str, list[Candidate]] = {}
    for candidate in usable:
        topic = max(candidate.topics or ("",), key=lambda t: (weakness.get(t, 1.0), t))
        by_topic.setdefault(topic, []).append(candidate)
    for pool in by_topic.values():
        rng.shuffle(pool)
    order = sorted(by_topic, key=lambda topic: (-weakness.get(topic, 1.0), topic))
    chosen: list[str] = []
    count = max(0, min(count, MAX_QUESTIONS))
    while len(chosen) < count and any(by_topic[topic] for topic in order):
        for topic in order:
            if by_topic[topic] and len(chosen) < count:
                chosen.append(by_topic[topic].pop().key)
    return chosen
