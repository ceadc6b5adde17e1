"""`flask decks import FILE --owner NAME [--deck TITLE]` and
`flask decks export DECK_ID --format apkg|csv -o FILE`: the web import and export, in batch."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import func, select

from models import Deck, User, db
from quizzes.cards import decks, personal
from quizzes.domain.interop.cards import new_cards, read_card_file
from quizzes.domain.text import counted
from quizzes.media import store
from quizzes.transfer import anki
from quizzes.transfer import decks as deck_transfer
from quizzes.web import clock

decks_cli = AppGroup("decks", help="Import and export a learner's flashcard decks.")


@decks_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--owner", required=True, help="Username of the learner who will own the deck.")
@click.option(
    "--deck",
    "title",
    help="Add to the owner's deck with this title (made if missing; default: the file's name).",
)
def import_command(file: Path, owner: str, title: str | None) -> None:
    """Import an Anki package (.apkg) or a text/CSV file of cards, as the web import does:
    cards the deck already has (same front and back) are left out."""
    user = db.session.scalar(select(User).where(func.lower(User.username) == owner.lower()))
    if user is None:
        raise click.ClickException(f"No user called {owner!r}.")
    # The same bound as an upload: a bigger file is refused before it is read.
    limit = current_app.config["MAX_CONTENT_LENGTH"]
    if file.stat().st_size > limit:
        raise click.ClickException(
            f"{file.name} is larger than the import limit of {limit:,} bytes; nothing was imported."
        )
    result = read_card_file(file.name, file.read_bytes(), known_media=store.holds)
    if not result.ok:
        for problem in result.errors:
            click.echo(f"  error: {problem}", err=True)
        raise click.ClickException(f"{file.name} could not be imported; nothing was saved.")
    name = (title or file.stem).strip()[:200] or file.stem
    deck = db.session.scalar(
        select(Deck).where(Deck.owner_id == user.id, func.lower(Deck.title) == name.lower())
    )
    if deck is None:
        deck = Deck(owner_id=user.id, title=name, description="")
        db.session.add(deck)
        db.session.flush()
    kept, repeats = new_cards(result, personal.card_looks(deck))
    added_cards = personal.add_cards(deck, [personal.imported_columns(card) for card in kept])
    stored, _ = personal.keep_imported_media(result.media, kept, clock.now())
    shown = personal.show_imported_media(user, deck, kept, added_cards, stored)
    added = len(added_cards)
    db.session.commit()
    for problem in result.media_problems:
        click.echo(f"  file left out: {problem}")
    left_out = f"; {counted(len(repeats), 'card')} left out as repeats" if repeats else ""
    with_media = f", {counted(shown, 'image or sound', 'images and sounds')} shown" if shown else ""
    click.echo(
        f"Imported {counted(added, 'card')} into deck {deck.id} “{deck.title}”{with_media}"
        f"{left_out}."
    )


@decks_cli.command("export")
@click.argument("deck_id", type=click.IntRange(min=1))
@click.option(
    "--format", "fmt", type=click.Choice(["apkg", "csv"]), required=True, help="File format."
)
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="File to write.",
)
def export_command(deck_id: int, fmt: str, output: Path) -> None:
    """Export a learner's own deck, as its owner downloads it from the deck page."""
    deck = db.session.get(Deck, deck_id)
    if deck is None:
        raise click.ClickException(f"No deck {deck_id}.")
    study_deck = decks.load_deck(decks.deck_ref(deck), deck.owner_id)
    cards = study_deck.cards()
    if fmt == "apkg":
        owner = db.session.get(User, deck.owner_id)
        data = anki.to_apkg(
            study_deck.title,
            study_deck.anki_id,
            cards,
            clock.now(),
            lambda names: store.media_for_export_to(owner, names),  # as its owner downloads
            store.shown_on_cards(card.id for card in cards),
        )
    else:
        data = deck_transfer.to_csv(cards).encode("utf-8")
    output.write_bytes(data)
    click.echo(f"Wrote {counted(len(cards), 'card')} of “{deck.title}” to {output}.")
