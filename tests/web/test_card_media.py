"""Images and sounds on personal cards: added on the edit page, shown in study, served to
the card's owner only."""

from __future__ import annotations

import io
import re

import pytest
from sqlalchemy import func, select

from models import CardMedia, MediaFile, db
from tests.domain.media.test_media_cleaning import png_bytes, wav_bytes
from tests.web.cards_seed import personal_card_ids, seed_deck
from tests.web.teach_support import user_id


@pytest.fixture
def learner(login_as):
    return login_as("lena")


@pytest.fixture
def card_id(app, learner):
    with app.app_context():
        deck_id = seed_deck(user_id(app, "lena"), cards=1)
        return personal_card_ids(deck_id)[0]


def add(client, card_id, data, label, side="front", filename="file.bin"):
    return client.post(
        f"/cards/card/{card_id}/media",
        data={"file": (io.BytesIO(data), filename), "label": label, "side": side},
        content_type="multipart/form-data",
    )


def counts(app):
    with app.app_context():
        return (
            db.session.scalar(select(func.count()).select_from(MediaFile)),
            db.session.scalar(select(func.count()).select_from(CardMedia)),
        )


def test_an_image_and_a_sound_show_in_study(app, learner, card_id, cards_clock):
    assert add(learner, card_id, png_bytes(), "A red flag").status_code == 302
    assert add(learner, card_id, wav_bytes(), "The word said aloud", side="back").status_code == 302
    with app.app_context():
        image, sound = db.session.scalars(select(MediaFile).order_by(MediaFile.id))
        image_url, sound_url = image.url, sound.url
        assert (image.mime, sound.mime) == ("image/png", "audio/mpeg")

    edit = learner.get(f"/cards/card/{card_id}/edit").get_data(as_text=True)
    assert f'<img src="{image_url}" alt="A red flag"' in edit
    assert "Remove “The word said aloud”" in edit

    with app.app_context():
        from models import Card

        ref = f"my-{db.session.get(Card, card_id).deck_id}"
    front = learner.get(f"/cards/{ref}/study").get_data(as_text=True)
    assert f'<img src="{image_url}" alt="A red flag"' in front
    assert sound_url not in front  # the back's sound waits for the answer
    back_link = re.search(r'href="([^"]*show=1[^"]*)"', front).group(1).replace("&amp;", "&")
    back = learner.get(back_link).get_data(as_text=True)
    assert re.search(
        r'<figcaption id="sound-\d+">The word said aloud</figcaption>\s*'
        r'<audio controls preload="none" src="' + re.escape(sound_url) + r'"'
        r' aria-labelledby="sound-\d+">',
        back,
    )
    assert learner.get(sound_url).mimetype == "audio/mpeg"


def test_another_learner_cannot_add_or_see(app, login_as, learner, card_id):
    add(learner, card_id, png_bytes(), "A red flag")
    with app.app_context():
        url = db.session.scalar(select(MediaFile)).url
        shown_id = db.session.scalar(select(CardMedia.id))
    other = login_as("omar")
    assert other.get(url).status_code == 404
    assert add(other, card_id, png_bytes((5, 5)), "Mine").status_code == 404
    assert other.post(f"/cards/card/{card_id}/media/{shown_id}/delete").status_code == 404
    assert counts(app) == (1, 1)


def test_a_bad_file_or_no_label_is_refused_and_stores_nothing(app, learner, card_id):
    refused = add(learner, card_id, b"not a picture", "Label")
    assert refused.status_code == 422
    assert "not one of the kinds accepted here" in refused.get_data(as_text=True)
    no_label = add(learner, card_id, png_bytes(), "")
    assert no_label.status_code == 422 and "Write the alt text" in no_label.get_data(as_text=True)
    assert counts(app) == (0, 0)


def test_removing_takes_it_off_the_card(app, learner, card_id):
    add(learner, card_id, png_bytes(), "A red flag")
    with app.app_context():
        shown_id = db.session.scalar(select(CardMedia.id))
    assert learner.post(f"/cards/card/{card_id}/media/{shown_id}/delete").status_code == 302
    assert counts(app)[1] == 0
