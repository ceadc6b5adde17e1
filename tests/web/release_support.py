"""A class for the review-option and assignment-setting tests: teacher1 with a published
set of one single-choice item (with per-option feedback, an explanation and a source) and
one true/false item, and a class holding ana and ben; the clock is settable."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from models import Attempt, SetStatus, User, db
from quizzes.classes import services as class_services
from tests.web.teach_support import SAMPLE_ITEMS, make_set, text_of, user_id

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
ITEMS = [SAMPLE_ITEMS["single"], SAMPLE_ITEMS["truefalse"]]
OPTION_FEEDBACK = "Yes, 2016."  # the right option's "why"
EXPLANATION = "deputy ambassador"  # inside the single-choice item's explanation


@dataclass
class School:
    app: Flask
    clock: dict[str, datetime]
    teacher: FlaskClient
    students: dict[str, FlaskClient]
    set_id: int
    class_id: int

    def assign(self, **fields: str):
        data = {
            "set_id": str(self.set_id),
            "opens_at": "2026-03-02T08:00",
            "due_at": "2026-03-09T17:00",
            "attempt_limit": "",
            "time_limit_minutes": "",
            "feedback_mode": "end",
        } | fields
        return self.teacher.post(f"/teach/classes/{self.class_id}/assignments/new", data=data)

    def start(self, name: str, assignment_id: int) -> int:
        response = self.students[name].post(f"/classes/assignments/{assignment_id}/start")
        assert response.status_code == 302, text_of(response.get_data(as_text=True))[:400]
        return int(re.search(r"/quiz/attempts/(\d+)", response.headers["Location"]).group(1))

    def answer_right(self, name: str, attempt_id: int, check: bool = False) -> None:
        """Save a right answer to every item (with "Check answer" when `check`)."""
        with self.app.app_context():
            keys = [item.snapshot for item in db.session.get(Attempt, attempt_id).items]
        for position, snap in enumerate(keys, start=1):
            if snap["type"] == "truefalse":
                answer: dict[str, Any] = {"answer": "true" if snap["key"]["answer"] else "false"}
            else:
                answer = {"answer": str(snap["key"]["correct"])}
            if check:
                answer["check"] = "1"
            saved = self.students[name].post(
                f"/quiz/attempts/{attempt_id}/items/{position}", data=answer
            )
            assert saved.status_code == 302

    def submit(self, name: str, attempt_id: int) -> None:
        response = self.students[name].post(f"/quiz/attempts/{attempt_id}/submit")
        assert response.status_code == 302


def build_school(app: Flask, login_as, items: list[dict[str, Any]] = ITEMS) -> School:
    clock = {"now": NOW}
    app.config["QUIZDECK_NOW"] = lambda: clock["now"]
    teacher = login_as("teacher1", "teacher")
    students = {name: login_as(name) for name in ("ana", "ben")}
    set_id = make_set(app, "teacher1", title="Week 1", items=items, status=SetStatus.PUBLISHED)
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
    return School(app, clock, teacher, students, set_id, class_id)
