"""The suite runs on the database it says it runs on, and tests never see each other's rows."""

import pytest
from sqlalchemy import select, text

from models import Role, User, db
from tests.conftest import SUITE_SCHEMA
from tests.servers import ON_POSTGRES, postgres_url


def test_app_uses_the_database_the_suite_names(app):
    with app.app_context():
        if ON_POSTGRES:
            assert db.engine.dialect.name == "postgresql"
            assert db.session.scalar(text("SELECT current_schema()")) == SUITE_SCHEMA
        else:
            assert db.engine.dialect.name == "sqlite"


# Run twice: the second run fails if the first one's row survived (or its id was reused).
@pytest.mark.parametrize("run", [1, 2])
def test_each_test_starts_with_empty_tables_and_fresh_ids(app, run):
    with app.app_context():
        assert db.session.scalars(select(User)).all() == []
        user = User(username="isolated", role=Role.STUDENT, password_hash="x")
        db.session.add(user)
        db.session.commit()
        assert user.id == 1


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("postgres://u:p@h:5/d", "postgresql+psycopg://u:p@h:5/d"),
        ("postgresql://u:p@h/d", "postgresql+psycopg://u:p@h/d"),
        ("postgresql+psycopg://u@h/d", "postgresql+psycopg://u@h/d"),
    ],
)
def test_test_database_url_forms(given, expected):
    assert postgres_url(given).render_as_string(hide_password=False) == expected


def test_test_database_url_must_be_postgres():
    with pytest.raises(ValueError, match="must be a postgresql:// URL, not sqlite"):
        postgres_url("sqlite:///x.sqlite")
