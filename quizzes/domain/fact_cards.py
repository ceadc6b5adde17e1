"""Flashcards written from the bank's facts, not copied from its quiz items. Pure.

A fact gets one card per thing it is asked about (who, when, where, which post...): the
question a recall item asks about that field, answered by the field's value, written once
however many item types ask it. A fact asked about nothing but as a whole (a statement, a
tactic) gets the cloze of its sentence, or else a card that names it and gives the
statement. No true/false cards (a statement to judge is no recall), no instructions as
fronts ("Fill in the missing…"), no two cards with the same front. Every card trains the
fact's one memory ("fact:<id>"), the same one quiz answers on that fact train.

`write_fact_cards` runs at bank build and its cards are stored with each fact;
`cards_of_facts` turns the stored cards back into Flashcards for study and export.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from quizzes.domain.checker.reading import accepted_answers, asked_field
from quizzes.domain.facts import FIELD_TYPES, Fact, FactBase
from quizzes.domain.flashcards import BLANK, CardKind, Flashcard, describe_source
from quizzes.domain.text import normalise

# Item types whose prompt is a question answerable without options, best first: a
# single-choice stem passes the "cover the options" test and gives the full answer (a whole
# date, where a number item asks only for its year).
_RECALL_TYPES = ("single", "short", "numeric")
# Template fields that stand for the whole statement, not one value of the fact.
_WHOLE_FACT = frozenset({"statement", "figures", "words"})
_CLOZE_BLANK = re.compile(r"\[\[([^\[\]]+)\]\]")


def write_fact_cards(
    facts: FactBase, items: Iterable[Mapping[str, Any]]
) -> dict[str, list[dict[str, Any]]]:
    """Every used fact's recall cards, as JSON-able dicts (stored with the fact)."""
    asked: dict[str, dict[str, Mapping[str, Any]]] = {}
    typed_by: dict[tuple[str, str], Mapping[str, Any]] = {}  # a short item's answers grade
    used: list[str] = []
    for item in items:
        for fact_id in item.get("fact_ids") or []:
            if fact_id not in asked:
                asked[fact_id] = {}
                used.append(fact_id)
        field = asked_field(item)
        fact_ids = item.get("fact_ids") or []
        if len(fact_ids) != 1 or item.get("type") not in _RECALL_TYPES or field in _WHOLE_FACT:
            continue
        if field not in FIELD_TYPES:  # a relation's item (which claim the cables show...)
            continue
        best = asked[fact_ids[0]].get(field or "")
        if best is None or _rank(item) < _rank(best):
            asked[fact_ids[0]][field or ""] = item
        if item.get("type") == "short":
            typed_by[(fact_ids[0], field or "")] = item
    fronts: set[str] = set()
    written: dict[str, list[dict[str, Any]]] = {}
    for fact_id in used:
        fact = facts.fact(fact_id)
        if fact is None:
            continue
        cards = [
            _question_card(fact, field, item, typed_by.get((fact_id, field)))
            for field, item in sorted(asked[fact_id].items())
        ]
        if not cards:
            cards = [_cloze_card(fact) if fact.cloze else _statement_card(fact)]
        kept = []
        for card in cards:
            front = normalise(card["front"])
            if front not in fronts:
                fronts.add(front)
                kept.append(card)
        written[fact_id] = kept
    return written


def _rank(item: Mapping[str, Any]) -> int:
    return _RECALL_TYPES.index(str(item.get("type")))


def _question_card(
    fact: Fact, field: str, item: Mapping[str, Any], short: Mapping[str, Any] | None
) -> dict[str, Any]:
    """The question of the best recall item on this field; a short-answer item on the same
    field, when there is one, gives the accepted spellings (romanisations, synonyms)."""
    if short is not None:
        item = {**item, "type": "short", "data": short["data"]}
    answers = accepted_answers(item)
    card: dict[str, Any] = {
        "id": f"fact:{fact.id}:{field}",
        "kind": CardKind.BASIC.value,
        "front": str(item["prompt"]),
        "back": answers[0],
        "extra": fact.statement(),
    }
    if item["type"] == "numeric":
        card["typed"] = ["numeric", item["data"]]
    elif item["type"] == "short":
        card["typed"] = ["short", item["data"]]
    else:
        card["typed"] = ["short", {"answers": [{"text": answers[0], "fraction": 1.0}]}]
    if len(answers) > 1:
        card["back"] = f"{answers[0]} (also accepted: {', '.join(answers[1:])})"
    return card


def _cloze_card(fact: Fact) -> dict[str, Any]:
    answers = [match.group(1).split("|") for match in _CLOZE_BLANK.finditer(fact.cloze)]
    return {
        "id": f"fact:{fact.id}:cloze",
        "kind": CardKind.CLOZE.value,
        "front": _CLOZE_BLANK.sub(BLANK, fact.cloze),
        "back": _CLOZE_BLANK.sub(lambda m: m.group(1).split("|")[0], fact.cloze),
        "cloze": _CLOZE_BLANK.sub(lambda m: "{{c1::" + m.group(1).split("|")[0] + "}}", fact.cloze),
        "extra": "",
        "typed": [
            "cloze",
            {
                "text": _numbered_blanks(fact.cloze),
                "blanks": [{"answers": options} for options in answers],
            },
        ],
        "blanks": len(answers),
    }


def _numbered_blanks(text: str) -> str:
    count = iter(range(1, 1000))
    return _CLOZE_BLANK.sub(lambda _: "{" + str(next(count)) + "}", text)


def _statement_card(fact: Fact) -> dict[str, Any]:
    return {
        "id": f"fact:{fact.id}:statement",
        "kind": CardKind.BASIC.value,
        "front": f"What do the sources say about {fact.label}?",
        "back": fact.statement(),
        "extra": "",
    }


def cards_of_facts(
    fact_ids: Sequence[str],
    stored: Mapping[str, Sequence[Mapping[str, Any]]],
    sources: Mapping[str, Sequence[Any]],
    topics: Mapping[str, Sequence[str]],
) -> list[Flashcard] | None:
    """The stored cards of these facts, or None when one of them has none (an item about
    it then stands in with its own cards)."""
    if not fact_ids or any(not stored.get(fact_id) for fact_id in fact_ids):
        return None
    cards = []
    for fact_id in dict.fromkeys(fact_ids):
        for card in stored[fact_id]:
            typed = card.get("typed")
            cards.append(
                Flashcard(
                    id=str(card["id"]),
                    kind=CardKind(card["kind"]),
                    front=str(card["front"]),
                    back=str(card["back"]),
                    memory_keys=(f"fact:{fact_id}",),
                    extra=str(card.get("extra", "")),
                    sources=tuple(describe_source(s) for s in sources.get(fact_id, ())),
                    tags=tuple(topics.get(fact_id, ())),
                    cloze=card.get("cloze"),
                    typed=(typed[0], typed[1]) if typed else None,
                    blanks=int(card.get("blanks", 0)),
                )
            )
    return cards
