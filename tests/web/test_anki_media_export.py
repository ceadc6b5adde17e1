"""A set's images go to Anki with it: the .apkg holds each stored image its items show, in
Anki's media map, and the fields name it as Anki's media folder does; a stored file the
set's owner may not see is not exported because a prompt names it."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile

import anki.collection  # noqa: F401  (before other anki modules, as anki requires)
from anki.collection import Collection, ImportAnkiPackageRequest
from anki.import_export_pb2 import ImportAnkiPackageOptions
from sqlalchemy import select

from models import Item, MediaFile, db
from tests.web.teach_support import SAMPLE_ITEMS, make_set
from tests.web.test_media import png_with_exif, upload


def test_a_sets_images_travel_in_the_anki_package(app, login_as, tmp_path):
    teacher = login_as("tess", "teacher")
    set_id = make_set(app, "tess", "Maps", [SAMPLE_ITEMS["single"]])
    assert upload(teacher, set_id, png_with_exif()).status_code == 302
    other = login_as("otto", "teacher")
    other_set = make_set(app, "otto", "Private", [SAMPLE_ITEMS["single"]])
    from PIL import Image

    private = io.BytesIO()
    Image.new("RGB", (9, 9), "red").save(private, "PNG")
    assert upload(other, other_set, private.getvalue(), label="Red").status_code == 302
    with app.app_context():
        mine, theirs = db.session.scalars(select(MediaFile).order_by(MediaFile.id)).all()
        mine_name, mine_hash, theirs_name = mine.name, mine.sha256, theirs.name
        item = db.session.scalar(select(Item).where(Item.set_id == set_id))
        item.prompt += f"\n\n![A green square](/media/{mine_name}) ![x](/media/{theirs_name})"
        db.session.commit()

    data = teacher.get(f"/teach/sets/{set_id}/export/apkg").data
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        media_map = json.loads(archive.read("media"))
        assert media_map == {"0": mine_name}  # not the other teacher's file
        assert hashlib.sha256(archive.read("0")).hexdigest() == mine_hash

    (tmp_path / "maps.apkg").write_bytes(data)
    col = Collection(str(tmp_path / "c.anki2"))
    try:
        col.import_anki_package(
            ImportAnkiPackageRequest(
                package_path=str(tmp_path / "maps.apkg"), options=ImportAnkiPackageOptions()
            )
        )
        [note_id] = col.find_notes("")
        front = col.get_note(note_id).fields[0]
        assert f'<img src="{mine_name}" alt="A green square"' in front
        stored = (tmp_path / "c.media" / mine_name).read_bytes()
        assert hashlib.sha256(stored).hexdigest() == mine_hash
    finally:
        col.close()
