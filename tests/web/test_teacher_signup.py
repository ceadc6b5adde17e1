"""Who becomes a teacher by signing up (TEACHER_SIGNUP): approval by an administrator (the
default), an invitation code, or open; the admin page and the `flask users` commands."""

from __future__ import annotations

import re
import time

import pytest
from sqlalchemy import select

from app import create_app
from models import Role, User, db
from quizzes.auth import signup
from quizzes.auth.signup import UnknownPolicy
from tests.conftest import PASSWORD
from tests.web.test_auth import register


def role_of(app, username: str) -> Role | None:
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == username))
        return user.role if user else None


def test_the_default_is_approval(tmp_path, monkeypatch):
    from quizzes.config import defaults

    monkeypatch.delenv("TEACHER_SIGNUP", raising=False)
    assert defaults(str(tmp_path))["TEACHER_SIGNUP"] == "approval"


def test_a_mistyped_policy_stops_the_start_saying_what_to_use():
    with pytest.raises(UnknownPolicy, match="use one of approval, invitation, open"):
        create_app({"SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": "sqlite://",
                    "TEACHER_SIGNUP": "anyone"})  # fmt: skip


# -- approval ------------------------------------------------------------------------------


def test_with_approval_a_teacher_sign_up_waits_as_a_learner(app, client):
    assert app.config["TEACHER_SIGNUP"] == "approval"
    response = register(client, "hopeful", role="teacher")
    assert response.status_code == 302
    assert role_of(app, "hopeful") is Role.PENDING_TEACHER
    home = client.get("/").data.decode()
    assert "Your teacher account waits for an administrator" in home
    assert client.get("/teach/sets").status_code == 403  # no teacher page yet
    assert client.get("/quiz/").status_code == 200  # a learner's pages work
    assert "waiting for an administrator" in client.get("/account/").data.decode()


def test_with_approval_a_student_sign_up_is_a_student(app, client):
    register(client, "pupil", role="student")
    assert role_of(app, "pupil") is Role.STUDENT


def test_an_admin_approves_on_the_admin_page(app, client, login_as):
    register(client, "hopeful", role="teacher")
    register(app.test_client(), "other.hopeful", role="teacher")
    admin = login_as("boss", Role.ADMIN)
    page = admin.get("/admin/teachers").data.decode()
    assert "hopeful" in page and "other.hopeful" in page
    assert "Teacher sign-ups" in admin.get("/").data.decode()  # in the navigation bar
    with app.app_context():
        user_id = db.session.scalar(select(User.id).where(User.username == "hopeful"))
    response = admin.post(f"/admin/teachers/{user_id}/approve")
    assert response.status_code == 302
    assert role_of(app, "hopeful") is Role.TEACHER
    assert role_of(app, "other.hopeful") is Role.PENDING_TEACHER
    assert client.get("/teach/sets").status_code == 200  # the same session, now a teacher
    # Approving again (a second press): nobody is waiting under that id any more.
    assert admin.post(f"/admin/teachers/{user_id}/approve").status_code == 404


def test_an_admin_declines_and_the_account_stays_a_learners(app, client, login_as):
    register(client, "hopeful", role="teacher")
    admin = login_as("boss", Role.ADMIN)
    with app.app_context():
        user_id = db.session.scalar(select(User.id).where(User.username == "hopeful"))
    assert admin.post(f"/admin/teachers/{user_id}/decline").status_code == 302
    assert role_of(app, "hopeful") is Role.STUDENT
    assert "No account is waiting." in admin.get("/admin/teachers").data.decode()


def test_only_waiting_accounts_are_approved(app, login_as, create_user):
    student_id = create_user("pupil", Role.STUDENT)
    admin = login_as("boss", Role.ADMIN)
    assert admin.post(f"/admin/teachers/{student_id}/approve").status_code == 404
    assert role_of(app, "pupil") is Role.STUDENT


def test_teachers_and_students_cannot_approve(app, client, login_as):
    register(client, "hopeful", role="teacher")
    with app.app_context():
        user_id = db.session.scalar(select(User.id).where(User.username == "hopeful"))
    for name, role in (("teacher1", Role.TEACHER), ("pupil", Role.STUDENT)):
        other = login_as(name, role)
        assert other.get("/admin/teachers").status_code == 403
        assert other.post(f"/admin/teachers/{user_id}/approve").status_code == 403
    assert client.post(f"/admin/teachers/{user_id}/approve").status_code == 403  # itself
    assert role_of(app, "hopeful") is Role.PENDING_TEACHER


def test_the_approval_commands(app, client, runner):
    register(client, "hopeful", role="teacher")
    listed = runner.invoke(args=["users", "pending"])
    assert listed.exit_code == 0 and "hopeful" in listed.output
    result = runner.invoke(args=["users", "approve", "HOPEFUL"])
    assert result.exit_code == 0, result.output
    assert role_of(app, "hopeful") is Role.TEACHER
    again = runner.invoke(args=["users", "approve", "hopeful"])
    assert again.exit_code != 0 and "is not waiting for approval" in again.output
    assert "No account is waiting" in runner.invoke(args=["users", "pending"]).output


# -- invitation ----------------------------------------------------------------------------


@pytest.fixture
def invited_app(make_app):
    return make_app(TEACHER_SIGNUP="invitation")


def _sign_up(app, username: str, code: str | None, role: str = "teacher"):
    data = {"username": username, "password": PASSWORD, "confirm": PASSWORD, "role": role}
    if code is not None:
        data["invitation"] = code
    return app.test_client().post("/auth/register", data=data)


def test_with_invitations_the_form_asks_for_the_code(invited_app):
    page = invited_app.test_client().get("/auth/register").data.decode()
    assert 'name="invitation"' in page and "Invitation code" in page


def test_an_invited_teacher_signs_up_as_a_teacher(invited_app):
    code = signup.invitation_code("test-secret", "NewTeacher")
    assert _sign_up(invited_app, "newteacher", code).status_code == 302
    assert role_of(invited_app, "newteacher") is Role.TEACHER


@pytest.mark.parametrize(
    ("code", "why"),
    [
        (None, "no code"),
        ("", "empty"),
        ("made-up-code", "not signed here"),
        ("for-someone-else", "another username's code"),
        ("other-secret", "signed with another key"),
        ("x" * 300, "longer than any code"),
    ],
)
def test_a_teacher_sign_up_without_a_fitting_code_is_refused(invited_app, code, why):
    if code == "for-someone-else":
        code = signup.invitation_code("test-secret", "somebody")
    elif code == "other-secret":
        code = signup.invitation_code("another-secret", "newteacher")
    response = _sign_up(invited_app, "newteacher", code)
    assert response.status_code == 200, why
    assert "needs the invitation code an administrator made" in response.data.decode()
    assert role_of(invited_app, "newteacher") is None  # nothing written


def test_an_old_code_is_refused(invited_app, monkeypatch):
    code = signup.invitation_code("test-secret", "newteacher")
    later = time.time() + 15 * 86400  # past TEACHER_INVITATION_DAYS (14)
    monkeypatch.setattr(time, "time", lambda: later)
    assert _sign_up(invited_app, "newteacher", code).status_code == 200
    assert role_of(invited_app, "newteacher") is None


def test_students_need_no_code(invited_app):
    assert _sign_up(invited_app, "pupil", None, role="student").status_code == 302
    assert role_of(invited_app, "pupil") is Role.STUDENT


def test_an_admin_makes_a_code_on_the_admin_page(invited_app, create_user):
    from tests.conftest import AuthActions

    create_user("boss", Role.ADMIN)
    admin = invited_app.test_client()
    AuthActions(admin).login("boss")
    page = admin.post("/admin/invitations", data={"username": "newteacher"}).data.decode()
    code = re.search(r'<code class="invitation-code">([^<]+)</code>', page).group(1)
    assert _sign_up(invited_app, "newteacher", code).status_code == 302
    assert role_of(invited_app, "newteacher") is Role.TEACHER
    refused = admin.post("/admin/invitations", data={"username": "bad name!"})
    assert refused.status_code == 422


def test_the_invite_command_prints_a_working_code(invited_app):
    result = invited_app.test_cli_runner().invoke(args=["users", "invite", "newteacher"])
    assert result.exit_code == 0, result.output
    code = result.stdout.strip()
    assert _sign_up(invited_app, "newteacher", code).status_code == 302
    assert role_of(invited_app, "newteacher") is Role.TEACHER


# -- open ----------------------------------------------------------------------------------


def test_open_sign_up_makes_teachers_at_once(make_app):
    app = make_app(TEACHER_SIGNUP="open")
    assert _sign_up(app, "anyteacher", None).status_code == 302
    assert role_of(app, "anyteacher") is Role.TEACHER
    assert 'name="invitation"' not in app.test_client().get("/auth/register").data.decode()
