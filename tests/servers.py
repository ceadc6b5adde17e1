"""Which database and rate-limit store the suite runs against.

By default every test gets its own SQLite file. With TEST_DATABASE_URL set to a PostgreSQL
URL, the suite runs on that server instead: one schema per test session, created empty at
the start and dropped at the end, its tables emptied (TRUNCATE ... RESTART IDENTITY) before
every test, so no test sees another's rows and ids start at 1 as in a fresh SQLite file.
Tests that need an empty database of their own (migrations, `flask db upgrade` in a
subprocess) get a separate schema. With TEST_REDIS_URL set, the rate-limit tests also run on
that Redis server (each under its own key prefix).
"""

from __future__ import annotations

import os

from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL, Engine, make_url

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "")
TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL", "")
ON_POSTGRES = bool(TEST_DATABASE_URL)


def postgres_url(url: str) -> URL:
    """The psycopg 3 form of a PostgreSQL URL; anything else is a usage error."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            url = "postgresql+psycopg://" + url.removeprefix(prefix)
    parsed = make_url(url)
    if parsed.drivername != "postgresql+psycopg":
        raise ValueError(f"TEST_DATABASE_URL must be a postgresql:// URL, not {parsed.drivername}")
    return parsed


class PostgresTestDatabase:
    """Schemas on one PostgreSQL database, each usable as an independent empty database."""

    def __init__(self, url: str) -> None:
        self.url = postgres_url(url)
        self.admin: Engine = create_engine(self.url, isolation_level="AUTOCOMMIT")

    def url_for(self, schema: str) -> str:
        # search_path makes unqualified table names (all of ours) live in this schema.
        return self.url.update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(
            hide_password=False
        )

    def create_schema(self, schema: str) -> str:
        """A new empty schema (dropped first if a killed run left it behind); returns its URL."""
        with self.admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        return self.url_for(schema)

    def drop_schema(self, schema: str) -> None:
        with self.admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))

    def empty_tables(self, schema: str) -> None:
        with self.admin.connect() as conn:
            tables = conn.scalars(
                text("SELECT tablename FROM pg_tables WHERE schemaname = :s"), {"s": schema}
            ).all()
            if tables:
                # A connection a test left in a transaction would block TRUNCATE: fail instead.
                conn.execute(text("SET lock_timeout = '10s'"))
                names = ", ".join(f'"{schema}"."{t}"' for t in tables)
                conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))

    def dispose(self) -> None:
        self.admin.dispose()
