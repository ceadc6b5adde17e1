"""LTI 1.3 end to end: Quizdeck (served on 127.0.0.1) against an LMS built on the
lti1p3platform package (tests/lti_platform.py, on another loopback port), with real RS256
keys and each side's JWKS read over HTTP. A requests session is the browser."""

from __future__ import annotations

import logging
import re
import time
from datetime import timedelta

import pytest
import requests
from pylti1p3.service_connector import ServiceConnector
from sqlalchemy import func, select

from models import (
    Assignment,
    Attempt,
    Enrollment,
    Item,
    ItemTopic,
    LtiAssignmentLink,
    LtiCourse,
    LtiPlatform,
    LtiScoreOutbox,
    LtiUserLink,
    QuestionSet,
    Role,
    SchoolClass,
    User,
    db,
    utcnow,
)
from models.bank import SetStatus
from quizzes.lti import scores
from quizzes.lti.platforms import registration_of
from quizzes.quiz.regrade import rescore_item
from tests.fixtures_items import ITEMS, SOURCE
from tests.lti_platform import Platform, auto_post_form, new_private_key

pytestmark = pytest.mark.slow


@pytest.fixture
def lms(app, live_server_url):
    platform = Platform()
    platform.start(live_server_url)
    settings = platform.settings_for_tool()
    result = app.test_cli_runner().invoke(
        args=[
            "lti",
            "add-platform",
            "--name",
            "Test LMS",
            "--issuer",
            settings["issuer"],
            "--client-id",
            settings["client_id"],
            "--deployment-id",
            settings["deployment_id"],
            "--login-url",
            settings["auth_login_url"],
            "--token-url",
            settings["auth_token_url"],
            "--jwks-url",
            settings["key_set_url"],
        ]
    )
    assert result.exit_code == 0, result.output
    yield platform
    platform.stop()


def browser() -> requests.Session:
    return requests.Session()


def open_from_lms(session: requests.Session, lms: Platform, sub: str, message: str):
    """What a click in the LMS does: login initiation at the tool, the OIDC auth request at
    the platform, and the form post of the id_token back to the tool's launch URL. Returns
    the tool's answer to the launch (not followed) and the posted fields."""
    page = session.get(lms.login_url(sub, message), timeout=10)
    assert page.status_code == 200, page.text
    action, fields = auto_post_form(page.text)
    return session.post(action, data=fields, allow_redirects=False, timeout=10), action, fields


def teachers_set(app, teacher_id: int, size: int = 4) -> int:
    with app.app_context():
        question_set = QuestionSet(
            title="Korean politics basics", status=SetStatus.PUBLISHED, owner_id=teacher_id
        )
        db.session.add(question_set)
        for position, spec in enumerate(ITEMS[:size]):
            item = Item(
                position=position,
                sources=[SOURCE],
                difficulty=0.5,
                **{**spec, "key": spec["key"] + ".lti"},
            )
            item.topic_rows = [ItemTopic(topic=topic) for topic in spec["topics"]]
            question_set.items.append(item)
        db.session.commit()
        return question_set.id


def user_of(app, sub: str) -> User | None:
    with app.app_context():
        link = db.session.scalar(select(LtiUserLink).where(LtiUserLink.sub == sub))
        return db.session.get(User, link.user_id) if link else None


def push(app, now=None) -> dict[str, int]:
    with app.app_context():
        return scores.push(now or utcnow())


def results_at_platform(app, lineitem_url: str) -> dict[str, float]:
    """The gradebook column, read from the platform's AGS results service over HTTP with
    an access token the tool gets with its own key (pylti1p3's service connector)."""
    with app.app_context():
        platform = db.session.scalar(select(LtiPlatform))
        connector = ServiceConnector(registration_of(platform))
        answer = connector.make_service_request(
            ["https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly"],
            lineitem_url + "/results",
            accept="application/vnd.ims.lis.v2.resultcontainer+json",
        )
    return {row["userId"]: row["resultScore"] for row in answer["body"]}


def test_lms_launches_deep_link_scores_and_roster_end_to_end(app, lms, live_server_url):
    # 1. The instructor adds Quizdeck from the course: a deep-linking launch.
    teacher = browser()
    response, _, _ = open_from_lms(teacher, lms, "teacher-1", "deep-link")
    assert response.status_code == 302, response.text
    assert response.headers["Location"].endswith("/lti/deep-link")
    tess = user_of(app, "teacher-1")
    assert tess.role is Role.TEACHER and tess.username == "tess-teacher"
    with app.app_context():
        course = db.session.scalar(select(LtiCourse))
        school_class = db.session.get(SchoolClass, course.class_id)
        assert (school_class.name, school_class.teacher_id) == ("Korean Politics 101", tess.id)
        class_id = school_class.id

    # 2. ...picks a set and settings; the answer goes back to the LMS as a signed JWT.
    set_id = teachers_set(app, tess.id)
    page = teacher.get(f"{live_server_url}/lti/deep-link", timeout=10)
    assert page.status_code == 200 and "Korean politics basics" in page.text
    opens = (utcnow() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    answer = teacher.post(
        f"{live_server_url}/lti/deep-link",
        data={"set_id": set_id, "opens_at": opens, "feedback_mode": "end"},
        timeout=10,
    )
    assert answer.status_code == 200, answer.text
    assert "Assignment made" in answer.text, re.findall(r"Error: [^<]*", answer.text)
    action, fields = auto_post_form(answer.text.split("<main", 1)[1])
    assert action == f"{lms.url}/deep-link-return"
    assert f"form-action 'self' {lms.url}" in answer.headers["Content-Security-Policy"]
    saved = teacher.post(action, data=fields, timeout=10)  # the platform verifies it
    assert saved.status_code == 200, saved.text
    [link] = lms.links.values()
    with app.app_context():
        [assignment] = db.session.scalars(select(Assignment)).all()
        assert (assignment.class_id, assignment.set_id) == (class_id, set_id)
        assignment_id = assignment.id
    assert link.custom == {"quizdeck_assignment": str(assignment_id)}
    assert lms.lineitems[link.lineitem_id].score_maximum == 100

    # 3. A learner opens the link: an account and an enrollment, with no sign-up.
    lee = browser()
    response, _, _ = open_from_lms(lee, lms, "learner-1", link.id)
    assert response.status_code == 302, response.text
    assert response.headers["Location"].endswith(f"/classes/#a{assignment_id}")
    student = user_of(app, "learner-1")
    assert student.role is Role.STUDENT
    with app.app_context():
        assert db.session.scalar(
            select(Enrollment.id).where(
                Enrollment.class_id == class_id, Enrollment.student_id == student.id
            )
        )
        link_row = db.session.scalar(select(LtiAssignmentLink))
        assert link_row.lineitem_url == f"{lms.url}/lineitems/{link.lineitem_id}"
        assert link_row.resource_link_id == link.id
    # The class page works inside the LMS frame: framed by this platform only.
    classes_page = lee.get(f"{live_server_url}/classes/", timeout=10)
    assert classes_page.status_code == 200
    assert f"frame-ancestors {lms.url}" in classes_page.headers["Content-Security-Policy"]
    assert "X-Frame-Options" not in classes_page.headers
    outside = requests.get(f"{live_server_url}/", timeout=10)
    assert "frame-ancestors 'none'" in outside.headers["Content-Security-Policy"]
    assert outside.headers["X-Frame-Options"] == "DENY"
    # A second launch signs the same account in again.
    open_from_lms(browser(), lms, "learner-1", link.id)
    with app.app_context():
        assert db.session.scalar(select(func.count(User.id)).where(User.role == Role.STUDENT)) == 1

    # 4. The learner takes the assignment and submits it (every answer blank: 0), while
    # the LMS is down: the score is tried at once, then waits.
    lineitem = lms.lineitems[link.lineitem_id]
    lms.down = True
    started = lee.post(
        f"{live_server_url}/classes/assignments/{assignment_id}/start",
        allow_redirects=False,
        timeout=10,
    )
    assert started.status_code == 302, started.text
    attempt_id = int(re.search(r"/quiz/attempts/(\d+)", started.headers["Location"]).group(1))
    submitted = lee.post(
        f"{live_server_url}/quiz/attempts/{attempt_id}/submit", allow_redirects=False, timeout=10
    )
    assert submitted.status_code == 302  # the student is not held up by the LMS

    # 5. The score is retried later with backoff, not at once.
    now = utcnow()
    with app.app_context():
        [row] = db.session.scalars(select(LtiScoreOutbox)).all()
        assert (row.tries, row.sent_at) == (1, None) and "503" in row.last_error
        assert row.next_try_at > now
    assert push(app, now) == {"sent": 0, "failed": 0, "superseded": 0}  # not due yet
    lms.down = False
    result = app.test_cli_runner().invoke(args=["lti", "push"])
    assert "sent 0" in result.output  # still waiting for its retry time
    assert push(app, now + timedelta(minutes=2)) == {"sent": 1, "failed": 0, "superseded": 0}
    assert [(s["userId"], s["scoreGiven"]) for s in lineitem.scores] == [("learner-1", 0.0)]
    assert push(app, now + timedelta(minutes=3))["sent"] == 0  # sent once, never again

    # 6. A regrade: a teacher re-scores two answers, one after the other, before the next
    # push; only the newest total goes to the LMS (the older one is superseded, not sent).
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        size = len(attempt.items)
        assert rescore_item(attempt, 1, 1.0, utcnow())
        db.session.commit()
        assert rescore_item(attempt, 2, 1.0, utcnow())
        db.session.commit()
        assert not rescore_item(attempt, 2, 1.0, utcnow())  # no change, nothing queued
        db.session.commit()
    result = app.test_cli_runner().invoke(args=["lti", "push"])
    assert "sent 1" in result.output and "superseded 1" in result.output, result.output
    expected = round(200 / size, 2)
    assert [s["scoreGiven"] for s in lineitem.scores] == [0.0, expected]
    assert "sent 0" in app.test_cli_runner().invoke(args=["lti", "push"]).output
    # Read back at the platform through its AGS results service, with a tool token.
    with app.app_context():
        rows = db.session.scalars(select(LtiScoreOutbox).order_by(LtiScoreOutbox.version)).all()
        assert [(r.version, r.sent_at is not None) for r in rows] == [
            (1, True),
            (2, True),
            (3, True),
        ]
        assert rows[1].last_error == "superseded by a newer score"
    assert results_at_platform(app, link_row.lineitem_url) == {"learner-1": expected}

    # 7. Roster sync: learner-2 never launched; after the sync they are in the class.
    synced = teacher.post(
        f"{live_server_url}/lti/classes/{class_id}/roster", allow_redirects=False, timeout=10
    )
    assert synced.status_code == 302
    kim = user_of(app, "learner-2")
    assert kim is not None and kim.role is Role.STUDENT and kim.username == "kim-min-jun"

    def roster() -> set[int]:
        with app.app_context():
            return set(
                db.session.scalars(
                    select(Enrollment.student_id).where(Enrollment.class_id == class_id)
                )
            )

    assert roster() == {student.id, kim.id}
    lms.members["learner-1"].status = "Inactive"
    result = app.test_cli_runner().invoke(args=["lti", "roster", str(class_id)])
    assert result.exit_code == 0 and "1 added" not in result.output, result.output
    assert roster() == {kim.id}

    # 8. With the LMS up, a submit's score is in the gradebook when the student's submit
    # returns, before any `flask lti push`.
    kim_browser = browser()
    open_from_lms(kim_browser, lms, "learner-2", link.id)
    started = kim_browser.post(
        f"{live_server_url}/classes/assignments/{assignment_id}/start",
        allow_redirects=False,
        timeout=10,
    )
    kim_attempt = int(re.search(r"/quiz/attempts/(\d+)", started.headers["Location"]).group(1))
    kim_browser.post(
        f"{live_server_url}/quiz/attempts/{kim_attempt}/submit", allow_redirects=False, timeout=10
    )
    assert [s["userId"] for s in lineitem.scores] == ["learner-1", "learner-1", "learner-2"]
    assert "sent 0" in app.test_cli_runner().invoke(args=["lti", "push"]).output

    # 9. The instructor opening the link lands on the class page.
    response, _, _ = open_from_lms(teacher, lms, "teacher-1", link.id)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/teach/classes/{class_id}")


def _fresh_launch(lms: Platform, sub: str = "teacher-1"):
    """A browser stopped just before posting a launch: its state cookie set, the form read."""
    session = browser()
    page = session.get(lms.login_url(sub, "deep-link"), timeout=10)
    action, fields = auto_post_form(page.text)
    return session, action, fields


@pytest.mark.parametrize(
    ("forgery", "logged"),
    [
        ("bad signature", "Signature verification failed"),
        ("wrong audience", "Registration not found"),  # no platform has that client id
        ("expired token", "Signature has expired"),
    ],
)
def test_forged_launches_are_refused_and_logged(app, lms, caplog, forgery, logged):
    session, action, fields = _fresh_launch(lms)
    now = int(time.time())
    if forgery == "bad signature":
        token = lms.resign(fields["id_token"], key_pem=new_private_key())
    elif forgery == "wrong audience":
        token = lms.resign(fields["id_token"], aud="some-other-tool", azp="some-other-tool")
    else:
        token = lms.resign(fields["id_token"], iat=now - 900, exp=now - 600)
    with caplog.at_level(logging.WARNING, logger="quizzes.lti"):
        response = session.post(action, data={**fields, "id_token": token}, timeout=10)
    assert response.status_code == 400
    assert "could not be verified" in response.text
    assert any(
        "LTI launch refused" in r.getMessage() and logged in r.getMessage() for r in caplog.records
    )
    assert user_of(app, "teacher-1") is None  # nobody was signed in or made


def test_a_replayed_launch_is_refused_and_logged(app, lms, caplog):
    session, action, fields = _fresh_launch(lms)
    first = session.post(action, data=fields, allow_redirects=False, timeout=10)
    assert first.status_code == 302
    with caplog.at_level(logging.WARNING, logger="quizzes.lti"):
        again = browser().post(action, data=fields, allow_redirects=False, timeout=10)
        replay = session.post(action, data=fields, allow_redirects=False, timeout=10)
    assert again.status_code == 400 and replay.status_code == 400
    assert any(
        "Invalid Nonce" in r.getMessage() or "State" in r.getMessage() for r in caplog.records
    )


def test_an_unregistered_platform_cannot_start_a_login(app, lms, live_server_url):
    response = requests.get(
        f"{live_server_url}/lti/login",
        params={
            "iss": "https://evil.example",
            "login_hint": "x",
            "target_link_uri": f"{live_server_url}/lti/launch",
        },
        timeout=10,
    )
    assert response.status_code == 400


def test_a_learner_before_any_instructor_is_told_inside_the_lms_frame(app, lms):
    response, _, _ = open_from_lms(browser(), lms, "learner-1", "deep-link")
    assert response.status_code == 403
    assert "Your teacher has not opened Quizdeck in this course yet" in response.text
    assert f"frame-ancestors {lms.url}" in response.headers["Content-Security-Policy"]
    with app.app_context():
        assert db.session.scalar(select(SchoolClass)) is None


def test_an_lms_made_account_sets_a_password_then_signs_in_directly(app, lms, live_server_url):
    lee = browser()
    open_from_lms(lee, lms, "teacher-1", "deep-link")
    account = lee.get(f"{live_server_url}/account/", timeout=10).text
    assert "Set a password" in account and "Current password" not in account
    refused = lee.post(
        f"{live_server_url}/lti/password", data={"new": "short", "confirm": "short"}, timeout=10
    )
    assert refused.status_code == 422 and "Use at least" in refused.text
    assert not user_of(app, "teacher-1").has_password
    done = lee.post(
        f"{live_server_url}/lti/password",
        data={"new": "a long enough password", "confirm": "a long enough password"},
        allow_redirects=False,
        timeout=10,
    )
    assert done.status_code == 302
    # Still signed in, still framed by the LMS; and the password works on the login page.
    page = lee.get(f"{live_server_url}/account/", timeout=10)
    assert "Change your password" in page.text
    assert f"frame-ancestors {lms.url}" in page.headers["Content-Security-Policy"]
    direct = browser().post(
        f"{live_server_url}/auth/login",
        data={"username": "tess-teacher", "password": "a long enough password"},
        allow_redirects=False,
        timeout=10,
    )
    assert direct.status_code == 302 and "/auth/login" not in direct.headers["Location"]
    # The form is for accounts without a password only.
    again = lee.get(f"{live_server_url}/lti/password", allow_redirects=False, timeout=10)
    assert again.headers["Location"].endswith("/account/")
