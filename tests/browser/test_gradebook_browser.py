"""The gradebook in a real browser: its caption on a phone, and its select by keyboard."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from playwright.sync_api import Browser, Page, expect

from models import QuestionSet, SetStatus, User, db
from models.attempts import FeedbackMode
from tests.conftest import PASSWORD
from tests.web.teach_support import SAMPLE_ITEMS, make_set, user_id

pytestmark = pytest.mark.browser

CAPTION = re.compile("^Scores of the best submitted attempt")


@pytest.fixture
def class_id(app, create_user) -> int:
    """teacher1's class with one student and five assignments: wider than a phone."""
    from quizzes.classes import assignments, services

    create_user("teacher1", "teacher")
    create_user("ana")
    set_id = make_set(
        app, "teacher1", title="Week 1", items=[SAMPLE_ITEMS["single"]], status=SetStatus.PUBLISHED
    )
    with app.app_context():
        teacher = db.session.get(User, user_id(app, "teacher1"))
        school_class = services.create_class(teacher, "Year 10")
        services.join_class(db.session.get(User, user_id(app, "ana")), school_class.join_code)
        question_set = db.session.get(QuestionSet, set_id)
        for _ in range(5):
            assignments.create_assignment(
                school_class,
                question_set,
                opens_at=datetime.now(UTC),
                due_at=None,
                attempt_limit=None,
                time_limit_minutes=None,
                feedback_mode=FeedbackMode.END,
            )
        db.session.commit()
        return school_class.id


def log_in(page: Page) -> None:
    page.goto("/auth/login")
    page.get_by_label("Username").fill("teacher1")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("Password").press("Enter")
    expect(page.get_by_text("Signed in as teacher1")).to_be_visible()


def test_the_caption_stays_on_a_phone_screen(browser: Browser, live_server_url: str, class_id):
    context = browser.new_context(
        base_url=live_server_url,
        viewport={"width": 390, "height": 844},
        has_touch=True,
        is_mobile=True,
    )
    page = context.new_page()
    try:
        log_in(page)
        page.goto(f"/teach/classes/{class_id}/gradebook")
        table = page.get_by_role("table", name=CAPTION)
        box = page.get_by_role("region", name=CAPTION)  # app.js: the table scrolls in it
        caption = table.locator("caption")
        expect(caption).to_have_text(
            "Scores of the best submitted attempt. “late” marks work handed in after the due "
            "date; “…” an attempt in progress."
        )
        assert table.bounding_box()["width"] > box.bounding_box()["width"]  # it does scroll

        def inside_the_box() -> bool:
            shown, frame = caption.bounding_box(), box.bounding_box()
            return (
                shown["x"] >= frame["x"] - 0.5
                and shown["x"] + shown["width"] <= frame["x"] + frame["width"] + 0.5
            )

        assert inside_the_box()  # it wraps within the screen, not along the whole table
        box.evaluate("element => { element.scrollLeft = element.scrollWidth; }")
        assert box.evaluate("element => element.scrollLeft") > 0
        assert inside_the_box()  # and stays in view while the table scrolls
        # So does each student's name, over the scores that scroll under it.
        name = table.get_by_role("rowheader", name="ana")
        shown, frame = name.bounding_box(), box.bounding_box()
        assert abs(shown["x"] - frame["x"]) <= 0.5
        hit = page.evaluate(
            "([x, y]) => document.elementFromPoint(x, y).closest('th')?.textContent",
            [shown["x"] + 5, shown["y"] + shown["height"] / 2],
        )
        assert hit == "ana"
    finally:
        context.close()


def test_enter_in_the_attempt_select_shows_that_gradebook(page: Page, class_id):
    log_in(page)
    page.goto(f"/teach/classes/{class_id}/gradebook")
    choice = page.get_by_label("Count each student's")
    choice.focus()
    page.keyboard.press("ArrowDown")
    expect(choice).to_have_value("last")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/gradebook\?use=last$"))
    expect(
        page.get_by_role("table", name=re.compile("^Scores of the last submitted"))
    ).to_be_visible()
    expect(page.get_by_label("Count each student's")).to_have_value("last")
