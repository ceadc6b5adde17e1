"""The two WSGI apps the load runs serve with gunicorn (`--pythonpath bench`).

    gunicorn 'apps:hello()'      # the baseline: bare Flask, one route, no database
    gunicorn 'apps:quizdeck()'   # Quizdeck on the database file in $BENCH_DB, plus two
                                 # empty routes (ANONYMOUS_FLOOR, SIGNED_IN_FLOOR), for scale

Quizdeck runs as in production (CSRF on, security headers, sessions in signed cookies);
only the rate limits are raised: the run logs in one student after another, and a few
accounts send the answers of a whole class.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from flask import Flask

ROOT = Path(__file__).resolve().parent.parent
SECRET_KEY = "bench-secret-key-not-for-production"
SIGNED_IN_FLOOR = "/_bench/signed-in"
ANONYMOUS_FLOOR = "/_bench/anonymous"


def hello() -> Flask:
    app = Flask(__name__)

    @app.get("/")
    def index() -> str:
        return "Hello, World!"

    return app


def quizdeck() -> Flask:
    sys.path.insert(0, str(ROOT))
    from flask_login import login_required

    from app import create_app

    app = create_app(
        {
            "SECRET_KEY": SECRET_KEY,
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{os.environ['BENCH_DB']}",
            "AUTH_RATE_LIMIT": "100000 per minute",
            # A few accounts stand in for a class: one account's answers per minute are far
            # above what one student sends. The limiter still runs on every request.
            "ANSWER_RATE_LIMIT": "100000000 per minute",
        }
    )

    # For scale, not part of Quizdeck: what any request costs (the app's hooks, headers),
    # and what being signed in adds before a page does any work of its own (the session
    # cookie, the user's row, Flask-Login, the database session's teardown).
    @app.get(ANONYMOUS_FLOOR)
    def anonymous_floor() -> str:
        return ""

    @app.get(SIGNED_IN_FLOOR)
    @login_required
    def signed_in_floor() -> str:
        return ""

    return app
