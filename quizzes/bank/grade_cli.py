"""`flask bank grade ITEM_ID ANSWER...`: how a typed answer is graded, for teachers and
reviewers checking an item's accepted answers before students meet them."""

from __future__ import annotations

import json
from random import Random

import click
from sqlalchemy import select

from models import Item, db
from quizzes.bank.cli import bank
from quizzes.domain.itemtypes import REGISTRY

TYPED = ("short", "numeric", "cloze")


@bank.command("grade")
@click.argument("item_id")
@click.argument("answers", nargs=-1, required=True)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object instead.")
def grade_command(item_id: str, answers: tuple[str, ...], as_json: bool) -> None:
    """Grade ANSWERS for the item ITEM_ID (its number or its stable key).

    A cloze takes one answer per blank, in order; short answer and numeric take one.
    """
    item = _find(item_id)
    if item is None:
        raise click.ClickException(f"No item {item_id!r} (give its number or its key).")
    if item.type not in TYPED:
        raise click.ClickException(
            f"Item {item.id} is {item.type}: this command grades typed answers "
            f"({', '.join(TYPED)})."
        )
    if item.type != "cloze" and len(answers) != 1:
        raise click.ClickException(f"A {item.type} item takes one answer; got {len(answers)}.")
    module = REGISTRY[item.type]
    view, key = module.present(item.data, Random(0))
    if item.type == "cloze":
        form = {f"blank-{number}": [text] for number, text in enumerate(answers, start=1)}
    else:
        form = {"answer": [answers[0]]}
    grade = module.grade(view, key, module.parse_response(view, form))
    result = {
        "item": item.id,
        "key": item.key,
        "type": item.type,
        "answer": list(answers) if item.type == "cloze" else answers[0],
        "fraction": grade.score,
        "correct": grade.correct,
        "typo_forgiven": grade.typo_forgiven,
        "variant_accepted": grade.variant_accepted,
        "notes": list(grade.notes),
        "accepted": module.describe_key(view, key),
    }
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False))
        return
    click.echo(f"Item {item.id} ({item.type}): {item.prompt}")
    click.echo(f"Answer: {', '.join(answers)}")
    verdict = "right" if grade.correct else "partly right" if grade.score else "wrong"
    click.echo(f"Fraction: {grade.score:g} ({verdict})")
    click.echo(f"Typo forgiven: {'yes' if grade.typo_forgiven else 'no'}")
    click.echo(f"Variant accepted: {'yes' if grade.variant_accepted else 'no'}")
    click.echo("Notes: " + (" ".join(grade.notes) if grade.notes else "none"))
    click.echo(f"Key: {result['accepted']}")


def _find(item_id: str) -> Item | None:
    if item_id.isascii() and item_id.isdigit() and len(item_id) < 10:
        return db.session.get(Item, int(item_id))
    return db.session.scalar(select(Item).where(Item.key == item_id))
