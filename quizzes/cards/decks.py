"""Decks as the study session sees them: a learner's own deck, or a set or topic of the bank.

A deck answers four questions for the scheduler: which of the learner's memories are its
own (memory_scope: conditions the study queue, quizzes/cards/queue.py, adds its ranges
to), which memories are still new, which cards show a memory, and every card (for
listing and export). Flushes, never commits.
"""

from __future__ import annotations

import hashlib
import weakref
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, bindparam, case, delete, exists, func, select

from models import Card, Deck, Item, ItemTopic, QuestionSet, by_id, db
from models import MemoryState as MemoryRow
from quizzes.bank.builtin import topic_title
from quizzes.cards.bank_cards import bank_cards
from quizzes.domain import srs
from quizzes.domain.flashcards import (
    Flashcard,
    PersonalCard,
    cards_from_personal,
    looks_the_same,
    without_repeats,
)
from quizzes.pagination import Page, page_of

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
        number = card_id.removeprefix("card:").split(":")[0]
        if not number.isdigit():
            return None
        card = by_id(Card, int(number))
        if card is None or card.deck_id != self.deck.id:
            return None
        return next((f for f in cards_from_personal(personal_card(card)) if f.id == card_id), None)


@dataclass
class BankDeck(StudyDeck):
    """A set or topic of the built-in bank: the recall cards of its items' facts."""

    items: list[Item] = field(default_factory=list)
    _cards: list[Flashcard] | None = None

    def cards(self) -> list[Flashcard]:
        if self._cards is None:
            made = bank_cards(self.items)
            self._cards = without_repeats(form for item in self.items for form in made[item.id])
        return self._cards

    def _by_key(self) -> dict[str, list[Flashcard]]:
        # A card from several facts is a form of each of them.
        forms: dict[str, list[Flashcard]] = {}
        for card in self.cards():
            for key in card.memory_keys:
                forms.setdefault(key, []).append(card)
        return forms

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
        return {key: by_key[key] for key in keys if key in by_key}

    def find_card(self, card_id: str) -> Flashcard | None:
        return next((card for card in self.cards() if card.id == card_id), None)


CARDS_PER_PAGE = 50  # a personal deck's card list, a page at a time


def card_page(deck: Deck, number: int) -> Page[Card]:
    """One page of a personal deck's cards, in the order written (a deck may hold
    100,000: the page reads its 50 and counts the rest on the (deck_id, id) index)."""
    total = db.session.scalar(select(func.count(Card.id)).where(Card.deck_id == deck.id))

    def read(limit: int, offset: int) -> list[Card]:
        query = select(Card).where(Card.deck_id == deck.id).order_by(Card.id)
        return list(db.session.scalars(query.limit(limit).offset(offset)))

    return page_of(total, number, CARDS_PER_PAGE, read)


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
    if kind == "my" and rest.isdigit():
        deck = by_id(Deck, int(rest))
        if deck is None or deck.owner_id != user_id:
            return None
        return PersonalDeck(ref, deck.title, deck.description, "personal", deck=deck)
    if kind == "set" and rest.isdigit():
        qset = by_id(QuestionSet, int(rest))
        if qset is None or not qset.is_builtin:
            return None
        items = list(
            db.session.scalars(
                _active_items().where(Item.set_id == qset.id).order_by(Item.position)
            )
        )
        if not items:
            return None
        return BankDeck(ref, qset.title, qset.description, "set", items=items)
    if kind == "topic" and rest:
        items = list(
            db.session.scalars(
                _active_items()
                .join(ItemTopic, ItemTopic.item_id == Item.id)
                .where(ItemTopic.topic == rest)
                .order_by(Item.set_id, Item.position)
            )
        )
        if not items:
            return None
        return BankDeck(ref, f"Topic: {topic_title(rest)}", "", "topic", topic=rest, items=items)
    return None


def deck_ref(deck: Deck) -> str:
    return f"my-{deck.id}"


# -- writing personal cards ------------------------------------------------------------


def add_card(deck: Deck, **fields) -> Card:
    card = Card(deck_id=deck.id, **fields)
    db.session.add(card)
    db.session.flush()
    card.memory_key = f"card:{card.id}"
    db.session.flush()
    return card


def card_looks(deck: Deck) -> set[tuple[str, str]]:
    """(front, back) of each card the deck has: an import leaves out cards it has."""
    rows = db.session.execute(select(Card.front, Card.back).where(Card.deck_id == deck.id))
    return {(front, back) for front, back in rows}


def add_cards(deck: Deck, cards: Sequence[dict]) -> int:
    """Add many cards at once (an import): two flushes in all, not two per card."""
    added = [Card(deck_id=deck.id, **fields) for fields in cards]
    db.session.add_all(added)
    db.session.flush()
    for card in added:
        card.memory_key = f"card:{card.id}"
    db.session.flush()
    return len(added)


def _forget(user_id: int, keys: list[str]) -> None:
    """Drop memories of deleted cards (the review log stays for the optimizer)."""
    if keys:
        db.session.execute(
            delete(MemoryRow).where(MemoryRow.user_id == user_id, MemoryRow.memory_key.in_(keys))
        )


_cards = Card.__table__
_keys_in = _cards.c.memory_key.in_(bindparam("keys", expanding=True))
# A prepared Core UPDATE, run on every first rating: no Card objects are looked through.
_MARK_STUDIED = (
    _cards.update()
    .where(_keys_in, _cards.c.first_studied_at.is_(None))
    .values(first_studied_at=bindparam("at"))
)
_MARK_NEW = _cards.update().where(_keys_in).values(first_studied_at=None)


def mark_studied(memory_keys: Sequence[str], now: datetime | None) -> None:
    """Record that personal cards were first rated at `now` (None: back to new, on undo)."""
    keys = [key for key in memory_keys if key.startswith("card:")]
    if not keys:
        return
    if now is None:
        db.session.connection().execute(_MARK_NEW, {"keys": keys})
    else:
        db.session.connection().execute(_MARK_STUDIED, {"keys": keys, "at": now})


def delete_card(card: Card) -> None:
    _forget(card.deck.owner_id, [card.memory_key])
    db.session.delete(card)
    db.session.flush()


def delete_deck(deck: Deck) -> None:
    _forget(deck.owner_id, [card.memory_key for card in deck.cards])
    db.session.delete(deck)  # its cards go with it
    db.session.flush()


def tags_from_text(text: str) -> list[str]:
    """ "upr, human rights" -> ["upr", "human rights"] (comma-separated, no repeats)."""
    return list(dict.fromkeys(t.strip() for t in text.split(",") if t.strip()))


# -- the deck list --------------------------------------------------------------------


_TWO_FORMS = case((Card.reversed & (Card.kind != "cloze"), 1))
_OWN_DECK_CARDS = select(func.count(Card.id), func.count(_TWO_FORMS)).where(
    Card.deck_id == bindparam("deck_id")
)
_OWN_DECK_MEMORIES = select(func.count(MemoryRow.id)).where(
    MemoryRow.user_id == bindparam("user_id"), MemoryRow.deck_id == bindparam("deck_id")
)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class DeckSummary:
    ref: str
    title: str
    kind: str
    cards: int
    due: int  # memories due by the end of today (before daily limits)
    new: int  # memories never reviewed


def _personal_summary(deck: Deck, user_id: int, end: datetime) -> DeckSummary:
    """A learner's deck: its cards as written (a reversed card is one, as on the deck page
    and in the new count: its two sides share one memory), those never studied, and its
    memories due by `end` (one range of the study queue's index)."""
    from quizzes.cards import queue  # the queue builds on this module

    written, _ = db.session.execute(_OWN_DECK_CARDS, {"deck_id": deck.id}).one()
    # A card has one memory ("card:<id>") once studied: the rest are new.
    studied = db.session.scalar(_OWN_DECK_MEMORIES, {"user_id": user_id, "deck_id": deck.id})
    due = queue.count_due(
        personal_scope(deck.id, user_id), _EPOCH, end, phases=queue.STUDIED_PHASES
    )
    return DeckSummary(deck_ref(deck), deck.title, "personal", written, due, written - studied)


# -- the bank's cards, counted -----------------------------------------------------------

# (item id, version, updated) -> (cards, their memory keys) of a bank item. The deck list
# counts the cards of every bank item, and making them decodes each item's JSON: most of
# the page's time (16 ms for the built-in bank of 353 items; 0.6 s for 100,000). A bank
# build moves an item's version and update time with every change of its content. One
# cache per database engine (the tests make many).
_SHAPES: weakref.WeakKeyDictionary[Any, dict[tuple, tuple[int, tuple[str, ...]]]] = (
    weakref.WeakKeyDictionary()
)
_MAX_SHAPES = 200_000  # about 60 MB at most; past it the cache starts again
_BANK_VERSIONS = (
    select(Item.id, Item.set_id, Item.version, Item.updated_at)
    .join(QuestionSet, QuestionSet.id == Item.set_id)
    .where(QuestionSet.owner_id.is_(None), Item.retired_at.is_(None))
    .order_by(Item.set_id, Item.position)
)
_BANK_TOPICS = (
    select(ItemTopic.item_id, ItemTopic.topic)
    .join(Item, Item.id == ItemTopic.item_id)
    .join(QuestionSet, QuestionSet.id == Item.set_id)
    .where(QuestionSet.owner_id.is_(None), Item.retired_at.is_(None))
)


@dataclass(frozen=True)
class BankItemCards:
    item_id: int
    set_id: int
    looks: tuple[int, ...]  # one per card: a hash of what it shows (flashcards.looks_the_same)
    memory_keys: tuple[str, ...]  # one per card and memory it trains (repeats kept)

    @property
    def cards(self) -> int:
        return len(self.looks)


def bank_item_cards() -> list[BankItemCards]:
    """How many cards each active bank item makes, and their memories, in deck order;
    items are decoded only when new or changed since this process last saw them."""
    shapes = _SHAPES.setdefault(db.engine, {})
    rows = db.session.execute(_BANK_VERSIONS).all()
    missing = {row.id: (row.id, row.version, row.updated_at) for row in rows}
    missing = {item_id: key for item_id, key in missing.items() if key not in shapes}
    if len(shapes) + len(missing) > _MAX_SHAPES:
        shapes.clear()
    ids = list(missing)
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        items = list(db.session.scalars(select(Item).where(Item.id.in_(chunk))))
        cards_of = bank_cards(items)
        for item in items:
            made = cards_of[item.id]
            keys = tuple(key for card in made for key in card.memory_keys)
            shapes[missing[item.id]] = (tuple(hash(looks_the_same(card)) for card in made), keys)
    result = []
    for row in rows:
        # An item changed between the two reads is counted as it is now.
        shape = shapes.get((row.id, row.version, row.updated_at)) or shapes.get(
            missing.get(row.id, ())
        )
        if shape is not None:
            result.append(BankItemCards(row.id, row.set_id, *shape))
    return result


def deck_summaries(user_id: int, now: datetime, settings: srs.StudySettings) -> list[DeckSummary]:
    """Every deck this user may study, with its counts, from a handful of queries."""
    end = srs.day_end(srs.study_day(now, settings), settings)
    # The bank's memories (facts, quiz items); a learner's own decks are counted in SQL.
    bank_memories = (MemoryRow.user_id == user_id, MemoryRow.deck_id.is_(None))
    seen = set(db.session.scalars(select(MemoryRow.memory_key).where(*bank_memories)))
    due = set(
        db.session.scalars(select(MemoryRow.memory_key).where(*bank_memories, MemoryRow.due < end))
    )

    def summary(ref: str, title: str, kind: str, made: list[BankItemCards]) -> DeckSummary:
        unique = {key for item in made for key in item.memory_keys}
        cards = len({look for item in made for look in item.looks})  # as BankDeck.cards()
        return DeckSummary(ref, title, kind, cards, len(unique & due), len(unique - seen))

    result = [_personal_summary(deck, user_id, end) for deck in personal_decks(user_id)]

    topics_of: dict[int, list[str]] = {}
    for item_id, topic in db.session.execute(_BANK_TOPICS):
        topics_of.setdefault(item_id, []).append(topic)
    by_set: dict[int, list[BankItemCards]] = {}
    by_topic: dict[str, list[BankItemCards]] = {}
    for item in bank_item_cards():
        if not item.cards:
            continue
        by_set.setdefault(item.set_id, []).append(item)
        for topic in topics_of.get(item.item_id, []):
            by_topic.setdefault(topic, []).append(item)
    for qset in bank_sets():
        if made := by_set.get(qset.id):
            result.append(summary(f"set-{qset.id}", qset.title, "set", made))
    for topic in sorted(by_topic):
        result.append(summary(f"topic-{topic}", topic_title(topic), "topic", by_topic[topic]))
    return result
