import json
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def log_in(page: Page, username: str) -> None:
    page.goto("/auth/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def test_a_student_downloads_their_data_then_deletes_the_account(page: Page, app, create_user):
    app.config["WTF_CSRF_ENABLED"] = True  # the real browser sends real tokens
    create_user("leaver")
    log_in(page, "leaver")
    page.get_by_role("link", name="leaver (your account)").click()
    expect(page.get_by_role("heading", name="Your account", level=1)).to_be_visible()

    with page.expect_download() as download:
        page.get_by_role("link", name="Download all your data (JSON)").click()
    assert download.value.suggested_filename.startswith("quizdeck-leaver-")
    data = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert data["profile"]["username"] == "leaver"

    page.get_by_label("Your password", exact=True).fill(PASSWORD)
    page.get_by_label("Your username, typed out").fill("leaver ")  # a stray space is fine
    page.get_by_role("button", name="Delete my account and its data").click()
    expect(
        page.get_by_text("Your account leaver and everything stored with it have been deleted.")
    ).to_be_visible()
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="Log in")).to_be_visible()

    log_in(page, "leaver")
    expect(page.get_by_text("Wrong username or password.")).to_be_visible()


def test_a_mistake_is_named_on_its_field_and_focus_can_reach_it(page: Page, create_user):
    create_user("stayer")
    log_in(page, "stayer")
    page.goto("/account/")
    page.get_by_label("Your password", exact=True).fill("not it")
    page.get_by_label("Your username, typed out").fill("stayer")
    page.get_by_role("button", name="Delete my account and its data").click()
    password = page.get_by_label("Your password", exact=True)
    expect(password).to_have_attribute("aria-invalid", "true")
    expect(password).to_have_accessible_description(
        "Error: That is not your password. Nothing was deleted."
    )
    expect(page.get_by_text("Signed in as stayer")).to_be_visible()


def test_a_password_change_by_keyboard(page: Page, app, create_user):
    app.config["WTF_CSRF_ENABLED"] = True  # the real browser sends real tokens
    create_user("changer")
    page.goto("/auth/login")
    page.get_by_label("Username").fill("changer")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    # Wait for the sign-in to land: a goto() racing the login POST cancels it under load.
    expect(page.get_by_text("Signed in as")).to_be_visible()
    page.goto("/account/")
    page.get_by_label("Current password").fill(PASSWORD)
    page.get_by_label("New password", exact=True).fill("a brand new passphrase")
    page.get_by_label("Repeat the new password").fill("a brand new passphrase")
    page.get_by_label("Repeat the new password").press("Enter")
    expect(page.get_by_text("Your password was changed.")).to_be_visible()
    expect(page.get_by_text("Signed in as")).to_be_visible()


def test_a_form_sent_back_with_a_mistake_puts_the_keyboard_on_that_field(
    page: Page, app, create_user
):
    app.config["WTF_CSRF_ENABLED"] = True
    create_user("maker")
    log_in(page, "maker")
    page.goto("/cards/decks/new")
    page.get_by_role("button", name="Save deck").click()
    title = page.get_by_label("Title")
    expect(title).to_be_focused()
    expect(title).to_have_attribute("aria-invalid", "true")
    # The same on a form whose page has no script of its own: a wrong current password.
    page.goto("/account/")
    page.get_by_label("Current password").fill("not the password")
    page.get_by_label("New password", exact=True).fill("long enough 123")
    page.get_by_label("Repeat the new password").fill("long enough 123")
    page.get_by_role("button", name="Change password").click()
    expect(page.get_by_label("Current password")).to_be_focused()


def test_the_time_zone_is_changed_on_the_account_page_by_keyboard(page: Page, app, create_user):
    app.config["WTF_CSRF_ENABLED"] = True
    create_user("traveller")
    log_in(page, "traveller")
    page.goto("/account/")
    zone = page.get_by_label("Your time zone")
    expect(zone).to_have_value("UTC")
    expect(zone).to_have_accessible_description(
        "The times on every page (quiz history, assignments' open and due dates) and your "
        "flashcard study day follow it."
    )
    zone.focus()
    page.keyboard.type("Asia/Seoul")  # a list box picks the option typed
    expect(zone).to_have_value("Asia/Seoul")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Save time zone")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_text("Your time zone is now Asia/Seoul")).to_be_visible()
    expect(page.get_by_label("Your time zone")).to_have_value("Asia/Seoul")
    page.goto("/cards/settings")
    expect(page.get_by_label("Time zone", exact=True)).to_have_value("Asia/Seoul")
