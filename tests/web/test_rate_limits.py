"""Abuse limits: login and registration per address, answer saves and imports per account.

Every test runs with the in-memory store, and again on Redis when TEST_REDIS_URL is set
(`make test-postgres`, CI), each Redis run under its own key prefix.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from flask import Flask
from flask_login import login_required

from quizzes.extensions import limiter
from quizzes.web.ratelimits import answer_saves, imports
from tests.conftest import PASSWORD, AuthActions
from tests.servers import TEST_REDIS_URL

STORES = [
    pytest.param("memory://", id="memory"),
    pytest.param(
        TEST_REDIS_URL,
        id="redis",
        marks=pytest.mark.skipif(
            not TEST_REDIS_URL,
            reason="TEST_REDIS_URL is not set (make test-postgres and CI set it)",
        ),
    ),
]

LOGIN_PAGE_TEXT = b"Too many attempts"


@pytest.fixture(params=STORES)
def limited_app(request, make_app) -> Iterator[Flask]:
    store: str = request.param
    options = {"key_prefix": f"quizdeck-test-{uuid.uuid4().hex}"} if store != "memory://" else {}
    app = make_app(
        RATELIMIT_ENABLED=True,
        RATELIMIT_STORAGE_URI=store,
        RATELIMIT_STORAGE_OPTIONS=options,
        ANSWER_RATE_LIMIT="3 per minute",
        IMPORT_RATE_LIMIT="2 per hour",
    )
    # Views that wear the hooks exactly as feature blueprints do.
    app.add_url_rule("/_test/save/<int:n>", view_func=_save_view, methods=["GET", "POST"])
    app.add_url_rule("/_test/review", view_func=_review_view, methods=["POST"])
    app.add_url_rule("/_test/import", view_func=_import_view, methods=["POST"])
    assert limiter.storage.check(), f"rate-limit store {store} is not reachable"
    expected = "MemoryStorage" if store == "memory://" else "RedisStorage"
    assert type(limiter.storage).__name__ == expected
    yield app
    if store != "memory://":
        limiter.storage.reset()  # deletes only this test's prefixed keys
        limiter.storage.storage.connection_pool.disconnect()


@login_required
@answer_saves
def _save_view(n: int):
    return f"saved {n}"


@login_required
@answer_saves
def _review_view():
    return "reviewed"


@login_required
@imports
def _import_view():
    return "imported"


def test_eleventh_login_in_a_minute_gets_a_clear_429_page(limited_app, create_user):
    create_user("student1")
    client = limited_app.test_client()
    auth = AuthActions(client)
    for attempt in range(10):
        response = auth.login("student1", "wrong password")
        assert response.status_code == 401, attempt
    # The right password does not get through once the limit is reached.
    response = auth.login("student1", PASSWORD)
    assert response.status_code == 429
    page = response.data.decode()
    assert "<h1>Too many attempts" in page
    assert "Please wait a minute before trying again." in page
    assert int(response.headers["Retry-After"]) in range(1, 61)
    assert "Signed in as" not in client.get("/").data.decode()


def test_login_limit_counts_per_address(limited_app, create_user):
    create_user("student1")
    near = AuthActions(limited_app.test_client())
    for _ in range(10):
        near.login("student1", "wrong password")
    assert near.login("student1").status_code == 429
    elsewhere = AuthActions(limited_app.test_client())
    elsewhere.client.environ_base["REMOTE_ADDR"] = "127.0.0.2"
    assert elsewhere.login("student1").status_code == 302


def test_a_class_behind_one_address_can_log_in_together(limited_app, create_user):
    # Thirty pupils at one school address: each name has its own budget.
    client = limited_app.test_client()
    for n in range(30):
        create_user(f"pupil{n}")
    for n in range(30):
        response = AuthActions(limited_app.test_client()).login(f"pupil{n}")
        assert response.status_code == 302, n
    assert client.get("/auth/login").status_code == 200


def test_login_ceiling_per_address_stops_spraying_names(limited_app):
    limited_app.config["LOGIN_ADDRESS_RATE_LIMIT"] = "5 per minute"
    client = limited_app.test_client()
    codes = [AuthActions(client).login(f"guess{n}", "x").status_code for n in range(6)]
    assert codes == [401] * 5 + [429]


def test_login_page_itself_is_not_limited(limited_app):
    client = limited_app.test_client()
    for _ in range(12):
        assert client.get("/auth/login").status_code == 200


def test_a_class_signs_up_together_from_one_address(limited_app):
    client = limited_app.test_client()
    for n in range(30):
        response = client.post(
            "/auth/register",
            data={"username": f"pupil{n}", "password": PASSWORD, "confirm": PASSWORD},
        )
        assert response.status_code == 302, n
        client.post("/auth/logout")  # the next pupil at the same address


def test_registrations_beyond_the_limit_get_429(limited_app):
    limited_app.config["REGISTER_RATE_LIMIT"] = "10 per minute"
    client = limited_app.test_client()
    for n in range(10):
        response = client.post("/auth/register", data={"username": f"x{n}"})  # invalid form
        assert response.status_code == 200, n
    response = client.post(
        "/auth/register",
        data={"username": "late", "password": PASSWORD, "confirm": PASSWORD, "role": "student"},
    )
    assert response.status_code == 429
    assert LOGIN_PAGE_TEXT in response.data


def test_password_guesses_on_the_account_page_are_limited(limited_app, create_user):
    client = _logged_in(limited_app, create_user, "guesser")
    wrong = {"current": "not it", "new": "long enough 123", "confirm": "long enough 123"}
    codes = [client.post("/account/password", data=wrong).status_code for _ in range(11)]
    assert codes == [422] * 10 + [429]


def test_answer_saves_share_one_budget_per_account(limited_app, create_user):
    alice = _logged_in(limited_app, create_user, "alice")
    bob = _logged_in(limited_app, create_user, "bob")  # same address as alice
    assert [alice.post(f"/_test/save/{n}").status_code for n in range(2)] == [200, 200]
    assert alice.post("/_test/review").status_code == 200  # same scope: the third save
    response = alice.post("/_test/save/9")
    assert response.status_code == 429
    assert LOGIN_PAGE_TEXT in response.data and b"saved 9" not in response.data
    assert int(response.headers["Retry-After"]) in range(1, 61)
    assert alice.get("/_test/save/9").status_code == 200  # reading is not limited
    assert bob.post("/_test/save/1").status_code == 200


def test_imports_are_limited_per_account(limited_app, create_user):
    teacher = _logged_in(limited_app, create_user, "teacher1", "teacher")
    assert [teacher.post("/_test/import").status_code for _ in range(3)] == [200, 200, 429]


def _storage_down(*args, **kwargs):
    raise ConnectionError("rate-limit store unreachable")


def test_a_storage_error_fails_the_save_unless_told_to_swallow_it(
    limited_app, create_user, monkeypatch, caplog
):
    alice = _logged_in(limited_app, create_user, "alice")
    monkeypatch.setattr(limiter.limiter, "hit", _storage_down)
    limited_app.config["PROPAGATE_EXCEPTIONS"] = True
    with pytest.raises(ConnectionError):
        alice.post("/_test/save/1")
    limited_app.config["RATELIMIT_SWALLOW_ERRORS"] = True
    response = alice.post("/_test/save/2")
    assert response.status_code == 200 and response.data == b"saved 2"
    assert "Rate limit answer-saves not counted" in caplog.text


def test_default_limits_are_generous(tmp_path, monkeypatch):
    from quizzes.config import defaults

    for name in (
        "AUTH_RATE_LIMIT",
        "REGISTER_RATE_LIMIT",
        "ANSWER_RATE_LIMIT",
        "IMPORT_RATE_LIMIT",
        "JOIN_RATE_LIMIT",
        "JOIN_ADDRESS_RATE_LIMIT",
        "RATELIMIT_STORAGE_URI",
    ):
        monkeypatch.delenv(name, raising=False)
    config = defaults(str(tmp_path))
    assert config["AUTH_RATE_LIMIT"] == "10 per minute"
    assert config["REGISTER_RATE_LIMIT"] == "60 per 10 minutes;300 per day"
    assert config["ANSWER_RATE_LIMIT"] == "120 per minute"
    assert config["IMPORT_RATE_LIMIT"] == "60 per hour"
    assert config["JOIN_RATE_LIMIT"] == "10 per minute"
    assert config["JOIN_ADDRESS_RATE_LIMIT"] == "120 per minute"
    assert config["RATELIMIT_STORAGE_URI"] == "memory://"


def _logged_in(app: Flask, create_user, username: str, role: str = "student"):
    create_user(username, role)
    client = app.test_client()
    assert AuthActions(client).login(username).status_code == 302
    return client


def test_oversized_request_gets_a_413_page(client):
    response = client.post("/auth/login", data={"username": "x" * (3 * 1024 * 1024)})
    assert response.status_code == 413
    assert b"<h1>File too large" in response.data


def _class_code(app: Flask, create_user) -> str:
    from models import User, db
    from quizzes.classes import services

    teacher_id = create_user("coder", "teacher")
    with app.app_context():
        school_class = services.create_class(db.session.get(User, teacher_id), "Form 3")
        db.session.commit()
        return school_class.join_code


def test_eleventh_join_code_in_a_minute_gets_a_429_page(limited_app, create_user):
    code = _class_code(limited_app, create_user)
    client = _logged_in(limited_app, create_user, "guesser")
    for attempt in range(10):
        response = client.post("/classes/", data={"code": f"XXX{attempt:03d}"})
        assert response.status_code == 200, attempt  # the form again, saying why
    # Not even the right code gets through once the limit is reached.
    response = client.post("/classes/", data={"code": code})
    assert response.status_code == 429
    assert LOGIN_PAGE_TEXT in response.data
    assert int(response.headers["Retry-After"]) in range(1, 61)
    assert b"Form 3" not in client.get("/classes/").data
    # Another account at the same address has its own budget.
    other = _logged_in(limited_app, create_user, "classmate")
    assert other.post("/classes/", data={"code": code}).status_code == 302


def test_join_ceiling_per_address_stops_guessing_with_many_accounts(limited_app, create_user):
    limited_app.config["JOIN_ADDRESS_RATE_LIMIT"] = "5 per minute"
    guessers = [_logged_in(limited_app, create_user, f"guesser{n}") for n in range(3)]
    codes = [
        guessers[n % 3].post("/classes/", data={"code": "XXXXXX"}).status_code for n in range(6)
    ]
    assert codes == [200] * 5 + [429]
    elsewhere = _logged_in(limited_app, create_user, "elsewhere")
    elsewhere.environ_base["REMOTE_ADDR"] = "127.0.0.2"
    assert elsewhere.post("/classes/", data={"code": "XXXXXX"}).status_code == 200


def test_a_class_joins_together_from_one_address(limited_app, create_user):
    code = _class_code(limited_app, create_user)
    for n in range(30):
        pupil = _logged_in(limited_app, create_user, f"pupil{n}")
        assert pupil.post("/classes/", data={"code": code}).status_code == 302, n
    assert pupil.get("/classes/").status_code == 200  # showing the page is never limited
