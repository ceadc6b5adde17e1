"""`flask bank build` and `flask bank stats`."""

from __future__ import annotations

import json
import time

import click
from flask.cli import AppGroup
from sqlalchemy import func, select

from models import Item, QuestionSet, db
from quizzes.bank.builtin import build_builtin
from quizzes.bank.loader import load_bank
from quizzes.web import clock

bank = AppGroup("bank", help="Build and inspect the built-in question bank.")


@bank.command("build")
@click.option("--seed", default=0, show_default=True, help="Seed for distractor choice.")
@click.option("--quiet", is_flag=True, help="Only print the summary line.")
def build_command(seed: int, quiet: bool) -> None:
    """Generate the bank from the fact files and load it (idempotent, by stable key)."""
    started = time.perf_counter()
    with click.progressbar(length=1, label="Generating items", show_pos=True) as bar:

        def generated(done: int, total: int) -> None:
            bar.length = total
            bar.update(done - bar.pos)

        built = build_builtin(seed, on_progress=None if quiet else generated)
    with click.progressbar(
        length=len(built.items), label="Loading into the database", show_pos=True
    ) as bar:
        summary = load_bank(
            built.items,
            built.sets,
            built.facts,
            clock.now(),
            on_progress=lambda done, total: bar.update(done - bar.pos),
        )
        db.session.commit()
    report = built.report
    if not quiet:
        click.echo(report.summary())
    click.echo(
        f"Bank: {len(built.items)} items in {len(built.sets)} sets; added {summary.added}, "
        f"updated {summary.updated}, revived {summary.revived}, retired {summary.retired}, "
        f"unchanged {summary.unchanged}; facts +{summary.facts_added} "
        f"~{summary.facts_updated} -{summary.facts_retired} "
        f"({time.perf_counter() - started:.1f} s)."
    )


@bank.command("stats")
def stats_command() -> None:
    """Print a JSON summary of the bank in the database and of the last build's rejections."""
    built = build_builtin()
    active = select(Item).where(Item.retired_at.is_(None))
    items = db.session.scalars(active).all()
    by_type: dict[str, int] = {}
    by_topic: dict[str, int] = {}
    for item in items:
        by_type[item.type] = by_type.get(item.type, 0) + 1
        for topic in item.topics:
            by_topic[topic] = by_topic.get(topic, 0) + 1
    payload = {
        "facts": len(built.facts),
        "facts_excluded_unverified": list(built.report.excluded_facts),
        "items": len(items),
        "items_retired": db.session.scalar(
            select(func.count(Item.id)).where(Item.retired_at.is_not(None))
        ),
        "sets": db.session.scalar(
            select(func.count(QuestionSet.id)).where(QuestionSet.owner_id.is_(None))
        ),
        "items_by_type": dict(sorted(by_type.items())),
        "items_by_topic": dict(sorted(by_topic.items())),
        "items_without_source": sum(1 for item in items if not item.sources),
        "rejected_candidates": [{"key": r.key, "reason": r.reason} for r in built.report.rejected],
    }
    click.echo(json.dumps(payload, indent=2))
