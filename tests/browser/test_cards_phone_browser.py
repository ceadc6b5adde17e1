"""Phone first (issue 19), at 390x844: the rating buttons are in view after "Show answer",
even for a long answer with its source, and no page of flashcards is wider than the screen."""

import pytest
from playwright.sync_api import Page, expect

from models import Card, db
from quizzes import memory
from quizzes.domain import srs
from tests.browser.test_cards_browser import keys_ready, midday  # noqa: F401 (a fixture)
from tests.conftest import PASSWORD
from tests.web.cards_seed import seed_bank, seed_deck

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
LONG_BACK = " ".join(["A long answer, as an imported card may have."] * 8)


@pytest.fixture
def learner(page: Page, app, create_user, midday):  # noqa: F811
    uid = create_user("phone")
    with app.app_context():
        memory.save_settings(uid, srs.StudySettings(enable_fuzzing=False))
        set_id = seed_bank()
        deck_id = seed_deck(uid, cards=2, title="Phone deck")
        first = db.session.get(Card, 1)
        first.back = LONG_BACK
        db.session.commit()
    page.set_viewport_size(PHONE)
    page.goto("/auth/login")
    page.get_by_label("Username").fill("phone")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_text("Signed in as phone")).to_be_visible()
    return {"deck": f"my-{deck_id}", "set": f"set-{set_id}", "deck_id": deck_id}


def in_viewport(page: Page, selector: str) -> bool:
    return page.evaluate(
        """(selector) => [...document.querySelectorAll(selector)].every((element) => {
            const box = element.getBoundingClientRect();
            return box.top >= 0 && box.left >= 0 && box.bottom <= innerHeight
                && box.right <= innerWidth && box.height > 0;
        })""",
        selector,
    )


@pytest.mark.parametrize("deck", ["deck", "set"])
def test_the_rating_buttons_are_in_view_after_show_answer(page: Page, learner, deck):
    page.goto(f"/cards/{learner[deck]}/study")
    keys_ready(page)
    page.get_by_role("link", name="Show answer").click()
    expect(page.locator("#card-back")).to_be_visible()
    expect(page.locator("button.rating")).to_have_count(4)
    assert in_viewport(page, "button.rating")
    # Each one a large touch target.
    heights = page.eval_on_selector_all(
        "button.rating", "(buttons) => buttons.map((b) => b.getBoundingClientRect().height)"
    )
    assert min(heights) >= 44


def test_no_page_of_flashcards_is_wider_than_the_screen(page: Page, learner):
    deck, bank = learner["deck"], learner["set"]
    pages = [
        "/cards/",
        "/cards/stats",
        "/cards/settings",
        f"/cards/{deck}",
        f"/cards/{bank}",
        "/cards/topic-upr",
        f"/cards/{deck}/study",
        f"/cards/{bank}/study",
        f"/cards/{deck}/cards/new",
        "/cards/decks/new",
        f"/cards/decks/{learner['deck_id']}/edit",
        f"/cards/decks/{learner['deck_id']}/import",
        "/cards/card/1/edit",
    ]
    for url in pages:
        page.goto(url)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], (url, width)
    # The back of a card, too.
    page.goto(f"/cards/{deck}/study")
    page.get_by_role("link", name="Show answer").click()
    expect(page.locator("#card-back")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
