"""Teacher sign-ups in a real browser: a teacher signs up and waits, an administrator
approves from the keyboard, makes an invitation code; the admin page passes the axe audit."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from models import Role, User, db
from tests.browser.test_accessibility_browser import AXE, RUN_AXE, signed_in
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def sign_up_as_teacher(page: Page, username: str) -> None:
    page.goto("/auth/register")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Repeat password").fill(PASSWORD)
    page.get_by_label("Teacher").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Create account").click()


def test_a_teacher_waits_and_an_admin_approves_with_the_keyboard(
    app, browser: Browser, live_server_url, page: Page, create_user
):
    sign_up_as_teacher(page, "hopeful")
    expect(page.get_by_text("Your teacher account waits for an administrator")).to_be_visible()
    expect(page.get_by_role("link", name="My sets")).to_have_count(0)

    create_user("boss", Role.ADMIN)
    admin = signed_in(browser, live_server_url, "boss", PASSWORD)
    try:
        admin.get_by_role("link", name="Teacher sign-ups").click()
        approve = admin.get_by_role("button", name="Approve hopeful")
        approve.focus()
        with admin.expect_navigation():
            admin.keyboard.press("Enter")
        expect(admin.get_by_text("hopeful is a teacher now.")).to_be_visible()
        expect(admin.get_by_text("No account is waiting.")).to_be_visible()

        admin.get_by_label("Username of the new teacher").fill("invited")
        with admin.expect_navigation():
            admin.get_by_role("button", name="Make a code").click()
        expect(admin.locator("code.invitation-code")).to_be_visible()

        admin.evaluate(AXE.read_text(encoding="utf-8"))
        assert admin.evaluate(RUN_AXE) == []
    finally:
        admin.context.close()

    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == "hopeful"))
        assert user.role is Role.TEACHER
    page.goto("/")
    expect(page.get_by_role("link", name="My sets")).to_be_visible()


def test_the_admin_page_with_accounts_waiting_passes_the_audit(
    app, browser: Browser, live_server_url, page: Page, create_user
):
    if not AXE.exists():
        pytest.fail("axe-core is missing: `make test` installs it (npm ci in tests/js)")
    sign_up_as_teacher(page, "hopeful")
    create_user("boss", Role.ADMIN)
    admin = signed_in(browser, live_server_url, "boss", PASSWORD)
    try:
        admin.goto("/admin/teachers")
        expect(admin.get_by_role("button", name="Approve hopeful")).to_be_visible()
        admin.evaluate(AXE.read_text(encoding="utf-8"))
        assert admin.evaluate(RUN_AXE) == []
    finally:
        admin.context.close()
