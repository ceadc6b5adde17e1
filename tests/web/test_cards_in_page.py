"""Studying in the page (static/js/cards.js) through HTTP: the answer and the next card
fetched ahead (cards.ahead), a rating sent in the background (Accept: application/json)
answered with the server's own next card, counted once when sent twice, and the daily
limits the server's. The form posts without JavaScript are tested in test_cards_study.py."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from models import ReviewLog, db
from quizzes import memory
from quizzes.cards import services
from tests.web.cards_seed import NOW, seed_deck
from tests.web.test_cards_study import exact_settings, user_id

JSON = {"Accept": "application/json"}


@pytest.fixture
def amy(app, login_as):
    client = login_as("amy")
    uid = user_id(app, "amy")
    exact_settings(app, uid)
    return client, uid


def card_of(html: str) -> tuple[str, str]:
    found = re.search(r'data-card="([^"]+)" data-seen="(\d+)"', html)
    assert found, html
    return found.group(1), found.group(2)


def rate(client, deck_id: int, card: str, seen: str, rating: int = 3, painted: str = ""):
    return client.post(
        f"/cards/my-{deck_id}/study/rate",
        data={
            "card": card,
            "seen": seen,
            "rating": str(rating),
            "shown_at": str(int(NOW.timestamp() * 1000)),
            "painted": painted,
        },
        headers=JSON,
    )


def logs(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(ReviewLog))


def test_ahead_gives_the_card_with_its_answer_inert_and_the_card_after_it(app, amy, cards_clock):
    client, uid = amy
    with app.app_context():
        deck_id = seed_deck(uid, cards=3)
    page = client.get(f"/cards/my-{deck_id}/study").get_data(as_text=True)
    assert "Back 1" not in page  # the page itself still has no answer in it
    data = client.get(f"/cards/my-{deck_id}/study/ahead?card=card:1").get_json()
    assert data["in_page"] is True
    card = data["card"]["html"]
    assert card_of(card) == ("card:1", "0") and data["card"]["key"] == "card:1 0"
    # The answer and the rating form wait in a template, painted on Space.
    template = card[card.index("<template data-answer>") :]
    assert "Back 1" in template and 'data-rating="3"' in template
    assert "Back 1" not in card[: card.index("<template data-answer>")]
    assert 'id="show-answer"' in card  # a real link still: it works before the script
    assert card_of(data["after"]["html"])[0] == "card:2"
    # Without ?card=: the card the study page shows.
    assert (
        card_of(client.get(f"/cards/my-{deck_id}/study/ahead").get_json()["card"]["html"])[0]
        == "card:1"
    )


def test_ahead_paints_nothing_in_typed_mode_and_refuses_other_decks_cards(app, amy, cards_clock):
    client, uid = amy
    with app.app_context():
        deck_id = seed_deck(uid, cards=2)
        services.save_typed(uid, True)
        db.session.commit()
    assert client.get(f"/cards/my-{deck_id}/study/ahead?card=card:1").get_json() == {
        "in_page": False
    }
    with app.app_context():
        services.save_typed(uid, False)
        db.session.commit()
    assert client.get(f"/cards/my-{deck_id}/study/ahead?card=card:99").status_code == 404
    assert client.get(f"/cards/my-{deck_id}/study/ahead?card=%00").status_code == 404


def test_a_background_rating_is_saved_and_answered_with_the_next_card(app, amy, cards_clock):
    client, uid = amy
    with app.app_context():
        deck_id = seed_deck(uid, cards=3)
    data = client.get(f"/cards/my-{deck_id}/study/ahead?card=card:1").get_json()
    painted = data["after"]["key"]
    answer = rate(client, deck_id, "card:1", "0", painted=painted)
    assert answer.status_code == 200
    result = answer.get_json()
    assert result["saved"] is True and result["message"] == ""
    assert result["next"] == painted == "card:2 0"
    assert "next_html" not in result  # the card painted ahead is the server's: kept
    assert card_of(result["after"]["html"])[0] == "card:3"
    assert "1 review this session" in re.sub(r"\s+", " ", result["head_html"])
    assert "Undo “Good”" in result["tools_html"]
    assert logs(app) == 1


def test_a_wrong_guess_is_replaced_by_the_servers_card(app, amy, cards_clock):
    client, uid = amy
    with app.app_context():
        deck_id = seed_deck(uid, cards=3)
    result = rate(client, deck_id, "card:1", "0", painted="card:3 0").get_json()
    assert result["next"] == "card:2 0"
    assert card_of(result["next_html"]) == ("card:2", "0")


def test_the_daily_new_limit_ends_the_day_even_with_a_card_painted_ahead(app, amy, cards_clock):
    client, uid = amy
    exact_settings(app, uid, new_per_day=1)
    with app.app_context():
        deck_id = seed_deck(uid, cards=3)
    data = client.get(f"/cards/my-{deck_id}/study/ahead?card=card:1").get_json()
    assert data["after"] is None  # the limit leaves room for this card only
    result = rate(client, deck_id, "card:1", "0", rating=4).get_json()  # Easy: done for today
    assert result["saved"] is True and result["next"] is None and result["after"] is None


def test_a_rating_sent_twice_counts_once_and_says_so(app, amy, cards_clock):
    client, uid = amy
    with app.app_context():
        deck_id = seed_deck(uid, cards=2)
    assert rate(client, deck_id, "card:1", "0").get_json()["saved"] is True
    again = rate(client, deck_id, "card:1", "0")  # a retry whose first answer was lost
    assert again.status_code == 200
    result = again.get_json()
    assert result["saved"] is False and "not counted" in result["message"]
    assert result["next"] == "card:2 0"
    assert logs(app) == 1


def test_an_unreadable_background_rating_is_a_400_with_a_message(app, amy, cards_clock):
    client, uid = amy
    with app.app_context():
        deck_id = seed_deck(uid, cards=2)
    for rating, seen in (("9", "0"), ("3", "²"), ("x", "0")):
        answer = client.post(
            f"/cards/my-{deck_id}/study/rate",
            data={"card": "card:1", "seen": seen, "rating": rating},
            headers=JSON,
        )
        assert answer.status_code == 400
        assert "could not be read" in answer.get_json()["message"]
    assert logs(app) == 0
    with app.app_context():
        assert memory.memory_state(uid, "card:1") is None
