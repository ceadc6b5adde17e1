"""Who may open what: every teacher page and download, found from the URL map so a new
route is checked without being listed here.

- anonymous: sent to the login page;
- a student: 403 on every teacher page;
- another teacher: 404 on anything that belongs to the owner (as if it did not exist),
  and nothing of the owner's changes;
- the owner: the page opens.
"""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import select

from models import Enrollment, Item, QuestionSet, SchoolClass, SetStatus, db, utcnow
from models.attempts import FeedbackMode
from quizzes.classes import assignments
from quizzes.classes import services as class_services
from tests.web.teach_support import SAMPLE_ITEMS, item_ids, make_set, set_items, user_id

OBJECT_ARGS = {"set_id", "item_id", "class_id", "student_id", "assignment_id", "attempt_id"}
# Pages that every teacher shares: the bank is the same for all.
SHARED_OBJECT_ENDPOINTS = {"teach.bank_set"}


@pytest.fixture
def world(app: Flask, create_user, login_as):
    """teacher1 owns a set with an item and a class with student1 in it."""
    clients = {
        "owner": login_as("teacher1", "teacher"),
        "other": login_as("teacher2", "teacher"),
        "student": login_as("student1"),
        "anonymous": app.test_client(),
    }
    set_id = make_set(
        app,
        "teacher1",
        items=[SAMPLE_ITEMS["single"], SAMPLE_ITEMS["cloze"]],
        status=SetStatus.PUBLISHED,
    )
    bank_id = make_set(app, None, title="Bank", items=[SAMPLE_ITEMS["truefalse"]])
    from models import User

    with app.app_context():
        teacher = db.session.get(User, user_id(app, "teacher1"))
        school_class = class_services.create_class(teacher, "Class 7B")
        student = db.session.get(User, user_id(app, "student1"))
        class_services.join_class(student, school_class.join_code)
        assignment = assignments.create_assignment(
            school_class,
            db.session.get(QuestionSet, set_id),
            opens_at=utcnow(),
            due_at=None,
            attempt_limit=None,
            time_limit_minutes=None,
            feedback_mode=FeedbackMode.END,
        )
        # student1's submitted attempt at it: the teacher's attempt and marking pages.
        from random import Random

        from quizzes.quiz import answers
        from quizzes.quiz import services as quiz

        attempt = quiz.assemble(
            student.id,
            settings=quiz.QuizSettings(size=2),
            now=utcnow(),
            rng=Random(0),
            set_id=set_id,
            assignment_id=assignment.id,
        )
        answers.submit(attempt, utcnow())
        db.session.commit()
        class_id, assignment_id = school_class.id, assignment.id
        attempt_id, answer_id = attempt.id, attempt.items[0].id
    values = {
        "set_id": set_id,
        "item_id": item_ids(app, set_id)[0],
        "class_id": class_id,
        "student_id": user_id(app, "student1"),
        "item_type": "single",
        "direction": "down",
        "assignment_id": assignment_id,
        "attempt_id": attempt_id,
        "position": 1,
        "answer_id": answer_id,
    }
    return clients, values, bank_id


def teacher_urls(app: Flask, values: dict, bank_id: int) -> list[tuple[str, str, str, bool]]:
    """(endpoint, method, url, belongs to the owner) for every teacher route."""
    urls = []
    with app.test_request_context():
        from flask import url_for

        for rule in app.url_map.iter_rules():
            if not rule.endpoint.startswith("teach."):
                continue
            args = dict(values)
            if rule.endpoint in SHARED_OBJECT_ENDPOINTS:
                args["set_id"] = bank_id
            formats = (
                ["gift", "aiken", "csv", "apkg", "json"] if "fmt" in rule.arguments else [None]
            )
            for fmt in formats:
                if fmt:
                    args["fmt"] = fmt
                url = url_for(rule.endpoint, **{k: args[k] for k in rule.arguments})
                owned = bool(rule.arguments & OBJECT_ARGS) and (
                    rule.endpoint not in SHARED_OBJECT_ENDPOINTS
                )
                for method in sorted(rule.methods & {"GET", "POST"}):
                    urls.append((rule.endpoint, method, url, owned))
    return urls


def test_the_url_map_has_the_teacher_pages(app, world):
    _, values, bank_id = world
    endpoints = {endpoint for endpoint, *_ in teacher_urls(app, values, bank_id)}
    assert {
        "teach.sets",
        "teach.set_detail",
        "teach.new_item",
        "teach.edit_item",
        "teach.preview_item",
        "teach.preview_set",
        "teach.export_set",
        "teach.import_start",
        "teach.bank",
        "teach.bank_set",
        "teach.classes",
        "teach.class_detail",
        "teach.remove_student",
        "teach.delete_set",
        "teach.move_item",
    } <= endpoints


def test_anonymous_visitors_are_sent_to_log_in(app, world):
    clients, values, bank_id = world
    for endpoint, method, url, _ in teacher_urls(app, values, bank_id):
        response = clients["anonymous"].open(url, method=method)
        assert response.status_code == 302, (endpoint, method, url)
        assert "/auth/login" in response.headers["Location"], (endpoint, method, url)
    response = clients["anonymous"].get("/classes/")
    assert "/auth/login" in response.headers["Location"]


def test_students_get_403_on_every_teacher_page(app, world):
    clients, values, bank_id = world
    for endpoint, method, url, _ in teacher_urls(app, values, bank_id):
        response = clients["student"].open(url, method=method)
        assert response.status_code == 403, (endpoint, method, url)


def test_another_teacher_gets_404_and_changes_nothing(app, world):
    clients, values, bank_id = world
    before_items = set_items(app, values["set_id"])
    for endpoint, method, url, owned in teacher_urls(app, values, bank_id):
        if not owned:
            continue
        response = clients["other"].open(url, method=method)
        assert response.status_code == 404, (endpoint, method, url)
    assert set_items(app, values["set_id"]) == before_items
    with app.app_context():
        assert db.session.get(SchoolClass, values["class_id"]) is not None
        assert db.session.scalar(select(db.func.count(Enrollment.id))) == 1
        assert db.session.scalar(select(db.func.count(Item.id))) == 3


def test_another_teachers_lists_show_none_of_the_owners_things(world):
    clients, _, _ = world
    assert "Week 1" not in clients["other"].get("/teach/sets").data.decode()
    assert "Class 7B" not in clients["other"].get("/teach/classes").data.decode()


def test_the_owner_can_open_every_page(app, world):
    clients, values, bank_id = world
    for endpoint, method, url, _ in teacher_urls(app, values, bank_id):
        if method != "GET":
            continue
        response = clients["owner"].get(url)
        if endpoint == "teach.delete_set":
            # The set is assigned to a class: deleting it is refused, back to the set page.
            assert response.status_code == 302, url
            assert response.headers["Location"] == f"/teach/sets/{values['set_id']}"
            continue
        assert response.status_code == 200, (endpoint, url, response.status_code)


def test_an_item_of_another_set_is_404_even_for_its_owner(app, world):
    clients, values, _ = world
    second = make_set(app, "teacher1", title="Other", items=[SAMPLE_ITEMS["short"]])
    foreign_item = item_ids(app, second)[0]
    url = f"/teach/sets/{values['set_id']}/items/{foreign_item}"
    assert clients["owner"].get(url).status_code == 404


def test_copying_into_another_teachers_set_is_404(app, world):
    clients, values, bank_id = world
    with app.app_context():
        bank_item = db.session.scalar(select(Item.id).where(Item.set_id == bank_id))
    response = clients["other"].post(
        f"/teach/bank/{bank_id}", data={"items": [bank_item], "target": values["set_id"]}
    )
    assert response.status_code == 404
    assert len(set_items(app, values["set_id"])) == 2
