"""Decks as the study session sees them: a learner's own deck, or a set or topic of the bank.

A deck answers four questions for the scheduler: which of the learner's memories are its
own (memory_scope: conditions the study queue, quizzes/cards/queue.py, adds its ranges
to), which memories are still new, which cards show a memory, and every card (for
listing and export). Flushes, never commits.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, bindparam, exists, func, select

from models import Card, Deck, Item, ItemTopic, QuestionSet, by_id, db
from models import MemoryState as MemoryRow
from quizzes.cards.bank_cards import BankDeckCards, deck_cards, kept_deck_cards
from quizzes.domain import srs
from quizzes.domain.flashcards import Flashcard, PersonalCard, cards_from_personal
from quizzes.integers import whole_number_or_none
from quizzes.web.display import topic_title

Keyed = tuple[str, srs.MemoryState]

# Anki deck ids: a fixed range so they never collide with Anki's own small ids.
_ANKI_DECK_BASE = 1_600_000_000_000


def anki_deck_id(ref: str) -> int:
    """A stable Anki deck id for a deck reference ("my-12", "set-3", "topic-upr")."""
    digest = hashlib.blake2b(f"quizdeck-deck:{ref}".encode(), digest_size=6).digest()
    return _ANKI_DECK_BASE + int.from_bytes(digest, "big") % 10**12


def _pairs(rows: Iterable[tuple[str, dict]]) -> list[Keyed]:
    """(memory_key, state) rows as domain states; selecting two columns, not whole rows,
    keeps a deck's due reviews cheap to load."""
    return [(key, srs.MemoryState.from_dict(state)) for key, state in rows]


_KEY_STATE = (MemoryRow.__table__.c.memory_key, MemoryRow.__table__.c.state)


@dataclass(frozen=True)
class MemoryScope:
    """A learner's memories of one deck: conditions on MemoryState rows written with bind
    parameters, the same for every deck of a kind (so statements that use them are built
    once, quizzes/cards/queue.py), and the values of those parameters."""

    kind: str
    conditions: tuple[ColumnElement[bool], ...]
    params: dict[str, Any]


# On the table's columns, as the queue's statements that use them (quizzes/cards/queue.py).
_MEMORY_COLUMNS = MemoryRow.__table__.c
_PERSONAL_SCOPE = (
    _MEMORY_COLUMNS.user_id == bindparam("scope_user"),
    _MEMORY_COLUMNS.deck_id == bindparam("scope_deck"),
)
_BANK_SCOPE = (
    _MEMORY_COLUMNS.user_id == bindparam("scope_user"),
    _MEMORY_COLUMNS.deck_id.is_(None),  # facts and quiz items: never a personal deck's memory
    _MEMORY_COLUMNS.memory_key.in_(bindparam("scope_keys", expanding=True)),
)


def personal_scope(deck_id: int, user_id: int) -> MemoryScope:
    return MemoryScope("personal", _PERSONAL_SCOPE, {"scope_user": user_id, "scope_deck": deck_id})


def new_states(keys: Sequence[str], now: datetime) -> list[Keyed]:
    # New memories are introduced oldest first (due_queue sorts them by due): give them
    # due moments a microsecond apart in deck order, all at or before `now`.
    start = now - timedelta(microseconds=len(keys))
    return [
        (key, srs.MemoryState.new(start + timedelta(microseconds=i))) for i, key in enumerate(keys)
    ]


@dataclass
class StudyDeck:
    ref: str
    title: str
    description: str
    kind: str  # "personal", "set" or "topic"
    topic: str | None = None
    deck: Deck | None = None

    @property
    def anki_id(self) -> int:
        return anki_deck_id(self.ref)

    @property
    def is_personal(self) -> bool:
        return self.kind == "personal"

    # -- what a deck must answer -------------------------------------------------------

    def memory_scope(self, user_id: int) -> MemoryScope:
        """Which MemoryState rows are this learner's memories of the deck."""
        raise NotImplementedError

    def all_states(self, user_id: int) -> list[Keyed]:
        scope = self.memory_scope(user_id)
        query = select(*_KEY_STATE).where(*scope.conditions)
        return _pairs(db.session.execute(query, scope.params))

    def new_keys(self, user_id: int, limit: int) -> list[str]:
        raise NotImplementedError

    def forms(self, keys: Iterable[str]) -> dict[str, list[Flashcard]]:
        raise NotImplementedError

    def cards(self) -> list[Flashcard]:
        raise NotImplementedError

    def new_count(self, user_id: int) -> int:
        raise NotImplementedError

    def find_card(self, card_id: str) -> Flashcard | None:
        raise NotImplementedError


# A personal deck's statements, built once (the study page runs them for every card).
# Only the owner studies a personal deck: a card never rated is new.
# Those that read columns only name the table's columns (no ORM compile step per run).
_CARD_COLUMNS = Card.__table__.c
_UNSEEN = (_CARD_COLUMNS.deck_id == bindparam("deck_id"), _CARD_COLUMNS.first_studied_at.is_(None))
_NEW_KEYS = (
    select(_CARD_COLUMNS.memory_key)
    .where(*_UNSEEN)
    .order_by(_CARD_COLUMNS.id)
    .limit(bindparam("limit"))
)
_NEW_COUNT = select(func.count(_CARD_COLUMNS.id)).where(*_UNSEEN)
_CARDS_OF_KEYS = select(Card).where(
    Card.deck_id == bindparam("deck_id"), Card.memory_key.in_(bindparam("keys", expanding=True))
)


@dataclass
class PersonalDeck(StudyDeck):
    """A learner's deck: memory "card:<id>" per card, which keeps the card's deck id."""

    def memory_scope(self, user_id: int) -> MemoryScope:
        return personal_scope(self.deck.id, user_id)

    def new_keys(self, user_id: int, limit: int) -> list[str]:
        if limit <= 0:
            return []
        return list(db.session.scalars(_NEW_KEYS, {"deck_id": self.deck.id, "limit": limit}))

    def new_count(self, user_id: int) -> int:
        return db.session.scalar(_NEW_COUNT, {"deck_id": self.deck.id})

    def forms(self, keys: Iterable[str]) -> dict[str, list[Flashcard]]:
        rows = db.session.scalars(_CARDS_OF_KEYS, {"deck_id": self.deck.id, "keys": list(keys)})
        return {card.memory_key: cards_from_personal(personal_card(card)) for card in rows}

    def cards(self) -> list[Flashcard]:
        rows = db.session.scalars(
            select(Card).where(Card.deck_id == self.deck.id).order_by(Card.id)
        )
        return [form for card in rows for form in cards_from_personal(personal_card(card))]

    def find_card(self, card_id: str) -> Flashcard | None:
        number = whole_number_or_none(card_id.removeprefix("card:").split(":")[0])
        if number is None:
            return None
        card = by_id(Card, number)
        if card is None or card.deck_id != self.deck.id:
            return None
        return next((f for f in cards_from_personal(personal_card(card)) if f.id == card_id), None)


@dataclass
class BankDeck(StudyDeck):
    """A set or topic of the built-in bank: the recall cards of its items' facts, made
    once per bank revision (quizzes/cards/bank_cards.py)."""

    made: BankDeckCards | None = None

    def cards(self) -> list[Flashcard]:
        return list(self.made.cards)

    def _by_key(self) -> Mapping[str, Sequence[Flashcard]]:
        return self.made.by_key

    def keys(self) -> list[str]:
        return list(self._by_key())

    def memory_scope(self, user_id: int) -> MemoryScope:
        return MemoryScope("bank", _BANK_SCOPE, {"scope_user": user_id, "scope_keys": self.keys()})

    def _unseen_keys(self, user_id: int) -> list[str]:
        keys = self.keys()
        seen = set(
            db.session.scalars(
                select(MemoryRow.memory_key).where(
                    MemoryRow.user_id == user_id, MemoryRow.memory_key.in_(keys)
                )
            )
        )
        return [key for key in keys if key not in seen]

    def new_keys(self, user_id: int, limit: int) -> list[str]:
        return self._unseen_keys(user_id)[: max(0, limit)]

    def new_count(self, user_id: int) -> int:
        return len(self._unseen_keys(user_id))

    def forms(self, keys: Iterable[str]) -> dict[str, list[Flashcard]]:
        by_key = self._by_key()
        return {key: list(by_key[key]) for key in keys if key in by_key}

    def find_card(self, card_id: str) -> Flashcard | None:
        return next((card for card in self.made.cards if card.id == card_id), None)


def personal_card(card: Card) -> PersonalCard:
    return PersonalCard(
        id=card.id,
        kind=card.kind,
        front=card.front,
        back=card.back,
        source=card.source,
        tags=tuple(card.tags or ()),
        reversed=card.reversed,
    )


# -- finding decks ---------------------------------------------------------------------


def _active_items():
    return (
        select(Item)
        .join(QuestionSet, QuestionSet.id == Item.set_id)
        .where(QuestionSet.owner_id.is_(None), Item.retired_at.is_(None))
    )


def bank_sets() -> list[QuestionSet]:
    """Sets of the built-in bank (no owner) with at least one active item."""
    has_items = exists().where(Item.set_id == QuestionSet.id, Item.retired_at.is_(None))
    return list(
        db.session.scalars(
            select(QuestionSet)
            .where(QuestionSet.owner_id.is_(None), has_items)
            .order_by(QuestionSet.title)
        )
    )


def bank_topics() -> list[str]:
    query = (
        select(ItemTopic.topic)
        .join(Item, Item.id == ItemTopic.item_id)
        .join(QuestionSet, QuestionSet.id == Item.set_id)
        .where(QuestionSet.owner_id.is_(None), Item.retired_at.is_(None))
        .distinct()
        .order_by(ItemTopic.topic)
    )
    return list(db.session.scalars(query))


def personal_decks(user_id: int) -> list[Deck]:
    return list(
        db.session.scalars(select(Deck).where(Deck.owner_id == user_id).order_by(Deck.title))
    )


def load_deck(ref: str, user_id: int) -> StudyDeck | None:
    """The deck `ref` names, if this user may study it (None: answer 404).

    "my-<id>": the user's own deck only; "set-<id>": a set of the built-in bank;
    "topic-<name>": every active bank item with that topic.
    """
    kind, _, rest = ref.partition("-")
    number = whole_number_or_none(rest)
    if kind == "my" and number is not None:
        deck = by_id(Deck, number)
        if deck is None or deck.owner_id != user_id:
            return None
        return PersonalDeck(ref, deck.title, deck.description, "personal", deck=deck)
    if (kind == "set" and number is not None) or (kind == "topic" and rest):
        # Kept under one spelling of each deck ("set-07" is "set-7"), so only real decks.
        kept_as = f"set-{number}" if kind == "set" else ref
        made = kept_deck_cards(kept_as, lambda: _make_bank_deck(kind, number, rest))
        if made is None:
            return None
        return BankDeck(ref, made.title, made.description, made.kind, topic=made.topic, made=made)
    return None


def _make_bank_deck(kind: str, number: int | None, topic: str) -> BankDeckCards | None:
    """A bank set's or topic's cards, from its active items (None: no such deck)."""
    if kind == "set":
        qset = by_id(QuestionSet, number)
        if qset is None or not qset.is_builtin:
            return None
        items = list(
            db.session.scalars(
                _active_items().where(Item.set_id == qset.id).order_by(Item.position)
            )
        )
        if not items:
            return None
        return deck_cards(qset.title, qset.description, "set", None, items)
    items = list(
        db.session.scalars(
            _active_items()
            .join(ItemTopic, ItemTopic.item_id == Item.id)
            .where(ItemTopic.topic == topic)
            .order_by(Item.set_id, Item.position)
        )
    )
    if not items:
        return None
    return deck_cards(f"Topic: {topic_title(topic)}", "", "topic", topic, items)


def deck_ref(deck: Deck) -> str:
    return f"my-{deck.id}"
