"""The one Anki writer: .apkg packages (with genanki) of question sets and of flashcard decks,
in one pair of note types, "Quizdeck Basic" and "Quizdeck Cloze".

A set's cloze items become Cloze notes ({{c1::...}}) and every other item a Basic note whose
front is the question (with its options or items) and whose back is the answer and
explanation; a deck's cards become Basic or Cloze notes field by field. Note types, decks
(per set or deck reference) and notes (per item key or card id) have fixed ids, so
importing a later export into Anki updates the notes instead of duplicating them.
"""

from __future__ import annotations

import json
import os
import random
import re
import sqlite3
import tempfile
import zipfile
from collections.abc import Callable, Sequence
from datetime import datetime
from io import BytesIO
from itertools import count
from typing import Any

import genanki
from markupsafe import escape

from quizzes.domain.flashcards import CardKind, Flashcard, further_cloze_card
from quizzes.domain.itemtypes import REGISTRY
from quizzes.domain.media import MEDIA_NAME
from quizzes.web.rendering import render_card_text, render_markdown

# The ids of the note types flashcard decks were first exported with, so a learner's
# re-export still updates the notes already in Anki (sets had a second pair before).
BASIC_MODEL_ID = 1_738_405_201
CLOZE_MODEL_ID = 1_738_405_202
REVERSED_MODEL_ID = 1_738_405_203

_CSS = (
    ".card { font-family: system-ui, sans-serif; font-size: 20px; text-align: center; }\n"
    ".context { font-size: 15px; color: #555; }\n"
    ".extra { font-size: 16px; margin-top: 1em; }\n"
    ".source { font-size: 13px; color: #555; margin-top: 1em; }\n"
    # A set's questions: options and lists read left to right; the explanation and sources.
    ".card ol, .card ul { display: inline-block; text-align: left; }\n"
    ".explanation, .sources { font-size: 16px; color: #5b5b66; }\n"
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

# A card studied both ways: one note, two cards, as Anki's "Basic (and reversed card)".
REVERSED_MODEL = genanki.Model(
    REVERSED_MODEL_ID,
    "Quizdeck Basic (and reversed card)",
    fields=[{"name": "Front"}, {"name": "Back"}, {"name": "Extra"}, {"name": "Source"}],
    templates=[
        BASIC_MODEL.templates[0],
        {
            "name": "Card 2",
            "qfmt": "{{Back}}",
            "afmt": '{{FrontSide}}<hr id="answer">{{Front}}'
            '{{#Extra}}<div class="extra">{{Extra}}</div>{{/Extra}}'
            '{{#Source}}<div class="source">Source: {{Source}}</div>{{/Source}}',
        },
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


# A stored file a field shows (an image of the media store) or plays (a sound): Anki's
# fields name a media file by its bare name, which here is its hash.
_NAME = re.sub(r"\(\?P<\w+>", "(?:", MEDIA_NAME.pattern)  # MEDIA_NAME without group names
_STORED_IMAGE = re.compile(r'(<img\b[^>]*\bsrc=")/media/(' + _NAME + r')"')
_STORED_FILE = re.compile(r'<img\b[^>]*\bsrc="(' + _NAME + r')"|\[sound:(' + _NAME + r")\]")

# Reads the stored files of the given names (quizzes.media.store.media_for_export).
MediaLoader = Callable[[list[str]], Sequence[Any]]


def _with_anki_media_names(deck: genanki.Deck) -> list[str]:
    """Point the notes' images at Anki's media folder; the stored files they name."""
    names: dict[str, None] = {}
    for note in deck.notes:
        note.fields = [_STORED_IMAGE.sub(r'\1\2"', field) for field in note.fields]
        for field in note.fields:
            for match in _STORED_FILE.finditer(field):
                names[match.group(1) or match.group(match.lastindex)] = None
    return list(names)


def write_package(
    deck: genanki.Deck, now: datetime, load_media: MediaLoader | None = None
) -> bytes:
    """The .apkg file's bytes, with the stored images and sounds its notes show in Anki's
    media map. `now` stamps the notes, so Anki updates older copies."""
    names = _with_anki_media_names(deck)
    files = list(load_media(names)) if names and load_media is not None else []
    package = genanki.Package(deck)
    timestamp = now.timestamp()
    # genanki's write_to_file leaves its temporary database behind; this cleans up.
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "collection.anki2")
        connection = sqlite3.connect(path)
        try:
            package.write_to_db(connection.cursor(), timestamp, count(int(timestamp * 1000)))
            connection.commit()
        finally:
            connection.close()
        out = BytesIO()
        with zipfile.ZipFile(out, "w") as archive:
            archive.write(path, "collection.anki2")
            # Anki's media map: zip member "0" is the file named map["0"], and so on.
            for number, media in enumerate(files):
                archive.writestr(str(number), media.data)
            archive.writestr("media", json.dumps({str(n): m.name for n, m in enumerate(files)}))
        return out.getvalue()


def anki_tag(tag: str) -> str:
    """Anki splits tags on spaces."""
    return re.sub(r"\s+", "_", tag.strip())


# -- question sets ---------------------------------------------------------------------


def deck_id_for(set_id: int) -> int:
    """A stable deck id per set, inside the range Anki uses for generated ids."""
    return 1_800_000_000 + set_id


def _front(item: dict[str, Any]) -> str:
    """The prompt, then what the item's type shows under it (its options...): card_front."""
    itemtype = REGISTRY[item["type"]]
    # The same order every export, so a re-import does not reshuffle the card.
    view, _ = itemtype.present(item["data"], random.Random(item["key"]))
    return str(render_markdown(item["prompt"])) + itemtype.card_front(view)


def _back_extra(item: dict[str, Any]) -> str:
    # Plain str throughout: a str joined with Markup is escaped whole (the back of every
    # item with a source once reached Anki as visible tags).
    html = ""
    if item["explanation"]:
        html += f"<div class='explanation'>{render_markdown(item['explanation'])}</div>"
    if item["sources"]:
        linked = "; ".join(source_html(source) for source in item["sources"])
        html += f"<div class='sources'>Source: {linked}</div>"
    return html


_WEB_ADDRESS = re.compile(r"https?://[^\s<>\"']+[^\s<>\"'.,;:!?)\]]")


def source_html(source: str) -> str:
    """A source line as field HTML: linked where the citation has a web address (a bank
    source knows its link; a typed line may end with one)."""
    url = getattr(source, "url", None)
    if url:
        return f'<a href="{escape(url)}">{escape(source)}</a>'
    text, html, position = str(source), "", 0
    for match in _WEB_ADDRESS.finditer(text):
        html += str(escape(text[position : match.start()]))
        html += f'<a href="{escape(match.group(0))}">{escape(match.group(0))}</a>'
        position = match.end()
    return html + str(escape(text[position:]))


def _note(item: dict[str, Any]) -> genanki.Note:
    guid = genanki.guid_for("quizdeck", item["key"])
    tags = [anki_tag(topic) for topic in item["topics"]]
    itemtype = REGISTRY[item["type"]]
    cloze = itemtype.card_cloze(item["data"])  # a Cloze note, when the type writes one
    if cloze is not None:
        prompt = str(render_markdown(item["prompt"])) if item["prompt"].strip() else ""
        extra = cloze.back_extra + _back_extra(item)
        return genanki.Note(CLOZE_MODEL, [prompt + cloze.text, extra, ""], guid=guid, tags=tags)
    view, key = itemtype.present(item["data"], random.Random(item["key"]))
    answer = str(escape(itemtype.describe_key(view, key)))
    back = f"<p><strong>{answer}</strong></p>" + _back_extra(item)
    return genanki.Note(BASIC_MODEL, [_front(item), back, "", ""], guid=guid, tags=tags)


def build_apkg(
    title: str,
    deck_id: int,
    items: list[dict[str, Any]],
    now: datetime,
    load_media: MediaLoader | None = None,
) -> bytes:
    """A question set's package (the same input gives the same deck)."""
    deck = genanki.Deck(deck_id, title or "Quizdeck")
    for item in items:
        deck.add_note(_note(item))
    return write_package(deck, now, load_media)


# -- flashcard decks -------------------------------------------------------------------


def _html(text: str) -> str:
    """A card side as Anki field HTML: its Markdown (or the formatting an Anki field
    brought) rendered and sanitised as pages show it. Braces are left alone, so a cloze
    keeps its {{c1::...}} markers."""
    return str(render_card_text(text))


def _further_card(card: Flashcard, ids: set[str]) -> bool:
    """A second card of one note: a learner's card read back to front, or cloze number 2
    onwards. Anki makes these from the note itself."""
    if further_cloze_card(card):
        return True
    base, _, form = card.id.rpartition(":")
    return card.id.startswith("card:") and base in ids and form == "reversed"


# The files shown on a personal card's sides, by flashcard id ("card:12"): each side's
# (stored name, "image" or "sound", label), as quizzes.media.store.shown_on_cards gives.
SideMedia = dict[str, dict[str, list[tuple[str, str, str]]]]


def _with_media(html: str, shown: Sequence[tuple[str, str, str]]) -> str:
    """A field with the side's stored files after its text, as Anki's fields show them."""
    for name, kind, label in shown:
        if kind == "image":
            html += f'<img src="/media/{name}" alt="{escape(label)}">'
        else:
            html += f"[sound:{name}]"
    return html


def anki_note(
    card: Flashcard, reversed_too: bool = False, media: dict[str, list] | None = None
) -> genanki.Note:
    sources = "; ".join(source_html(source) for source in card.sources)
    tags = [anki_tag(tag) for tag in card.tags if tag.strip()]
    guid = genanki.guid_for(card.id)
    front_media, back_media = (media or {}).get("front", []), (media or {}).get("back", [])
    if card.kind is CardKind.CLOZE and card.cloze:
        extra = "<br>".join(_html(part) for part in (card.context, card.extra) if part)
        fields = [_with_media(_html(card.cloze), front_media), _with_media(extra, back_media)]
        fields.append(sources)
        return genanki.Note(model=CLOZE_MODEL, fields=fields, tags=tags, guid=guid)
    front = _with_media(_html(card.front), front_media)
    if card.context:
        front = f'<div class="context">{_html(card.context)}</div>{front}'
    return genanki.Note(
        model=REVERSED_MODEL if reversed_too else BASIC_MODEL,
        fields=[front, _with_media(_html(card.back), back_media), _html(card.extra), sources],
        tags=tags,
        guid=guid,
    )


def to_apkg(
    title: str,
    deck_id: int,
    cards: Sequence[Flashcard],
    now: datetime,
    load_media: MediaLoader | None = None,
    side_media: SideMedia | None = None,
) -> bytes:
    """A flashcard deck's package; `side_media` adds the files shown on personal cards."""
    deck = genanki.Deck(deck_id, title)
    ids = {card.id for card in cards}
    turned = {card.id.removesuffix(":reversed") for card in cards if _further_card(card, ids)}
    for card in cards:
        if not _further_card(card, ids):
            media = (side_media or {}).get(card.id)
            deck.add_note(anki_note(card, reversed_too=card.id in turned, media=media))
    return write_package(deck, now, load_media)
