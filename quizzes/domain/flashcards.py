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
from quizzes.domain.safe_html import plain_text

__all__ = ["BLANK", "MAX_TYPED_ANSWER", "CardKind", "Flashcard"]  # their home is flashcard.py

# A learner's cloze: {{answer}} or Anki's own {{c1::answer}} (and {{c1::answer::hint}}).
_CARD_BLANK = re.compile(r"\{\{(?:c\d+::)?(.+?)(?:::[^{}]*)?\}\}")
# The same, keeping Anki's number and hint: an Anki note's {{c2::…}} is a second card there,
# and goes back as it came (a blank written here as {{…}} is c1).
_ANKI_BLANK = re.compile(r"\{\{(?:c(\d{1,6})::)?(.+?)(::[^{}]*)?\}\}")


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
        return _personal_cloze(card, common)
    cards = [
        Flashcard(
            f"card:{card.id}",
            CardKind.BASIC,
            card.front,
            card.back,
            typed=typed_short([plain_text(card.back)]),
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
                typed=typed_short([plain_text(card.front)]),
                **common,
            )
        )
    return cards


def cloze_answers(text: str) -> list[str]:
    """The hidden parts of a learner's cloze sentence, in order."""
    return [m.group(1).strip() for m in _CARD_BLANK.finditer(text)]


def cloze_numbers(text: str) -> list[int]:
    """The Anki card numbers of a cloze sentence, in order ({{x}} is c1)."""
    return sorted({int(m.group(1) or 1) for m in _ANKI_BLANK.finditer(text)})


def anki_cloze(text: str) -> str:
    """The sentence with Anki's markers: {{x}} becomes {{c1::x}}; numbers and hints stay."""
    return _ANKI_BLANK.sub(
        lambda m: f"{{{{c{m.group(1) or 1}::{m.group(2).strip()}{m.group(3) or ''}}}}}", text
    )


_FURTHER_CLOZE_ID = re.compile(r"card:\d+:c\d+")


def further_cloze_card(card: Flashcard) -> bool:
    """Card 2 onwards of a learner's cloze: exports write the cloze once (its first card
    holds every number), as Anki keeps one note for all of them."""
    return card.kind is CardKind.CLOZE and _FURTHER_CLOZE_ID.fullmatch(card.id) is not None


def _personal_cloze(card: PersonalCard, common: dict) -> list[Flashcard]:
    """One card per cloze number, as Anki makes them: card N hides the blanks numbered N
    (showing a blank's hint, as Anki does) and shows the others; its back marks the answer.
    All are forms of the card's one memory, as a reversed card's two sides are."""
    numbers = cloze_numbers(card.front)
    return [
        _cloze_form(
            card, common, number, f"card:{card.id}" if i == 0 else f"card:{card.id}:c{number}"
        )
        for i, number in enumerate(numbers)
    ]


def _cloze_form(card: PersonalCard, common: dict, number: int, card_id: str) -> Flashcard:
    hidden = [m for m in _ANKI_BLANK.finditer(card.front) if int(m.group(1) or 1) == number]
    answers = [m.group(2).strip() for m in hidden]
    blank_numbers = iter(range(1, len(answers) + 1))

    def side(match: re.Match[str], *, front: bool) -> str:
        answer = match.group(2).strip()
        if int(match.group(1) or 1) != number:
            return answer
        if not front:
            return f"<mark>{answer}</mark>"
        hint = (match.group(3) or "")[2:].strip()
        return f"[{hint}]" if hint else BLANK

    def typed_text(match: re.Match[str]) -> str:
        if int(match.group(1) or 1) != number:
            return match.group(2).strip()
        return "{" + str(next(blank_numbers)) + "}"

    return Flashcard(
        card_id,
        CardKind.CLOZE,
        front=_ANKI_BLANK.sub(lambda m: side(m, front=True), card.front),
        back=_ANKI_BLANK.sub(lambda m: side(m, front=False), card.front),
        extra=card.back,
        cloze=anki_cloze(card.front),
        typed=(
            "cloze",
            {
                "text": _ANKI_BLANK.sub(typed_text, card.front),
                "blanks": [{"answers": [a]} for a in answers],
            },
        ),
        blanks=len(answers),
        **common,
    )


_FORMATTING_MARKS = re.compile(r"[*_`\\]")
# Markdown's block signs at a line's start (heading, quote, list item): formatting too.
_BLOCK_SIGNS = re.compile(r"^\s*(?:#{1,6}\s+|>\s*|[-+*]\s+|\d{1,9}[.)]\s+)", re.MULTILINE)


def card_look(kind: str, front: str, back: str) -> tuple[str, str]:
    """What makes two of a learner's cards the same card, formatting aside: their words,
    a cloze in Anki's numbering ({{x}} is {{c1::x}}), so that re-importing an exported
    deck finds the cards it has, bold or not, cloze or not."""
    if kind == "cloze":
        front = anki_cloze(front)
    return (_words(front), _words(back))


def _words(text: str) -> str:
    return " ".join(_FORMATTING_MARKS.sub("", _BLOCK_SIGNS.sub("", plain_text(text))).split())


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
