"""`flask bank build` and `flask bank stats`."""

from __future__ import annotations

import json
import time

import click
from flask.cli import AppGroup
from sqlalchemy import func, select

from models import Item, QuestionSet, db, utcnow
from quizzes.bank.builtin import build_builtin
from quizzes.bank.loader import load_bank
from quizzes.domain.checker import counts
from quizzes.domain.checker.profile import level_of, profile
from quizzes.domain.checker.reading import accepted_answers, contains, fold_words
from quizzes.domain.itemtypes import ITEM_TYPES

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
            utcnow(),
            on_progress=lambda done, total: bar.update(done - bar.pos),
        )
        db.session.commit()
    report = built.report
    if not quiet:
        click.echo(report.summary())
        click.echo(built.checker_summary())
    click.echo(
        f"Bank: {len(built.items)} items in {len(built.sets)} sets "
        f"({len(built.checker_rejected)} rejected by the item-writing checker); "
        f"added {summary.added}, "
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
        # What the build loads (generated items without a checker error):
        **profile(built.items),
        # The item-writing checker on every generated item; its errors keep items out.
        "checker": counts(built.findings),
        "rejected_by_checker": [
            {"key": key, "errors": [f"{f.rule}: {f.message}" for f in findings]}
            for key, findings in built.checker_rejected.items()
        ],
    }
    click.echo(json.dumps(payload, indent=2))


@bank.command("items")
@click.option(
    "--search",
    default="",
    help="Only items whose key, or prompt (case, accents and romanisation folded), holds this.",
)
@click.option("--type", "item_type", type=click.Choice(ITEM_TYPES), help="Only this item type.")
def items_command(search: str, item_type: str | None) -> None:
    """Print the built-in bank's active items as JSON lines, for reviewers."""
    stmt = (
        select(Item)
        .join(QuestionSet, QuestionSet.id == Item.set_id)
        .where(Item.retired_at.is_(None), QuestionSet.owner_id.is_(None))
        .order_by(Item.id)
    )
    if item_type:
        stmt = stmt.where(Item.type == item_type)
    # Folded like answers, so "Thae Yong Ho" finds "Tae Yong-ho".
    wanted = fold_words(search)
    for item in db.session.scalars(stmt):
        as_dict = {"type": item.type, "prompt": item.prompt, "data": item.data}
        text = fold_words(f"{item.prompt} {item.data.get('text', '')}")
        in_key = search.strip().casefold() in item.key.casefold()
        if wanted and not in_key and not contains(text, wanted):
            continue
        line = {
            "id": item.id,
            "key": item.key,
            "type": item.type,
            "level": level_of({"level": getattr(item, "level", None) or item.data.get("level")}),
            "prompt": item.prompt,
            "accepted_answers": accepted_answers(as_dict, derived=True),
        }
        click.echo(json.dumps(line, ensure_ascii=False))
