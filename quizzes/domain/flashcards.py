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
from enum import StrEnum
from typing import Any

from quizzes.domain.citations import SourceLine, citation_line

# What a blank looks like on the front of a cloze card.
BLANK = "[…]"
# Typed answers longer than this are not worth grading letter by letter.
MAX_TYPED_ANSWER = 120

_ITEM_BLANK = re.compile(r"\{(\d{1,4})\}")
# A learner's cloze: {{answer}} or Anki's own {{c1::answer}} (and {{c1::answer::hint}}).
_CARD_BLANK = re.compile(r"\{\{(?:c\d+::)?(.+?)(?:::[^{}]*)?\}\}")
# The same, keeping Anki's number and hint: an Anki note's {{c2::…}} is a second card there,
# and goes back as it came (a blank written here as {{…}} is c1).
_ANKI_BLANK = re.compile(r"\{\{(?:c(\d+)::)?(.+?)(::[^{}]*)?\}\}")


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


def _typed_short(answers: Sequence[str]) -> tuple[str, dict[str, Any]] | None:
    answers = [a for a in dict.fromkeys(answers) if a.strip()]
    if not answers or any(len(a) > MAX_TYPED_ANSWER for a in answers):
        return None
    return "short", {"answers": [{"text": a, "fraction": 1.0} for a in answers]}


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.10g}"


def cards_from_item(item: Mapping[str, Any], memory_keys: tuple[str, ...]) -> list[Flashcard]:
    """The cards an item makes; [] for types that need their options on screen.

    - single, short, numeric, truefalse: one basic card, prompt -> canonical answer;
    - cloze: one cloze card with every blank hidden (Anki: one c1 for all blanks);
    - matching: per pair a card left -> right, and a reversed card right -> left when
      that right-hand side belongs to one pair only (else the reverse has two answers).
    multi and ordering make no card: without the options the prompt is no question.
    """
    key = item["key"]
    data = item["data"]
    common = {
        "memory_keys": memory_keys,
        "extra": item.get("explanation", "") or "",
        "sources": tuple(describe_source(s) for s in item.get("sources", [])),
        "tags": tuple(t.strip() for t in item.get("topics", []) if t.strip()),
    }
    item_type = item["type"]
    prompt = item.get("prompt", "")
    if item_type == "single":
        answer = next(o["text"] for o in data["options"] if o.get("correct"))
        return [
            Flashcard(
                f"item:{key}",
                CardKind.BASIC,
                prompt,
                answer,
                typed=_typed_short([answer]),
                **common,
            )
        ]
    if item_type == "short":
        full = [a["text"] for a in data["answers"] if a.get("fraction", 1.0) == 1]
        others = [a["text"] for a in data["answers"] if a.get("fraction", 1.0) != 1]
        back = full[0] if len(full) == 1 else f"{full[0]} (also accepted: {', '.join(full[1:])})"
        typed = None if any(len(a) > MAX_TYPED_ANSWER for a in full + others) else ("short", data)
        return [Flashcard(f"item:{key}", CardKind.BASIC, prompt, back, typed=typed, **common)]
    if item_type == "numeric":
        best = max(data["answers"], key=lambda a: a.get("fraction", 1.0))
        unit = data.get("unit", "")
        back = f"{_number(best['value'])} {unit}".strip()
        return [
            Flashcard(
                f"item:{key}", CardKind.BASIC, prompt, back, typed=("numeric", data), **common
            )
        ]
    if item_type == "truefalse":
        back = "True" if data["answer"] else "False"
        return [
            Flashcard(
                f"item:{key}",
                CardKind.BASIC,
                f"True or false? {prompt}",
                back,
                typed=("truefalse", data),
                **common,
            )
        ]
    if item_type == "cloze":
        return [_item_cloze(key, prompt, data, common)]
    if item_type == "matching":
        return _matching_cards(key, prompt, data, common)
    return []


def _item_cloze(key: str, prompt: str, data: Mapping[str, Any], common: dict) -> Flashcard:
    text = data["text"]
    blanks = data["blanks"]

    def answer(match: re.Match[str]) -> str:
        return blanks[int(match.group(1)) - 1]["answers"][0]

    front = _ITEM_BLANK.sub(BLANK, text)
    back = _ITEM_BLANK.sub(answer, text)
    cloze = _ITEM_BLANK.sub(lambda m: "{{c1::" + answer(m) + "}}", text)
    return Flashcard(
        f"item:{key}",
        CardKind.CLOZE,
        front,
        back,
        context=prompt,
        cloze=cloze,
        typed=("cloze", dict(data)),
        blanks=len(blanks),
        **common,
    )


def _matching_cards(key: str, prompt: str, data: Mapping[str, Any], common: dict) -> list:
    pairs = data["pairs"]
    lefts = [p["left"] for p in pairs]
    rights = [p["right"] for p in pairs]
    cards = []
    for number, pair in enumerate(pairs, start=1):
        left, right = pair["left"], pair["right"]
        if lefts.count(left) == 1:
            cards.append(
                Flashcard(
                    f"item:{key}:pair-{number}",
                    CardKind.BASIC,
                    left,
                    right,
                    context=prompt,
                    typed=_typed_short([right]),
                    **common,
                )
            )
        if rights.count(right) == 1:
            cards.append(
                Flashcard(
                    f"item:{key}:pair-{number}:reversed",
                    CardKind.REVERSED,
                    right,
                    left,
                    context=prompt,
                    typed=_typed_short([left]),
                    **common,
                )
            )
    return cards


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
            typed=_typed_short([card.back]),
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
                typed=_typed_short([card.front]),
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
