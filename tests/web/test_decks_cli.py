"""`flask decks import` and `flask decks export`: the web import and export, in batch."""

from __future__ import annotations

import csv
import hashlib
import json
import sqlite3
import tempfile
import zipfile

from sqlalchemy import select

from models import Card, Deck, User, db
from quizzes.media import store
from tests.domain.media.test_media_cleaning import png_bytes, wav_bytes
from tests.web.cards_seed import personal_card_ids, seed_deck


def cards_of(app, title: str) -> list[tuple[str, str]]:
    with app.app_context():
        deck = db.session.scalar(select(Deck).where(Deck.title == title))
        return [(card.front, card.back) for card in deck.cards]


def test_import_makes_a_deck_and_leaves_out_repeats(app, runner, create_user, tmp_path):
    create_user("lena")
    source = tmp_path / "capitals.csv"
    source.write_text("front,back\nSeoul,South Korea\nPyongyang,North Korea\n", "utf-8")
    result = runner.invoke(args=["decks", "import", str(source), "--owner", "LENA"])
    assert result.exit_code == 0, result.output
    assert "Imported 2 cards into deck 1 “capitals”." in result.output
    assert cards_of(app, "capitals") == [("Seoul", "South Korea"), ("Pyongyang", "North Korea")]
    # Into the same deck by title: the cards it has are left out, as on the web.
    source.write_text("front,back\nSeoul,South Korea\nGeneva,Switzerland\n", "utf-8")
    again = runner.invoke(
        args=["decks", "import", str(source), "--owner", "lena", "--deck", "Capitals"]
    )
    assert again.exit_code == 0, again.output
    assert "Imported 1 card into deck 1 “capitals”; 1 card left out as repeats." in again.output
    assert len(cards_of(app, "capitals")) == 3


def test_import_refuses_unknown_owners_bad_and_oversized_files(app, runner, create_user, tmp_path):
    create_user("lena")
    good = tmp_path / "cards.csv"
    good.write_text("front,back\na,b\n", "utf-8")
    nobody = runner.invoke(args=["decks", "import", str(good), "--owner", "ghost"])
    assert nobody.exit_code != 0 and "No user called 'ghost'" in nobody.output
    broken = tmp_path / "broken.apkg"
    broken.write_bytes(b"not a zip")
    refused = runner.invoke(args=["decks", "import", str(broken), "--owner", "lena"])
    assert refused.exit_code != 0 and "nothing was saved" in refused.output
    app.config["MAX_CONTENT_LENGTH"] = 10
    big = runner.invoke(args=["decks", "import", str(good), "--owner", "lena"])
    assert big.exit_code != 0 and "larger than the import limit" in big.output
    with app.app_context():
        assert db.session.scalar(select(db.func.count(Card.id))) == 0
        assert db.session.scalar(select(db.func.count(Deck.id))) == 0


def test_export_writes_csv_and_an_anki_package_that_imports_back(app, runner, create_user):
    create_user("lena")
    create_user("omar")
    with tempfile.TemporaryDirectory() as folder:
        source = f"{folder}/deck.csv"
        with open(source, "w", encoding="utf-8") as handle:
            handle.write("front,back\nSeoul,South Korea\nGeneva,Switzerland\n")
        assert runner.invoke(args=["decks", "import", source, "--owner", "lena"]).exit_code == 0

        as_csv = f"{folder}/out.csv"
        done = runner.invoke(args=["decks", "export", "1", "--format", "csv", "-o", as_csv])
        assert done.exit_code == 0, done.output
        assert "Wrote 2 cards of “deck”" in done.output
        with open(as_csv, encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
        assert [(row["front"], row["back"]) for row in rows] == [
            ("Seoul", "South Korea"),
            ("Geneva", "Switzerland"),
        ]

        package = f"{folder}/out.apkg"
        done = runner.invoke(args=["decks", "export", "1", "--format", "apkg", "-o", package])
        assert done.exit_code == 0, done.output
        with zipfile.ZipFile(package) as archive:
            names = archive.namelist()
            collection = next(n for n in names if n.startswith("collection.anki2"))
            path = f"{folder}/collection"
            with open(path, "wb") as handle:
                handle.write(archive.read(collection))
        with sqlite3.connect(path) as connection:
            assert connection.execute("select count(*) from notes").fetchone()[0] == 2
        # The package comes back in through the same command, for another learner.
        back = runner.invoke(args=["decks", "import", package, "--owner", "omar"])
        assert back.exit_code == 0, back.output
        assert "Imported 2 cards" in back.output

    missing = runner.invoke(args=["decks", "export", "99", "--format", "csv", "-o", "x.csv"])
    assert missing.exit_code != 0 and "No deck 99." in missing.output


def test_export_carries_the_images_and_sounds_on_the_cards(app, runner, create_user, tmp_path):
    """`flask decks export` passes the media, as the deck page's download does."""
    create_user("lena")
    with app.app_context():
        owner = db.session.scalar(select(User).where(User.username == "lena"))
        deck_id = seed_deck(owner.id, cards=1, title="Flags")
        card = db.session.get(Card, personal_card_ids(deck_id)[0])
        image = store.store_media(owner, "flag.png", png_bytes(), deck=card.deck)
        sound = store.store_media(owner, "say.wav", wav_bytes(), deck=card.deck)
        store.attach_to_card(card, image, "front", "A red flag")
        store.attach_to_card(card, sound, "back", "Said aloud")
        names = {image.name: image.sha256, sound.name: sound.sha256}
        db.session.commit()
    package = tmp_path / "flags.apkg"
    done = runner.invoke(args=["decks", "export", str(deck_id), "--format", "apkg", "-o", package])
    assert done.exit_code == 0, done.output
    with zipfile.ZipFile(package) as archive:
        media_map = json.loads(archive.read("media"))
        assert sorted(media_map.values()) == sorted(names)
        for number, name in media_map.items():
            assert hashlib.sha256(archive.read(number)).hexdigest() == names[name]
        with tempfile.NamedTemporaryFile(suffix=".anki2") as file:
            file.write(archive.read("collection.anki2"))
            file.flush()
            [(fields,)] = sqlite3.connect(file.name).execute("SELECT flds FROM notes").fetchall()
    front, back = fields.split("\x1f")[:2]
    image_name = next(name for name in names if name.endswith(".png"))
    sound_name = next(name for name in names if name.endswith(".mp3"))
    assert f'<img src="{image_name}" alt="A red flag">' in front
    assert f"[sound:{sound_name}]" in back
