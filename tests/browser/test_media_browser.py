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
