"""Migrations build the same schema as the models, so `make run` and the tests agree.

Runs on SQLite, and on PostgreSQL when TEST_DATABASE_URL is set (an empty schema of its own).
"""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from app import create_app
from models import db


def test_migrations_match_models(empty_database_url):
    app = create_app(
        {"TESTING": True, "SECRET_KEY": "k", "SQLALCHEMY_DATABASE_URI": empty_database_url}
    )
    with app.app_context():
        try:
            upgrade()
            with db.engine.connect() as conn:
                diff = compare_metadata(MigrationContext.configure(conn), db.metadata)
        finally:
            db.engine.dispose()
    assert diff == []


def test_migrations_downgrade_to_nothing_and_up_again(empty_database_url):
    app = create_app(
        {"TESTING": True, "SECRET_KEY": "k", "SQLALCHEMY_DATABASE_URI": empty_database_url}
    )
    with app.app_context():
        try:
            upgrade()
            downgrade(revision="base")
            assert inspect(db.engine).get_table_names() == ["alembic_version"]
            upgrade()
            tables = set(inspect(db.engine).get_table_names())
        finally:
            db.engine.dispose()
    assert tables == {*db.metadata.tables, "alembic_version"}
