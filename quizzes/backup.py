"""`flask db backup PATH`: a consistent copy of a live SQLite database (online backup API)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import click
from flask_migrate.cli import db as db_group

from models import db


def backup_sqlite(source: str, target: Path, *, pages_per_step: int = 1024, progress=None) -> None:
    """Copy `source` to `target` page by page while other connections keep writing."""
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.execute("PRAGMA busy_timeout=10000")
        src.backup(dst, pages=pages_per_step, progress=progress)
    check = sqlite3.connect(target)
    try:
        result = check.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        check.close()
    if result != "ok":
        raise RuntimeError(f"the backup failed its integrity check: {result}")


@db_group.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
def backup_command(path: Path) -> None:
    """Copy the live SQLite database to PATH without stopping the app."""
    url = db.engine.url
    if url.get_backend_name() != "sqlite" or not url.database:
        raise click.ClickException(
            "flask db backup copies SQLite databases; for PostgreSQL use pg_dump."
        )
    if path.exists():
        raise click.ClickException(f"{path} exists; choose a new file name.")

    def progress(status, remaining, total):
        click.echo(f"\rcopied {total - remaining}/{total} pages", nl=False)

    backup_sqlite(url.database, path, progress=progress)
    click.echo(f"\nBackup written to {path} (integrity check: ok).")
