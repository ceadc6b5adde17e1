"""Flashcards made from bank items (docs/ITEMS.md) and from cards a learner wrote. Pure.

A card is one *form* of a memory: every card carries the memory keys it trains
(quizzes.domain.srs.memory_keys), and several cards may train the same memory (the
pairs of a matching item, both sides of a reversed card). A study session schedules
memories and shows one form of each (`pick_form`).

Typed answers are graded by the quiz graders: `typed` is an (item type, data) pair in
the docs/ITEMS.md shape, for quizzes.domain.itemtypes.REGISTRY.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from quizzes.domain.citations import SourceLine, citation_line
from quizzes.domain.flashcard import BLANK, MAX_TYPED_ANSWER, CardKind, Flashcard, typed_short
from quizzes.domain.itemtypes import REGISTRY

__all__ = ["BLANK", "MAX_TYPED_ANSWER", "CardKind", "Flashcard"]  # their home is flashcard.py

# A learner's cloze: {{answer}} or Anki's own {{c1::answer}} (and {{c1::answer::hint}}).
_CARD_BLANK = re.compile(r"\{\{(?:c\d+::)?(.+?)(?:::[^{}]*)?\}\}")
# The same, keeping Anki's number and hint: an Anki note's {{c2::…}} is a second card there,
# and goes back as it came (a blank written here as {{…}} is c1).
_ANKI_BLANK = re.compile(r"\{\{(?:c(\d+)::)?(.+?)(::[^{}]*)?\}\}")


@dataclass(frozen=True)
class PersonalCard:
    """The fields of a learner's card (models.cards.Card) the domain needs."""

    id: int
    kind: str  # "basic" or "cloze"
    front: str
    back: str = ""
    source: str = ""
    tags: Sequence[str] = field(default_factory=tuple)
    reversed: bool = False


def describe_source(source: Mapping[str, Any] | str) -> SourceLine:
    """One line for a citation, knowing its link (quizzes.domain.citations)."""
    return citation_line(source)


def cards_from_item(item: Mapping[str, Any], memory_keys: tuple[str, ...]) -> list[Flashcard]:
    """The cards an item makes, by its type's `flashcards` (quizzes/domain/itemtypes/):

    - single, short, numeric, truefalse: one basic card, prompt -> canonical answer;
    - cloze: one cloze card with every blank hidden (Anki: one c1 for all blanks);
    - matching: per pair a card left -> right, and a reversed card right -> left when
      that right-hand side belongs to one pair only (else the reverse has two answers).
    multi and ordering make no card: without the options the prompt is no question.
    """
    common = {
        "memory_keys": memory_keys,
        "extra": item.get("explanation", "") or "",
        "sources": tuple(describe_source(s) for s in item.get("sources", [])),
        "tags": tuple(t.strip() for t in item.get("topics", []) if t.strip()),
    }
    return REGISTRY[item["type"]].flashcards(item, common)


def looks_the_same(card: Flashcard) -> tuple:
    """What a learner sees and trains with a card. A fact's single-choice and short-answer
    items ask the same question: as flashcards they are one card, not two."""
    return (card.kind, card.context, card.front, card.back, card.memory_keys)


def without_repeats(cards: Iterable[Flashcard]) -> list[Flashcard]:
    """The cards in order, each look once (the first card of each look is kept)."""
    seen: set[tuple] = set()
    kept = []
    for card in cards:
        look = looks_the_same(card)
        if look not in seen:
            seen.add(look)
            kept.append(card)
    return kept


def cards_from_personal(card: PersonalCard) -> list[Flashcard]:
    """A learner's card: basic (plus its reverse when asked for) or cloze."""
    common = {
        "memory_keys": (f"card:{card.id}",),
        "sources": (card.source,) if card.source.strip() else (),
        "tags": tuple(t.strip() for t in card.tags if t.strip()),
    }
    if card.kind == "cloze":
        return [_personal_cloze(card, common)]
    cards = [
        Flashcard(
            f"card:{card.id}",
            CardKind.BASIC,
            card.front,
            card.back,
            typed=typed_short([card.back]),
            **common,
        )
    ]
    if card.reversed:
        cards.append(
            Flashcard(
                f"card:{card.id}:reversed",
                CardKind.REVERSED,
                card.back,
                card.front,
                typed=typed_short([card.front]),
                **common,
            )
        )
    return cards


def cloze_answers(text: str) -> list[str]:
    """The hidden parts of a learner's cloze sentence, in order."""
    return [m.group(1).strip() for m in _CARD_BLANK.finditer(text)]


def _personal_cloze(card: PersonalCard, common: dict) -> Flashcard:
    answers = cloze_answers(card.front)
    numbered = iter(range(1, len(answers) + 1))
    item_text = _CARD_BLANK.sub(lambda m: "{" + str(next(numbered)) + "}", card.front)
    return Flashcard(
        f"card:{card.id}",
        CardKind.CLOZE,
        front=_CARD_BLANK.sub(BLANK, card.front),
        back=_CARD_BLANK.sub(lambda m: m.group(1).strip(), card.front),
        extra=card.back,
        cloze=_ANKI_BLANK.sub(
            lambda m: f"{{{{c{m.group(1) or 1}::{m.group(2).strip()}{m.group(3) or ''}}}}}",
            card.front,
        ),
        typed=("cloze", {"text": item_text, "blanks": [{"answers": [a]} for a in answers]}),
        blanks=len(answers),
        **common,
    )


def validate_personal(kind: str, front: str, back: str) -> list[str]:
    """Problems with a card a learner is writing (empty = fine)."""
    problems = []
    if not front.strip():
        problems.append("The front needs some text.")
    if kind == "cloze":
        if not cloze_answers(front):
            problems.append(
                "A cloze card needs a blank: put the hidden words in {{double braces}}."
            )
    elif not back.strip():
        problems.append("The back needs some text.")
    return problems


def pick_form(forms: Sequence[Flashcard], last_review: datetime | None) -> Flashcard:
    """The form of a memory to show this time.

    Rotates with each review (the last review moment changes) so a fact is met in its
    different forms, and stays the same while the learner looks at it.
    """
    if not forms:
        raise ValueError("a memory needs at least one card to be studied")
    seed = last_review.isoformat() if last_review else "new"
    digest = hashlib.blake2b(seed.encode(), digest_size=4).digest()
    return forms[int.from_bytes(digest, "big") % len(forms)]
