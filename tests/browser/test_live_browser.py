"""A live round in real browsers, with CSRF on: a teacher on a desktop projector and three
phones (390x844, separate contexts: one signed-in student, two guests) play a session
through over server-sent events. One phone is reloaded mid-question and keeps its
answer; the report and its CSV match what was answered; the signed-in student's memory
model changed."""

from __future__ import annotations

import csv
import io
import threading
import time
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect
from sqlalchemy import select
from werkzeug.serving import make_server

from models import Attempt, LiveSession, MemoryState, Role, User, db
from tests.browser.test_classroom_browser import log_in
from tests.web.live_support import make_set

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}


def _buffer_all_but_streams(app):
    """Whole responses, closed before they are written (as tests/conftest.py's server does),
    except event streams, which must reach the browser as they are made."""

    def wsgi(environ, start_response):
        streaming = []

        def start(status, headers, exc_info=None):
            streaming.append(
                any(
                    v.startswith("text/event-stream")
                    for k, v in headers
                    if k.lower() == "content-type"
                )
            )
            return start_response(status, headers, exc_info)

        response = app(environ, start)
        if streaming and streaming[0]:
            return response
        try:
            return [b"".join(response)]
        finally:
            if hasattr(response, "close"):
                response.close()

    return wsgi


@pytest.fixture
def live_app(make_app):
    # Streams end after a few seconds (EventSource reconnects) and notice a closed
    # browser quickly, so the server stops cleanly after the test.
    return make_app(WTF_CSRF_ENABLED=True, LIVE_POLL_SECONDS=0.5, LIVE_STREAM_SECONDS=8)


@pytest.fixture
def server_url(live_app) -> Iterator[str]:
    server = make_server("127.0.0.1", 0, _buffer_all_but_streams(live_app), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    time.sleep(1.5)  # open streams see their browser gone at their next write
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture
def contexts(browser: Browser, server_url: str) -> Iterator[dict[str, BrowserContext]]:
    made = {
        "teacher": browser.new_context(
            base_url=server_url, viewport={"width": 1280, "height": 800}
        ),
        **{
            name: browser.new_context(
                base_url=server_url, viewport=PHONE, is_mobile=True, has_touch=True
            )
            for name in ("student1", "mina", "jo")
        },
    }
    yield made
    for context in made.values():
        context.close()


def page_of(context: BrowserContext) -> Page:
    page = context.new_page()
    page.set_default_timeout(10_000)
    return page


def join(page: Page, pin: str, nickname: str | None) -> None:
    page.goto(f"/live/join?pin={pin}")
    if nickname is not None:
        page.get_by_label("Nickname").fill(nickname)
    page.get_by_role("button", name="Join").click()
    expect(page.get_by_text("You're in! Wait for the teacher to start.")).to_be_visible()


def send(page: Page, shown: str) -> None:
    page.get_by_role("button", name="Send answer").click()
    expect(page.get_by_text(f"Answer sent: {shown}.")).to_be_visible()


def test_a_class_plays_a_live_round_through(live_app, create_user, contexts):
    with live_app.app_context():
        create_user("teacher1", Role.TEACHER)
        create_user("student1", Role.STUDENT)
        make_set(None, title="Live capitals")
    teacher = page_of(contexts["teacher"])
    log_in(teacher, "teacher1")
    teacher.goto("/live/new")
    teacher.get_by_label("Question set").select_option(label="Live capitals")
    teacher.get_by_role("button", name="Show its questions").click()
    teacher.get_by_label("The ones I tick below").check()
    for prompt in ("Which city is the capital", "The UPR is a UN process.", "Name the capital."):
        teacher.get_by_label(prompt).check()
    expect(teacher.get_by_text("1 question of this set is left out")).to_be_visible()
    teacher.get_by_label("Seconds per question").fill("120")
    teacher.get_by_label("Show a leaderboard").check()
    teacher.get_by_role("button", name="Open the session").click()
    expect(teacher.get_by_text("Waiting for players.")).to_be_visible()
    with live_app.app_context():
        live = db.session.scalar(select(LiveSession))
        pin, session_id = live.pin, live.id
    expect(teacher.locator("#pin")).to_have_text(f"{pin[:3]} {pin[3:]}")
    expect(teacher.get_by_role("img", name="QR code of the join link")).to_be_visible()

    phones = {name: page_of(contexts[name]) for name in ("student1", "mina", "jo")}
    log_in(phones["student1"], "student1")
    join(phones["student1"], pin, None)
    join(phones["mina"], pin, "Mina")
    join(phones["jo"], pin, "Jo")
    expect(teacher.locator("#player-count")).to_have_text("3")  # pushed, no reload
    expect(teacher.locator("#player-list")).to_contain_text("Mina")

    # Question 1, single choice: student1 right, Mina wrong, Jo silent.
    teacher.get_by_role("button", name="Start the first question").click()
    expect(teacher.get_by_text("Question 1 of 3")).to_be_visible()
    for phone in phones.values():
        expect(phone.get_by_role("heading", name="Question 1 of 3 · Single choice")).to_be_visible()
        expect(phone.get_by_text("Right answer")).to_have_count(0)
    phones["student1"].get_by_label("Pyongyang").check()
    send(phones["student1"], "Pyongyang")
    phones["mina"].get_by_label("Kaesong").check()
    send(phones["mina"], "Kaesong")
    expect(teacher.get_by_text("2 of 3 answered")).to_be_visible()
    # Mina's phone reloads mid-question: the same question, her answer still ticked.
    phones["mina"].reload()
    expect(phones["mina"].get_by_label("Kaesong")).to_be_checked()
    expect(phones["mina"].get_by_text("Answer sent: Kaesong.")).to_be_visible()

    teacher.get_by_role("button", name="Show the answers now").click()
    chart = teacher.locator("#chart")
    expect(chart.locator("li").filter(has_text="✓ Pyongyang (right)")).to_contain_text("1 (33%)")
    expect(chart.locator("li").filter(has_text="Kaesong")).to_contain_text("1 (33%)")
    expect(chart.locator("li").filter(has_text="No answer")).to_contain_text("1 (33%)")
    expect(teacher.get_by_text("Pyongyang has been the capital since 1948.")).to_be_visible()
    expect(teacher.get_by_role("link", name="Korea Times")).to_be_visible()
    expect(phones["student1"].get_by_text("✓ Right! Your answer: Pyongyang")).to_be_visible()
    expect(phones["mina"].get_by_text("✗ Not this time. Your answer: Kaesong")).to_be_visible()
    expect(teacher.locator("#leaderboard-list")).to_contain_text("1. student1 · 1 right")

    # Question 2, true/false; question 3, short answer.
    teacher.get_by_role("button", name="Next question").click()
    expect(
        phones["jo"].get_by_role("heading", name="Question 2 of 3 · True or false")
    ).to_be_visible()
    phones["student1"].get_by_label("True").check()
    send(phones["student1"], "True")
    phones["jo"].get_by_label("False").check()
    send(phones["jo"], "False")
    teacher.get_by_role("button", name="Show the answers now").click()
    teacher.get_by_role("button", name="Next question").click()
    expect(
        phones["mina"].get_by_role("heading", name="Question 3 of 3 · Short answer")
    ).to_be_visible()
    phones["student1"].get_by_label("Your answer").fill("pyongyang")
    send(phones["student1"], "pyongyang")
    phones["mina"].get_by_label("Your answer").fill("Seoul")
    send(phones["mina"], "Seoul")
    teacher.get_by_role("button", name="Show the answers now").click()
    teacher.get_by_role("button", name="Finish the round").click()
    expect(phones["jo"].get_by_text("The session has ended. Thanks for playing!")).to_be_visible()
    teacher.get_by_role("link", name="See the class report").click()

    table = teacher.locator("table.live-report-students")
    expect(table.get_by_role("row", name="student1")).to_contain_text("3 of 3")
    expect(table.get_by_role("row", name="Mina")).to_contain_text("0 of 3")
    expect(table.get_by_role("row", name="Jo")).to_contain_text("0 of 3")
    csv_text = contexts["teacher"].request.get(f"/live/{session_id}/report.csv").text()
    rows = {
        (r["student"], r["question"]): (r["answer"], r["right"])
        for r in csv.DictReader(io.StringIO(csv_text))
    }
    assert rows == {
        ("student1", "1"): ("Pyongyang", "yes"),
        ("student1", "2"): ("True", "yes"),
        ("student1", "3"): ("pyongyang", "yes"),
        ("Mina", "1"): ("Kaesong", "no"),
        ("Mina", "2"): ("", ""),
        ("Mina", "3"): ("Seoul", "no"),
        ("Jo", "1"): ("", ""),
        ("Jo", "2"): ("False", "no"),
        ("Jo", "3"): ("", ""),
    }

    with live_app.app_context():
        student_id = db.session.scalar(select(User.id).where(User.username == "student1"))
        keys = set(
            db.session.scalars(
                select(MemoryState.memory_key).where(MemoryState.user_id == student_id)
            )
        )
        assert {"fact:capital", "fact:upr"} <= keys
        attempt = db.session.scalar(select(Attempt).where(Attempt.user_id == student_id))
        assert attempt.score == 1.0 and attempt.title == "Live: Live capitals"
    for context in contexts.values():  # the streams see their browsers go
        for page in context.pages:
            page.close()


def test_live_pages_have_no_accessibility_violation(live_app, create_user, browser, server_url):
    """axe-core (as tests/browser/test_accessibility_browser.py runs it) on every live page:
    set-up, join, projector and phone in each phase, report."""
    from tests.browser.test_accessibility_browser import AXE, signed_in, violations
    from tests.conftest import PASSWORD

    if not AXE.exists():
        pytest.fail("axe-core is missing: `make test` installs it (npm ci in tests/js)")
    with live_app.app_context():
        create_user("teacher1", Role.TEACHER)
        make_set(None, title="Live capitals")
    teacher = signed_in(browser, server_url, "teacher1", PASSWORD)
    phone = browser.new_context(base_url=server_url, viewport=PHONE, bypass_csp=True).new_page()
    found = violations(teacher, "/live/new")
    teacher.get_by_role("button", name="Open the session").click()
    with live_app.app_context():
        live = db.session.scalar(select(LiveSession))
        pin, host = live.pin, f"/live/{live.id}"
    found += violations(phone, f"/live/join?pin={pin}")
    phone.get_by_label("Nickname").fill("Mina")
    phone.get_by_role("button", name="Join").click()
    play = phone.url.removeprefix(server_url)
    found += violations(teacher, host)  # the lobby, a player in the list
    teacher.get_by_role("button", name="Start the first question").click()
    expect(teacher.get_by_text("Question 1 of 3")).to_be_visible()
    found += violations(teacher, host) + violations(phone, play)
    teacher.get_by_role("button", name="Show the answers now").click()
    expect(teacher.get_by_text("Right answer:")).to_be_visible()
    found += violations(teacher, host) + violations(phone, play)
    teacher.get_by_role("button", name="End the session").click()
    found += violations(teacher, f"{host}/report") + violations(teacher, "/live/")
    for page in (teacher, phone):
        page.context.close()
    assert found == []
