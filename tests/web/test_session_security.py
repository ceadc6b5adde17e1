"""Sessions, cookies and response headers: what a stolen or planted cookie can and cannot do."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from quizzes.web.security import CSP
from tests.conftest import PASSWORD, AuthActions

ROOT = Path(__file__).resolve().parents[2]


def session_cookie(client: FlaskClient) -> str | None:
    cookie = client.get_cookie("session")
    return cookie.value if cookie else None


def decode_session(app: Flask, value: str) -> dict:
    return dict(app.session_interface.get_signing_serializer(app).loads(value))


def client_with_session(app: Flask, value: str) -> FlaskClient:
    client = app.test_client()
    client.set_cookie("session", value)
    return client


def signed_in(client: FlaskClient) -> bool:
    return b"Signed in as" in client.get("/").data


def csrf_token(client: FlaskClient, path: str) -> str:
    page = client.get(path).data.decode()
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)


def test_login_starts_a_new_session_so_a_planted_cookie_stays_anonymous(make_app, create_user):
    """Session fixation: an attacker who knows (or planted) the pre-login cookie gains nothing."""
    app = make_app(WTF_CSRF_ENABLED=True)
    create_user("victim")
    victim = app.test_client()
    token = csrf_token(victim, "/auth/login")
    with victim.session_transaction() as sess:
        sess["planted"] = "by the attacker"
    before = session_cookie(victim)
    assert before is not None and decode_session(app, before)["csrf_token"]

    response = victim.post(
        "/auth/login", data={"username": "victim", "password": PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 302
    after = session_cookie(victim)
    assert after != before
    new_session = decode_session(app, after)
    assert new_session["_user_id"].startswith("1:")  # the account id and its session token
    assert "planted" not in new_session  # nothing from before login survives
    assert "csrf_token" not in new_session  # a new token is made on the next form

    assert signed_in(victim)
    attacker = client_with_session(app, before)
    assert not signed_in(attacker)
    assert attacker.get("/auth/login").status_code == 200  # still the anonymous login page


def test_registration_also_starts_a_new_session(app, client):
    with client.session_transaction() as sess:
        sess["planted"] = "x"
    before = session_cookie(client)
    client.post(
        "/auth/register",
        data={"username": "fresh", "password": PASSWORD, "confirm": PASSWORD, "role": "student"},
    )
    session = decode_session(app, session_cookie(client))
    assert session["_user_id"].startswith("1:") and "planted" not in session
    assert not signed_in(client_with_session(app, before))


def test_logout_clears_the_session_and_the_remember_cookie(app, client, auth, create_user):
    create_user("student1")
    auth.login(remember="y")
    assert client.get_cookie("remember_token") is not None
    response = auth.logout()
    assert response.status_code == 302
    assert client.get_cookie("remember_token") is None
    assert "_user_id" not in decode_session(app, session_cookie(client))
    assert not signed_in(client)
    assert not signed_in(client)  # and the next page does not sign back in either


def test_a_copied_session_or_remember_cookie_stops_working_at_logout(
    app, client, auth, create_user
):
    create_user("student1")
    auth.login(remember="y")
    copied_session = session_cookie(client)
    copied_remember = client.get_cookie("remember_token").value
    thief = client_with_session(app, copied_session)
    assert signed_in(thief)  # before logout the copy works, as any session cookie would
    auth.logout()
    assert not signed_in(client_with_session(app, copied_session))
    remembered = app.test_client()
    remembered.set_cookie("remember_token", copied_remember)
    assert not signed_in(remembered)


def test_logging_out_ends_the_sessions_on_other_devices_too(app, create_user):
    create_user("student1")
    laptop, phone = app.test_client(), app.test_client()
    for device in (laptop, phone):
        assert AuthActions(device).login().status_code == 302
    AuthActions(phone).logout()
    assert not signed_in(laptop)
    assert AuthActions(laptop).login().status_code == 302  # signing in again works
    assert signed_in(laptop)


def test_a_device_signed_out_from_elsewhere_is_told_why(app, create_user):
    create_user("student1")
    laptop, phone = app.test_client(), app.test_client()
    for device in (laptop, phone):
        AuthActions(device).login()
    AuthActions(phone).logout()
    response = laptop.get("/progress/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/auth/login?next=")
    page = laptop.get(response.headers["Location"]).data.decode()
    assert "Warning:</span> You were signed out on this device because your account" in page
    assert "Please log in to see that page." not in page
    # A form sent from a page left open on that device says it was not kept.
    sent = laptop.post("/cards/decks/new", data={"title": "Typed before", "description": ""})
    page = laptop.get(sent.headers["Location"]).data.decode()
    assert "What you had just sent was not saved: enter it again once you are in." in page
    # Someone who was never signed in gets the usual request, not the warning.
    stranger = app.test_client()
    first_visit = stranger.get(stranger.get("/progress/").headers["Location"]).data.decode()
    assert "Please log in to see that page." in first_visit
    assert "You were signed out" not in first_visit


def test_an_autosave_after_being_signed_out_elsewhere_says_it_was_not_saved(app, create_user):
    create_user("student1")
    laptop, phone = app.test_client(), app.test_client()
    for device in (laptop, phone):
        AuthActions(device).login()
    AuthActions(phone).logout()
    response = laptop.post(
        "/quiz/attempts/1/items/1", data={"answer": "0"}, headers={"X-Requested-With": "fetch"}
    )
    assert response.status_code == 401
    assert response.json == {
        "status": "signed_out",
        "message": "You were signed out on another device. Not saved: you are not logged in. "
        "Reload the page to log in again; the answers saved before are kept.",
    }


def test_a_session_naming_only_the_account_id_is_refused(app, create_user):
    """What sessions held before tokens (and what a forger who knows an id would write)."""
    create_user("student1")
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = "1"
    assert not signed_in(client)


def test_an_account_stored_without_a_token_gets_one_at_login(app, create_user):
    """Such a row (a raw insert) could never stay signed in: an empty token names nothing."""
    from models import User, db

    create_user("student1")
    with app.app_context():
        db.session.execute(db.update(User).values(session_token=""))
        db.session.commit()
    client = app.test_client()
    assert AuthActions(client).login().status_code == 302
    assert signed_in(client)
    with app.app_context():
        assert len(db.session.scalar(db.select(User.session_token))) >= 32


def test_a_forged_session_cookie_is_ignored(app, create_user):
    create_user("admin1", "admin")
    other = make_other_key_app(app)
    forged = other.session_interface.get_signing_serializer(other).dumps({"_user_id": "1"})
    assert not signed_in(client_with_session(app, forged))


def make_other_key_app(app: Flask) -> Flask:
    other = Flask("forger")
    other.secret_key = "not-the-real-secret"
    other.config["SECRET_KEY"] = "not-the-real-secret"
    assert other.secret_key != app.secret_key
    return other


def set_cookie_headers(response, name: str) -> list[str]:
    return [h for h in response.headers.getlist("Set-Cookie") if h.startswith(f"{name}=")]


def login_response(app: Flask, create_user):
    create_user("student1")
    client = app.test_client()
    return client.post(
        "/auth/login", data={"username": "student1", "password": PASSWORD, "remember": "y"}
    )


def test_cookies_are_httponly_and_samesite_lax(app, create_user):
    response = login_response(app, create_user)
    for name in ("session", "remember_token"):
        [header] = set_cookie_headers(response, name)
        attributes = {part.strip().split("=")[0].lower(): part for part in header.split(";")}
        assert "httponly" in attributes, header
        assert attributes["samesite"].strip() == "SameSite=Lax", header
        assert "secure" not in attributes, header  # plain HTTP in development
    assert "Strict-Transport-Security" not in response.headers


def test_secure_cookies_and_hsts_when_session_cookie_secure_is_1(
    make_app, create_user, monkeypatch
):
    monkeypatch.setenv("SESSION_COOKIE_SECURE", "1")
    app = make_app()
    response = login_response(app, create_user)
    for name in ("session", "remember_token"):
        [header] = set_cookie_headers(response, name)
        assert "; Secure" in header, header
        assert "; HttpOnly" in header, header
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000"


def csp_directives(header: str) -> dict[str, list[str]]:
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


def test_csp_allows_only_own_files_and_no_inline_code():
    directives = csp_directives(CSP)
    assert directives == {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
    for forbidden in ("'unsafe-inline'", "'unsafe-eval'", "*", "http:", "https:"):
        assert forbidden not in CSP.split()


@pytest.mark.parametrize(
    ("path", "method", "status"),
    [
        ("/", "get", 200),
        ("/auth/login", "get", 200),
        ("/no-such-page", "get", 404),
        ("/auth/logout", "get", 405),
        ("/auth/logout", "post", 302),  # anonymous: sent to the login page
        ("/static/css/app.css", "get", 200),
    ],
)
def test_security_headers_on_every_kind_of_response(client, path, method, status):
    response = getattr(client, method)(path)
    response.close()  # a static file response holds the file open
    assert response.status_code == status
    assert response.headers["Content-Security-Policy"] == CSP
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert "camera=()" in response.headers["Permissions-Policy"]


INLINE_CODE = {
    "inline <script> (put it in static/js/)": re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I),
    "<style> element (put it in static/css/app.css)": re.compile(r"<style[\s>]", re.I),
    "style= attribute (use a class)": re.compile(r"\sstyle\s*=", re.I),
    "on...= event handler (use addEventListener)": re.compile(r"\son[a-z]+\s*=", re.I),
    "javascript: URL": re.compile(r"javascript:", re.I),
}


def test_no_template_holds_code_the_csp_would_block():
    templates = sorted(ROOT.glob("templates/**/*.html")) + sorted(ROOT.glob("quizzes/**/*.html"))
    assert templates, "no templates found"
    problems = [
        f"{path.relative_to(ROOT)}: {what}"
        for path in templates
        for what, pattern in INLINE_CODE.items()
        if pattern.search(path.read_text())
    ]
    assert problems == []
