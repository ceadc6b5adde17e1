"""Which items a quiz draws: pure, given what the student has seen and when they will forget.

Items the student has never seen, last got wrong, or is due to review come first, in random
order; then the rest, the ones their memory model says they will forget soonest first.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from random import Random


@dataclass(frozen=True)
class Candidate:
    key: str  # Item.key: one item is never drawn twice
    seen: bool = False  # answered in an earlier attempt
    last_correct: bool | None = None  # the last graded answer, None when never graded
    due: datetime | None = None  # the earliest MemoryState.due among the item's memories


def is_priority(candidate: Candidate, now: datetime) -> bool:
    if not candidate.seen or candidate.last_correct is False:
        return True
    return candidate.due is not None and candidate.due <= now


def choose(candidates: Sequence[Candidate], size: int, now: datetime, rng: Random) -> list[str]:
    """Up to `size` distinct item keys, the preferred first, in a random quiz order."""
    unique = list({c.key: c for c in candidates}.values())
    # Shuffle first so the sort below keeps ties in random order (sorted is stable).
    rng.shuffle(unique)
    first = [c for c in unique if is_priority(c, now)]
    rest = [c for c in unique if not is_priority(c, now)]
    # Seen without a memory state (the hook was not there yet) go last.
    rest.sort(key=lambda c: (c.due is None, c.due or now))
    chosen = (first + rest)[: max(size, 0)]
    rng.shuffle(chosen)
    return [c.key for c in chosen]


def spread_types(keys_by_type: dict[str, list[str]], size: int, rng: Random) -> list[str]:
    """A sample that shows as many item types as it can: one of each type first, then more.

    Types are visited in random order; within a type the keys keep their given order.
    """
    types = sorted(keys_by_type)
    rng.shuffle(types)
    queues = {t: list(keys_by_type[t]) for t in types}
    chosen: list[str] = []
    while len(chosen) < size and any(queues.values()):
        for t in types:
            if queues[t] and len(chosen) < size:
                chosen.append(queues[t].pop(0))
    return chosen
