"""The media store through HTTP: uploads (CSRF, ownership, alt text, bad files) and serving
(types, nosniff, caching, 404 for everyone who may not see the item)."""

from __future__ import annotations

import io
import re

import pytest
from PIL import Image
from sqlalchemy import func, select

from models import MediaFile, MediaUse, SchoolClass, SetStatus, db
from tests.web.teach_support import SAMPLE_ITEMS, make_set

SECRET = "GPS-SECRET-4711"


def png_with_exif() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = SECRET
    out = io.BytesIO()
    Image.new("RGB", (30, 20), "green").save(out, "PNG", exif=exif.tobytes())
    return out.getvalue() + SECRET.encode()


def upload(client, set_id, data=None, label="A green square", filename="square.png"):
    fields = {"label": label}
    if data is not None:
        fields["file"] = (io.BytesIO(data), filename)
    return client.post(
        f"/teach/sets/{set_id}/images", data=fields, content_type="multipart/form-data"
    )


def stored(app) -> tuple[int, int]:
    with app.app_context():
        return (
            db.session.scalar(select(func.count()).select_from(MediaFile)),
            db.session.scalar(select(func.count()).select_from(MediaUse)),
        )


def only_media_name(app) -> str:
    with app.app_context():
        return db.session.scalar(select(MediaFile.name))


@pytest.fixture
def teacher(login_as):
    return login_as("tess", "teacher")


@pytest.fixture
def tess_set(app, teacher):
    return make_set(app, "tess", "Maps", [SAMPLE_ITEMS["single"]], SetStatus.PUBLISHED)


def test_upload_stores_clean_pixels_and_shows_the_line_to_paste(app, teacher, tess_set):
    response = upload(teacher, tess_set, png_with_exif())
    assert response.status_code == 302
    name = only_media_name(app)
    assert re.fullmatch(r"[0-9a-f]{64}\.png", name)
    page = teacher.get(response.headers["Location"]).get_data(as_text=True)
    assert f"![A green square](/media/{name})" in page
    assert f'<img src="/media/{name}" alt="A green square"' in page

    served = teacher.get(f"/media/{name}")
    assert served.status_code == 200
    assert served.mimetype == "image/png"
    assert served.headers["X-Content-Type-Options"] == "nosniff"
    assert "immutable" in served.headers["Cache-Control"]
    assert "private" in served.headers["Cache-Control"]
    assert SECRET.encode() not in served.data
    assert Image.open(io.BytesIO(served.data)).size == (30, 20)
    again = teacher.get(f"/media/{name}", headers={"If-None-Match": served.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""


def test_the_same_image_twice_is_stored_once(app, teacher, tess_set):
    upload(teacher, tess_set, png_with_exif())
    upload(teacher, tess_set, png_with_exif() + b"other trailing bytes", label="Again")
    assert stored(app) == (1, 1)


@pytest.mark.parametrize(
    ("data", "label", "message"),
    [
        (None, "A square", "Choose a file to upload."),
        (b"just text, renamed", "A square", "not one of the kinds accepted here"),
        (b"", "A square", "The file is empty."),
        ("png", "   ", "Write the alt text"),
        ("wav", "A sound", "PNG, JPEG, GIF or WebP images."),
    ],
    ids=["no-file", "text-as-png", "empty", "no-alt", "sound-in-a-set"],
)
def test_refused_uploads_say_why_and_store_nothing(app, teacher, tess_set, data, label, message):
    if data == "png":
        data = png_with_exif()
    elif data == "wav":
        from tests.domain.media.test_media_cleaning import wav_bytes

        data = wav_bytes()
    response = upload(teacher, tess_set, data, label=label)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert stored(app) == (0, 0)


def test_another_teachers_set_is_a_404_and_stores_nothing(app, login_as, tess_set):
    other = login_as("tom", "teacher")
    assert upload(other, tess_set, png_with_exif()).status_code == 404
    assert other.get(f"/teach/sets/{tess_set}/images").status_code == 404
    assert stored(app) == (0, 0)


def test_upload_needs_the_csrf_token(make_app, login_as):
    app = make_app(WTF_CSRF_ENABLED=True)
    from tests.conftest import sign_in_without_password
    from tests.web.teach_support import user_id

    client = app.test_client()
    login_as("tess", "teacher")
    set_id = make_set(app, "tess", "Maps")
    sign_in_without_password(app, client, user_id(app, "tess"))
    assert upload(client, set_id, png_with_exif()).status_code == 400
    assert stored(app) == (0, 0)


def assign(app, teacher, student, set_id):
    created = teacher.post("/teach/classes/new", data={"name": "Geography"})
    class_id = int(re.search(r"/teach/classes/(\d+)", created.headers["Location"]).group(1))
    with app.app_context():
        code = db.session.get(SchoolClass, class_id).join_code
    assert student.post("/classes/", data={"code": code}).status_code == 302
    assigned = teacher.post(
        f"/teach/classes/{class_id}/assignments/new",
        data={
            "set_id": set_id,
            "opens_at": "2020-01-01T08:00",
            "due_at": "",
            "attempt_limit": "",
            "time_limit_minutes": "",
            "feedback_mode": "end",
        },
    )
    assert assigned.status_code == 302, assigned.get_data(as_text=True)[:500]


def test_only_who_may_see_the_set_sees_its_images(app, client, login_as, teacher, tess_set):
    upload(teacher, tess_set, png_with_exif())
    url = f"/media/{only_media_name(app)}"
    student, stranger = login_as("ana"), login_as("ben")
    other_teacher, admin = login_as("tom", "teacher"), login_as("root", "admin")
    for outsider in (client, student, stranger, other_teacher):
        assert outsider.get(url).status_code == 404
    assert admin.get(url).status_code == 200  # administrators open every teacher's set
    assert client.get("/media/" + "0" * 64 + ".png").status_code == 404
    assert teacher.get("/media/../../etc/passwd").status_code == 404

    assign(app, teacher, student, tess_set)
    assert student.get(url).status_code == 200
    assert stranger.get(url).status_code == 404


def test_the_image_is_shown_in_the_students_quiz(app, login_as, teacher, tess_set):
    upload(teacher, tess_set, png_with_exif())
    name = only_media_name(app)
    with app.app_context():
        from models import Item

        item = db.session.scalar(select(Item).where(Item.set_id == tess_set))
        item.prompt += f"\n\n![A green square](/media/{name})"
        db.session.commit()
    student = login_as("ana")
    assign(app, teacher, student, tess_set)
    classes = student.get("/classes/").get_data(as_text=True)
    start = re.search(r'action="(/classes/assignments/\d+/start)"', classes).group(1)
    page = student.get(student.post(start).headers["Location"], follow_redirects=True)
    assert f'<img src="/media/{name}" alt="A green square"' in page.get_data(as_text=True)


def test_the_result_keeps_the_image_after_the_assignment_is_removed(
    app, login_as, teacher, tess_set
):
    upload(teacher, tess_set, png_with_exif())
    name = only_media_name(app)
    with app.app_context():
        from models import Assignment, Item

        item = db.session.scalar(select(Item).where(Item.set_id == tess_set))
        item.prompt += f"\n\n![A green square](/media/{name})"
        db.session.commit()
    student = login_as("ana")
    assign(app, teacher, student, tess_set)
    classes = student.get("/classes/").get_data(as_text=True)
    start = re.search(r'action="(/classes/assignments/\d+/start)"', classes).group(1)
    attempt_url = student.post(start).headers["Location"]
    attempt_id = re.search(r"/attempts/(\d+)", attempt_url).group(1)
    assert student.post(f"/quiz/attempts/{attempt_id}/submit").status_code == 302
    with app.app_context():
        assignment_id = db.session.scalar(select(Assignment.id))
    removed = teacher.post(f"/teach/assignments/{assignment_id}/delete")
    assert removed.status_code == 302

    result = student.get(f"/quiz/attempts/{attempt_id}/result").get_data(as_text=True)
    assert f'<img src="/media/{name}" alt="A green square"' in result
    assert student.get(f"/media/{name}").status_code == 200  # the attempt showed it
    assert login_as("ben").get(f"/media/{name}").status_code == 404


def test_the_editor_says_an_outside_image_will_not_show(app, teacher, login_as, tess_set):
    page = teacher.post(
        f"/teach/sets/{tess_set}/items/new/truefalse",
        data={
            "prompt": "A map: ![Map of Korea](https://example.com/map.png)",
            "answer": "true",
            "difficulty": "0.5",
        },
        follow_redirects=True,
    )
    text = page.get_data(as_text=True)
    assert "Added item 2." in text
    assert "The image https://example.com/map.png is on another site, so students will not" in text
    preview = teacher.get(f"/teach/sets/{tess_set}/preview").get_data(as_text=True)
    assert '<span class="image-alt">Map of Korea</span>' in preview
    assert "example.com" not in preview
    own = editor_post(teacher, tess_set, png_with_exif(), alt="A flag")
    assert "another site" not in teacher.get(own.headers["Location"]).get_data(as_text=True)


def test_json_export_carries_the_image_and_another_teacher_imports_it(app, login_as, teacher):
    from tests.web.test_teach_import import token_of

    set_id = make_set(app, "tess", "Maps", [SAMPLE_ITEMS["truefalse"]])
    upload(teacher, set_id, png_with_exif())
    name = only_media_name(app)
    with app.app_context():
        from models import Item

        item = db.session.scalar(select(Item).where(Item.set_id == set_id))
        item.prompt += f"\n\n![A green square](/media/{name})"
        db.session.commit()
    exported = teacher.get(f"/teach/sets/{set_id}/export/json")
    document = exported.get_json(force=True)
    [carried] = document["media"]
    assert (carried["name"], carried["type"]) == (name, "image/png")

    tom = login_as("tom", "teacher")
    assert tom.get(f"/media/{name}").status_code == 404
    page = tom.post(
        "/teach/import",
        data={"file": (io.BytesIO(exported.data), "maps.json"), "format": "auto", "target": "0"},
        content_type="multipart/form-data",
    ).get_data(as_text=True)
    confirmed = tom.post("/teach/import/confirm", data={"token": token_of(page)})
    assert confirmed.status_code == 302
    assert stored(app) == (1, 2)  # one file, used by both teachers' sets
    assert tom.get(f"/media/{name}").status_code == 200


def test_json_export_leaves_out_a_file_the_teacher_may_not_see(app, login_as, teacher):
    other = login_as("tom", "teacher")
    other_set = make_set(app, "tom", "Tom's")
    upload(other, other_set, png_with_exif())
    name = only_media_name(app)
    set_id = make_set(
        app, "tess", "Maps", [SAMPLE_ITEMS["truefalse"] | {"prompt": f"![x](/media/{name}) ok?"}]
    )
    document = teacher.get(f"/teach/sets/{set_id}/export/json").get_json(force=True)
    assert "media" not in document


def test_the_set_page_says_which_formats_leave_images_behind(app, teacher):
    item = SAMPLE_ITEMS["truefalse"] | {"prompt": f"![x](/media/{'a' * 64}.png) ok?"}
    set_id = make_set(app, "tess", "Maps", [SAMPLE_ITEMS["short"], item])
    page = teacher.get(f"/teach/sets/{set_id}").get_data(as_text=True)
    assert "1 of 2 items show an image (item 2 first): GIFT files hold text only" in page
    assert 'id="export-note-csv"' in page and 'id="export-note-json"' not in page


def editor_post(client, set_id, image=None, alt=""):
    fields = {"prompt": "The flag is green.", "answer": "true", "difficulty": "0.5"}
    fields["image_alt"] = alt
    if image is not None:
        fields["image"] = (io.BytesIO(image), "flag.png")
    return client.post(
        f"/teach/sets/{set_id}/items/new/truefalse", data=fields, content_type="multipart/form-data"
    )


def test_the_editor_uploads_an_image_with_the_item(app, teacher, tess_set):
    response = editor_post(teacher, tess_set, png_with_exif(), alt="A green flag")
    assert response.status_code == 302
    name = only_media_name(app)
    with app.app_context():
        from models import Item

        prompts = db.session.scalars(select(Item.prompt).where(Item.set_id == tess_set)).all()
    assert prompts[-1] == f"The flag is green.\n\n![A green flag](/media/{name})"
    assert stored(app) == (1, 1)


@pytest.mark.parametrize(
    ("image", "alt", "message"),
    [
        (png_with_exif(), "", "Write the alt text: what the image shows"),
        (b"GIF89a broken", "A flag", "could not be read"),
    ],
    ids=["no-alt", "broken"],
)
def test_the_editor_keeps_nothing_when_the_image_is_refused(
    app, teacher, tess_set, image, alt, message
):
    response = editor_post(teacher, tess_set, image, alt=alt)
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert stored(app) == (0, 0)
    with app.app_context():
        from models import Item

        assert (
            db.session.scalar(select(func.count()).select_from(Item).where(Item.set_id == tess_set))
            == 1
        )


def test_a_signed_in_live_player_sees_the_sets_images(app, login_as, teacher, tess_set):
    from models import LivePlayer, LiveSession

    upload(teacher, tess_set, png_with_exif())
    url = f"/media/{only_media_name(app)}"
    player = login_as("ana")
    assert player.get(url).status_code == 404
    with app.app_context():
        from tests.web.teach_support import user_id

        live = LiveSession(
            teacher_id=user_id(app, "tess"),
            set_id=tess_set,
            title="Round",
            pin="123456",
            seconds_per_question=20,
            seed=1,
        )
        db.session.add(live)
        db.session.flush()
        db.session.add(LivePlayer(session_id=live.id, user_id=user_id(app, "ana"), nickname="Ana"))
        db.session.commit()
    assert player.get(url).status_code == 200


def test_uploads_count_against_the_import_limit(make_app):
    from tests.conftest import sign_in_without_password
    from tests.web.teach_support import user_id

    app = make_app(RATELIMIT_ENABLED=True, IMPORT_RATE_LIMIT="2 per hour")
    with app.app_context():
        from models import Role, User

        db.session.add(User(username="tess", role=Role.TEACHER, password_hash="x"))
        db.session.commit()
    client = app.test_client()
    sign_in_without_password(app, client, user_id(app, "tess"))
    set_id = make_set(app, "tess", "Maps")
    assert upload(client, set_id, png_with_exif()).status_code == 302
    assert upload(client, set_id, png_with_exif()).status_code == 302
    assert upload(client, set_id, png_with_exif()).status_code == 429
    refused = editor_post(client, set_id, png_with_exif(), alt="A flag")
    assert "Too many uploads in a short time" in refused.get_data(as_text=True)
    assert editor_post(client, set_id).status_code == 302  # without an image it saves


def test_a_duplicated_set_and_a_pasted_line_keep_the_image_for_their_students(
    app, login_as, teacher, tess_set
):
    upload(teacher, tess_set, png_with_exif())
    name = only_media_name(app)
    line = f"![A green square](/media/{name})"
    other_set = make_set(app, "tess", "Week 2", [], SetStatus.PUBLISHED)
    pasted = editor_post(teacher, other_set)  # a new item, then its line pasted in
    assert pasted.status_code == 302
    with app.app_context():
        from models import Item

        item_id = db.session.scalar(select(Item.id).where(Item.set_id == other_set))
    edited = teacher.post(
        f"/teach/sets/{other_set}/items/{item_id}",
        data={"prompt": f"The square is green.\n\n{line}", "answer": "true", "difficulty": "0.5"},
    )
    assert edited.status_code == 302
    student = login_as("ana")
    assign(app, teacher, student, other_set)
    assert student.get(f"/media/{name}").status_code == 200

    copied = teacher.post(f"/teach/sets/{other_set}/duplicate", data={"once": "x1"})
    assert copied.status_code == 302
    copy_id = int(re.search(r"/teach/sets/(\d+)", copied.headers["Location"]).group(1))
    with app.app_context():
        uses = db.session.scalars(select(MediaUse.set_id)).all()
    assert sorted(uses) == sorted([tess_set, other_set, copy_id])
