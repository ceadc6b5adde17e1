"""Times show in a person's own zone from the start: sign-up stores the browser's zone,
and the account page offers the device's zone in one press (issue 18)."""

import pytest
from playwright.sync_api import Browser, expect
from sqlalchemy import select

from models import User, db
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def _zone_of(app, username: str) -> str:
    with app.app_context():
        return db.session.scalar(select(User.timezone).where(User.username == username))


def test_sign_up_stores_the_browsers_time_zone(browser: Browser, live_server_url, app):
    app.config["WTF_CSRF_ENABLED"] = True
    context = browser.new_context(base_url=live_server_url, timezone_id="Asia/Seoul")
    page = context.new_page()
    page.goto("/auth/register")
    page.get_by_label("Username").fill("seoul.student")
    page.get_by_label("Display name (optional)").fill("Ji-woo Han")
    page.get_by_label("Password", exact=True).fill("a long enough secret")
    page.get_by_label("Repeat password").fill("a long enough secret")
    page.get_by_label("Student").check()
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_text("Signed in as seoul.student")).to_be_visible()
    assert _zone_of(app, "seoul.student") == "Asia/Seoul"
    context.close()


def test_account_page_offers_the_devices_zone(browser: Browser, live_server_url, app, create_user):
    app.config["WTF_CSRF_ENABLED"] = True
    create_user("teacher1", "teacher")
    context = browser.new_context(base_url=live_server_url, timezone_id="America/New_York")
    page = context.new_page()
    page.goto("/auth/login")
    page.get_by_label("Username").fill("teacher1")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_text("Signed in as teacher1")).to_be_visible()
    page.goto("/account/")
    offer = page.get_by_role("button", name="Use this device's time zone (America/New_York)")
    expect(offer).to_be_visible()
    offer.click()
    expect(page.locator("select#timezone")).to_have_value("America/New_York")
    page.get_by_role("button", name="Save time zone").click()
    expect(page.get_by_text("Your time zone is now America/New_York")).to_be_visible()
    assert _zone_of(app, "teacher1") == "America/New_York"
    # Now equal to the device's: nothing to offer.
    expect(page.get_by_role("button", name="Use this device's time zone")).to_be_hidden()
    context.close()
