"""The grading queue in a real browser, by keyboard only: the first rubric level has the
focus, arrows pick levels, Ctrl+Enter saves and opens the next answer, J and K move on
and back outside the text fields, and the comment box keeps J as a letter."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from random import Random

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from models import Attempt, MarkChange, QuestionSet, Role, SetStatus, User, db
from models.attempts import FeedbackMode
from quizzes.domain.itemtypes import essay
from tests.conftest import PASSWORD
from tests.web.teach_support import make_set, user_id

pytestmark = pytest.mark.browser

PROMPT, RUBRIC = essay.EXAMPLE  # criteria: 0/1 point, then 0/1/2 points


@pytest.fixture
def assignment_id(app, create_user) -> int:
    """teacher1's class, ana and ben, each with a submitted essay waiting for a mark."""
    from quizzes.classes import assignments, services
    from quizzes.quiz import answers
    from quizzes.quiz import services as quiz

    create_user("teacher1", "teacher")
    item = {"type": "essay", "prompt": PROMPT, "data": RUBRIC, "topics": []}
    set_id = make_set(app, "teacher1", title="Essays", items=[item], status=SetStatus.PUBLISHED)
    with app.app_context():
        teacher = db.session.get(User, user_id(app, "teacher1"))
        school_class = services.create_class(teacher, "Year 10")
        now = datetime.now(UTC)
        assignment = assignments.create_assignment(
            school_class,
            db.session.get(QuestionSet, set_id),
            opens_at=now - timedelta(hours=1),
            due_at=None,
            attempt_limit=None,
            time_limit_minutes=None,
            feedback_mode=FeedbackMode.END,
        )
        for name in ("ana", "ben"):
            student = User(username=name, role=Role.STUDENT, password_hash="x")
            db.session.add(student)
            db.session.flush()
            services.join_class(student, school_class.join_code)
            attempt = quiz.assemble(
                student.id,
                settings=quiz.QuizSettings(size=1),
                now=now,
                rng=Random(0),
                set_id=set_id,
                assignment_id=assignment.id,
            )
            attempt.items[0].response = f"The essay {name} wrote."
            answers.submit(attempt, now)
        db.session.commit()
        return assignment.id


def test_a_teacher_marks_the_queue_with_the_keyboard(app, page: Page, assignment_id):
    page.goto("/auth/login")
    page.get_by_label("Username").fill("teacher1")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("Password").press("Enter")
    expect(page.get_by_text("Signed in as teacher1")).to_be_visible()

    page.goto(f"/teach/assignments/{assignment_id}/grading")
    heading = page.locator("#answer-heading")
    expect(heading).to_have_text("Question 1 · ana")
    first = page.get_by_role("radio", name="Missing (0 points)")
    expect(first).to_be_focused()  # the first level, ready for the arrow keys
    page.keyboard.press("ArrowDown")  # the next level of the first criterion: Clear
    expect(page.get_by_role("radio", name="Clear (1 point)")).to_be_checked()
    page.keyboard.press("Tab")  # into the second criterion
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    expect(page.get_by_role("radio", name="Well chosen (2 points)")).to_be_checked()
    page.keyboard.press("Tab")
    comment = page.get_by_label("Comment for the student")
    expect(comment).to_be_focused()
    page.keyboard.type("Just right.")  # J and K are letters here, not moves
    expect(comment).to_have_value("Just right.")
    expect(heading).to_have_text("Question 1 · ana")
    page.keyboard.press("Control+Enter")
    expect(heading).to_have_text("Question 1 · ben")
    expect(page.get_by_text("Marked 3 of 3 for ana.")).to_be_visible()
    with app.app_context():
        change = db.session.scalar(select(MarkChange))
        assert (change.levels, change.new_score, change.comment) == ([1, 2], 1.0, "Just right.")
        ana = db.session.scalar(select(User.id).where(User.username == "ana"))
        assert db.session.scalar(select(Attempt.score).where(Attempt.user_id == ana)) == 1.0

    # Outside the text fields, K goes back to the answer before and J forward again.
    page.keyboard.press("k")
    expect(heading).to_have_text("Question 1 · ana")
    expect(page).to_have_url(re.compile(r"/grading/\d+$"))
    page.keyboard.press("j")
    expect(heading).to_have_text("Question 1 · ben")

    # The real buttons do the same as the keys.
    page.get_by_role("radio", name="Missing (0 points)").check()
    page.get_by_role("radio", name="None (0 points)").check()
    page.get_by_role("button", name="Save and next").click()
    expect(page.get_by_role("heading", name="Needs grading: 0")).to_be_visible()
