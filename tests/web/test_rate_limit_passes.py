"""quizzes.extensions.Limiter skips Flask-Limiter's passes only while they cannot find a limit.

Every case runs with the library's own Limiter and with ours: same answers, request by
request. Each test builds its own limiter on a bare Flask app, because the app's shared
limiter keeps the limits it is given for the whole run.
"""

from __future__ import annotations

import flask_limiter
import pytest
from flask import Blueprint, Flask

from quizzes.extensions import Limiter

BOTH = pytest.mark.parametrize("cls", [flask_limiter.Limiter, Limiter], ids=["library", "ours"])


def _app(limiter: flask_limiter.Limiter, blueprint: Blueprint | None = None) -> Flask:
    app = Flask(__name__)
    app.config.update(RATELIMIT_STORAGE_URI="memory://", RATELIMIT_HEADERS_ENABLED=True)
    if blueprint is not None:
        app.register_blueprint(blueprint)
    limiter.init_app(app)
    return app


def _statuses(client, method: str, path: str, times: int) -> list[int]:
    return [client.open(path, method=method).status_code for _ in range(times)]


@BOTH
def test_post_only_limit_counts_posts_and_leaves_gets_alone(cls):
    limiter = cls(key_func=lambda: "one")
    app = _app(limiter)

    @app.route("/save", methods=["GET", "POST"])
    @limiter.limit("2 per minute", methods=["POST"])
    def save():
        return "ok"

    client = app.test_client()
    assert _statuses(client, "GET", "/save", 5) == [200] * 5
    assert "X-RateLimit-Limit" not in client.get("/save").headers
    assert client.post("/save").headers["X-RateLimit-Remaining"] == "1"
    assert _statuses(client, "POST", "/save", 2) == [200, 429]
    assert client.get("/save").status_code == 200


@BOTH
def test_limit_for_every_method_counts_gets(cls):
    limiter = cls(key_func=lambda: "one")
    app = _app(limiter)

    @app.get("/page")
    @limiter.limit("3 per minute")
    def page():
        return "ok"

    assert _statuses(app.test_client(), "GET", "/page", 4) == [200, 200, 200, 429]


@BOTH
def test_stacked_limits_on_one_view_both_count(cls):
    limiter = cls(key_func=lambda: "one")
    app = _app(limiter)

    @app.route("/login", methods=["GET", "POST"])
    @limiter.limit("5 per minute", methods=["POST"])
    @limiter.limit("2 per minute", methods=["POST"], key_func=lambda: "other")
    def login():
        return "ok"

    client = app.test_client()
    assert _statuses(client, "GET", "/login", 3) == [200] * 3
    assert _statuses(client, "POST", "/login", 3) == [200, 200, 429]


@BOTH
@pytest.mark.parametrize("where", ["default", "application"])
def test_app_wide_limits_reach_undecorated_views(cls, where):
    limiter = cls(key_func=lambda: "one", **{f"{where}_limits": ["2 per minute"]})
    app = _app(limiter)

    @app.get("/plain")
    def plain():
        return "ok"

    assert _statuses(app.test_client(), "GET", "/plain", 3) == [200, 200, 429]


@BOTH
def test_default_limit_reaches_gets_of_a_post_limited_view(cls):
    limiter = cls(key_func=lambda: "one", default_limits=["2 per minute"])
    app = _app(limiter)

    @app.route("/save", methods=["GET", "POST"])
    @limiter.limit("100 per minute", methods=["POST"])
    def save():
        return "ok"

    client = app.test_client()
    assert _statuses(client, "GET", "/save", 4) == [200, 200, 429, 429]
    assert _statuses(client, "POST", "/save", 2) == [200, 200]


@BOTH
def test_blueprint_limit_applies(cls):
    limiter = cls(key_func=lambda: "one")
    bp = Blueprint("limited", __name__)

    @bp.get("/bp")
    def page():
        return "ok"

    limiter.limit("2 per minute")(bp)
    app = _app(limiter, bp)
    assert _statuses(app.test_client(), "GET", "/bp", 3) == [200, 200, 429]


@BOTH
def test_tripped_meta_limit_refuses_gets_and_plain_pages_too(cls):
    limiter = cls(key_func=lambda: "one", meta_limits=["1 per minute"])
    app = _app(limiter)

    @app.route("/save", methods=["GET", "POST"])
    @limiter.limit("1 per minute", methods=["POST"])
    def save():
        return "ok"

    @app.get("/plain")
    def plain():
        return "ok"

    client = app.test_client()
    assert client.get("/plain").status_code == 200
    assert _statuses(client, "POST", "/save", 2) == [200, 429]
    assert client.get("/save").status_code == 429
    assert client.get("/plain").status_code == 429
