"""Typed answers to true/false flashcards: the natural ways of saying it, read before the
quiz grader sees them; text that says neither asks again instead of counting as wrong."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from models import Item, QuestionSet, ReviewLog, SetStatus, User, db
from quizzes import memory
from quizzes.domain import srs
from quizzes.domain.itemtypes import truefalse
from quizzes.domain.itemtypes.truefalse import read_typed as read_true_false

NOW = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)
CARD = "item:tae.pressure.tf"
SOURCES = [
    {"key": "KT", "publisher": "Korea Times", "title": "Cables", "date": "2024-11-05"},
    {"text": "The Week, theweek.com 98736"},
]


@pytest.mark.parametrize(
    ("text", "read"),
    [
        ("True", True),
        ("true", True),
        (" TRUE ", True),
        ("t", True),
        ("yes", True),
        ("Y", True),
        ("Yes!", True),
        ("“true”.", True),
        ("False", False),
        ("f", False),
        ("no", False),
        (" n ", False),
        ("(No)", False),
        ("maybe", None),
        ("yess", None),
        ("true false", None),
        ("1", None),
        ("", None),
        ("...", None),
    ],
)
def test_read_true_false(text, read):
    assert read_true_false(text) is read


def test_the_quiz_parser_still_reads_only_its_radio_values():
    # The quiz's form sends "true" or "false"; it never needed more, and keeps to that.
    assert truefalse.parse_response({}, {"answer": ["true"]}) is True
    assert truefalse.parse_response({}, {"answer": ["yes"]}) is None


def typed_deck(app, login_as, monkeypatch, **item) -> tuple:
    """A logged-in learner with typed answers on, and a bank set of one item."""
    monkeypatch.setitem(app.config, "QUIZDECK_NOW", lambda: NOW)
    client = login_as("tess")
    with app.app_context():
        uid = db.session.scalar(select(User.id).where(User.username == "tess"))
        memory.save_settings(uid, srs.StudySettings(enable_fuzzing=False))
        qset = QuestionSet(slug="typed", title="Typed", status=SetStatus.PUBLISHED)
        db.session.add(qset)
        db.session.flush()
        fields = {
            "explanation": "The cables say so.",
            "topics": ["defections"],
            "sources": SOURCES,
            "difficulty": 0.4,
        }
        db.session.add(Item(set_id=qset.id, position=0, **(fields | item)))
        db.session.commit()
        ref = f"set-{qset.id}"
    client.post("/cards/typed")
    return client, ref


@pytest.fixture
def tf_deck(app, login_as, monkeypatch):
    """A bank set of one true statement."""
    return typed_deck(
        app,
        login_as,
        monkeypatch,
        key="tae.pressure.tf",
        type="truefalse",
        prompt="Before he defected, Tae Yong-ho had been under pressure.",
        data={"answer": True},
        fact_ids=["tae.pressure"],
    )


def text_of(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)))


def check(client, ref: str, answer: str):
    return client.post(f"/cards/{ref}/study/check", data={"card": CARD, "answer": answer})


def test_a_true_false_card_says_how_to_answer(tf_deck):
    client, ref = tf_deck
    html = client.get(f"/cards/{ref}/study").get_data(as_text=True)
    assert 'aria-describedby="typed-hint"' in html
    assert "True or false (yes/no and t/f work too)." in html


@pytest.mark.parametrize(
    ("typed", "verdict", "echo", "rating"),
    [
        ("yes", "Right.", "You typed: yes (read as True)", "Good"),
        ("  T ", "Right.", "You typed: T (read as True)", "Good"),
        ("True", "Right.", "You typed: True", "Good"),
        ("no", "Not quite.", "You typed: no (read as False)", "Again"),
        ("false", "Not quite.", "You typed: false", "Again"),
    ],
)
def test_typed_true_false_answers_are_read_and_echoed(app, tf_deck, typed, verdict, echo, rating):
    client, ref = tf_deck
    response = check(client, ref, typed)
    text = text_of(response)
    assert response.status_code == 200
    assert verdict in text and echo in text
    assert "No answer" not in text
    assert f"Suggested rating: {rating}" in text
    with app.app_context():  # checking records nothing: the learner still rates
        assert db.session.scalar(select(db.func.count(ReviewLog.id))) == 0


def test_text_that_is_neither_true_nor_false_asks_again(app, tf_deck):
    client, ref = tf_deck
    response = check(client, ref, "maybe")
    html = response.get_data(as_text=True)
    text = text_of(response)
    assert response.status_code == 200
    assert "Error: Type true or false (yes/no and t/f work too)." in text
    assert "Not quite" not in text and "Suggested rating" not in text
    assert 'id="card-back"' not in html and 'data-rating="1"' not in html  # no answer shown
    # the field keeps what was typed, marked and described by the error
    field = re.search(r'<input type="text" id="typed-answer"[^>]*>', html).group(0)
    assert 'value="maybe"' in field and 'aria-invalid="true"' in field
    assert 'aria-describedby="typed-problem"' in field
    with app.app_context():
        assert db.session.scalar(select(db.func.count(ReviewLog.id))) == 0


def test_an_empty_answer_still_gives_up_as_on_other_cards(tf_deck):
    client, ref = tf_deck
    text = text_of(check(client, ref, "  "))
    assert "You typed: No answer" in text and "Suggested rating: Again" in text


def test_the_sources_of_a_card_are_listed_one_by_one(tf_deck):
    client, ref = tf_deck
    html = client.get(f"/cards/{ref}/study?card={CARD}&show=1").get_data(as_text=True)
    listed = re.search(r'<div class="sources card-source">(.*?)</div>', html, re.S).group(1)
    assert "<h2>Sources</h2>" in listed
    items = re.findall(r"<li>(.*?)</li>", listed)
    assert items == ["Korea Times, Cables (2024-11-05)", "The Week, theweek.com 98736"]


def test_text_that_is_not_a_number_asks_again_on_a_number_card(app, login_as, monkeypatch):
    client, ref = typed_deck(
        app,
        login_as,
        monkeypatch,
        key="upr.first.numeric",
        type="numeric",
        prompt="In which year was North Korea's first Universal Periodic Review?",
        data={"answers": [{"value": 2009, "tolerance": 0, "fraction": 1.0}]},
        fact_ids=["upr.first"],
    )
    card = {"card": "item:upr.first.numeric"}
    response = client.post(f"/cards/{ref}/study/check", data=card | {"answer": "about 2000"})
    text = text_of(response)
    assert "Error: Type a number, such as 2014 or 3.5." in text
    assert "Not quite" not in text and "Suggested rating" not in text
    response = client.post(f"/cards/{ref}/study/check", data=card | {"answer": "2,009"})
    assert "Right." in text_of(response) and "Suggested rating: Good" in text_of(response)
