"""Which items a quiz draws: pure, given what the student has seen and when they will forget.

Items the student has never seen, last got wrong, or is due to review come first, in random
order; then the rest, the ones their memory model says they will forget soonest first.
Within each of those two groups the item types take turns, so a quiz shows every ticked
type the source has (as far as its size allows).

No drawn item gives another away. Given the items' content, the item-writing checker's
giveaway rule decides (quizzes.domain.checker): several items on one fact may share a quiz
when none states another's answer. Without content, a quiz asks about each fact once, as
the bank writes several items per fact and one's wording may give away another's answer.
Items without facts (a teacher's own) are each their own.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from random import Random
from typing import Any

from quizzes.domain.checker import Exposure, clash_graph, exposure


@dataclass(frozen=True)
class Candidate:
    key: str  # Item.key: one item is never drawn twice
    seen: bool = False  # answered in an earlier attempt
    last_correct: bool | None = None  # the last graded answer, None when never graded
    due: datetime | None = None  # the earliest MemoryState.due among the item's memories
    facts: frozenset[str] = frozenset()  # the facts it asks about (Item.fact_ids)
    item_type: str = ""  # types take turns in a practice quiz
    # The item's content (docs/ITEMS.md keys: type, prompt, data, explanation, fact_ids):
    # with it, the giveaway rule decides which items may share a quiz.
    content: Mapping[str, Any] | None = field(default=None, compare=False, repr=False)


def is_priority(candidate: Candidate, now: datetime) -> bool:
    if not candidate.seen or candidate.last_correct is False:
        return True
    return candidate.due is not None and candidate.due <= now


def choose(
    candidates: Sequence[Candidate],
    size: int,
    now: datetime,
    rng: Random,
    *,
    one_per_fact: bool = True,
    explanations: bool = False,
) -> list[str]:
    """Up to `size` distinct item keys, the preferred first, in a random quiz order, none
    giving another away, types taking turns; with `one_per_fact` off (a teacher's
    assignment: the teacher chose every item of the set) simply the first `size`.
    `explanations`: feedback comes after each item, so explanations are read mid-quiz."""
    unique = list({c.key: c for c in candidates}.values())
    # Shuffle first so the sort below keeps ties in random order (sorted is stable).
    rng.shuffle(unique)
    first = [c for c in unique if is_priority(c, now)]
    rest = [c for c in unique if not is_priority(c, now)]
    # Seen without a memory state (the hook was not there yet) go last.
    rest.sort(key=lambda c: (c.due is None, c.due or now))
    size = max(size, 0)
    if not one_per_fact:
        chosen = (first + rest)[:size]
    else:
        types = sorted({c.item_type for c in unique})
        rng.shuffle(types)
        # The clash graph of a few hundred candidates is cheap; a topic of 100,000 items
        # is looked at further only when the first ones cannot fill the quiz.
        pool = max(_POOL, size * 8)
        while True:
            chosen = _draw(
                first[:pool], rest[: max(0, pool - len(first))], types, size, explanations
            )
            if len(chosen) >= size or pool >= len(unique):
                break
            pool *= 4
    rng.shuffle(chosen)
    return [c.key for c in chosen]


_POOL = 400


def _draw(
    first: Sequence[Candidate],
    rest: Sequence[Candidate],
    types: Sequence[str],
    size: int,
    explanations: bool,
) -> list[Candidate]:
    """Priority candidates first, then the rest; within each, the types take turns. A
    priority candidate that clashes with few others goes before one that clashes with
    many (a true/false statement rules out every item on its fact): more fit in."""
    apart = _Apart([*first, *rest], explanations)
    first = sorted(first, key=apart.degree)  # stable: ties keep their random order
    chosen: list[Candidate] = []
    for group in (first, rest):
        chosen += _types_in_turn(group, types, size - len(chosen), apart)
    return chosen


# Exposures of stored items, by (key, version, with explanation): reading an item's text
# is most of a quiz start's work, and an item's content changes only with its version.
_EXPOSURES: dict[tuple[str, Any, bool], Exposure] = {}
_MAX_EXPOSURES = 50_000


def _exposure_of(candidate: Candidate, explanations: bool) -> Exposure:
    content = candidate.content
    assert content is not None
    version = content.get("version")
    if version is None:  # no version to tell an edit by: read it afresh
        return exposure({**content, "key": candidate.key}, with_explanation=explanations)
    cache_key = (candidate.key, version, explanations)
    if cache_key not in _EXPOSURES:
        if len(_EXPOSURES) >= _MAX_EXPOSURES:
            _EXPOSURES.clear()
        _EXPOSURES[cache_key] = exposure(
            {**content, "key": candidate.key}, with_explanation=explanations
        )
    return _EXPOSURES[cache_key]


class _Apart:
    """Which candidates may share a quiz: the giveaway rule between items with content,
    one question per fact otherwise."""

    def __init__(self, pool: Sequence[Candidate], explanations: bool) -> None:
        judged = [c for c in pool if c.content is not None]
        exposures = [_exposure_of(c, explanations) for c in judged]
        graph = clash_graph(exposures, explanations=explanations)
        self._clashes = {c.key: {judged[j].key for j in graph[i]} for i, c in enumerate(judged)}
        self.drawn: list[Candidate] = []

    def degree(self, candidate: Candidate) -> int:
        return len(self._clashes.get(candidate.key, ()))

    def clash(self, a: Candidate, b: Candidate) -> bool:
        if a.content is None or b.content is None:
            return bool(a.facts & b.facts)
        return b.key in self._clashes[a.key]

    def take(self, candidate: Candidate) -> bool:
        if any(self.clash(candidate, other) for other in self.drawn):
            return False
        self.drawn.append(candidate)
        return True


def _types_in_turn(
    ordered: Sequence[Candidate], types: Sequence[str], size: int, apart: _Apart
) -> list[Candidate]:
    """Up to `size` of `ordered`: each type in turn gives its first candidate that clashes
    with nothing drawn; within a type the order is kept."""
    queues = {t: [c for c in ordered if c.item_type == t] for t in types}
    chosen: list[Candidate] = []
    while len(chosen) < size and any(queues.values()):
        for t in types:
            queue = queues[t]
            while queue and len(chosen) < size:
                candidate = queue.pop(0)
                if apart.take(candidate):
                    chosen.append(candidate)
                    break
    return chosen


def spread_types(
    keys_by_type: dict[str, list[str]],
    size: int,
    rng: Random,
    facts_of: Mapping[str, frozenset[str]] | None = None,
) -> list[str]:
    """A sample that shows as many item types as it can: one of each type first, then more,
    and (given `facts_of`) each fact once, as in a quiz.

    Types are visited in random order; within a type the keys keep their given order.
    """
    types = sorted(keys_by_type)
    rng.shuffle(types)
    queues = {t: list(keys_by_type[t]) for t in types}
    facts_of = facts_of or {}
    used: set[str] = set()
    chosen: list[str] = []
    while len(chosen) < size and any(queues.values()):
        for t in types:
            while queues[t] and len(chosen) < size:
                key = queues[t].pop(0)
                facts = facts_of.get(key, frozenset())
                if facts & used:
                    continue  # a fact already asked about: the next of this type
                chosen.append(key)
                used |= facts
                break
    return chosen
