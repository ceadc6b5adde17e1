"""A set's images in the QTI 2.1 and Common Cartridge downloads: the teacher's own stored
image travels in the zip with the bytes the media store holds, and a file the teacher may
not see stays out (its alt text is written, as every export that carries media does)."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from sqlalchemy import select

from models import Item, MediaFile, db
from tests.schemas import problems, rule_problems
from tests.web.teach_support import SAMPLE_ITEMS, make_set
from tests.web.test_media import only_media_name, png_with_exif, upload

SCHEMAS = {
    "qti": ("qti21/qtiv2p1_imscpv1p2_v1p0.xsd", "qti21/imsqti_v2p1p2.xsd"),
    "cc": ("cc13/ccv1p3_imscp_v1p2_v1p0.xsd", "cc11/ccv1p1_qtiasiv1p2p1_v1p0.xsd"),
}


@pytest.fixture
def teacher(login_as):
    return login_as("tess", "teacher")


def show_in_prompt(app, set_id: int, line: str) -> None:
    with app.app_context():
        item = db.session.scalar(select(Item).where(Item.set_id == set_id))
        item.prompt += f"\n\n{line}"
        db.session.commit()


def stored_bytes(app, name: str) -> bytes:
    with app.app_context():
        return db.session.scalar(select(MediaFile.data).where(MediaFile.name == name))


def xml_files(archive: zipfile.ZipFile) -> dict[str, bytes]:
    return {n: archive.read(n) for n in archive.namelist() if n.endswith(".xml")}


@pytest.mark.parametrize("fmt", ["qti", "cc"])
def test_a_package_carries_the_sets_stored_image(app, teacher, fmt):
    set_id = make_set(app, "tess", "Maps", [SAMPLE_ITEMS["truefalse"]])
    upload(teacher, set_id, png_with_exif())
    name = only_media_name(app)
    show_in_prompt(app, set_id, f"![A green square](/media/{name})")
    response = teacher.get(f"/teach/sets/{set_id}/export/{fmt}")
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    # The cleaned file the store serves, not the upload (its EXIF and trailing bytes gone).
    assert archive.read(f"media/{name}") == stored_bytes(app, name)
    assert b"GPS-SECRET" not in response.data
    files = xml_files(archive)
    assert f"media/{name}".encode() in files["imsmanifest.xml"]
    assert any(b"A green square" in content for content in files.values())
    manifest_schema, content_schema = SCHEMAS[fmt]
    assert problems(manifest_schema, files.pop("imsmanifest.xml")) == []
    for path, content in files.items():  # QTI's items and test, or CC's assessment
        assert problems(content_schema, content) == [], path
        assert rule_problems(content_schema, content) == [], path


@pytest.mark.parametrize("fmt", ["qti", "cc"])
def test_a_package_leaves_out_an_image_the_teacher_may_not_see(app, login_as, teacher, fmt):
    other = login_as("tom", "teacher")
    upload(other, make_set(app, "tom", "Tom's"), png_with_exif())
    name = only_media_name(app)
    item = SAMPLE_ITEMS["truefalse"] | {"prompt": f"![Tom's square](/media/{name}) True?"}
    set_id = make_set(app, "tess", "Maps", [item])
    response = teacher.get(f"/teach/sets/{set_id}/export/{fmt}")
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    assert not [n for n in archive.namelist() if n.startswith("media/")]
    text = b"".join(xml_files(archive).values())
    assert b"Tom&apos;s square True?" in text or b"Tom's square True?" in text
    assert name.encode() not in text


@pytest.mark.parametrize("fmt", ["qti", "cc"])
def test_the_command_line_export_notes_an_image_it_could_not_put_in(
    app, runner, teacher, tmp_path, fmt
):
    missing = "0" * 64 + ".png"  # shown by the item, stored nowhere
    item = SAMPLE_ITEMS["truefalse"] | {"prompt": f"![A lost map](/media/{missing}) True?"}
    set_id = make_set(app, "tess", "Maps", [item])
    out = str(tmp_path / f"maps.{fmt}")
    result = runner.invoke(args=["sets", "export", str(set_id), "--format", fmt, "-o", out])
    assert result.exit_code == 0, result.output
    assert re.search(
        rf"note: item 1 \([^)]*\): the image {missing} is not in the package", result.output
    )
    assert "Wrote 1 of 1 items" in result.output
    archive = zipfile.ZipFile(out)
    text = b"".join(xml_files(archive).values())
    assert b"A lost map True?" in text and missing.encode() not in text
