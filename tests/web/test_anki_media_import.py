"""Images and sounds come in with an .apkg (issue 19): the files the notes show are read from
Anki's media map (legacy JSON and current zstd/protobuf), cleaned, and shown on the imported
cards' sides for the importing learner only; files no note shows, over the limits or refused
by the media checks are named in the preview and never stored."""

from __future__ import annotations

import io
import json
import zipfile

import anki.collection  # noqa: F401  (before other anki modules, as anki requires)
import genanki
import pytest
from anki.collection import Collection, DeckIdLimit
from anki.import_export_pb2 import ExportAnkiPackageOptions
from sqlalchemy import func, select

from models import Card, CardMedia, MediaFile, MediaUse, db
from quizzes.domain.media import clean_media
from tests.domain.media.test_media_cleaning import png_bytes, wav_bytes
from tests.web.cards_seed import seed_deck
from tests.web.test_cards_import import confirm_data, uid_of, upload


def sound_bytes() -> bytes:
    """A real short MP3, as Anki users add them (PyAV, from a generated WAV)."""
    return clean_media(wav_bytes()).data


def anki_package_with_media(tmp_path, legacy: bool, image: bytes, sound: bytes) -> bytes:
    """A deck built and exported by the real anki library, with its media folder."""
    col = Collection(str(tmp_path / "media-source.anki2"))
    try:
        col.media.write_data("map.png", image)
        col.media.write_data("say.mp3", sound)
        deck_id = col.decks.id("With media")
        note = col.new_note(col.models.by_name("Basic"))
        note.fields[0] = 'Where is Seoul? <img src="map.png" alt="A map of Korea">'
        note.fields[1] = "On the Han river [sound:say.mp3]"
        col.add_note(note, deck_id)
        path = tmp_path / "media-source.apkg"
        col.export_anki_package(
            out_path=str(path),
            options=ExportAnkiPackageOptions(legacy=legacy, with_scheduling=False, with_media=True),
            limit=DeckIdLimit(deck_id),
        )
    finally:
        col.close()
    return path.read_bytes()


def counts(app) -> tuple[int, int, int]:
    with app.app_context():
        return tuple(
            db.session.scalar(select(func.count()).select_from(model))
            for model in (MediaFile, MediaUse, CardMedia)
        )


@pytest.fixture
def mina(app, login_as, cards_clock):
    client = login_as("mina")
    with app.app_context():
        deck_id = seed_deck(uid_of("mina"), cards=0, title="Korean")
    return client, deck_id


@pytest.mark.parametrize("legacy", [False, True], ids=["anki21b", "legacy"])
def test_an_image_and_a_sound_come_in_on_their_sides(app, mina, login_as, tmp_path, legacy):
    client, deck_id = mina
    image, sound = png_bytes(), sound_bytes()
    package = anki_package_with_media(tmp_path, legacy, image, sound)
    preview = upload(client, deck_id, package, "korean.apkg").get_data(as_text=True)
    assert "Confirming adds 2 images and sounds" in preview
    assert "Files left out" not in preview  # Anki exports only the files notes show
    assert counts(app)[1:] == (0, 0)  # nobody uses (or may see) a file before the confirm

    response = client.post(f"/cards/decks/{deck_id}/import/confirm", data=confirm_data(preview))
    assert response.status_code == 302
    with app.app_context():
        [card] = db.session.scalars(select(Card).where(Card.deck_id == deck_id)).all()
        assert (card.front, card.back) == ("Where is Seoul?", "On the Han river")
        shown = db.session.scalars(
            select(CardMedia).where(CardMedia.card_id == card.id).order_by(CardMedia.id)
        ).all()
        rows = [(row.side, row.label, row.media.kind) for row in shown]
        names = [row.media.name for row in shown]
        sha = {row.media.kind: row.media.sha256 for row in shown}
        card_id = card.id
    assert rows == [("front", "A map of Korea", "image"), ("back", "say.mp3", "sound")]
    # Cleaned as every upload: the stored bytes are the cleaned form of what Anki held.
    assert sha == {"image": clean_media(image).sha256, "sound": clean_media(sound).sha256}
    assert counts(app) == (2, 2, 2)

    study = client.get(f"/cards/my-{deck_id}/study").get_data(as_text=True)
    assert f'<img src="/media/{names[0]}" alt="A map of Korea"' in study
    edit = client.get(f"/cards/card/{card_id}/edit").get_data(as_text=True)
    assert "Remove “say.mp3”" in edit
    assert client.get(f"/media/{names[1]}").mimetype == "audio/mpeg"
    assert client.get(f"/media/{names[0]}").status_code == 200
    other = login_as("otto")
    assert other.get(f"/media/{names[0]}").status_code == 404


def legacy_package(tmp_path, fields: list[str], members: dict[str, bytes]) -> bytes:
    """A legacy .apkg (genanki's collection) with the given media map members, deflated."""
    model = genanki.Model(
        7_101,
        "Basic",
        fields=[{"name": "Front"}, {"name": "Back"}],
        templates=[{"name": "Card 1", "qfmt": "{{Front}}", "afmt": "{{Back}}"}],
    )
    deck = genanki.Deck(7_102, "Bad media")
    deck.add_note(genanki.Note(model, fields))
    path = tmp_path / "plain.apkg"
    genanki.Package(deck).write_to_file(str(path))
    with zipfile.ZipFile(path) as source:
        collection = source.read("collection.anki2")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("collection.anki2", collection)
        for number, data in enumerate(members.values()):
            archive.writestr(str(number), data)
        archive.writestr("media", json.dumps({str(n): name for n, name in enumerate(members)}))
    return out.getvalue()


def test_bad_media_is_named_in_the_preview_and_nothing_is_stored(app, mina, tmp_path):
    client, deck_id = mina
    fifty_mb = bytes(50 * 1024 * 1024)
    package = legacy_package(
        tmp_path,
        ['Capital <img src="text.png">', 'Seoul <img src="bomb.png"> [sound:gone.mp3]'],
        {"text.png": b"this is not a picture", "bomb.png": fifty_mb, "huge.bin": fifty_mb},
    )
    assert len(package) < 2 * 1024 * 1024  # inside the upload limit: the bombs are packed
    preview = upload(client, deck_id, package, "bad.apkg").get_data(as_text=True)
    assert "Confirming will add <strong>1 card</strong>" in preview
    assert "<li>text.png: This file is not one of the kinds accepted here" in preview
    assert "<li>bomb.png: packed far tighter than any image or sound (a zip bomb?)" in preview
    assert "<li>gone.mp3: a note shows it, but the package lacks it</li>" in preview
    assert "<li>huge.bin: no imported card shows it, so it was not imported</li>" in preview
    assert counts(app) == (0, 0, 0)
    response = client.post(f"/cards/decks/{deck_id}/import/confirm", data=confirm_data(preview))
    assert response.status_code == 302
    with app.app_context():
        [card] = db.session.scalars(select(Card).where(Card.deck_id == deck_id)).all()
        assert (card.front, card.back) == ("Capital", "Seoul")
    assert counts(app) == (0, 0, 0)


def test_a_media_file_over_the_upload_limit_is_named_and_not_stored(app, mina, tmp_path):
    """A PNG followed by 3 MB (packed loosely enough not to look like a bomb)."""
    client, deck_id = mina
    big = png_bytes() + bytes(3 * 1024 * 1024)
    package = legacy_package(tmp_path, ['Map <img src="big.png">', "Seoul"], {"big.png": big})
    preview = upload(client, deck_id, package, "big.apkg").get_data(as_text=True)
    assert "<li>big.png: larger than 2 MiB, not imported</li>" in preview
    assert counts(app) == (0, 0, 0)


def test_a_damaged_media_map_is_named_and_the_cards_still_come(app, mina, tmp_path):
    client, deck_id = mina
    package = legacy_package(tmp_path, ['Map <img src="a.png">', "Seoul"], {})
    with zipfile.ZipFile(io.BytesIO(package)) as source:
        collection = source.read("collection.anki2")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("collection.anki2", collection)
        archive.writestr("media", b"{not json")
    preview = upload(client, deck_id, out.getvalue(), "x.apkg").get_data(as_text=True)
    assert "The package&#39;s list of media files is damaged: no media imported" in preview
    assert "Confirming will add <strong>1 card</strong>" in preview


def test_flask_decks_import_brings_the_media_and_names_what_it_left_out(
    app, runner, create_user, tmp_path
):
    create_user("lena")
    package = legacy_package(
        tmp_path,
        ['Flag <img src="flag.png" alt="A red flag">', "Seoul"],
        {"flag.png": png_bytes(), "notes.txt": b"unused"},
    )
    path = tmp_path / "flags.apkg"
    path.write_bytes(package)
    done = runner.invoke(args=["decks", "import", str(path), "--owner", "lena"])
    assert done.exit_code == 0, done.output
    assert "Imported 1 card into deck 1 “flags”, 1 image or sound shown." in done.output
    assert "file left out: notes.txt: no imported card shows it" in done.output
    with app.app_context():
        [shown] = db.session.scalars(select(CardMedia)).all()
        assert (shown.side, shown.label, shown.media.sha256) == (
            "front",
            "A red flag",
            clean_media(png_bytes()).sha256,
        )
