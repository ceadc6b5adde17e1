"""Shared fixtures: a fresh database per test, isolated clients, user factories."""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.security import generate_password_hash
from werkzeug.serving import make_server

from app import create_app
from models import Role, User, db

PASSWORD = "correct horse battery"


@functools.cache
def password_hash() -> str:
    # Hashing with scrypt is deliberately slow: do it once per run, not per user.
    return generate_password_hash(PASSWORD)


@pytest.fixture
def app(tmp_path) -> Iterator[Flask]:
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'test.sqlite'}",
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": False,
            "SERVER_NAME": None,
        }
    )
    with app.app_context():
        db.create_all()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


# pytest-flask pushes one request context for a whole test and keeps client contexts
# alive; a view that forgets to commit would then look committed and a second client
# would see the first one's user. Both fixtures are replaced with plain ones.
@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture(autouse=True)
def _push_request_context(request):
    yield


@pytest.fixture
def runner(app: Flask):
    return app.test_cli_runner()


@pytest.fixture
def create_user(app: Flask) -> Callable[..., int]:
    def _create(username: str = "student1", role: Role | str = Role.STUDENT) -> int:
        with app.app_context():
            user = User(username=username, role=Role(role), password_hash=password_hash())
            db.session.add(user)
            db.session.commit()
            return user.id

    return _create


class AuthActions:
    def __init__(self, client: FlaskClient) -> None:
        self.client = client

    def login(self, username: str = "student1", password: str = PASSWORD, **extra):
        return self.client.post(
            "/auth/login", data={"username": username, "password": password, **extra}
        )

    def logout(self):
        return self.client.post("/auth/logout")


@pytest.fixture
def auth(client: FlaskClient) -> AuthActions:
    return AuthActions(client)


@pytest.fixture
def login_as(app: Flask, create_user) -> Callable[..., FlaskClient]:
    """A new logged-in client for a new user: login_as("t1", "teacher")."""

    def _login(username: str, role: Role | str = Role.STUDENT) -> FlaskClient:
        create_user(username, role)
        c = app.test_client()
        response = AuthActions(c).login(username)
        assert response.status_code == 302, response.data
        return c

    return _login


@pytest.fixture
def live_server_url(app: Flask) -> Iterator[str]:
    """The app served by a real HTTP server on loopback, in a thread."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)
