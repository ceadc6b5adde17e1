"""Anki fidelity (issue 19), read from the exported package's own fields: a set's back is
HTML, not escaped text; sources are links; a learner's Markdown, cloze numbers and
reversed cards go out as Anki has them; re-importing the package adds nothing."""

from __future__ import annotations

import io
import sqlite3
import zipfile

from models import Card, Deck, db
from tests.web.cards_seed import seed_deck
from tests.web.teach_support import SAMPLE_ITEMS, make_set
from tests.web.test_cards_import import cards_of, confirm_data, uid_of, upload


def package_notes(data: bytes, tmp_path) -> list[tuple[str, list[str], str]]:
    """(note type name, fields, tags) of each note of an .apkg genanki wrote."""
    import json

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        (tmp_path / "c.anki2").write_bytes(archive.read("collection.anki2"))
    connection = sqlite3.connect(tmp_path / "c.anki2")
    try:
        (models,) = connection.execute("select models from col").fetchone()
        names = {int(k): v["name"] for k, v in json.loads(models).items()}
        rows = connection.execute("select mid, flds, tags from notes order by id").fetchall()
    finally:
        connection.close()
    return [(names[mid], flds.split("\x1f"), tags.strip()) for mid, flds, tags in rows]


def test_a_set_items_back_with_a_source_is_html_not_escaped_text(app, login_as, tmp_path):
    teacher = login_as("teacher1", "teacher")
    item = SAMPLE_ITEMS["single"] | {
        "sources": ["Korea Times, 2024-11, https://www.koreatimes.co.kr/cables"]
    }
    set_id = make_set(app, "teacher1", items=[item])
    [(_, fields, _)] = package_notes(
        teacher.get(f"/teach/sets/{set_id}/export/apkg").data, tmp_path
    )
    back = fields[1]
    assert back == (
        "<p><strong>Deputy ambassador in London</strong></p>"
        "<div class='explanation'><p>He was <strong>deputy ambassador</strong> in London.</p>"
        "</div><div class='sources'>Source: Korea Times, 2024-11, "
        '<a href="https://www.koreatimes.co.kr/cables">https://www.koreatimes.co.kr/cables</a>'
        "</div>"
    )
    assert "&lt;" not in back


def test_a_deck_goes_out_with_markdown_cloze_numbers_reversed_cards_and_tags(
    app, login_as, tmp_path, cards_clock
):
    client = login_as("mina")
    with app.app_context():
        deck_id = seed_deck(uid_of("mina"), cards=0, title="Korean")
        deck = db.session.get(Deck, deck_id)
        db.session.add_all(
            [
                Card(deck=deck, kind="basic", front="**Seoul**", back="서울\nsŏul",
                     tags=["human rights", "geo"], reversed=True),
                Card(deck=deck, kind="cloze", front="{{c1::Tae}} left in {{c2::2016::year}}.",
                     back="", source="Cables, https://example.org/c"),
            ]
        )  # fmt: skip
        db.session.flush()
        for card in deck.cards:
            card.memory_key = f"card:{card.id}"
        db.session.commit()
    notes = package_notes(client.get(f"/cards/my-{deck_id}/export.apkg").data, tmp_path)
    assert notes == [
        (
            "Quizdeck Basic (and reversed card)",
            ["<strong>Seoul</strong>", "서울<br>sŏul", "", ""],
            "human_rights geo",
        ),
        (
            "Quizdeck Cloze",
            [
                "{{c1::Tae}} left in {{c2::2016::year}}.",
                "",
                'Cables, <a href="https://example.org/c">https://example.org/c</a>',
            ],
            "",
        ),
    ]


def test_reimporting_the_own_apkg_adds_nothing_cloze_and_formatting_included(
    app, login_as, cards_clock
):
    client = login_as("mina")
    with app.app_context():
        deck_id = seed_deck(uid_of("mina"), cards=0, title="Korean")
        deck = db.session.get(Deck, deck_id)
        db.session.add_all(
            [
                Card(deck=deck, kind="cloze", front="The UPR met in {{2014}}.", back="*Geneva*"),
                Card(deck=deck, kind="basic", front="**bold** a_b", back="### 1950, a year",
                     tags=["human rights"], reversed=True),
            ]
        )  # fmt: skip
        db.session.flush()
        for card in deck.cards:
            card.memory_key = f"card:{card.id}"
        db.session.commit()
    before = cards_of(app, deck_id)
    data = client.get(f"/cards/my-{deck_id}/export.apkg").data
    preview = upload(client, deck_id, data, "korean.apkg").get_data(as_text=True)
    assert "the deck already has every card of this file. Nothing was saved." in preview
    assert 'name="token"' not in preview and cards_of(app, deck_id) == before
    # Into an empty deck the same file gives cards that look the same (tags with spaces too).
    with app.app_context():
        empty = seed_deck(uid_of("mina"), cards=0, title="Empty")
    preview = upload(client, empty, data, "korean.apkg").get_data(as_text=True)
    client.post(f"/cards/decks/{empty}/import/confirm", data=confirm_data(preview))
    came = cards_of(app, empty)
    assert [(c[0], c[4], c[5]) for c in came] == [
        ("cloze", [], False),
        ("basic", ["human rights"], True),
    ]
    assert came[0][1] == "The UPR met in {{c1::2014}}." and came[0][2] == "<em>Geneva</em>"
    assert came[1][1:3] == ("<strong>bold</strong> a\\_b", "<h3>1950, a year</h3>")
    # ...and importing the file again into that deck finds every card it has.
    again = upload(client, empty, data, "korean.apkg").get_data(as_text=True)
    assert "the deck already has every card of this file. Nothing was saved." in again


def test_a_cloze_with_two_numbers_is_one_row_of_the_deck_csv_and_comes_back_as_one_card(
    app, login_as, cards_clock
):
    client = login_as("mina")
    with app.app_context():
        deck_id = seed_deck(uid_of("mina"), cards=0, title="Korean")
        deck = db.session.get(Deck, deck_id)
        card = Card(deck=deck, kind="cloze", front="{{c1::Tae}} left in {{c2::2016}}.", back="")
        db.session.add(card)
        db.session.flush()
        card.memory_key = f"card:{card.id}"
        db.session.commit()
    data = client.get(f"/cards/my-{deck_id}/export.csv").data
    rows = data.decode().splitlines()
    assert len(rows) == 2 and rows[1].endswith(",{{c1::Tae}} left in {{c2::2016}}.")
    with app.app_context():
        empty = seed_deck(uid_of("mina"), cards=0, title="Empty")
    preview = upload(client, empty, data, "korean.csv").get_data(as_text=True)
    client.post(f"/cards/decks/{empty}/import/confirm", data=confirm_data(preview))
    assert [c[:2] for c in cards_of(app, empty)] == [("cloze", "{{c1::Tae}} left in {{c2::2016}}.")]
