"""`flask media prune [--dry-run]`: delete stored images and sounds nothing refers to any
more (docs/MEDIA.md), such as the files of card-import previews never confirmed. Run it
now and then (cron); card imports also prune a batch of expired previews' files each time."""

from __future__ import annotations

from datetime import timedelta

import click
from flask.cli import with_appcontext

from models import db
from quizzes.media import store
from quizzes.web import clock, previews


@click.group(help="The media store: uploaded images and sounds.")
def media() -> None:
    pass


@media.command("prune")
@click.option("--dry-run", is_flag=True, help="List what would be deleted; delete nothing.")
@with_appcontext
def prune(dry_run: bool) -> None:
    """Delete files that no set, deck, card, item, quiz attempt or live round refers to. A
    file an import preview kept within the last 3 hours stays: it may still be confirmed."""
    kept_before = clock.now() - timedelta(seconds=previews.MAX_AGE)
    names = store.prune_unused(kept_before=kept_before, dry_run=dry_run)
    if dry_run:
        db.session.rollback()
        for name in names:
            click.echo(f"would delete /media/{name}")
        click.echo(f"{len(names)} unused file(s) would be deleted; nothing was deleted.")
        return
    db.session.commit()
    for name in names:
        click.echo(f"deleted /media/{name}")
    click.echo(f"{len(names)} unused file(s) deleted.")
