"""Engine options follow the database: a liveness ping for servers, none for a SQLite file."""

from __future__ import annotations

from app import create_app
from models import db
from quizzes.config import engine_options


def app_for(uri: str, **extra):
    return create_app({"TESTING": True, "SECRET_KEY": "k", "SQLALCHEMY_DATABASE_URI": uri, **extra})


def test_sqlite_skips_the_ping_and_postgresql_keeps_it(tmp_path):
    app = app_for(f"sqlite:///{tmp_path}/x.sqlite")
    assert app.config["SQLALCHEMY_ENGINE_OPTIONS"]["pool_pre_ping"] is False
    with app.app_context():
        assert db.engine.pool._pre_ping is False
        db.engine.dispose()
    # (The options alone: `make test` installs no PostgreSQL driver to make an engine.)
    assert engine_options("postgresql+psycopg://u:p@127.0.0.1:1/none")["pool_pre_ping"] is True


def test_options_given_in_the_configuration_win(tmp_path):
    app = app_for(
        f"sqlite:///{tmp_path}/x.sqlite", SQLALCHEMY_ENGINE_OPTIONS={"pool_pre_ping": True}
    )
    assert app.config["SQLALCHEMY_ENGINE_OPTIONS"]["pool_pre_ping"] is True
