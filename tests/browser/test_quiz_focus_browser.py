"""A question opens with its answer field focused; a closed timed quiz goes to its result."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_quiz_browser import log_in, student  # noqa: F401 (a fixture)

pytestmark = pytest.mark.browser


def test_the_answer_field_has_the_focus_when_a_question_loads(page: Page, student):  # noqa: F811
    log_in(page)
    page.goto("/quiz/")
    types = page.get_by_role("group", name="Question types")
    types.get_by_label("Short answer").check()
    types.get_by_label("Number").check()
    page.get_by_label("At the end").check()
    page.get_by_role("button", name="Start quiz").click()
    expect(page.locator("#question-heading")).to_contain_text("Question 1")
    page.wait_for_load_state()
    expect(page.locator(".quiz-item input[name=answer]")).to_be_focused()
    # In the empty field the arrows still change question, as the key help says.
    page.keyboard.press("ArrowRight")
    expect(page.locator("#question-heading")).to_contain_text("Question 2")
    page.wait_for_load_state()
    field = page.locator(".quiz-item input[name=answer]")
    expect(field).to_be_focused()
    page.keyboard.type("2014")  # no Tab needed
    expect(field).to_have_value("2014")
    page.keyboard.press("ArrowLeft")  # moves the caret in a field that holds text
    expect(page.locator("#question-heading")).to_contain_text("Question 2")


def test_a_timed_quiz_whose_time_is_up_goes_to_its_result(page: Page, app, student):  # noqa: F811
    moment = {"now": datetime.now(UTC)}
    app.config["QUIZDECK_NOW"] = lambda: moment["now"]
    log_in(page)
    page.goto("/quiz/")
    page.get_by_role("group", name="Question types").get_by_label("Short answer").check()
    page.get_by_label("At the end").check()
    page.get_by_label("Time limit in minutes (optional)").fill("1")
    page.get_by_label("Close the quiz and grade what I saved").check()
    page.get_by_role("button", name="Start quiz").click()
    item_url = page.url
    # Opened again a second after the deadline, within the server's grace period: the
    # page no longer stays greyed out, it sends the quiz and shows the result.
    moment["now"] += timedelta(seconds=61)
    page.goto(item_url)
    expect(page.get_by_role("heading", name=re.compile("^Result:"))).to_be_visible()
    expect(page.locator(".score")).to_contain_text("Score: 0 of 1")
