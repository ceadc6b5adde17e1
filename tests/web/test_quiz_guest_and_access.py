"""The visitors' sample quiz stores nothing; attempts are private; pages need a login."""

from __future__ import annotations

import json
import re

import pytest
from sqlalchemy import func, select

from models import Base, db
from quizzes.quiz import guest
from quizzes.quiz.services import snapshot_of
from tests.fixtures_items import ITEMS, right_form, start_quiz


def row_counts(app) -> dict[str, int]:
    with app.app_context():
        return {
            table.name: db.session.scalar(select(func.count()).select_from(table))
            for table in Base.metadata.sorted_tables
        }


def session_state(app, client) -> dict:
    cookie = client.get_cookie("session")
    serializer = app.session_interface.get_signing_serializer(app)
    return serializer.loads(cookie.value)


def sample_snapshots(app, state: dict) -> list[dict]:
    with app.app_context():
        return guest.snapshots(state)


def test_visitor_takes_the_sample_quiz_and_nothing_is_stored(app, bank, client):
    before = row_counts(app)
    start_page = client.get("/quiz/").data.decode()
    assert "Try a sample quiz" in start_page and "Start the sample quiz" in start_page
    response = client.post("/quiz/sample")
    assert response.headers["Location"] == "/quiz/sample/items/1"

    state = session_state(app, client)[guest.SESSION_KEY]
    assert len(state["ids"]) == 5
    shown = sample_snapshots(app, state)
    # Five different types: the sample shows off the variety.
    assert len({s["type"] for s in shown}) == 5
    for position, snapshot in enumerate(shown, 1):
        page = client.get(f"/quiz/sample/items/{position}").data.decode()
        assert "Sample · nothing is saved" in page
        assert snapshot["explanation"] not in page
        form = right_form(snapshot) if position != 5 else {}
        client.post(f"/quiz/sample/items/{position}", data={**form, "go": "next"})

    review = client.get("/quiz/sample/review").data.decode()
    assert '<a href="/quiz/sample/items/5">question 5</a>' in review
    assert client.post("/quiz/sample/submit").headers["Location"] == "/quiz/sample/result"
    result = client.get("/quiz/sample/result").data.decode()
    assert "Score: <strong>4 of 5</strong> (80%)" in result
    assert "Create a free account" in result and "Keep your progress" in result
    for snapshot in shown:
        assert snapshot["explanation"] in result

    # Posting again after the submit changes nothing.
    client.post("/quiz/sample/items/1", data={"answer": ["zzz"]})
    assert "Score: <strong>4 of 5</strong>" in client.get("/quiz/sample/result").data.decode()
    assert row_counts(app) == before


def test_the_sample_cookie_holds_no_key_and_stays_small(app, bank, client):
    client.post("/quiz/sample")
    cookie = client.get_cookie("session").value
    state = session_state(app, client)[guest.SESSION_KEY]
    shown = sample_snapshots(app, state)
    for position, snapshot in enumerate(shown, 1):
        client.post(f"/quiz/sample/items/{position}", data=right_form(snapshot))
    client.post("/quiz/sample/items/1", data={"answer": ["x" * 5000]})  # a huge answer is cut
    state = session_state(app, client)[guest.SESSION_KEY]
    assert set(state) == {"ids", "seed", "answers", "submitted"}
    assert "key" not in json.dumps(state)
    for spec in ITEMS:
        assert spec["explanation"] not in json.dumps(state)
    cookie = client.get_cookie("session").value
    assert len(cookie) < 2000


def without_csrf_token(page):
    # The token carries a timestamp, so two visits a second apart differ there.
    return re.sub(r'name="csrf_token"[^>]*>', 'name="csrf_token">', page)


def test_the_sample_is_shown_the_same_on_every_visit(app, bank, client):
    client.post("/quiz/sample")
    state = session_state(app, client)[guest.SESSION_KEY]
    first = without_csrf_token(client.get("/quiz/sample/items/1").data.decode())
    assert without_csrf_token(client.get("/quiz/sample/items/1").data.decode()) == first
    with app.app_context():
        from models import Item

        item = db.session.get(Item, state["ids"][0])
        view = snapshot_of(item, state["seed"], 1)["view"]
    for text in view.get("options", []):
        assert text in first


def test_sample_pages_without_a_sample_send_to_the_start(bank, client):
    response = client.get("/quiz/sample/items/1")
    assert response.headers["Location"] == "/quiz/"


def test_registering_is_offered_and_a_logged_in_user_gets_the_real_quiz(bank, login_as):
    student = login_as("student1")
    assert student.post("/quiz/sample").headers["Location"] == "/quiz/"


@pytest.mark.parametrize(
    "method, path",
    [
        ("get", "/quiz/attempts/{id}"),
        ("get", "/quiz/attempts/{id}/items/1"),
        ("post", "/quiz/attempts/{id}/items/1"),
        ("get", "/quiz/attempts/{id}/review"),
        ("post", "/quiz/attempts/{id}/submit"),
        ("get", "/quiz/attempts/{id}/result"),
    ],
)
def test_another_students_attempt_is_not_found(app, bank, login_as, method, path):
    owner = login_as("owner")
    attempt_id = start_quiz(owner, f"set:{bank.set_id}")
    if path.endswith("result"):
        owner.post(f"/quiz/attempts/{attempt_id}/submit")
    intruder = login_as("intruder")
    response = getattr(intruder, method)(path.format(id=attempt_id), data={"answer": ["0"]})
    assert response.status_code == 404
    teacher = login_as("teacher1", "teacher")
    assert getattr(teacher, method)(path.format(id=attempt_id)).status_code == 404


@pytest.mark.parametrize(
    "method, path",
    [
        ("get", "/quiz/attempts/1"),
        ("get", "/quiz/attempts/1/items/1"),
        ("post", "/quiz/attempts/1/items/1"),
        ("get", "/quiz/attempts/1/review"),
        ("post", "/quiz/attempts/1/submit"),
        ("get", "/quiz/attempts/1/result"),
        ("get", "/quiz/history"),
        ("post", "/quiz/"),
        ("get", "/progress/"),
    ],
)
def test_visitors_are_sent_to_log_in(app, bank, login_as, client, method, path):
    start_quiz(login_as("owner"), f"set:{bank.set_id}")
    response = getattr(client, method)(path)
    assert response.status_code == 302
    assert re.match(r"/auth/login\?next=", response.headers["Location"])


def test_a_teachers_published_set_is_not_open_to_practice(app, bank, login_as):
    """It reaches students only through an assignment: practice shows the answers after
    each question and would give the test away. The bank's sets stay open to everyone."""
    from models import SetStatus
    from tests.web.teach_support import SAMPLE_ITEMS, make_set

    teacher = login_as("teacher1", "teacher")
    test_set = make_set(
        app, "teacher1", "Unit test", [SAMPLE_ITEMS["single"]], status=SetStatus.PUBLISHED
    )
    student = login_as("student1")
    start_page = student.get("/quiz/").data.decode()
    assert f'value="set:{test_set}"' not in start_page
    assert f'value="set:{bank.set_id}"' in start_page
    refused = student.post("/quiz/", data={"source": f"set:{test_set}", "size": "5"})
    assert refused.status_code == 422  # not among the choices: the form says so
    with app.app_context():
        from models import Attempt

        assert db.session.scalar(select(func.count(Attempt.id))) == 0
    # The teacher still practises their own set, as before assigning it.
    assert f'value="set:{test_set}"' in teacher.get("/quiz/").data.decode()
    start_quiz(teacher, f"set:{test_set}")
