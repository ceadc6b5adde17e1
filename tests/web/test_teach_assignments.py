"""Assignments end to end: a teacher gives a published set to a class, students see it on
their home page, take it through the quiz pages, and the teacher reads the gradebook
(best or last attempt, CSV) and the item analysis."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from models import Assignment, Attempt, Item, QuestionSet, SetStatus, User, db
from quizzes.classes import services as class_services
from quizzes.teach import services as teach_services
from tests.web.at_once import at_once
from tests.web.teach_support import (
    SAMPLE_ITEMS,
    error_for,
    filled_form,
    make_set,
    text_of,
    user_id,
)

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
ITEMS = [
    SAMPLE_ITEMS["truefalse"],
    SAMPLE_ITEMS["single"],
    SAMPLE_ITEMS["truefalse"]
    | {"prompt": "The armistice was signed in 1953.", "data": {"answer": True}},
]


@pytest.fixture
def clock(app):
    moment = {"now": NOW}
    app.config["QUIZDECK_NOW"] = lambda: moment["now"]
    return moment


@pytest.fixture
def school(app, login_as, clock):
    """teacher1 with a published set and a class holding ana and ben."""
    teacher = login_as("teacher1", "teacher")
    students = {name: login_as(name) for name in ("ana", "ben")}
    set_id = make_set(app, "teacher1", title="Week 1", items=ITEMS, status=SetStatus.PUBLISHED)
    with app.app_context():
        school_class = class_services.create_class(
            db.session.get(User, user_id(app, "teacher1")), "Year 10"
        )
        for name in students:
            class_services.join_class(
                db.session.get(User, user_id(app, name)), school_class.join_code
            )
        db.session.commit()
        class_id = school_class.id
    return teacher, students, set_id, class_id


def assign(teacher, class_id, set_id, **fields):
    data = {
        "set_id": set_id,
        "opens_at": "2026-03-02T08:00",
        "due_at": "2026-03-09T17:00",
        "attempt_limit": "",
        "time_limit_minutes": "",
        "feedback_mode": "end",
    } | fields
    return teacher.post(f"/teach/classes/{class_id}/assignments/new", data=data)


def only_assignment(app) -> Assignment:
    with app.app_context():
        assignment = db.session.scalar(select(Assignment))
        db.session.expunge(assignment)
        return assignment


TF1, SINGLE, TF2 = (item["prompt"] for item in ITEMS)


def take(app, client, assignment_id: int, right: set[str]) -> int:
    """Start the assignment, answer the items with these prompts right and the others
    wrong, submit; the attempt id. (Positions are shuffled per attempt.)"""
    response = client.post(f"/classes/assignments/{assignment_id}/start")
    assert response.status_code == 302, text_of(response.data.decode())[:500]
    attempt_id = int(re.search(r"/quiz/attempts/(\d+)", response.headers["Location"]).group(1))
    with app.app_context():
        items = db.session.get(Attempt, attempt_id).items
        answers = []
        for item in items:
            snap = item.snapshot
            good = snap["prompt"] in right
            if snap["type"] == "truefalse":
                value = snap["key"]["answer"] if good else not snap["key"]["answer"]
                answers.append({"answer": "true" if value else "false"})
            else:
                correct = snap["key"]["correct"]
                answers.append({"answer": str(correct if good else (correct + 1) % 3)})
    for position, answer in enumerate(answers, start=1):
        saved = client.post(f"/quiz/attempts/{attempt_id}/items/{position}", data=answer)
        assert saved.status_code == 302
    assert client.post(f"/quiz/attempts/{attempt_id}/submit").status_code == 302
    return attempt_id


def test_teacher_assigns_a_published_set_in_their_time_zone(app, school):
    teacher, _, set_id, class_id = school
    with app.app_context():
        db.session.get(User, user_id(app, "teacher1")).timezone = "Asia/Seoul"
        db.session.commit()
    page = teacher.get(f"/teach/classes/{class_id}/assignments/new").data.decode()
    assert 'value="2026-03-02T18:00"' in page  # now, in Seoul
    assert "Times are in your time zone, Asia/Seoul." in text_of(page)
    response = assign(
        teacher,
        class_id,
        set_id,
        attempt_limit="2",
        time_limit_minutes="30",
        feedback_mode="immediate",
    )
    assert response.status_code == 302
    assignment = only_assignment(app)
    assert assignment.opens_at == datetime(2026, 3, 1, 23, 0, tzinfo=UTC)
    assert assignment.due_at == datetime(2026, 3, 9, 8, 0, tzinfo=UTC)
    assert (assignment.attempt_limit, assignment.time_limit_minutes) == (2, 30)
    assert assignment.feedback_mode.value == "immediate"
    detail = text_of(teacher.get(f"/teach/classes/{class_id}").data.decode())
    assert "Assigned “Week 1” to Year 10." in detail
    assert "2 attempts; 30 min; answers after each question" in detail


def test_assignment_form_mistakes(app, school):
    teacher, _, set_id, class_id = school
    page = assign(teacher, class_id, set_id, due_at="2026-03-01T08:00").data.decode()
    assert error_for(page, "due_at") == "Error: The due date must come after the opening time."
    page = assign(teacher, class_id, set_id, opens_at="").data.decode()
    assert error_for(page, "opens_at") == "Error: Give the date and time it opens."
    page = assign(teacher, class_id, set_id, attempt_limit="0").data.decode()
    assert error_for(page, "attempt_limit") == "Error: Allow from 1 to 100 attempts."
    draft = make_set(app, "teacher1", title="Draft", items=ITEMS)
    page = assign(teacher, class_id, draft).data.decode()
    assert error_for(page, "set_id") == "Error: Publish the set before assigning it."
    with app.app_context():
        assert db.session.scalar(select(Assignment)) is None


def test_students_see_it_take_it_and_the_gradebook_counts_it(app, school, clock):
    teacher, students, set_id, class_id = school
    assign(teacher, class_id, set_id)
    assignment = only_assignment(app)

    home = text_of(students["ana"].get("/").data.decode())
    assert "Your assignments" in home and "Week 1" in home and "Due 9 Mar 2026, 17:00 UTC" in home
    mine = text_of(students["ana"].get("/classes/").data.decode())
    assert "Year 10" in mine and "0 attempts so far" in mine

    first = take(app, students["ana"], assignment.id, right={TF1})
    with app.app_context():
        attempt = db.session.get(Attempt, first)
        assert attempt.assignment_id == assignment.id and len(attempt.items) == 3
        assert attempt.feedback_mode.value == "end" and attempt.deadline is None
    clock["now"] = NOW + timedelta(hours=1)
    take(app, students["ana"], assignment.id, right={TF1, SINGLE, TF2})
    clock["now"] = NOW + timedelta(hours=2)
    take(app, students["ana"], assignment.id, right={TF1, SINGLE})
    # Done: the home page no longer lists it; the classes page says how it went.
    assert "Your assignments" not in text_of(students["ana"].get("/").data.decode())
    assert "3 attempts so far · best 100%" in text_of(
        students["ana"].get("/classes/").data.decode()
    )

    best = text_of(teacher.get(f"/teach/classes/{class_id}/gradebook").data.decode())
    assert "ana 100% 3 attempts" in best and "ben — 100%" not in best
    last = text_of(teacher.get(f"/teach/classes/{class_id}/gradebook?use=last").data.decode())
    assert "ana 67% 3 attempts" in last

    download = teacher.get(f"/teach/classes/{class_id}/gradebook.csv?use=last")
    assert download.headers["Content-Disposition"] == (
        'attachment; filename="year-10-gradebook-last.csv"'
    )
    rows = list(csv.reader(io.StringIO(download.data.decode("utf-8-sig"))))
    assert rows == [
        ["student", "Week 1 (%)", "Week 1 (attempts)", "Week 1 (late)", "average (%)"],
        ["ana", "66.7", "3", "", "66.7"],
        ["ben", "", "0", "", ""],
    ]


def test_starting_again_resumes_the_open_attempt(app, school):
    teacher, students, set_id, class_id = school
    assign(teacher, class_id, set_id, attempt_limit="1")
    assignment = only_assignment(app)
    first = students["ben"].post(f"/classes/assignments/{assignment.id}/start")
    again = students["ben"].post(f"/classes/assignments/{assignment.id}/start")
    assert first.headers["Location"] == again.headers["Location"]
    mine = text_of(students["ben"].get("/classes/").data.decode())
    assert "Resume" in mine


def test_two_presses_of_start_at_the_same_moment_make_one_attempt(app, school):
    """Both requests check for an open attempt before either wrote one (threads on one
    app): the nth attempt's start token lets only one of them start it."""
    teacher, students, set_id, class_id = school
    assign(teacher, class_id, set_id, attempt_limit="1")
    assignment = only_assignment(app)
    locations = at_once(
        app,
        students["ben"].get_cookie("session").value,
        lambda client: client.post(f"/classes/assignments/{assignment.id}/start").location,
    )
    with app.app_context():
        started = db.session.scalars(
            select(Attempt.id).where(Attempt.assignment_id == assignment.id)
        ).all()
    assert len(started) == 1
    assert locations == [f"/quiz/attempts/{started[0]}"] * 2


def test_attempt_limit_and_dates_refuse_with_reasons(app, school, clock):
    teacher, students, set_id, class_id = school
    assign(teacher, class_id, set_id, attempt_limit="1", opens_at="2026-03-03T08:00")
    assignment = only_assignment(app)
    url = f"/classes/assignments/{assignment.id}/start"

    response = students["ana"].post(url, follow_redirects=True)
    assert "This assignment has not opened yet." in text_of(response.data.decode())
    clock["now"] = NOW + timedelta(days=1)
    take(app, students["ana"], assignment.id, right={TF1})
    response = students["ana"].post(url, follow_redirects=True)
    used = "You have used the one attempt this assignment allows."
    assert used in text_of(response.data.decode())
    clock["now"] = NOW + timedelta(days=8)
    response = students["ben"].post(url, follow_redirects=True)
    assert "This assignment is past its due date." in text_of(response.data.decode())
    with app.app_context():
        assert db.session.scalar(select(db.func.count(Attempt.id))) == 1


def test_timed_attempts_end_at_the_limit_or_the_due_date(app, school, clock):
    teacher, students, set_id, class_id = school
    assign(teacher, class_id, set_id, time_limit_minutes="20")
    assignment = only_assignment(app)
    mine = text_of(students["ana"].get("/classes/").data.decode())
    assert "Start The 20-minute timer starts when you press it." in mine
    clock["now"] = datetime(2026, 3, 9, 16, 50, tzinfo=UTC)  # ten minutes before it is due
    response = students["ana"].post(f"/classes/assignments/{assignment.id}/start")
    attempt_id = int(re.search(r"/quiz/attempts/(\d+)", response.headers["Location"]).group(1))
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        assert attempt.deadline == datetime(2026, 3, 9, 17, 0, tzinfo=UTC)
        assert attempt.late_policy.value == "close"


def test_late_work_is_marked_late(app, school, clock):
    teacher, students, set_id, class_id = school
    assign(teacher, class_id, set_id)
    assignment = only_assignment(app)
    clock["now"] = datetime(2026, 3, 9, 16, 59, tzinfo=UTC)
    response = students["ana"].post(f"/classes/assignments/{assignment.id}/start")
    attempt_id = int(re.search(r"/quiz/attempts/(\d+)", response.headers["Location"]).group(1))
    clock["now"] = datetime(2026, 3, 9, 17, 30, tzinfo=UTC)
    students["ana"].post(f"/quiz/attempts/{attempt_id}/submit")
    book = text_of(teacher.get(f"/teach/classes/{class_id}/gradebook").data.decode())
    assert "ana 0% late 1 attempt" in book
    # The student is told the same, in the same word, and led back to the class.
    page = students["ana"].get(f"/quiz/attempts/{attempt_id}/result").data.decode()
    assert '<a class="button" href="/classes/">Back to my classes</a>' in page
    result = text_of(page)
    assert "Late: Handed in after the due date (9 Mar 2026, 17:00 UTC)" in result
    history = text_of(students["ana"].get("/quiz/history").data.decode())
    assert "Review the attempt of 9 Mar 2026, 16:59 UTC Late" in history


def test_only_enrolled_students_can_start(app, school, login_as):
    teacher, _, set_id, class_id = school
    assign(teacher, class_id, set_id)
    assignment = only_assignment(app)
    outsider = login_as("carl")
    assert outsider.post(f"/classes/assignments/{assignment.id}/start").status_code == 404
    assert teacher.post(f"/classes/assignments/{assignment.id}/start").status_code == 404
    assert outsider.post("/classes/assignments/999/start").status_code == 404


def test_item_analysis_page(app, school, clock, login_as):
    teacher, students, set_id, class_id = school
    assign(teacher, class_id, set_id)
    assignment = only_assignment(app)
    for name in ("cat", "dan", "eve"):
        client = login_as(name)
        code = re.search(
            r'<p class="join-code-big"><code>([A-Z0-9-]+)</code>',
            teacher.get(f"/teach/classes/{class_id}").data.decode(),
        ).group(1)
        client.post("/classes/", data={"code": code})
        students[name] = client
    # Everyone gets the first statement right; the single-choice item splits them.
    for name, right in [
        ("ana", {TF1, SINGLE, TF2}),
        ("ben", {TF1, SINGLE}),
        ("cat", {TF1}),
        ("dan", {TF1, TF2}),
        ("eve", {TF1, SINGLE, TF2}),
    ]:
        take(app, students[name], assignment.id, right=right)
    page = teacher.get(f"/teach/assignments/{assignment.id}/analysis").data.decode()
    text = text_of(page)
    assert "From each student's first submitted attempt (5 students)." in text
    sections = re.findall(r'<section class="card analysis-item".*?</section>', page, re.S)
    first, single, second = (text_of(section) for section in sections)
    assert first.startswith("1. North Korea accepted every UPR recommendation.")
    assert "Facility 100%" in first and "Discrimination —" in first
    assert "Very easy: the average score was 100%." in first
    assert "Nobody chose “True”: it does not distract anyone." in first
    # Single choice: right for ana, ben, eve; cat and dan picked the same wrong option.
    assert single.startswith("2. Which post did Tae Yong-ho hold when he defected?")
    assert "Attempts 5 Facility 60%" in single
    assert "Deputy ambassador in London ✓ right 3" in single
    # Its score and the rest of the test (the second statement) agree for 3 of 5 students.
    assert "Discrimination 17" in single
    assert "Facility 60%" in second


def test_an_item_edited_mid_assignment_is_analysed_per_version(app, school):
    teacher, students, set_id, class_id = school
    assign(teacher, class_id, set_id)
    assignment = only_assignment(app)
    take(app, students["ana"], assignment.id, right={TF1, SINGLE, TF2})
    with app.app_context():
        # The teacher rewords the single-choice item after ana's attempt (version 2).
        item = db.session.scalar(select(Item).where(Item.prompt == SINGLE))
        fields = SAMPLE_ITEMS["single"] | {"prompt": "Which post did Tae hold in London?"}
        teach_services.update_item(item, fields)
        db.session.commit()
    take(app, students["ben"], assignment.id, right={TF1})
    page = teacher.get(f"/teach/assignments/{assignment.id}/analysis").data.decode()
    headings = [text_of(h) for h in re.findall(r"<h2 id=\"item-.*?</h2>", page, re.S)]
    assert headings == [
        "1. North Korea accepted every UPR recommendation. True or false",
        "2. Which post did Tae Yong-ho hold when he defected? Single choice "
        "Version 1, before an edit",
        "3. Which post did Tae hold in London? Single choice Version 2, as it is now",
        "4. The armistice was signed in 1953. True or false",
    ]
    sections = [
        text_of(s)
        for s in re.findall(r'<section class="card analysis-item".*?</section>', page, re.S)
    ]
    # Each version counts only the students who saw it: ana right before, ben wrong after.
    assert "Attempts 1 Facility 100%" in sections[1]
    assert "Attempts 1 Facility 0%" in sections[2]
    assert "Attempts 2 Facility 100%" in sections[0]


def test_editing_or_deleting_an_item_of_an_assigned_set_says_what_it_changes(app, school):
    teacher, _, set_id, class_id = school
    with app.app_context():
        item_id = db.session.scalar(select(Item.id).where(Item.prompt == SINGLE))
    edit = f"/teach/sets/{set_id}/items/{item_id}"
    fields = teacher.get(edit).data.decode()
    assert "Attempts already started" not in fields
    assign(teacher, class_id, set_id)
    page = teacher.post(
        edit, data=filled_form(teacher.get(edit).data.decode()), follow_redirects=True
    ).data.decode()
    assert (
        "Saved item 2. Attempts already started keep the question as it was and their "
        "scores; new attempts get the change. Item analysis shows each version apart."
    ) in text_of(page)
    page = teacher.post(f"{edit}/delete", follow_redirects=True).data.decode()
    assert (
        "Deleted item 2. Attempts already made keep it and their scores; item analysis no "
        "longer lists it."
    ) in text_of(page)


def test_assigned_sets_cannot_be_deleted_but_assignments_can(app, school):
    teacher, _, set_id, class_id = school
    assign(teacher, class_id, set_id)
    assignment = only_assignment(app)
    response = teacher.post(f"/teach/sets/{set_id}/delete", follow_redirects=True)
    assert "“Week 1” is assigned to Year 10. Remove those assignments first" in text_of(
        response.data.decode()
    )
    with app.app_context():
        assert db.session.get(QuestionSet, set_id) is not None
    teacher.post(f"/teach/assignments/{assignment.id}/delete")
    with app.app_context():
        assert db.session.scalar(select(Assignment)) is None
    assert teacher.post(f"/teach/sets/{set_id}/delete").status_code == 302
    with app.app_context():
        assert db.session.get(QuestionSet, set_id) is None


def test_the_cycle_collector_pause_always_ends():
    import gc

    from quizzes.classes.reports import _cyclic_gc_paused

    assert gc.isenabled()
    with pytest.raises(RuntimeError), _cyclic_gc_paused():
        assert not gc.isenabled()
        raise RuntimeError("a failing analysis")
    assert gc.isenabled()
    gc.disable()
    try:
        with _cyclic_gc_paused():
            pass
        assert not gc.isenabled()  # left as the caller had it
    finally:
        gc.enable()


def test_assigning_a_set_the_class_already_has_asks_first(app, school):
    teacher, _, set_id, class_id = school
    assert assign(teacher, class_id, set_id).status_code == 302
    page = assign(teacher, class_id, set_id, opens_at="2026-03-10T08:00", due_at="").data.decode()
    assert error_for(page, "set_id") == (
        "Error: “Week 1” is already assigned to this class (opens 2 Mar 2026, 08:00 UTC, "
        "due 9 Mar 2026, 17:00 UTC). To give it again, tick “Assign it again” below; "
        "otherwise choose another set."
    )
    assert 'name="again"' in page
    with app.app_context():
        assert db.session.scalar(select(db.func.count(Assignment.id))) == 1
    again = assign(teacher, class_id, set_id, opens_at="2026-03-10T08:00", due_at="", again="y")
    assert again.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(db.func.count(Assignment.id))) == 2


def test_a_set_assigned_twice_has_two_columns_told_apart(app, school):
    teacher, students, set_id, class_id = school
    assign(teacher, class_id, set_id)
    assign(teacher, class_id, set_id, opens_at="2026-03-10T08:00", due_at="", again="y")
    page = text_of(teacher.get(f"/teach/classes/{class_id}/gradebook").data.decode())
    assert "Week 1 (1)" in page and "Week 1 (2)" in page
    sheet = teacher.get(f"/teach/classes/{class_id}/gradebook.csv").data.decode("utf-8-sig")
    header = next(csv.reader(io.StringIO(sheet)))
    assert header[1:4] == ["Week 1 (1) (%)", "Week 1 (1) (attempts)", "Week 1 (1) (late)"]
    assert header[4] == "Week 1 (2) (%)"
    assert "again" not in teacher.get(f"/teach/classes/{class_id}/assignments/new").data.decode()
    # The students see the same two names, in the list and on the Start buttons.
    mine = students["ana"].get("/classes/").data.decode()
    assert "<strong>Week 1 (1)</strong>" in mine and "<strong>Week 1 (2)</strong>" in mine
    assert 'aria-label="Start Week 1 (1)"' in mine


def test_back_to_draft_says_that_assignments_carry_on(app, school):
    teacher, students, set_id, class_id = school
    assign(teacher, class_id, set_id)
    page = teacher.post(
        f"/teach/sets/{set_id}/status", data={"status": "draft"}, follow_redirects=True
    )
    assert (
        "Back to draft: it cannot be assigned again until it is published. The assignments "
        "already given carry on (1 assignment); remove one from its class to stop it."
    ) in text_of(page.data.decode())
    assert "Week 1" in text_of(students["ana"].get("/classes/").data.decode())


def test_dates_on_teacher_pages_follow_the_teachers_time_zone(app, school):
    teacher, _, set_id, class_id = school
    from models import Enrollment

    early = datetime(2026, 3, 2, 5, 0, tzinfo=UTC)  # still 1 March in Pago Pago (UTC-11)
    with app.app_context():
        db.session.get(User, user_id(app, "teacher1")).timezone = "Pacific/Pago_Pago"
        for enrollment in db.session.scalars(select(Enrollment)):
            enrollment.joined_at = early
        db.session.get(QuestionSet, set_id).updated_at = early
        db.session.commit()
    roster = text_of(teacher.get(f"/teach/classes/{class_id}").data.decode())
    assert "ana 1 Mar 2026" in roster and "2026-03-02" not in roster
    sets = text_of(teacher.get("/teach/sets").data.decode())
    assert "1 Mar 2026" in sets and "2026-03-02" not in sets


# -- removing an assignment while students work on it ------------------------------------------


def start_and_answer_first(app, client, assignment_id: int) -> int:
    """Start the assignment and answer its first question right, nothing else; the attempt."""
    response = client.post(f"/classes/assignments/{assignment_id}/start")
    attempt_id = int(re.search(r"/quiz/attempts/(\d+)", response.headers["Location"]).group(1))
    with app.app_context():
        snap = db.session.get(Attempt, attempt_id).items[0].snapshot
    if snap["type"] == "truefalse":
        answer = "true" if snap["key"]["answer"] else "false"
    else:
        answer = str(snap["key"]["correct"])
    assert client.post(f"/quiz/attempts/{attempt_id}/items/1", data={"answer": answer}).status_code
    return attempt_id


def test_removing_an_assignment_asks_first_saying_whose_work_it_touches(app, school, clock):
    teacher, students, set_id, class_id = school
    assign(teacher, class_id, set_id)
    assignment = only_assignment(app)
    url = f"/teach/assignments/{assignment.id}/delete"
    # The class page links to the question; nothing is removed by following it.
    detail = teacher.get(f"/teach/classes/{class_id}").data.decode()
    assert f'<a class="danger-link" href="{url}" aria-label="Remove the assignment Week 1">' in (
        detail
    )
    page = text_of(teacher.get(url).data.decode())
    assert "Remove “Week 1” from Year 10?" in page
    assert "No student has started it yet." in page
    assert "download the gradebook CSV" not in page

    take(app, students["ana"], assignment.id, right={TF1})
    start_and_answer_first(app, students["ben"], assignment.id)
    page = teacher.get(url).data.decode()
    assert f'href="/teach/classes/{class_id}/gradebook.csv">download the gradebook CSV</a>' in page
    told = re.search(r'<ul class="removal-impact">.*?</ul>', page, re.S).group(0)
    assert text_of(told) == (
        "1 student has started and not submitted. Their attempts are submitted now, as they "
        "stand, and graded: saved answers count, unanswered questions score nothing. Anyone "
        "with the quiz open is told so when they next save or move to a question. "
        "1 student submitted it. Their results stay as they are. "
        "Every attempt stays in its student's history, marked as from a removed assignment. "
        "It leaves the students' class page, and its column leaves the gradebook and the "
        "gradebook CSV, with its item analysis. To keep the scores, download the gradebook "
        "CSV first."
    )
    with app.app_context():
        assert db.session.get(Assignment, assignment.id) is not None


def test_removing_an_assignment_submits_the_attempts_in_progress_as_they_stand(app, school, clock):
    teacher, students, set_id, class_id = school
    assign(teacher, class_id, set_id)
    week2 = make_set(app, "teacher1", title="Week 2", items=ITEMS, status=SetStatus.PUBLISHED)
    assign(teacher, class_id, week2, opens_at="2026-03-02T08:30")
    with app.app_context():
        week1_id, week2_id = db.session.scalars(
            select(Assignment.id).order_by(Assignment.opens_at)
        ).all()
    done = take(app, students["ana"], week1_id, right={TF1, SINGLE, TF2})
    take(app, students["ana"], week2_id, right={TF1})
    open_id = start_and_answer_first(app, students["ben"], week1_id)

    clock["now"] = removed = NOW + timedelta(hours=1)
    response = teacher.post(f"/teach/assignments/{week1_id}/delete", follow_redirects=True)
    assert (
        "Removed the assignment “Week 1”. 1 attempt in progress was submitted as it stood, and "
        "graded. Every attempt stays in its student's history, marked as from a removed "
        "assignment."
    ) in text_of(response.data.decode())

    with app.app_context():
        ben = db.session.get(Attempt, open_id)
        assert ben.is_submitted and ben.submitted_by_removal
        assert (ben.submitted_at, ben.assignment_removed_at) == (removed, removed)
        assert ben.assignment_id is None and ben.late is False
        assert ben.score == pytest.approx(1 / 3)  # one of three answered, and right
        assert [item.graded for item in ben.items] == [True, True, True]
        ana = db.session.get(Attempt, done)
        assert ana.submitted_at == NOW and ana.score == 1.0  # her own submission, untouched
        assert ana.assignment_removed_at == removed and not ana.submitted_by_removal

    # The teacher's gradebook and its CSV no longer have the column; averages follow.
    book = text_of(teacher.get(f"/teach/classes/{class_id}/gradebook").data.decode())
    assert "Week 1" not in book and "ana 33% 1 attempt 33%" in book
    sheet = teacher.get(f"/teach/classes/{class_id}/gradebook.csv").data.decode("utf-8-sig")
    assert list(csv.reader(io.StringIO(sheet))) == [
        ["student", "Week 2 (%)", "Week 2 (attempts)", "Week 2 (late)", "average (%)"],
        ["ana", "33.3", "1", "", "33.3"],
        ["ben", "", "0", "", ""],
    ]
    detail = text_of(teacher.get(f"/teach/classes/{class_id}").data.decode())
    assert "Assignments (1)" in detail

    # The students: gone from their class page, kept and marked in their history.
    assert "Week 1" not in text_of(students["ben"].get("/classes/").data.decode())
    history = text_of(students["ben"].get("/quiz/history").data.decode())
    assert "Week 1 3 33% Review the attempt of 2 Mar 2026, 09:00 UTC Assignment removed" in (
        history
    )
    result = text_of(students["ben"].get(f"/quiz/attempts/{open_id}/result").data.decode())
    assert (
        "Assignment removed: Your teacher removed this assignment on 2 Mar 2026, 10:00 UTC, "
        "while this attempt was open, so it was submitted then, as it stood: the answers "
        "saved by then were graded, and questions left unanswered scored nothing."
    ) in result
    result = text_of(students["ana"].get(f"/quiz/attempts/{done}/result").data.decode())
    assert (
        "Assignment removed: Your teacher removed this assignment on 2 Mar 2026, 10:00 UTC. "
        "This attempt no longer counts for the class; it stays here for you."
    ) in result
    assert "Assignment removed" in text_of(students["ana"].get("/quiz/history").data.decode())


def test_a_quiz_left_open_on_a_removed_assignment_says_what_happened(app, school, clock):
    teacher, students, set_id, class_id = school
    assign(teacher, class_id, set_id)
    assignment = only_assignment(app)
    ben = students["ben"]
    attempt_id = start_and_answer_first(app, ben, assignment.id)
    clock["now"] = NOW + timedelta(minutes=30)
    teacher.post(f"/teach/assignments/{assignment.id}/delete")
    told = (
        "Your teacher removed this assignment on 2 Mar 2026, 09:30 UTC, so this quiz was "
        "submitted then, as it stood."
    )
    refused = f"{told} The answers saved before then were graded; this last one was not saved."
    item = f"/quiz/attempts/{attempt_id}/items/2"
    result = f"/quiz/attempts/{attempt_id}/result"

    # An answer saved by the autosave: refused, with the reason; quiz.js then reloads.
    saved = ben.post(item, data={"answer": "0"}, headers={"X-Requested-With": "fetch"})
    assert {k: v for k, v in saved.get_json().items() if k != "saved_at"} == {
        "status": "submitted",
        "message": refused,
        "answered": [1],
    }
    # The reload (or opening any question) lands on the result, which says why.
    opened = ben.get(item)
    assert opened.status_code == 302 and opened.headers["Location"] == result
    page = text_of(ben.get(result).data.decode())
    assert f"Warning: {refused}" in page
    assert "Assignment removed: Your teacher removed this assignment" in page
    # The same answer sent with the page's buttons, and the Submit button.
    sent = ben.post(item, data={"answer": "0", "go": "next"})
    assert sent.headers["Location"] == result
    assert f"Warning: {refused}" in text_of(ben.get(result).data.decode())
    ben.post(f"/quiz/attempts/{attempt_id}/submit")
    assert f"Warning: {told} Here is your result." in text_of(ben.get(result).data.decode())
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        assert [item.answered for item in attempt.items] == [True, False, False]
        assert attempt.submitted_at == NOW + timedelta(minutes=30)


def test_a_new_assignment_that_reuses_a_removed_ones_id_starts_afresh(app, school):
    """SQLite hands a removed assignment's id to the next one: Start must not find the
    attempt of the removed one (by its start token) and send the student to its result."""
    teacher, students, set_id, class_id = school
    assign(teacher, class_id, set_id)
    removed = only_assignment(app)
    old_attempt = take(app, students["ben"], removed.id, right={TF1})
    teacher.post(f"/teach/assignments/{removed.id}/delete")
    assign(teacher, class_id, set_id, opens_at="2026-03-02T08:30")
    given = only_assignment(app)
    response = students["ben"].post(f"/classes/assignments/{given.id}/start")
    new_attempt = int(re.search(r"/quiz/attempts/(\d+)", response.headers["Location"]).group(1))
    assert new_attempt != old_attempt
    with app.app_context():
        assert db.session.get(Attempt, new_attempt).assignment_id == given.id
        assert not db.session.get(Attempt, new_attempt).is_submitted
