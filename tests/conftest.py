"""Shared fixtures: a fresh database per test, isolated clients, user factories.

The database is a new SQLite file per test, or, with TEST_DATABASE_URL set, the emptied
tables of a PostgreSQL schema made for this session (see tests/servers.py).
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import create_engine
from werkzeug.security import generate_password_hash
from werkzeug.serving import make_server

from app import create_app
from models import Role, User, db
from tests.servers import ON_POSTGRES, TEST_DATABASE_URL, PostgresTestDatabase

PASSWORD = "correct horse battery"
# Schemas used when TEST_DATABASE_URL names PostgreSQL: fixed names, so a run that was killed
# leaves nothing behind once the next one starts (one run per database at a time).
SUITE_SCHEMA = "quizdeck_test_suite"
EMPTY_SCHEMA = "quizdeck_test_empty"


@functools.cache
def password_hash() -> str:
    # Hashing with scrypt is deliberately slow: do it once per run, not per user.
    return generate_password_hash(PASSWORD)


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresTestDatabase | None]:
    """The PostgreSQL server named by TEST_DATABASE_URL, or None for SQLite files."""
    if not ON_POSTGRES:
        yield None
        return
    pg = PostgresTestDatabase(TEST_DATABASE_URL)
    engine = create_engine(pg.create_schema(SUITE_SCHEMA))
    db.metadata.create_all(engine)
    engine.dispose()
    yield pg
    pg.drop_schema(SUITE_SCHEMA)
    pg.dispose()


@pytest.fixture
def database_url(tmp_path, postgres) -> str:
    """An empty database with every table, for this test only."""
    if postgres is None:
        return f"sqlite:///{tmp_path / 'test.sqlite'}"
    postgres.empty_tables(SUITE_SCHEMA)
    return postgres.url_for(SUITE_SCHEMA)


@pytest.fixture
def empty_database_url(tmp_path, postgres) -> Iterator[str]:
    """A database with no tables at all (for migrations), apart from the suite's one."""
    if postgres is None:
        yield f"sqlite:///{tmp_path / 'empty.sqlite'}"
        return
    yield postgres.create_schema(EMPTY_SCHEMA)
    postgres.drop_schema(EMPTY_SCHEMA)


@pytest.fixture
def make_app(database_url: str) -> Iterator[Callable[..., Flask]]:
    """make_app(**config) -> an app on this test's database; several share it."""
    apps: list[Flask] = []

    def _make(**config) -> Flask:
        app = create_app(
            {
                "TESTING": True,
                "SECRET_KEY": "test-secret",
                "SQLALCHEMY_DATABASE_URI": database_url,
                "WTF_CSRF_ENABLED": False,
                "RATELIMIT_ENABLED": False,
                "SERVER_NAME": None,
                **config,
            }
        )
        if not ON_POSTGRES:  # the session fixture made PostgreSQL's tables once
            with app.app_context():
                db.create_all()
        apps.append(app)
        return app

    yield _make
    for app in apps:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def app(make_app) -> Flask:
    return make_app()


def pytest_collection_modifyitems(config, items) -> None:
    """sqlite_only / postgres_only tests skip on the other database, saying why."""
    for item in items:
        for name, wanted in (("sqlite_only", False), ("postgres_only", True)):
            marker = item.get_closest_marker(name)
            if marker is not None and ON_POSTGRES is not wanted:
                reason = marker.args[0] if marker.args else name
                other = "PostgreSQL" if ON_POSTGRES else "SQLite"
                item.add_marker(pytest.mark.skip(reason=f"not on {other}: {reason}"))


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


def sign_in_without_password(app: Flask, client: FlaskClient, user_id: int) -> None:
    """Put the session Flask-Login reads into `client`, as a login would (no scrypt)."""
    with app.app_context():
        session_id = db.session.get(User, user_id).get_id()
    with client.session_transaction() as session:
        session["_user_id"] = session_id
        session["_fresh"] = True


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


def _closing(app: Flask):
    """The app with each response read whole and closed before the server writes it.

    Werkzeug's development server leaves a response unclosed when the browser drops the
    connection mid-write (Chromium does, for a favicon, when a page navigates away): a
    static file's handle is then only closed by the garbage collector, whose
    ResourceWarning pytest reports against whichever test is running."""

    def wsgi(environ, start_response):
        response = app(environ, start_response)
        try:
            return [b"".join(response)]
        finally:
            if hasattr(response, "close"):
                response.close()

    return wsgi


@pytest.fixture
def live_server_url(app: Flask) -> Iterator[str]:
    """The app served by a real HTTP server on loopback, in a thread."""
    server = make_server("127.0.0.1", 0, _closing(app), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)
