"""Images in QTI 2.1 and Common Cartridge packages: a stored image an item shows travels in
the zip (the same bytes), the manifest lists it, the item points at it from where the
package's readers look (QTI: a relative <img src>; CC: HTML naming $IMS-CC-FILEBASE$), its
alt text is kept, and every file still validates against the 1EdTech schemas and their
rules. An image the package does not hold is written as its alt text, with a note."""

from __future__ import annotations

import hashlib
import io
import posixpath
import zipfile
from datetime import UTC, datetime

import pytest
from lxml import etree
from PIL import Image as PILImage

from quizzes.domain.interop import common_cartridge, qti
from quizzes.domain.interop.common_cartridge import to_common_cartridge
from quizzes.domain.interop.package_media import Image, alt_text, pieces
from quizzes.domain.interop.qti_package import MANIFEST, to_qti_package
from tests.domain.interop.test_interop_qti import (
    CC_ASSESSMENT,
    CC_MANIFEST,
    QTI_ITEM,
    QTI_MANIFEST,
    item,
)
from tests.schemas import problems, rule_problems

NOW = datetime(2026, 12, 7, 9, 30, tzinfo=UTC)
QTI = {"q": qti.NAMESPACE}
CC = {"q": common_cartridge.QTI_NAMESPACE}
CP_QTI = {"cp": "http://www.imsglobal.org/xsd/imscp_v1p1"}
CP_CC = {"cp": common_cartridge.CP_NAMESPACE}
# $IMS-CC-FILEBASE$ stands for the folder of the file that holds the link (as Moodle reads
# and writes it; Canvas also finds the file from there).
ASSESSMENT_FOLDER = posixpath.dirname(common_cartridge.ASSESSMENT_FILE)


def png(colour: str) -> bytes:
    out = io.BytesIO()
    PILImage.new("RGB", (6, 4), colour).save(out, "PNG")
    return out.getvalue()


RED, BLUE = png("red"), png("blue")
RED_NAME = hashlib.sha256(RED).hexdigest() + ".png"
BLUE_NAME = hashlib.sha256(BLUE).hexdigest() + ".png"
GONE_NAME = "0" * 64 + ".png"  # shown by an item, not in the package
IMAGES = {RED_NAME: RED, BLUE_NAME: BLUE}


def illustrated() -> list[dict]:
    """Items showing images where the editor puts them (the end of the question), in an
    option, and in an explanation as HTML (a Moodle import keeps its <img>)."""
    single = item(
        "single",
        prompt=f"Who is this?\n\n![Tae Yong-ho at the UN, 2016](/media/{RED_NAME})",
        explanation=f'The photo: <img src="/media/{BLUE_NAME}" alt="Embassy &amp; flag">.',
    )
    single["data"]["options"][0]["text"] = f"![a red flag](/media/{RED_NAME}) Deputy ambassador"
    truefalse = item("truefalse", prompt=f"![Map of Korea](/media/{BLUE_NAME}) Is this Seoul?")
    essay = item("essay", prompt=f"Describe ![the chart](/media/{GONE_NAME}) in your words.")
    return [single, truefalse, essay]


def zip_of(content: bytes) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(content))


def test_markdown_and_html_images_are_found_with_their_alt_text():
    text = (
        f'a ![Red & "flag"](/media/{RED_NAME} "title") b '
        f"<img alt='Blue &amp; white' src='/media/{BLUE_NAME}' width=\"5\"> c "
        '![outside](https://example.org/x.png) <img src="/static/logo.png" alt="logo">'
    )
    assert list(pieces(text)) == [
        "a ",
        Image(RED_NAME, 'Red & "flag"'),
        " b ",
        Image(BLUE_NAME, "Blue & white"),
        ' c ![outside](https://example.org/x.png) <img src="/static/logo.png" alt="logo">',
    ]
    assert alt_text(text).startswith('a Red & "flag" b Blue & white c ![outside]')


def test_a_qti_package_carries_each_image_its_items_show():
    content, issues = to_qti_package({"title": "Maps"}, illustrated(), NOW, IMAGES)
    archive = zip_of(content)
    # The files themselves, once each, with the bytes that were stored.
    assert archive.read(f"media/{RED_NAME}") == RED
    assert archive.read(f"media/{BLUE_NAME}") == BLUE
    assert f"media/{GONE_NAME}" not in archive.namelist()
    manifest = etree.fromstring(archive.read(MANIFEST))
    listed = {
        r.get("identifier"): [f.get("href") for f in r.iterfind("cp:file", CP_QTI)]
        for r in manifest.iterfind(".//cp:resource", CP_QTI)
    }
    assert listed["item0001"] == ["items/item0001.xml", f"media/{RED_NAME}", f"media/{BLUE_NAME}"]
    assert listed["item0002"] == ["items/item0002.xml", f"media/{BLUE_NAME}"]
    assert listed["item0003"] == ["items/item0003.xml"]
    # Each <img> names a file of the zip from where its item file is, with the alt text.
    shown = []
    for number in (1, 2, 3):
        path = f"items/item{number:04d}.xml"
        root = etree.fromstring(archive.read(path))
        for img in root.iter(f"{{{qti.NAMESPACE}}}img"):
            target = posixpath.normpath(posixpath.join(posixpath.dirname(path), img.get("src")))
            assert target in archive.namelist() and target in listed[f"item{number:04d}"]
            shown.append((number, img.getparent().tag.split("}")[1], img.get("alt")))
    assert shown == [
        (1, "prompt", "Tae Yong-ho at the UN, 2016"),
        (1, "simpleChoice", "a red flag"),
        (1, "modalFeedback", "Embassy & flag"),
        (2, "prompt", "Map of Korea"),
    ]
    single = etree.fromstring(archive.read("items/item0001.xml"))
    choice = single.find(".//q:simpleChoice", QTI)
    assert choice.find("q:img", QTI).tail == " Deputy ambassador"
    assert single.get("title") == "Who is this? Tae Yong-ho at the UN, 2016"
    # The image the package cannot hold: its alt text, and a note (the item is kept).
    essay = archive.read("items/item0003.xml").decode()
    assert "Describe the chart in your words." in essay
    assert [(i.index, i.dropped) for i in issues] == [(2, False)]
    assert issues[0].message.startswith(f"the image {GONE_NAME} is not in the package")
    # Nothing points back at this site.
    assert all(
        b"/media/" not in archive.read(n).replace(b"../media/", b"")
        for n in archive.namelist()
        if n.endswith(".xml")
    )


def test_a_qti_package_with_images_still_validates():
    content, _ = to_qti_package({"title": "Maps"}, illustrated(), NOW, IMAGES)
    archive = zip_of(content)
    for name in archive.namelist():
        if name.startswith("items/"):
            assert problems(QTI_ITEM, archive.read(name)) == [], name
            assert rule_problems(QTI_ITEM, archive.read(name)) == [], name
    assert problems(QTI_MANIFEST, archive.read(MANIFEST)) == []


def test_a_cartridge_carries_each_image_as_web_content_the_assessment_depends_on():
    content, issues = to_common_cartridge({"title": "Maps"}, illustrated(), NOW, IMAGES)
    archive = zip_of(content)
    assert archive.read(f"media/{RED_NAME}") == RED
    assert archive.read(f"media/{BLUE_NAME}") == BLUE
    assert f"media/{GONE_NAME}" not in archive.namelist()
    manifest = etree.fromstring(archive.read(common_cartridge.MANIFEST))
    resources = {r.get("identifier"): r for r in manifest.iterfind(".//cp:resource", CP_CC)}
    web = {
        r.get("href"): [f.get("href") for f in r.iterfind("cp:file", CP_CC)]
        for r in resources.values()
        if r.get("type") == "webcontent"
    }
    assert web == {
        f"media/{RED_NAME}": [f"media/{RED_NAME}"],
        f"media/{BLUE_NAME}": [f"media/{BLUE_NAME}"],
    }
    test = resources["assessment1"]
    assert [f.get("href") for f in test.iterfind("cp:file", CP_CC)] == [
        common_cartridge.ASSESSMENT_FILE
    ]
    depends = {d.get("identifierref") for d in test.iterfind("cp:dependency", CP_CC)}
    assert {resources[d].get("href") for d in depends} == set(web)
    # The texts that show an image become HTML whose <img> names the file through the
    # token (the folder of the assessment file), with the alt text.
    root = etree.fromstring(archive.read(common_cartridge.ASSESSMENT_FILE))
    html_texts = [
        m.text
        for m in root.iter(f"{{{common_cartridge.QTI_NAMESPACE}}}mattext")
        if m.get("texttype") == "text/html"
    ]
    images = []
    for text in html_texts:
        fragment = etree.fromstring(f"<div>{text}</div>")
        for img in fragment.iter("img"):
            src = img.get("src")
            assert src.startswith("$IMS-CC-FILEBASE$")
            base = posixpath.dirname(common_cartridge.ASSESSMENT_FILE)
            target = posixpath.normpath(posixpath.join(base, src.removeprefix("$IMS-CC-FILEBASE$")))
            assert target in web
            images.append(img.get("alt"))
    # In the file's order: item 1's prompt, option and feedback, then item 2's prompt.
    assert images == ["Tae Yong-ho at the UN, 2016", "a red flag", "Embassy & flag", "Map of Korea"]
    prompt = html_texts[0]
    assert prompt.startswith("Who is this?<br />")
    # Text without an image stays plain; the image it cannot hold is its alt text.
    plain = [
        m.text
        for m in root.iter(f"{{{common_cartridge.QTI_NAMESPACE}}}mattext")
        if m.get("texttype") == "text/plain"
    ]
    assert "Ambassador" in plain
    assert any(t.startswith("Describe the chart in your words.") for t in plain)
    assert [(i.index, i.dropped) for i in issues] == [(2, False)]


def test_a_cartridge_with_images_still_validates_with_its_rules():
    content, _ = to_common_cartridge({"title": "Maps"}, illustrated(), NOW, IMAGES)
    archive = zip_of(content)
    manifest = archive.read(common_cartridge.MANIFEST)
    assert problems(CC_MANIFEST, manifest) == [] and rule_problems(CC_MANIFEST, manifest) == []
    assessment = archive.read(common_cartridge.ASSESSMENT_FILE)
    assert problems(CC_ASSESSMENT, assessment) == []
    assert rule_problems(CC_ASSESSMENT, assessment) == []


@pytest.mark.parametrize("writer", [to_qti_package, to_common_cartridge])
def test_without_the_files_every_image_is_its_alt_text_and_no_media_folder(writer):
    content, issues = writer({"title": "Maps"}, illustrated(), NOW)
    archive = zip_of(content)
    assert not [n for n in archive.namelist() if n.startswith("media/")]
    text = b"".join(archive.read(n) for n in archive.namelist()).decode()
    assert "/media/" not in text and "<img" not in text and "&lt;img" not in text
    assert "Tae Yong-ho at the UN, 2016" in text and "Embassy &amp; flag" in text
    assert sorted({i.index for i in issues}) == [0, 1, 2]


def test_a_long_alt_text_is_cut_to_what_qti_holds():
    long_alt = "A" * 300  # the media store allows 300; QTI's alt is a string256
    items = [item("truefalse", prompt=f"![{long_alt}](/media/{RED_NAME}) True?")]
    archive = zip_of(to_qti_package({"title": "Maps"}, items, NOW, IMAGES)[0])
    document = archive.read("items/item0001.xml")
    assert problems(QTI_ITEM, document) == []
    img = etree.fromstring(document).find(".//q:img", QTI)
    assert img.get("alt") == "A" * 256
