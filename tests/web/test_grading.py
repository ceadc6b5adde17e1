"""Grading, the teacher's side, through HTTP: a gradebook cell opens the attempt (only for
the class's teacher), a mark set by hand changes the score and is kept in a trail, the
student reads the comment on their result, the per-question CSV, and the regrade after an
edit, previewed before anything is written."""

from __future__ import annotations

import csv
import io
import re

import pytest
from sqlalchemy import select

from models import (
    Attempt,
    AttemptItem,
    Item,
    MarkChange,
    MarkReason,
    SchoolClass,
    SetStatus,
    User,
    db,
)
from quizzes.classes import services as class_services
from quizzes.teach import services as teach_services
from tests.web.teach_support import error_for, filled_form, make_set, text_of, user_id
from tests.web.test_teach_assignments import (
    ITEMS,
    NOW,
    SINGLE,
    TF1,
    TF2,
    assign,
    only_assignment,
    take,
)


@pytest.fixture
def school(app, login_as):
    """teacher1 with a published set "Week 1" and a class "Year 10" holding ana and ben."""
    app.config["QUIZDECK_NOW"] = lambda: NOW
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


@pytest.fixture
def taken(app, school):
    """Week 1 assigned; ana answered TF1 and SINGLE right and TF2 wrong, ben only TF1."""
    teacher, students, set_id, class_id = school
    assign(teacher, class_id, set_id)
    assignment = only_assignment(app)
    ana = take(app, students["ana"], assignment.id, right={TF1, SINGLE})
    ben = take(app, students["ben"], assignment.id, right={TF1})
    return teacher, students, set_id, class_id, assignment.id, {"ana": ana, "ben": ben}


def position_of(app, attempt_id: int, prompt: str) -> int:
    with app.app_context():
        return db.session.scalar(
            select(AttemptItem.position).where(
                AttemptItem.attempt_id == attempt_id,
                AttemptItem.snapshot["prompt"].as_string() == prompt,
            )
        )


def score_of(app, attempt_id: int) -> float:
    with app.app_context():
        return db.session.get(Attempt, attempt_id).score


def test_a_gradebook_cell_opens_the_attempt_with_answers_key_and_feedback(app, taken):
    teacher, _, _, class_id, _, attempts = taken
    book = teacher.get(f"/teach/classes/{class_id}/gradebook").data.decode()
    link = f'href="/teach/attempts/{attempts["ana"]}"'
    assert link in book  # a real link: reachable with Tab, opened with Enter
    page = teacher.get(f"/teach/attempts/{attempts['ana']}").data.decode()
    text = text_of(page)
    assert "ana: Week 1" in text and "Score: 67%" in text
    single = position_of(app, attempts["ana"], SINGLE)
    article = text_of(re.search(rf'<article[^>]*id="q{single}".*?</article>', page, re.S)[0])
    assert "Student's answer Deputy ambassador in London" in article
    assert "Right answer Deputy ambassador in London" in article
    # Per-option feedback and the explanation, which the student may not have seen yet.
    assert "Deputy ambassador in London Yes, 2016." in article
    assert "He was deputy ambassador in London." in article
    assert "after the start" in article and "1 of 1" in article


def test_only_the_class_teacher_opens_an_attempt(app, taken, login_as):
    teacher, students, _, _, _, attempts = taken
    url = f"/teach/attempts/{attempts['ana']}"
    assert teacher.get(url).status_code == 200
    other = login_as("teacher2", "teacher")
    assert other.get(url).status_code == 404  # as if it did not exist
    assert other.get(f"/teach/attempts/{attempts['ana'] + 99}").status_code == 404
    assert students["ana"].get(url).status_code == 403  # her own, but not the teacher's page
    assert students["ben"].get(url).status_code == 403
    mark = f"{url}/items/1/mark"
    assert other.post(mark, data={"q1-points": "1"}).status_code == 404
    assert students["ana"].post(mark, data={"q1-points": "1"}).status_code == 403
    assert app.test_client().get(url).status_code == 302  # to the login page
    with app.app_context():
        assert db.session.scalar(select(MarkChange)) is None
        assert db.session.get(Attempt, attempts["ana"]).score == pytest.approx(2 / 3)


def test_a_mark_by_hand_changes_the_score_and_is_kept_in_the_trail(app, taken):
    teacher, students, _, class_id, _, attempts = taken
    ana = attempts["ana"]
    wrong = position_of(app, ana, TF2)
    response = teacher.post(
        f"/teach/attempts/{ana}/items/{wrong}/mark",
        data={f"q{wrong}-points": "0,5", f"q{wrong}-comment": "Half: the reasoning was right."},
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/teach/attempts/{ana}#q{wrong}")
    assert score_of(app, ana) == pytest.approx(2.5 / 3)
    with app.app_context():
        change = db.session.scalar(select(MarkChange))
        teacher_id = user_id(app, "teacher1")
        assert (change.reason, change.old_score, change.new_score, change.changed_by_id) == (
            MarkReason.MANUAL,
            0.0,
            0.5,
            teacher_id,
        )
        assert change.comment == "Half: the reasoning was right."
    # A second change: the trail keeps both, oldest first, with who and what.
    teacher.post(
        f"/teach/attempts/{ana}/items/{wrong}/mark",
        data={f"q{wrong}-points": "1", f"q{wrong}-comment": "Full marks after all."},
    )
    assert score_of(app, ana) == pytest.approx(1.0)
    page = teacher.get(f"/teach/attempts/{ana}").data.decode()
    trail = text_of(re.search(r'<table class="mark-history">.*?</table>', page, re.S)[0])
    assert "teacher1 Marked by hand 0 of 1 0.5 of 1 Half: the reasoning was right." in trail
    assert "teacher1 Marked by hand 0.5 of 1 1 of 1 Full marks after all." in trail
    assert "Marked by hand" in text_of(page)
    # The gradebook follows.
    assert "ana 100%" in text_of(teacher.get(f"/teach/classes/{class_id}/gradebook").data.decode())
    # The student reads the newest comment on her result (feedback at the end: submitted).
    result = text_of(students["ana"].get(f"/quiz/attempts/{ana}/result").data.decode())
    assert "Your teacher's comment Full marks after all." in result
    assert "Half: the reasoning" not in result


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Type a mark. Type a mark from 0 to 1, such as 0.5."),
        ("abc", "“abc” is not a number."),
        ("2", "2 is outside the item's points."),
        ("-1", "-1 is outside the item's points."),
        ("9" * 400, "That is not a mark."),
        ("1e400", "“1e400” is not a number."),
        ("nan", "“nan” is not a number."),
        ("½", "“½” is not a number."),
    ],
)
def test_odd_marks_are_a_message_and_change_nothing(app, taken, typed, message):
    teacher, _, _, _, _, attempts = taken
    ana = attempts["ana"]
    response = teacher.post(
        f"/teach/attempts/{ana}/items/1/mark", data={"q1-points": typed, "q1-comment": "x"}
    )
    assert response.status_code == 400
    page = response.data.decode()
    assert message in error_for(page, "q1-points")
    assert score_of(app, ana) == pytest.approx(2 / 3)
    with app.app_context():
        assert db.session.scalar(select(MarkChange)) is None


def test_full_width_digits_are_read_as_the_number(app, taken):
    teacher, _, _, _, _, attempts = taken
    ana = attempts["ana"]
    wrong = position_of(app, ana, TF2)
    response = teacher.post(
        f"/teach/attempts/{ana}/items/{wrong}/mark", data={f"q{wrong}-points": "１"}
    )
    assert response.status_code == 302
    assert score_of(app, ana) == pytest.approx(1.0)


def test_an_attempt_in_progress_is_shown_but_not_marked(app, school):
    teacher, students, set_id, class_id = school
    assign(teacher, class_id, set_id)
    assignment = only_assignment(app)
    started = students["ana"].post(f"/classes/assignments/{assignment.id}/start")
    attempt_id = int(re.search(r"/quiz/attempts/(\d+)", started.headers["Location"]).group(1))
    page = text_of(teacher.get(f"/teach/attempts/{attempt_id}").data.decode())
    assert "This attempt is in progress" in page and "Save mark" not in page
    response = teacher.post(
        f"/teach/attempts/{attempt_id}/items/1/mark", data={"q1-points": "1"}, follow_redirects=True
    )
    assert "still in progress" in text_of(response.data.decode())
    with app.app_context():
        assert db.session.scalar(select(MarkChange)) is None


def test_a_comment_waits_for_the_result_as_the_key_does(app, school):
    """The account export carries the teacher's comment by the rule that shows the key
    (presentation.may_reveal): with the item graded it is there, without it it is not."""
    teacher, students, set_id, class_id = school
    assign(teacher, class_id, set_id)
    assignment = only_assignment(app)
    ana = take(app, students["ana"], assignment.id, right={TF1})
    teacher.post(
        f"/teach/attempts/{ana}/items/1/mark", data={"q1-points": "1", "q1-comment": "Seen."}
    )
    export = students["ana"].get("/account/export.json").get_json()
    items = next(a for a in export["attempts"] if a["id"] == ana)["items"]
    first = next(i for i in items if i["position"] == 1)
    assert first["teacher_comment"] == "Seen."
    # Mark it ungraded by hand (as an essay waiting for a mark would be): the comment hides.
    with app.app_context():
        item = db.session.scalar(
            select(AttemptItem).where(AttemptItem.attempt_id == ana, AttemptItem.position == 1)
        )
        item.graded_at = None
        db.session.commit()
    export = students["ana"].get("/account/export.json").get_json()
    items = next(a for a in export["attempts"] if a["id"] == ana)["items"]
    assert "teacher_comment" not in next(i for i in items if i["position"] == 1)


# -- the per-question CSV ----------------------------------------------------------------------


def test_the_csv_has_one_column_per_question_in_the_set_order(app, taken):
    teacher, _, set_id, _, assignment_id, attempts = taken
    response = teacher.get(f"/teach/assignments/{assignment_id}/marks.csv")
    assert response.mimetype == "text/csv"
    assert 'filename="year-10-week-1-marks-best.csv"' in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert rows[0] == [
        "student",
        "total (%)",
        "Q1: North Korea accepted every UPR recommendation. (1 pt)",
        "Q2: Which post did Tae Yong-ho hold when he defected? (1 pt)",
        "Q3: The armistice was signed in 1953. (1 pt)",
    ]
    assert rows[1] == ["ana", "66.7", "1", "1", "0"]
    assert rows[2] == ["ben", "33.3", "1", "0", "0"]


def test_the_csv_marks_answers_awaiting_grading_and_guards_formulas(app, taken, login_as):
    teacher, _, set_id, class_id, assignment_id, attempts = taken
    with app.app_context():
        # An answer left for a teacher's mark (as an essay's is): no score, not graded.
        answer = db.session.scalar(
            select(AttemptItem).where(
                AttemptItem.attempt_id == attempts["ben"],
                AttemptItem.snapshot["prompt"].as_string() == TF2,
            )
        )
        answer.score, answer.graded_at, answer.correct = None, None, None
        # A student whose name starts like a formula, in the class without an attempt.
        db.session.add(User(username="=cmd", role="student", password_hash="x"))
        db.session.flush()
        class_services.join_class(
            db.session.scalar(select(User).where(User.username == "=cmd")),
            db.session.get(SchoolClass, class_id).join_code,
        )
        db.session.commit()
    rows = list(
        csv.reader(
            io.StringIO(
                teacher.get(f"/teach/assignments/{assignment_id}/marks.csv").data.decode(
                    "utf-8-sig"
                )
            )
        )
    )
    assert rows[1][0] == "'=cmd" and rows[1][1:] == ["", "", "", ""]
    assert rows[3] == ["ben", "33.3", "1", "0", "awaiting grading"]
    other = login_as("teacher2", "teacher")
    assert other.get(f"/teach/assignments/{assignment_id}/marks.csv").status_code == 404


# -- regrade after an edit ---------------------------------------------------------------------


def plan_on(page: str) -> str:
    """The plan the preview shows, as its form sends it back."""
    return re.search(r'name="plan" type="hidden" value="([0-9a-f]+)"', page)[1]


def _single_item(app) -> tuple[int, dict]:
    with app.app_context():
        item = db.session.scalar(select(Item).where(Item.prompt == SINGLE))
        return item.id, teach_services.item_as_dict(item)


def _chosen_text(app, attempt_id: int) -> str:
    with app.app_context():
        answer = db.session.scalar(
            select(AttemptItem).where(
                AttemptItem.attempt_id == attempt_id,
                AttemptItem.snapshot["prompt"].as_string() == SINGLE,
            )
        )
        return answer.snapshot["view"]["options"][answer.response]


def _make_correct(app, item_id: int, text: str) -> None:
    """Edit the key as the editor saves it: the option `text` is now the right one."""
    with app.app_context():
        item = db.session.get(Item, item_id)
        fields = teach_services.item_as_dict(item)
        fields["data"] = {
            "options": [
                option | {"correct": option["text"] == text} for option in fields["data"]["options"]
            ]
        }
        teach_services.update_item(item, fields)
        db.session.commit()


def _state(app) -> tuple:
    """Everything a regrade may write: scores, keys, marks and the trail."""
    with app.app_context():
        return (
            sorted((a.id, a.score) for a in db.session.scalars(select(Attempt))),
            sorted(
                (i.id, i.score, i.correct, repr(i.snapshot["key"]))
                for i in db.session.scalars(select(AttemptItem))
            ),
            db.session.scalars(select(MarkChange.id)).all(),
        )


def test_saving_an_answered_item_leads_to_a_regrade_preview(app, taken):
    teacher, _, set_id, _, _, _ = taken
    item_id, _ = _single_item(app)
    edit = f"/teach/sets/{set_id}/items/{item_id}"
    response = teacher.post(edit, data=filled_form(teacher.get(edit).data.decode()))
    assert response.headers["Location"] == f"/teach/sets/{set_id}/items/{item_id}/regrade"
    page = text_of(teacher.get(response.headers["Location"]).data.decode())
    assert "Saved item 2. Students have answered it" in page
    assert "No mark changes: every submitted answer scores the same under the new key." in page
    assert "Regrade 0" not in page
    # The set page offers the regrade beside each item of an assigned set.
    assert f'href="/teach/sets/{set_id}/items/{item_id}/regrade"' in (
        teacher.get(f"/teach/sets/{set_id}").data.decode()
    )


def test_a_regrade_preview_lists_exact_changes_and_writes_nothing_until_confirmed(app, taken):
    teacher, students, set_id, _, _, attempts = taken
    item_id, _ = _single_item(app)
    bens_pick = _chosen_text(app, attempts["ben"])  # a wrong option
    assert bens_pick != "Deputy ambassador in London"
    _make_correct(app, item_id, bens_pick)
    before = _state(app)
    url = f"/teach/sets/{set_id}/items/{item_id}/regrade"
    page = teacher.get(url).data.decode()
    text = text_of(page)
    assert "Regrade: 2 students’ marks change" in text
    assert "ana 2 → 1 of 3 (67% → 33%)" in text
    assert "ben 1 → 2 of 3 (33% → 67%)" in text
    assert "ana 1 of 1 0 of 1" in text and "ben 0 of 1 1 of 1" in text
    assert _state(app) == before  # the preview wrote nothing
    # A plan that is not the one shown now is refused, and still nothing is written.
    refused = teacher.post(url, data={"plan": "stale"}, follow_redirects=True)
    assert "nothing was written" in text_of(refused.data.decode())
    assert _state(app) == before
    plan = plan_on(page)
    done = teacher.post(url, data={"plan": plan}, follow_redirects=True)
    assert "Regraded item 2: 2 answers changed." in text_of(done.data.decode())
    assert score_of(app, attempts["ana"]) == pytest.approx(1 / 3)
    assert score_of(app, attempts["ben"]) == pytest.approx(2 / 3)
    with app.app_context():
        trail = db.session.scalars(select(MarkChange).order_by(MarkChange.id)).all()
        assert [(c.reason, c.old_score, c.new_score, c.item_version) for c in trail] == [
            (MarkReason.REGRADE, 1.0, 0.0, 2),
            (MarkReason.REGRADE, 0.0, 1.0, 2),
        ]
    # Ben reads the key he was marked against now.
    result = text_of(students["ben"].get(f"/quiz/attempts/{attempts['ben']}/result").data.decode())
    assert f"Right answer {bens_pick}" in result
    # Done once: the same preview now changes nothing.
    assert "No mark changes" in text_of(teacher.get(url).data.decode())


def test_a_regrade_keeps_marks_set_by_hand_and_says_so(app, taken):
    teacher, _, set_id, _, _, attempts = taken
    ana = attempts["ana"]
    single = position_of(app, ana, SINGLE)
    teacher.post(
        f"/teach/attempts/{ana}/items/{single}/mark",
        data={f"q{single}-points": "1", f"q{single}-comment": "Right, whatever the key."},
    )
    item_id, _ = _single_item(app)
    _make_correct(app, item_id, _chosen_text(app, attempts["ben"]))
    url = f"/teach/sets/{set_id}/items/{item_id}/regrade"
    page = teacher.get(url).data.decode()
    text = text_of(page)
    assert "Regrade: 1 student’s mark changes" in text and "ben 1 → 2 of 3" in text
    assert "ana 2 → 1" not in text
    assert "Marks set by hand are kept: ana (1 of 1; the new key would give 0 of 1)." in text
    plan = plan_on(page)
    done = teacher.post(url, data={"plan": plan}, follow_redirects=True)
    assert "Regraded item 2: 1 answer changed; 1 marked by hand kept." in text_of(
        done.data.decode()
    )
    assert score_of(app, ana) == pytest.approx(2 / 3)
    assert score_of(app, attempts["ben"]) == pytest.approx(2 / 3)


def test_a_regrade_refuses_other_teachers_and_students(app, taken, login_as):
    _, students, set_id, _, _, _ = taken
    item_id, _ = _single_item(app)
    url = f"/teach/sets/{set_id}/items/{item_id}/regrade"
    assert login_as("teacher2", "teacher").get(url).status_code == 404
    assert students["ana"].get(url).status_code == 403


def test_marks_and_regrades_reach_the_lms_gradebook(app, taken):
    """The LTI score outbox hears of every change of an attempt's score, as on submit."""
    from models import LtiAssignmentLink, LtiCourse, LtiPlatform, LtiScoreOutbox, LtiUserLink

    teacher, _, set_id, class_id, assignment_id, attempts = taken
    with app.app_context():
        platform = LtiPlatform(
            name="LMS",
            issuer="https://lms.example",
            client_id="c",
            auth_login_url="https://lms.example/auth",
            auth_token_url="https://lms.example/token",
            key_set_url="https://lms.example/jwks",
        )
        db.session.add(platform)
        db.session.flush()
        course = LtiCourse(platform_id=platform.id, context_id="course-1", class_id=class_id)
        db.session.add(course)
        db.session.flush()
        db.session.add(LtiAssignmentLink(assignment_id=assignment_id, course_id=course.id))
        for name in ("ana", "ben"):
            db.session.add(
                LtiUserLink(platform_id=platform.id, sub=name, user_id=user_id(app, name))
            )
        db.session.commit()
    ana = attempts["ana"]
    wrong = position_of(app, ana, TF2)
    teacher.post(f"/teach/attempts/{ana}/items/{wrong}/mark", data={f"q{wrong}-points": "1"})
    item_id, _ = _single_item(app)
    _make_correct(app, item_id, _chosen_text(app, attempts["ben"]))
    url = f"/teach/sets/{set_id}/items/{item_id}/regrade"
    plan = re.search(
        r'name="plan" type="hidden" value="([0-9a-f]+)"', teacher.get(url).data.decode()
    )[1]
    teacher.post(url, data={"plan": plan})
    with app.app_context():
        queued = db.session.execute(
            select(
                LtiScoreOutbox.attempt_id, LtiScoreOutbox.version, LtiScoreOutbox.score
            ).order_by(LtiScoreOutbox.id)
        ).all()
    assert [(a, v, round(s, 4)) for a, v, s in queued] == [
        (ana, 1, 1.0),  # the mark by hand
        (ana, 2, round(2 / 3, 4)),  # the regrade takes item 2 from her
        (attempts["ben"], 1, round(2 / 3, 4)),
    ]
