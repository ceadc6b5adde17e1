"""Today's study queue in SQL: how many cards of each kind are waiting and the first few
in order, without loading every due memory.

The queue is defined once, by srs.QUEUE; srs.due_queue follows it over states loaded in
Python, and `waiting` here takes its parts in the same order, each with the statement
that `PART_STATEMENTS` names for it (checked against srs.QUEUE below, when this module is
imported; the two are also tested to agree row for row, tests/web/test_cards_queue_sql.py):

1. learning steps due now, earliest first;
2. reviews due by the end of the study day, lowest predicted recall first (the highest
   forgetting index, srs.MemoryState.forgetting_index, computed here from the columns
   that memory.state_columns keeps), at most today's room;
3. new cards in deck order, at most today's room;
4. learning steps due within learn-ahead.

Ties go to the earlier due moment, then the key. Each part is a range of the index
ix_memory_states_queue (user, deck, phase, due), so the cost grows with the cards due
today, not with the deck; only the reviews' order reads each due review, from the index.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Float,
    Select,
    and_,
    bindparam,
    case,
    func,
    select,
)

from models import MemoryState, db
from quizzes.cards.decks import Keyed, MemoryScope, StudyDeck, new_states
from quizzes.domain import srs

# The table's columns, not the mapped class: the queue reads columns only, and a select
# that names the class goes through the ORM's compile step on every run (about 20 µs).
MemoryRow = MemoryState.__table__.c

UNCAPPED = 2**62  # a LIMIT that never stops a count
LEARNING_PHASES = (srs.Phase.LEARNING.value, srs.Phase.RELEARNING.value)
REVIEW = srs.Phase.REVIEW.value
STUDIED_PHASES = (*LEARNING_PHASES, REVIEW)


def forgetting_index(now_us: ColumnElement[int]) -> ColumnElement[float]:
    """srs.MemoryState.forgetting_index in SQL: whole days since the last review (integer
    microseconds divided by a day, never below 0, as fsrs' timedelta.days) over stability.
    The same IEEE division of the same two numbers as in Python, so the same float."""
    # Written for the database's cheapest evaluation (it runs once per review due today,
    # the part of the next-card fetch that grows with the deck): whole days as an integer
    # division (a floor, as elapsed is not negative there), then an integer over the REAL
    # stability, which both SQLite and PostgreSQL divide as doubles.
    days = case(
        (now_us < MemoryRow.last_review_us, 0),
        else_=(now_us - MemoryRow.last_review_us) // srs.DAY_US,
    )
    return days.op("/", return_type=Float)(MemoryRow.stability)


@dataclass(frozen=True)
class Statements:
    """The queue's statements for one kind of deck scope, built once (building and
    caching a statement costs more than running it on an index)."""

    learning_counts: Select  # steps due now, within learn-ahead, and later today
    reviews_due: Select  # stops counting at :cap
    learning_now: Select
    reviews: Select
    learning_soon: Select
    count_due: Select  # stops counting at :cap
    first_due: Select


def build_statements(conditions: tuple[ColumnElement[bool], ...], dialect: str) -> Statements:
    now, soon, end = bindparam("now"), bindparam("soon"), bindparam("end")
    limit = bindparam("limit")
    learning = MemoryRow.phase.in_(LEARNING_PHASES)
    key = MemoryRow.memory_key
    if dialect == "postgresql":
        key = key.collate("C")  # Python compares keys by code point; "C" does too
    by_due = (MemoryRow.due, key)
    forgetting = forgetting_index(bindparam("now_us", type_=BigInteger))
    rows = select(MemoryRow.memory_key, MemoryRow.state).where(*conditions)
    phases = MemoryRow.phase.in_(bindparam("phases", expanding=True))
    return Statements(
        learning_counts=select(
            func.count(case((MemoryRow.due <= now, 1))),
            func.count(case((and_(MemoryRow.due > now, MemoryRow.due <= soon), 1))),
            func.count(case((MemoryRow.due > soon, 1))),
            # One upper bound (the later of learn-ahead and the day's end), so the index on
            # due serves it as a range: an OR of the two read every learning card of the deck.
        ).where(*conditions, learning, MemoryRow.due < bindparam("horizon")),
        reviews_due=select(func.count()).select_from(
            select(MemoryRow.id)
            .where(*conditions, MemoryRow.phase == REVIEW, MemoryRow.due < end)
            .limit(bindparam("cap"))
            .subquery()
        ),
        learning_now=rows.where(learning, MemoryRow.due <= now).order_by(*by_due).limit(limit),
        # The first reviews by forgetting index: ordered on the index alone (it holds every
        # column the order needs), then only those few rows read for their JSON state. Read
        # with the order, each due review's row was fetched from the table (O(due today)).
        # The outer query names the rows by id alone: with the deck's conditions repeated
        # there, SQLite (without ANALYZE statistics) read every memory of the deck from
        # the queue index to test each id, 2.7 ms at 20,000 cards instead of 0.07.
        reviews=select(MemoryRow.memory_key, MemoryRow.state)
        .where(
            MemoryRow.id.in_(
                select(MemoryRow.id)
                .where(*conditions, MemoryRow.phase == REVIEW, MemoryRow.due < end)
                .order_by(forgetting.desc(), *by_due)
                .limit(limit)
                .scalar_subquery()
            )
        )
        .order_by(forgetting.desc(), *by_due),
        learning_soon=rows.where(learning, MemoryRow.due > now, MemoryRow.due <= soon)
        .order_by(*by_due)
        .limit(limit),
        count_due=select(func.count()).select_from(
            select(MemoryRow.id)
            .where(*conditions, phases, MemoryRow.due >= bindparam("start"), MemoryRow.due < end)
            .limit(bindparam("cap"))
            .subquery()
        ),
        first_due=select(func.min(MemoryRow.due)).where(
            *conditions,
            MemoryRow.phase.in_(STUDIED_PHASES),
            MemoryRow.due > now,
            MemoryRow.due < end,
        ),
    )


# Each part of srs.QUEUE: the statement that reads it (None: new cards, which come from the
# deck, not from memory rows) and the order that statement keeps.
PART_STATEMENTS: dict[tuple[srs.QueueKind, srs.Window], tuple[str | None, srs.Order]] = {
    (srs.QueueKind.LEARNING, srs.Window.DUE_NOW): ("learning_now", srs.Order.BY_DUE),
    (srs.QueueKind.REVIEW, srs.Window.TODAY): ("reviews", srs.Order.AT_RISK),
    (srs.QueueKind.NEW, srs.Window.TODAY): (None, srs.Order.BY_DUE),
    (srs.QueueKind.LEARNING, srs.Window.LEARN_AHEAD): ("learning_soon", srs.Order.BY_DUE),
}


def check_against_definition() -> None:
    """Fail loudly if srs.QUEUE has a part these statements do not read, or in another order."""
    for part in srs.QUEUE:
        statement, order = PART_STATEMENTS.get((part.kind, part.window), (None, None))
        if order is not part.order or (statement is None) != (part.kind is srs.QueueKind.NEW):
            raise RuntimeError(f"the SQL study queue has no statement for {part}")
    if len(PART_STATEMENTS) != len(srs.QUEUE):
        raise RuntimeError("the SQL study queue reads parts srs.QUEUE does not define")


check_against_definition()


_BUILT: dict[tuple[str, str], Statements] = {}


def _statements(scope: MemoryScope) -> Statements:
    # One set per kind of scope (its conditions are the same bound expressions for every
    # deck of the kind) and database dialect.
    dialect = db.session.get_bind().dialect.name
    built = _BUILT.get((scope.kind, dialect))
    if built is None:
        built = _BUILT[scope.kind, dialect] = build_statements(scope.conditions, dialect)
    return built


def _keyed(query: Select, params: dict[str, Any]) -> list[Keyed]:
    rows = db.session.execute(query, params)
    return [(key, srs.MemoryState.from_dict(state)) for key, state in rows]


def count_due(
    scope: MemoryScope,
    start: datetime,
    end: datetime,
    *,
    phases: tuple[str, ...] = (REVIEW,),
    cap: int = UNCAPPED,
) -> int:
    """Memories of the deck in `phases` (reviews by default) due in [start, end); counting
    stops at `cap` (a backlog plan only needs to know that a day is full)."""
    params = {**scope.params, "phases": list(phases), "start": start, "end": end, "cap": cap}
    return db.session.scalar(_statements(scope).count_due, params)


def first_due(scope: MemoryScope, after: datetime, before: datetime) -> datetime | None:
    """The earliest due moment of a studied memory of the deck in (after, before), or None."""
    params = {**scope.params, "now": after, "end": before}
    return db.session.scalar(_statements(scope).first_due, params)


def waiting(
    deck: StudyDeck,
    user_id: int,
    now: datetime,
    settings: srs.StudySettings,
    done: srs.DailyCounts,
    head: int | None,
    *,
    count_every_review: bool = False,
) -> tuple[list[srs.QueueEntry], dict[str, srs.MemoryState], dict[str, int], int, int]:
    """The first `head` entries (all when None) with their states, the number of each
    kind waiting ("learning", "review", "new"), the reviews due today before the
    daily limit (all of them with `count_every_review`, for a backlog plan, else up to
    one more than today's limit has room for) and the learning steps due later today,
    past learn-ahead (not in the queue yet, but still to do today)."""
    today = srs.study_day(now, settings)
    end_of_today = srs.day_end(today, settings)
    soon = now + settings.learn_ahead
    scope = deck.memory_scope(user_id)
    found = _statements(scope)
    # due <= soon or due < end, as one bound (datetimes count in microseconds)
    horizon = max(soon + timedelta(microseconds=1), end_of_today)
    params = {**scope.params, "now": now, "soon": soon, "end": end_of_today, "horizon": horizon}

    learning_now, learning_soon, later_today = db.session.execute(
        found.learning_counts, params
    ).one()
    room = max(0, settings.reviews_per_day - done.reviews)
    # One past today's room tells a backlog apart; counting every due review (after a
    # break, thousands) is for the plan.
    cap = UNCAPPED if count_every_review else room + 1
    reviews_due = db.session.scalar(found.reviews_due, {**params, "cap": cap})
    reviews = min(reviews_due, room)
    new_keys = deck.new_keys(user_id, max(0, settings.new_per_day - done.new))
    counts = {"learning": learning_now + learning_soon, "review": reviews, "new": len(new_keys)}

    pairs: list[tuple[srs.QueueKind, Keyed]] = []

    def take(kind: srs.QueueKind, query: Select, available: int, **extra: Any) -> None:
        limit = available if head is None else min(available, head - len(pairs))
        if limit > 0:
            found_pairs = _keyed(query, {**params, **extra, "limit": limit})
            pairs.extend((kind, pair) for pair in found_pairs)

    available = {"learning_now": learning_now, "reviews": reviews, "learning_soon": learning_soon}
    for part in srs.QUEUE:  # in the defined order
        statement, _ = PART_STATEMENTS[part.kind, part.window]
        if statement is None:
            room = None if head is None else head - len(pairs)
            pairs.extend((part.kind, pair) for pair in new_states(new_keys, now)[:room])
        else:
            query = getattr(found, statement)
            take(part.kind, query, available[statement], now_us=srs.epoch_us(now))
    entries = [srs.QueueEntry(key, kind, state.due) for kind, (key, state) in pairs]
    states = {key: state for _, (key, state) in pairs}
    return entries, states, counts, reviews_due, later_today
