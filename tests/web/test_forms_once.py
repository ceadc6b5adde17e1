"""Forms that create something count once: the same form sent twice (a double click, a
request retried after a lost response) makes one thing, and the second press is shown it.
A form shown again is a new form: sending that one makes a second thing."""

from __future__ import annotations

import io
import re

import pytest
from sqlalchemy import func, select

from models import (
    Assignment,
    Card,
    Deck,
    FormSubmission,
    Item,
    QuestionSet,
    SchoolClass,
    SetStatus,
    db,
)
from tests.web.at_once import at_once
from tests.web.teach_support import SAMPLE_ITEMS, make_set, user_id

TWICE = "That form was sent twice and counted once: here is what it made."


def once_token(page: str, name: str = "once") -> str:
    found = re.search(rf'name="{re.escape(name)}" type="hidden" value="([^"]+)"', page)
    assert found, f"no {name} field in the form"
    return found.group(1)


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def sent_twice(client, url: str, data: dict) -> tuple:
    first = client.post(url, data=data)
    again = client.post(url, data=data)
    assert first.status_code == 302, first.data[:500]
    assert again.status_code == 302 and again.location == first.location
    shown = client.get(again.location, follow_redirects=True).get_data(as_text=True)
    assert TWICE in shown
    return first, again


@pytest.fixture
def teacher(login_as):
    return login_as("teacher1", "teacher")


def test_a_new_deck_sent_twice_is_one_deck(app, login_as):
    client = login_as("learner")
    token = once_token(client.get("/cards/decks/new").get_data(as_text=True))
    sent_twice(client, "/cards/decks/new", {"title": "Verbs", "description": "", "once": token})
    assert count(app, Deck) == 1
    # The form shown again is a new form: a second deck of the same name is allowed.
    token = once_token(client.get("/cards/decks/new").get_data(as_text=True))
    client.post("/cards/decks/new", data={"title": "Verbs", "description": "", "once": token})
    assert count(app, Deck) == 2


def test_a_new_card_sent_twice_is_one_card(app, login_as):
    client = login_as("learner")
    with app.app_context():
        deck = Deck(owner_id=user_id(app, "learner"), title="Mine")
        db.session.add(deck)
        db.session.commit()
        url = f"/cards/my-{deck.id}/cards/new"
    token = once_token(client.get(url).get_data(as_text=True))
    card = {"kind": "basic", "front": "UPR", "back": "Universal Periodic Review", "once": token}
    sent_twice(client, url, card)
    assert count(app, Card) == 1


def test_a_new_set_sent_twice_is_one_set(app, teacher):
    token = once_token(teacher.get("/teach/sets").get_data(as_text=True), "new-once")
    data = {"new-title": "Week 2", "new-description": "", "new-once": token}
    first, _ = sent_twice(teacher, "/teach/sets/new", data)
    assert count(app, QuestionSet) == 1
    assert first.location.startswith("/teach/sets/")


def test_a_new_class_sent_twice_is_one_class(app, teacher):
    token = once_token(teacher.get("/teach/classes").get_data(as_text=True))
    sent_twice(teacher, "/teach/classes/new", {"name": "Year 10", "once": token})
    assert count(app, SchoolClass) == 1


def test_an_assignment_sent_twice_is_one_assignment(app, teacher):
    set_id = make_set(app, "teacher1", items=[SAMPLE_ITEMS["truefalse"]])
    with app.app_context():
        db.session.get(QuestionSet, set_id).status = SetStatus.PUBLISHED
        school_class = SchoolClass(
            teacher_id=user_id(app, "teacher1"), name="Year 10", join_code="ABCD2345"
        )
        db.session.add(school_class)
        db.session.commit()
        url = f"/teach/classes/{school_class.id}/assignments/new"
    token = once_token(teacher.get(url).get_data(as_text=True))
    data = {
        "set_id": set_id,
        "opens_at": "2026-03-02T08:00",
        "due_at": "",
        "attempt_limit": "",
        "time_limit_minutes": "",
        "feedback_mode": "end",
        "once": token,
    }
    sent_twice(teacher, url, data)
    assert count(app, Assignment) == 1


def test_duplicating_a_set_twice_with_one_press_makes_one_copy(app, teacher):
    set_id = make_set(app, "teacher1", items=[SAMPLE_ITEMS["truefalse"]])
    page = teacher.get(f"/teach/sets/{set_id}").get_data(as_text=True)
    sent_twice(teacher, f"/teach/sets/{set_id}/duplicate", {"once": once_token(page)})
    assert count(app, QuestionSet) == 2  # the set and one copy


def test_a_new_item_sent_twice_is_one_item(app, teacher):
    set_id = make_set(app, "teacher1")
    url = f"/teach/sets/{set_id}/items/new/truefalse"
    token = once_token(teacher.get(url).get_data(as_text=True))
    data = {
        "prompt": "North Korea accepted every UPR recommendation.",
        "answer": "false",
        "difficulty": "0.5",
        "action": "save",
        "once": token,
    }
    sent_twice(teacher, url, data)
    assert count(app, Item) == 1


def test_an_import_confirmed_twice_imports_once(app, teacher):
    text = "Which city hosts the Human Rights Council?\nA. Geneva\nB. Vienna\nANSWER: A\n"
    preview = teacher.post(
        "/teach/import",
        data={"file": (io.BytesIO(text.encode()), "week.txt"), "format": "aiken", "target": "0"},
        content_type="multipart/form-data",
    ).get_data(as_text=True)
    data = {"token": once_token(preview, "token"), "once": once_token(preview)}
    sent_twice(teacher, "/teach/import/confirm", data)
    assert count(app, QuestionSet) == 1 and count(app, Item) == 1


def test_bank_items_copied_twice_with_one_press_are_copied_once(app, teacher):
    bank_id = make_set(app, None, title="Bank", items=[SAMPLE_ITEMS["truefalse"]])
    page = teacher.get(f"/teach/bank/{bank_id}").get_data(as_text=True)
    with app.app_context():
        item_id = db.session.scalar(select(Item.id).where(Item.set_id == bank_id))
    data = {"items": [item_id], "target": "0", "new_title": "Mine", "once": once_token(page)}
    sent_twice(teacher, f"/teach/bank/{bank_id}", data)
    assert count(app, QuestionSet) == 2 and count(app, Item) == 2


def test_two_presses_at_the_same_moment_make_one_set(app, teacher):
    """Both requests run at once (threads on one app): the second waits for the first's
    commit, finds the token taken and is sent to the same set."""
    token = once_token(teacher.get("/teach/sets").get_data(as_text=True), "new-once")
    data = {"new-title": "Week 3", "new-description": "", "new-once": token}
    locations = at_once(
        app,
        teacher.get_cookie("session").value,
        lambda client: client.post("/teach/sets/new", data=data).location,
    )
    assert count(app, QuestionSet) == 1
    assert len(locations) == 2 and locations[0] == locations[1]


def test_a_form_without_its_token_still_works(app, login_as):
    """Pages from before the token (or a script) are not guarded, not refused."""
    client = login_as("learner")
    client.post("/cards/decks/new", data={"title": "Verbs", "description": ""})
    assert count(app, Deck) == 1 and count(app, FormSubmission) == 0


def test_a_token_too_long_to_keep_is_ignored_not_a_hidden_error(app, login_as):
    """A forged or mangled token cannot be stored: the deck is made, unguarded, rather than
    the form coming back with an error on a field nobody can see."""
    client = login_as("learner")
    response = client.post(
        "/cards/decks/new", data={"title": "Verbs", "description": "", "once": "x" * 65}
    )
    assert response.status_code == 302
    assert count(app, Deck) == 1 and count(app, FormSubmission) == 0
