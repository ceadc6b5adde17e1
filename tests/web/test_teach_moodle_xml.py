"""Moodle XML through the app: the import page takes .xml (preview, then confirm), bad files
get a message and write nothing, `flask sets import FILE.xml --dry-run` lists each question
and what is not carried, and the set export offers Moodle XML that reads back the same."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from lxml import etree
from sqlalchemy import select

from models import Item, MediaFile, MediaUse, QuestionSet, db
from tests.web.teach_support import SAMPLE_ITEMS, item_ids, make_set, set_items, text_of

MOODLE_XML = Path(__file__).resolve().parents[1] / "data" / "moodle_xml"


@pytest.fixture
def teacher(login_as):
    return login_as("teacher1", "teacher")


@pytest.fixture
def owner(create_user):
    create_user("teacher1", "teacher")


def upload(client, filename: str, content: bytes):
    form = {"file": (io.BytesIO(content), filename), "format": "auto", "target": "0"}
    return client.post("/teach/import", data=form, content_type="multipart/form-data")


def token_of(page: str) -> str | None:
    match = re.search(r'<input id="token" name="token" type="hidden" value="([^"]+)">', page)
    return match.group(1) if match else None


def without_keys(items: list[dict]) -> list[dict]:
    return [{k: v for k, v in item.items() if k != "key"} for item in items]


def counts(app) -> tuple[int, int]:
    with app.app_context():
        return (
            db.session.scalar(select(db.func.count(QuestionSet.id))),
            db.session.scalar(select(db.func.count(Item.id))),
        )


def test_the_import_page_offers_moodle_xml(app, teacher):
    page = teacher.get("/teach/import").data.decode()
    assert ".xml" in page and "Moodle XML" in text_of(page)


def test_moodles_file_previews_then_imports_on_confirm(app, teacher):
    response = upload(
        teacher, "moodle.xml", (MOODLE_XML / "xmlformat_test_questions.xml").read_bytes()
    )
    assert response.status_code == 200
    page = response.data.decode()
    text = text_of(page)
    assert "Nothing is saved yet. Confirming will add 7 items" in text
    assert "A description" in text  # left out, and named
    assert "the catch-all answer '*' is not carried" in text
    assert counts(app) == (0, 0)  # the preview writes nothing

    response = teacher.post("/teach/import/confirm", data={"token": token_of(page)})
    assert response.status_code == 302
    set_id = int(response.headers["Location"].rsplit("/", 1)[1])
    items = set_items(app, set_id)
    assert [item["type"] for item in items] == [
        "essay",
        "matching",
        "multi",
        "numeric",
        "short",
        "truefalse",
        "cloze",
    ]
    assert items[1]["data"]["distractors"] == ["d"]
    assert items[1]["topics"] == ["tagMatching", "tagTest"]


def test_moodles_categories_become_topics_of_the_imported_items(app, teacher):
    page = upload(
        teacher, "nested.xml", (MOODLE_XML / "nested_categories_with_questions.xml").read_bytes()
    ).data.decode()
    response = teacher.post("/teach/import/confirm", data={"token": token_of(page)})
    set_id = int(response.headers["Location"].rsplit("/", 1)[1])
    assert [item["topics"] for item in set_items(app, set_id)] == [
        ["Iota"],
        ["Iota/Kappa"],
        ["Iota/Kappa"],
        ["Iota/Kappa/Lambda"],
        ["Iota/Mu"],
    ]


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE quiz [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>
<quiz><question type="truefalse"><name><text>&b;</text></name></question></quiz>
"""


@pytest.mark.parametrize(
    ("filename", "content", "message"),
    [
        (
            "broken.xml",
            (MOODLE_XML / "broken_cloze_questions.xml").read_bytes(),
            "Line 52: blank 1 has no answer worth 100%",
        ),
        ("laughs.xml", BILLION_LAUGHS, "Line 2: the file declares a DTD or entities"),
        (
            "page.xml",
            b"<html><body>hello</body></html>",
            "it starts with <html>, Moodle's starts with <quiz>",
        ),
        (
            "cut.xml",
            b"<quiz><question type='truefalse'>",
            "Line 1: the file is not well-formed XML",
        ),
    ],
    ids=["moodles-broken-cloze", "billion-laughs", "not-moodle", "cut-short"],
)
def test_bad_moodle_files_get_a_message_and_write_nothing(app, teacher, filename, content, message):
    page = upload(teacher, filename, content).data.decode()
    assert message in text_of(page)
    assert token_of(page) is None
    assert counts(app) == (0, 0)


def test_an_xml_file_named_txt_is_read_as_moodle_xml(app, teacher):
    content = (MOODLE_XML / "nested_categories_with_questions.xml").read_bytes()
    page = upload(teacher, "export.txt", content).data.decode()
    assert "Confirming will add 5 items" in text_of(page)


# -- the command line -----------------------------------------------------------------------


def test_cli_dry_run_lists_each_question_and_what_is_not_carried(app, runner, owner, tmp_path):
    path = tmp_path / "questions.xml"
    path.write_bytes((MOODLE_XML / "xmlformat_test_questions.xml").read_bytes())
    result = runner.invoke(args=["sets", "import", str(path), "--owner", "teacher1", "--dry-run"])
    assert result.exit_code == 0, result.output
    output = result.output
    assert "questions.xml: read as Moodle XML." in output
    assert "left out, line 6: “A description”: a description is text without a question" in output
    # Each question: number, line, type, Moodle's name, first words; its notes under it.
    assert "  4. line 176   numeric   “Numerical question”: What is the answer?\n" in output
    numeric_notes = output.split("“Numerical question”")[1].split("  5. ")[0]
    assert "note: the catch-all answer '*' is not carried" in numeric_notes
    assert (
        "7. line 273   cloze     “Simple multianswer”: Complete this opening line of verse: "
        '"The {1} and the {2}'
    ) in output
    assert "Dry run: would add 7 items to a new set “questions”. Nothing written." in output
    assert counts(app) == (0, 0)


@pytest.mark.parametrize(
    ("name", "listed"),
    [
        # Moodle: "Importing 2 questions from file" (import_export.feature)
        (
            "truefalse.xml",
            [
                "1. line 12    truefalse “Moodle acronym (False)”: ",
                "2. line 40    truefalse “Moodle acronym (True)”: ",
            ],
        ),
        # Moodle: "Importing 1 questions from file"
        ("multichoice.xml", ["1. line 12    single    “Greeting”: "]),
        # qformat_xml_import_export_test.php: each question in its category
        ("category_with_description.xml", ["1. line 15    truefalse “Alpha Question”: "]),
        ("deprecated_category.xml", ["1. line 14    truefalse “Alpha Question”: "]),
        ("nested_categories.xml", ["1. line 37    truefalse “Zeta Question”: "]),
        (
            "old_format_file.xml",
            [
                "1. line 11    truefalse “Pi Question”: ",
                "2. line 46    truefalse “Rho Question”: ",
            ],
        ),
        (
            "categories_reverse_order.xml",
            [
                "1. line 14    essay     “Tau Question”: ",
                "2. line 51    short     “Sigma Question”: ",
            ],
        ),
    ],
)
def test_cli_dry_run_reads_moodles_fixtures_with_moodles_counts(
    app, runner, owner, tmp_path, name, listed
):
    path = tmp_path / name
    path.write_bytes((MOODLE_XML / name).read_bytes())
    result = runner.invoke(args=["sets", "import", str(path), "--owner", "teacher1", "--dry-run"])
    assert result.exit_code == 0, result.output
    numbered = [line for line in result.output.splitlines() if re.match(r"\s+\d+\. line", line)]
    assert [line.strip()[: len(start)] for line, start in zip(numbered, listed, strict=True)] == (
        listed
    )
    stem = name.removesuffix(".xml")
    assert f"Dry run: would add {len(listed)} items to a new set “{stem}”." in result.output
    assert counts(app) == (0, 0)


def test_cli_imports_into_a_set_named_after_the_file(app, runner, owner, tmp_path):
    path = tmp_path / "Week 3.xml"
    path.write_bytes((MOODLE_XML / "multianswer.xml").read_bytes())
    result = runner.invoke(args=["sets", "import", str(path), "--owner", "teacher1"])
    assert result.exit_code == 0, result.output
    assert "note: the image california-state-flag.png is not carried" in result.output
    assert "Imported 1 item into set 1 “Week 3” of teacher1." in result.output
    assert counts(app) == (1, 1)


def test_cli_refuses_moodles_broken_file_writing_nothing(app, runner, owner, tmp_path):
    path = tmp_path / "broken.xml"
    path.write_bytes((MOODLE_XML / "broken_cloze_questions.xml").read_bytes())
    result = runner.invoke(args=["sets", "import", str(path), "--owner", "teacher1"])
    assert result.exit_code == 1
    assert "error, line 36: blank 1 is a menu with fewer than 2 choices" in result.output
    assert "5 problem(s) in broken.xml; nothing was imported." in result.output
    assert counts(app) == (0, 0)


# -- export ---------------------------------------------------------------------------------


def test_the_set_page_offers_moodle_xml_and_it_downloads(app, teacher):
    set_id = make_set(app, "teacher1", title="Week 1: UN & DPRK", items=list(SAMPLE_ITEMS.values()))
    page = teacher.get(f"/teach/sets/{set_id}").data.decode()
    assert f"/teach/sets/{set_id}/export/moodle" in page
    response = teacher.get(f"/teach/sets/{set_id}/export/moodle")
    assert response.status_code == 200
    assert response.mimetype == "application/xml"
    assert response.headers["Content-Disposition"] == 'attachment; filename="week-1-un-dprk.xml"'
    root = etree.fromstring(response.data, etree.XMLParser(resolve_entities=False, no_network=True))
    assert root.tag == "quiz"


def test_moodle_xml_export_reimports_as_the_same_items(app, teacher):
    set_id = make_set(app, "teacher1", items=list(SAMPLE_ITEMS.values()))
    exported = teacher.get(f"/teach/sets/{set_id}/export/moodle").data
    page = upload(teacher, "week.xml", exported).data.decode()
    response = teacher.post("/teach/import/confirm", data={"token": token_of(page)})
    new_id = int(response.headers["Location"].rsplit("/", 1)[1])
    # Keys are unique per teacher: the copy gets new ones, everything else is equal.
    assert without_keys(set_items(app, new_id)) == without_keys(set_items(app, set_id))


def test_another_teachers_set_cannot_be_exported(app, teacher, create_user):
    create_user("teacher2", "teacher")
    set_id = make_set(app, "teacher2", items=[SAMPLE_ITEMS["single"]])
    assert teacher.get(f"/teach/sets/{set_id}/export/moodle").status_code == 404


# -- images ---------------------------------------------------------------------------------


def media_files(app) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(MediaFile.name)))


def test_an_embedded_image_is_stored_for_the_set_and_shown_from_the_media_store(
    app, teacher, client
):
    page = upload(teacher, "cloze.xml", (MOODLE_XML / "multianswer.xml").read_bytes())
    page = page.data.decode()
    assert media_files(app) == []  # the preview stores nothing
    response = teacher.post("/teach/import/confirm", data={"token": token_of(page)})
    set_id = int(response.headers["Location"].rsplit("/", 1)[1])
    [name] = media_files(app)
    [item] = set_items(app, set_id)
    assert f'<img src="/media/{name}" alt="Moodle logo"' in item["explanation"]
    assert "@@PLUGINFILE@@" not in str(item)
    image = teacher.get(f"/media/{name}")
    assert image.status_code == 200 and image.mimetype == "image/png"
    assert client.get(f"/media/{name}").status_code == 404  # a draft set's image: not public
    with app.app_context():
        [use] = db.session.scalars(select(MediaUse)).all()
        assert use.set_id == set_id and use.original_name == "moodle.png"


def test_a_set_with_a_stored_image_exports_it_and_reads_back_the_same(app, teacher):
    page = upload(teacher, "cloze.xml", (MOODLE_XML / "multianswer.xml").read_bytes())
    response = teacher.post("/teach/import/confirm", data={"token": token_of(page.data.decode())})
    set_id = int(response.headers["Location"].rsplit("/", 1)[1])
    [name] = media_files(app)
    exported = teacher.get(f"/teach/sets/{set_id}/export/moodle").data
    root = etree.fromstring(exported, etree.XMLParser(resolve_entities=False, no_network=True))
    [file] = root.xpath("//generalfeedback/file")
    assert file.get("name") == name
    assert f"@@PLUGINFILE@@/{name}" in root.xpath("string(//generalfeedback/text)")

    page = upload(teacher, "again.xml", exported).data.decode()
    response = teacher.post("/teach/import/confirm", data={"token": token_of(page)})
    new_id = int(response.headers["Location"].rsplit("/", 1)[1])
    assert media_files(app) == [name]  # the same picture, stored once
    assert without_keys(set_items(app, new_id)) == without_keys(set_items(app, set_id))


def test_script_in_a_moodle_file_is_never_run_on_the_pages(app, teacher):
    payload = (
        b'<quiz><question type="multichoice"><name><text>X</text></name>'
        b'<questiontext format="html"><text><![CDATA[<p>Pick<script>alert(1)</script>'
        b'<img src="x" onerror="alert(2)" alt="pic"></p>]]></text></questiontext>'
        b'<generalfeedback format="html"><text><![CDATA[<a href="javascript:alert(3)">see</a>]]>'
        b"</text></generalfeedback><single>true</single>"
        b'<answer fraction="100" format="html"><text><![CDATA[<b onmouseover="alert(4)">A</b>]]>'
        b'</text><feedback format="html"><text><![CDATA[<script>alert(5)</script>ok]]></text>'
        b'</feedback></answer><answer fraction="0"><text>B</text></answer>'
        b'<answer fraction="0"><text>C</text></answer></question></quiz>'
    )
    preview = upload(teacher, "x.xml", payload).data.decode()
    response = teacher.post("/teach/import/confirm", data={"token": token_of(preview)})
    set_id = int(response.headers["Location"].rsplit("/", 1)[1])
    [item_id] = item_ids(app, set_id)
    edit_page = teacher.get(f"/teach/sets/{set_id}/items/{item_id}")
    assert edit_page.status_code == 200
    edit = edit_page.data.decode()
    for page in (preview, teacher.get(f"/teach/sets/{set_id}").data.decode(), edit):
        assert "<script>alert" not in page  # escaped or removed, never a script element
        # No tag carries an event handler or a javascript: link (escaped text may show them).
        assert re.search(r"<[^>]*\son(error|mouseover)\s*=", page, re.IGNORECASE) is None
        assert re.search(r"<a\b[^>]*href=[\"']?javascript:", page, re.IGNORECASE) is None
