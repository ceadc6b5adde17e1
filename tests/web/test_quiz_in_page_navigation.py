"""What quiz_nav.js relies on, over HTTP: the save that moves records where the student went
and says where that is; an item's page fetched ahead is no visit, shows no key, and is
only the student's own open attempt."""

from __future__ import annotations

import pytest

from models import Attempt, db
from tests.fixtures_items import TYPES, right_form, snapshots, start_quiz
from tests.web.test_quiz_key_hidden import SPECS, secrets_of

AHEAD = {"X-Quiz-Ahead": "1"}
FETCH = {"X-Requested-With": "fetch", "Accept": "application/json"}


def current_position(app, attempt_id: int) -> int:
    with app.app_context():
        return db.session.get(Attempt, attempt_id).current_position


def saved_responses(app, attempt_id: int) -> dict[int, object]:
    with app.app_context():
        return {i.position: i.response for i in db.session.get(Attempt, attempt_id).items}


@pytest.mark.parametrize("item_type", TYPES)
def test_a_question_fetched_ahead_holds_no_key(app, bank, student, item_type):
    attempt_id = start_quiz(student, f"set:{bank.set_id}")
    shown = snapshots(app, attempt_id)
    position = next(n for n, s in enumerate(shown, 1) if s["type"] == item_type)
    response = student.get(f"/quiz/attempts/{attempt_id}/items/{position}", headers=AHEAD)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "data-in-page" in page  # the part quiz_nav.js swaps in
    for secret in secrets_of(SPECS[item_type]):
        assert secret not in page, secret


def test_fetching_ahead_is_no_visit_and_the_moving_save_is_one(app, bank, student):
    attempt_id = start_quiz(student, f"set:{bank.set_id}")
    item_url = f"/quiz/attempts/{attempt_id}/items"
    assert student.get(f"{item_url}/1").status_code == 200
    assert current_position(app, attempt_id) == 1

    page = student.get(f"{item_url}/2", headers=AHEAD).get_data(as_text=True)
    assert f'data-next-url="{item_url}/3"' in page
    assert current_position(app, attempt_id) == 1  # "Resume" still leads to question 1

    first = snapshots(app, attempt_id)[0]
    response = student.post(
        f"{item_url}/1", data={**right_form(first), "go": "next"}, headers=FETCH
    )
    body = response.get_json()
    assert (body["status"], body["go_to"]) == ("saved", f"{item_url}/2")
    assert current_position(app, attempt_id) == 2
    assert saved_responses(app, attempt_id)[1] is not None

    # A jump back through the question list, and the plain autosave (no go) stays put.
    body = student.post(f"{item_url}/2", data={"go": "1"}, headers=FETCH).get_json()
    assert body["go_to"] == f"{item_url}/1"
    assert current_position(app, attempt_id) == 1
    body = student.post(f"{item_url}/1", data=right_form(first), headers=FETCH).get_json()
    assert "go_to" not in body  # the autosave is no move
    assert current_position(app, attempt_id) == 1


def test_next_on_the_last_question_leads_to_the_review_page(app, bank, student):
    attempt_id = start_quiz(student, f"set:{bank.set_id}")
    last = len(snapshots(app, attempt_id))
    item_url = f"/quiz/attempts/{attempt_id}/items"
    page = student.get(f"{item_url}/{last}", headers=AHEAD).get_data(as_text=True)
    assert "data-next-url" not in page  # nothing to fetch ahead: the review is a page load
    body = student.post(f"{item_url}/{last}", data={"go": "next"}, headers=FETCH).get_json()
    assert body["go_to"] == f"/quiz/attempts/{attempt_id}/review"


def test_an_unfinished_answer_does_not_move_the_student_on(app, bank, student):
    attempt_id = start_quiz(student, f"set:{bank.set_id}")
    shown = snapshots(app, attempt_id)
    position = next(n for n, s in enumerate(shown, 1) if s["type"] == "ordering")
    item_url = f"/quiz/attempts/{attempt_id}/items"
    student.get(f"{item_url}/{position}")
    target = 1 if position != 1 else 2
    gap = {"order": ["0", "0", "", ""], "go": [str(target)]}
    body = student.post(f"{item_url}/{position}", data=gap, headers=FETCH).get_json()
    assert body["status"] == "incomplete"
    assert current_position(app, attempt_id) == position


def test_immediate_feedback_pages_move_by_page_loads(app, bank, student):
    attempt_id = start_quiz(student, f"set:{bank.set_id}", feedback="immediate")
    page = student.get(f"/quiz/attempts/{attempt_id}/items/1").get_data(as_text=True)
    assert "data-in-page" not in page
    assert "quiz_nav.js" not in page


def test_only_the_students_own_open_attempt_is_fetched_ahead(app, bank, student, login_as):
    attempt_id = start_quiz(student, f"set:{bank.set_id}")
    item_url = f"/quiz/attempts/{attempt_id}/items/2"
    other = login_as("student2")
    assert other.get(item_url, headers=AHEAD).status_code == 404
    signed_out = app.test_client()
    response = signed_out.get(item_url, headers=AHEAD)
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]

    submitted = student.post(f"/quiz/attempts/{attempt_id}/submit")
    assert submitted.status_code == 302
    response = student.get(item_url, headers=AHEAD)
    assert response.status_code == 302  # to the result: quiz_nav.js then loads the page
    assert response.headers["Location"].endswith(f"/quiz/attempts/{attempt_id}/result")


def test_a_question_fetched_ahead_leaves_waiting_messages_for_the_page_seen_next(
    app, bank, student
):
    attempt_id = start_quiz(student, f"set:{bank.set_id}")
    item_url = f"/quiz/attempts/{attempt_id}/items"
    with student.session_transaction() as session:
        session["_flashes"] = [("warning", "A message for the page the student sees")]

    ahead = student.get(f"{item_url}/2", headers=AHEAD).get_data(as_text=True)
    assert "A message for the page the student sees" not in ahead

    seen = student.get(f"{item_url}/1").get_data(as_text=True)
    assert "A message for the page the student sees" in seen
    again = student.get(f"{item_url}/1").get_data(as_text=True)
    assert "A message for the page the student sees" not in again  # shown once
