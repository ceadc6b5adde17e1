"""An essay in a real browser: the word count follows the typing, autosave keeps the text,
the limit is said when crossed, and the result says the answer awaits grading."""

import pytest
from playwright.sync_api import Page, expect

from models import SetStatus
from tests.browser.test_quiz_browser import log_in
from tests.web.teach_support import make_set

pytestmark = pytest.mark.browser


@pytest.fixture
def essay_set(app, create_user):
    app.config["WTF_CSRF_ENABLED"] = True  # the real browser sends real tokens
    create_user("student1")
    item = {
        "type": "essay",
        "prompt": "Why did the armistice not end the war?",
        "data": {"word_limit": 5},
        "explanation": "",
        "sources": [],
        "topics": ["war"],
        "difficulty": 0.5,
    }
    return make_set(app, None, title="Essays", items=[item], status=SetStatus.PUBLISHED)


def test_an_essay_is_written_counted_saved_and_awaits_grading(page: Page, essay_set):
    log_in(page)
    page.goto("/quiz/")
    page.get_by_role("button", name="Start quiz").click()
    box = page.get_by_label("Your answer")
    expect(box).to_be_focused()  # the answer has the focus as the question loads
    page.keyboard.type("No peace treaty was")
    expect(page.locator(".word-count-number")).to_have_text("4")
    page.keyboard.type(" ever signed")
    expect(page.locator(".word-count-number")).to_have_text("6")
    expect(page.locator(".word-count-over")).to_have_text(
        "Over the limit: shorten it before you submit."
    )
    expect(page.locator("#save-status")).to_contain_text("it has 6 words and the limit is 5")
    page.keyboard.press("Backspace")
    for _ in range(len("signed")):
        page.keyboard.press("Backspace")
    expect(page.locator(".word-count-over")).to_have_text("")
    expect(page.locator("#save-status")).to_contain_text("Answer saved")
    page.reload()  # the tab closed and opened again: the text comes back
    expect(page.get_by_label("Your answer")).to_have_value("No peace treaty was ever")
    page.get_by_role("button", name="Save and review").click()
    page.get_by_role("button", name="Submit quiz").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Result")
    expect(page.locator(".result-summary")).to_contain_text("0 of 1 marked, 1 awaiting grading")
    expect(page.locator(".question-heading")).to_contain_text("Awaiting grading")
