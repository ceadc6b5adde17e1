"""Studying through HTTP and the study services, with fixed datetimes and fuzzing off."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from models import MemoryState, ReviewLog, User, db
from quizzes import memory
from quizzes.cards import decks, services
from quizzes.domain import srs
from quizzes.domain.itemtypes import Grade
from tests.conftest import AuthActions
from tests.web.cards_seed import NOW, seed_bank, seed_deck


def user_id(app, name: str) -> int:
    with app.app_context():
        return db.session.scalar(select(User.id).where(User.username == name))


def exact_settings(app, uid: int, **changes) -> srs.StudySettings:
    settings = srs.StudySettings(enable_fuzzing=False, **changes)
    with app.app_context():
        memory.save_settings(uid, settings)
        db.session.commit()
    return settings


@pytest.fixture
def amy(app, login_as):
    client = login_as("amy")
    uid = user_id(app, "amy")
    exact_settings(app, uid)
    return client, uid


def page_text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)))


# -- the study loop through HTTP -------------------------------------------------------


def test_study_shows_front_then_back_with_interval_labels(app, amy, cards_clock):
    client, uid = amy
    with app.app_context():
        deck_id = seed_deck(uid, cards=2)
    front = client.get(f"/cards/my-{deck_id}/study")
    html = front.get_data(as_text=True)
    assert "Front 1" in html and "Back 1" not in html  # the answer waits for Space
    assert 'id="show-answer"' in html
    back = client.get(f"/cards/my-{deck_id}/study?card=card:1&show=1")
    text = page_text(back)
    assert "Back 1" in text and "Source My notes" in text  # a heading and a list
    # a new card, default steps 1m 10m, fuzzing off
    assert re.search(r"Again 1m 1 Hard 6m 2 Good 10m 3 Easy 8d 4", text), text


def test_rating_records_a_flashcard_review_on_the_card_memory(app, amy, cards_clock):
    client, uid = amy
    with app.app_context():
        deck_id = seed_deck(uid, cards=2)
    response = client.post(
        f"/cards/my-{deck_id}/study/rate",
        data={"card": "card:1", "rating": "3", "shown_at": str(int(NOW.timestamp() * 1000) - 4200)},
    )
    assert response.status_code == 302
    with app.app_context():
        row = db.session.scalar(select(MemoryState).where(MemoryState.user_id == uid))
        assert row.memory_key == "card:1"
        assert row.due == NOW + timedelta(minutes=10)
        assert row.topics == ["mine"]
        log = db.session.scalar(select(ReviewLog))
        assert (log.memory_key, log.rating, log.source, log.card_id, log.duration_ms) == (
            "card:1",
            3,
            "flashcard",
            1,
            4200,
        )
        assert log.state_before is None
    # the next card is the other new one; the first, back in 10 minutes, is still left
    text = page_text(client.get(f"/cards/my-{deck_id}/study"))
    assert "Front 2" in text and "Today: 0 done · 2 left (1 review this session)" in text


def seen_in(html: str) -> str:
    return re.search(r'name="seen" type="hidden" value="(\d+)"', html).group(1)


def rating_form(client, deck: str, rating: str) -> dict[str, str]:
    """The rating form of the card the study page shows next, as its back shows it."""
    page = client.get(f"/cards/{deck}/study").get_data(as_text=True)
    card = re.search(r'href="/cards/[^"]+/study\?card=([^&"]+)&amp;show=1', page).group(1)
    back = client.get(f"/cards/{deck}/study?card={card}&show=1").get_data(as_text=True)
    return {"card": card.replace("%3A", ":"), "rating": rating, "seen": seen_in(back)}


@pytest.mark.parametrize("ref", ["mine", "bank"])
def test_the_same_rating_form_sent_twice_counts_once(app, amy, cards_clock, ref):
    client, uid = amy
    with app.app_context():
        deck = f"my-{seed_deck(uid, cards=2)}" if ref == "mine" else f"set-{seed_bank()}"
    for _ in range(2):  # a new card, then the same card once it is learning
        form = rating_form(client, deck, "1")
        with app.app_context():
            before = db.session.scalar(select(db.func.count(ReviewLog.id)))
        first = client.post(f"/cards/{deck}/study/rate", data=form)
        again = client.post(f"/cards/{deck}/study/rate", data=form, follow_redirects=True)
        with app.app_context():
            keys = decks.load_deck(deck, uid).find_card(form["card"]).memory_keys
            assert db.session.scalar(select(db.func.count(ReviewLog.id))) == before + len(keys)
        assert first.status_code == 302 and again.status_code == 200
        assert "so this press was not counted" in page_text(again)
        cards_clock.now += timedelta(minutes=2)


@pytest.mark.parametrize("ref", ["mine", "bank"])
def test_two_presses_racing_past_the_version_check_count_once(
    app, amy, cards_clock, ref, monkeypatch
):
    """Both requests read the card's version before either wrote (sent within the same
    moment): the write itself refuses the second."""
    client, uid = amy
    with app.app_context():
        deck = f"my-{seed_deck(uid, cards=1)}" if ref == "mine" else f"set-{seed_bank()}"
    form = rating_form(client, deck, "3")
    monkeypatch.setattr(services, "card_version", lambda *args, **kwargs: int(form["seen"]))
    first = client.post(f"/cards/{deck}/study/rate", data=form)
    cards_clock.now += timedelta(seconds=1)
    again = client.post(f"/cards/{deck}/study/rate", data=form, follow_redirects=True)
    assert first.status_code == 302 and again.status_code == 200
    assert "so this press was not counted" in page_text(again)
    with app.app_context():
        keys = decks.load_deck(deck, uid).find_card(form["card"]).memory_keys
        assert db.session.scalar(select(db.func.count(ReviewLog.id))) == len(keys)
        states = db.session.scalars(select(MemoryState)).all()
        assert {state.memory_key for state in states} == set(keys)
        assert all(state.due == NOW + timedelta(minutes=10) for state in states)  # Good once


@pytest.mark.parametrize("seen", ["abc", "-1", "1" * 21, "²", "١٢", str(2**63)])
def test_a_rating_with_an_unreadable_version_is_refused_and_records_nothing(
    app, amy, cards_clock, seen
):
    client, uid = amy
    with app.app_context():
        deck_id = seed_deck(uid, cards=1)
    form = {"card": "card:1", "rating": "3", "seen": seen}
    response = client.post(f"/cards/my-{deck_id}/study/rate", data=form, follow_redirects=True)
    assert response.status_code == 200
    assert "That rating could not be read" in page_text(response)
    with app.app_context():
        assert db.session.scalar(select(db.func.count(ReviewLog.id))) == 0
        assert db.session.scalar(select(db.func.count(MemoryState.id))) == 0


@pytest.mark.parametrize("shown_at", ["²", "١٢", str(2**63), "9" * 5000, "-5"])
def test_a_rating_with_an_unreadable_shown_time_counts_without_a_duration(
    app, amy, cards_clock, shown_at
):
    client, uid = amy
    with app.app_context():
        deck = f"my-{seed_deck(uid, cards=1)}"
    form = {**rating_form(client, deck, "3"), "shown_at": shown_at}
    assert client.post(f"/cards/{deck}/study/rate", data=form).status_code == 302
    with app.app_context():
        [log] = db.session.scalars(select(ReviewLog)).all()
        assert log.duration_ms is None


@pytest.mark.parametrize("number", ["²", "١", str(2**63), "99999999999999999999"])
def test_card_numbers_that_no_card_has_are_not_found(app, amy, cards_clock, number):
    client, uid = amy
    with app.app_context():
        deck = f"my-{seed_deck(uid, cards=1)}"
    form = {**rating_form(client, deck, "3"), "card": f"card:{number}"}
    assert client.post(f"/cards/{deck}/study/rate", data=form).status_code == 404
    shown = client.get(f"/cards/{deck}/study?card=card:{number}&show=1&t={number}")
    assert shown.status_code in (200, 404)


def test_second_step_and_graduation_intervals(app, amy, cards_clock):
    client, uid = amy
    with app.app_context():
        deck_id = seed_deck(uid, cards=1)
    client.post(f"/cards/my-{deck_id}/study/rate", data={"card": "card:1", "rating": "3"})
    cards_clock.now = NOW + timedelta(minutes=10)
    text = page_text(client.get(f"/cards/my-{deck_id}/study?card=card:1&show=1"))
    assert re.search(r"Again 1m 1 Hard 10m 2 Good 2d 3 Easy 4d 4", text), text
    client.post(f"/cards/my-{deck_id}/study/rate", data={"card": "card:1", "rating": "3"})
    with app.app_context():
        row = db.session.scalar(select(MemoryState))
        assert row.due == NOW + timedelta(minutes=10, days=2)
    done = page_text(client.get(f"/cards/my-{deck_id}/study"))
    assert "Done for today" in done and "Wednesday 2025-03-05: 1 review" in done


def test_custom_learning_steps_change_the_buttons(app, amy, cards_clock):
    client, uid = amy
    exact_settings(app, uid, learning_steps=(timedelta(minutes=2), timedelta(minutes=15)))
    with app.app_context():
        deck_id = seed_deck(uid, cards=1)
    text = page_text(client.get(f"/cards/my-{deck_id}/study?card=card:1&show=1"))
    assert re.search(r"Again 2m 1 Hard 9m 2 Good 15m 3 Easy 8d 4", text), text


def test_undo_restores_the_memory_and_shows_the_card_again(app, amy, cards_clock):
    client, uid = amy
    with app.app_context():
        deck_id = seed_deck(uid, cards=2)
    client.post(f"/cards/my-{deck_id}/study/rate", data={"card": "card:1", "rating": "3"})
    cards_clock.now = NOW + timedelta(minutes=10)
    client.post(f"/cards/my-{deck_id}/study/rate", data={"card": "card:1", "rating": "4"})
    with app.app_context():
        assert db.session.scalar(select(MemoryState.due)) > NOW + timedelta(days=3)
    response = client.post(f"/cards/my-{deck_id}/study/undo")
    assert response.status_code == 302
    assert response.location.endswith(f"/cards/my-{deck_id}/study?card=card:1")
    with app.app_context():
        row = db.session.scalar(select(MemoryState))
        assert row.due == NOW + timedelta(minutes=10)  # as after the first rating
        assert db.session.scalar(select(db.func.count(ReviewLog.id))) == 1
    text = page_text(client.get(response.location))
    assert "Your “Easy” rating was undone: the card is back." in text
    assert "Learning · Card Front 1 Show answer" in text
    # only the last rating can be undone
    again = client.post(f"/cards/my-{deck_id}/study/undo", follow_redirects=True)
    assert "There is no rating to undo." in page_text(again)


def test_undo_of_a_first_review_forgets_the_memory(app, amy, cards_clock):
    client, uid = amy
    with app.app_context():
        deck_id = seed_deck(uid, cards=1)
    client.post(f"/cards/my-{deck_id}/study/rate", data={"card": "card:1", "rating": "1"})
    client.post(f"/cards/my-{deck_id}/study/undo")
    with app.app_context():
        assert db.session.scalar(select(db.func.count(MemoryState.id))) == 0
        assert db.session.scalar(select(db.func.count(ReviewLog.id))) == 0


def test_undo_refused_after_a_later_review_of_the_same_memory(app, amy, cards_clock):
    _, uid = amy
    with app.app_context():
        deck_id = seed_deck(uid, cards=1)
        deck = decks.load_deck(f"my-{deck_id}", uid)
        card = deck.find_card("card:1")
        settings = memory.load_settings(uid)
        first = services.rate(uid, card, 3, NOW, settings).log_ids
        services.rate(uid, card, 3, NOW + timedelta(minutes=10), settings)
        assert services.undo(uid, first) is False
        assert services.undo(uid, [first[0] + 1]) is True
        assert services.undo(uid, first) is True  # now the first is the latest again
        assert db.session.scalar(select(db.func.count(MemoryState.id))) == 0


# -- one memory with quizzes -----------------------------------------------------------


def test_bank_cards_train_the_fact_memory_a_quiz_trains(app, amy, cards_clock):
    client, uid = amy
    with app.app_context():
        set_id = seed_bank()
    ref = f"set-{set_id}"
    first = page_text(client.get(f"/cards/{ref}/study"))
    assert "Which post did Tae Yong-ho hold" in first
    assert "Deputy ambassador in London" not in first
    client.post(
        f"/cards/{ref}/study/rate", data={"card": "item:defection.tae.single.post", "rating": "3"}
    )
    with app.app_context():
        keys = set(db.session.scalars(select(MemoryState.memory_key)))
        assert keys == {"fact:defection.tae"}
        # a quiz answer on the cloze item's fact lands on the same memory the card uses
        from quizzes.domain.itemtypes import Grade

        memory.record_quiz_answer(uid, ["coi.report"], "upr.cloze", Grade.of(1.0), NOW)
        db.session.commit()
        deck = decks.load_deck(ref, uid)
        queue = services.build_queue(deck, uid, NOW, services.load_context(uid))
        kinds = {entry.key: entry.kind for entry in queue.entries}
        assert kinds["fact:coi.report"] is srs.QueueKind.LEARNING  # not new any more
        assert kinds["item:upr.year.short"] is srs.QueueKind.NEW


def test_matching_pairs_share_the_item_memory_and_show_one_form(app, amy, cards_clock):
    _, uid = amy
    with app.app_context():
        seed_bank()
        deck = decks.load_deck("topic-tactics", uid)
        assert [c.id for c in deck.cards()] == [
            "item:tactics.matching:pair-1",
            "item:tactics.matching:pair-1:reversed",
            "item:tactics.matching:pair-2",
            "item:tactics.matching:pair-2:reversed",
        ]
        queue = services.build_queue(deck, uid, NOW, services.load_context(uid))
        assert [entry.key for entry in queue.entries] == ["item:tactics.matching"]


# -- daily limits, typed answers -------------------------------------------------------


def test_new_cards_per_day_limit_counts_todays_flashcard_reviews(app, amy, cards_clock):
    client, uid = amy
    exact_settings(app, uid, new_per_day=2)
    with app.app_context():
        deck_id = seed_deck(uid, cards=5)
    client.post(f"/cards/my-{deck_id}/study/rate", data={"card": "card:1", "rating": "4"})
    with app.app_context():
        deck = decks.load_deck(f"my-{deck_id}", uid)
        context = services.load_context(uid)
        assert services.done_today(uid, NOW, context.settings) == srs.DailyCounts(1, 0)
        queue = services.build_queue(deck, uid, NOW, context)
        assert [(e.key, e.kind.value) for e in queue.entries] == [("card:2", "new")]
        # the next study day (04:00 UTC) brings two new ones again
        tomorrow = datetime(2025, 3, 4, 4, 0, tzinfo=UTC)
        queue = services.build_queue(deck, uid, tomorrow, context)
        assert [e.key for e in queue.entries] == ["card:2", "card:3"]


@pytest.mark.parametrize(
    ("typed", "rating", "correct"),
    [
        ("Geneva", srs.Rating.Good, True),
        ("Genva", srs.Rating.Hard, True),
        ("Paris", srs.Rating.Again, False),
    ],
)
def test_typed_answer_is_graded_by_the_quiz_grader(app, amy, cards_clock, typed, rating, correct):
    client, uid = amy
    with app.app_context():
        set_id = seed_bank()
    client.post("/cards/typed")
    front = client.get(f"/cards/set-{set_id}/study?card=item:upr.year.short")
    assert 'name="answer"' in front.get_data(as_text=True)
    response = client.post(
        f"/cards/set-{set_id}/study/check", data={"card": "item:upr.year.short", "answer": typed}
    )
    text = page_text(response)
    assert f"Suggested rating: {services.RATING_LABELS[rating]}" in text
    assert ("Right." in text) is correct
    html = response.get_data(as_text=True)
    assert re.search(rf'data-rating="{int(rating)}"\s+class="[^"]*suggested', html)
    with app.app_context():  # checking changes nothing: the learner still rates
        assert db.session.scalar(select(db.func.count(ReviewLog.id))) == 0


def test_typed_cloze_card_has_one_field_per_blank(app, amy, cards_clock):
    client, uid = amy
    with app.app_context():
        seed_bank()
    client.post("/cards/typed")
    html = client.get("/cards/topic-upr/study?card=item:upr.cloze").get_data(as_text=True)
    assert 'name="blank-1"' in html and 'name="blank-2"' not in html and "2014" not in html
    with app.app_context():
        card = decks.load_deck("topic-upr", uid).find_card("item:upr.cloze")
        result = services.check_typed(card, {"blank-1": ["2014"]})
        assert (result.grade.correct, result.rating) == (True, srs.Rating.Good)
        assert result.expected == "The commission of inquiry reported in [2014]."
        assert services.check_typed(card, {}).rating is srs.Rating.Again


@pytest.mark.parametrize(
    ("grade", "rating", "good_label"),
    [
        (Grade.of(1.0), srs.Rating.Good, "2d"),  # right: the card's next Good is step 2
        (Grade.of(1.0, typo_forgiven=True), srs.Rating.Hard, "10m"),
        (Grade.of(0.6), srs.Rating.Hard, "10m"),  # partly right
        (Grade.of(0.0), srs.Rating.Again, "10m"),
    ],
)
def test_a_quiz_answer_moves_the_flashcard_of_the_same_fact(
    app, amy, cards_clock, grade, rating, good_label
):
    client, uid = amy
    with app.app_context():
        set_id = seed_bank()
        memory.record_quiz_answer(
            uid,
            ["defection.tae"],
            "defection.tae.single.post",
            grade,
            NOW - timedelta(minutes=10),
            topics=["defections"],
        )
        db.session.commit()
        log = db.session.scalar(select(ReviewLog))
        assert (log.rating, log.source, log.memory_key) == (
            int(rating),
            "quiz",
            "fact:defection.tae",
        )
    text = page_text(
        client.get(f"/cards/set-{set_id}/study?card=item:defection.tae.single.post&show=1")
    )
    assert "Learning · Card" in text
    assert re.search(rf"Good {good_label} 3", text), text


def test_a_card_of_several_facts_changes_version_when_any_of_them_is_reviewed(app, amy):
    _, uid = amy

    class Card:  # what card_version reads of a Flashcard
        memory_keys = ("fact:a", "fact:b")

    with app.app_context():
        assert services.card_version(uid, Card()) == 0  # never reviewed
        memory.record_review(uid, ["fact:a"], 3, NOW, "quiz")
        first = services.card_version(uid, Card())
        assert first == srs.epoch_us(NOW)
        memory.record_review(uid, ["fact:b"], 3, NOW + timedelta(hours=2), "quiz")
        assert services.card_version(uid, Card()) == srs.epoch_us(NOW + timedelta(hours=2))
        # The shown state stands in for a card of one memory only.
        shown = srs.MemoryState.new(NOW)
        assert services.card_version(uid, Card(), shown) != 0


def test_typed_answers_stay_on_after_logging_out_and_in(app, amy, cards_clock):
    client, uid = amy
    with app.app_context():
        set_id = seed_bank()
    client.post("/cards/typed")
    client.post("/auth/logout")
    again = AuthActions(app.test_client())
    again.login("amy")
    card = f"/cards/set-{set_id}/study?card=item:upr.year.short"
    assert 'name="answer"' in again.client.get(card).get_data(as_text=True)
    again.client.post("/cards/typed")  # and off again, for good too
    assert 'name="answer"' not in again.client.get(card).get_data(as_text=True)


def test_the_typed_answers_switch_says_what_pressing_it_does(app, amy, cards_clock):
    client, _ = amy
    with app.app_context():
        set_id = seed_bank()
    study = f"/cards/set-{set_id}/study"
    assert ">Type my answers</button>" in client.get(study).get_data(as_text=True)
    client.post("/cards/typed")
    page = client.get(study).get_data(as_text=True)
    assert ">Turn typed answers off</button>" in page and ">Type my answers<" not in page


def test_a_card_on_two_facts_shows_the_same_memory_on_both_sides(app, amy, cards_clock):
    """The queue brings it for the memory due soonest; showing its back (or checking a
    typed answer) showed the first fact's instead: "Learning" became "New"."""
    from models import Item

    client, uid = amy
    with app.app_context():
        set_id = seed_bank()
        db.session.add(
            Item(
                set_id=set_id,
                position=9,
                key="two.facts",
                type="truefalse",
                prompt="Tae and Ri both defected in 2016.",
                data={"answer": False},
                explanation="Ri defected in 2023.",
                sources=[{"key": "KT", "publisher": "Korea Times", "title": "C", "date": "2024"}],
                difficulty=0.4,
                topics=["defections"],
                fact_ids=["tae.year", "ri.year"],
            )
        )
        # Only the second fact was studied: a lapse, so it is in learning.
        memory.record_review(uid, ["fact:ri.year"], 1, NOW - timedelta(minutes=30), "quiz")
        db.session.commit()
    queued = page_text(client.get(f"/cards/set-{set_id}/study"))
    assert "Tae and Ri both defected in 2016." in queued and "Learning · Card" in queued
    card = f"/cards/set-{set_id}/study?card=item:two.facts"
    assert "Learning · Card" in page_text(client.get(card))
    assert "Learning · Card" in page_text(client.get(card + "&show=1"))
