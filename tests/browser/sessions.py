"""A browser context of its own, signed in through the log-in form (one person each)."""

from __future__ import annotations

from playwright.sync_api import Browser, Page, expect

from tests.conftest import PASSWORD


def signed_in(browser: Browser, live_server_url: str, username: str) -> Page:
    page = browser.new_context(base_url=live_server_url, accept_downloads=True).new_page()
    page.set_default_timeout(15_000)
    page.goto("/auth/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_text(f"Signed in as {username}")).to_be_visible()
    return page
