"""A learner imports a Quizlet export into their deck with the keyboard alone."""

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from models import Card, db
from tests.conftest import PASSWORD
from tests.web.cards_seed import seed_deck

pytestmark = pytest.mark.browser


def test_import_cards_by_keyboard(page: Page, app, create_user, tmp_path):
    app.config["WTF_CSRF_ENABLED"] = True  # the real browser sends real tokens
    uid = create_user("importer")
    with app.app_context():
        deck_id = seed_deck(uid, cards=1, title="Korean")
    words = tmp_path / "quizlet.txt"
    words.write_text("안녕하세요\thello\n감사합니다\tthank you\nFront 1\tBack 1\n")
    page.goto("/auth/login")
    page.get_by_label("Username").fill("importer")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    # Wait for the sign-in to land: a goto() racing the login POST cancels it under load.
    expect(page.get_by_text("Signed in as")).to_be_visible()
    page.goto(f"/cards/my-{deck_id}")

    page.get_by_role("link", name="Import cards").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Import cards into “Korean”")).to_be_visible()
    file_field = page.get_by_label("Anki package or text file")
    # The page's own script places the focus once loaded: focus the field after it has run,
    # or under load the Space below lands elsewhere and no file chooser opens.
    page.wait_for_load_state("load")
    file_field.focus()
    expect(file_field).to_be_focused()
    with page.expect_file_chooser() as chooser:
        # Focused and pressed in one step: under load a late focus change of the page's
        # could land between a separate focus and key press (CI saw no chooser open).
        file_field.press("Space")
    chooser.value.set_files(str(words))
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Preview the import")).to_be_focused()
    page.keyboard.press("Enter")

    expect(page.get_by_text("Confirming will add 2 cards to “Korean”.")).to_be_visible()
    expect(page.get_by_role("heading", name="Left out: 1 repeated card")).to_be_visible()
    confirm = page.get_by_role("button", name="Import 2 cards")
    confirm.focus()
    page.keyboard.press("Enter")

    expect(page.get_by_text("Imported 2 cards into “Korean”.")).to_be_visible()
    with app.app_context():
        fronts = db.session.scalars(select(Card.front).where(Card.deck_id == deck_id))
        assert list(fronts) == ["Front 1", "안녕하세요", "감사합니다"]
