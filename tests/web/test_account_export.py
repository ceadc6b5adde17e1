"""The account page and "Download all your data": everything about the user, nothing of
anyone else, and no answer key of an item not yet answered."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from models import Attempt, AttemptItem, Card, Deck, MemoryState, ReviewLog, SetStatus, User, db
from tests.web.account_support import TESS_ITEMS, answers_for, attempt_from, build_school
from tests.web.teach_support import make_set, text_of


@pytest.fixture
def school(app, login_as):
    return build_school(app, login_as)


def exported(client) -> tuple[dict, str]:
    response = client.get("/account/export.json")
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    return json.loads(body), body


def test_account_page_is_linked_from_the_username_and_needs_a_login(app, client, login_as):
    assert client.get("/account/").headers["Location"].startswith("/auth/login")
    assert client.get("/account/export.json").headers["Location"].startswith("/auth/login")
    ana = login_as("ana_k")
    home = ana.get("/").get_data(as_text=True)
    assert '<a href="/account/"><strong>ana_k</strong>' in home
    page = ana.get("/account/")
    assert page.status_code == 200
    text = text_of(page.get_data(as_text=True))
    assert "Username ana_k" in text and "Account type Student" in text
    assert "Download all your data (JSON)" in text
    assert "You leave your classes: your grades disappear from your teachers' gradebooks." in text


def test_the_account_page_counts_what_is_stored(school):
    text = text_of(school.clients["ana_k"].get("/account/").get_data(as_text=True))
    assert "2 quiz attempts, each with the questions as you saw them and your answers" in text
    assert "1 flashcard deck with 1 card, and your study settings" in text
    assert "1 class joined, with your grades in them" in text
    teacher = text_of(school.clients["tess_t"].get("/account/").get_data(as_text=True))
    assert "2 question sets you wrote or imported, with 3 items" in teacher
    assert "1 class you teach (2 students), with 1 assignment" in teacher
    assert "Your students keep their own past attempts" in teacher


def test_export_is_a_json_download_that_is_not_cached(school):
    response = school.clients["ana_k"].get("/account/export.json")
    assert response.mimetype == "application/json"
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="quizdeck-ana_k-2026-03-02.json"'
    )
    assert response.headers["Cache-Control"] == "no-store"


def test_a_students_export_holds_all_of_their_data(app, school):
    data, body = exported(school.clients["ana_k"])
    uid = school.ids["ana_k"]
    assert data["format"] == "quizdeck-account-export" and data["version"] == 1
    assert data["exported_at"] == "2026-03-02T09:00:00+00:00"
    assert data["profile"]["username"] == "ana_k" and data["profile"]["role"] == "student"
    assert data["profile"]["id"] == uid
    assert "password_hash" not in data["profile"] and "scrypt" not in body
    assert "session_token" not in data["profile"]
    with app.app_context():
        assert db.session.get(User, uid).session_token not in body
        attempt_ids = list(
            db.session.scalars(
                select(Attempt.id).where(Attempt.user_id == uid).order_by(Attempt.id)
            )
        )
        item_count = db.session.scalar(
            select(db.func.count(AttemptItem.id))
            .join(Attempt, Attempt.id == AttemptItem.attempt_id)
            .where(Attempt.user_id == uid)
        )
        memory_keys = set(
            db.session.scalars(select(MemoryState.memory_key).where(MemoryState.user_id == uid))
        )
        reviews = db.session.scalar(
            select(db.func.count(ReviewLog.id)).where(ReviewLog.user_id == uid)
        )
    assert [a["id"] for a in data["attempts"]] == attempt_ids
    assert sum(len(a["items"]) for a in data["attempts"]) == item_count == 5
    assert {m["memory_key"] for m in data["memory_states"]} == memory_keys
    # Tess's two items and the card; the quiz in progress is not graded yet.
    assert len(memory_keys) == 3 and "card:1" in memory_keys
    assert len(data["review_logs"]) == reviews == 3
    [deck] = data["decks"]
    assert deck["title"] == "Deck of ana_k only"
    assert [(c["front"], c["back"]) for c in deck["cards"]] == [("Front by ana_k", "Back by ana_k")]
    assert data["study_preferences"]["settings"]["timezone"] == "Europe/Paris"
    assert data["study_preferences"]["settings"]["desired_retention"] == 0.85
    [joined] = data["classes_joined"]
    assert joined["name"] == "Year 10 Tess"
    [given] = joined["assignments"]
    assert given["set_title"] == "Tess set Week 1"
    assert given["your_best_score"] == given["your_last_score"] == 1.0
    assert given["your_attempt_ids"] == [attempt_ids[0]]
    assert data["classes_taught"] == [] and data["question_sets"] == []


def test_an_export_keeps_the_keys_of_unanswered_items_on_the_server(school):
    data, _ = exported(school.clients["ana_k"])
    submitted, in_progress = data["attempts"]
    assert submitted["status"] == "submitted"
    assert all("key" in item["snapshot"] for item in submitted["items"])
    assert in_progress["status"] == "in_progress" and in_progress["title"] == "Bank set Capitals"
    assert [("key" in item["snapshot"]) for item in in_progress["items"]] == [False] * 3
    assert in_progress["items"][0]["response"] is not None  # the answer saved, not graded


def test_a_students_export_holds_nothing_of_anyone_else(school):
    _, body = exported(school.clients["ana_k"])
    for foreign in (
        "ben_x",  # a classmate's name
        "Deck of ben_x only",
        "Front by ben_x",
        "Asia/Seoul",  # ben's settings
        "tess_t",  # the teacher's name
        "tom_q",
        "Tess draft never shown",  # a set ana never saw
        school.join_code,
        "password",
    ):
        assert foreign not in body, foreign


def test_a_teachers_export_holds_sets_classes_and_assignments_but_no_students(app, school):
    data, body = exported(school.clients["tess_t"])
    assert data["profile"]["role"] == "teacher"
    sets = {s["title"]: s for s in data["question_sets"]}
    assert set(sets) == {"Tess set Week 1", "Tess draft never shown"}
    assert [i["prompt"] for i in sets["Tess set Week 1"]["items"]] == [
        item["prompt"] for item in TESS_ITEMS
    ]
    assert sets["Tess set Week 1"]["items"][0]["data"] == {"answer": False}
    [taught] = data["classes_taught"]
    assert taught["name"] == "Year 10 Tess" and taught["join_code"] == school.join_code
    assert taught["students"] == 2
    [given] = taught["assignments"]
    assert (given["set_id"], given["set_title"]) == (school.tess_set, "Tess set Week 1")
    assert given["due_at"] == "2026-03-09T17:00:00+00:00"
    assert data["attempts"] == [] and data["classes_joined"] == [] and data["decks"] == []
    for foreign in ("ana_k", "ben_x", "Front by", "Capitals", "Europe/Paris"):
        assert foreign not in body, foreign


def test_export_of_a_new_account_is_empty_but_complete(login_as):
    data, _ = exported(login_as("newbie"))
    assert data["profile"]["username"] == "newbie"
    for part in ("attempts", "memory_states", "review_logs", "decks", "classes_joined"):
        assert data[part] == [], part
    assert data["study_preferences"] is None


def test_card_and_deck_counts_match_the_database(app, school):
    data, _ = exported(school.clients["ben_x"])
    with app.app_context():
        decks = db.session.scalars(select(Deck).where(Deck.owner_id == school.ids["ben_x"])).all()
        cards = db.session.scalars(select(Card).where(Card.deck_id.in_([d.id for d in decks])))
        assert [d["id"] for d in data["decks"]] == [d.id for d in decks]
        assert [c["id"] for d in data["decks"] for c in d["cards"]] == [c.id for c in cards]
    [given] = data["classes_joined"][0]["assignments"]
    assert given["your_best_score"] == 0.0


def _start(app, client, feedback_mode: str) -> int:
    """A practice quiz on a bank set holding Tess's two items."""
    set_id = make_set(app, None, "Bank set of Tess items", TESS_ITEMS, SetStatus.PUBLISHED)
    return attempt_from(
        client.post(
            "/quiz/",
            data={
                "source": f"set:{set_id}",
                "size": "2",
                "feedback_mode": feedback_mode,
                "late_policy": "mark",
                "start_token": f"export-token-{feedback_mode}",
            },
        )
    )


def test_an_export_shows_no_explanation_or_sources_before_the_pages_would(app, login_as):
    # The single item's explanation, source and per-option feedback answer it.
    secrets = ("deputy ambassador", "Korea Times", "Yes, 2016.", "It rejected many.")
    cho = login_as("cho_n")
    end = _start(app, cho, "end")
    data, body = exported(cho)
    for secret in secrets:
        assert secret not in body, secret
    [attempt] = data["attempts"]
    assert {item["snapshot"]["prompt"] for item in attempt["items"]} == {
        item["prompt"] for item in TESS_ITEMS
    }
    # Answered with feedback at the end: still nothing until it is submitted.
    for position, form in enumerate(answers_for(app, end), start=1):
        assert cho.post(f"/quiz/attempts/{end}/items/{position}", data=form).status_code == 302
    _, body = exported(cho)
    for secret in secrets:
        assert secret not in body, secret
    assert cho.post(f"/quiz/attempts/{end}/submit").status_code == 302
    _, body = exported(cho)
    for secret in secrets:
        assert secret in body, secret


def test_an_export_reveals_a_checked_item_and_only_that_one(app, login_as):
    cho = login_as("cho_n")
    attempt_id = _start(app, cho, "immediate")
    forms = answers_for(app, attempt_id)
    with app.app_context():
        types = [i.snapshot["type"] for i in db.session.get(Attempt, attempt_id).items]
    checked = types.index("single") + 1
    response = cho.post(
        f"/quiz/attempts/{attempt_id}/items/{checked}", data=forms[checked - 1] | {"check": "1"}
    )
    assert response.status_code == 302
    data, body = exported(cho)
    shown = {item["snapshot"]["type"]: item["snapshot"] for item in data["attempts"][0]["items"]}
    assert shown["single"]["explanation"] == "He was **deputy ambassador** in London."
    assert shown["single"]["key"]["why"][shown["single"]["key"]["correct"]] == "Yes, 2016."
    assert set(shown["truefalse"]) == {"item_key", "version", "type", "prompt", "view", "topics"}
    assert "It rejected many." not in body
