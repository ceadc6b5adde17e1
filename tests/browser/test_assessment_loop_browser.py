"""Issue 18's whole loop in a real browser, CSRF on: a teacher writes a set with an essay
and an image item, assigns it with everything held until the due date and gives one
student extra time; both students submit; nothing leaks before the last due date (result,
history, review pages, the account export, the teacher's CSV); the teacher marks the essays
from the queue, overrides one mark, edits a key and regrades after reading the preview;
after the last due date a student sees what the review options allow."""

from __future__ import annotations

import io
import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import Page, expect
from sqlalchemy import select

from models import Attempt, MarkChange, User, db
from quizzes.classes import services as class_services
from tests.browser.sessions import signed_in
from tests.web.teach_support import user_id

pytestmark = pytest.mark.browser

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
ESSAY = "Why did the regime answer the UPR with counter-resolutions? Explain in your own words."
EXPLANATION = "The map shows the border that Ri Il-gyu crossed."


@pytest.fixture
def clock(app):
    moment = {"now": START}
    app.config["QUIZDECK_NOW"] = lambda: moment["now"]
    return moment


@pytest.fixture
def class_id(app, create_user, clock) -> int:
    for name, role in (("teacher1", "teacher"), ("ana", "student"), ("ben", "student")):
        create_user(name, role)
    with app.app_context():
        school_class = class_services.create_class(
            db.session.get(User, user_id(app, "teacher1")), "Year 10"
        )
        for name in ("ana", "ben"):
            class_services.join_class(
                db.session.get(User, user_id(app, name)), school_class.join_code
            )
        db.session.commit()
        return school_class.id


def png(tmp_path: Path) -> Path:
    path = tmp_path / "border.png"
    image = Image.new("RGB", (40, 20), (200, 30, 30))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    path.write_bytes(buffer.getvalue())
    return path


def write_the_set(teacher: Page, tmp_path: Path) -> int:
    teacher.get_by_role("navigation", name="Main").get_by_role("link", name="My sets").click()
    teacher.get_by_label("Title").fill("Week 1")
    teacher.get_by_role("button", name="Create set").click()
    set_id = int(re.search(r"/teach/sets/(\d+)", teacher.url).group(1))

    teacher.get_by_role("link", name="Essay", exact=True).click()
    teacher.get_by_label("Question").fill(ESSAY)
    teacher.get_by_label("Max points, when there is no rubric").fill("2")
    teacher.get_by_role("button", name="Save item", exact=True).click()
    expect(teacher.get_by_text(ESSAY[:40])).to_be_visible()

    teacher.get_by_role("link", name="Single choice").click()
    teacher.get_by_label("Question").fill("Which border did Ri Il-gyu cross first?")
    teacher.get_by_label("Option 1", exact=True).fill("China's")
    teacher.get_by_label("Option 2", exact=True).fill("Russia's")
    teacher.get_by_label("Right answer (option 1)").check()
    teacher.get_by_label("Explanation, shown after answering (optional)").fill(EXPLANATION)
    teacher.get_by_label("Image file (optional)").set_input_files(str(png(tmp_path)))
    teacher.get_by_label("Alt text: what the image shows").fill("A map of the border")
    teacher.get_by_role("button", name="Save item", exact=True).click()
    expect(teacher.get_by_text("Which border did Ri Il-gyu cross first?")).to_be_visible()
    teacher.get_by_role("button", name="Publish").click()
    return set_id


def assign_with_everything_held(teacher: Page, class_id: int) -> int:
    teacher.goto(f"/teach/classes/{class_id}")
    teacher.get_by_role("link", name="Assign a set").click()
    teacher.get_by_label("Due (optional)").fill("2026-03-09T17:00")
    teacher.get_by_label("Time limit in minutes (empty: untimed)").fill("20")
    for label in (
        "Score (right or wrong, and the total)",
        "Right answers",
        "Explanations and sources",
    ):
        teacher.get_by_label(label).select_option("after_due")
    teacher.get_by_role("button", name="Assign").click()
    expect(teacher.get_by_text("Assigned “Week 1” to Year 10.")).to_be_visible()
    teacher.get_by_role("link", name="Extensions and extra time for Week 1").click()
    assignment_id = int(re.search(r"/assignments/(\d+)", teacher.url).group(1))
    teacher.get_by_label("Student", exact=True).select_option(label="ben")
    teacher.get_by_label("Later due date for this student (optional)").fill("2026-03-11T17:00")
    teacher.get_by_label("Extra minutes on the time limit (optional)").fill("10")
    teacher.get_by_role("button", name="Save the extension").click()
    expect(teacher.get_by_text("Saved the extension for ben.")).to_be_visible()
    return assignment_id


def take(student: Page, essay: str, option: str) -> None:
    student.goto("/classes/")
    student.get_by_role("button", name="Start Week 1").click()
    for number in (1, 2):
        # Next moves in the page (quiz_nav.js): wait for the question, not for a page load.
        expect(student.locator("#question-heading")).to_contain_text(f"Question {number}")
        if student.get_by_label("Your answer").count():
            student.get_by_label("Your answer").fill(essay)
        else:
            expect(student.get_by_role("img", name="A map of the border")).to_be_visible()
            student.get_by_label(option).check()
        student.get_by_role("button", name=re.compile("^Save and (next|review)$")).click()
    student.get_by_role("button", name="Submit quiz").click()
    expect(student.get_by_role("heading", level=1)).to_contain_text("Result")


def export_of(student: Page) -> dict:
    with student.expect_download() as download:
        student.goto("/account/")
        student.get_by_role("link", name="Download all your data (JSON)").click()
    return json.loads(Path(download.value.path()).read_text(encoding="utf-8"))


def test_the_whole_loop(browser, live_server_url, app, class_id, clock, tmp_path):
    app.config["WTF_CSRF_ENABLED"] = True
    teacher = signed_in(browser, live_server_url, "teacher1")
    set_id = write_the_set(teacher, tmp_path)
    assignment_id = assign_with_everything_held(teacher, class_id)

    ana = signed_in(browser, live_server_url, "ana")
    take(ana, "Because friendly states outvoted the critics, so it looked less alone.", "China's")
    ben = signed_in(browser, live_server_url, "ben")
    take(ben, "To show the resolution was political.", "Russia's")

    # Nothing leaks before the last due date.
    for student in (ana, ben):
        page = student.content()
        assert "Right answer" not in page and EXPLANATION not in page
        student.goto("/quiz/history")
        expect(student.get_by_role("cell", name="Not shown yet")).to_be_visible()
        data = export_of(student)
        (attempt,) = data["attempts"]
        assert attempt["score"] is None
        for item in attempt["items"]:
            assert "key" not in item["snapshot"] and "explanation" not in item["snapshot"]
        # The teacher's CSVs are the teacher's only.
        for url in (
            f"/teach/classes/{class_id}/gradebook.csv",
            f"/teach/assignments/{assignment_id}/marks.csv",
        ):
            assert student.request.get(url, max_redirects=0).status in (302, 403, 404)

    # The teacher marks the essays from the queue.
    teacher.goto(f"/teach/classes/{class_id}")
    teacher.get_by_role("link", name=re.compile("Needs grading: 2")).click()
    for points in ("2", "1"):
        teacher.get_by_label("Mark (points out of 2)").fill(points)
        teacher.get_by_label("Comment for the student").fill(f"Marked {points}.")
        teacher.get_by_role("button", name="Save and next").click()
    expect(teacher.get_by_role("heading", name="Needs grading: 0")).to_be_visible()

    # Overrides ben's choice question by hand, with a comment (kept in the trail).
    teacher.goto(f"/teach/classes/{class_id}/gradebook")
    teacher.get_by_role("link", name=re.compile(r"^ben, Week 1")).click()
    position = 1 if "Which border" in teacher.locator("#q1").inner_text() else 2
    form = teacher.get_by_role("form", name=f"Mark question {position}")
    form.get_by_label("Mark (points)").fill("0.5")
    form.get_by_label("Comment for the student").fill("Half: Russia's border came later.")
    form.get_by_role("button", name=f"Save mark for question {position}").click()
    expect(teacher.get_by_text("Half: Russia's border came later.").first).to_be_visible()

    # Edits the key (the teacher had it the wrong way round) and reads the preview first.
    teacher.goto(f"/teach/sets/{set_id}")
    teacher.get_by_role("link", name="Edit item 2").click()
    teacher.get_by_label("Right answer (option 1)").uncheck()
    teacher.get_by_label("Right answer (option 2)").check()
    teacher.get_by_role("button", name="Save item", exact=True).click()
    expect(teacher.get_by_role("heading", name="Regrade: 1 student’s mark changes")).to_be_visible()
    with app.app_context():
        scores = dict(db.session.execute(select(Attempt.user_id, Attempt.score)).all())
        ana_id, ben_id = user_id(app, "ana"), user_id(app, "ben")
    assert scores == {ana_id: 1.0, ben_id: 0.5}  # nothing written by the preview
    preview = teacher.locator("main").inner_text()
    assert "ana" in preview and "ben" in preview  # ana's mark changes; ben's hand mark stays
    teacher.get_by_role("button", name=re.compile("^Regrade")).click()
    with app.app_context():
        scores = dict(db.session.execute(select(Attempt.user_id, Attempt.score)).all())
        assert db.session.scalar(select(db.func.count(MarkChange.id))) == 4  # 2+1+1 rows
    assert scores == {ana_id: 0.5, ben_id: 0.5}

    # Past the class's due date, ben's extension still runs: nothing shows yet.
    clock["now"] = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)
    ana.goto("/quiz/history")
    expect(ana.get_by_role("cell", name="Not shown yet")).to_be_visible()
    # After the last due date (ben's extension), ana sees what the options allow.
    clock["now"] = datetime(2026, 3, 11, 17, 0, tzinfo=UTC) + timedelta(minutes=1)
    ana.goto("/quiz/history")
    ana.get_by_role("link", name="Review the attempt", exact=False).click()
    expect(ana.get_by_text("Right answer", exact=True).first).to_be_visible()
    expect(ana.get_by_text(EXPLANATION)).to_be_visible()
    expect(ana.get_by_text("Marked 2.")).to_be_visible()
    data = export_of(ana)
    assert data["attempts"][0]["score"] is not None
