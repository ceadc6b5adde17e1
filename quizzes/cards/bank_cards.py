"""The cards of bank items: the recall cards written for their facts at bank build
(quizzes/domain/fact_cards.py), stored with each fact, or the item's own cards."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select

from models import Fact, Item, db
from quizzes.domain import srs
from quizzes.domain.fact_cards import cards_of_facts
from quizzes.domain.flashcards import Flashcard, cards_from_item


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
