"""Taking a deck elsewhere as a CSV file, and the download of either export (the Anki
package of a deck is written by transfer/anki.py, as a set's is)."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence

from flask import Response
from unidecode import unidecode

from quizzes.domain.citations import SourceLine
from quizzes.domain.flashcards import Flashcard, further_cloze_card
from quizzes.domain.text import spreadsheet_cell

CSV_COLUMNS = ["id", "kind", "front", "back", "extra", "context", "sources", "tags", "cloze"]


def to_csv(cards: Sequence[Flashcard]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for card in cards:
        if further_cloze_card(card):
            continue  # its cloze column is the first card's, which holds every number
        writer.writerow(
            spreadsheet_cell(value)
            for value in (
                card.id,
                card.kind.value,
                card.front,
                card.back,
                card.extra,
                card.context,
                " | ".join(source_with_url(source) for source in card.sources),
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


def source_with_url(source: str) -> str:
    """A source line with its web address written out, so an export's reader can follow it."""
    return source.with_url if isinstance(source, SourceLine) else source
