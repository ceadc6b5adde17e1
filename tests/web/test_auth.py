import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from models import Role, User, db
from tests.conftest import PASSWORD
from tests.web.at_once import at_once


def register(client, username="newbie", password=PASSWORD, confirm=None, role="student"):
    return client.post(
        "/auth/register",
        data={
            "username": username,
            "password": password,
            "confirm": confirm or password,
            "role": role,
        },
    )


def test_register_creates_hashed_account_and_logs_in(make_app):
    app = make_app(TEACHER_SIGNUP="open")  # a teacher at once (tests/web/test_teacher_signup.py)
    client = app.test_client()
    response = register(client, role="teacher")
    assert response.status_code == 302
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == "newbie"))
        assert user.role is Role.TEACHER
        assert user.password_hash.startswith("scrypt:")
        assert PASSWORD not in user.password_hash
    home = client.get("/")
    assert b'Signed in as <a href="/account/"><strong>newbie</strong>' in home.data


@pytest.mark.parametrize(
    ("username", "password", "confirm", "message"),
    [
        ("ab", PASSWORD, PASSWORD, b"Field must be between 3 and 40 characters long."),
        (
            "bad name!",
            PASSWORD,
            PASSWORD,
            b"Use letters, digits, dots, dashes or underscores only.",
        ),
        ("valid", "short", "short", b"Use at least 10 characters."),
        ("valid", PASSWORD, PASSWORD + "x", b"The passwords do not match."),
        ("taken", "another password 1", "another password 1", b"That username is taken."),
    ],
)
def test_register_validation_messages(
    app, client, create_user, username, password, confirm, message
):
    create_user("Taken")
    response = register(client, username, password, confirm)
    assert response.status_code == 200
    assert message in response.data
    with app.app_context():
        assert db.session.scalar(select(db.func.count(User.id))) == 1


def signed_in_as(client) -> str | None:
    page = client.get("/").data.decode()
    found = re.search(r"Signed in as <a [^>]*><strong>([^<]+)</strong>", page)
    return found and found.group(1)


def test_two_registrations_of_one_name_at_the_same_moment_make_one_account(app):
    """Both pass the "is it taken" check before either wrote (a double click, threads on
    one app): one account, and both presses end signed in to it."""

    def press(client):
        return register(client, "twin").status_code, signed_in_as(client)

    assert at_once(app, None, press) == [(302, "twin"), (302, "twin")]
    with app.app_context():
        assert db.session.scalar(select(db.func.count(User.id))) == 1


def test_the_sign_up_form_sent_again_signs_in_to_the_account_it_made(app):
    first, again = app.test_client(), app.test_client()  # the second press: no cookie yet
    assert register(first, "twice", role="teacher").status_code == 302
    response = register(again, "twice", role="teacher")
    assert response.status_code == 302 and response.location == "/"
    assert signed_in_as(again) == "twice"
    with app.app_context():
        assert db.session.scalar(select(db.func.count(User.id))) == 1


@pytest.mark.parametrize(
    ("password", "role", "minutes_ago"),
    [("another password 1", "teacher", 0), (PASSWORD, "student", 0), (PASSWORD, "teacher", 3)],
    ids=["other-password", "other-role", "too-late"],
)
def test_a_taken_name_stays_taken_for_another_sign_up(app, password, role, minutes_ago):
    register(app.test_client(), "twice", role="teacher")
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == "twice"))
        user.created_at -= timedelta(minutes=minutes_ago)
        db.session.commit()
    other = app.test_client()
    response = register(other, "twice", password=password, role=role)
    assert response.status_code == 200
    assert b"That username is taken." in response.data
    assert signed_in_as(other) is None


def test_a_sign_up_sent_again_without_its_csrf_token_signs_no_one_in(make_app):
    app = make_app(WTF_CSRF_ENABLED=True)
    first = app.test_client()
    page = first.get("/auth/register").data.decode()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    data = {"username": "twice", "password": PASSWORD, "confirm": PASSWORD, "role": "student"}
    assert first.post("/auth/register", data={**data, "csrf_token": token}).status_code == 302
    forged = app.test_client()
    assert forged.post("/auth/register", data=data).status_code == 400
    assert signed_in_as(forged) is None


def test_register_rejects_admin_role_from_the_form(app, client):
    response = register(client, role="admin")
    assert response.status_code == 200
    assert b"Not a valid choice" in response.data
    with app.app_context():
        assert db.session.scalar(select(User).where(User.username == "newbie")) is None


def test_login_and_logout(client, auth, create_user):
    create_user("student1")
    response = auth.login()
    assert response.status_code == 302
    assert b'Signed in as <a href="/account/"><strong>student1</strong>' in client.get("/").data
    auth.logout()
    assert b"Signed in as" not in client.get("/").data


def test_login_is_case_insensitive_on_username(client, auth, create_user):
    create_user("Student1")
    assert auth.login("student1").status_code == 302


@pytest.mark.parametrize(
    ("username", "password"), [("student1", "wrong password"), ("nobody", PASSWORD)]
)
def test_wrong_login_gives_one_message_and_no_session(
    client, auth, create_user, username, password
):
    create_user("student1")
    response = auth.login(username, password)
    assert response.status_code == 401
    assert b"Wrong username or password." in response.data
    assert b"Signed in as" not in client.get("/").data


@pytest.mark.parametrize(
    ("next_url", "expected"),
    [
        ("/auth/register", "/auth/register"),
        ("https://evil.example/", "/"),
        ("//evil.example/", "/"),
        ("/\\evil.example", "/"),
        ("javascript:alert(1)", "/"),
    ],
)
def test_next_redirect_is_same_site_only(client, create_user, next_url, expected):
    create_user("student1")
    response = client.post(
        "/auth/login",
        query_string={"next": next_url},
        data={"username": "student1", "password": PASSWORD},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == expected


def test_remember_me_sets_a_persistent_cookie(client, auth, create_user):
    create_user("student1")
    auth.login(remember="y")
    assert client.get_cookie("remember_token") is not None


def test_logged_out_client_does_not_see_another_clients_user(app, login_as):
    login_as("alice")
    other = app.test_client()
    assert b"Signed in as" not in other.get("/").data


def test_logout_needs_post(client, auth, create_user):
    create_user("student1")
    auth.login()
    page = client.get("/auth/logout")
    assert page.status_code == 405
    assert b"This address is for a button (a form), not a link to open." in page.data
    assert b"Signed in as" in client.get("/").data


def test_cli_creates_admin_who_can_log_in(app, runner, client, auth):
    result = runner.invoke(
        args=["users", "create", "root", "--role", "admin"], input=f"{PASSWORD}\n{PASSWORD}\n"
    )
    assert result.exit_code == 0, result.output
    assert "Created admin 'root'." in result.output
    assert auth.login("root").status_code == 302
    assert b"admin" in client.get("/").data


def test_cli_refuses_short_password_and_duplicates(runner, create_user):
    result = runner.invoke(args=["users", "create", "x1", "--password", "short"])
    assert result.exit_code != 0
    assert "at least 10 characters" in result.output
    create_user("dupe")
    result = runner.invoke(args=["users", "create", "DUPE", "--password", PASSWORD])
    assert result.exit_code != 0
    assert "already exists" in result.output
