"""A learner studies a deck with the keyboard alone: Space, 1-4, U and Ctrl+Z."""

from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from models import ReviewLog, User, db
from quizzes import memory
from quizzes.domain import srs
from tests.conftest import PASSWORD
from tests.web.cards_seed import seed_deck

pytestmark = pytest.mark.browser


@pytest.fixture
def midday(app, monkeypatch):
    """The flashcard pages' clock at noon today: a learning step of 10 minutes stays in the
    study day whenever the test runs (the day ends at 4:00, and at 3:55 it would not)."""
    noon = datetime.now(UTC).replace(hour=12, minute=0, second=0, microsecond=0)
    monkeypatch.setitem(app.config, "QUIZDECK_NOW", lambda: noon)


def keys_ready(page: Page) -> None:
    # cards.js is deferred: a key pressed before it runs would be lost, as for a person.
    expect(page.locator("[data-study][data-keys-ready]")).to_have_count(1)


def press(page: Page, key: str) -> None:
    keys_ready(page)
    page.keyboard.press(key)


def reveal(page: Page) -> None:
    press(page, "Space")
    expect(page.locator("#card-back")).to_be_visible()


def rate(page: Page, key: str) -> None:
    press(page, key)
    expect(page.locator("#card-back")).to_have_count(0)


def test_study_a_deck_by_keyboard_alone(page: Page, app, create_user, midday):
    app.config["WTF_CSRF_ENABLED"] = True  # the real browser sends real tokens
    uid = create_user("keys")
    with app.app_context():
        memory.save_settings(uid, srs.StudySettings(enable_fuzzing=False))
        deck_id = seed_deck(uid, cards=2, title="Keyboard deck")
        db.session.commit()
    page.goto("/auth/login")
    page.get_by_label("Username").fill("keys")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    # Wait for the sign-in to land: a goto() racing the login POST cancels it under load.
    expect(page.get_by_text("Signed in as")).to_be_visible()
    page.goto(f"/cards/my-{deck_id}/study")

    card_front = page.locator("#card-front")
    expect(card_front).to_have_text("Front 1")
    expect(page.get_by_text("Back 1")).to_have_count(0)
    progress = page.locator(".progress-label")
    expect(progress).to_have_text("Today: 0 done · 2 left (0 reviews this session)")

    reveal(page)
    expect(page.locator("#card-back")).to_have_text("Back 1")
    expect(page.get_by_role("button", name="Good 10m 3")).to_be_visible()
    rate(page, "3")  # Good: back in 10 minutes
    expect(card_front).to_have_text("Front 2")
    expect(progress).to_have_text("Today: 0 done · 2 left (1 review this session)")

    press(page, "u")  # undo the Good
    expect(page.get_by_text("Your “Good” rating was undone: the card is back.")).to_be_visible()
    expect(card_front).to_have_text("Front 1")
    expect(progress).to_have_text("Today: 0 done · 2 left (0 reviews this session)")

    reveal(page)
    expect(page.get_by_role("button", name="Easy 8d 4")).to_be_visible()
    rate(page, "4")  # Easy: gone for 8 days
    expect(card_front).to_have_text("Front 2")
    expect(progress).to_have_text("Today: 1 done · 1 left (1 review this session)")
    reveal(page)
    rate(page, "1")  # Again: back in a minute, shown now (learn ahead)
    expect(card_front).to_have_text("Front 2")
    reveal(page)
    rate(page, "2")  # Hard
    reveal(page)
    rate(page, "3")  # Good, then Good again graduates it
    reveal(page)
    rate(page, "3")
    expect(page.get_by_role("heading", name="✓ Done for today")).to_be_visible()
    expect(
        page.get_by_text("You finished 2 cards for today in this session, with 5 reviews.")
    ).to_be_visible()

    press(page, "Control+z")  # Ctrl+Z undoes too
    expect(card_front).to_have_text("Front 2")
    with app.app_context():
        ratings = db.session.scalars(select(ReviewLog.rating).order_by(ReviewLog.id)).all()
        assert ratings == [4, 1, 2, 3]
        assert db.session.scalar(select(User.id).where(User.username == "keys")) == uid


def test_typed_answers_by_keyboard_alone(page: Page, app, create_user, midday):
    """Typed mode: Enter checks the answer, Enter again takes the suggested rating."""
    app.config["WTF_CSRF_ENABLED"] = True
    uid = create_user("typist")
    with app.app_context():
        memory.save_settings(uid, srs.StudySettings(enable_fuzzing=False))
        deck_id = seed_deck(uid, cards=2, title="Typed deck")
    page.goto("/auth/login")
    page.get_by_label("Username").fill("typist")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_text("Signed in as")).to_be_visible()  # before goto() cancels it
    page.goto(f"/cards/my-{deck_id}/study")
    page.get_by_role("button", name="Type my answers").click()

    answer = page.get_by_label("Your answer")
    expect(answer).to_be_focused()
    keys_ready(page)
    page.keyboard.type("back 1")
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("Right. You typed: back 1")
    expect(page.get_by_role("button", name="Good 10m 3 (suggested)")).to_be_focused()
    keys_ready(page)
    page.keyboard.press("Enter")
    expect(page.locator("#card-front")).to_have_text("Front 2")
    expect(page.locator(".progress-label")).to_have_text(
        "Today: 0 done · 2 left (1 review this session)"
    )
    with app.app_context():
        assert db.session.scalars(select(ReviewLog.rating)).all() == [3]


def test_chart_bars_are_drawn_at_the_size_their_values_give(page: Page, app, create_user):
    """The site's CSS must not reshape chart shapes (an HTML `.bar` rule once squashed every
    SVG bar to the same small box): each drawn bar keeps its share of its chart."""
    uid = create_user("charts")
    with app.app_context():
        settings = srs.StudySettings(enable_fuzzing=False)
        memory.save_settings(uid, settings)
        now = datetime.now(UTC)
        for days_ago, count in ((3, 1), (2, 4), (1, 2)):
            for n in range(count):
                memory.record_review(
                    uid,
                    [f"fact:chart.{days_ago}.{n}"],
                    3,
                    now - timedelta(days=days_ago, minutes=n),
                    "flashcard",
                    settings=settings,
                    topics=[("upr", "unification_report")[n % 2]],
                )
        db.session.commit()
    page.goto("/auth/login")
    page.get_by_label("Username").fill("charts")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_text("Signed in as")).to_be_visible()  # before goto() cancels it
    page.goto("/cards/stats")
    shares = page.eval_on_selector_all(
        "svg.chart rect.chart-bar",
        """bars => bars.map(bar => {
            const svg = bar.ownerSVGElement, box = svg.viewBox.baseVal;
            const drawn = bar.getBoundingClientRect(), whole = svg.getBoundingClientRect();
            return [drawn.width / whole.width, bar.width.baseVal.value / box.width,
                    drawn.height / whole.height, bar.height.baseVal.value / box.height];
        })""",
    )
    assert len(shares) >= 5
    for drawn_w, given_w, drawn_h, given_h in shares:
        assert drawn_w == pytest.approx(given_w, abs=0.01)
        assert drawn_h == pytest.approx(given_h, abs=0.01)
