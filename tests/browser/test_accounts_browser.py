import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser


def test_newcomer_registers_logs_out_and_back_in(page: Page, app):
    app.config["WTF_CSRF_ENABLED"] = True  # the real browser sends real tokens
    page.goto("/")
    page.get_by_role("link", name="Sign up").click()
    page.get_by_label("Username").fill("newcomer")
    page.get_by_label("Password", exact=True).fill("a long enough secret")
    page.get_by_label("Repeat password").fill("a long enough secret")
    page.get_by_label("Student").check()
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_text("Signed in as newcomer")).to_be_visible()

    page.get_by_role("button", name="Log out").click()
    expect(
        page.get_by_text("You have been logged out, here and on every other device.")
    ).to_be_visible()
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="Log in")).to_be_visible()

    nav.get_by_role("link", name="Log in").click()
    page.get_by_label("Username").fill("newcomer")
    page.get_by_label("Password").fill("a long enough secret")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_text("Signed in as newcomer")).to_be_visible()


def test_wrong_password_shows_error_and_stays_logged_out(page: Page, create_user):
    create_user("student1")
    page.goto("/auth/login")
    page.get_by_label("Username").fill("student1")
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_text("Wrong username or password.")).to_be_visible()
    expect(page.get_by_text(re.compile("Signed in as"))).to_have_count(0)
    expect(
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Log in")
    ).to_be_visible()


def test_skip_link_is_first_and_focus_is_visible(page: Page):
    page.goto("/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused == "Skip to content"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"
