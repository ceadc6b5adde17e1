"""An uploaded image in a real browser: the teacher uploads it with its alt text, puts its
line into a question, and a student of the class sees it in the quiz with the page's
content security policy on: no console errors, no policy violation, the image decoded."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pytest
from PIL import Image
from playwright.sync_api import Browser, Page, expect

from models import Assignment, Enrollment, SchoolClass, SetStatus, db
from models.attempts import FeedbackMode
from tests.conftest import PASSWORD
from tests.web.teach_support import SAMPLE_ITEMS, item_ids, make_set, user_id

pytestmark = pytest.mark.browser


def log_in(page: Page, username: str) -> None:
    page.goto("/auth/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_text(f"Signed in as {username}")).to_be_visible()


def watch_policy(page: Page) -> list[str]:
    """Console errors and content-security-policy violations, as they happen."""
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation',"
        " e => console.error('CSP violation: ' + e.blockedURI))"
    )
    return problems


def shown_image(page: Page, alt: str):
    image = page.get_by_role("img", name=alt)
    expect(image).to_be_visible()
    assert image.evaluate("img => img.complete && img.naturalWidth") == 48
    return image


@pytest.fixture
def school(app, create_user):
    app.config["WTF_CSRF_ENABLED"] = True  # the real browser sends real tokens
    create_user("tess", "teacher")
    create_user("ana")
    set_id = make_set(app, "tess", "Flags", [SAMPLE_ITEMS["truefalse"]], SetStatus.PUBLISHED)
    with app.app_context():
        school_class = SchoolClass(
            name="Year 9", teacher_id=user_id(app, "tess"), join_code="ABCDEF"
        )
        db.session.add(school_class)
        db.session.flush()
        db.session.add(Enrollment(class_id=school_class.id, student_id=user_id(app, "ana")))
        db.session.add(
            Assignment(
                class_id=school_class.id,
                set_id=set_id,
                opens_at=datetime(2020, 1, 1, tzinfo=UTC),
                feedback_mode=FeedbackMode.END,
            )
        )
        db.session.commit()
    return set_id


def test_an_uploaded_image_shows_in_the_quiz_under_the_csp(
    browser: Browser, app, live_server_url, school
):
    png = io.BytesIO()
    Image.new("RGB", (48, 32), "red").save(png, "PNG")
    teacher = browser.new_context(base_url=live_server_url).new_page()
    problems = watch_policy(teacher)
    log_in(teacher, "tess")
    teacher.goto(f"/teach/sets/{school}/images")
    teacher.get_by_label("Image file").set_input_files(
        {"name": "flag.png", "mimeType": "image/png", "buffer": png.getvalue()}
    )
    teacher.get_by_label("Alt text").fill("A plain red flag")
    teacher.get_by_role("button", name="Upload image").click()
    expect(teacher.get_by_text("Image stored.")).to_be_visible()
    line = teacher.get_by_label("Line to paste for “A plain red flag”").input_value()
    assert line.startswith("![A plain red flag](/media/")
    shown_image(teacher, "A plain red flag")

    [item_id] = item_ids(app, school)
    teacher.goto(f"/teach/sets/{school}/items/{item_id}")
    prompt = teacher.locator("textarea[name=prompt]")
    prompt.fill(prompt.input_value() + "\n\n" + line)
    teacher.get_by_role("button", name="Save item").click()
    expect(teacher.get_by_text("Saved item 1.")).to_be_visible()
    teacher.goto(f"/teach/sets/{school}/preview")
    shown_image(teacher, "A plain red flag")

    student = browser.new_context(base_url=live_server_url).new_page()
    problems += watch_policy(student)
    log_in(student, "ana")
    student.goto("/classes/")
    student.get_by_role("button", name="Start Flags").click()
    image = shown_image(student, "A plain red flag")
    assert image.get_attribute("src") == line.split("(")[1].rstrip(")")
    assert "img-src 'self'" in student.evaluate(
        "fetch(location.href).then(r => r.headers.get('content-security-policy'))"
    )
    assert problems == []


def test_a_cards_sound_plays_in_study_under_the_csp(browser: Browser, app, live_server_url):
    from models import Card, Deck, Role, User
    from quizzes.cards.personal import add_card
    from quizzes.media.store import attach_to_card, store_media
    from tests.conftest import password_hash
    from tests.domain.media.test_media_cleaning import wav_bytes

    app.config["WTF_CSRF_ENABLED"] = True
    with app.app_context():
        user = User(username="lena", role=Role.STUDENT, password_hash=password_hash())
        db.session.add(user)
        db.session.flush()
        deck = Deck(owner_id=user.id, title="Words")
        db.session.add(deck)
        db.session.flush()
        add_card(deck, kind="basic", front="Say hello", back="Annyeong")
        card = db.session.scalar(db.select(Card).where(Card.deck_id == deck.id))
        sound = store_media(user, "hello.wav", wav_bytes(seconds=1.0), deck=deck)
        attach_to_card(card, sound, "back", "Annyeong, said aloud")
        db.session.commit()
        study_url = f"/cards/my-{deck.id}/study"
    page = browser.new_context(base_url=live_server_url).new_page()
    problems = watch_policy(page)
    log_in(page, "lena")
    page.goto(study_url)
    page.keyboard.press("Space")
    audio = page.locator("audio[aria-labelledby]")
    expect(audio).to_have_count(1)
    label_id = audio.get_attribute("aria-labelledby")
    assert page.locator(f"#{label_id}").inner_text() == "Annyeong, said aloud"
    # The browser reads the MP3 the store wrote: its length, about one second.
    audio.evaluate("a => { a.preload = 'metadata'; a.load(); }")
    page.wait_for_function("() => document.querySelector('audio').readyState >= 1", timeout=10_000)
    assert 0.9 < audio.evaluate("a => a.duration") < 1.2
    assert problems == []
