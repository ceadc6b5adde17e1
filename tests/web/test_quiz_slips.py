"""Slips made while answering: each gets the right message, and nothing chosen is lost."""

from __future__ import annotations

from sqlalchemy import select

from models import AttemptItem, db
from quizzes.quiz import guest
from tests.fixtures_items import form_state, right_form, snapshots, start_quiz


def position_of(shown: list[dict], item_type: str) -> int:
    return next(n for n, snapshot in enumerate(shown, 1) if snapshot["type"] == item_type)


def stored(app, attempt_id: int, position: int) -> AttemptItem:
    with app.app_context():
        item = db.session.scalar(
            select(AttemptItem).where(
                AttemptItem.attempt_id == attempt_id, AttemptItem.position == position
            )
        )
        db.session.expunge(item)
        return item


def test_moving_on_from_a_checked_item_says_nothing(app, bank, student):
    attempt_id = start_quiz(student, f"set:{bank.set_id}", feedback="immediate")
    shown = snapshots(app, attempt_id)
    url = f"/quiz/attempts/{attempt_id}/items/1"
    student.post(url, data={**right_form(shown[0]), "check": "1"})
    # A checked item's fields are disabled: the browser sends only the button pressed.
    for go in ("next", "prev", "3", "review"):
        page = student.post(url, data={"go": go}, follow_redirects=True).data.decode()
        assert "You already checked this question" not in page, go
        assert "Warning:" not in page, go
    # Trying to change the checked answer is still refused, and said so.
    page = student.post(url, data={**right_form(shown[0]), "go": "next"}, follow_redirects=True)
    assert "You already checked this question" in page.data.decode()


def test_checking_text_that_is_not_a_number_asks_for_a_number(app, bank, student):
    attempt_id = start_quiz(student, f"set:{bank.set_id}", feedback="immediate")
    shown = snapshots(app, attempt_id)
    position = position_of(shown, "numeric")
    url = f"/quiz/attempts/{attempt_id}/items/{position}"
    response = student.post(url, data={"answer": ["about two thousand"], "check": "1"})
    assert response.headers["Location"] == url  # back to the question, not to a verdict
    page = student.get(url).data.decode()
    assert f"Question {position} needs a number, such as 2014 or 3.5" in page
    assert 'value="about two thousand"' in page  # kept as typed, still editable
    item = stored(app, attempt_id, position)
    assert item.response == "about two thousand" and item.graded_at is None
    # The same item with a number is checked as usual.
    response = student.post(url, data={**right_form(shown[position - 1]), "check": "1"})
    assert response.headers["Location"] == f"{url}#feedback"
    assert stored(app, attempt_id, position).score == 1.0


def test_a_number_with_its_unit_is_checked(app, bank, student):
    attempt_id = start_quiz(student, f"set:{bank.set_id}", feedback="immediate")
    shown = snapshots(app, attempt_id)
    position = position_of(shown, "numeric")
    snapshot = shown[position - 1]
    typed = right_form(snapshot)["answer"][0] + (f" {snapshot['view']['unit']}" or "")
    url = f"/quiz/attempts/{attempt_id}/items/{position}"
    response = student.post(url, data={"answer": [typed], "check": "1"})
    assert response.headers["Location"] == f"{url}#feedback"


def test_saving_text_that_is_not_a_number_warns_while_it_can_be_changed(app, bank, student):
    attempt_id = start_quiz(student, f"set:{bank.set_id}")  # answers at the end
    shown = snapshots(app, attempt_id)
    position = position_of(shown, "numeric")
    url = f"/quiz/attempts/{attempt_id}/items/{position}"
    warning = (
        f"Question {position} is saved as typed, but it needs a number, such as 2014 or 3.5: "
        "as it is, it will be marked wrong."
    )
    saved = student.post(url, data={"answer": ["2O24"]}, headers={"X-Requested-With": "fetch"})
    assert (saved.json["status"], saved.json["message"]) == ("saved", warning)
    page = student.post(url, data={"answer": ["2O24"], "go": "next"}, follow_redirects=True)
    assert f"Warning:</span> {warning}" in page.data.decode()
    assert stored(app, attempt_id, position).response == "2O24"  # kept as typed
    fixed = student.post(
        url, data=right_form(shown[position - 1]), headers={"X-Requested-With": "fetch"}
    )
    assert (fixed.json["status"], fixed.json["message"]) == ("saved", "")


def test_text_that_is_not_a_number_is_graded_wrong_at_submit(app, bank, student):
    attempt_id = start_quiz(student, f"set:{bank.set_id}")
    position = position_of(snapshots(app, attempt_id), "numeric")
    student.post(
        f"/quiz/attempts/{attempt_id}/items/{position}", data={"answer": ["about two thousand"]}
    )
    student.post(f"/quiz/attempts/{attempt_id}/submit")
    item = stored(app, attempt_id, position)
    assert item.score == 0.0 and item.notes == ["'about two thousand' is not a number."]


def ordering_choices(page: str) -> list[str]:
    return form_state(page).get("order", [])


def test_an_unfinished_order_is_shown_back_with_what_is_missing(app, bank, student):
    attempt_id = start_quiz(student, f"set:{bank.set_id}", feedback="immediate")
    position = position_of(snapshots(app, attempt_id), "ordering")
    url = f"/quiz/attempts/{attempt_id}/items/{position}"
    response = student.post(url, data={"order": ["1", "1", ""], "check": "1"})
    assert response.headers["Location"] == url
    page = student.get(url).data.decode()
    assert "put a different item in every position" in page
    assert "Choose or type a whole answer" not in page  # every position was not empty
    assert ordering_choices(page) == ["1", "1"]  # positions 1 and 2 as chosen, 3 empty
    assert stored(app, attempt_id, position).response is None  # nothing was saved
    # Shown back once: after that the page shows what is stored.
    assert ordering_choices(student.get(url).data.decode()) == []


def test_an_unfinished_order_waits_until_the_student_comes_back(app, bank, student):
    attempt_id = start_quiz(student, f"set:{bank.set_id}")
    position = position_of(snapshots(app, attempt_id), "ordering")
    url = f"/quiz/attempts/{attempt_id}/items/{position}"
    student.post(url, data={"order": ["2", "", ""], "go": "next"})
    student.get(f"/quiz/attempts/{attempt_id}/items/{position % 8 + 1}")  # another item
    assert ordering_choices(student.get(url).data.decode()) == ["2"]


def test_a_later_save_replaces_the_unfinished_order(app, bank, student):
    attempt_id = start_quiz(student, f"set:{bank.set_id}")
    shown = snapshots(app, attempt_id)
    position = position_of(shown, "ordering")
    url = f"/quiz/attempts/{attempt_id}/items/{position}"
    student.post(url, data={"order": ["2", "", ""], "go": "next"})
    whole = right_form(shown[position - 1])
    student.post(url, data=whole, headers={"X-Requested-With": "fetch"})  # autosave
    assert ordering_choices(student.get(url).data.decode()) == whole["order"]


def test_the_sample_quiz_shows_an_unfinished_order_back(bank, client):
    client.post("/quiz/sample")
    with client.session_transaction() as session:  # a sample that starts with the ordering item
        state = session[guest.SESSION_KEY]
        ordering = bank.item_ids["ordering"]
        others = [i for i in state["ids"] if i != ordering]
        session[guest.SESSION_KEY] = {**state, "ids": [ordering, *others[1:]]}
    url = "/quiz/sample/items/1"
    assert 'name="order"' in client.get(url).data.decode()
    client.post(url, data={"order": ["0", "0", "2"], "go": "next"})
    page = client.get(url).data.decode()
    assert ordering_choices(page) == ["0", "0", "2"]
