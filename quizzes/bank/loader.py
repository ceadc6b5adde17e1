"""Loads a built bank into the database idempotently, by stable item key.

Re-running after a fact edit updates items in place, retires items whose facts are gone
(attempts keep their own snapshots, so no history is lost) and never duplicates. Flushes,
never commits: the caller commits once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select

from models import Fact, Item, ItemTopic, QuestionSet, SetStatus, db
from quizzes.domain.itemtypes import ITEM_FIELDS as ALL_ITEM_FIELDS

# Everything of an item but its key, which identifies the row.
ITEM_FIELDS = tuple(name for name in ALL_ITEM_FIELDS if name != "key")


@dataclass(frozen=True)
class BankSet:
    """A built-in set: a slug, a title, and the keys of the items it holds in order."""

    slug: str
    title: str
    description: str
    item_keys: Sequence[str]


@dataclass
class LoadSummary:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    retired: int = 0
    revived: int = 0
    facts_added: int = 0
    facts_updated: int = 0
    facts_retired: int = 0
    sets: dict[str, int] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return any(
            (
                self.added,
                self.updated,
                self.retired,
                self.revived,
                self.facts_added,
                self.facts_updated,
                self.facts_retired,
            )
        )


def _sync_facts(facts: Iterable[Mapping[str, Any]], now: datetime, summary: LoadSummary) -> None:
    existing = {fact.id: fact for fact in db.session.scalars(select(Fact))}
    seen = set()
    for record in facts:
        seen.add(record["id"])
        values = {k: record[k] for k in ("kind", "status", "fields", "topics", "sources")}
        row = existing.get(record["id"])
        if row is None:
            db.session.add(Fact(id=record["id"], **values))
            summary.facts_added += 1
        elif any(getattr(row, k) != v for k, v in values.items()) or row.retired_at:
            for k, v in values.items():
                setattr(row, k, v)
            row.retired_at = None
            summary.facts_updated += 1
    for fact_id, row in existing.items():
        if fact_id not in seen and row.retired_at is None:
            row.retired_at = now
            summary.facts_retired += 1


def _builtin_set(bank_set: BankSet) -> QuestionSet:
    row = db.session.scalar(select(QuestionSet).where(QuestionSet.slug == bank_set.slug))
    if row is None:
        row = QuestionSet(
            slug=bank_set.slug,
            owner_id=None,
            status=SetStatus.PUBLISHED,
            title=bank_set.title,
            description=bank_set.description,
        )
        db.session.add(row)
        db.session.flush()
    else:
        row.title, row.description = bank_set.title, bank_set.description
    return row


def load_bank(
    items: Sequence[Mapping[str, Any]],
    sets: Sequence[BankSet],
    facts: Iterable[Mapping[str, Any]],
    now: datetime,
    on_progress: Callable[[int, int], None] | None = None,
) -> LoadSummary:
    """Upsert `items` (docs/ITEMS.md dicts, sources resolved) into the built-in `sets`."""
    summary = LoadSummary()
    _sync_facts(facts, now, summary)
    by_key = {item["key"]: item for item in items}
    builtin_ids = db.session.scalars(
        select(QuestionSet.id).where(QuestionSet.owner_id.is_(None))
    ).all()
    existing = (
        {
            row.key: row
            for row in db.session.scalars(select(Item).where(Item.set_id.in_(builtin_ids)))
        }
        if builtin_ids
        else {}
    )
    done, total = 0, len(by_key)
    for bank_set in sets:
        set_row = _builtin_set(bank_set)
        summary.sets[bank_set.slug] = len(bank_set.item_keys)
        for position, key in enumerate(bank_set.item_keys):
            _upsert(by_key[key], set_row, position, existing.get(key), now, summary)
            done += 1
            if on_progress and (done % 50 == 0 or done == total):
                on_progress(done, total)
    for key, row in existing.items():
        if key not in by_key and row.retired_at is None:
            row.retired_at = now
            for topic_row in row.topic_rows:
                topic_row.active = False
            summary.retired += 1
    db.session.flush()
    return summary


def _upsert(
    item: Mapping[str, Any],
    set_row: QuestionSet,
    position: int,
    row: Item | None,
    now: datetime,
    summary: LoadSummary,
) -> None:
    values = {name: item[name] for name in ITEM_FIELDS}
    if row is None:
        row = Item(key=item["key"], set_id=set_row.id, position=position, **values)
        row.topic_rows = [ItemTopic(topic=t) for t in dict.fromkeys(item["topics"])]
        db.session.add(row)
        summary.added += 1
        return
    changed = any(getattr(row, name) != value for name, value in values.items())
    moved = row.set_id != set_row.id or row.position != position
    if row.retired_at is not None:
        row.retired_at = None
        summary.revived += 1
    elif changed:
        summary.updated += 1
    elif not moved:
        summary.unchanged += 1
    if changed:
        for name, value in values.items():
            setattr(row, name, value)
        row.version += 1
        row.topic_rows = [ItemTopic(topic=t) for t in dict.fromkeys(item["topics"])]
    for topic_row in row.topic_rows:
        topic_row.active = True
    row.set_id, row.position = set_row.id, position
