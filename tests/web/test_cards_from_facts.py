"""The built-in bank's decks: recall cards written from its facts (quizzes/domain/fact_cards.py)."""

from __future__ import annotations

import re
from collections import Counter

from sqlalchemy import select

from models import MemoryState, QuestionSet, db
from quizzes.cards import decks
from tests.web.test_cards_study import rating_form


def _defections(app, runner) -> str:
    assert runner.invoke(args=["bank", "build", "--quiet"]).exit_code == 0
    with app.app_context():
        set_id = db.session.scalar(
            select(QuestionSet.id).where(QuestionSet.slug == "bank-defections")
        )
    return f"set-{set_id}"


def test_a_bank_deck_has_recall_cards_without_repeats_or_true_false(app, runner, login_as):
    deck = _defections(app, runner)
    with app.app_context():
        cards = decks.load_deck(deck, 1).cards()
    fronts = Counter(card.front for card in cards)
    assert cards and max(fronts.values()) == 1
    assert not [f for f in fronts if "True or false" in f or f.startswith("Fill in the missing")]
    assert all(card.id.startswith("fact:") and len(card.memory_keys) == 1 for card in cards)
    page = login_as("reader").get(f"/cards/{deck}").get_data(as_text=True)
    assert "Which Seoul constituency seat did Tae Yong-ho win on 15 April 2020?" in page
    assert "True or false" not in page and "Gangnam A" not in page  # fronts only


def test_studying_a_fact_card_trains_the_facts_memory(app, runner, login_as, cards_clock):
    deck = _defections(app, runner)
    client = login_as("reader")
    form = rating_form(client, deck, "3")
    assert re.fullmatch(r"fact:[a-z0-9_.]+:[a-z_]+", form["card"])
    fact_id = form["card"].split(":")[1]
    assert client.post(f"/cards/{deck}/study/rate", data=form).status_code == 302
    with app.app_context():
        keys = set(db.session.scalars(select(MemoryState.memory_key)))
    assert keys == {f"fact:{fact_id}"}
