"""An assignment after it is given: edited (dates, limits, review options) with clear
messages and without losing attempts; one student's later due date and extra time, shown
on the assignment's page and applied when they start, by the timer and on the result."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from models import Assignment, Attempt, SchoolClass, SetStatus, User, db
from quizzes.classes import services as class_services
from quizzes.domain.assignments import draw_seed
from quizzes.domain.review import ReviewTiming
from tests.web.release_support import NOW, build_school
from tests.web.teach_support import (
    SAMPLE_ITEMS,
    error_for,
    filled_form,
    make_set,
    text_of,
    user_id,
)


@pytest.fixture
def school(app, login_as):
    return build_school(app, login_as)


def the_assignment(app) -> Assignment:
    with app.app_context():
        assignment = db.session.scalar(select(Assignment))
        db.session.expunge(assignment)
        return assignment


def selected(page: str) -> dict[str, str]:
    """Name -> the selected option of every <select> (filled_form reads inputs only)."""
    chosen = {}
    for name, options in re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', page, re.S):
        match = re.search(r'<option selected value="([^"]*)"', options) or re.search(
            r'<option value="([^"]*)" selected', options
        )
        chosen[name] = match.group(1) if match else ""
    return chosen


def edit_form(school, assignment_id: int) -> dict[str, str]:
    page = school.teacher.get(f"/teach/assignments/{assignment_id}/edit")
    assert page.status_code == 200
    return filled_form(page.text) | selected(page.text)


def test_the_edit_page_shows_what_is_set_and_saves_changes(app, school):
    school.assign(attempt_limit="2", time_limit_minutes="20", review_answers="after_due")
    assignment_id = the_assignment(app).id
    form = edit_form(school, assignment_id)
    assert form["opens_at"] == "2026-03-02T08:00" and form["due_at"] == "2026-03-09T17:00"
    assert (form["attempt_limit"], form["time_limit_minutes"]) == ("2", "20")
    assert form["review_answers"] == "after_due" and form["review_score"] == "answered"
    form |= {
        "due_at": "2026-03-16T17:00",
        "attempt_limit": "3",
        "time_limit_minutes": "45",
        "review_answers": "released",
    }
    saved = school.teacher.post(f"/teach/assignments/{assignment_id}/edit", data=form)
    assert saved.status_code == 302
    assignment = the_assignment(app)
    assert assignment.due_at == datetime(2026, 3, 16, 17, 0, tzinfo=UTC)
    assert (assignment.attempt_limit, assignment.time_limit_minutes) == (3, 45)
    assert assignment.review_answers is ReviewTiming.RELEASED
    detail = text_of(school.teacher.get(f"/teach/classes/{school.class_id}").text)
    assert "Saved “Week 1”." in detail
    assert "right answers when I release them" in detail
    assert "Release now" in detail


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        (
            {"due_at": "2026-03-01T08:00"},
            "due_at",
            "The due date must come after the opening time.",
        ),
        ({"opens_at": ""}, "opens_at", "Give the date and time it opens."),
        ({"attempt_limit": "0"}, "attempt_limit", "Allow from 1 to 100 attempts."),
        (
            {"time_limit_minutes": "٣٠٠٠"},
            "time_limit_minutes",
            "A time limit is from 1 to 600 minutes.",
        ),
        ({"time_limit_minutes": "99999999999999999999"}, "time_limit_minutes", None),
        (
            {"due_at": "", "review_score": "after_due"},
            "review_score",
            "“After the due date” needs a due date: give one, or choose another time to show them.",
        ),
    ],
)
def test_bad_edits_say_why_and_change_nothing(app, school, change, field, message):
    school.assign(time_limit_minutes="20")
    assignment_id = the_assignment(app).id
    form = edit_form(school, assignment_id) | change
    response = school.teacher.post(f"/teach/assignments/{assignment_id}/edit", data=form)
    assert response.status_code == 422
    error = error_for(response.text, field)
    assert error.startswith("Error: ") and (message is None or error == f"Error: {message}")
    assignment = the_assignment(app)
    assert assignment.due_at == datetime(2026, 3, 9, 17, 0, tzinfo=UTC)
    assert assignment.time_limit_minutes == 20 and assignment.attempt_limit is None


def test_editing_keeps_every_attempt_and_a_later_due_date_reopens_it(app, school):
    school.assign(due_at="2026-03-03T17:00", attempt_limit="1")
    assignment_id = the_assignment(app).id
    attempt_id = school.start("ana", assignment_id)
    school.answer_right("ana", attempt_id)
    school.submit("ana", attempt_id)
    school.clock["now"] = datetime(2026, 3, 4, 9, 0, tzinfo=UTC)
    closed = text_of(school.students["ben"].get("/classes/").text)
    assert "This assignment is past its due date." in closed
    form = edit_form(school, assignment_id) | {"due_at": "2026-03-06T17:00"}
    assert (
        school.teacher.post(f"/teach/assignments/{assignment_id}/edit", data=form).status_code
        == 302
    )
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        assert (
            attempt.is_submitted and attempt.score == 1.0 and attempt.assignment_id == assignment_id
        )
    reopened = text_of(school.students["ben"].get("/classes/").text)
    assert "past its due date" not in reopened and "Due 6 Mar 2026, 17:00 UTC" in reopened
    # ana used her one attempt: a second one is still not offered.
    assert "You have used the one attempt this assignment allows." in text_of(
        school.students["ana"].get("/classes/").text
    )


def test_an_extension_lets_one_student_start_after_the_class_due_date(app, school):
    school.assign(due_at="2026-03-03T17:00")
    assignment_id = the_assignment(app).id
    given = school.teacher.post(
        f"/teach/assignments/{assignment_id}/extensions",
        data={"student_id": user_id(app, "ben"), "due_at": "2026-03-05T17:00"},
    )
    assert given.status_code == 302
    page = text_of(school.teacher.get(f"/teach/assignments/{assignment_id}/extensions").text)
    assert "Saved the extension for ben." in page
    assert "ben 5 Mar 2026, 17:00 UTC (extended) untimed" in page
    assert "1 extension" in text_of(school.teacher.get(f"/teach/classes/{school.class_id}").text)

    school.clock["now"] = datetime(2026, 3, 4, 9, 0, tzinfo=UTC)
    assert "past its due date" in text_of(school.students["ana"].get("/classes/").text)
    refused = school.students["ana"].post(f"/classes/assignments/{assignment_id}/start")
    assert refused.status_code == 302 and "/quiz/attempts/" not in refused.headers["Location"]
    bens = text_of(school.students["ben"].get("/classes/").text)
    assert "Due 5 Mar 2026, 17:00 UTC" in bens and "past its due date" not in bens
    attempt_id = school.start("ben", assignment_id)
    school.answer_right("ben", attempt_id)
    school.submit("ben", attempt_id)
    result = text_of(school.students["ben"].get(f"/quiz/attempts/{attempt_id}/result").text)
    assert "Late" not in result  # on time by his own due date

    removed = school.teacher.post(
        f"/teach/assignments/{assignment_id}/extensions/{user_id(app, 'ben')}/remove"
    )
    assert removed.status_code == 302
    with app.app_context():
        assert db.session.get(Assignment, assignment_id).extensions == []


def test_extra_time_lengthens_the_timer_for_that_student_only(app, school):
    school.assign(time_limit_minutes="20", due_at="2026-03-09T17:00")
    assignment_id = the_assignment(app).id
    school.teacher.post(
        f"/teach/assignments/{assignment_id}/extensions",
        data={"student_id": user_id(app, "ben"), "extra_minutes": "10"},
    )
    assert "The 30-minute timer" in text_of(school.students["ben"].get("/classes/").text)
    assert "The 20-minute timer" in text_of(school.students["ana"].get("/classes/").text)
    anas = school.start("ana", assignment_id)
    bens = school.start("ben", assignment_id)
    with app.app_context():
        assert db.session.get(Attempt, anas).deadline == NOW + timedelta(minutes=20)
        assert db.session.get(Attempt, bens).deadline == NOW + timedelta(minutes=30)
    # At 25 minutes ana's quiz has closed and ben's is still open.
    school.clock["now"] = NOW + timedelta(minutes=25)
    assert "/result" in school.students["ana"].get(f"/quiz/attempts/{anas}").headers["Location"]
    assert "/items/" in school.students["ben"].get(f"/quiz/attempts/{bens}").headers["Location"]


def test_extra_time_given_during_an_attempt_reaches_the_open_attempt(app, school):
    school.assign(time_limit_minutes="20")
    assignment_id = the_assignment(app).id
    attempt_id = school.start("ben", assignment_id)
    school.clock["now"] = NOW + timedelta(minutes=5)
    school.teacher.post(
        f"/teach/assignments/{assignment_id}/extensions",
        data={"student_id": user_id(app, "ben"), "extra_minutes": "15"},
    )
    with app.app_context():
        assert db.session.get(Attempt, attempt_id).deadline == NOW + timedelta(minutes=35)
    school.clock["now"] = NOW + timedelta(minutes=30)
    assert (
        "/items/" in school.students["ben"].get(f"/quiz/attempts/{attempt_id}").headers["Location"]
    )


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({}, "Give a later due date, extra minutes, or both."),
        ({"due_at": "2026-03-08T17:00"}, "A later due date must come after the class's due date."),
        ({"extra_minutes": "5"}, "This assignment is untimed, so extra time adds nothing"),
        ({"extra_minutes": "0"}, "Extra time is from 1 to 600 minutes."),
        ({"extra_minutes": "١٠"}, None),
    ],
)
def test_bad_extensions_say_why_and_change_nothing(app, school, fields, message):
    school.assign()
    assignment_id = the_assignment(app).id
    response = school.teacher.post(
        f"/teach/assignments/{assignment_id}/extensions",
        data={"student_id": user_id(app, "ben"), **fields},
    )
    assert response.status_code == 422
    errors = text_of(response.text)
    assert "Error:" in errors and (message is None or message in errors)
    with app.app_context():
        assert db.session.get(Assignment, assignment_id).extensions == []


def test_only_a_student_of_the_class_can_be_given_an_extension(app, school, login_as):
    login_as("stranger")
    school.assign(time_limit_minutes="20")
    assignment_id = the_assignment(app).id
    response = school.teacher.post(
        f"/teach/assignments/{assignment_id}/extensions",
        data={"student_id": user_id(app, "stranger"), "extra_minutes": "5"},
    )
    assert response.status_code == 422
    assert "Choose a student of this class." in text_of(response.text)


def prompts_of(app, attempt_id: int) -> list[str]:
    with app.app_context():
        return [item.snapshot["prompt"] for item in db.session.get(Attempt, attempt_id).items]


def test_k_of_n_draws_per_student_and_keeps_the_draw_for_resume_and_review(app, school, login_as):
    items = [
        SAMPLE_ITEMS["truefalse"]
        | {"prompt": f"Statement number {n} is true.", "data": {"answer": True}}
        for n in range(8)
    ]
    school.set_id = make_set(app, "teacher1", title="Pool", items=items, status=SetStatus.PUBLISHED)
    school.assign(draw_count="3", attempt_limit="2")
    assignment_id = the_assignment(app).id
    assert "3 drawn per student" in text_of(
        school.teacher.get(f"/teach/classes/{school.class_id}").text
    )

    first = school.start("ana", assignment_id)
    drawn = prompts_of(app, first)
    assert len(drawn) == 3 and len(set(drawn)) == 3
    # Resume, the item pages and the result show the same three, in the same order.
    assert school.start("ana", assignment_id) == first
    for position, prompt in enumerate(drawn, start=1):
        page = school.students["ana"].get(f"/quiz/attempts/{first}/items/{position}").text
        assert prompt in page
    assert school.students["ana"].get(f"/quiz/attempts/{first}/items/4").status_code == 404
    school.submit("ana", first)
    result = school.students["ana"].get(f"/quiz/attempts/{first}/result").text
    assert all(prompt in result for prompt in drawn) and "Score:" in text_of(result)
    assert "0 of 3" in text_of(result)
    # Another attempt and other students draw again (8 choose 3 = 56 ways).
    draws = {tuple(sorted(drawn))}
    draws.add(tuple(sorted(prompts_of(app, school.start("ana", assignment_id)))))
    draws.add(tuple(sorted(prompts_of(app, school.start("ben", assignment_id)))))
    for name in ("cy", "di", "ed"):
        school.students[name] = login_as(name)
        with app.app_context():
            code = db.session.get(SchoolClass, school.class_id).join_code
            class_services.join_class(db.session.get(User, user_id(app, name)), code)
            db.session.commit()
        draws.add(tuple(sorted(prompts_of(app, school.start(name, assignment_id)))))
    assert len(draws) > 1


def test_the_draw_seed_is_stable_and_differs_per_student_and_attempt():
    seed = draw_seed("secret", "assignment:1", 7, 1)
    assert seed == draw_seed("secret", "assignment:1", 7, 1)
    others = {
        draw_seed("secret", "assignment:1", 8, 1),
        draw_seed("secret", "assignment:1", 7, 2),
        draw_seed("secret", "assignment:2", 7, 1),
        draw_seed("other secret", "assignment:1", 7, 1),
    }
    assert seed not in others and len(others) == 4


@pytest.mark.parametrize(
    ("method", "counted"),
    [("best", "100%"), ("last", "0%"), ("first", "100%"), ("average", "50%")],
)
def test_which_attempt_counts_for_the_student_and_in_the_gradebook(app, school, method, counted):
    school.assign(attempt_limit="2", grade_method=method)
    assignment_id = the_assignment(app).id
    first = school.start("ana", assignment_id)
    school.answer_right("ana", first)
    school.submit("ana", first)
    school.clock["now"] = NOW + timedelta(hours=1)
    school.submit("ana", school.start("ana", assignment_id))  # blank: 0%

    mine = text_of(school.students["ana"].get("/classes/").text)
    assert f"2 of 2 attempts used · {method} {counted}" in mine
    assert "You have used all 2 attempts of this assignment." in mine
    assert "Try again" not in mine
    refused = school.students["ana"].post(f"/classes/assignments/{assignment_id}/start")
    assert "/quiz/attempts/" not in refused.headers["Location"]

    book = text_of(school.teacher.get(f"/teach/classes/{school.class_id}/gradebook").text)
    assert f"ana {counted} 2 attempts" in book
    assert f"counts: {method}" in book
    # The teacher can still look through another method.
    best = text_of(school.teacher.get(f"/teach/classes/{school.class_id}/gradebook?use=best").text)
    assert "Scores of the best submitted attempt." in best and "ana 100% 2 attempts" in best


def test_a_single_attempt_is_not_offered_again(app, school):
    school.assign(attempt_limit="1")
    assignment_id = the_assignment(app).id
    school.submit("ana", school.start("ana", assignment_id))
    mine = text_of(school.students["ana"].get("/classes/").text)
    assert "You have used the one attempt this assignment allows." in mine
    assert "Try again" not in mine and "counts" not in mine


def test_the_gradebook_measures_lateness_by_the_students_own_due_date(app, school):
    school.assign(due_at="2026-03-03T17:00")
    assignment_id = the_assignment(app).id
    school.teacher.post(
        f"/teach/assignments/{assignment_id}/extensions",
        data={"student_id": user_id(app, "ben"), "due_at": "2026-03-05T17:00"},
    )
    anas, bens = school.start("ana", assignment_id), school.start("ben", assignment_id)
    school.clock["now"] = datetime(2026, 3, 4, 12, 0, tzinfo=UTC)  # between the two dates
    school.submit("ana", anas)
    school.submit("ben", bens)
    book = text_of(school.teacher.get(f"/teach/classes/{school.class_id}/gradebook").text)
    assert "ana 0% late 1 attempt" in book and "ben 0% 1 attempt" in book
    assert "Late" in text_of(school.students["ana"].get(f"/quiz/attempts/{anas}/result").text)
    assert "Late" not in text_of(school.students["ben"].get(f"/quiz/attempts/{bens}/result").text)
