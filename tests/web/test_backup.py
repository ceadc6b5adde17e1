import sqlite3

import pytest

from models import User, db

sqlite_only = pytest.mark.sqlite_only("`flask db backup` copies SQLite files")


@sqlite_only
def test_backup_copies_live_database(app, runner, create_user, tmp_path):
    create_user("kept")
    target = tmp_path / "copy.sqlite"
    # Hold a read transaction open on the live database while the backup runs.
    with app.app_context():
        db.session.scalars(db.select(User)).all()
        result = runner.invoke(args=["db", "backup", str(target)])
    assert result.exit_code == 0, result.output
    assert "integrity check: ok" in result.output
    rows = sqlite3.connect(target).execute("select username from users").fetchall()
    assert rows == [("kept",)]


@sqlite_only
def test_backup_refuses_to_overwrite(runner, tmp_path):
    target = tmp_path / "exists.sqlite"
    target.write_text("x")
    result = runner.invoke(args=["db", "backup", str(target)])
    assert result.exit_code != 0
    assert "exists" in result.output
    assert target.read_text() == "x"


@pytest.mark.postgres_only("the PostgreSQL answer of `flask db backup`")
def test_backup_points_postgres_users_to_pg_dump(runner, tmp_path):
    target = tmp_path / "copy.sqlite"
    result = runner.invoke(args=["db", "backup", str(target)])
    assert result.exit_code != 0
    assert "for PostgreSQL use pg_dump" in result.output
    assert not target.exists()
