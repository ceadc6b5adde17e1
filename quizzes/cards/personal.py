"""A learner's own cards: listed a page at a time, written, imported, deleted, and marked
studied. Flushes, never commits."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import bindparam, delete, func, select

from models import Card, Deck, User, db
from models import MemoryState as MemoryRow
from quizzes.domain.flashcards import card_look
from quizzes.media import store
from quizzes.web.pagination import Page, page_of

CARDS_PER_PAGE = 50  # a personal deck's card list, a page at a time


def card_page(deck: Deck, number: int) -> Page[Card]:
    """One page of a personal deck's cards, in the order written (a deck may hold
    100,000: the page reads its 50 and counts the rest on the (deck_id, id) index)."""
    total = db.session.scalar(select(func.count(Card.id)).where(Card.deck_id == deck.id))

    def read(limit: int, offset: int) -> list[Card]:
        query = select(Card).where(Card.deck_id == deck.id).order_by(Card.id)
        return list(db.session.scalars(query.limit(limit).offset(offset)))

    return page_of(total, number, CARDS_PER_PAGE, read)


# -- writing personal cards ------------------------------------------------------------


def add_card(deck: Deck, **fields) -> Card:
    card = Card(deck_id=deck.id, **fields)
    db.session.add(card)
    db.session.flush()
    card.memory_key = f"card:{card.id}"
    db.session.flush()
    return card


def card_looks(deck: Deck) -> set[tuple[str, str]]:
    """The look (front and back, formatting aside) of each card the deck has: an import
    leaves out cards it has."""
    rows = db.session.execute(
        select(Card.kind, Card.front, Card.back).where(Card.deck_id == deck.id)
    )
    return {card_look(kind, front, back) for kind, front, back in rows}


def imported_columns(card) -> dict:
    """An imported card's columns (quizzes.domain.interop.cards.ImportedCard), as written:
    the web import and `flask decks import` store the same."""
    return {
        "kind": card.kind,
        "front": card.front,
        "back": card.back,
        "source": card.source,
        "tags": list(card.tags),
        "reversed": card.reversed,
    }


def add_cards(deck: Deck, cards: Sequence[dict]) -> list[Card]:
    """Add many cards at once (an import): two flushes in all, not two per card."""
    added = [Card(deck_id=deck.id, **fields) for fields in cards]
    db.session.add_all(added)
    db.session.flush()
    for card in added:
        card.memory_key = f"card:{card.id}"
    db.session.flush()
    return added


def keep_imported_media(
    files: dict, cards: Sequence, now: datetime
) -> tuple[dict[str, str], list[str]]:
    """Store the cleaned files (by the package's file name) the imported cards show, used
    by no one yet (docs/DECK_IMPORT.md: the preview stores them, the confirm links them):
    the package's name → the stored name, and the stored names new to the store (the files
    a discarded preview deletes; others were there before it, for another preview or use)."""
    stored: dict[str, str] = {}
    new: list[str] = []
    for card in cards:
        for shown in card.media:
            cleaned = files.get(shown.filename)
            if cleaned is not None and shown.filename not in stored:
                media, fresh = store.keep_unused(cleaned, now)
                stored[shown.filename] = media.name
                if fresh:
                    new.append(media.name)
    return stored, new


def show_imported_media(
    owner: User, deck: Deck, imported: Sequence, added: Sequence[Card], stored: dict[str, str]
) -> int:
    """Link each added card (in the order imported) to the stored files it shows; how many
    links (a file pruned since the preview is left out)."""
    count = 0
    for card, written in zip(imported, added, strict=True):
        for side, filename, label in card.media:
            name = stored.get(filename)
            if name is not None and store.use_for_card(
                owner, deck, written, name, side, label or filename
            ):
                count += 1
    return count


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
