"""The media store and "Your data": the export lists one's files, deletion removes the files
nobody else uses and keeps the ones another account still shows."""

from __future__ import annotations

import io

from sqlalchemy import select

from models import CardMedia, MediaFile, MediaUse, SetStatus, db
from tests.conftest import PASSWORD
from tests.domain.media.test_media_cleaning import png_bytes
from tests.web.cards_seed import personal_card_ids, seed_deck
from tests.web.teach_support import user_id


def card_of(app, username: str) -> int:
    with app.app_context():
        return personal_card_ids(seed_deck(user_id(app, username), cards=1))[0]


def add(client, card_id, data, label):
    response = client.post(
        f"/cards/card/{card_id}/media",
        data={"file": (io.BytesIO(data), "photo.png"), "label": label, "side": "back"},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302


def names(app) -> set[str]:
    with app.app_context():
        return set(db.session.scalars(select(MediaFile.name)))


def test_export_lists_ones_media_and_nobody_elses(app, login_as):
    ana, ben = login_as("ana"), login_as("ben")
    add(ana, card_of(app, "ana"), png_bytes((10, 10)), "Ana's map")
    add(ben, card_of(app, "ben"), png_bytes((12, 12)), "Ben's map")
    data = __import__("json").loads(ana.get("/account/export.json").data)
    assert [(m["label"], m["mime"], m["uploaded_name"]) for m in data["media"]] == [
        ("Ana's map", "image/png", "photo.png")
    ]
    [deck] = data["decks"]
    [card] = deck["cards"]
    assert card["media"] == [{"side": "back", "label": "Ana's map", "url": data["media"][0]["url"]}]
    assert ana.get(data["media"][0]["url"]).status_code == 200
    assert "Ben's map" not in str(data)


def test_deletion_removes_files_only_that_account_used(app, login_as):
    ana, ben = login_as("ana"), login_as("ben")
    ben_card = card_of(app, "ben")
    add(ana, card_of(app, "ana"), png_bytes((10, 10)), "Only Ana's")
    add(ana, card_of(app, "ana"), png_bytes((12, 12)), "Shared")
    add(ben, ben_card, png_bytes((12, 12)), "Shared")
    before = names(app)
    assert len(before) == 2

    response = ana.post("/account/delete", data={"password": PASSWORD, "confirm_username": "ana"})

    assert response.status_code == 302
    with app.app_context():
        left = db.session.scalars(select(MediaFile)).all()
        assert [m.width for m in left] == [12]  # the shared file stays for Ben
        assert db.session.scalars(select(MediaUse.owner_id)).all() == [user_id(app, "ben")]
        assert db.session.scalars(select(CardMedia.card_id)).all() == [ben_card]
        url = left[0].url
    assert ben.get(url).status_code == 200


def test_a_deleted_teachers_image_stays_for_the_students_attempts(app, login_as):
    from tests.web.teach_support import SAMPLE_ITEMS, make_set
    from tests.web.test_media import assign, png_with_exif, upload

    teacher, student = login_as("tess", "teacher"), login_as("ana")
    set_id = make_set(app, "tess", "Maps", [SAMPLE_ITEMS["truefalse"]], SetStatus.PUBLISHED)
    upload(teacher, set_id, png_with_exif())
    with app.app_context():
        from models import Item

        name = db.session.scalar(select(MediaFile.name))
        item = db.session.scalar(select(Item).where(Item.set_id == set_id))
        item.prompt += f"\n\n![A map](/media/{name})"
        db.session.commit()
    assign(app, teacher, student, set_id)
    classes = student.get("/classes/").get_data(as_text=True)
    import re

    start = re.search(r'action="(/classes/assignments/\d+/start)"', classes).group(1)
    assert student.post(start).status_code == 302

    deleted = teacher.post(
        "/account/delete", data={"password": PASSWORD, "confirm_username": "tess"}
    )

    assert deleted.status_code == 302
    assert names(app) == {name}  # the student's attempt still shows it
    assert student.get(f"/media/{name}").status_code == 200
