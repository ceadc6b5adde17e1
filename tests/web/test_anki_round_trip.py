"""Issue 19's acceptance round trip, with the real `anki` library: a collection Anki built
(Basic, Basic-and-reversed, Cloze with c1/c2 and a hint, HTML formatting, tags) is
exported by Anki, imported here, exported here and imported into a fresh Anki collection:
the same notes, the same cards, the same fields (docs/DECK_IMPORT.md lists what the
sanitiser changes; these fields use only what it keeps); and with an image and a sound,
the same media by the rule docs/DECK_IMPORT.md gives ("Same media")."""

from __future__ import annotations

import hashlib
import re

import anki.collection  # noqa: F401  (before other anki modules, as anki requires)
import pytest
from anki.collection import Collection, DeckIdLimit, ImportAnkiPackageRequest
from anki.import_export_pb2 import ExportAnkiPackageOptions, ImportAnkiPackageOptions
from sqlalchemy import func, select

from models import Card, CardMedia, MediaFile, db
from quizzes.domain.media import clean_media
from tests.domain.media.test_media_cleaning import png_bytes, wav_bytes
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


# -- the round trip with media --------------------------------------------------------------

_MEDIA_REF = re.compile(r'\s*(?:<img\b[^>]*\bsrc="([^"]+)"[^>]*>|\[sound:([^\]]+)\])')


def without_media(fields: list[str]) -> list[str]:
    return [_MEDIA_REF.sub("", value).strip() for value in fields]


def media_named(fields: list[str]) -> list[str]:
    return [a or b for value in fields for a, b in _MEDIA_REF.findall(value)]


@pytest.mark.parametrize("legacy", [False, True], ids=["anki21b", "legacy"])
def test_the_round_trip_keeps_images_and_sounds_by_their_cleaned_hash(
    app, login_as, cards_clock, tmp_path, legacy
):
    """docs/DECK_IMPORT.md, "Same media": each file comes back with the sha256 of its
    cleaned form, on the same side, and a second trip keeps the bytes."""
    image, sound = png_bytes(), clean_media(wav_bytes()).data
    col = Collection(str(tmp_path / "source.anki2"))
    try:
        col.media.write_data("map.png", image)
        col.media.write_data("say.mp3", sound)
        deck_id = col.decks.id("Round trip")
        for type_name, fields, tags in NOTES:
            note = col.new_note(col.models.by_name(type_name))
            note.fields[: len(fields)] = fields
            note.tags = tags
            col.add_note(note, deck_id)
        note = col.new_note(col.models.by_name("Basic"))
        note.fields[0] = 'Where is Seoul? <img src="map.png" alt="A map of Korea">'
        note.fields[1] = "On the Han river [sound:say.mp3]"
        col.add_note(note, deck_id)
        col.export_anki_package(
            out_path=str(tmp_path / "source.apkg"),
            options=ExportAnkiPackageOptions(legacy=legacy, with_scheduling=False, with_media=True),
            limit=DeckIdLimit(deck_id),
        )
    finally:
        col.close()

    client = login_as("mina")
    with app.app_context():
        deck_id = seed_deck(uid_of("mina"), cards=0, title="Round trip")
    source = (tmp_path / "source.apkg").read_bytes()
    preview = upload(client, deck_id, source, "source.apkg").get_data(as_text=True)
    assert "Confirming adds 2 images and sounds" in preview
    confirm = client.post(f"/cards/decks/{deck_id}/import/confirm", data=confirm_data(preview))
    assert confirm.status_code == 302
    exported = client.get(f"/cards/my-{deck_id}/export.apkg").data

    (tmp_path / "again.apkg").write_bytes(exported)
    fresh = Collection(str(tmp_path / "fresh.anki2"))
    try:
        fresh.import_anki_package(
            ImportAnkiPackageRequest(
                package_path=str(tmp_path / "again.apkg"), options=ImportAnkiPackageOptions()
            )
        )
        notes = [fresh.get_note(note_id) for note_id in fresh.find_notes("")]
        arrived = sorted(
            (without_media(note.fields[:2]), sorted(note.tags), sorted(c.ord for c in note.cards()))
            for note in notes
        )
        [with_media] = [note for note in notes if media_named(note.fields[:2])]
        front, back = (media_named([value]) for value in with_media.fields[:2])
        media_dir = tmp_path / "fresh.media"
        hashes = {
            name: hashlib.sha256((media_dir / name).read_bytes()).hexdigest()
            for name in (*front, *back)
        }
        card_count = fresh.card_count()
    finally:
        fresh.close()
    assert arrived == sorted(
        [
            (NOTES[0][1], NOTES[0][2], [0]),
            (NOTES[1][1], NOTES[1][2], [0, 1]),
            (NOTES[2][1], NOTES[2][2], [0, 1]),
            (["Where is Seoul?", "On the Han river"], [], [0]),
        ]
    )
    assert card_count == 6
    # The same media by the documented rule: the image on the front, the sound on the
    # back, each the bytes of its cleaned form (named by that hash).
    assert [hashes[name] for name in front] == [clean_media(image).sha256]
    assert [hashes[name] for name in back] == [clean_media(sound).sha256]
    assert 'alt="A map of Korea"' in with_media.fields[0]

    # A second trip: Quizdeck's own export comes back byte for byte, nothing new stored.
    with app.app_context():
        stored_before = db.session.scalar(select(func.count()).select_from(MediaFile))
        again_id = seed_deck(uid_of("mina"), cards=0, title="Again")
    preview = upload(client, again_id, exported, "again.apkg").get_data(as_text=True)
    assert "Confirming adds 2 images and sounds" in preview
    client.post(f"/cards/decks/{again_id}/import/confirm", data=confirm_data(preview))
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(MediaFile)) == stored_before
        names = set(
            db.session.scalars(
                select(MediaFile.name)
                .join(CardMedia, CardMedia.media_id == MediaFile.id)
                .join(Card, Card.id == CardMedia.card_id)
                .where(Card.deck_id == again_id)
            )
        )
    assert names == set(hashes)
