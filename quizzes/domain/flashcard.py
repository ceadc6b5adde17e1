"""A flashcard as studied and exported: the value item types and learners' cards become.

Apart from quizzes.domain.flashcards (which makes cards) so that each item type module can
build its own cards (`flashcards`) without an import circle through the registry.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

# What a blank looks like on the front of a cloze card.
BLANK = "[…]"
# Typed answers longer than this are not worth grading letter by letter.
MAX_TYPED_ANSWER = 120


class CardKind(StrEnum):
    BASIC = "basic"
    CLOZE = "cloze"
    REVERSED = "reversed"  # a basic card read back to front


@dataclass(frozen=True)
class Flashcard:
    """One card as studied and exported.

    `id` is stable across bank rebuilds and exports ("item:<key>", "item:<key>:pair-2:reversed",
    "card:<id>", "card:<id>:reversed") and becomes the Anki note guid.
    `cloze` is the Anki cloze text ("... {{c1::2014}} ...") for cloze cards.
    """

    id: str
    kind: CardKind
    front: str
    back: str
    memory_keys: tuple[str, ...]
    context: str = ""  # shown above the front (the matching item's instruction)
    extra: str = ""  # explanation, shown with the back
    sources: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()  # item topics or the learner's tags
    cloze: str | None = None
    typed: tuple[str, dict[str, Any]] | None = None
    blanks: int = 0  # number of blanks to type in a cloze card

    @property
    def memory_key(self) -> str:
        """The first memory this card trains: its intervals are the ones shown."""
        return self.memory_keys[0]


def typed_short(answers: Sequence[str]) -> tuple[str, dict[str, Any]] | None:
    """A typed check that accepts any of `answers` as a short answer; None if one is too
    long to type."""
    answers = [a for a in dict.fromkeys(answers) if a.strip()]
    if not answers or any(len(a) > MAX_TYPED_ANSWER for a in answers):
        return None
    return "short", {"answers": [{"text": a, "fraction": 1.0} for a in answers]}
