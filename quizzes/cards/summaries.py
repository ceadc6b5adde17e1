"""The deck list: every deck a learner may study, with its cards, due and new counts."""

from __future__ import annotations

import weakref
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import bindparam, case, func, select

from models import Card, Deck, Item, ItemTopic, QuestionSet, db
from models import MemoryState as MemoryRow
from quizzes.cards import queue
from quizzes.cards.bank_cards import bank_cards
from quizzes.cards.decks import bank_sets, deck_ref, personal_decks, personal_scope
from quizzes.domain import srs
from quizzes.domain.flashcards import (
    looks_the_same,
)
from quizzes.web.display import topic_title

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
    new_today: int  # of those, how many today's new-card limit (shared by all decks) lets in


def _personal_summary(deck: Deck, user_id: int, end: datetime, new_room: int) -> DeckSummary:
    """A learner's deck: its cards as written (a reversed card is one, as on the deck page
    and in the new count: its two sides share one memory), those never studied, and its
    memories due by `end` (one range of the study queue's index)."""
    written, _ = db.session.execute(_OWN_DECK_CARDS, {"deck_id": deck.id}).one()
    # A card has one memory ("card:<id>") once studied: the rest are new.
    studied = db.session.scalar(_OWN_DECK_MEMORIES, {"user_id": user_id, "deck_id": deck.id})
    due = queue.count_due(
        personal_scope(deck.id, user_id), _EPOCH, end, phases=queue.STUDIED_PHASES
    )
    new = written - studied
    return DeckSummary(
        deck_ref(deck), deck.title, "personal", written, due, new, min(new, new_room)
    )


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


def _bank_items_by_topic(made: list[BankItemCards]) -> dict[str, list[BankItemCards]]:
    topics_of: dict[int, list[str]] = {}
    for item_id, topic in db.session.execute(_BANK_TOPICS):
        topics_of.setdefault(item_id, []).append(topic)
    by_topic: dict[str, list[BankItemCards]] = {}
    for item in made:
        for topic in topics_of.get(item.item_id, []):
            by_topic.setdefault(topic, []).append(item)
    return by_topic


def bank_memory_topics() -> dict[str, list[str]]:
    """Every memory the bank's cards train, with its topics: the statistics count the ones
    a learner has not met yet, which have no stored memory."""
    topics_of_key: dict[str, list[str]] = {}
    made = [item for item in bank_item_cards() if item.cards]
    for topic, items in _bank_items_by_topic(made).items():
        for key in dict.fromkeys(key for item in items for key in item.memory_keys):
            topics_of_key.setdefault(key, []).append(topic)
    return topics_of_key


def deck_summaries(
    user_id: int, now: datetime, settings: srs.StudySettings, new_room: int
) -> list[DeckSummary]:
    """Every deck this user may study, with its counts, from a handful of queries.
    `new_room`: how many new cards today's limit still lets in (the limit is shared)."""
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
        new = len(unique - seen)
        return DeckSummary(ref, title, kind, cards, len(unique & due), new, min(new, new_room))

    result = [_personal_summary(deck, user_id, end, new_room) for deck in personal_decks(user_id)]

    made = [item for item in bank_item_cards() if item.cards]
    by_set: dict[int, list[BankItemCards]] = {}
    for item in made:
        by_set.setdefault(item.set_id, []).append(item)
    for qset in bank_sets():
        if in_set := by_set.get(qset.id):
            result.append(summary(f"set-{qset.id}", qset.title, "set", in_set))
    by_topic = _bank_items_by_topic(made)
    for topic in sorted(by_topic):
        result.append(summary(f"topic-{topic}", topic_title(topic), "topic", by_topic[topic]))
    return result
