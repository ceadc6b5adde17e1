"""A whole quiz in a real browser, by keyboard alone; autosave and the countdown in action."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import Page, expect

from quizzes.quiz.presentation import TYPE_LABELS
from tests.conftest import PASSWORD
from tests.fixtures_items import ITEMS, make_items

pytestmark = pytest.mark.browser

TYPE_BY_LABEL = {label: item_type for item_type, label in TYPE_LABELS.items()}
SPECS = {spec["type"]: spec for spec in ITEMS}


@pytest.fixture
def student(app, create_user):
    app.config["WTF_CSRF_ENABLED"] = True  # the real browser sends real tokens
    make_items(app)
    create_user("student1")


def log_in(page: Page) -> None:
    page.goto("/auth/login")
    page.get_by_label("Username").fill("student1")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_text("Signed in as student1")).to_be_visible()


def tab_to(page: Page, matches: str, limit: int = 60) -> None:
    """Press Tab until the focused element matches the CSS selector."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"document.activeElement.matches({matches!r})"):
            return
    raise AssertionError(f"Tab never reached {matches}")


def choose_in_select(page: Page, select_selector: str, wanted: str) -> None:
    """Tab to a select and move its choice with the arrow keys, as a keyboard user does."""
    tab_to(page, select_selector)
    options = page.locator(select_selector).locator("option").all_inner_texts()
    for _ in range(options.index(wanted)):
        page.keyboard.press("ArrowDown")
    expect(page.locator(select_selector)).to_have_value(str(options.index(wanted) - 1))


def press_option(page: Page, text: str) -> None:
    """Press the number key shown next to an option."""
    texts = page.locator(".option-text").all_inner_texts()
    page.keyboard.press(str(texts.index(text) + 1))


def answer_by_keyboard(page: Page, item_type: str) -> None:
    data = SPECS[item_type]["data"]
    if item_type == "single":
        press_option(page, next(o["text"] for o in data["options"] if o["correct"]))
        page.keyboard.press("Enter")
    elif item_type == "multi":
        for option in data["options"]:
            if option["correct"]:
                press_option(page, option["text"])
        page.keyboard.press("Enter")
    elif item_type == "truefalse":
        page.keyboard.press("1")
        expect(page.get_by_role("radio", name="True")).to_be_checked()
        page.keyboard.press("Enter")
    elif item_type in ("short", "numeric"):
        tab_to(page, "input[name=answer]")
        page.keyboard.type("Thae Yongho" if item_type == "short" else "2014")
        page.keyboard.press("Enter")
    elif item_type == "ordering":
        for slot, text in enumerate(data["items"]):
            choose_in_select(page, f"#q{current(page)}-order-{slot}", text)
        tab_to(page, "button[data-default]")
        page.keyboard.press("Enter")
    elif item_type == "matching":
        lefts = page.locator(".match-row label").all_inner_texts()
        rights = {pair["left"]: pair["right"] for pair in data["pairs"]}
        for row, left in enumerate(lefts):
            choose_in_select(page, f"#q{current(page)}-match-{row}", rights[left])
        tab_to(page, "button[data-default]")
        page.keyboard.press("Enter")
    elif item_type == "cloze":
        tab_to(page, "input[name=blank-1]")
        page.keyboard.type("boycott")
        page.keyboard.press("Tab")
        page.keyboard.type("Geneva")
        page.keyboard.press("Enter")


def current(page: Page) -> int:
    heading = page.locator("#question-heading").inner_text()
    return int(re.match(r"Question (\d+)", heading).group(1))


def test_a_whole_quiz_by_keyboard_alone(page: Page, student):
    log_in(page)
    page.goto("/quiz/")
    # The start form: Tab to the feedback choice, arrow to "At the end", Tab to Start, Enter.
    tab_to(page, "input[name=feedback_mode]")
    page.keyboard.press("ArrowDown")
    expect(page.get_by_label("At the end")).to_be_checked()
    tab_to(page, "button[type=submit].button")
    expect(page.locator(":focus")).to_have_text("Start quiz")
    page.keyboard.press("Enter")
    expect(page.locator("#question-heading")).to_contain_text("Question 1")
    expect(page.get_by_text("Question 1 of 8")).to_be_visible()
    page.wait_for_load_state()

    # Arrow keys move between questions (focus is on the page, not in a field).
    page.keyboard.press("ArrowRight")
    expect(page.locator("#question-heading")).to_contain_text("Question 2")
    page.wait_for_load_state()
    page.keyboard.press("ArrowLeft")
    expect(page.locator("#question-heading")).to_contain_text("Question 1")

    for number in range(1, 9):
        expect(page.locator("#question-heading")).to_contain_text(f"Question {number}")
        page.wait_for_load_state()  # quiz.js runs once the page has loaded
        label = page.locator(".question-type").inner_text()
        answer_by_keyboard(page, TYPE_BY_LABEL[label])

    # After the last one, Enter led to the review page: Tab to Submit, Enter.
    expect(page.get_by_role("heading", name="Review your answers")).to_be_visible()
    expect(page.get_by_text("All 8 questions are answered.")).to_be_visible()
    tab_to(page, "button[type=submit].button")
    expect(page.locator(":focus")).to_have_text("Submit quiz")
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", name=re.compile("^Result:"))).to_be_visible()
    expect(page.locator(".score")).to_contain_text("Score: 8 of 8 (100%)")
    expect(
        page.get_by_text("Tae Yong-ho was deputy ambassador in London until 2016.")
    ).to_be_visible()
    expect(page.locator(".feedback .badge.bad")).to_have_count(0)


def test_answers_are_autosaved_and_the_countdown_runs(page: Page, student):
    log_in(page)
    page.goto("/quiz/")
    page.get_by_label("At the end").check()
    page.get_by_label("Time limit in minutes (optional)").fill("5")
    page.get_by_role("button", name="Start quiz").click()
    countdown = page.locator(".countdown-value")
    expect(countdown).to_have_text(re.compile(r"^4:5\d$|^5:00$"))
    first = countdown.inner_text()
    expect(countdown).not_to_have_text(first, timeout=3000)  # it ticks in the browser

    # Find a choice question, pick an option with the mouse, and leave without a button.
    attempt_url = page.url.rsplit("/items/", 1)[0]
    for position in range(1, 9):
        page.goto(f"{attempt_url}/items/{position}")
        if page.locator("input[name=answer][type=radio]").count():
            break
    option = page.locator(".option").nth(1)
    option.click()
    expect(page.locator("#save-status")).to_contain_text("Answer saved")
    expect(page.locator(".jump-button[aria-current=step]")).to_have_class(re.compile("answered"))
    page.reload()
    expect(page.locator("input[name=answer]").nth(1)).to_be_checked()


def test_the_phone_layout_keeps_every_control_reachable(page: Page, student):
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page)
    page.goto("/quiz/")
    page.get_by_role("button", name="Start quiz").click()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
    expect(page.get_by_role("button", name="Review and submit")).to_be_visible()


def page_width(page: Page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def test_a_long_unbroken_answer_and_wide_tables_stay_within_a_phone(page: Page, student):
    """A pasted 200-character answer once made the feedback 3,500 px wide; tables scroll
    in their own box, and their visually hidden text must not widen the page either."""
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page)
    page.goto("/quiz/")
    page.get_by_role("group", name="Question types").get_by_label("Short answer").check()
    page.get_by_role("button", name="Start quiz").click()  # feedback after each question
    page.get_by_label("Your answer").fill("x" * 200)
    page.get_by_role("button", name="Check answer").click()
    expect(page.locator("#feedback")).to_contain_text("x" * 200)
    assert page_width(page) <= 390
    page.get_by_role("button", name="Review answers").click()
    page.get_by_role("button", name="Submit quiz").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Result")
    assert page_width(page) <= 390
    page.goto("/quiz/history")
    expect(page.get_by_role("table")).to_be_visible()
    assert page_width(page) <= 390
    # The table scrolls in its box, which the keyboard can reach and which has a name.
    box = page.get_by_role("region", name="Quizzes you started, newest first")
    expect(box).to_have_attribute("tabindex", "0")
    # And the page says so: a table cut at the screen's edge gave no sign that it scrolls.
    expect(page.get_by_text("Wider than the screen: scroll the table sideways")).to_be_visible()
    page.set_viewport_size({"width": 1280, "height": 800})
    page.reload()
    expect(page.get_by_text("Wider than the screen")).to_have_count(0)  # not when it fits


def test_checking_an_answer_by_keyboard_reads_out_the_verdict(page: Page, student):
    log_in(page)
    page.goto("/quiz/")
    page.get_by_role("group", name="Question types").get_by_label("True or false").check()
    page.get_by_role("button", name="Start quiz").click()  # feedback after each question
    page.wait_for_load_state()
    page.keyboard.press("1")
    page.keyboard.press("Enter")
    expect(page.locator("#feedback")).to_be_focused()
    expect(page.locator("#feedback")).to_contain_text("Right answer")
    expect(page.get_by_role("radio", name="True")).to_be_disabled()
    page.keyboard.press("Enter")  # the next step: here the review, as this was the only one
    expect(page.get_by_role("heading", name="Review your answers")).to_be_visible()


def test_enter_in_a_list_checks_the_answer_as_the_key_help_says(page: Page, student):
    log_in(page)
    page.goto("/quiz/")
    page.get_by_role("group", name="Question types").get_by_label("Put in order").check()
    page.get_by_role("button", name="Start quiz").click()  # feedback after each question
    expect(page.locator(".keys-help")).to_contain_text("Enter check")
    slots = page.get_by_role("combobox")
    for slot in range(slots.count()):
        slots.nth(slot).select_option(index=slot + 1)  # any whole order will do
    slots.last.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator("#feedback")).to_be_focused()


def test_what_was_typed_when_time_runs_out_is_graded(page: Page, app, student):
    """The page closes the quiz at 0:00 itself: what the box holds then, typed a moment
    before and not yet autosaved, is sent within the grace period, not posted empty. The
    page's clock is Playwright's, so the countdown comes before the autosave's pause."""
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
    moment["now"] += timedelta(seconds=58)  # 2 seconds left when the page is shown again
    page.clock.install()
    page.goto(item_url)
    page.wait_for_load_state()
    page.clock.run_for(1500)
    page.get_by_label("Your answer").fill(SPECS["short"]["data"]["answers"][0]["text"])
    page.clock.run_for(600)  # 0:00 comes; the autosave's 800 ms pause has not ended
    expect(page.locator("#countdown")).to_contain_text("Time is up")
    expect(page.locator("#save-status")).to_contain_text("Answer saved")
    moment["now"] += timedelta(seconds=30)  # past the grace period: the server closes it
    page.clock.run_for(12_000)  # the page then shows the result
    expect(page.get_by_role("heading", name=re.compile("^Result:"))).to_be_visible()
    expect(page.locator(".score")).to_contain_text("Score: 1 of 1 (100%)")


def test_a_phone_shows_no_keyboard_hints(browser, live_server_url, student):
    context = browser.new_context(
        base_url=live_server_url,
        viewport={"width": 390, "height": 844},
        has_touch=True,
        is_mobile=True,
    )
    page = context.new_page()
    try:
        log_in(page)
        page.goto("/quiz/")
        page.get_by_role("button", name="Start quiz").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Question 1")
        expect(page.locator(".keys-help")).to_be_hidden()
    finally:
        context.close()


def test_an_autosave_after_being_signed_out_elsewhere_says_nothing_was_saved(
    page: Page, browser, live_server_url, student
):
    log_in(page)
    page.goto("/quiz/")
    page.get_by_label("At the end").check()
    page.get_by_role("button", name="Start quiz").click()
    attempt_url = page.url.rsplit("/items/", 1)[0]
    for position in range(1, 9):
        page.goto(f"{attempt_url}/items/{position}")
        if page.locator("input[name=answer][type=radio]").count():
            break
    # The same account logs out on another device: every session of it ends.
    phone = browser.new_context(base_url=live_server_url)
    other = phone.new_page()
    log_in(other)
    other.get_by_role("button", name="Log out").click()
    expect(other.get_by_text("You have been logged out")).to_be_visible()
    phone.close()

    page.locator(".option").nth(1).click()
    expect(page.locator("#save-status")).to_have_text(
        "You were signed out on another device. Not saved: you are not logged in. "
        "Reload the page to log in again; the answers saved before are kept."
    )
    page.reload()
    expect(page.get_by_text("You were signed out on this device")).to_be_visible()


def test_a_number_typed_with_a_letter_is_flagged_as_it_is_saved(page: Page, student):
    log_in(page)
    page.goto("/quiz/")
    page.get_by_label("At the end").check()
    page.get_by_role("button", name="Start quiz").click()
    attempt_url = page.url.rsplit("/items/", 1)[0]
    for position in range(1, 9):
        page.goto(f"{attempt_url}/items/{position}")
        if page.get_by_text("Number", exact=True).count():
            break
    field = page.locator("input[name=answer]")
    field.fill("2O14")  # a letter O for a zero
    field.press("Tab")
    expect(page.locator("#save-status")).to_contain_text(
        "is saved as typed, but it needs a number, such as 2014 or 3.5"
    )
    field.fill("2014")
    field.press("Tab")
    expect(page.locator("#save-status")).to_contain_text("Answer saved at")
