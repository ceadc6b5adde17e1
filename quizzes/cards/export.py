"""Taking a deck elsewhere: an Anki package (.apkg, with genanki) or a CSV file.

Ids are fixed so that importing a second export updates the same deck and notes in
Anki: model ids are constants, the deck id comes from the deck reference
(decks.anki_deck_id) and each note's guid from the card id.
"""

from __future__ import annotations

import csv
import io
import os
import re
import tempfile
from collections.abc import Sequence
from datetime import datetime
from html import escape

import genanki
from flask import Response
from unidecode import unidecode

from quizzes.domain.citations import SourceLine
from quizzes.domain.flashcards import CardKind, Flashcard
from quizzes.domain.text import spreadsheet_cell

BASIC_MODEL_ID = 1_738_405_201
CLOZE_MODEL_ID = 1_738_405_202

_CSS = (
    ".card { font-family: system-ui, sans-serif; font-size: 20px; text-align: center; }\n"
    ".context { font-size: 15px; color: #555; }\n"
    ".extra { font-size: 16px; margin-top: 1em; }\n"
    ".source { font-size: 13px; color: #555; margin-top: 1em; }\n"
)

BASIC_MODEL = genanki.Model(
    BASIC_MODEL_ID,
    "Quizdeck Basic",
    fields=[{"name": "Front"}, {"name": "Back"}, {"name": "Extra"}, {"name": "Source"}],
    templates=[
        {
            "name": "Card 1",
            "qfmt": "{{Front}}",
            "afmt": '{{FrontSide}}<hr id="answer">{{Back}}'
            '{{#Extra}}<div class="extra">{{Extra}}</div>{{/Extra}}'
            '{{#Source}}<div class="source">Source: {{Source}}</div>{{/Source}}',
        }
    ],
    css=_CSS,
)

CLOZE_MODEL = genanki.Model(
    CLOZE_MODEL_ID,
    "Quizdeck Cloze",
    fields=[{"name": "Text"}, {"name": "Back Extra"}, {"name": "Source"}],
    templates=[
        {
            "name": "Cloze",
            "qfmt": "{{cloze:Text}}",
            "afmt": "{{cloze:Text}}"
            '{{#Back Extra}}<div class="extra">{{Back Extra}}</div>{{/Back Extra}}'
            '{{#Source}}<div class="source">Source: {{Source}}</div>{{/Source}}',
        }
    ],
    css=_CSS,
    model_type=genanki.Model.CLOZE,
)


def _html(text: str) -> str:
    """Card text as Anki field HTML: escaped, line breaks kept."""
    return escape(text).replace("\n", "<br>")


def _cloze_html(cloze: str) -> str:
    # Escape the text but keep the {{c1::...}} markers (braces are not escaped by html.escape).
    return _html(cloze)


def anki_tag(tag: str) -> str:
    """Anki splits tags on spaces."""
    return re.sub(r"\s+", "_", tag.strip())


def anki_note(card: Flashcard) -> genanki.Note:
    sources = "; ".join(_with_url(source) for source in card.sources)
    tags = [anki_tag(tag) for tag in card.tags if tag.strip()]
    guid = genanki.guid_for(card.id)
    if card.kind is CardKind.CLOZE and card.cloze:
        extra = "<br>".join(_html(part) for part in (card.context, card.extra) if part)
        return genanki.Note(
            model=CLOZE_MODEL,
            fields=[_cloze_html(card.cloze), extra, _html(sources)],
            tags=tags,
            guid=guid,
        )
    front = _html(card.front)
    if card.context:
        front = f'<div class="context">{_html(card.context)}</div>{front}'
    return genanki.Note(
        model=BASIC_MODEL,
        fields=[front, _html(card.back), _html(card.extra), _html(sources)],
        tags=tags,
        guid=guid,
    )


def to_apkg(title: str, deck_id: int, cards: Sequence[Flashcard], now: datetime) -> bytes:
    """The package; notes carry `now` as their change time, so Anki updates older copies."""
    deck = genanki.Deck(deck_id, title)
    for card in cards:
        deck.add_note(anki_note(card))
    handle, path = tempfile.mkstemp(suffix=".apkg")
    os.close(handle)
    try:
        genanki.Package(deck).write_to_file(path, timestamp=now.timestamp())
        with open(path, "rb") as file:
            return file.read()
    finally:
        os.unlink(path)


CSV_COLUMNS = ["id", "kind", "front", "back", "extra", "context", "sources", "tags", "cloze"]


def to_csv(cards: Sequence[Flashcard]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for card in cards:
        writer.writerow(
            spreadsheet_cell(value)
            for value in (
                card.id,
                card.kind.value,
                card.front,
                card.back,
                card.extra,
                card.context,
                " | ".join(_with_url(source) for source in card.sources),
                ", ".join(card.tags),
                card.cloze or "",
            )
        )
    return out.getvalue()


def filename(title: str) -> str:
    """A safe ASCII file name from a deck title."""
    ascii_title = unidecode(title)
    return re.sub(r"[^A-Za-z0-9]+", "-", ascii_title).strip("-")[:60] or "deck"


def download(data: bytes, name: str, mimetype: str) -> Response:
    return Response(
        data,
        mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


def _with_url(source: str) -> str:
    """A source line with its web address written out, so an export's reader can follow it."""
    return source.with_url if isinstance(source, SourceLine) else source
