"""The memory of one thing to remember, and which thing a question trains.

Keys (the caller stores one MemoryState per key):

- An item generated from facts trains those facts: one state per fact, key
  ``"fact:<fact id>"``. Questions from the same fact share its memory, so a quiz on
  "Which post did Tae hold?" and a flashcard of the same fact move one schedule.
  An item from several facts trains each of them: answering it reviews every
  fact's state with the same rating (``memory_keys`` returns all of them).
- Otherwise a flashcard has its own memory, ``"card:<card id>"``.
- Otherwise (an authored or imported quiz item) ``"item:<item key>"``.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any

from fsrs import Card, State

from quizzes.domain.srs.clock import as_utc
from quizzes.domain.srs.settings import StudySettings


def memory_keys(
    fact_ids: Sequence[str], item_key: str | None, card_id: str | int | None
) -> tuple[str, ...]:
    """Every memory state that answering this item or card reviews (see module doc)."""
    if fact_ids:
        # dict.fromkeys: drop repeats, keep the item's order
        return tuple(f"fact:{fact_id}" for fact_id in dict.fromkeys(fact_ids))
    if card_id is not None and card_id != "":
        return (f"card:{card_id}",)
    if item_key:
        return (f"item:{item_key}",)
    raise ValueError("an item needs fact ids, a card id or an item key to have a memory")


def memory_key(fact_ids: Sequence[str], item_key: str | None, card_id: str | int | None) -> str:
    """The single memory state of an item or card.

    Raises ValueError for an item from several facts: it has one state per fact,
    use `memory_keys` for those.
    """
    keys = memory_keys(fact_ids, item_key, card_id)
    if len(keys) > 1:
        raise ValueError(
            f"an item from {len(keys)} facts has one memory per fact: {', '.join(keys)}; "
            "use memory_keys()"
        )
    return keys[0]


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)
DAY_US = 86_400_000_000  # microseconds in a day


def epoch_us(moment: datetime) -> int:
    """Whole microseconds since the Unix epoch: an integer, so that SQL counts the same
    whole days between two moments as Python does (see MemoryState.forgetting_index)."""
    return (as_utc(moment) - _EPOCH) // _MICROSECOND


def fsrs_card_id(key: str) -> int:
    """A stable positive 63-bit integer for a memory key (fsrs logs want an int card_id)."""
    digest = hashlib.blake2b(key.encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big") >> 1


class Phase(StrEnum):
    """Where a memory is in its life; fsrs has no "new" state, we add it (never reviewed)."""

    NEW = "new"
    LEARNING = "learning"
    REVIEW = "review"
    RELEARNING = "relearning"


_PHASE_OF_STATE = {
    State.Learning: Phase.LEARNING,
    State.Review: Phase.REVIEW,
    State.Relearning: Phase.RELEARNING,
}


# A dict lookup: calling the Enum costs microseconds, and a study queue decodes
# thousands of stored states.
_STATES = {int(state): state for state in State}


def _state_of(value: int) -> State:
    found = _STATES.get(value)
    return found if found is not None else State(value)  # State() says why it is not one


@dataclass(frozen=True)
class MemoryState:
    """An immutable, JSON-able copy of an fsrs Card without its card id.

    Store `to_json()` in a JSON column and `due` in an indexed column.
    A never-reviewed memory is fsrs Learning, step 0, no stability, no last_review.
    """

    state: State
    step: int | None
    stability: float | None
    difficulty: float | None
    due: datetime
    last_review: datetime | None

    def __post_init__(self) -> None:
        if type(self.state) is not State:
            object.__setattr__(self, "state", _state_of(self.state))
        object.__setattr__(self, "due", as_utc(self.due, "due"))
        if self.last_review is not None:
            object.__setattr__(self, "last_review", as_utc(self.last_review, "last_review"))
        if (self.stability is None) != (self.difficulty is None):
            raise ValueError("stability and difficulty are both set or both unset")
        if self.state == State.Review and self.step is not None:
            raise ValueError("a Review memory has no learning step")
        if self.state != State.Review and self.step is None:
            raise ValueError(f"a {self.state.name} memory needs a learning step")
        if self.state != State.Learning and self.stability is None:
            raise ValueError(f"a {self.state.name} memory needs stability and difficulty")

    @classmethod
    def new(cls, now: datetime) -> MemoryState:
        """A memory never reviewed, available from `now`."""
        return cls(
            state=State.Learning,
            step=0,
            stability=None,
            difficulty=None,
            due=now,
            last_review=None,
        )

    @property
    def is_new(self) -> bool:
        return self.last_review is None

    @property
    def phase(self) -> Phase:
        return Phase.NEW if self.is_new else _PHASE_OF_STATE[self.state]

    def retrievability(self, at: datetime, settings: StudySettings) -> float:
        """fsrs' predicted probability of recall at `at` (0 for a new memory).

        fsrs counts whole days since the last review, so this is 1.0 on the same day.
        """
        return float(settings.scheduler.get_card_retrievability(self.to_card(), as_utc(at, "at")))

    def forgetting_index(self, at: datetime) -> float:
        """Whole days since the last review (as fsrs counts them) over stability.

        fsrs predicts recall as (1 + F * days / stability) ** -decay, which falls as this
        ratio grows: ordering by it is ordering by predicted recall, and SQL can compute
        the very same float from stored columns (quizzes/cards/queue.py). A new memory
        (recall 0) is infinite.
        """
        if self.last_review is None or self.stability is None:
            return math.inf
        return max(0, (as_utc(at, "at") - self.last_review).days) / self.stability

    def to_card(self, card_id: int = 0) -> Card:
        return Card(
            card_id=card_id,
            state=self.state,
            step=self.step,
            stability=self.stability,
            difficulty=self.difficulty,
            due=self.due,
            last_review=self.last_review,
        )

    @classmethod
    def from_card(cls, card: Card) -> MemoryState:
        return cls(
            state=card.state,
            step=card.step,
            stability=card.stability,
            difficulty=card.difficulty,
            due=card.due,
            last_review=card.last_review,
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "state": int(self.state),
            "step": self.step,
            "stability": self.stability,
            "difficulty": self.difficulty,
            "due": self.due.isoformat(),
            "last_review": self.last_review.isoformat() if self.last_review else None,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> MemoryState:
        # Unlike fsrs Card.from_dict, keep 0.0 as a number (it is not "unset").
        def number(value: Any) -> float | None:
            return None if value is None else float(value)

        last_review = data.get("last_review")
        return cls(
            state=_state_of(int(data["state"])),
            step=None if data.get("step") is None else int(data["step"]),
            stability=number(data.get("stability")),
            difficulty=number(data.get("difficulty")),
            due=datetime.fromisoformat(data["due"]),
            last_review=datetime.fromisoformat(last_review) if last_review else None,
        )

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> MemoryState:
        return cls.from_dict(json.loads(text))
