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

from sqlalchemy import delete, insert, select, update

from models import Fact, Item, ItemTopic, QuestionSet, SetStatus, bump_bank_revision, db
from quizzes.domain.itemtypes import ITEM_FIELDS as ALL_ITEM_FIELDS
from quizzes.domain.itemtypes import OPTIONAL_ITEM_FIELDS

# Everything of an item but its key, which identifies the row.
ITEM_FIELDS = (*(name for name in ALL_ITEM_FIELDS if name != "key"), *OPTIONAL_ITEM_FIELDS)


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
    """Upsert `items` (docs/ITEMS.md dicts, sources resolved) into the built-in `sets`.

    Works in bulk (one SELECT, then executemany INSERTs and UPDATEs) so a bank of tens of
    thousands of items loads in seconds; an unchanged rebuild writes nothing.
    """
    summary = LoadSummary()
    _sync_facts(facts, now, summary)
    by_key = {item["key"]: item for item in items}
    columns = [Item.id, Item.key, Item.set_id, Item.position, Item.retired_at, Item.version]
    existing = {
        row.key: row
        for row in db.session.execute(
            select(*columns, *(getattr(Item, name) for name in ITEM_FIELDS))
            .join(QuestionSet, QuestionSet.id == Item.set_id)
            .where(QuestionSet.owner_id.is_(None))
        )
    }
    inserts: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    retopic: list[int] = []  # items whose topics changed
    revived: list[int] = []
    done, total = 0, len(by_key)
    for bank_set in sets:
        set_id = _builtin_set(bank_set).id
        summary.sets[bank_set.slug] = len(bank_set.item_keys)
        for position, key in enumerate(bank_set.item_keys):
            item = by_key[key]
            values = {name: item.get(name, OPTIONAL_ITEM_FIELDS.get(name)) for name in ITEM_FIELDS}
            row = existing.get(key)
            if row is None:
                inserts.append({"key": key, "set_id": set_id, "position": position, **values})
                summary.added += 1
            else:
                changed = any(getattr(row, name) != value for name, value in values.items())
                moved = row.set_id != set_id or row.position != position
                if row.retired_at is not None:
                    revived.append(row.id)
                    summary.revived += 1
                elif changed:
                    summary.updated += 1
                else:
                    summary.unchanged += 1
                if changed or moved or row.retired_at is not None:
                    update = {
                        "id": row.id,
                        "set_id": set_id,
                        "position": position,
                        "retired_at": None,
                        "updated_at": now,
                    }
                    if changed:
                        update |= values | {"version": row.version + 1}
                        if row.topics != values["topics"]:
                            retopic.append(row.id)
                    updates.append(update)
            done += 1
            if on_progress and (done % 500 == 0 or done == total):
                on_progress(done, total)
    retired = [
        row.id for key, row in existing.items() if key not in by_key and row.retired_at is None
    ]
    summary.retired = len(retired)
    _write(inserts, updates, retopic, revived, retired, by_key, now)
    if inserts or updates or revived or retired:
        # Core statements pass the ORM's flush, which raises the revision for fact and set
        # rows (models/bank.py); a moved item changes its deck's order too.
        bump_bank_revision(db.session)
    return summary


def _chunks(ids: Sequence[int], size: int = 500):
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def _write(inserts, updates, retopic, revived, retired, by_key, now) -> None:
    if inserts:
        # Core statements on the session's connection: the ORM's bulk path costs more per row.
        connection = db.session.connection()
        items, topics = Item.__table__, ItemTopic.__table__
        new_ids = connection.execute(
            insert(items).returning(items.c.id, items.c.key, sort_by_parameter_order=True),
            [{"version": 1, "difficulty": 0.5, "updated_at": now} | row for row in inserts],
        ).all()
        connection.execute(
            insert(topics),
            [
                {"item_id": item_id, "topic": topic, "active": True}
                for item_id, key in new_ids
                for topic in dict.fromkeys(by_key[key]["topics"])
            ],
        )
    if updates:
        db.session.execute(update(Item), updates)
    if retopic:
        topics = {row["id"]: row["topics"] for row in updates if "topics" in row}
        for ids in _chunks(retopic):
            db.session.execute(delete(ItemTopic).where(ItemTopic.item_id.in_(ids)))
        db.session.execute(
            insert(ItemTopic),
            [
                {"item_id": item_id, "topic": topic, "active": True}
                for item_id in retopic
                for topic in dict.fromkeys(topics[item_id])
            ],
        )
    for ids in _chunks(revived):
        db.session.execute(update(ItemTopic).where(ItemTopic.item_id.in_(ids)).values(active=True))
    for ids in _chunks(retired):
        db.session.execute(update(Item).where(Item.id.in_(ids)).values(retired_at=now))
        db.session.execute(update(ItemTopic).where(ItemTopic.item_id.in_(ids)).values(active=False))
    db.session.flush()
    db.session.expire_all()  # ORM objects loaded before now must not show stale rows
