"""Read-only queries for browsing the bank."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from models import Item, ItemTopic, QuestionSet, SetStatus, db


@dataclass(frozen=True)
class SetSummary:
    id: int
    title: str
    description: str
    items: int
    types: dict[str, int]


def builtin_sets() -> list[SetSummary]:
    rows = db.session.execute(
        select(
            QuestionSet.id,
            QuestionSet.title,
            QuestionSet.description,
            Item.type,
            func.count(Item.id),
        )
        .join(Item, Item.set_id == QuestionSet.id)
        .where(
            QuestionSet.owner_id.is_(None),
            QuestionSet.status == SetStatus.PUBLISHED,
            Item.retired_at.is_(None),
        )
        .group_by(QuestionSet.id, Item.type)
        .order_by(QuestionSet.id)
    ).all()
    summaries: dict[int, SetSummary] = {}
    for set_id, title, description, item_type, count in rows:
        summary = summaries.setdefault(set_id, SetSummary(set_id, title, description, 0, {}))
        summary.types[item_type] = count
    return [
        SetSummary(
            s.id, s.title, s.description, sum(s.types.values()), dict(sorted(s.types.items()))
        )
        for s in summaries.values()
    ]


def topic_counts() -> list[tuple[str, int]]:
    """Active items per topic, built-in and published sets only."""
    rows = db.session.execute(
        select(ItemTopic.topic, func.count(ItemTopic.item_id))
        .join(Item, Item.id == ItemTopic.item_id)
        .join(QuestionSet, QuestionSet.id == Item.set_id)
        .where(ItemTopic.active.is_(True), QuestionSet.owner_id.is_(None))
        .group_by(ItemTopic.topic)
        .order_by(func.count(ItemTopic.item_id).desc(), ItemTopic.topic)
    ).all()
    return [(topic, count) for topic, count in rows]


def set_items(set_id: int) -> list[Item]:
    return list(
        db.session.scalars(
            select(Item)
            .where(Item.set_id == set_id, Item.retired_at.is_(None))
            .order_by(Item.position)
        )
    )


def topic_items(topic: str) -> list[Item]:
    return list(
        db.session.scalars(
            select(Item)
            .join(ItemTopic, ItemTopic.item_id == Item.id)
            .join(QuestionSet, QuestionSet.id == Item.set_id)
            .where(
                ItemTopic.topic == topic, ItemTopic.active.is_(True), QuestionSet.owner_id.is_(None)
            )
            .order_by(Item.set_id, Item.position)
        )
    )
