"""Decks: who may see what, writing cards, the deck list and the statistics page."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from models import Card, Deck, MemoryState, QuestionSet, User, db
from quizzes import memory
from quizzes.domain import srs
from tests.web.cards_seed import seed_bank, seed_deck

NOW = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)


def uid_of(name: str) -> int:
    return db.session.scalar(select(User.id).where(User.username == name))


@pytest.fixture
def two_learners(app, login_as):
    owner = login_as("owner")
    other = login_as("other")
    with app.app_context():
        deck_id = seed_deck(uid_of("owner"), cards=2, title="Owner's secrets")
        set_id = seed_bank()
    return owner, other, deck_id, set_id


def test_anonymous_visitors_are_sent_to_log_in(client, two_learners):
    _, _, deck_id, set_id = two_learners
    for url in ["/cards/", f"/cards/set-{set_id}", f"/cards/my-{deck_id}/study", "/cards/stats"]:
        response = client.get(url)
        assert response.status_code == 302 and "/auth/login" in response.location


def test_a_personal_deck_is_its_owners_alone(app, two_learners):
    owner, other, deck_id, _ = two_learners
    ref = f"my-{deck_id}"
    assert owner.get(f"/cards/{ref}").status_code == 200
    for url in [
        f"/cards/{ref}",
        f"/cards/{ref}/study",
        f"/cards/{ref}/study?card=card:1&show=1",
        f"/cards/{ref}/export.apkg",
        f"/cards/{ref}/export.csv",
        f"/cards/{ref}/cards/new",
        f"/cards/decks/{deck_id}/edit",
        "/cards/card/1/edit",
    ]:
        assert other.get(url).status_code == 404, url
    for url, data in [
        (f"/cards/{ref}/study/rate", {"card": "card:1", "rating": "3"}),
        (f"/cards/{ref}/study/check", {"card": "card:1", "answer": "x"}),
        (f"/cards/{ref}/study/undo", {}),
        (f"/cards/decks/{deck_id}/delete", {}),
        ("/cards/card/1/delete", {}),
        (f"/cards/{ref}/cards/new", {"kind": "basic", "front": "a", "back": "b"}),
    ]:
        assert other.post(url, data=data).status_code == 404, url
    assert "Owner&#39;s secrets" not in other.get("/cards/").get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(db.func.count(MemoryState.id))) == 0
        assert db.session.scalar(select(db.func.count(Card.id))) == 2


def test_bank_decks_are_open_to_every_learner_and_unknown_ones_404(two_learners):
    owner, other, _, set_id = two_learners
    for client in (owner, other):
        page = client.get("/cards/").get_data(as_text=True)
        assert "UN human rights" in page and "defections" in page
        assert client.get(f"/cards/set-{set_id}").status_code == 200
        assert client.get("/cards/topic-upr/study").status_code == 200
    for ref in ["set-999", "topic-nothing", "my-999", "bogus", "my-x", "set-"]:
        assert other.get(f"/cards/{ref}").status_code == 404


def test_a_teachers_own_set_is_not_a_bank_deck(app, two_learners):
    _, other, _, set_id = two_learners
    from models import QuestionSet

    with app.app_context():
        qset = db.session.get(QuestionSet, set_id)
        qset.owner_id = uid_of("owner")
        db.session.commit()
    assert other.get(f"/cards/set-{set_id}").status_code == 404
    assert "UN human rights" not in other.get("/cards/").get_data(as_text=True)


def test_bank_deck_page_lists_fronts_without_answers(two_learners):
    _, other, _, set_id = two_learners
    page = other.get(f"/cards/set-{set_id}").get_data(as_text=True)
    assert "Which post did Tae Yong-ho hold" in page
    for answer in ["Deputy ambassador", "Geneva", "2014", "He was deputy"]:
        assert answer not in page


def test_writing_editing_and_deleting_cards(app, login_as):
    client = login_as("writer")
    response = client.post("/cards/decks/new", data={"title": "Korean history"})
    with app.app_context():
        deck = db.session.scalar(select(Deck))
    assert response.location.endswith(f"/cards/my-{deck.id}/cards/new")
    ref = f"my-{deck.id}"
    client.post(
        f"/cards/{ref}/cards/new",
        data={
            "kind": "basic",
            "front": "Capital?",
            "back": "Pyongyang",
            "source": "atlas",
            "tags": "geo, capitals, geo",
            "reversed": "y",
        },
    )
    client.post(
        f"/cards/{ref}/cards/new",
        data={"kind": "cloze", "front": "The war began in {{1950}}.", "back": "", "reversed": "y"},
    )
    bad = client.post(f"/cards/{ref}/cards/new", data={"kind": "cloze", "front": "No blank"})
    assert "A cloze card needs a blank" in bad.get_data(as_text=True)
    with app.app_context():
        cards = db.session.scalars(select(Card).order_by(Card.id)).all()
        assert [(c.kind, c.tags, c.reversed, c.memory_key) for c in cards] == [
            ("basic", ["geo", "capitals"], True, f"card:{cards[0].id}"),
            ("cloze", [], False, f"card:{cards[1].id}"),
        ]
        first = cards[0].id
    client.post(
        f"/cards/card/{first}/edit",
        data={"kind": "basic", "front": "Capital of DPRK?", "back": "Pyongyang", "tags": ""},
    )
    client.post(f"/cards/{ref}/study/rate", data={"card": f"card:{first}", "rating": "3"})
    client.post(f"/cards/card/{first}/delete")
    with app.app_context():
        assert db.session.scalar(select(db.func.count(Card.id))) == 1
        assert db.session.scalar(select(db.func.count(MemoryState.id))) == 0
    client.post(f"/cards/decks/{deck.id}/delete")
    with app.app_context():
        assert db.session.scalar(select(db.func.count(Deck.id))) == 0


def test_a_big_deck_lists_its_cards_a_page_at_a_time(app, login_as):
    client = login_as("writer")
    with app.app_context():
        deck_id = seed_deck(uid_of("writer"), cards=120)
    first = client.get(f"/cards/my-{deck_id}").get_data(as_text=True)
    assert "120 cards in all" in first and "Cards 1–50 of 120" in first
    assert first.count('aria-label="Edit card ') == 50 and "Front 50<" in first
    assert "Front 51<" not in first and "Previous page" not in first
    assert f'href="/cards/my-{deck_id}?page=2" rel="next"' in first
    last = client.get(f"/cards/my-{deck_id}?page=3").get_data(as_text=True)
    assert "Cards 101–120 of 120" in last and "Page 3 of 3" in last
    assert 'aria-label="Edit card 101"' in last and "Front 120<" in last
    assert "Next page" not in last and 'rel="prev"' in last
    assert "its 120 cards" in last  # the deletion warning counts the whole deck
    # Pages past the end show the last; a page that is not a number, the first.
    assert "Cards 101–120" in client.get(f"/cards/my-{deck_id}?page=99").get_data(as_text=True)
    assert "Cards 1–50" in client.get(f"/cards/my-{deck_id}?page=x").get_data(as_text=True)


def test_deck_list_counts_due_and_new(app, login_as, monkeypatch):
    client = login_as("counter")
    with app.app_context():
        uid = uid_of("counter")
        seed_deck(uid, cards=3)
        settings = srs.StudySettings(enable_fuzzing=False)
        memory.record_review(
            uid, ["card:1"], 3, NOW - timedelta(days=5), "flashcard", settings=settings
        )
        db.session.commit()
    monkeypatch.setitem(app.config, "QUIZDECK_NOW", lambda: NOW)
    page = re.sub(
        r"\s+", " ", re.sub(r"<[^>]+>", " ", client.get("/cards/").get_data(as_text=True))
    )
    assert re.search(r"My deck 3 1 due 2 Study", page), page
    # A reversed card is one card here, as on the deck page ("3 cards in all") and in the
    # new count: its two sides share one memory.
    with app.app_context():
        from models import Card

        db.session.scalars(select(Card)).first().reversed = True
        db.session.commit()
    page = re.sub(
        r"\s+", " ", re.sub(r"<[^>]+>", " ", client.get("/cards/").get_data(as_text=True))
    )
    assert re.search(r"My deck 3 1 due 2 Study", page), page
    assert "3 cards in all" in client.get("/cards/my-1").get_data(as_text=True)


def matching(key: str, pairs: int, topic: str) -> dict:
    return {
        "key": key,
        "type": "matching",
        "prompt": "Match each tactic to its aim",
        "data": {
            "pairs": [{"left": f"Tactic {n}", "right": f"Aim {n}"} for n in range(pairs)],
            "distractors": [],
        },
        "explanation": "",
        "sources": [{"key": "S", "publisher": "P", "title": "T", "date": "", "ref": ""}],
        "topics": [topic],
        "difficulty": 0.5,
        "fact_ids": [],
    }


def test_deck_list_counts_follow_bank_builds(app, login_as):
    """The deck list remembers how many cards each bank item makes; a build that edits,
    adds or retires items changes the counts on the next visit."""
    from quizzes.bank.loader import BankSet, load_bank

    client = login_as("reader")

    def build(*items):
        with app.app_context():
            sets = [BankSet("bank-tactics", "Tactics", "", [item["key"] for item in items])]
            load_bank(list(items), sets, [], NOW)
            db.session.commit()

    def listed() -> dict[str, int]:
        page = re.sub(r"<[^>]+>", " ", client.get("/cards/").get_data(as_text=True))
        text = re.sub(r"\s+", " ", page)
        return {
            title: int(cards)
            for title, cards in re.findall(r"([A-Z][a-z]+) (\d+) \d+ \d+ Study", text)
        }

    build(matching("m1", 2, "walkouts"))  # a pair and its reverse each: 4 cards
    assert listed() == {"Tactics": 4, "Walkouts": 4}
    build(matching("m1", 3, "walkouts"), matching("m2", 1, "boycotts"))
    assert listed() == {"Tactics": 8, "Walkouts": 6, "Boycotts": 2}
    build(matching("m2", 1, "boycotts"))  # m1 retired
    assert listed() == {"Tactics": 2, "Boycotts": 2}


def test_a_question_asked_by_two_items_of_one_fact_is_one_card(app, login_as):
    """A fact's single-choice and short-answer items ask the same question: as flashcards
    they are one card, in the deck page, the deck list and the Anki export alike."""
    from quizzes.bank.loader import BankSet, load_bank

    client = login_as("reader")
    common = {
        "prompt": "Which diplomat defected in London?",
        "explanation": "",
        "sources": [{"key": "S", "publisher": "P", "title": "T", "date": "", "ref": ""}],
        "topics": ["defections"],
        "difficulty": 0.5,
        "fact_ids": ["defection.tae"],
    }
    single = common | {
        "key": "tae.single",
        "type": "single",
        "data": {
            "options": [
                {"text": "Tae Yong-ho", "correct": True},
                {"text": "Ri Il-gyu", "correct": False},
            ]
        },
    }
    short = common | {
        "key": "tae.short",
        "type": "short",
        "data": {"answers": [{"text": "Tae Yong-ho", "fraction": 1.0}]},
    }
    with app.app_context():
        load_bank(
            [single, short],
            [BankSet("bank-d", "Defections", "", ["tae.single", "tae.short"])],
            [],
            NOW,
        )
        db.session.commit()
        set_id = db.session.scalar(select(QuestionSet.id).where(QuestionSet.slug == "bank-d"))
    page = client.get(f"/cards/set-{set_id}").get_data(as_text=True)
    assert page.count("Which diplomat defected in London?") == 1
    listed = re.sub(
        r"\s+", " ", re.sub(r"<[^>]+>", " ", client.get("/cards/").get_data(as_text=True))
    )
    assert re.search(r"Defections 1 \d+ \d+ Study", listed), listed


def test_statistics_page_draws_four_labelled_charts(app, login_as, monkeypatch):
    client = login_as("stat")
    with app.app_context():
        uid = uid_of("stat")
        seed_bank()
        settings = srs.StudySettings(enable_fuzzing=False)
        memory.save_settings(uid, settings)
        for day in range(3):
            memory.record_review(
                uid,
                ["fact:defection.tae"],
                3,
                NOW - timedelta(days=10 - day),
                "flashcard",
                settings=settings,
                topics=["defections"],
            )
        memory.record_review(
            uid,
            ["item:upr.year.short"],
            1,
            NOW - timedelta(days=2),
            "quiz",
            settings=settings,
            topics=["upr"],
        )
        db.session.commit()
    monkeypatch.setitem(app.config, "QUIZDECK_NOW", lambda: NOW)
    html = client.get("/cards/stats").get_data(as_text=True)
    svgs = re.findall(r"<svg.*?</svg>", html, re.S)
    assert len(svgs) == 4
    titles = [ET.fromstring(svg).find("{http://www.w3.org/2000/svg}title").text for svg in svgs]
    assert titles == [
        "Reviews per day",
        "Due in the next 30 days",
        "Retention achieved and desired",
        "Predicted recall per topic today",
    ]
    assert "4 reviews in the last 30 days." in html
    assert "the busiest day was" in html
    assert re.search(r"<th scope=\"row\">Defections</th><td>\d+%</td><td>1</td>", html)
