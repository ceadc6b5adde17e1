"""Issue 19's acceptance round trip, with the real `anki` library: a collection Anki built
(Basic, Basic-and-reversed, Cloze with c1/c2 and a hint, HTML formatting, tags) is
exported by Anki, imported here, exported here and imported into a fresh Anki collection:
the same notes, the same cards, the same fields (docs/DECK_IMPORT.md lists what the
sanitiser changes; these fields use only what it keeps)."""

from __future__ import annotations

import anki.collection  # noqa: F401  (before other anki modules, as anki requires)
import pytest
from anki.collection import Collection, DeckIdLimit, ImportAnkiPackageRequest
from anki.import_export_pb2 import ExportAnkiPackageOptions, ImportAnkiPackageOptions

from tests.web.cards_seed import seed_deck
from tests.web.test_cards_import import confirm_data, uid_of, upload

NOTES = [
    # (Anki's note type, fields, tags)
    ("Basic", ["<b>Seoul</b> and <i>Busan</i>", "two<br>cities"], ["geo", "human_rights"]),
    ("Basic (and reversed card)", ["水", "water <u>(mul)</u>"], ["hanja"]),
    (
        "Cloze",
        [
            "{{c1::Tae Yong-ho}} defected in {{c2::2016::year}} from {{c1::London}}.",
            "<ul><li>deputy ambassador</li><li>later an MP</li></ul>",
        ],
        ["defections"],
    ),
]


def anki_package(tmp_path, legacy: bool) -> bytes:
    col = Collection(str(tmp_path / "source.anki2"))
    try:
        deck_id = col.decks.id("Round trip")
        for type_name, fields, tags in NOTES:
            note = col.new_note(col.models.by_name(type_name))
            for index, value in enumerate(fields):
                note.fields[index] = value
            note.tags = tags
            col.add_note(note, deck_id)
        path = tmp_path / "source.apkg"
        col.export_anki_package(
            out_path=str(path),
            options=ExportAnkiPackageOptions(
                legacy=legacy, with_scheduling=False, with_media=False
            ),
            limit=DeckIdLimit(deck_id),
        )
    finally:
        col.close()
    return path.read_bytes()


def notes_and_cards(col: Collection) -> list[tuple]:
    """Each note as (kind, its two first fields, tags, the ords of its cards)."""
    rows = []
    for note_id in col.find_notes(""):
        note = col.get_note(note_id)
        kind = "cloze" if note.note_type()["type"] == 1 else "basic"
        ords = sorted(card.ord for card in note.cards())
        rows.append((kind, note.fields[:2], sorted(note.tags), ords))
    return sorted(rows)


@pytest.mark.parametrize("legacy", [False, True], ids=["anki21b", "legacy"])
def test_anki_to_quizdeck_to_anki_keeps_notes_cards_and_fields(
    app, login_as, cards_clock, tmp_path, legacy
):
    source = anki_package(tmp_path, legacy)
    client = login_as("mina")
    with app.app_context():
        deck_id = seed_deck(uid_of("mina"), cards=0, title="Round trip")
    preview = upload(client, deck_id, source, "source.apkg").get_data(as_text=True)
    assert (
        client.post(
            f"/cards/decks/{deck_id}/import/confirm", data=confirm_data(preview)
        ).status_code
        == 302
    )
    exported = client.get(f"/cards/my-{deck_id}/export.apkg").data

    (tmp_path / "again.apkg").write_bytes(exported)
    fresh = Collection(str(tmp_path / "fresh.anki2"))
    try:
        fresh.import_anki_package(
            ImportAnkiPackageRequest(
                package_path=str(tmp_path / "again.apkg"), options=ImportAnkiPackageOptions()
            )
        )
        arrived = notes_and_cards(fresh)
        card_count = fresh.card_count()
    finally:
        fresh.close()
    assert arrived == sorted(
        [
            ("basic", NOTES[0][1], NOTES[0][2], [0]),
            ("basic", NOTES[1][1], NOTES[1][2], [0, 1]),  # the reversed card too
            ("cloze", NOTES[2][1], NOTES[2][2], [0, 1]),  # c1 and c2
        ]
    )
    assert card_count == 5
