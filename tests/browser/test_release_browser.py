"""Held answers in a real browser, with CSRF on: a teacher assigns a set with the score,
right answers and explanations held until the due date and gives one student extra time;
a student submits and learns nothing before the date (result page, history, account
export); after the last due date the result shows them. Found by role and label."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect

from models import SetStatus, User, db
from quizzes.classes import services as class_services
from tests.browser.sessions import signed_in
from tests.web.teach_support import SAMPLE_ITEMS, make_set, user_id

pytestmark = pytest.mark.browser

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def clock(app):
    moment = {"now": START}
    app.config["QUIZDECK_NOW"] = lambda: moment["now"]
    return moment


@pytest.fixture
def class_id(app, create_user, clock) -> int:
    for name, role in (("teacher1", "teacher"), ("ana", "student"), ("ben", "student")):
        create_user(name, role)
    make_set(
        app, "teacher1", title="Week 1", items=[SAMPLE_ITEMS["single"]], status=SetStatus.PUBLISHED
    )
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


def test_answers_held_until_the_last_due_date(browser, live_server_url, class_id, clock):
    teacher = signed_in(browser, live_server_url, "teacher1")
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
    expect(teacher.get_by_text("right answers after the due date")).to_be_visible()

    teacher.get_by_role("link", name="Extensions and extra time for Week 1").click()
    teacher.get_by_label("Student", exact=True).select_option(label="ben")
    teacher.get_by_label("Later due date for this student (optional)").fill("2026-03-11T17:00")
    teacher.get_by_label("Extra minutes on the time limit (optional)").fill("10")
    teacher.get_by_role("button", name="Save the extension").click()
    expect(teacher.get_by_text("Saved the extension for ben.")).to_be_visible()
    expect(teacher.get_by_role("row", name="ben")).to_contain_text("30 min (10 extra)")

    ben = signed_in(browser, live_server_url, "ben")
    ben.goto("/classes/")
    expect(ben.get_by_text("The 30-minute timer starts when you press it.")).to_be_visible()

    ana = signed_in(browser, live_server_url, "ana")
    ana.goto("/classes/")
    expect(ana.get_by_text("The 20-minute timer starts when you press it.")).to_be_visible()
    ana.get_by_role("button", name="Start Week 1").click()
    ana.get_by_label("Deputy ambassador in London").check()
    ana.keyboard.press("Enter")
    ana.get_by_role("button", name="Submit").click()
    expect(
        ana.get_by_text("Your score: shown after the due date, 11 Mar 2026, 17:00 UTC")
    ).to_be_visible()
    expect(ana.get_by_text("Right answer", exact=True)).to_have_count(0)
    expect(ana.get_by_role("heading", name="Why")).to_have_count(0)  # no explanation
    ana.goto("/quiz/history")
    expect(ana.get_by_role("cell", name="Not shown yet")).to_be_visible()
    with ana.expect_download() as download:
        ana.goto("/account/")
        ana.get_by_role("link", name="Download all your data (JSON)").click()
    data = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    (attempt,) = data["attempts"]
    assert attempt["score"] is None and "key" not in attempt["items"][0]["snapshot"]

    # Past the class's due date, ben's extension still runs: still held.
    clock["now"] = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)
    ana.goto("/quiz/history")
    expect(ana.get_by_role("cell", name="Not shown yet")).to_be_visible()
    # Past ben's: everything shows.
    clock["now"] = datetime(2026, 3, 11, 17, 0, tzinfo=UTC) + timedelta(minutes=1)
    ana.get_by_role("link", name="Review the attempt", exact=False).click()
    expect(ana.get_by_text("Score: 1 of 1")).to_be_visible()
    expect(ana.get_by_text("Right answer", exact=True)).to_be_visible()
    expect(ana.get_by_role("heading", name="Why")).to_be_visible()
