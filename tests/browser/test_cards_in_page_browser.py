"""Studying in the page with JavaScript (static/js/cards.js): Space shows the answer with
no request, a rating is saved in the background while the next card is painted, undo
takes it back, and a send that fails is retried and shown, never lost."""

import pytest
from playwright.sync_api import Page, Route, expect
from sqlalchemy import func, select

from models import ReviewLog, db
from quizzes import memory
from quizzes.domain import srs
from tests.browser.test_cards_browser import keys_ready, midday  # noqa: F401 (a fixture)
from tests.conftest import PASSWORD
from tests.web.cards_seed import seed_deck

pytestmark = pytest.mark.browser


@pytest.fixture
def deck(page: Page, app, create_user, midday):  # noqa: F811
    app.config["WTF_CSRF_ENABLED"] = True  # the real browser sends real tokens
    uid = create_user("inpage")
    with app.app_context():
        memory.save_settings(uid, srs.StudySettings(enable_fuzzing=False))
        deck_id = seed_deck(uid, cards=3, title="In-page deck")
        db.session.commit()
    page.goto("/auth/login")
    page.get_by_label("Username").fill("inpage")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_text("Signed in as")).to_be_visible()
    page.goto(f"/cards/my-{deck_id}/study")
    keys_ready(page)
    in_page_ready(page)
    return deck_id


def in_page_ready(page: Page) -> None:
    # The answer and the next card have arrived; no rating is waiting to be sent.
    expect(page.locator('[data-study][data-in-page="ready"]')).to_have_count(1)


def ratings(app) -> list[tuple[str, int]]:
    with app.app_context():
        rows = db.session.execute(
            select(ReviewLog.memory_key, ReviewLog.rating).order_by(ReviewLog.id)
        ).all()
        return [tuple(row) for row in rows]


def study_requests(page: Page) -> list[str]:
    sent: list[str] = []

    def note(request) -> None:
        if "/cards/" in request.url:
            sent.append(request.url)

    page.on("request", note)
    return sent


def test_keyboard_study_in_the_page_saves_ratings_and_undoes(page: Page, app, deck):
    front = page.locator("#card-front")
    progress = page.locator(".progress-label")
    expect(front).to_have_text("Front 1")
    sent = study_requests(page)

    page.keyboard.press("Space")
    expect(page.locator("#card-back")).to_have_text("Back 1")
    expect(page.locator("#card-back")).to_be_focused()
    assert sent == []  # the answer was in the page already
    expect(page.locator("#study-announce")).to_have_text("Answer: Back 1")

    page.keyboard.press("3")  # Good
    expect(front).to_have_text("Front 2")
    expect(page.locator("#card-back")).to_have_count(0)
    expect(page.locator("#show-answer")).to_be_focused()
    in_page_ready(page)
    assert ratings(app) == [("card:1", 3)]  # saved by the server, in the background
    assert [url for url in sent if "/study/rate" in url] and not any(
        url.endswith("/study") for url in sent
    )  # no page was loaded
    expect(progress).to_have_text("Today: 0 done · 3 left (1 review this session)")

    page.keyboard.press("Enter")  # Enter shows the answer too
    expect(page.locator("#card-back")).to_have_text("Back 2")
    page.keyboard.press("4")  # Easy: done for today
    expect(front).to_have_text("Front 3")
    in_page_ready(page)
    assert ratings(app) == [("card:1", 3), ("card:2", 4)]

    page.keyboard.press("u")  # undo the Easy: a page load brings card 2 back
    expect(page.get_by_text("Your “Easy” rating was undone: the card is back.")).to_be_visible()
    expect(front).to_have_text("Front 2")
    assert ratings(app) == [("card:1", 3)]
    keys_ready(page)
    in_page_ready(page)
    page.keyboard.press("Space")
    page.keyboard.press("2")  # Hard, the same card rated again after the undo
    expect(front).to_have_text("Front 3")
    in_page_ready(page)
    assert ratings(app) == [("card:1", 3), ("card:2", 2)]


def test_a_failed_send_is_retried_and_shown_not_lost(page: Page, app, deck):
    failed: list[str] = []

    def fail_once(route: Route) -> None:
        if not failed:
            failed.append(route.request.url)
            route.abort()  # the network drops the first send
        else:
            route.continue_()

    page.route("**/study/rate", fail_once)
    page.keyboard.press("Space")
    page.keyboard.press("1")  # Again
    expect(page.locator("#card-front")).to_have_text("Front 2")  # painted at once anyway
    status = page.locator("#study-sync")
    expect(status).to_have_text("1 rating not saved — retrying")
    expect(status).to_be_visible()
    # Retried a second later: saved once, and the notice goes.
    expect(status).to_be_hidden(timeout=10_000)
    in_page_ready(page)
    assert failed and ratings(app) == [("card:1", 1)]


def test_a_rating_left_unsent_is_sent_when_the_page_opens_again(page: Page, app, deck):
    page.route("**/study/rate", lambda route: route.abort())  # offline
    page.keyboard.press("Space")
    page.keyboard.press("3")
    expect(page.locator("#study-sync")).to_have_text("1 rating not saved — retrying")
    page.unroute("**/study/rate")
    page.reload()  # back online, before the retry came round
    expect(page.locator("#card-front")).to_have_text("Front 2")
    keys_ready(page)
    in_page_ready(page)
    assert ratings(app) == [("card:1", 3)]
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ReviewLog)) == 1


@pytest.fixture
def phone(browser, live_server_url, app, create_user, midday):  # noqa: F811
    """A touch screen of 390x844, signed in, on the study page of a deck of three."""
    uid = create_user("thumb")
    with app.app_context():
        memory.save_settings(uid, srs.StudySettings(enable_fuzzing=False))
        deck_id = seed_deck(uid, cards=3, title="Thumb deck")
        db.session.commit()
    context = browser.new_context(
        base_url=live_server_url, viewport={"width": 390, "height": 844}, has_touch=True
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto("/auth/login")
    page.get_by_label("Username").fill("thumb")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_text("Signed in as")).to_be_visible()
    page.goto(f"/cards/my-{deck_id}/study")
    keys_ready(page)
    in_page_ready(page)
    yield page
    context.close()


def swipe(page: Page, dx: int) -> None:
    box = page.locator(".flashcard").bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + 40
    page.evaluate(
        """([x, y, dx]) => {
            const card = document.querySelector(".card-front");
            const at = (type, px) => card.dispatchEvent(new PointerEvent(type, {
                bubbles: true, pointerType: "touch", clientX: px, clientY: y, isPrimary: true,
            }));
            at("pointerdown", x);
            at("pointerup", x + dx);
        }""",
        [x, y, dx],
    )


def test_on_a_phone_a_tap_shows_the_answer_and_a_swipe_rates(phone: Page, app):
    phone.locator("#card-front").tap()  # a tap on the card, not on a button
    expect(phone.locator("#card-back")).to_have_text("Back 1")
    # The rating buttons are in view, each a large target.
    buttons = phone.locator("button.rating")
    expect(buttons).to_have_count(4)
    for index in range(4):
        box = buttons.nth(index).bounding_box()
        assert box["y"] >= 0 and box["y"] + box["height"] <= 844 and box["height"] >= 44
    swipe(phone, -120)  # left: Again
    expect(phone.locator("#card-front")).to_have_text("Front 2")
    in_page_ready(phone)
    phone.locator("#card-front").tap()
    expect(phone.locator("#card-back")).to_have_text("Back 2")
    swipe(phone, 120)  # right: Good
    expect(phone.locator("#card-front")).to_have_text("Front 3")
    in_page_ready(phone)
    assert ratings(app) == [("card:1", 1), ("card:2", 3)]
    # A swipe on the question side rates nothing.
    swipe(phone, 120)
    expect(phone.locator("#card-back")).to_have_count(0)
    assert len(ratings(app)) == 2
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
