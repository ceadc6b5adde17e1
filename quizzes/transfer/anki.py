"""Anki decks (.apkg) from question sets, written with genanki.

Cloze items become Cloze notes ({{c1::...}}); every other item a Basic note whose front is
the question (with its options or items) and whose back is the answer and explanation.
Models, the deck (per set) and every note (per item key) have fixed ids, so importing a
later export into Anki updates the cards instead of duplicating them.
"""

from __future__ import annotations

import os
import random
import sqlite3
import tempfile
import zipfile
from datetime import datetime
from io import BytesIO
from itertools import count
from typing import Any

import genanki
from markupsafe import escape

from quizzes.domain.itemtypes import REGISTRY
from quizzes.web.rendering import render_markdown

BASIC_MODEL_ID = 1_738_050_001
CLOZE_MODEL_ID = 1_738_050_002
_CSS = (
    ".card { font-family: system-ui, sans-serif; font-size: 20px; text-align: left; "
    "color: #1c1c1e; background: #fff; } .cloze { font-weight: bold; color: #1d4ed8; } "
    ".explanation, .sources { font-size: 16px; color: #5b5b66; }"
)

BASIC_MODEL = genanki.Model(
    BASIC_MODEL_ID,
    "Quizdeck Basic",
    fields=[{"name": "Front"}, {"name": "Back"}],
    templates=[
        {
            "name": "Card 1",
            "qfmt": "{{Front}}",
            "afmt": '{{FrontSide}}<hr id="answer">{{Back}}',
        }
    ],
    css=_CSS,
)
CLOZE_MODEL = genanki.Model(
    CLOZE_MODEL_ID,
    "Quizdeck Cloze",
    fields=[{"name": "Text"}, {"name": "Back Extra"}],
    templates=[
        {
            "name": "Cloze",
            "qfmt": "{{cloze:Text}}",
            "afmt": "{{cloze:Text}}<br>{{Back Extra}}",
        }
    ],
    css=_CSS,
    model_type=genanki.Model.CLOZE,
)


def deck_id_for(set_id: int) -> int:
    """A stable deck id per set, inside the range Anki uses for generated ids."""
    return 1_800_000_000 + set_id


def _front(item: dict[str, Any]) -> str:
    html = str(render_markdown(item["prompt"]))
    # The same order every export, so a re-import does not reshuffle the card.
    view, _ = REGISTRY[item["type"]].present(item["data"], random.Random(item["key"]))
    if item["type"] in ("single", "multi"):
        options = "".join(f"<li>{escape(option)}</li>" for option in view["options"])
        html += f"<ol type='A'>{options}</ol>"
    elif item["type"] == "ordering":
        html += "<ul>" + "".join(f"<li>{escape(t)}</li>" for t in view["items"]) + "</ul>"
    elif item["type"] == "matching":
        html += "<ul>" + "".join(f"<li>{escape(t)} → ?</li>" for t in view["lefts"]) + "</ul>"
        html += "<p>Choices: " + str(escape(" · ".join(view["choices"]))) + "</p>"
    elif item["type"] == "truefalse":
        html += "<p>True or false?</p>"
    return html


def _back_extra(item: dict[str, Any]) -> str:
    html = ""
    if item["explanation"]:
        html += f"<div class='explanation'>{render_markdown(item['explanation'])}</div>"
    if item["sources"]:
        html += "<div class='sources'>Source: " + escape("; ".join(item["sources"])) + "</div>"
    return html


def _cloze_text(item: dict[str, Any]) -> str:
    data = item["data"]
    text = str(escape(data["text"]))
    for number, blank in enumerate(data["blanks"], start=1):
        # "::" and "}}" would end Anki's cloze marker early.
        answer = str(escape(blank["answers"][0])).replace("::", ": :").replace("}}", "} }")
        text = text.replace("{" + str(number) + "}", f"{{{{c{number}::{answer}}}}}", 1)
    prompt = str(render_markdown(item["prompt"])) if item["prompt"].strip() else ""
    return prompt + f"<p>{text}</p>"


def _note(item: dict[str, Any]) -> genanki.Note:
    guid = genanki.guid_for("quizdeck", item["key"])
    tags = ["".join(c if not c.isspace() else "_" for c in topic) for topic in item["topics"]]
    if item["type"] == "cloze":
        extra = _back_extra(item)
        alternatives = [
            f"{{{n}}}: " + ", ".join(blank["answers"])
            for n, blank in enumerate(item["data"]["blanks"], start=1)
            if len(blank["answers"]) > 1
        ]
        if alternatives:
            extra = "<p>Also accepted: " + str(escape("; ".join(alternatives))) + "</p>" + extra
        return genanki.Note(CLOZE_MODEL, [_cloze_text(item), extra], guid=guid, tags=tags)
    itemtype = REGISTRY[item["type"]]
    view, key = itemtype.present(item["data"], random.Random(item["key"]))
    back = f"<p><strong>{escape(itemtype.describe_key(view, key))}</strong></p>" + _back_extra(item)
    return genanki.Note(BASIC_MODEL, [_front(item), back], guid=guid, tags=tags)


def build_apkg(title: str, deck_id: int, items: list[dict[str, Any]], now: datetime) -> bytes:
    """The .apkg file's bytes. `now` stamps the notes (the same input gives the same deck)."""
    deck = genanki.Deck(deck_id, title or "Quizdeck")
    for item in items:
        deck.add_note(_note(item))
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
            archive.writestr("media", "{}")
        return out.getvalue()
