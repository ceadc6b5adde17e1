"""Teachers' question sets: ORM <-> item dicts (docs/ITEMS.md). Flushes, never commits."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import select

from models import Item, ItemTopic, QuestionSet, SetStatus, User, db
from quizzes.domain import checker, limits
from quizzes.domain.citations import editable_line
from quizzes.domain.interop.moodle_files import (
    point_references,
    references,
    replace_strings,
    strings_of,
)
from quizzes.domain.itemtypes import ITEM_LEVELS, short, validate_item
from quizzes.domain.media import MediaRefused
from quizzes.media import store
from quizzes.transfer import sets as set_transfer
from quizzes.transfer.anki import deck_id_for

MAX_TITLE = limits.TITLE


class PublishError(Exception):
    """A set that cannot be published yet; the message says why."""


# -- sources: stored as dicts, edited and exported as lines ------------------------------


def source_label(source: dict[str, Any] | str) -> str:
    """One line for a stored citation: a bank source (with its URL) or a teacher's text."""
    return editable_line(source)


def sources_from_lines(lines: Iterable[str], previous: list[dict[str, Any]]) -> list[dict]:
    """Citations for edited lines; a line left as it was keeps its structured source."""
    by_label = {source_label(source): source for source in previous}
    return [by_label.get(line, {"text": line}) for line in lines]


# -- items ---------------------------------------------------------------------------------


def item_as_dict(item: Item) -> dict[str, Any]:
    """The item in the docs/ITEMS.md shape, with citations as lines of text."""
    shape = item.as_dict()
    shape["sources"] = [source_label(source) for source in item.sources]
    if shape["type"] == "short":  # a bank name's Hangul becomes a listed answer
        shape["data"] = short.hangul_listed(shape["data"])
    return shape


def new_item_key() -> str:
    return f"authored.{uuid.uuid4().hex}"


def _key_taken(key: str) -> bool:
    return db.session.scalar(select(Item.id).where(Item.key == key)) is not None


def _apply(item: Item, fields: dict[str, Any], known_sources: list[dict] | None = None) -> None:
    item.type = fields["type"]
    item.prompt = fields["prompt"]
    item.data = fields["data"]
    item.explanation = fields.get("explanation", "")
    known = [*(item.sources or []), *(known_sources or [])]
    item.sources = sources_from_lines(fields.get("sources", []), known)
    item.topics = list(fields.get("topics", []))
    item.difficulty = float(fields.get("difficulty", 0.5))
    if fields.get("level") in ITEM_LEVELS:  # a copy keeps it; the editor's form sends none
        item.level = fields["level"]
    wanted = set(item.topics)
    item.topic_rows = [row for row in item.topic_rows if row.topic in wanted]
    have = {row.topic for row in item.topic_rows}
    item.topic_rows += [ItemTopic(topic=topic) for topic in item.topics if topic not in have]


def add_item(
    question_set: QuestionSet,
    fields: dict[str, Any],
    key: str | None = None,
    known_sources: list[dict] | None = None,
) -> Item:
    """Append an item; a key already used anywhere is replaced by a fresh one."""
    if not key or _key_taken(key):
        key = new_item_key()
    item = Item(
        key=key,
        position=next_position(question_set),
        fact_ids=list(fields.get("fact_ids", [])),
        sources=[],
    )
    _apply(item, fields, known_sources)
    question_set.items.append(item)
    db.session.flush()
    _link_media(question_set, fields)
    return item


def _link_media(question_set: QuestionSet, fields: dict[str, Any]) -> None:
    text = json.dumps(fields, ensure_ascii=False, default=str)
    if "/media/" in text:  # the images it shows become the set's (quizzes/media/store.py)
        store.link_to_set(question_set, text)


def update_item(item: Item, fields: dict[str, Any]) -> None:
    """Save an edit; the version counts edits so attempts can tell which text they saw."""
    _apply(item, fields)
    item.version = (item.version or 1) + 1
    db.session.flush()
    _link_media(item.question_set, fields)


def next_position(question_set: QuestionSet) -> int:
    return max((item.position for item in question_set.items), default=-1) + 1


def renumber(question_set: QuestionSet) -> None:
    for position, item in enumerate(question_set.items):
        item.position = position


def move_item(question_set: QuestionSet, item: Item, step: int) -> bool:
    """Swap the item with its neighbour above (step -1) or below (+1)."""
    items = list(question_set.items)
    index = items.index(item)
    other = index + step
    if not 0 <= other < len(items):
        return False
    items[index], items[other] = items[other], items[index]
    for position, each in enumerate(items):
        each.position = position
    db.session.flush()
    db.session.expire(question_set, ["items"])
    return True


def delete_item(question_set: QuestionSet, item: Item) -> None:
    question_set.items.remove(item)
    db.session.flush()
    renumber(question_set)
    db.session.flush()


# -- sets ----------------------------------------------------------------------------------


def owned_sets(owner: User) -> list[tuple[QuestionSet, int]]:
    """The teacher's sets with their item counts, most recently changed first."""
    counts = (
        select(Item.set_id, db.func.count(Item.id).label("n"))
        .where(Item.retired_at.is_(None))
        .group_by(Item.set_id)
        .subquery()
    )
    rows = db.session.execute(
        select(QuestionSet, db.func.coalesce(counts.c.n, 0))
        .outerjoin(counts, counts.c.set_id == QuestionSet.id)
        .where(QuestionSet.owner_id == owner.id)
        .order_by(QuestionSet.updated_at.desc(), QuestionSet.id.desc())
    )
    return [(question_set, count) for question_set, count in rows]


def bank_sets() -> list[QuestionSet]:
    return list(
        db.session.scalars(
            select(QuestionSet).where(QuestionSet.owner_id.is_(None)).order_by(QuestionSet.title)
        )
    )


def create_set(owner: User, title: str, description: str = "") -> QuestionSet:
    question_set = QuestionSet(
        title=title.strip()[:MAX_TITLE],
        description=description.strip(),
        owner_id=owner.id,
        status=SetStatus.DRAFT,
    )
    db.session.add(question_set)
    db.session.flush()
    return question_set


def _same_question(item: Item) -> tuple:
    return (item.type, item.prompt, json.dumps(item.data, sort_keys=True))


def copy_items(items: Iterable[Item], target: QuestionSet, *, skip_repeats: bool = True) -> int:
    """Copies with fresh keys; facts stay linked, so memory of them carries over. A question
    the target already asks (same type, prompt and answer data) is not copied again unless
    `skip_repeats` is off (a duplicate of a whole set copies it as it is): the number copied
    is returned, and the caller can tell what was left out."""
    there = {_same_question(item) for item in target.items if item.active}
    count = 0
    for item in items:
        if skip_repeats and _same_question(item) in there:
            continue
        add_item(target, item_as_dict(item), known_sources=item.sources)
        there.add(_same_question(item))
        count += 1
    return count


def _copy_title(title: str, owner: User) -> str:
    """ "Copy of X", or "Copy 2 of X" and on when the owner has that title already, so two
    duplicates can be told apart in lists and pickers."""
    taken = set(
        db.session.scalars(select(QuestionSet.title).where(QuestionSet.owner_id == owner.id))
    )
    number = 1
    while True:
        name = f"Copy of {title}" if number == 1 else f"Copy {number} of {title}"
        if name[:MAX_TITLE] not in taken:
            return name[:MAX_TITLE]
        number += 1


def duplicate_set(question_set: QuestionSet, owner: User) -> QuestionSet:
    title = _copy_title(question_set.title, owner)
    copy = create_set(owner, title, question_set.description)
    copy_items([item for item in question_set.items if item.active], copy, skip_repeats=False)
    return copy


def publish_problems(question_set: QuestionSet) -> list[str]:
    """What stops a set from being published, item by item."""
    items = [item for item in question_set.items if item.active]
    if not items:
        return ["Add at least one item before publishing."]
    problems = []
    for number, item in enumerate(items, start=1):
        for problem in validate_item(item_as_dict(item)):
            problems.append(f"Item {number}: {problem}")
    return problems


def writing_advice(question_set: QuestionSet) -> dict[int | None, list[str]]:
    """The item-writing checker on the set as listed, by item id (None: the whole set).
    Advice only: the teacher may keep any item as it is."""
    items = list(question_set.items)
    found: dict[int | None, list[str]] = {}
    for index, finding in checker.advice([item_as_dict(item) for item in items]):
        item_id = items[index].id if index is not None else None
        found.setdefault(item_id, []).append(checker.describe(finding))
    return found


def set_status(question_set: QuestionSet, status: SetStatus) -> None:
    if status is SetStatus.PUBLISHED:
        problems = publish_problems(question_set)
        if problems:
            raise PublishError(" ".join(problems))
    question_set.status = status
    db.session.flush()


def create_set_with_items(
    owner: User, title: str, items: Iterable[dict[str, Any]], description: str = ""
) -> QuestionSet:
    question_set = create_set(owner, title, description)
    append_items(question_set, items)
    return question_set


def append_items(question_set: QuestionSet, items: Iterable[dict[str, Any]]) -> int:
    count = 0
    for fields in items:
        add_item(question_set, fields, key=fields.get("key"))
        count += 1
    return count


# -- files ---------------------------------------------------------------------------------


def export_question_set(
    question_set: QuestionSet, fmt: str, now: datetime
) -> set_transfer.ExportFile:
    """The set as a file; raises ValueError when an item cannot be written at all."""
    items = [item_as_dict(item) for item in question_set.items if item.active]
    meta = {"title": question_set.title, "description": question_set.description}
    owner = question_set.owner

    def load_media(names: list[str]) -> list:
        return store.media_for_export_to(owner, names) if owner is not None else []

    return set_transfer.export_items(
        fmt, meta, items, deck_id_for(question_set.id), now, load_media
    )


def import_result(
    owner: User, result: set_transfer.ImportResult, title: str, target: QuestionSet | None
) -> tuple[QuestionSet, int]:
    """Write a clean import: into `target`, or a new draft set called `title`."""
    if not result.ok:
        raise ValueError("an import with errors must not be written")
    if target is None:
        description = result.meta.get("description", "")
        target = create_set(owner, title, description if isinstance(description, str) else "")
    for cleaned in result.media:  # files a Quizdeck JSON carries, cleaned by the reader
        store.store_cleaned(owner, cleaned, question_set=target)
    items = result.items
    if result.files:
        items = [_with_stored_images(owner, target, item, result.files) for item in items]
    return target, append_items(target, items)


def _with_stored_images(
    owner: User, target: QuestionSet, item: dict[str, Any], files: dict[str, bytes]
) -> dict[str, Any]:
    """`item` with each embedded image it shows (@@PLUGINFILE@@/name, Moodle XML) stored
    for the set and shown from the media store instead. The reader checked the files the
    way the store does; one refused anyway stays out, its alt text shown."""
    addresses = {}
    for name in dict.fromkeys(n for text in strings_of(item) for n in references(text)):
        if name in files:
            try:
                addresses[name] = store.store_media(
                    owner, name, files[name], question_set=target
                ).url
            except MediaRefused:
                continue
    if not addresses:
        return item
    return replace_strings(item, lambda text: point_references(text, addresses))
