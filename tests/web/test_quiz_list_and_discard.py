"""The question list says right, wrong or answered in words and shapes, and an open
practice quiz can be discarded by its owner, after a confirmation (issue 19)."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from models import Attempt, AttemptItem, db
from tests.fixtures_items import right_form, snapshots, start_quiz, wrong_form
from tests.web.account_support import NOW, attempt_from
from tests.web.teach_support import SAMPLE_ITEMS, make_set

STATE = re.compile(r'<span class="visually-hidden jump-state">, ([^<]+)</span>')
MARK = re.compile(r'<span class="jump-mark" aria-hidden="true">([^<]+)</span>')


def list_of(page: str) -> list[tuple[str, str]]:
    return list(zip(MARK.findall(page), STATE.findall(page), strict=True))


def test_a_checked_wrong_answer_is_marked_wrong_not_with_a_tick(app, bank, student):
    attempt_id = start_quiz(student, f"set:{bank.set_id}", feedback="immediate")
    shown = snapshots(app, attempt_id)
    url = f"/quiz/attempts/{attempt_id}/items"
    student.post(f"{url}/1", data={**right_form(shown[0]), "check": "1"})
    student.post(f"{url}/2", data={**wrong_form(shown[1]), "check": "1"})
    student.post(f"{url}/3", data=right_form(shown[2]))  # saved, not checked
    page = student.get(f"{url}/4").get_data(as_text=True)
    assert list_of(page)[:4] == [
        ("✓", "right"),
        ("✗", "wrong"),
        ("●", "answered"),
        ("·", "not answered"),
    ]
    assert 'class="jump-button mark-wrong answered"' in page
    # The autosave's answer carries the same marks, for quiz.js to redraw the list.
    saved = student.post(
        f"{url}/4", data=right_form(shown[3]), headers={"X-Requested-With": "fetch"}
    ).json
    assert {n: saved["marks"][n] for n in "1234"} == {
        "1": "right",
        "2": "wrong",
        "3": "answered",
        "4": "answered",
    }
    assert saved["answered"] == [1, 2, 3, 4]


def test_a_number_item_holding_text_is_not_marked_as_answered_well(app, bank, student):
    attempt_id = start_quiz(student, f"set:{bank.set_id}", types=("numeric",))
    url = f"/quiz/attempts/{attempt_id}/items"
    saved = student.post(
        f"{url}/1", data={"answer": "twenty-fourteen"}, headers={"X-Requested-With": "fetch"}
    ).json
    assert saved["marks"]["1"] == "number"
    page = student.get(f"{url}/1").get_data(as_text=True)
    assert list_of(page)[0] == ("!", "answered, not a number")
    student.post(f"{url}/1", data={"answer": "2014"})
    assert list_of(student.get(f"{url}/1").get_data(as_text=True))[0] == ("●", "answered")


def attempts(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(Attempt.id)))


def test_the_owner_discards_an_open_practice_quiz_after_confirming(app, bank, student, login_as):
    attempt_id = start_quiz(student, f"set:{bank.set_id}")
    student.post(
        f"/quiz/attempts/{attempt_id}/items/1", data=right_form(snapshots(app, attempt_id)[0])
    )
    start = student.get("/quiz/").get_data(as_text=True)
    assert f'href="/quiz/attempts/{attempt_id}/discard"' in start
    # Someone else neither sees the question nor can do it.
    other = login_as("student2")
    assert other.get(f"/quiz/attempts/{attempt_id}/discard").status_code == 404
    assert other.post(f"/quiz/attempts/{attempt_id}/discard").status_code == 404
    # The link asks first: nothing is deleted by a GET.
    ask = student.get(f"/quiz/attempts/{attempt_id}/discard")
    assert ask.status_code == 200
    assert "Discard this quiz?" in ask.get_data(as_text=True)
    assert "1 of 8 questions answered" in ask.get_data(as_text=True)
    assert attempts(app) == 1
    # A POST without its CSRF token changes nothing.
    app.config["WTF_CSRF_ENABLED"] = True
    assert student.post(f"/quiz/attempts/{attempt_id}/discard").status_code in (200, 400)
    assert attempts(app) == 1
    app.config["WTF_CSRF_ENABLED"] = False
    done = student.post(f"/quiz/attempts/{attempt_id}/discard")
    assert done.status_code == 302 and done.headers["Location"] == "/quiz/"
    assert attempts(app) == 0
    with app.app_context():
        assert db.session.scalar(select(func.count(AttemptItem.id))) == 0
    assert "Carry on where you left off" not in student.get("/quiz/").get_data(as_text=True)


def test_a_submitted_quiz_is_not_discarded(app, bank, student):
    attempt_id = start_quiz(student, f"set:{bank.set_id}")
    student.post(f"/quiz/attempts/{attempt_id}/submit")
    response = student.post(f"/quiz/attempts/{attempt_id}/discard")
    assert response.status_code == 302
    assert attempts(app) == 1


def test_an_assignments_attempt_cannot_be_discarded(app, login_as):
    app.config["QUIZDECK_NOW"] = lambda: NOW
    teacher = login_as("tess_t", "teacher")
    pupil = login_as("ana_k")
    set_id = make_set(app, "tess_t", "Tess set", [SAMPLE_ITEMS["short"]], "published")
    created = teacher.post("/teach/classes/new", data={"name": "Year 10"})
    class_id = int(re.search(r"/teach/classes/(\d+)", created.headers["Location"]).group(1))
    from models import Assignment, SchoolClass

    with app.app_context():
        code = db.session.get(SchoolClass, class_id).join_code
    assert pupil.post("/classes/", data={"code": code}).status_code == 302
    assigned = teacher.post(
        f"/teach/classes/{class_id}/assignments/new",
        data={"set_id": set_id, "opens_at": "2026-03-01T08:00", "feedback_mode": "end"},
    )
    assert assigned.status_code == 302
    with app.app_context():
        assignment_id = db.session.scalar(select(Assignment.id))
    attempt_id = attempt_from(pupil.post(f"/classes/assignments/{assignment_id}/start"))
    assert "/discard" not in pupil.get("/quiz/").get_data(as_text=True)
    refused = pupil.post(f"/quiz/attempts/{attempt_id}/discard", follow_redirects=True)
    assert "Only an open practice quiz can be discarded" in refused.get_data(as_text=True)
    assert attempts(app) == 1
