"""The study queue in SQL (quizzes/cards/queue.py) agrees with srs.due_queue.

srs.due_queue orders states loaded in Python and is tested on its own in
tests/domain/srs/test_srs_queue.py; here random memories are stored and both must give
the same entries, in the same order, with the same counts.
"""

from __future__ import annotations

import random
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from models import Card, User, db
from models import MemoryState as MemoryRow
from quizzes import memory
from quizzes.cards import decks, personal, services
from quizzes.domain import srs
from tests.web.cards_seed import seed_bank, seed_deck

NOW = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)
# Shared by several memories: ties on predicted recall and due moment.
TWIN = srs.MemoryState(
    srs.State.Review, None, 4.0, 5.0, NOW - timedelta(hours=5), NOW - timedelta(days=6)
)


def random_state(rng: random.Random) -> srs.MemoryState:
    roll = rng.random()
    if roll < 0.15:
        return TWIN
    if roll < 0.35:
        state = rng.choice([srs.State.Learning, srs.State.Relearning])
        due = NOW + timedelta(minutes=rng.uniform(-180, 90))
        return srs.MemoryState(state, rng.randint(0, 1), 2.0, 6.0, due, due - timedelta(minutes=10))
    last_review = NOW - timedelta(days=rng.uniform(0, 90))
    stability = rng.choice([1.0, 3.5, 12.0]) if roll < 0.5 else rng.uniform(0.3, 120)
    due = last_review + timedelta(days=rng.uniform(0.5, 95))
    return srs.MemoryState(srs.State.Review, None, stability, 5.0, due, last_review)


def store(user_id: int, key: str, state: srs.MemoryState, deck_id: int | None) -> None:
    row = MemoryRow(user_id=user_id, memory_key=key, topics=[], deck_id=deck_id)
    for column, value in memory.state_columns(state).items():
        setattr(row, column, value)
    db.session.add(row)


def learn_deck(user_id: int, rng: random.Random, cards: int, unseen: int) -> int:
    """A personal deck whose cards have random memories, except `unseen` new ones."""
    deck_id = seed_deck(user_id, cards=cards)
    ids = [card.id for card in db.session.scalars(select(Card).where(Card.deck_id == deck_id))]
    learnt = [f"card:{card_id}" for card_id in ids[: cards - unseen]]
    for key in learnt:
        store(user_id, key, random_state(rng), deck_id)
    personal.mark_studied(learnt, NOW - timedelta(days=100))
    db.session.commit()
    return deck_id


def in_python(deck, user_id, now, settings) -> list[srs.QueueEntry]:
    """What srs.due_queue makes of every memory of the deck (nothing done today)."""
    pairs = deck.all_states(user_id)
    pairs += decks.new_states(deck.new_keys(user_id, settings.new_per_day), now)
    return srs.due_queue(pairs, now, settings, 0, 0)


SETTINGS = [
    srs.StudySettings(new_per_day=20, reviews_per_day=1000),
    srs.StudySettings(new_per_day=3, reviews_per_day=7),
    srs.StudySettings(new_per_day=0, reviews_per_day=0, timezone="Asia/Seoul"),
]
MOMENTS = [NOW, NOW + timedelta(hours=13, minutes=7), NOW + timedelta(days=3)]


def due_next_in_python(deck, user_id, now, settings) -> services.DueNext:
    """The finished page's outlook from every memory of the deck."""
    states = [state for _, state in deck.all_states(user_id)]
    today = srs.study_day(now, settings)
    end = srs.day_end(today, settings)
    later = [s.due for s in states if not s.is_new and now < s.due < end]
    forecast = srs.due_forecast(states, now, settings, days=8)
    upcoming = [(day, n) for day, n in forecast.items() if day > today and n]
    return services.DueNext(min(later) if later else None, upcoming, deck.new_count(user_id))


def assert_same_queue(deck, user_id) -> int:
    compared = 0
    for settings in SETTINGS:
        context = services.StudyContext(settings)
        for now in MOMENTS:
            outlook = services.due_next(deck, user_id, now, settings)
            assert outlook == due_next_in_python(deck, user_id, now, settings)
            expected = in_python(deck, user_id, now, settings)
            queue = services.build_queue(deck, user_id, now, context)
            assert queue.entries == expected, (settings, now)
            assert queue.counts == Counter(entry.kind.value for entry in expected)
            assert queue.size == len(expected)
            states = dict(deck.all_states(user_id))
            assert all(queue.states[e.key] == states[e.key] for e in expected if e.key in states)
            for head in (0, 1, 4):
                first = services.build_queue(deck, user_id, now, context, head=head)
                assert first.entries == expected[:head]
                assert first.counts == queue.counts
            compared += len(expected)
    return compared


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_personal_deck_queues_as_srs_due_queue(app, create_user, seed):
    rng = random.Random(seed)
    with app.app_context():
        owner, other = create_user("owner"), create_user("other")
        deck_id = learn_deck(owner, rng, cards=120, unseen=15)
        learn_deck(owner, rng, cards=30, unseen=5)  # the owner's other deck
        learn_deck(other, rng, cards=30, unseen=5)  # someone else's
        deck = decks.load_deck(f"my-{deck_id}", owner)
        kinds = Counter(e.kind for e in in_python(deck, owner, NOW, SETTINGS[0]))
        assert all(kinds[kind] >= 5 for kind in srs.QueueKind)  # every part is exercised
        outlook = services.due_next(deck, owner, NOW, SETTINGS[0])
        assert outlook.later_today and len(outlook.upcoming) >= 3 and outlook.new_waiting == 15
        assert assert_same_queue(deck, owner) > 300


def test_a_bank_deck_queues_as_srs_due_queue(app, create_user):
    rng = random.Random(9)
    with app.app_context():
        set_id = seed_bank()
        owner = create_user("owner")
        for key in ("fact:defection.tae", "item:upr.year.short", "fact:coi.report"):
            store(owner, key, random_state(rng), None)
        store(owner, "fact:elsewhere", random_state(rng), None)  # not in this deck
        db.session.commit()
        for ref in (f"set-{set_id}", "topic-upr"):
            deck = decks.load_deck(ref, owner)
            assert assert_same_queue(deck, owner) > 0
            queued = services.build_queue(
                deck, owner, NOW + timedelta(days=3), services.StudyContext(SETTINGS[0])
            )
            assert "fact:elsewhere" not in {entry.key for entry in queued.entries}


def test_a_rating_keeps_the_queue_columns_with_the_state(app, login_as):
    client = login_as("bo")
    with app.app_context():
        uid = db.session.scalar(select(User.id).where(User.username == "bo"))
        deck_id = seed_deck(uid, cards=2)
    for rating in ("3", "1"):
        response = client.post(
            f"/cards/my-{deck_id}/study/rate", data={"card": "card:1", "rating": rating}
        )
        assert response.status_code == 302
        with app.app_context():
            row = memory.memory_state(uid, "card:1")
            state = srs.MemoryState.from_dict(row.state)
            columns = memory.state_columns(state)
            assert (row.phase, row.stability, row.last_review_us, row.due) == (
                columns["phase"],
                columns["stability"],
                columns["last_review_us"],
                columns["due"],
            )
            assert row.deck_id == deck_id and row.phase != srs.Phase.NEW


def test_the_sql_queue_is_checked_against_the_one_definition(monkeypatch):
    """A part srs.QUEUE defines that no statement reads, or reads in another order, stops
    the SQL queue (at import, and here when asked again) instead of leaving it behind."""
    from quizzes.cards import queue as sql_queue
    from quizzes.domain.srs import Order, QueueKind, QueuePart, Room, Window

    sql_queue.check_against_definition()  # as the module did when imported
    learning_now, reviews, new_cards, learn_ahead = srs.QUEUE
    by_due_reviews = QueuePart(QueueKind.REVIEW, Window.TODAY, Order.BY_DUE, Room.REVIEWS)
    new_due_now = QueuePart(QueueKind.NEW, Window.DUE_NOW, Order.BY_DUE, Room.NEW)
    for changed in (
        (learning_now, by_due_reviews, new_cards, learn_ahead),
        (learning_now, reviews, new_cards),
        (*srs.QUEUE, new_due_now),
    ):
        monkeypatch.setattr(srs, "QUEUE", changed)
        with pytest.raises(RuntimeError, match="SQL study queue"):
            sql_queue.check_against_definition()
