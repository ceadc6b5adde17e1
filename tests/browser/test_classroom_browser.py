"""The whole classroom loop in a real browser, with CSRF on: a teacher writes a set with three
item types and assigns it to a class, a student joins and takes it, the teacher reads the
gradebook and downloads it as CSV. Everything is found by role and label."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

SET_TITLE = "Week 2: the UPR cables"
CLASS_NAME = "Year 11 History"
SINGLE_PROMPT = "Which ministry released the cables?"
SINGLE_RIGHT = "The Ministry of Unification"
SINGLE_WRONG = "The Ministry of Foreign Affairs"
TRUEFALSE_PROMPT = "North Korea accepted every UPR recommendation."
SHORT_PROMPT = "Which diplomat defected from the London embassy in 2016?"
SHORT_ANSWER = "Thae Yongho"


def log_in(page: Page, username: str) -> None:
    page.goto("/auth/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_text(f"Signed in as {username}")).to_be_visible()


def main_nav(page: Page, name: str) -> None:
    page.get_by_role("navigation", name="Main").get_by_role("link", name=name).click()


def write_set(page: Page) -> None:
    """A single choice, a true-or-false and a short-answer item, then publish."""
    main_nav(page, "My sets")
    page.get_by_label("Title").fill(SET_TITLE)
    page.get_by_role("button", name="Create set").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(SET_TITLE)

    page.get_by_role("link", name="Single choice").click()
    page.get_by_label("Question").fill(SINGLE_PROMPT)
    page.get_by_label("Option 1", exact=True).fill(SINGLE_WRONG)
    page.get_by_label("Option 2", exact=True).fill(SINGLE_RIGHT)
    page.get_by_label("Option 3", exact=True).fill("The National Intelligence Service")
    page.get_by_label("Right answer (option 2)").check()
    page.get_by_role("button", name="Save item", exact=True).click()
    expect(page.get_by_text("Added item 1.")).to_be_visible()

    page.get_by_role("link", name="True or false").click()
    page.get_by_label("Statement").fill(TRUEFALSE_PROMPT)
    page.get_by_label("False").check()
    page.get_by_role("button", name="Save item", exact=True).click()
    expect(page.get_by_text("Added item 2.")).to_be_visible()

    page.get_by_role("link", name="Short answer").click()
    page.get_by_label("Question").fill(SHORT_PROMPT)
    page.get_by_label("Accepted answer 1", exact=True).fill(SHORT_ANSWER)
    page.get_by_label("Accepted answer 2", exact=True).fill("Tae Yong-ho")
    page.get_by_role("button", name="Save item", exact=True).click()
    expect(page.get_by_text("Added item 3.")).to_be_visible()

    page.get_by_role("button", name="Publish").click()
    expect(
        page.get_by_text(re.compile("Published: the set can now be assigned to classes."))
    ).to_be_visible()


def create_class(page: Page) -> str:
    """Returns the join code shown on the class page."""
    main_nav(page, "Classes")
    page.get_by_label("Class name").fill(CLASS_NAME)
    page.get_by_role("button", name="Create class").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(CLASS_NAME)
    code = page.get_by_role("region", name="Join code").get_by_role("code").inner_text()
    assert re.fullmatch(r"[A-Z0-9]{3}-[A-Z0-9]{3}", code)
    return code


def assign_set(page: Page, due: datetime) -> None:
    page.get_by_role("link", name="Assign a set").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Assign a set to {CLASS_NAME}")
    page.get_by_label("Question set").select_option(label=SET_TITLE)
    page.get_by_label("Due (optional)").fill(due.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Attempts allowed (empty: no limit)").fill("2")
    page.get_by_label("Answers are checked when the attempt is submitted").check()
    page.get_by_role("button", name="Assign").click()
    expect(page.get_by_text(f"Assigned “{SET_TITLE}” to {CLASS_NAME}.")).to_be_visible()
    assignments = page.get_by_role("table", name=f"Assignments of {CLASS_NAME}")
    row = assignments.get_by_role("row", name=re.compile(SET_TITLE))
    expect(row).to_contain_text(f"{due.day} {due:%b %Y, %H:%M} UTC")
    expect(row).to_contain_text("2 attempts")
    expect(row).to_contain_text("0 of 0")


def answer_current_question(page: Page) -> None:
    """Answers whichever question is shown, by keyboard: the single choice and the short
    answer right, the true-or-false wrong on purpose."""
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text(re.compile(r"^Question \d"))
    page.wait_for_load_state()  # quiz.js handles the keys once the page has loaded
    kind = heading.inner_text()
    if "Single choice" in kind:
        option = page.get_by_role("radio", name=SINGLE_RIGHT)
        option.focus()
        page.keyboard.press("Space")
        expect(option).to_be_checked()
        page.keyboard.press("Enter")
    elif "True or false" in kind:
        page.keyboard.press("1")  # "True": the statement is false, so this one is wrong
        expect(page.get_by_role("radio", name="True")).to_be_checked()
        page.keyboard.press("Enter")
    elif "Short answer" in kind:
        answer = page.get_by_label("Your answer")
        answer.focus()
        page.keyboard.type("thae yong ho")  # another romanisation, small letters
        page.keyboard.press("Enter")
    else:
        raise AssertionError(f"unexpected question: {kind}")


def take_assignment(page: Page, code: str, due: datetime) -> None:
    main_nav(page, "My classes")
    page.get_by_label("Join code").fill(code.lower())
    page.get_by_role("button", name="Join class").click()
    expect(page.get_by_text(f"You joined {CLASS_NAME}.")).to_be_visible()

    # The home page lists the assignment with its button.
    main_nav(page, "Quizdeck")
    work = page.get_by_role("region", name="Your assignments")
    expect(work).to_contain_text(SET_TITLE)
    expect(work).to_contain_text(f"Due {due.day} {due:%b %Y, %H:%M} UTC")
    expect(work).to_contain_text("3 questions")
    work.get_by_role("button", name=f"Start {SET_TITLE}").click()

    for number in (1, 2, 3):
        expect(page.get_by_role("heading", level=1)).to_contain_text(f"Question {number}")
        answer_current_question(page)

    expect(page.get_by_role("heading", name="Review your answers")).to_be_visible()
    expect(page.get_by_text("All 3 questions are answered.")).to_be_visible()
    page.get_by_role("button", name="Submit quiz").click()

    expect(page.get_by_role("heading", name=f"Result: {SET_TITLE}")).to_be_visible()
    expect(page.get_by_text("Score: 2 of 3 (67%)")).to_be_visible()
    questions = page.get_by_role("navigation", name="Questions of this quiz")
    expect(questions.get_by_role("link", name=re.compile(r", right$"))).to_have_count(2)
    expect(questions.get_by_role("link", name=re.compile(r", wrong$"))).to_have_count(1)

    # My classes now shows the attempt and the best score.
    main_nav(page, "My classes")
    expect(page.get_by_text("1 of 2 attempts used · best 67%")).to_be_visible()


def read_gradebook(page: Page) -> None:
    page.reload()
    assignments = page.get_by_role("table", name=f"Assignments of {CLASS_NAME}")
    expect(assignments.get_by_role("row", name=re.compile(SET_TITLE))).to_contain_text("1 of 1")
    page.get_by_role("link", name="Gradebook").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Gradebook: {CLASS_NAME}")
    book = page.get_by_role("table", name=re.compile("^Scores of the best submitted attempt"))
    expect(book.get_by_role("columnheader", name=re.compile(SET_TITLE))).to_be_visible()
    row = book.get_by_role("row", name=re.compile("^student1"))
    expect(row.get_by_role("cell").first).to_have_text(re.compile(r"^\s*67%\s+1 attempt\s*$"))
    expect(row.get_by_role("cell").last).to_have_text("67%")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download CSV").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".csv")
    text = download.path().read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows == [
        [
            "student",
            f"{SET_TITLE} (%)",
            f"{SET_TITLE} (attempts)",
            f"{SET_TITLE} (late)",
            "average (%)",
        ],
        ["student1", "66.7", "1", "", "66.7"],
    ]


def test_a_teacher_assigns_a_set_a_student_takes_it_the_teacher_reads_the_gradebook(
    app, create_user, browser: Browser, live_server_url: str
):
    app.config["WTF_CSRF_ENABLED"] = True  # the real browser sends real tokens
    create_user("teacher1", "teacher")
    create_user("student1")
    teacher_context = browser.new_context(base_url=live_server_url, accept_downloads=True)
    student_context = browser.new_context(base_url=live_server_url)
    try:
        teacher = teacher_context.new_page()
        student = student_context.new_page()
        for page in (teacher, student):
            page.set_default_timeout(10_000)

        log_in(teacher, "teacher1")
        write_set(teacher)
        code = create_class(teacher)
        due = (datetime.now(UTC) + timedelta(days=7)).replace(
            hour=17, minute=0, second=0, microsecond=0
        )
        assign_set(teacher, due)

        log_in(student, "student1")
        take_assignment(student, code, due)

        read_gradebook(teacher)
    finally:
        teacher_context.close()
        student_context.close()
