"""Review options meet marking by hand: an essay's mark and "awaiting grading" tell of the
score, so they wait with the score category; a teacher's comment is feedback on the answer,
so it waits with the per-option feedback category; the gradebook keeps each assignment's
grading method while attempts wait for a mark."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from models import Assignment, Attempt, db
from tests.web.release_support import ITEMS, build_school
from tests.web.teach_support import text_of

ESSAY = {
    "type": "essay",
    "prompt": "Why did the armistice hold?",
    "data": {"max_points": 5},
    "topics": [],
}
TRUE_FALSE = {
    "type": "truefalse",
    "prompt": "The armistice was signed in 1953.",
    "data": {"answer": True},
    "topics": [],
}
PAST_DUE = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)  # the class's due date is 9 March, 17:00


def _assignment_id(app) -> int:
    with app.app_context():
        return db.session.scalar(select(Assignment.id))


def _positions(app, attempt_id: int) -> dict[str, int]:
    with app.app_context():
        items = db.session.get(Attempt, attempt_id).items
        return {item.snapshot["type"]: item.position for item in items}


def _write_and_submit(school, name: str, assignment_id: int) -> int:
    """The essay in the student's words and the statement true, then submit."""
    attempt_id = school.start(name, assignment_id)
    for kind, position in _positions(school.app, attempt_id).items():
        answer = "true" if kind == "truefalse" else f"{name} argues it held."
        saved = school.students[name].post(
            f"/quiz/attempts/{attempt_id}/items/{position}", data={"answer": answer}
        )
        assert saved.status_code == 302
    school.submit(name, attempt_id)
    return attempt_id


def _mark(school, attempt_id: int, position: int, points: str, comment: str) -> None:
    response = school.teacher.post(
        f"/teach/attempts/{attempt_id}/items/{position}/mark",
        data={f"q{position}-points": points, f"q{position}-comment": comment},
    )
    assert response.status_code == 302


def _result(school, name: str, attempt_id: int) -> str:
    page = school.students[name].get(f"/quiz/attempts/{attempt_id}/result")
    assert page.status_code == 200
    return text_of(page.get_data(as_text=True))


def _history(school, name: str) -> str:
    return text_of(school.students[name].get("/quiz/history").get_data(as_text=True))


def _progress(school, name: str) -> str:
    return text_of(school.students[name].get("/progress/").get_data(as_text=True))


@pytest.fixture
def essay_school(app, login_as):
    return build_school(app, login_as, items=[ESSAY, TRUE_FALSE])


def test_essay_marks_and_awaiting_grading_wait_with_the_score(app, essay_school):
    school = essay_school
    held_until_due = {"review_score": "after_due"} | {
        f"review_{name}": "submitted" for name in ("answers", "explanations", "feedback")
    }
    assert school.assign(**held_until_due).status_code == 302
    assignment_id = _assignment_id(app)
    ana = _write_and_submit(school, "ana", assignment_id)
    ben = _write_and_submit(school, "ben", assignment_id)

    # Before the due date nothing tells of the score: not even that a mark is awaited.
    for name, attempt_id in (("ana", ana), ("ben", ben)):
        result = _result(school, name, attempt_id)
        assert "awaiting grading" not in result.lower()
        assert "Marked so far" not in result and "Score:" not in result
        history = _history(school, name)
        assert "Not shown yet" in history and "Awaiting grading" not in history

    essay = _positions(app, ana)["essay"]
    _mark(school, ana, essay, "4", "Well argued, one date missing.")
    result = _result(school, "ana", ana)
    # The comment is feedback (shown after submitting); the mark is the score's (held).
    assert "Your teacher's comment Well argued, one date missing." in result
    assert "Score:" not in result and "80%" not in result and "Partly right" not in result
    assert "90%" not in _history(school, "ana") and "90%" not in _progress(school, "ana")

    school.clock["now"] = PAST_DUE
    result = _result(school, "ana", ana)
    assert "Score:" in result and "(90%)" in result and "Partly right (80%)" in result
    assert "90%" in _history(school, "ana") and "90%" in _progress(school, "ana")
    # ben's essay still waits for its mark: now that scores show, so does the wait.
    assert "1 awaiting grading" in _result(school, "ben", ben)
    assert "Awaiting grading" in _history(school, "ben")


@pytest.fixture
def school(app, login_as):
    return build_school(app, login_as, items=ITEMS)


def test_a_teachers_comment_waits_with_the_per_option_feedback(app, school):
    until_release = {f"review_{name}": "submitted" for name in ("score", "answers", "explanations")}
    assert school.assign(**until_release, review_feedback="released").status_code == 302
    assignment_id = _assignment_id(app)
    ana = school.start("ana", assignment_id)
    school.answer_right("ana", ana)
    school.submit("ana", ana)
    _mark(school, ana, 1, "1", "Seen, and well put.")

    def comment_shown() -> tuple[bool, bool]:
        exported = school.students["ana"].get("/account/export.json").get_json()
        (attempt,) = exported["attempts"]
        on_page = "Your teacher's comment Seen, and well put." in _result(school, "ana", ana)
        return on_page, any("teacher_comment" in item for item in attempt["items"])

    assert "Score:" in _result(school, "ana", ana)  # the score is not held: only the comment
    assert comment_shown() == (False, False)
    assert school.teacher.post(f"/teach/assignments/{assignment_id}/release").status_code == 302
    assert comment_shown() == (True, True)


def test_the_gradebook_counts_by_the_assignments_method_past_an_attempt_awaiting_a_mark(
    app, essay_school
):
    school = essay_school
    assert school.assign(attempt_limit="2", grade_method="last").status_code == 302
    assignment_id = _assignment_id(app)
    first = _write_and_submit(school, "ana", assignment_id)
    _mark(school, first, _positions(app, first)["essay"], "3", "")  # (3/5 + 1) / 2 = 80%
    school.clock["now"] = school.clock["now"].replace(hour=10)  # handed in an hour later
    second = _write_and_submit(school, "ana", assignment_id)  # its essay awaits a mark

    with app.app_context():
        class_id = db.session.get(Assignment, assignment_id).class_id
    page = school.teacher.get(f"/teach/classes/{class_id}/gradebook").get_data(as_text=True)
    # The last attempt with a score counts; the one awaiting a mark is flagged, not a 0.
    assert "counts: last" in page
    cell = re.search(r'<th scope="row">ana</th>\s*<td>(.*?)</td>', page, re.S).group(1)
    assert f'/teach/attempts/{first}"' in cell and ">80%</a>" in cell
    assert "awaiting grading" in cell and "2 attempts" in cell
    assert f"/teach/attempts/{second}" not in cell

    _mark(school, second, _positions(app, second)["essay"], "5", "")
    page = school.teacher.get(f"/teach/classes/{class_id}/gradebook").get_data(as_text=True)
    cell = re.search(r'<th scope="row">ana</th>\s*<td>(.*?)</td>', page, re.S).group(1)
    assert f'/teach/attempts/{second}"' in cell and ">100%</a>" in cell
    assert "awaiting grading" not in cell


def _home(school, name: str) -> str:
    return school.students[name].get("/").get_data(as_text=True)


def test_the_home_page_shows_an_attempt_awaiting_a_mark_as_submitted_not_to_do(app, essay_school):
    school = essay_school
    assert school.assign().status_code == 302  # scores show once answered, attempts unlimited
    assignment_id = _assignment_id(app)
    assert 'aria-label="Start Week 1"' in _home(school, "ana")  # to do

    ana = _write_and_submit(school, "ana", assignment_id)  # the essay waits for its mark
    home = _home(school, "ana")
    assert "Your assignments" in home and "Submitted, awaiting grading" in text_of(home)
    # Handed in: the home page offers nothing to do on it (the classes page still offers
    # another attempt, which the assignment allows).
    assert "Try again" not in home and "/start" not in home
    mine = school.students["ana"].get("/classes/").get_data(as_text=True)
    assert "Submitted, awaiting grading" in text_of(mine) and "Try again: Week 1" in mine
    # ben has handed in nothing: still to do for him.
    assert 'aria-label="Start Week 1"' in _home(school, "ben")

    _mark(school, ana, _positions(app, ana)["essay"], "5", "")
    home = _home(school, "ana")  # marked: done, as any graded attempt
    assert "Your assignments" not in home and "awaiting grading" not in home


def test_the_home_page_keeps_a_held_back_wait_for_a_mark_as_quiet_as_a_score(app, essay_school):
    school = essay_school
    assert school.assign(review_score="after_due").status_code == 302
    assignment_id = _assignment_id(app)
    _write_and_submit(school, "ana", assignment_id)
    # The wait would tell of the score: handed in, the assignment leaves the home page as a
    # marked one does, and the classes page says only that the score is not shown yet.
    home = _home(school, "ana")
    assert "Your assignments" not in home and "awaiting grading" not in home.lower()
    mine = text_of(school.students["ana"].get("/classes/").get_data(as_text=True))
    assert "score not shown yet" in mine and "awaiting grading" not in mine.lower()
