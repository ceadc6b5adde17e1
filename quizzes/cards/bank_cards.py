"""The cards of bank items: the recall cards written for their facts at bank build
(quizzes/domain/fact_cards.py), stored with each fact, or the item's own cards.

A bank deck's cards are made once per process and bank revision (models.BankRevision,
raised in the transaction of every bank change), not per request: each request reads
the revision number, one row, and makes the deck again only when it moved, so a change
committed by any process shows on the next request of every process."""

from __future__ import annotations

import weakref
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from sqlalchemy import select

from models import Fact, Item, bank_changed_here, bank_revision, db
from quizzes.domain import srs
from quizzes.domain.fact_cards import cards_of_facts
from quizzes.domain.flashcards import Flashcard, cards_from_item, without_repeats


@dataclass(frozen=True)
class BankDeckCards:
    """What a bank deck shows, made once per bank revision: never changed once made."""

    title: str
    description: str
    kind: str  # "set" or "topic"
    topic: str | None
    cards: tuple[Flashcard, ...]
    by_key: MappingProxyType[str, tuple[Flashcard, ...]]  # memory key -> its cards


def deck_cards(
    title: str, description: str, kind: str, topic: str | None, items: Sequence[Item]
) -> BankDeckCards:
    made = bank_cards(items)
    cards = tuple(without_repeats(form for item in items for form in made[item.id]))
    # A card from several facts is a form of each of them.
    by_key: dict[str, list[Flashcard]] = {}
    for card in cards:
        for key in card.memory_keys:
            by_key.setdefault(key, []).append(card)
    frozen = {key: tuple(forms) for key, forms in by_key.items()}
    return BankDeckCards(title, description, kind, topic, cards, MappingProxyType(frozen))


# Per database (engine) of this process: (revision, {deck ref: its cards}). Bounded: only
# decks that exist are kept (the bank's sets and topics), and a new revision starts afresh.
_KEPT: weakref.WeakKeyDictionary[Any, tuple[int, dict[str, BankDeckCards]]] = (
    weakref.WeakKeyDictionary()
)


def kept_deck_cards(ref: str, make: Callable[[], BankDeckCards | None]) -> BankDeckCards | None:
    """The cards of bank deck `ref` as of the bank's current revision: kept ones, or
    `make()` (None: no such deck, not kept)."""
    if bank_changed_here(db.session):  # this transaction's own bank, not yet committed
        return make()
    revision = bank_revision(db.session.connection())
    kept = _KEPT.get(db.engine)
    if kept is None or kept[0] != revision:
        kept = (revision, {})
        _KEPT[db.engine] = kept
    found = kept[1].get(ref)
    if found is None:
        # Made after reading the revision: never older than the revision it is kept for.
        found = make()
        if found is not None:
            kept[1][ref] = found
    return found


def bank_cards(items: Sequence[Item]) -> dict[int, list[Flashcard]]:
    """Each bank item's cards: the recall cards written for its facts at bank build
    (quizzes/domain/fact_cards.py), or, for an item whose facts have none stored, the
    cards made from the item itself."""
    fact_ids = {fact_id for item in items for fact_id in item.fact_ids}
    rows = (
        db.session.execute(
            select(Fact.id, Fact.fields, Fact.sources, Fact.topics).where(
                Fact.id.in_(fact_ids), Fact.retired_at.is_(None)
            )
        ).all()
        if fact_ids
        else []
    )
    stored = {row.id: (row.fields or {}).get("cards") or [] for row in rows}
    sources = {row.id: row.sources or [] for row in rows}
    topics = {row.id: row.topics or [] for row in rows}
    made = {}
    for item in items:
        from_facts = cards_of_facts(item.fact_ids, stored, sources, topics)
        made[item.id] = (
            from_facts
            if from_facts is not None
            else cards_from_item(item.as_dict(), srs.memory_keys(item.fact_ids, item.key, None))
        )
    return made
