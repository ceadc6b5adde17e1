"""Files an Anki package's preview stores are deleted when the preview is discarded or has
expired, and by `flask media prune`; a file anything still refers to is never deleted."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from PIL import Image
from sqlalchemy import func, select

from models import CardMedia, MediaFile, SetStatus, db
from quizzes.domain.media import clean_media
from quizzes.media import store
from tests.web.cards_seed import NOW, seed_deck
from tests.web.teach_support import SAMPLE_ITEMS, make_set
from tests.web.test_anki_media_import import legacy_package
from tests.web.test_cards_import import confirm_data, hidden, uid_of, upload


def png_bytes(color: tuple[int, int, int] = (255, 0, 0)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), color).save(out, "PNG")
    return out.getvalue()


def stored_names(app) -> set[str]:
    with app.app_context():
        return set(db.session.scalars(select(MediaFile.name)))


def name_of(image: bytes) -> str:
    return clean_media(image).name


def package(tmp_path, image: bytes, front: str = "Capital") -> bytes:
    return legacy_package(tmp_path, [f'{front} <img src="map.png">', "Seoul"], {"map.png": image})


def discard(client, deck_id: int, preview: str):
    return client.post(
        f"/cards/decks/{deck_id}/import/discard",
        data={"discard-token": hidden(preview, "discard-token")},
    )


@pytest.fixture
def learners(app, login_as, cards_clock):
    clients = {name: login_as(name) for name in ("mina", "otto")}
    with app.app_context():
        decks = {name: seed_deck(uid_of(name), cards=0, title="Korean") for name in clients}
    return clients, decks


def test_cancelling_a_preview_deletes_the_files_it_stored(app, learners, tmp_path):
    clients, decks = learners
    image = png_bytes()
    preview = upload(clients["mina"], decks["mina"], package(tmp_path, image), "a.apkg")
    page = preview.get_data(as_text=True)
    assert stored_names(app) == {name_of(image)}
    assert '<button type="submit" class="button secondary">Cancel</button>' in page

    response = discard(clients["mina"], decks["mina"], page)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/cards/decks/{decks['mina']}/import")
    assert stored_names(app) == set()
    # The preview is gone with its files: confirming it afterwards adds the card alone.
    assert (
        clients["mina"]
        .post(f"/cards/decks/{decks['mina']}/import/confirm", data=confirm_data(page))
        .status_code
        == 302
    )
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(CardMedia)) == 0


def test_cancelling_spares_a_file_a_card_shows_or_a_later_preview_kept(
    app, learners, tmp_path, cards_clock
):
    clients, decks = learners
    shown, pending = png_bytes(color=(200, 0, 0)), png_bytes(color=(0, 0, 200))
    # otto's card shows the red image already.
    first = upload(clients["otto"], decks["otto"], package(tmp_path, shown), "red.apkg")
    done = clients["otto"].post(
        f"/cards/decks/{decks['otto']}/import/confirm", data=confirm_data(first.get_data(True))
    )
    assert done.status_code == 302
    mina_red = upload(clients["mina"], decks["mina"], package(tmp_path, shown, "Red"), "r.apkg")
    assert discard(clients["mina"], decks["mina"], mina_red.get_data(True)).status_code == 302
    assert name_of(shown) in stored_names(app)

    # mina's preview stores the blue image; otto previews the same file later; mina cancels.
    mina_blue = upload(clients["mina"], decks["mina"], package(tmp_path, pending), "b.apkg")
    cards_clock.now = NOW + timedelta(minutes=5)
    otto_blue = upload(clients["otto"], decks["otto"], package(tmp_path, pending, "Blue"), "b.apkg")
    assert discard(clients["mina"], decks["mina"], mina_blue.get_data(True)).status_code == 302
    assert name_of(pending) in stored_names(app)
    # otto's preview still brings its image.
    done = clients["otto"].post(
        f"/cards/decks/{decks['otto']}/import/confirm", data=confirm_data(otto_blue.get_data(True))
    )
    assert done.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(CardMedia)) == 2


def test_files_of_previews_never_confirmed_go_once_the_preview_has_expired(
    app, learners, tmp_path, cards_clock
):
    clients, decks = learners
    left, fresh = png_bytes(color=(10, 200, 10)), png_bytes(color=(200, 200, 10))
    upload(clients["mina"], decks["mina"], package(tmp_path, left), "left.apkg")  # never confirmed
    cards_clock.now = NOW + timedelta(hours=2, minutes=59)
    upload(clients["otto"], decks["otto"], package(tmp_path, fresh, "Other"), "o.apkg")
    assert stored_names(app) == {name_of(left), name_of(fresh)}  # mina may still confirm

    cards_clock.now = NOW + timedelta(hours=3, minutes=1)
    upload(clients["otto"], decks["otto"], package(tmp_path, fresh, "Again"), "o.apkg")
    assert stored_names(app) == {name_of(fresh)}  # mina's preview can no longer be confirmed


def _unused(app, image: bytes, now) -> str:
    with app.app_context():
        media, _ = store.keep_unused(clean_media(image), now)
        db.session.commit()
        return media.name


def test_flask_media_prune_deletes_only_what_nothing_refers_to(app, runner, create_user):
    create_user("teacher1", role="teacher")
    then = NOW - timedelta(days=1)
    orphan = _unused(app, png_bytes(color=(1, 2, 3)), then)
    in_item = _unused(app, png_bytes(color=(4, 5, 6)), then)
    recent = _unused(app, png_bytes(color=(7, 8, 9)), NOW - timedelta(minutes=30))
    # An item names a file without any use row (pasted text): it is still referred to.
    prompt = f"Which flag? ![A flag](/media/{in_item})"
    make_set(
        app,
        "teacher1",
        items=[SAMPLE_ITEMS["single"] | {"prompt": prompt}],
        status=SetStatus.PUBLISHED,
    )
    app.config["QUIZDECK_NOW"] = lambda: NOW

    dry = runner.invoke(args=["media", "prune", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert f"would delete /media/{orphan}" in dry.output
    assert "1 unused file(s) would be deleted; nothing was deleted." in dry.output
    assert stored_names(app) == {orphan, in_item, recent}

    done = runner.invoke(args=["media", "prune"])
    assert done.exit_code == 0, done.output
    assert f"deleted /media/{orphan}" in done.output and "1 unused file(s) deleted." in done.output
    # The item's file stays; so does a file a preview kept 30 minutes ago (still confirmable).
    assert stored_names(app) == {in_item, recent}
