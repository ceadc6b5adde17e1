"""A teacher writes a set with three item types in a real browser, by labels and keyboard."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def _log_in(page: Page, username: str) -> None:
    page.goto("/auth/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("Password").press("Enter")
    expect(page.get_by_text(f"Signed in as {username}")).to_be_visible()


def test_teacher_writes_a_set_with_three_item_types(page: Page, app, create_user):
    app.config["WTF_CSRF_ENABLED"] = True  # the real browser sends real tokens
    create_user("teacher1", "teacher")
    _log_in(page, "teacher1")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="My sets").click()
    page.get_by_label("Title").fill("Week 1: the UN and the DPRK")
    page.get_by_role("button", name="Create set").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Week 1: the UN and the DPRK")

    # 1. Single choice, first with a mistake: two right answers.
    page.get_by_role("link", name="Single choice").click()
    page.get_by_label("Question").fill("Who released the cables?")
    page.get_by_label("Option 1", exact=True).fill("The Ministry of Unification")
    page.get_by_label("Option 2", exact=True).fill("The Ministry of Foreign Affairs")
    page.get_by_label("Right answer (option 1)").check()
    page.get_by_label("Right answer (option 2)").press("Space")  # ticked by keyboard
    # "Add option" works in place (JavaScript): a fifth row, and the focus is in it.
    page.get_by_role("button", name="Add option").click()
    fifth = page.get_by_label("Option 5", exact=True)
    expect(fifth).to_be_focused()
    page.keyboard.type("The National Intelligence Service")
    page.get_by_role("button", name="Remove option 4").click()
    expect(page.get_by_label("Option 4", exact=True)).to_have_value(
        "The National Intelligence Service"
    )
    expect(page.get_by_label("Option 5", exact=True)).to_have_count(0)
    # Enter in a text box saves (the first submit button is "Save", not "Remove").
    page.get_by_label("Option 4", exact=True).press("Enter")
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("but 2 are marked")
    expect(summary).to_be_focused()
    expect(page.get_by_label("Option 4", exact=True)).to_have_value(
        "The National Intelligence Service"
    )
    page.get_by_label("Right answer (option 2)").uncheck()
    page.get_by_role("button", name="Save and add another").click()
    expect(page.get_by_text("Added item 1.")).to_be_visible()

    # 2. True or false, from the set page.
    page.get_by_role("link", name="Week 1: the UN and the DPRK").click()
    page.get_by_role("link", name="True or false").click()
    page.get_by_label("Statement").fill("North Korea accepted every UPR recommendation.")
    page.get_by_label("False").check()
    page.get_by_label("Explanation, shown after answering (optional)").fill("It rejected *many*.")
    page.get_by_role("button", name="Save item", exact=True).click()
    expect(page.get_by_text("Added item 2.")).to_be_visible()

    # 3. Cloze with two blanks.
    page.get_by_role("link", name="Fill in the blanks").click()
    page.get_by_label("Text with blanks").fill("The cables were released in {1} by {2}.")
    page.get_by_label("Answers for blank {1}, one per line").fill("2024")
    page.get_by_label("Answers for blank {2}, one per line").fill("South Korea\nSeoul")
    page.get_by_label("Topic tags, separated by commas (optional)").fill("cables, UPR")
    page.get_by_role("button", name="Save item", exact=True).click()
    expect(page.get_by_text("Added item 3.")).to_be_visible()

    items = page.locator(".set-item")
    expect(items).to_have_count(3)
    expect(items.nth(0)).to_contain_text("Single choice")
    expect(items.nth(1)).to_contain_text("True or false")
    expect(items.nth(2)).to_contain_text("Fill in the blanks")

    # Reorder with the keyboard: move item 3 up.
    page.get_by_role("button", name="Move item 3 up").focus()
    page.keyboard.press("Enter")
    expect(page.locator(".set-item").nth(1)).to_contain_text("Fill in the blanks")

    # The preview shows what a student sees and grades a try.
    page.get_by_role("link", name="Preview as a student").click()
    expect(page.get_by_role("heading", name="Question 1")).to_be_visible()
    expect(page.get_by_text("The Ministry of Unification")).to_be_visible()
    question = page.locator("section", has=page.get_by_role("heading", name="Question 2"))
    question.get_by_label("Blank 1").fill("2024")
    question.get_by_label("Blank 2").fill("seoul")
    question.get_by_role("button", name="Check question 2").click()
    expect(page.get_by_role("heading", name=re.compile("Right"))).to_be_visible()

    # Publish.
    page.get_by_role("link", name="Week 1: the UN and the DPRK").click()
    page.get_by_role("button", name="Publish").click()
    expect(
        page.get_by_text(re.compile("Published: the set can now be assigned to classes."))
    ).to_be_visible()


def test_a_teacher_puts_an_ordering_item_in_order_by_keyboard(page: Page, app, create_user):
    from tests.web.teach_support import make_set, set_items

    app.config["WTF_CSRF_ENABLED"] = True
    create_user("teacher1", "teacher")
    set_id = make_set(app, "teacher1", title="Defections")
    _log_in(page, "teacher1")
    page.goto(f"/teach/sets/{set_id}/items/new/ordering")
    page.get_by_role("button", name="Remove item 4").click()
    # Typed in the wrong order; the right one is Kim, Tae, cables.
    for number, text in enumerate(
        ["The cables are released", "Tae Yong-ho defects", "Kim Jong-il dies"], start=1
    ):
        page.get_by_label(f"Item {number}", exact=True).fill(text)
    expect(page.get_by_role("button", name="Move “The cables are released” up")).to_be_hidden()

    kim_up = page.get_by_role("button", name="Move “Kim Jong-il dies” up")
    kim_up.focus()
    page.keyboard.press("Enter")
    expect(kim_up).to_be_focused()  # still on the button just pressed, now on row 2
    expect(page.get_by_label("Item 2", exact=True)).to_have_value("Kim Jong-il dies")
    page.keyboard.press("Space")
    # At the top there is no "Up": the keyboard is on the same entry's "Down".
    expect(page.get_by_role("button", name="Move “Kim Jong-il dies” down")).to_be_focused()
    expect(kim_up).to_be_hidden()
    expect(page.locator("#list-status")).to_have_text("Moved “Kim Jong-il dies”: now item 1 of 3.")

    page.get_by_role("button", name="Move “The cables are released” down").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Move “The cables are released” up")).to_be_focused()
    for number, text in enumerate(
        ["Kim Jong-il dies", "Tae Yong-ho defects", "The cables are released"], start=1
    ):
        expect(page.get_by_label(f"Item {number}", exact=True)).to_have_value(text)
    page.get_by_role("button", name="Save item", exact=True).click()
    expect(page.get_by_text("Added item 1.")).to_be_visible()
    [item] = set_items(app, set_id)
    assert item["data"] == {
        "items": ["Kim Jong-il dies", "Tae Yong-ho defects", "The cables are released"]
    }


def test_student_joins_a_class_with_its_code(page: Page, app, create_user, browser):
    app.config["WTF_CSRF_ENABLED"] = True
    create_user("teacher1", "teacher")
    create_user("student1")
    _log_in(page, "teacher1")
    page.goto("/teach/classes")
    page.get_by_label("Class name").fill("Year 10 History")
    page.get_by_role("button", name="Create class").click()
    code = page.locator(".join-code-big code").inner_text()
    assert re.fullmatch(r"[A-Z0-9]{3}-[A-Z0-9]{3}", code)
    page.get_by_role("button", name="Log out").click()

    _log_in(page, "student1")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="My classes").click()
    page.get_by_label("Join code").fill(code.lower())
    page.get_by_label("Join code").press("Enter")
    expect(page.get_by_text("You joined Year 10 History.")).to_be_visible()
    expect(page.get_by_role("heading", name="Classes you are in")).to_be_visible()
    expect(page.get_by_text("teacher teacher1")).to_be_visible()


def test_the_import_examples_scroll_in_their_box_on_a_phone(page: Page, app, create_user):
    create_user("teacher1", "teacher")
    page.set_viewport_size({"width": 390, "height": 844})
    _log_in(page, "teacher1")
    page.goto("/teach/import")
    for summary in page.locator("details > summary").all():
        summary.click()
    expect(page.locator("details[open] pre").first).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_copying_nothing_from_the_bank_puts_the_keyboard_on_the_boxes(page: Page, app, create_user):
    from tests.web.teach_support import SAMPLE_ITEMS, make_set

    create_user("teacher1", "teacher")
    bank_id = make_set(app, None, title="Defections", items=[SAMPLE_ITEMS["single"]])
    _log_in(page, "teacher1")
    page.goto(f"/teach/bank/{bank_id}")
    page.get_by_role("button", name="Copy the ticked items").click()
    expect(page.get_by_text("Error: Tick at least one item to copy.")).to_be_visible()
    expect(page.get_by_role("checkbox").first).to_be_focused()


def test_after_moving_an_item_the_keyboard_stays_with_it_and_hears_what_happened(
    page: Page, app, create_user
):
    """A page reloaded by an action left the focus at the top and said nothing."""
    from tests.web.teach_support import SAMPLE_ITEMS, make_set

    create_user("teacher1", "teacher")
    set_id = make_set(
        app, "teacher1", title="Week 1", items=[SAMPLE_ITEMS["single"], SAMPLE_ITEMS["short"]]
    )
    _log_in(page, "teacher1")
    page.goto(f"/teach/sets/{set_id}")
    page.get_by_role("button", name="Move item 1 down").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("Moved item 1 down: it is now item 2.")).to_be_visible()
    moved = page.locator(".set-item").nth(1)
    expect(moved).to_be_focused()  # the item, where the page points (#item-…)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('.set-item') !== null")
    # A message with no place to point to takes the focus itself.
    page.get_by_role("button", name="Delete item 1").focus()
    page.once("dialog", lambda dialog: dialog.accept())
    page.keyboard.press("Enter")
    expect(page.locator(".flashes")).to_be_focused()


def test_without_javascript_an_editor_with_mistakes_puts_the_keyboard_on_the_summary(
    browser, live_server_url, app, create_user
):
    from tests.web.teach_support import make_set

    create_user("teacher1", "teacher")
    set_id = make_set(app, "teacher1", title="Week 1")
    context = browser.new_context(base_url=live_server_url, java_script_enabled=False)
    page = context.new_page()
    try:
        _log_in(page, "teacher1")
        page.goto(f"/teach/sets/{set_id}/items/new/truefalse")
        page.get_by_role("button", name="Save item").click()
        expect(page.locator("#error-summary")).to_be_focused()
    finally:
        context.close()
