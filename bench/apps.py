"""The WSGI apps the load runs serve with gunicorn (`--pythonpath bench`).

    gunicorn 'apps:hello()'      # the baseline: bare Flask, one route, no database
    gunicorn 'apps:quizdeck()'   # Quizdeck on the database file in $BENCH_DB, plus two
                                 # empty routes (ANONYMOUS_FLOOR, SIGNED_IN_FLOOR), for scale
    gunicorn 'apps:stack()'      # the required stack with nothing of Quizdeck, on the
                                 # database file in $BENCH_STACK_DB (see stack())

Quizdeck runs as in production (CSRF on, security headers, sessions in signed cookies);
only the rate limits are raised: the run logs in one student after another, and a few
accounts send the answers of a whole class.
"""

from __future__ import annotations

import os
import sqlite3
import sys
from datetime import UTC, datetime
from pathlib import Path

from flask import Flask, redirect, render_template, request
from flask_login import LoginManager, current_user, login_required, login_user
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from jinja2 import DictLoader
from sqlalchemy import ForeignKey, String, event
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

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


def build_bank(app: Flask, conn: sqlite3.Connection) -> str:
    """Build the built-in bank into `app`'s database (the synthetic data has none) and
    name its largest topic deck ("topic-..."): the bank deck the runs study."""
    result = app.test_cli_runner().invoke(args=["bank", "build", "--quiet"])
    if result.exit_code != 0:
        raise RuntimeError(f"bank build failed: {result.output}")
    (topic,) = conn.execute(
        "SELECT item_topics.topic FROM item_topics JOIN items ON items.id = item_topics.item_id"
        " JOIN question_sets ON question_sets.id = items.set_id"
        " WHERE question_sets.owner_id IS NULL AND items.retired_at IS NULL"
        " GROUP BY item_topics.topic ORDER BY count(*) DESC, item_topics.topic LIMIT 1"
    ).fetchone()
    return f"topic-{topic}"


# -- the required stack alone --------------------------------------------------------------

STACK_USERS = 32
STACK_ITEMS = 100

# What a minimal page of each kind costs in the stack Quizdeck must use (Flask,
# Flask-SQLAlchemy, Flask-Login, Flask-WTF's CSRF, Jinja), with none of Quizdeck's own
# work: the floor under each target, measured in the same run as Quizdeck's pages.
_STACK_LAYOUT = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{ title }}</title></head>
<body><nav><ul>{% for label in links %}<li><a href="/{{ label }}">{{ label }}</a></li>
{% endfor %}</ul></nav><main>{% block main %}{% endblock %}</main></body></html>"""

_STACK_TEMPLATE = _STACK_LAYOUT.replace(
    "{% block main %}{% endblock %}", "<h1>{{ title }}</h1><p>No database, no login.</p>"
)

_STACK_ITEM = _STACK_LAYOUT.replace(
    "{% block main %}{% endblock %}",
    """<h1>{{ item.prompt }}</h1><form method="post">
<input type="hidden" name="csrf_token" value="{{ csrf_token() }}">
{% for option in item.options.split("|") %}<label><input type="radio" name="answer"
 value="{{ loop.index0 }}"> {{ option }}</label>{% endfor %}
<button type="submit">Save</button></form>""",
)

_LINKS = ["home", "quiz", "flashcards", "progress", "classes", "sets"]


def build_stack_db(path: Path) -> None:
    """The stack app's database: users to sign in, items to show, answers to write."""
    with sqlite3.connect(path) as conn:
        conn.executescript(
            """
            CREATE TABLE IF NOT EXISTS users (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS items (
                id INTEGER PRIMARY KEY, prompt TEXT NOT NULL, options TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS answers (
                id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users (id),
                item_id INTEGER NOT NULL REFERENCES items (id), answer TEXT NOT NULL,
                answered_at TEXT NOT NULL);
            PRAGMA journal_mode=WAL;
            """
        )
        conn.executemany(
            "INSERT OR IGNORE INTO users (id, name) VALUES (?, ?)",
            [(n, f"user{n}") for n in range(1, STACK_USERS + 1)],
        )
        conn.executemany(
            "INSERT OR IGNORE INTO items (id, prompt, options) VALUES (?, ?, ?)",
            [
                (n, f"Question {n}: which is right?", "First|Second|Third|Fourth")
                for n in range(1, STACK_ITEMS + 1)
            ],
        )


def stack(db_path: str | None = None) -> Flask:
    """The required stack with nothing of Quizdeck (no hooks, limits, headers or layout),
    on its own small database, set up the way its documentation shows:

    - GET /template        a template, no database, no login
    - GET /login/<id>      signs user <id> in (bench only: no password)
    - GET /signed          behind login: the session cookie and the user's row, nothing else
    - GET /item/<id>       behind login: one item through the ORM, a template, a CSRF token
    - POST /item/<id>      behind login, CSRF checked: one answer inserted and committed
    """

    class Base(DeclarativeBase):
        pass

    db = SQLAlchemy(model_class=Base)

    class User(db.Model):
        __tablename__ = "users"
        id: Mapped[int] = mapped_column(primary_key=True)
        name: Mapped[str] = mapped_column(String)

        is_authenticated = True
        is_active = True
        is_anonymous = False

        def get_id(self) -> str:
            return str(self.id)

    class Item(db.Model):
        __tablename__ = "items"
        id: Mapped[int] = mapped_column(primary_key=True)
        prompt: Mapped[str] = mapped_column(String)
        options: Mapped[str] = mapped_column(String)

    class Answer(db.Model):
        __tablename__ = "answers"
        id: Mapped[int] = mapped_column(primary_key=True)
        user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
        item_id: Mapped[int] = mapped_column(ForeignKey("items.id"))
        answer: Mapped[str] = mapped_column(String)
        answered_at: Mapped[str] = mapped_column(String)

    app = Flask(__name__)
    app.config.update(
        SECRET_KEY=SECRET_KEY,
        SQLALCHEMY_DATABASE_URI=f"sqlite:///{db_path or os.environ['BENCH_STACK_DB']}",
    )
    app.jinja_loader = DictLoader({"page.html": _STACK_TEMPLATE, "item.html": _STACK_ITEM})
    db.init_app(app)
    CSRFProtect(app)
    logins = LoginManager(app)

    with app.app_context():

        @event.listens_for(db.engine, "connect")
        def _pragmas(dbapi_connection, _record) -> None:
            # The same settings Quizdeck uses, so that a write costs the same here.
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA busy_timeout=10000")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()

    @logins.user_loader
    def load_user(user_id: str):
        return db.session.get(User, int(user_id))

    @app.get("/")
    def index() -> str:
        return "ok"

    @app.get("/template")
    def template() -> str:
        return render_template("page.html", title="A page", links=_LINKS)

    @app.get("/login/<int:user_id>")
    def login(user_id: int) -> str:
        login_user(db.session.get(User, user_id))
        return "ok"

    @app.get("/signed")
    @login_required
    def signed() -> str:
        return ""

    @app.route("/item/<int:item_id>", methods=["GET", "POST"])
    @login_required
    def item(item_id: int):
        shown = db.get_or_404(Item, item_id)
        if request.method == "POST":
            db.session.add(
                Answer(
                    user_id=current_user.id,
                    item_id=shown.id,
                    answer=request.form.get("answer", ""),
                    answered_at=datetime.now(UTC).isoformat(),
                )
            )
            db.session.commit()
            return redirect(f"/item/{item_id % STACK_ITEMS + 1}")
        return render_template("item.html", title=shown.prompt, links=_LINKS, item=shown)

    return app
