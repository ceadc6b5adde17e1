"""Importing cards into a personal deck: upload, preview, confirm, errors, repeats, owners."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator

import genanki
import pytest
from flask import Flask
from sqlalchemy import select
from werkzeug.test import EnvironBuilder

from models import Card, Deck, User, db
from tests.web.cards_seed import seed_deck

TWICE = "That form was sent twice and counted once: here is what it made."


def hidden(page: str, name: str) -> str:
    found = re.search(rf'name="{name}" type="hidden" value="([^"]+)"', page)
    assert found, f"no {name} field"
    return found.group(1)


def uid_of(name: str) -> int:
    return db.session.scalar(select(User.id).where(User.username == name))


def cards_of(app: Flask, deck_id: int) -> list[tuple]:
    with app.app_context():
        return [
            (c.kind, c.front, c.back, c.source, c.tags, c.reversed, c.memory_key is not None)
            for c in db.session.scalars(
                select(Card).where(Card.deck_id == deck_id).order_by(Card.id)
            )
        ]


def upload(client, deck_id: int, content: bytes, name: str):
    return client.post(
        f"/cards/decks/{deck_id}/import",
        data={"file": (io.BytesIO(content), name)},
        content_type="multipart/form-data",
    )


@pytest.fixture
def learner(app, login_as, cards_clock):
    client = login_as("mina")
    with app.app_context():
        deck_id = seed_deck(uid_of("mina"), cards=1, title="Korean")  # Front 1 / Back 1
    return client, deck_id


def confirm_data(preview: str) -> dict:
    return {"token": hidden(preview, "token"), "once": hidden(preview, "once")}


def test_the_deck_page_links_to_the_import_page(learner):
    client, deck_id = learner
    page = client.get(f"/cards/my-{deck_id}").get_data(as_text=True)
    assert f'href="/cards/decks/{deck_id}/import">Import cards</a>' in page
    form = client.get(f"/cards/decks/{deck_id}/import").get_data(as_text=True)
    assert '<label for="file">Anki package or text file</label>' in form
    assert 'name="csrf_token"' in form


def test_preview_then_confirm_adds_the_new_cards_once(app, learner):
    client, deck_id = learner
    text = "front\tback\nFront 1\tBack 1\n안녕\thello\n{{c1::서울}} is the capital\t\n안녕\thello\n"
    response = upload(client, deck_id, text.encode(), "quizlet.txt")
    assert response.status_code == 200
    preview = response.get_data(as_text=True)
    assert "read as tab-separated text" in preview
    assert "Confirming will add <strong>2 cards</strong> to “Korean”" in preview
    assert "Left out: 2 repeated cards" in preview
    assert "<li>Line 2: Front 1</li>" in preview and "<li>Line 5: 안녕</li>" in preview
    assert cards_of(app, deck_id) == [
        ("basic", "Front 1", "Back 1", "My notes", ["mine"], False, True)
    ]

    first = client.post(f"/cards/decks/{deck_id}/import/confirm", data=confirm_data(preview))
    again = client.post(f"/cards/decks/{deck_id}/import/confirm", data=confirm_data(preview))
    assert first.status_code == again.status_code == 302
    assert first.location == again.location == f"/cards/my-{deck_id}"
    shown = client.get(again.location).get_data(as_text=True)
    assert TWICE in shown and "Imported 2 cards into “Korean”." in shown
    assert cards_of(app, deck_id) == [
        ("basic", "Front 1", "Back 1", "My notes", ["mine"], False, True),
        ("basic", "안녕", "hello", "", [], False, True),
        ("cloze", "{{c1::서울}} is the capital", "", "", [], False, True),
    ]


def test_an_expired_preview_asks_to_upload_again_and_writes_nothing(app, learner, monkeypatch):
    from quizzes.web import previews

    client, deck_id = learner
    preview = upload(client, deck_id, b"one\tuno\n", "words.txt").get_data(as_text=True)
    monkeypatch.setattr(previews, "MAX_AGE", -1)
    response = client.post(f"/cards/decks/{deck_id}/import/confirm", data=confirm_data(preview))
    assert response.location == f"/cards/decks/{deck_id}/import"
    page = client.get(response.location).get_data(as_text=True)
    assert "That preview is more than 3 hours old. Upload the file again." in page
    assert len(cards_of(app, deck_id)) == 1  # the deck's own card only


def test_a_bad_file_names_the_line_and_writes_nothing(app, learner):
    client, deck_id = learner
    response = upload(client, deck_id, b"one\tuno\ntwo\n", "words.txt")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "The file could not be imported" in page
    assert "<li>Line 2: there is no back. Put the front, a tab (or a comma), then the back" in page
    assert "<li>Nothing was saved.</li>" in page
    assert 'aria-describedby="import-problem file-hint" aria-invalid="true"' in page
    assert 'name="token"' not in page
    assert len(cards_of(app, deck_id)) == 1


def test_a_zip_that_is_not_anki_is_refused(learner):
    client, deck_id = learner
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("word/document.xml", "<w/>")
    page = upload(client, deck_id, archive.getvalue(), "essay.docx").get_data(as_text=True)
    assert "This zip file is not an Anki package: it holds no Anki collection." in page


def test_no_file_asks_for_one(learner):
    client, deck_id = learner
    page = client.post(f"/cards/decks/{deck_id}/import", data={}).get_data(as_text=True)
    assert "Choose a file to import: it was missing or empty." in page


def test_a_file_with_only_cards_the_deck_has_offers_no_confirm(learner):
    client, deck_id = learner
    page = upload(client, deck_id, b"Front 1,Back 1\n", "same.csv").get_data(as_text=True)
    assert "the deck already has every card of this file. Nothing was saved." in page
    assert 'name="token"' not in page


def test_an_anki_package_preview_lists_notes_left_out_and_media(app, learner, tmp_path):
    client, deck_id = learner
    model = genanki.Model(
        7_001,
        "Basic",
        fields=[{"name": "Front"}, {"name": "Back"}],
        templates=[{"name": "Card 1", "qfmt": "{{Front}}", "afmt": "{{Back}}"}],
    )
    deck = genanki.Deck(7_002, "Hangul")
    deck.add_note(genanki.Note(model, ["ㄱ <img src='g.png'>", "g / k"], tags=["hangul"]))
    deck.add_note(genanki.Note(model, ["[sound:a.mp3]", "<img src='a.png'>"]))
    path = tmp_path / "hangul.apkg"
    genanki.Package(deck).write_to_file(str(path))
    page = upload(client, deck_id, path.read_bytes(), "hangul.apkg").get_data(as_text=True)
    assert "read as Anki package" in page
    assert "Confirming will add <strong>1 card</strong>" in page
    assert "Left out: 1 note with no card to make" in page
    assert "<li>Note 2: it shows only images or sounds</li>" in page
    assert "3 fields showed an image or played a sound" in page


def test_a_file_over_the_upload_limit_gets_the_import_page_with_a_413(app, learner):
    client, deck_id = learner
    # Through an environ closed here: the test client spools a body this large to a
    # temporary file and, when the app refuses to read it, never closes it.
    form = {"file": (io.BytesIO(b"a\tb\n" * 600_000), "big.txt")}
    builder = EnvironBuilder(path=f"/cards/decks/{deck_id}/import", method="POST", data=form)
    environ = builder.get_environ()
    builder.close()
    try:
        response = client.open(environ)
    finally:
        environ["wsgi.input"].close()
    assert response.status_code == 413
    page = response.get_data(as_text=True)
    assert "The file is larger than 2 MB, the most Quizdeck accepts at once." in page
    assert '<label for="file">Anki package or text file</label>' in page
    assert len(cards_of(app, deck_id)) == 1


def test_someone_elses_deck_is_a_404_and_a_token_cannot_move_decks(app, learner, login_as):
    client, deck_id = learner
    other = login_as("jun")
    with app.app_context():
        other_deck = seed_deck(uid_of("jun"), cards=0, title="Jun's")
    assert other.get(f"/cards/decks/{deck_id}/import").status_code == 404
    assert upload(other, deck_id, b"a\tb\n", "x.txt").status_code == 404
    preview = upload(client, deck_id, b"a\tb\n", "x.txt").get_data(as_text=True)
    data = confirm_data(preview)
    assert other.post(f"/cards/decks/{deck_id}/import/confirm", data=data).status_code == 404
    # The learner's token names their deck and themselves: it adds nothing anywhere else.
    assert other.post(f"/cards/decks/{other_deck}/import/confirm", data=data).status_code == 400
    assert cards_of(app, other_deck) == []
    assert len(cards_of(app, deck_id)) == 1


def test_a_tampered_token_is_refused(app, learner):
    client, deck_id = learner
    preview = upload(client, deck_id, b"a\tb\n", "x.txt").get_data(as_text=True)
    data = confirm_data(preview) | {"token": hidden(preview, "token")[:-3] + "abc"}
    assert client.post(f"/cards/decks/{deck_id}/import/confirm", data=data).status_code == 400
    assert len(cards_of(app, deck_id)) == 1


def test_round_trip_export_apkg_and_csv_into_new_decks_gives_the_same_cards(app, learner):
    client, deck_id = learner
    with app.app_context():
        deck = db.session.get(Deck, deck_id)
        from quizzes.cards.personal import add_card

        add_card(
            deck, kind="basic", front="물", back="water\nmul", source="", tags=[], reversed=True
        )
        add_card(
            deck, kind="cloze", front="The war began in {{c1::1950}}.", back="June",
            source="History book", tags=["war", "dates"],
        )  # fmt: skip
        db.session.commit()
    original = cards_of(app, deck_id)
    for export in ("export.apkg", "export.csv"):
        data = client.get(f"/cards/my-{deck_id}/{export}").data
        with app.app_context():
            new_deck = seed_deck(uid_of("mina"), cards=0, title=f"From {export}")
        preview = upload(client, new_deck, data, f"deck.{export[7:]}").get_data(as_text=True)
        confirmed = client.post(
            f"/cards/decks/{new_deck}/import/confirm", data=confirm_data(preview)
        )
        assert confirmed.status_code == 302, preview
        assert cards_of(app, new_deck) == original, export


@pytest.fixture
def limited(make_app) -> Iterator[Flask]:
    yield make_app(RATELIMIT_ENABLED=True, IMPORT_RATE_LIMIT="2 per hour")


def test_card_imports_share_the_import_limit(limited, create_user):
    from tests.conftest import AuthActions

    create_user("limited")
    client = limited.test_client()
    AuthActions(client).login("limited")
    with limited.app_context():
        deck_id = seed_deck(uid_of("limited"), cards=0)
    codes = [upload(client, deck_id, b"a\tb\n", "x.txt").status_code for _ in range(3)]
    assert codes == [200, 200, 429]
