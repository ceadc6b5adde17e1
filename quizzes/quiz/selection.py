"""Which items a quiz draws: pure, given what the student has seen and when they will forget.

Items the student has never seen, last got wrong, or is due to review come first, in random
order; then the rest, the ones their memory model says they will forget soonest first.

A quiz asks about each fact once: the bank writes several items per fact (who, when, a
cloze of the statement...), and one item's wording gives away another's answer. Items
without facts (a teacher's own) are each their own.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from random import Random


@dataclass(frozen=True)
class Candidate:
    key: str  # Item.key: one item is never drawn twice
    seen: bool = False  # answered in an earlier attempt
    last_correct: bool | None = None  # the last graded answer, None when never graded
    due: datetime | None = None  # the earliest MemoryState.due among the item's memories
    facts: frozenset[str] = frozenset()  # the facts it asks about (Item.fact_ids)


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
) -> list[str]:
    """Up to `size` distinct item keys, the preferred first, in a random quiz order; each
    fact asked about once unless `one_per_fact` is off (a teacher's assignment: the
    teacher chose every item of the set)."""
    unique = list({c.key: c for c in candidates}.values())
    # Shuffle first so the sort below keeps ties in random order (sorted is stable).
    rng.shuffle(unique)
    first = [c for c in unique if is_priority(c, now)]
    rest = [c for c in unique if not is_priority(c, now)]
    # Seen without a memory state (the hook was not there yet) go last.
    rest.sort(key=lambda c: (c.due is None, c.due or now))
    ordered = first + rest
    chosen = facts_apart(ordered, max(size, 0)) if one_per_fact else ordered[: max(size, 0)]
    rng.shuffle(chosen)
    return [c.key for c in chosen]


def facts_apart(ordered: Sequence[Candidate], size: int) -> list[Candidate]:
    """Up to `size` of `ordered`, in order, none asking about a fact an earlier one asks
    about (so a quiz may be shorter than `size` when its items cover few facts)."""
    used: set = set()
    chosen = []
    for candidate in ordered:
        if len(chosen) >= size:
            break
        if candidate.facts & used:
            continue
        chosen.append(candidate)
        used |= candidate.facts
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
