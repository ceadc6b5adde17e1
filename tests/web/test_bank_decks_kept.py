"""Bank decks keep their cards between requests (quizzes/cards/bank_cards.py) and show a
bank change on the next request of every app process on the database."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm.attributes import flag_modified

from models import Fact, Item, ItemTopic, MemoryState, QuestionSet, db
from quizzes.bank.builtin import build_builtin
from quizzes.bank.loader import load_bank
from quizzes.cards import decks
from quizzes.cards.bank_cards import bank_cards
from quizzes.domain.flashcards import without_repeats
from quizzes.web.clock import now
from tests.web.test_cards_study import rating_form


@pytest.fixture
def bank(app, runner) -> str:
    """The built bank; the ref of its defections set."""
    assert runner.invoke(args=["bank", "build", "--quiet"]).exit_code == 0
    with app.app_context():
        set_id = db.session.scalar(
            select(QuestionSet.id).where(QuestionSet.slug == "bank-defections")
        )
    return f"set-{set_id}"


def _rebuilt(ref: str) -> list:
    """A bank deck's cards made from its items as every request made them before they
    were kept: the active items of the set or topic, in deck order, their cards without
    repeats."""
    active = (
        select(Item)
        .join(QuestionSet, QuestionSet.id == Item.set_id)
        .where(QuestionSet.owner_id.is_(None), Item.retired_at.is_(None))
    )
    kind, _, rest = ref.partition("-")
    if kind == "set":
        query = active.where(Item.set_id == int(rest)).order_by(Item.position)
    else:
        query = (
            active.join(ItemTopic, ItemTopic.item_id == Item.id)
            .where(ItemTopic.topic == rest)
            .order_by(Item.set_id, Item.position)
        )
    items = list(db.session.scalars(query))
    made = bank_cards(items)
    return without_repeats(form for item in items for form in made[item.id])


def _fronts(client, ref: str) -> str:
    response = client.get(f"/cards/{ref}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_every_bank_deck_shows_the_cards_it_made_per_request(app, bank):
    with app.app_context():
        refs = [f"set-{s.id}" for s in decks.bank_sets()]
        refs += [f"topic-{topic}" for topic in decks.bank_topics()]
    assert len(refs) > 10
    for ref in refs:
        with app.app_context():
            first = decks.load_deck(ref, 1)
            assert first.cards() == _rebuilt(ref), ref
        with app.app_context():  # a later request: the kept cards, the same ones
            again = decks.load_deck(ref, 1)
            assert again.made is first.made
            assert again.cards() == first.cards()
            keys = again.keys()
            assert again.forms(keys[:3]) == first.forms(keys[:3])


def test_a_set_spelled_otherwise_is_the_same_deck(app, bank):
    number = bank.removeprefix("set-")
    with app.app_context():
        assert decks.load_deck(f"set-00{number}", 1).made is decks.load_deck(bank, 1).made


def _first_fact(app, ref: str) -> tuple[str, str]:
    with app.app_context():
        card = decks.load_deck(ref, 1).cards()[0]
    return card.memory_keys[0].removeprefix("fact:"), card.front


def test_a_fact_edited_shows_at_once_in_another_app_on_the_database(app, make_app, bank, login_as):
    other = make_app()
    client = login_as("reader")
    fact_id, front = _first_fact(app, bank)
    assert front in _fronts(client, bank)  # both processes keep the deck
    with other.app_context():
        assert decks.load_deck(bank, 1).cards()[0].front == front
    with app.app_context():
        fact = db.session.get(Fact, fact_id)
        fact.fields["cards"][0]["front"] = "Which seat did the edited fact name?"
        flag_modified(fact, "fields")
        db.session.commit()
    assert "Which seat did the edited fact name?" in _fronts(client, bank)
    with other.app_context():
        assert decks.load_deck(bank, 1).cards()[0].front == "Which seat did the edited fact name?"


def test_a_fact_retired_or_added_shows_on_the_next_request(app, make_app, bank):
    other = make_app()
    fact_id, front = _first_fact(app, bank)
    with other.app_context():
        cards = decks.load_deck(bank, 1).cards()
        assert front in [card.front for card in cards] and "Added?" not in str(cards)
        assert [card for card in cards if card.id.startswith(f"fact:{fact_id}:")]
        set_id = int(bank.removeprefix("set-"))
    with app.app_context():
        db.session.get(Fact, fact_id).retired_at = now()
        db.session.add(
            Fact(
                id="test.added",
                kind="event",
                status="V",
                fields={
                    "cards": [
                        {
                            "id": "fact:test.added:x",
                            "kind": "basic",
                            "front": "Added?",
                            "back": "Yes",
                        }
                    ]
                },
                topics=[],
                sources=[],
            )
        )
        db.session.add(
            Item(
                key="test.added.item",
                set_id=set_id,
                position=10_000,
                type="short",
                prompt="Added?",
                data={"answers": ["Yes"]},
                fact_ids=["test.added"],
            )
        )
        db.session.commit()
    with other.app_context():
        cards = decks.load_deck(bank, 1).cards()
    assert "Added?" in [card.front for card in cards]
    # The retired fact's written cards are gone (its items stand in with their own).
    assert not [card for card in cards if card.id.startswith(f"fact:{fact_id}:")]


def test_the_bank_loaders_bulk_writes_show_in_another_app(app, make_app, bank):
    other = make_app()
    with other.app_context():
        before = decks.load_deck(bank, 1).cards()
    built = build_builtin(0)
    with app.app_context():
        kept = [s for s in built.sets if s.slug != "bank-defections"]
        keys = {key for s in kept for key in s.item_keys}
        load_bank([i for i in built.items if i["key"] in keys], kept, built.facts, now())
        db.session.commit()  # the defections set's items are retired in bulk
    assert before
    with other.app_context():
        assert decks.load_deck(bank, 1) is None


def test_an_uncommitted_change_is_never_kept(app, bank):
    fact_id, front = _first_fact(app, bank)
    with app.app_context():
        fact = db.session.get(Fact, fact_id)
        fact.fields["cards"][0]["front"] = "Never committed"
        flag_modified(fact, "fields")
        db.session.flush()
        assert decks.load_deck(bank, 1).cards()[0].front == "Never committed"
        db.session.rollback()
    with app.app_context():
        assert decks.load_deck(bank, 1).cards()[0].front == front


def test_review_history_stays_with_the_fact_when_its_card_changes(app, bank, login_as, cards_clock):
    client = login_as("reader")
    form = rating_form(client, bank, "3")
    assert client.post(f"/cards/{bank}/study/rate", data=form).status_code == 302
    key = f"fact:{form['card'].split(':')[1]}"
    with app.app_context():
        fact = db.session.get(Fact, key.removeprefix("fact:"))
        for card in fact.fields["cards"]:
            card["front"] = card["front"] + " (reworded)"
        flag_modified(fact, "fields")
        db.session.commit()
        user_id = db.session.scalar(select(MemoryState.user_id))
        deck = decks.load_deck(bank, user_id)
        assert all(c.front.endswith("(reworded)") for c in deck.forms([key])[key])
        assert key in dict(deck.all_states(user_id))  # the review kept
        assert key not in deck.new_keys(user_id, 10_000)
