"""Moving between questions in the page (static/js/quiz_nav.js): Next, Previous, the question
list and Back save the answer and show the question with no page load; the review page,
immediate feedback, a page without the script and a browser without JavaScript load pages
as before; a failed save is retried, shown and never lost."""

import re

import pytest
from playwright.sync_api import Browser, Page, Route, expect

from models import Attempt, db
from tests.browser.test_quiz_browser import log_in, student  # noqa: F401 (a fixture)

pytestmark = pytest.mark.browser

# Set in the page: a page load (a new document) loses it.
STAY = "window.__samePage = true"
SAME_PAGE = "window.__samePage === true"


def start(page: Page, mode: str = "At the end") -> str:
    """Starts an eight-question quiz; returns the URL of its items, without the number."""
    log_in(page)
    page.goto("/quiz/")
    page.get_by_label(mode).check()
    page.get_by_role("button", name="Start quiz").click()
    expect(page.locator("#question-heading")).to_contain_text("Question 1")
    page.wait_for_load_state()
    return page.url.rsplit("/", 1)[0]


def showing(page: Page, number: int) -> None:
    expect(page.locator("#question-heading")).to_contain_text(f"Question {number}")


def document_requests(page: Page) -> list[str]:
    loads: list[str] = []
    page.on("request", lambda r: loads.append(r.url) if r.resource_type == "document" else None)
    return loads


def answer_here(page: Page) -> None:
    """Answers the question on screen by clicking or typing, whatever its type; saved."""
    change_answer(page)
    expect(page.locator("#save-status")).to_contain_text("Answer saved at")


def change_answer(page: Page) -> None:
    """Gives the question on screen a whole answer (not yet saved when this returns)."""
    item = page.locator(".quiz-item")
    if item.locator("input[name=answer][type=radio], input[name=answer][type=checkbox]").count():
        item.locator(".option").first.click()
    elif item.locator("input[type=text]").count():
        item.locator("input[type=text]").first.fill("42")  # a number fits every text answer
    else:  # lists: every position given a different choice
        for index, select in enumerate(item.locator("select").all()):
            select.select_option(index=index + 1)


def responses(app) -> dict[int, object]:
    with app.app_context():
        attempt = db.session.scalars(db.select(Attempt)).one()
        return {item.position: item.response for item in attempt.items}


def test_next_previous_and_the_list_move_in_the_page(page: Page, app, student):  # noqa: F811
    items = start(page)
    page.evaluate(STAY)
    loads = document_requests(page)

    answer_here(page)
    page.get_by_role("button", name="Save and next").click()  # the mouse
    showing(page, 2)
    assert page.url == f"{items}/2"
    expect(page).to_have_title(re.compile("^Question 2 of 8"))
    expect(page.locator(".quiz-progress-text")).to_contain_text("Question 2 of 8 · 1 of 8 answered")
    expect(page.locator(".jump-button[aria-current=step]")).to_contain_text("2")
    expect(page.locator(".jump-button").first).to_have_class(re.compile("mark-answered"))
    expect(page.locator("#quiz-announce")).to_contain_text("Question 2")
    # The answer field has the focus, as when a question loads.
    assert page.evaluate("!!document.activeElement.closest('.quiz-item')")

    page.keyboard.press("ArrowLeft")  # the keyboard: Previous
    showing(page, 1)
    assert page.url == f"{items}/1"
    page.get_by_role("button", name="Question 5").click()  # the question list
    showing(page, 5)
    page.keyboard.press("ArrowRight")
    showing(page, 6)

    page.go_back()  # Back and Forward show the question of that address
    showing(page, 5)
    page.go_back()
    showing(page, 1)
    assert page.url == f"{items}/1"
    page.go_forward()
    showing(page, 5)
    entries = page.evaluate("history.length")
    page.get_by_role("button", name="Question 5").click()  # the question on screen
    # Shown again once the focus, on the button pressed, is back in the answer field.
    expect(page.locator(".quiz-item :focus")).to_have_count(1)
    showing(page, 5)
    assert page.evaluate("history.length") == entries  # no second entry for it
    page.get_by_role("button", name="Question 3").focus()  # the list by keyboard
    page.keyboard.press("Enter")
    showing(page, 3)
    expect(page.locator(".quiz-item :focus")).to_have_count(1)

    assert page.evaluate(SAME_PAGE)
    assert loads == []
    saved = responses(app)
    assert saved[1] is not None and all(saved[n] is None for n in range(2, 9))
    with app.app_context():  # "Resume" leads to the question on screen
        assert db.session.scalars(db.select(Attempt)).one().current_position == 3


def test_each_answer_is_saved_as_the_student_moves_on(page: Page, app, student):  # noqa: F811
    start(page)
    page.evaluate(STAY)
    for number in range(1, 8):
        showing(page, number)
        answer_here(page)
        if number % 2:
            page.keyboard.press("Enter")  # keyboard: the default button, "Save and next"
        else:
            page.get_by_role("button", name="Save and next").click()
    showing(page, 8)
    assert page.evaluate(SAME_PAGE)
    saved = responses(app)
    assert all(saved[n] is not None for n in range(1, 8)) and saved[8] is None
    expect(page.locator("#answered-count")).to_have_text("7")
    # The last question's Next leads to the review page: a page load, as without the script.
    page.get_by_role("button", name="Save and review").click()
    expect(page.get_by_role("heading", name="Review your answers")).to_be_visible()
    assert not page.evaluate(SAME_PAGE)


def test_a_failed_save_is_tried_again_then_shown_and_kept(page: Page, app, student):  # noqa: F811
    items = start(page)
    page.keyboard.press("ArrowRight")
    showing(page, 2)
    page.evaluate(STAY)
    failures = {"left": 1}

    def fail_once(route: Route) -> None:
        if route.request.method == "POST" and failures["left"]:
            failures["left"] -= 1
            route.fulfill(status=503, body="busy")
        else:
            route.continue_()

    page.route(f"{items}/2", fail_once)
    page.keyboard.press("ArrowLeft")  # Previous waits for the save
    showing(page, 1)  # the second try went through
    assert failures["left"] == 0

    page.route(f"{items}/1", lambda route: route.abort())  # offline
    page.get_by_role("button", name="Question 3").click()
    expect(page.locator("#save-status")).to_have_text(
        "Could not save just now. Use the buttons below to save."
    )
    showing(page, 1)  # still here, nothing lost
    page.unroute(f"{items}/1")
    page.get_by_role("button", name="Question 3").click()
    showing(page, 3)
    assert page.evaluate(SAME_PAGE)


def test_next_with_the_answer_saved_does_not_wait_for_the_server(
    page: Page,
    app,
    student,  # noqa: F811
):
    items = start(page)
    answer_here(page)  # saved: what is on screen is what the server has
    expect(page.locator("#answer-form[data-ahead=ready]")).to_have_count(1)
    held = hold_saves(page, f"{items}/1")
    page.get_by_role("button", name="Save and next").click()
    showing(page, 2)  # while the save that records the move is still held
    expect(page.locator(".jump-button").first).to_have_class(re.compile("mark-answered"))
    wait_for(page, held)
    # The click's blur may autosave first (a text answer): the move's save is the one with go.
    with page.expect_response(
        lambda r: r.url == f"{items}/1" and 'name="go"' in (r.request.post_data or "")
    ):
        page.unroute(f"{items}/1")  # lets the held saves go
    with app.app_context():  # the move was recorded: "Resume" leads to question 2
        assert db.session.scalars(db.select(Attempt)).one().current_position == 2

    # Changed and not yet saved: Next waits for the save, and shows why it waits.
    expect(page.locator("#answer-form[data-ahead=ready]")).to_have_count(1)
    held = hold_saves(page, f"{items}/2")
    change_answer(page)
    page.get_by_role("button", name="Save and next").click()
    wait_for(page, held)
    expect(page.locator("#save-status")).to_have_text("Saving…")
    showing(page, 2)
    page.unroute(f"{items}/2")  # lets the held save go, and those after it
    showing(page, 3)


def hold_saves(page: Page, url: str) -> list[Route]:
    """Holds the POSTs to `url` until the test lets them go (route.continue_())."""
    held: list[Route] = []
    page.route(
        url,
        lambda route: held.append(route) if route.request.method == "POST" else route.continue_(),
    )
    return held


def wait_for(page: Page, held: list[Route]) -> None:
    """Until a save has been held: the browser sends it after the click returns."""
    for _ in range(100):
        if held:
            return
        page.wait_for_timeout(50)
    raise AssertionError("no save was sent")


def test_immediate_feedback_moves_by_page_loads(page: Page, student):  # noqa: F811
    start(page, "After each question")
    page.evaluate(STAY)
    page.get_by_role("button", name="Save, check later").click()
    showing(page, 2)
    page.wait_for_load_state()
    assert not page.evaluate(SAME_PAGE)


def test_without_the_script_every_move_is_a_page_load(page: Page, app, student):  # noqa: F811
    page.route("**/js/quiz_nav.js", lambda route: route.abort())
    start(page)
    page.evaluate(STAY)
    answer_here(page)  # autosave (quiz.js) still works
    page.get_by_role("button", name="Save and next").click()
    showing(page, 2)
    page.wait_for_load_state()
    assert not page.evaluate(SAME_PAGE)
    assert responses(app)[1] is not None


def test_without_javascript_the_buttons_post_the_form(
    browser: Browser,
    live_server_url: str,
    app,
    student,  # noqa: F811
):
    context = browser.new_context(base_url=live_server_url, java_script_enabled=False)
    page = context.new_page()
    try:
        log_in(page)
        page.goto("/quiz/")
        page.get_by_label("At the end").check()
        page.get_by_role("button", name="Start quiz").click()
        showing(page, 1)
        loads = document_requests(page)
        page.get_by_role("button", name="Question 3").click()
        showing(page, 3)
        assert page.url.endswith("/items/3")
        assert len(loads) == 2  # the form's POST and the page it redirects to
    finally:
        context.close()
