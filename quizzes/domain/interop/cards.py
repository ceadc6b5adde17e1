"""Reading flashcards from other apps (pure functions): the entry point.

Bytes in, a CardImport out: the cards, the notes or lines left out and why, and the
problems that make the file unusable (each naming its line or note). Nothing here knows
about decks already stored; leaving out cards a deck already has is the caller's job
(`new_cards`). Anki packages: anki_package.py; text and CSV: card_text.py; what both
yield and check: card_import.py. Every reader's work is bounded (quizzes.domain.limits).
"""

from __future__ import annotations

from pathlib import PurePath

from quizzes.domain import limits
from quizzes.domain.interop.anki_media import KnownMedia
from quizzes.domain.interop.anki_package import MAX_COLLECTION_BYTES, from_anki_package
from quizzes.domain.interop.card_import import (
    MAX_CARDS,
    CardImport,
    ImportedCard,
    Problem,
    field_text,
    new_cards,
    refused,
)
from quizzes.domain.interop.card_text import QUIZDECK_CSV_HEADER, from_card_text
from quizzes.domain.interop.decoding import has_utf16_mark

__all__ = [
    "MAX_CARDS",
    "MAX_COLLECTION_BYTES",
    "QUIZDECK_CSV_HEADER",
    "CardImport",
    "ImportedCard",
    "Problem",
    "field_text",
    "from_anki_package",
    "from_card_text",
    "new_cards",
    "read_card_file",
]


def read_card_file(
    filename: str,
    data: bytes,
    deadline: limits.Deadline | None = None,
    known_media: KnownMedia | None = None,
) -> CardImport:
    """An Anki package (a zip, whatever its name) or a text/CSV file of cards."""
    if len(data) > limits.UPLOAD_BYTES:
        return refused(
            "file",
            f"The file has {len(data):,} bytes; Quizdeck reads files of up to "
            f"{limits.UPLOAD_BYTES // (1024 * 1024)} MB. Split it",
        )
    if data.startswith(b"PK\x03\x04"):
        return from_anki_package(data, deadline, known_media)
    suffix = PurePath(filename or "").suffix.lower()
    if suffix in (".apkg", ".colpkg"):
        return refused(
            "Anki package",
            f"“{filename}” is not a complete Anki package (it is not a zip file). "
            "Export the deck from Anki again and upload the new file.",
        )
    binary = b"\x00" in data[:8192] and not has_utf16_mark(data)
    if data.startswith(b"SQLite format 3") or binary:
        return refused(
            "text",
            f"“{filename or 'The upload'}” holds binary data, not text. Upload an Anki package "
            "(.apkg) or a text file with one card per line: front, a tab or comma, back.",
        )
    return from_card_text(data, deadline)
