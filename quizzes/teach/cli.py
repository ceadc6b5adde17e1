"""`flask sets import FILE --owner NAME` and `flask sets export SET_ID --format F -o FILE`."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup
from sqlalchemy import select

from models import QuestionSet, User, db
from quizzes.domain import checker
from quizzes.domain.text import counted
from quizzes.teach import services
from quizzes.transfer import sets as set_transfer
from quizzes.web import clock

sets = AppGroup("sets", help="Import and export question sets.")


@sets.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--owner", required=True, help="Username of the teacher who will own the set.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["auto", *set_transfer.IMPORT_FORMATS]),
    default="auto",
    show_default=True,
    help="Format of the file; auto goes by the extension, then by the text.",
)
@click.option("--title", help="Title of the new set (default: from the file).")
@click.option("--into", "into_id", type=int, help="Add to this existing set of the owner.")
@click.option("--dry-run", is_flag=True, help="Show what would be created; write nothing.")
def import_command(
    file: Path, owner: str, fmt: str, title: str | None, into_id: int | None, dry_run: bool
) -> None:
    """Import GIFT, Aiken, CSV, Moodle XML or Quizdeck JSON into a teacher's set."""
    user = db.session.scalar(select(User).where(db.func.lower(User.username) == owner.lower()))
    if user is None:
        raise click.ClickException(f"No user called {owner!r}.")
    if not user.is_teacher:
        raise click.ClickException(f"{owner!r} is not a teacher.")
    target = None
    if into_id is not None:
        target = db.session.get(QuestionSet, into_id)
        if target is None or target.owner_id != user.id:
            raise click.ClickException(f"{owner!r} has no set {into_id}.")
    data = file.read_bytes()
    try:
        fmt = set_transfer.choose_format(file.name, data, fmt)
    except set_transfer.UnusableFile as error:
        raise click.ClickException(str(error)) from None
    result = set_transfer.read_import(data, fmt)
    click.echo(f"{file.name}: read as {set_transfer.FORMAT_NAMES[fmt]}.")
    for line, reason in result.skipped:
        click.echo(f"  left out, line {line}: {reason}")
    # A note on a question's own line is listed under that question below.
    item_lines = set(result.item_lines) if not result.errors else set()
    for issue in result.warnings:
        if issue.line not in item_lines:
            click.echo(f"  note, line {issue.line}: {issue.message}")
    if result.errors:
        for issue in result.errors:
            click.echo(f"  error, line {issue.line}: {issue.message}", err=True)
        raise click.ClickException(
            f"{len(result.errors)} problem(s) in {file.name}; nothing was imported."
        )
    if not result.items:
        raise click.ClickException(f"{file.name} holds no questions Quizdeck can use.")
    name = title or result.meta.get("title") or file.stem
    where = f"set {target.id} “{target.title}”" if target else f"a new set “{name}”"
    for number, (item, line) in enumerate(zip(result.items, result.item_lines, strict=True), 1):
        # A cloze's words are its text; its prompt is only the instruction.
        words = item["data"]["text"] if item["type"] == "cloze" else item["prompt"]
        prompt = " ".join((words or item["data"].get("text", "")).split())[:70]
        question_name = result.titles.get(line)
        named = f"“{question_name}”: " if question_name else ""
        click.echo(f"  {number:>3}. line {line:<5} {item['type']:<9} {named}{prompt}")
        for issue in result.warnings:
            if issue.line == line:
                click.echo(f"         note: {issue.message}")
    for index, finding in checker.advice(result.items):
        where_found = f"line {result.item_lines[index]}" if index is not None else "the file"
        click.echo(f"  advice, {where_found}: {checker.describe(finding)}")
    if dry_run:
        click.echo(f"Dry run: would add {len(result.items)} items to {where}. Nothing written.")
        return
    target, count = services.import_result(user, result, str(name), target)
    db.session.commit()
    click.echo(
        f"Imported {counted(count, 'item')} into set {target.id} “{target.title}” "
        f"of {user.username}."
    )


@sets.command("export")
@click.argument("set_id", type=int)
@click.option(
    "--format", "fmt", type=click.Choice(set_transfer.EXPORT_FORMATS), required=True, help="Format."
)
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True, help="File."
)
def export_command(set_id: int, fmt: str, output: Path) -> None:
    """Write a set to a file."""
    question_set = db.session.get(QuestionSet, set_id)
    if question_set is None:
        raise click.ClickException(f"There is no set {set_id}.")
    try:
        exported = services.export_question_set(question_set, fmt, clock.now())
    except ValueError as error:
        raise click.ClickException(f"Cannot export set {set_id}: {error}") from None
    for issue in exported.issues:
        click.echo(f"  {'left out' if issue.dropped else 'note'}: {issue}", err=True)
    output.write_bytes(exported.content)
    total = len([item for item in question_set.items if item.active])
    written = total - len(exported.dropped)
    click.echo(f"Wrote {written} of {total} items to {output} ({set_transfer.FORMAT_NAMES[fmt]}).")
