"""What a deck and a study session say about today: the shared new-card limit, and
progress that counts cards done, not ratings given."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from models import User, db
from quizzes import memory
from quizzes.domain import srs
from tests.web.cards_seed import seed_deck


@pytest.fixture
def learner(app, login_as):
    """A logged-in learner; returns (client, user id, settings(**changes))."""
    client = login_as("lena")
    with app.app_context():
        uid = db.session.scalar(select(User.id).where(User.username == "lena"))

    def settings(**changes) -> None:
        with app.app_context():
            memory.save_settings(uid, srs.StudySettings(enable_fuzzing=False, **changes))
            db.session.commit()

    settings()
    return client, uid, settings


def text_of(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)))


def rate(client, deck_id: int, card: int, rating: int) -> None:
    response = client.post(
        f"/cards/my-{deck_id}/study/rate", data={"card": f"card:{card}", "rating": str(rating)}
    )
    assert response.status_code == 302


# -- the daily limit of new cards, shared by every deck --------------------------------


def test_a_new_deck_after_the_days_new_cards_says_why_there_is_nothing_to_study(
    app, learner, cards_clock
):
    client, uid, settings = learner
    settings(new_per_day=2)
    with app.app_context():
        first = seed_deck(uid, cards=3, title="First")
    rate(client, first, 1, 1)  # Again: back in a minute
    rate(client, first, 2, 4)  # two new cards started: today's limit
    with app.app_context():
        fresh = seed_deck(uid, cards=2, title="Fresh")

    page = client.get(f"/cards/my-{fresh}")
    html, text = page.get_data(as_text=True), text_of(page)
    assert "Nothing to study today" in text
    assert "You have started 2 new cards today, your daily limit." in text
    assert "shared by all your decks, so this deck's 2 new cards wait for tomorrow" in text
    assert 'href="/cards/settings#new_per_day"' in html
    assert "Study now" not in text  # nothing to study: adding a card is what helps
    assert re.search(r'<a class="button" href="/cards/my-\d+/cards/new">Add a card</a>', html)

    done = text_of(client.get(f"/cards/my-{fresh}/study"))
    assert "Done for today" in done
    assert "You have started 2 new cards today, your daily limit." in done
    assert "a few each day" not in done

    # a deck with cards to study still offers them first (its new ones wait too)
    still = client.get(f"/cards/my-{first}").get_data(as_text=True)
    assert f'<a class="button" href="/cards/my-{first}/study">Study now</a>' in still
    assert "Nothing to study" not in still
    assert "this deck's 1 new card waits for tomorrow" in text_of(client.get(f"/cards/my-{first}"))


def test_a_limit_of_zero_and_a_lowered_limit_are_explained(app, learner, cards_clock):
    client, uid, settings = learner
    with app.app_context():
        deck_id = seed_deck(uid, cards=3)
    settings(new_per_day=0)
    assert "Your daily limit of new cards is 0." in text_of(client.get(f"/cards/my-{deck_id}"))
    settings(new_per_day=1)
    rate(client, deck_id, 1, 4)
    settings(new_per_day=0)  # lowered after starting one
    text = text_of(client.get(f"/cards/my-{deck_id}/study"))
    assert "You have started 1 new card today, more than your daily limit of 0." in text


def test_a_deck_done_for_today_points_to_what_is_due_next(app, learner, cards_clock):
    client, uid, _ = learner
    with app.app_context():
        deck_id = seed_deck(uid, cards=1)
    rate(client, deck_id, 1, 4)  # Easy: done for days
    page = client.get(f"/cards/my-{deck_id}")
    text = text_of(page)
    assert "Nothing to study today" in text and "Every card of this deck is done for today." in text
    assert "daily limit" not in text
    assert f'href="/cards/my-{deck_id}/study">See what is due next</a>' in page.get_data(
        as_text=True
    )


# -- session progress: cards done and left, never a growing total ---------------------


def progress_of(client, deck_id: int) -> tuple[str, int, int]:
    html = client.get(f"/cards/my-{deck_id}/study").get_data(as_text=True)
    label = re.search(r'<label class="progress-label"[^>]*>(.*?)</label>', html, re.S).group(1)
    bar = re.search(r'<progress id="session-progress" max="(\d+)" value="(\d+)"', html)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", label)).strip(), int(bar[2]), int(bar[1])


def test_progress_counts_cards_and_never_moves_back_as_again_cards_return(
    app, learner, cards_clock
):
    client, uid, _ = learner
    with app.app_context():
        deck_id = seed_deck(uid, cards=2)
    seen = [progress_of(client, deck_id)]
    assert seen[0] == ("Today: 0 done · 2 left (0 reviews this session)", 0, 2)
    # card 1: Again, Again, then Easy; card 2: Good, Good (graduates)
    for card, rating, wait in [(1, 1, 2), (1, 1, 2), (1, 4, 0), (2, 3, 11), (2, 3, 0)]:
        rate(client, deck_id, card, rating)
        cards_clock.now += timedelta(minutes=wait)
        seen.append(progress_of(client, deck_id) if card != 2 or wait else None)
    seen = [s for s in seen if s]
    assert [label for label, _, _ in seen] == [
        "Today: 0 done · 2 left (0 reviews this session)",
        "Today: 0 done · 2 left (1 review this session)",
        "Today: 0 done · 2 left (2 reviews this session)",
        "Today: 1 done · 1 left (3 reviews this session)",
        "Today: 1 done · 1 left (4 reviews this session)",
    ]
    assert all(total == 2 for _, _, total in seen)  # Again adds no cards to the day
    shares = [value / total for _, value, total in seen]
    assert shares == sorted(shares)
    done = text_of(client.get(f"/cards/my-{deck_id}/study"))
    assert "You finished 2 cards for today in this session, with 5 reviews." in done

    client.post(f"/cards/my-{deck_id}/study/undo")  # the last Good finished card 2
    label, value, total = progress_of(client, deck_id)
    assert (label, value, total) == ("Today: 1 done · 1 left (4 reviews this session)", 1, 2)


def test_a_learning_step_past_learn_ahead_is_still_left_today(app, learner, cards_clock):
    client, uid, settings = learner
    settings(learning_steps=(timedelta(minutes=1), timedelta(minutes=45)))
    with app.app_context():
        deck_id = seed_deck(uid, cards=2)
    rate(client, deck_id, 1, 3)  # Good: back in 45 minutes, past the 20 of learn-ahead
    assert progress_of(client, deck_id) == ("Today: 0 done · 2 left (1 review this session)", 0, 2)
    rate(client, deck_id, 2, 4)  # Easy: done; card 1 is not queued yet but not done either
    done = text_of(client.get(f"/cards/my-{deck_id}/study"))
    assert "A card in learning comes back today at 09:45" in done
    deck_page = text_of(client.get(f"/cards/my-{deck_id}"))
    assert "Nothing to study right now" in deck_page
    assert "1 card in learning comes back later today." in deck_page
    assert "Study now" not in deck_page
