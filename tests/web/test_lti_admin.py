"""The LTI admin page, `flask lti` commands, the tool's JWKS and key rotation, the cookies
of a session inside an LMS frame, and LMS links in the account export."""

from __future__ import annotations

import json
from datetime import timedelta

from sqlalchemy import select

from models import LtiDeployment, LtiKey, LtiPlatform, LtiUserLink, Role, User, db, utcnow
from quizzes.lti import platforms

PLATFORM_FORM = {
    "name": "School Moodle",
    "issuer": "https://moodle.school.org",
    "client_id": "AbC123",
    "deployment_ids": "1\n2",
    "auth_login_url": "https://moodle.school.org/mod/lti/auth.php",
    "auth_token_url": "https://moodle.school.org/mod/lti/token.php",
    "key_set_url": "https://moodle.school.org/mod/lti/certs.php",
}


def test_admin_page_shows_every_value_an_lms_admin_copies(login_as):
    admin = login_as("root", Role.ADMIN)
    page = admin.get("/lti/admin").get_data(as_text=True)
    for path in ("/lti/login", "/lti/launch", "/lti/jwks"):
        assert f"http://localhost{path}" in page
    assert "PRIVATE KEY" not in page
    assert "Rotate keys" in page


def test_admin_registers_a_platform_with_its_deployments(app, login_as):
    admin = login_as("root", Role.ADMIN)
    response = admin.post("/lti/admin/platforms", data=PLATFORM_FORM)
    assert response.status_code == 302
    with app.app_context():
        platform = db.session.scalar(select(LtiPlatform))
        assert (platform.issuer, platform.client_id) == ("https://moodle.school.org", "AbC123")
        assert [d.deployment_id for d in platform.deployments] == ["1", "2"]
    assert "School Moodle" in admin.get("/lti/admin").get_data(as_text=True)


def test_a_bad_registration_is_a_message_and_stores_nothing(app, login_as):
    admin = login_as("root", Role.ADMIN)
    bad = {**PLATFORM_FORM, "key_set_url": "javascript:alert(1)", "deployment_ids": " \n "}
    response = admin.post("/lti/admin/platforms", data=bad)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Give a full web address" in page and "Give at least one deployment ID" in page
    with app.app_context():
        assert db.session.scalar(select(LtiPlatform)) is None
        assert db.session.scalar(select(LtiDeployment)) is None


def test_removing_a_platform_removes_its_links(app, login_as, create_user):
    admin = login_as("root", Role.ADMIN)
    student = create_user("lee")
    with app.app_context():
        platform = platforms.register(
            **{k: v for k, v in PLATFORM_FORM.items() if k != "deployment_ids"},
            deployment_ids=["1"],
        )
        db.session.add(LtiUserLink(platform_id=platform.id, sub="s-1", user_id=student))
        db.session.commit()
        platform_id = platform.id
    assert admin.post(f"/lti/admin/platforms/{platform_id}/delete").status_code == 302
    with app.app_context():
        assert db.session.get(LtiPlatform, platform_id) is None
        assert db.session.scalar(select(LtiUserLink)) is None
        assert db.session.get(User, student) is not None  # the account stays


def test_jwks_publishes_public_keys_and_rotation_keeps_the_old_one_for_a_while(app, client):
    first = client.get("/lti/jwks").get_json()["keys"]
    assert len(first) == 1 and first[0]["alg"] == "RS256" and first[0]["kty"] == "RSA"
    assert not {"d", "p", "q", "dp", "dq", "qi"} & set(first[0])
    runner = app.test_cli_runner()
    rotated = runner.invoke(args=["lti", "rotate-keys"])
    assert rotated.exit_code == 0, rotated.output
    second = client.get("/lti/jwks").get_json()["keys"]
    assert [key["kid"] for key in second][1] == first[0]["kid"]
    assert second[0]["kid"] != first[0]["kid"]
    listing = runner.invoke(args=["lti", "keys"]).output
    assert "signing" in listing and "still published" in listing and "PRIVATE" not in listing
    with app.app_context():  # the grace period is over
        old = db.session.scalar(select(LtiKey).where(LtiKey.kid == first[0]["kid"]))
        old.retired_at = utcnow() - timedelta(days=3)
        db.session.commit()
    assert [key["kid"] for key in client.get("/lti/jwks").get_json()["keys"]] == [second[0]["kid"]]


def test_cli_registers_lists_and_prints_the_settings(app):
    runner = app.test_cli_runner()
    added = runner.invoke(
        args=[
            "lti", "add-platform", "--name", "Canvas", "--issuer", "https://canvas.instructure.com",
            "--client-id", "10000000000001", "--deployment-id", "7:abc",
            "--login-url", "https://sso.canvaslms.com/api/lti/authorize_redirect",
            "--token-url", "https://sso.canvaslms.com/login/oauth2/token",
            "--jwks-url", "https://sso.canvaslms.com/api/lti/security/jwks",
            "--frame-origin", "https://school.instructure.com",
        ]
    )  # fmt: skip
    assert added.exit_code == 0, added.output
    assert "10000000000001" in runner.invoke(args=["lti", "platforms"]).output
    settings = runner.invoke(args=["lti", "settings", "--base-url", "https://quiz.school.org"])
    assert "https://quiz.school.org/lti/login" in settings.output
    assert "https://quiz.school.org/lti/jwks" in settings.output
    refused = runner.invoke(
        args=["lti", "add-platform", "--name", "x", "--issuer", "nonsense", "--client-id", "1",
              "--deployment-id", "1", "--login-url", "https://a", "--token-url", "https://a",
              "--jwks-url", "https://a"]
    )  # fmt: skip
    assert refused.exit_code != 0 and "full web address" in refused.output
    with app.app_context():
        assert db.session.scalar(select(LtiPlatform.name)) == "Canvas"


def test_an_lms_session_gets_cookies_that_work_in_a_third_party_frame(make_app):
    app = make_app(SESSION_COOKIE_SECURE=True)
    client = app.test_client()
    with app.app_context():
        platform = platforms.register(
            **{k: v for k, v in PLATFORM_FORM.items() if k != "deployment_ids"},
            deployment_ids=["1"],
            frame_origins=["https://lms.school.org"],
        )
        db.session.commit()
        platform_id = platform.id
    with client.session_transaction(base_url="https://localhost") as session:
        session["lti_platform"] = platform_id
    response = client.get("/", base_url="https://localhost")
    cookie = response.headers["Set-Cookie"]
    assert "SameSite=None" in cookie and "Secure" in cookie and "Partitioned" in cookie
    csp = response.headers["Content-Security-Policy"]
    assert "frame-ancestors https://lms.school.org https://moodle.school.org;" in csp + ";"
    assert "X-Frame-Options" not in response.headers
    # Any other session: Lax cookies, and no framing at all.
    other = app.test_client()
    with other.session_transaction(base_url="https://localhost") as session:
        session["something"] = 1
    plain = other.get("/", base_url="https://localhost")
    assert "SameSite=Lax" in plain.headers["Set-Cookie"]
    assert "Partitioned" not in plain.headers["Set-Cookie"]
    assert "frame-ancestors 'none'" in plain.headers["Content-Security-Policy"]
    assert plain.headers["X-Frame-Options"] == "DENY"


def test_the_account_export_lists_the_lms_links(app, login_as):
    student = login_as("lee")
    with app.app_context():
        platform = platforms.register(
            **{k: v for k, v in PLATFORM_FORM.items() if k != "deployment_ids"},
            deployment_ids=["1"],
        )
        user_id = db.session.scalar(select(User.id).where(User.username == "lee"))
        db.session.add(LtiUserLink(platform_id=platform.id, sub="moodle-42", user_id=user_id))
        db.session.commit()
    data = json.loads(student.get("/account/export.json").get_data(as_text=True))
    assert [(link["issuer"], link["sub"]) for link in data["lms_links"]] == [
        ("https://moodle.school.org", "moodle-42")
    ]
    assert data["lms_scores"] == []


def test_a_score_outside_any_lms_course_is_never_queued(app, create_user):
    import random

    from models import Assignment, LtiScoreOutbox, QuestionSet, SchoolClass
    from models.attempts import FeedbackMode
    from quizzes.classes import assignments
    from quizzes.classes.services import create_class, join_class
    from quizzes.quiz import services as quiz_services
    from tests.fixtures_items import make_items

    teacher, student = create_user("tess", Role.TEACHER), create_user("lee")
    made = make_items(app)
    with app.app_context():
        school_class = create_class(db.session.get(User, teacher), "Plain class")
        join_class(db.session.get(User, student), school_class.join_code)
        assignment = assignments.create_assignment(
            db.session.get(SchoolClass, school_class.id),
            db.session.get(QuestionSet, made.set_id),
            opens_at=utcnow() - timedelta(hours=1),
            due_at=None,
            attempt_limit=None,
            time_limit_minutes=None,
            feedback_mode=FeedbackMode.END,
        )
        db.session.commit()
        attempt = assignments.start(
            db.session.get(User, student),
            db.session.get(Assignment, assignment.id),
            utcnow(),
            random.Random(1),
        )
        db.session.commit()
        assert quiz_services.submit(attempt, utcnow())
        db.session.commit()
        assert attempt.score is not None
        assert db.session.scalar(select(LtiScoreOutbox)) is None
