"""LTI score passback under the review options: a score the student may not see yet is
held in the outbox (not a failure, no try used) and sent once they may see it. The LMS
itself is tests/web/test_lti.py's; here the network call is replaced by a recorder."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from models import (
    Assignment,
    LtiAssignmentLink,
    LtiCourse,
    LtiPlatform,
    LtiScoreOutbox,
    LtiUserLink,
    db,
)
from quizzes.lti import scores
from tests.web.release_support import build_school
from tests.web.teach_support import user_id

CLASS_DUE = datetime(2026, 3, 9, 17, 0, tzinfo=UTC)


@pytest.fixture
def school(app, login_as):
    return build_school(app, login_as)


@pytest.fixture
def sent(monkeypatch):
    """The attempts whose score reached the LMS, in order."""
    calls: list[int] = []
    monkeypatch.setattr(
        scores, "_send", lambda row, platform, sub, attempt, timeout: calls.append(attempt.id)
    )
    return calls


def placed_in_an_lms(app, school, assignment_id: int) -> None:
    with app.app_context():
        platform = LtiPlatform(
            name="LMS",
            issuer="https://lms.example.org",
            client_id="c",
            auth_login_url="https://lms.example.org/auth",
            auth_token_url="https://lms.example.org/token",
            key_set_url="https://lms.example.org/jwks",
        )
        db.session.add(platform)
        db.session.flush()
        course = LtiCourse(platform_id=platform.id, context_id="course", class_id=school.class_id)
        db.session.add(course)
        db.session.flush()
        db.session.add(
            LtiAssignmentLink(
                assignment_id=assignment_id,
                course_id=course.id,
                resource_link_id="link",
                lineitem_url="https://lms.example.org/lineitems/1",
            )
        )
        db.session.add(
            LtiUserLink(platform_id=platform.id, sub="ana-sub", user_id=user_id(app, "ana"))
        )
        db.session.commit()


def outbox(app) -> LtiScoreOutbox:
    with app.app_context():
        row = db.session.scalar(select(LtiScoreOutbox))
        db.session.expunge(row)
        return row


@pytest.mark.parametrize("timing", ["after_due", "released", "never"])
def test_a_held_score_waits_in_the_outbox_until_it_may_be_seen(app, school, sent, timing):
    school.assign(review_score=timing)
    with app.app_context():
        assignment_id = db.session.scalar(select(Assignment.id))
    placed_in_an_lms(app, school, assignment_id)
    attempt_id = school.start("ana", assignment_id)
    school.answer_right("ana", attempt_id)
    school.submit("ana", attempt_id)  # queued, and tried at once after the request
    assert sent == []
    row = outbox(app)
    assert (row.tries, row.sent_at, row.last_error) == (0, None, scores.HELD)
    if timing == "after_due":
        assert row.next_try_at == CLASS_DUE
    later = CLASS_DUE + timedelta(days=1)
    with app.app_context():
        counts = scores.push(later)
    if timing == "after_due":
        assert counts["sent"] == 1 and sent == [attempt_id]
        return
    assert counts == {"sent": 0, "failed": 0, "superseded": 0} and sent == []
    if timing == "released":
        school.clock["now"] = later
        school.teacher.post(f"/teach/assignments/{assignment_id}/release")
        with app.app_context():
            assert scores.push(later + scores.HELD_RECHECK)["sent"] == 1
        assert sent == [attempt_id]


def test_a_score_shown_on_submit_is_sent_at_once(app, school, sent):
    school.assign()
    with app.app_context():
        assignment_id = db.session.scalar(select(Assignment.id))
    placed_in_an_lms(app, school, assignment_id)
    attempt_id = school.start("ana", assignment_id)
    school.submit("ana", attempt_id)
    assert sent == [attempt_id]
    assert outbox(app).sent_at is not None


def test_a_held_score_waiting_in_the_outbox_stays_out_of_the_students_export(app, school, sent):
    school.assign(review_score="released")
    with app.app_context():
        assignment_id = db.session.scalar(select(Assignment.id))
    placed_in_an_lms(app, school, assignment_id)
    attempt_id = school.start("ana", assignment_id)
    school.answer_right("ana", attempt_id)
    school.submit("ana", attempt_id)

    def exported_scores() -> list[float | None]:
        data = school.students["ana"].get("/account/export.json").get_json()
        return [row["score"] for row in data["lms_scores"]]

    assert exported_scores() == [None]  # queued, held: the score itself is not told
    school.teacher.post(f"/teach/assignments/{assignment_id}/release")
    assert exported_scores() == [1.0]
