"""The essay grading queue through HTTP: "Needs grading: N" on the class page, one answer
at a time in a fixed order, a rubric whose levels add up to the mark or a plain mark, a
comment per student, save-and-next, an anonymous order, and who may open it."""

from __future__ import annotations

import csv
import io
import re

import pytest
from sqlalchemy import select

from models import Attempt, AttemptItem, MarkChange, SchoolClass, SetStatus, User, db
from quizzes.classes import services as class_services
from quizzes.domain.itemtypes import essay
from tests.web.teach_support import make_set, text_of, user_id
from tests.web.test_teach_assignments import NOW, assign, only_assignment

RUBRIC_PROMPT, RUBRIC_DATA = essay.EXAMPLE  # 2 criteria: 0/1 and 0/1/2 points, out of 3
PLAIN_PROMPT = "Name one tactic the regime used at the UPR, and say why it worked."
ITEMS = [
    {"type": "essay", "prompt": RUBRIC_PROMPT, "data": RUBRIC_DATA, "topics": []},
    {"type": "essay", "prompt": PLAIN_PROMPT, "data": {"max_points": 5}, "topics": []},
    {
        "type": "truefalse",
        "prompt": "The armistice was signed in 1953.",
        "data": {"answer": True},
        "topics": [],
    },
]


@pytest.fixture
def school(app, login_as):
    """teacher1's class "Year 10" (ana, ben, cy) given a set of two essays and a
    true/false item; ana and ben write both essays, cy leaves them blank."""
    app.config["QUIZDECK_NOW"] = lambda: NOW
    teacher = login_as("teacher1", "teacher")
    students = {name: login_as(name) for name in ("ana", "ben", "cy")}
    set_id = make_set(app, "teacher1", title="Essays", items=ITEMS, status=SetStatus.PUBLISHED)
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
    assign(teacher, class_id, set_id)
    assignment_id = only_assignment(app).id
    attempts = {
        name: write(app, client, assignment_id, blank=name == "cy")
        for name, client in students.items()
    }
    return teacher, students, class_id, assignment_id, attempts


def write(app, client, assignment_id: int, blank: bool = False) -> int:
    """Start, answer (essays in the student's own words, the statement true), submit."""
    started = client.post(f"/classes/assignments/{assignment_id}/start")
    attempt_id = int(re.search(r"/quiz/attempts/(\d+)", started.headers["Location"]).group(1))
    with app.app_context():
        types = [item.item_type for item in db.session.get(Attempt, attempt_id).items]
        name = db.session.get(User, db.session.get(Attempt, attempt_id).user_id).username
    for position, kind in enumerate(types, start=1):
        answer = {"answer": "true"} if kind == "truefalse" else {"answer": f"{name} writes."}
        if kind == "essay" and blank:
            continue
        saved = client.post(f"/quiz/attempts/{attempt_id}/items/{position}", data=answer)
        assert saved.status_code == 302
    assert client.post(f"/quiz/attempts/{attempt_id}/submit").status_code == 302
    return attempt_id


def answer_id(app, attempt_id: int, prompt: str) -> int:
    with app.app_context():
        return db.session.scalar(
            select(AttemptItem.id).where(
                AttemptItem.attempt_id == attempt_id,
                AttemptItem.snapshot["prompt"].as_string() == prompt,
            )
        )


def heading(page: str) -> str:
    return text_of(re.search(r'<h2 id="answer-heading">.*?</h2>', page, re.S)[0])


def test_the_class_page_says_how_many_answers_need_grading(app, school):
    teacher, _, class_id, assignment_id, _ = school
    page = teacher.get(f"/teach/classes/{class_id}").data.decode()
    # Two essays each from ana and ben; cy's blank essays score nothing with no marker.
    assert f'href="/teach/assignments/{assignment_id}/grading"' in page
    assert "Needs grading: 4" in text_of(page)


def test_the_queue_goes_question_by_question_and_saves_and_moves_on(app, school):
    teacher, students, class_id, assignment_id, attempts = school
    queue = f"/teach/assignments/{assignment_id}/grading"
    first = teacher.get(queue)
    ana_rubric = answer_id(app, attempts["ana"], RUBRIC_PROMPT)
    assert first.headers["Location"] == f"{queue}/{ana_rubric}"
    page = teacher.get(first.headers["Location"]).data.decode()
    text = text_of(page)
    assert heading(page) == "Question 1 · ana"
    assert "Needs grading: 4" in text and "Answer 1 of 4 waiting." in text
    assert "ana writes." in text
    # The rubric: one group of real radio buttons per criterion, levels with their points.
    assert "<legend>Explains what an armistice is</legend>" in page
    assert (
        "Well chosen (2 points)" in text
        and "The levels chosen add up to the mark, out of 3" in text
    )
    assert 'aria-keyshortcuts="Control+Enter Meta+Enter">Save and next</button>' in page

    saved = teacher.post(
        f"{queue}/{ana_rubric}",
        data={"level-1": "1", "level-2": "1", "comment": "Clear, with some evidence."},
    )
    ben_rubric = answer_id(app, attempts["ben"], RUBRIC_PROMPT)
    assert saved.headers["Location"] == f"{queue}/{ben_rubric}"
    with app.app_context():
        change = db.session.scalar(select(MarkChange))
        assert (change.new_score, change.levels, change.max_points, change.comment) == (
            pytest.approx(2 / 3),
            [1, 1],
            3.0,
            "Clear, with some evidence.",
        )
    page = teacher.get(saved.headers["Location"]).data.decode()
    assert heading(page) == "Question 1 · ben" and "Answer 1 of 3 waiting." in text_of(page)
    saved = teacher.post(f"{queue}/{ben_rubric}", data={"level-1": "0", "level-2": "2"})
    ana_plain = answer_id(app, attempts["ana"], PLAIN_PROMPT)
    assert saved.headers["Location"] == f"{queue}/{ana_plain}"
    page = teacher.get(saved.headers["Location"]).data.decode()
    assert heading(page) == "Question 2 · ana"
    assert "Mark (points out of 5)" in text_of(page)
    saved = teacher.post(f"{queue}/{ana_plain}", data={"points": "4,5", "comment": "Good."})
    ben_plain = answer_id(app, attempts["ben"], PLAIN_PROMPT)
    assert saved.headers["Location"] == f"{queue}/{ben_plain}"
    saved = teacher.post(f"{queue}/{ben_plain}", data={"points": "1"})
    assert saved.headers["Location"] == queue
    done = text_of(teacher.get(queue).data.decode())
    assert "Needs grading: 0" in done and "(4 marked by hand)" in done
    assert "Needs grading" not in text_of(teacher.get(f"/teach/classes/{class_id}").data.decode())

    # The marks flow into the attempt's score: (2/3 + 4.5/5 + 1) / 3 for ana.
    with app.app_context():
        assert db.session.get(Attempt, attempts["ana"]).score == pytest.approx(
            (2 / 3 + 0.9 + 1) / 3
        )
    sheet = teacher.get(f"/teach/assignments/{assignment_id}/marks.csv").data.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(sheet)))
    assert (
        rows[0][2:]
        == [
            f"Q1: {RUBRIC_PROMPT[:59].rstrip()}… (3 pt)",  # cut at 60 characters
            f"Q2: {PLAIN_PROMPT[:59].rstrip()}… (5 pt)",
            "Q3: The armistice was signed in 1953. (1 pt)",
        ]
    )
    assert rows[1][2:] == ["2", "4.5", "1"]
    assert rows[2][2:] == ["2", "1", "1"]
    assert rows[3][2:] == ["0", "0", "1"]  # cy's blank essays need no marker: 0
    # The student reads the comment on her result.
    result = text_of(students["ana"].get(f"/quiz/attempts/{attempts['ana']}/result").data.decode())
    assert "Your teacher's comment Clear, with some evidence." in result
    assert "Awaiting your teacher's mark." not in result  # the pending note gave way


def test_before_marking_the_csv_says_awaiting_grading(app, school):
    teacher, _, _, assignment_id, _ = school
    sheet = teacher.get(f"/teach/assignments/{assignment_id}/marks.csv").data.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(sheet)))
    assert rows[1][2:] == ["awaiting grading", "awaiting grading", "1"]
    assert rows[3][2:] == ["0", "0", "1"]


@pytest.mark.parametrize(
    ("prompt", "data", "message"),
    [
        (RUBRIC_PROMPT, {"level-1": "1"}, "Choose a level of “Uses evidence”."),
        (RUBRIC_PROMPT, {"level-1": "1", "level-2": "3"}, "Choose a level of “Uses evidence”."),
        (RUBRIC_PROMPT, {"level-1": "١", "level-2": "0"}, "Choose a level of “Explains what"),
        (PLAIN_PROMPT, {"points": "6"}, "6 is outside the item's points."),
        (PLAIN_PROMPT, {"points": "five"}, "“five” is not a number."),
        (PLAIN_PROMPT, {"points": "4", "comment": "x" * 2001}, "A comment is at most 2,000"),
    ],
)
def test_a_mark_that_does_not_fit_is_a_message_and_nothing_is_written(
    app, school, prompt, data, message
):
    teacher, _, _, assignment_id, attempts = school
    url = f"/teach/assignments/{assignment_id}/grading/{answer_id(app, attempts['ana'], prompt)}"
    response = teacher.post(url, data=data)
    assert response.status_code == 400
    assert message in text_of(response.data.decode())
    with app.app_context():
        assert db.session.scalar(select(MarkChange)) is None


def test_the_anonymous_order_hides_names_and_keeps_its_order(app, school):
    teacher, _, _, assignment_id, attempts = school
    queue = f"/teach/assignments/{assignment_id}/grading"
    first = teacher.get(f"{queue}?anonymous=1").headers["Location"]
    assert first.endswith("?anonymous=1")
    page = teacher.get(first).data.decode()
    assert re.fullmatch(r"Question 1 · Answer \d+", heading(page))
    # No name outside the answer itself (which the student wrote): not in the heading, the
    # buttons, the breadcrumbs or the title.
    around = re.sub(r'<div class="essay-response".*?</div>', "", page, flags=re.S)
    assert not re.search(r"\b(ana|ben|cy)\b", text_of(around))
    assert "Open the whole attempt" not in page  # it would name the student
    assert teacher.get(f"{queue}?anonymous=1").headers["Location"] == first  # the same order
    answer = int(re.search(r"/grading/(\d+)", first)[1])
    saved = teacher.post(f"{queue}/{answer}?anonymous=1", data={"level-1": "0", "level-2": "0"})
    assert saved.headers["Location"].endswith("?anonymous=1")
    assert re.fullmatch(
        r"Question 1 · Answer \d+", heading(teacher.get(saved.headers["Location"]).data.decode())
    )


def test_skip_and_previous_are_links_and_the_queue_is_the_class_teachers(app, school, login_as):
    teacher, students, _, assignment_id, attempts = school
    queue = f"/teach/assignments/{assignment_id}/grading"
    ana_rubric = answer_id(app, attempts["ana"], RUBRIC_PROMPT)
    ben_rubric = answer_id(app, attempts["ben"], RUBRIC_PROMPT)
    page = teacher.get(f"{queue}/{ana_rubric}").data.decode()
    assert f'id="skip" href="{queue}/{ben_rubric}" aria-keyshortcuts="J"' in page
    assert 'id="previous"' not in page
    page = teacher.get(f"{queue}/{ben_rubric}").data.decode()
    assert f'id="previous" href="{queue}/{ana_rubric}" aria-keyshortcuts="K"' in page
    other = login_as("teacher2", "teacher")
    assert other.get(queue).status_code == 404
    assert other.get(f"{queue}/{ana_rubric}").status_code == 404
    assert (
        other.post(f"{queue}/{ana_rubric}", data={"level-1": "1", "level-2": "2"}).status_code
        == 404
    )
    assert students["ana"].get(f"{queue}/{ana_rubric}").status_code == 403
    # An answer the app marks itself is not in the queue, but may be marked from its page.
    true_false = answer_id(app, attempts["ana"], ITEMS[2]["prompt"])
    page = text_of(teacher.get(f"{queue}/{true_false}").data.decode())
    assert "This answer is marked already" in page and "Mark (points out of 1)" in page
    assert teacher.get(f"{queue}/{true_false + 999}").status_code == 404
    with app.app_context():
        assert db.session.scalar(select(MarkChange)) is None
        assert db.session.scalar(select(SchoolClass.id)) is not None


def test_editing_an_essay_changes_no_mark_a_teacher_gave(app, school):
    """An essay is marked by a person, not by its key: a regrade after an edit leaves its
    answers, marked or waiting, as they are."""
    from models import Item
    from quizzes.teach import services as teach_services

    teacher, _, _, assignment_id, attempts = school
    queue = f"/teach/assignments/{assignment_id}/grading"
    ana_plain = answer_id(app, attempts["ana"], PLAIN_PROMPT)
    teacher.post(f"{queue}/{ana_plain}", data={"points": "4"})
    with app.app_context():
        item = db.session.scalar(select(Item).where(Item.prompt == PLAIN_PROMPT))
        teach_services.update_item(
            item, teach_services.item_as_dict(item) | {"data": {"max_points": 10}}
        )
        db.session.commit()
        set_id, item_id = item.set_id, item.id
    page = text_of(teacher.get(f"/teach/sets/{set_id}/items/{item_id}/regrade").data.decode())
    assert "No mark changes" in page and "Not regraded" not in page
    with app.app_context():
        assert db.session.scalar(
            select(AttemptItem.score).where(AttemptItem.id == ana_plain)
        ) == pytest.approx(0.8)
