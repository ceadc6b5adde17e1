"""Exporting sets: every format downloads, JSON round-trips exactly, GIFT and CSV read back
as the same items, Aiken says what it cannot hold, and Anki imports the .apkg."""

from __future__ import annotations

import io
import os
import re
import zipfile

import pytest
from sqlalchemy import select

from app import create_app
from models import Item, QuestionSet, Role, User, db
from tests.conftest import password_hash
from tests.web.teach_support import SAMPLE_ITEMS, make_set, set_items, text_of

ALL_TYPES = [SAMPLE_ITEMS[t] for t in sorted(SAMPLE_ITEMS)]


@pytest.fixture
def teacher(login_as):
    return login_as("teacher1", "teacher")


def _without_keys(items):
    return [{k: v for k, v in item.items() if k != "key"} for item in items]


def _reimport(client, filename: str, content: bytes, fmt: str = "auto") -> int:
    form = {"file": (io.BytesIO(content), filename), "format": fmt, "target": "0"}
    page = client.post("/teach/import", data=form, content_type="multipart/form-data")
    page = page.data.decode()
    match = re.search(r'<input id="token" name="token" type="hidden" value="([^"]+)">', page)
    assert match, text_of(page)[:2000]
    response = client.post("/teach/import/confirm", data={"token": match.group(1)})
    return int(response.headers["Location"].rsplit("/", 1)[1])


@pytest.mark.parametrize(
    ("fmt", "mimetype", "filename"),
    [
        ("gift", "text/plain; charset=utf-8", "week-1-un-dprk.gift"),
        ("csv", "text/csv; charset=utf-8", "week-1-un-dprk.csv"),
        ("json", "application/json", "week-1-un-dprk.json"),
        ("apkg", "application/octet-stream", "week-1-un-dprk.apkg"),
    ],
)
def test_each_format_downloads_as_a_file(app, teacher, fmt, mimetype, filename):
    set_id = make_set(app, "teacher1", title="Week 1: UN & DPRK", items=ALL_TYPES)
    response = teacher.get(f"/teach/sets/{set_id}/export/{fmt}")
    assert response.status_code == 200
    assert response.mimetype == mimetype.split(";")[0]
    assert response.headers["Content-Disposition"] == f'attachment; filename="{filename}"'
    assert len(response.data) > 100


@pytest.mark.parametrize(
    ("fmt", "content_type"),
    [
        ("gift", "text/plain; charset=utf-8"),
        ("aiken", "text/plain; charset=utf-8"),
        ("csv", "text/csv; charset=utf-8"),
        ("json", "application/json"),
    ],
)
def test_text_downloads_name_their_charset_once(app, teacher, fmt, content_type):
    set_id = make_set(app, "teacher1", items=[i for i in ALL_TYPES if i["type"] == "single"])
    response = teacher.get(f"/teach/sets/{set_id}/export/{fmt}")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == content_type


def test_unknown_export_format_is_404(app, teacher):
    set_id = make_set(app, "teacher1", items=ALL_TYPES)
    assert teacher.get(f"/teach/sets/{set_id}/export/docx").status_code == 404


def test_json_round_trips_exactly(app, teacher, tmp_path):
    set_id = make_set(app, "teacher1", title="Week 1", items=ALL_TYPES)
    with app.app_context():
        from models import QuestionSet

        db.session.get(QuestionSet, set_id).description = "Sources: *Korea Times*"
        db.session.commit()
    first = teacher.get(f"/teach/sets/{set_id}/export/json").data

    # Into a fresh site: every field, keys included, comes back; the export is identical.
    fresh = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "other",
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": False,
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'fresh.sqlite'}",
        }
    )
    with fresh.app_context():
        db.create_all()
        db.session.add(User(username="t9", role=Role.TEACHER, password_hash=password_hash()))
        db.session.commit()
    client = fresh.test_client()
    client.post("/auth/login", data={"username": "t9", "password": "correct horse battery"})
    new_id = _reimport(client, "week.json", first)
    second = client.get(f"/teach/sets/{new_id}/export/json").data
    assert second == first
    with fresh.app_context():
        db.engine.dispose()

    # Into the same site: the keys are taken, so only they change.
    copy_id = _reimport(teacher, "week.json", first)
    assert _without_keys(set_items(app, copy_id)) == _without_keys(set_items(app, set_id))


def test_gift_export_reimports_as_the_same_items(app, teacher):
    items = [
        SAMPLE_ITEMS[t] for t in ("single", "multi", "truefalse", "short", "numeric", "matching")
    ]
    set_id = make_set(app, "teacher1", items=items)
    exported = teacher.get(f"/teach/sets/{set_id}/export/gift").data
    new_id = _reimport(teacher, "week.gift", exported)
    assert _without_keys(set_items(app, new_id)) == _without_keys(set_items(app, set_id))


def test_gift_leaves_out_what_it_cannot_hold_and_says_so(app, teacher):
    set_id = make_set(app, "teacher1", items=ALL_TYPES)
    page = text_of(teacher.get(f"/teach/sets/{set_id}").data.decode())
    assert (
        "2 of 8 items cannot be written as GIFT and are left out (item 1: GIFT has one blank "
        "per question; this cloze has 2)." in page
    )
    assert "authored." not in page  # no internal keys in what teachers read
    exported = teacher.get(f"/teach/sets/{set_id}/export/gift").data.decode()
    assert "Put these in order" not in exported
    assert "Which post did Tae Yong-ho hold" in exported


def test_csv_export_reimports_as_the_same_items(app, teacher):
    set_id = make_set(app, "teacher1", items=ALL_TYPES)
    exported = teacher.get(f"/teach/sets/{set_id}/export/csv").data
    assert exported.startswith("\ufefftype,".encode()) or exported.startswith(b"\xef\xbb\xbf")
    new_id = _reimport(teacher, "week.csv", exported)
    assert _without_keys(set_items(app, new_id)) == _without_keys(set_items(app, set_id))


def test_aiken_writes_single_choice_only(app, teacher):
    set_id = make_set(app, "teacher1", items=[SAMPLE_ITEMS["single"], SAMPLE_ITEMS["short"]])
    exported = teacher.get(f"/teach/sets/{set_id}/export/aiken").data.decode()
    assert exported.startswith("Which post did Tae Yong-ho hold when he defected?\nA")
    assert "ANSWER: " in exported and "Human Rights Council" not in exported

    only_short = make_set(app, "teacher1", items=[SAMPLE_ITEMS["short"]])
    response = teacher.get(f"/teach/sets/{only_short}/export/aiken", follow_redirects=True)
    assert (
        "None of the items can be written as Aiken: Aiken holds single-choice questions "
        "only, not short-answer ones." in text_of(response.data.decode())
    )


@pytest.fixture
def built_bank(app, runner):
    assert runner.invoke(args=["bank", "build", "--quiet"]).exit_code == 0


def _romanised_bank_short_answer(app) -> tuple[int, int]:
    """(bank set id, item id) of a generated short answer that folds romanisations."""
    with app.app_context():
        shorts = db.session.scalars(
            select(Item)
            .join(QuestionSet, Item.set_id == QuestionSet.id)
            .where(QuestionSet.owner_id.is_(None), Item.type == "short")
            .order_by(Item.id)
        )
        item = next(item for item in shorts if item.data.get("romanised") is True)
        return item.set_id, item.id


def test_a_copied_bank_short_answer_exports_to_every_format(app, teacher, built_bank):
    bank_id, item_id = _romanised_bank_short_answer(app)
    set_id = make_set(app, "teacher1", title="Mine", items=[SAMPLE_ITEMS["single"]])
    response = teacher.post(f"/teach/bank/{bank_id}", data={"items": [item_id], "target": set_id})
    assert response.status_code == 302
    copied = set_items(app, set_id)
    assert copied[1]["data"]["romanised"] is True

    page = text_of(teacher.get(f"/teach/sets/{set_id}").data.decode())
    assert "cannot be written as GIFT" not in page
    assert (
        "1 of 2 items cannot be written as Aiken and are left out (item 2: Aiken holds "
        "single-choice questions only, not short-answer ones)." in page
    )
    for fmt in ("gift", "aiken", "csv", "json", "apkg"):
        response = teacher.get(f"/teach/sets/{set_id}/export/{fmt}")
        assert response.status_code == 200, fmt
    for fmt in ("gift", "csv", "json"):
        exported = teacher.get(f"/teach/sets/{set_id}/export/{fmt}").data
        new_id = _reimport(teacher, f"mine.{fmt}", exported)
        assert _without_keys(set_items(app, new_id)) == _without_keys(copied), fmt


def test_apkg_imports_into_anki_and_updates_on_reexport(app, teacher, tmp_path):
    set_id = make_set(app, "teacher1", title="Week 1", items=ALL_TYPES)
    path = tmp_path / "week.apkg"
    path.write_bytes(teacher.get(f"/teach/sets/{set_id}/export/apkg").data)

    import anki.collection  # noqa: F401  (before anki.scheduler, as Anki requires)
    from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest

    collection = Collection(str(tmp_path / "collection.anki2"))
    try:
        request = ImportAnkiPackageRequest(
            package_path=str(path), options=ImportAnkiPackageOptions(with_scheduling=False)
        )
        first = collection.import_anki_package(request)
        assert len(first.log.new) == 8
        assert collection.note_count() == 8
        assert collection.card_count() == 9  # the cloze has two blanks: two cards
        names = {collection.get_note(n).note_type()["name"] for n in collection.find_notes("")}
        assert names == {"Quizdeck Basic", "Quizdeck Cloze"}
        [cloze] = collection.find_notes('"note:Quizdeck Cloze"')
        assert collection.get_note(cloze).fields[0] == (
            "<p>Fill in the blanks.</p><p>The cables were released by the Ministry of "
            "{{c1::Unification}} in {{c2::2024}}.</p>"
        )
        assert "Week 1" in [deck.name for deck in collection.decks.all_names_and_ids()]
        # A later export has the same note ids: Anki updates instead of duplicating.
        path.write_bytes(teacher.get(f"/teach/sets/{set_id}/export/apkg").data)
        again = collection.import_anki_package(request)
        assert len(again.log.new) == 0 and collection.note_count() == 8
    finally:
        collection.close()
    assert os.path.exists(tmp_path / "collection.anki2")


def test_apkg_fields_carry_no_script(app, teacher, tmp_path):
    hostile = SAMPLE_ITEMS["single"] | {
        "prompt": "Q <script>alert(1)</script><img src=x onerror=alert(1)>",
        "explanation": "<script>alert(2)</script>ok",
    }
    set_id = make_set(app, "teacher1", items=[hostile])
    data = teacher.get(f"/teach/sets/{set_id}/export/apkg").data
    import sqlite3
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        (tmp_path / "c.anki2").write_bytes(archive.read("collection.anki2"))
    connection = sqlite3.connect(tmp_path / "c.anki2")
    try:
        [(fields,)] = connection.execute("select flds from notes").fetchall()
    finally:
        connection.close()
    assert "<script" not in fields and "onerror" not in fields
    # An image from anywhere but the app's media path is dropped (issue 15, finding 8).
    assert "<img" not in fields and "ok" in fields


# -- the command line -------------------------------------------------------------------------


def test_cli_exports_every_format(app, runner, create_user, tmp_path):
    create_user("teacher1", "teacher")
    set_id = make_set(app, "teacher1", title="Week 1", items=ALL_TYPES)
    for fmt in ("gift", "aiken", "csv", "apkg", "json"):
        out = tmp_path / f"out.{fmt}"
        result = runner.invoke(
            args=["sets", "export", str(set_id), "--format", fmt, "-o", str(out)]
        )
        assert result.exit_code == 0, result.output
        assert out.stat().st_size > 0
    result = runner.invoke(
        args=["sets", "export", str(set_id), "--format", "aiken", "-o", str(tmp_path / "a.txt")]
    )
    assert "Wrote 1 of 8 items" in result.output
    assert "left out: item 2" in result.output


def test_cli_export_then_import_json_is_exact(app, runner, create_user, tmp_path):
    create_user("teacher1", "teacher")
    set_id = make_set(app, "teacher1", title="Week 1", items=ALL_TYPES)
    first = tmp_path / "first.json"
    runner.invoke(args=["sets", "export", str(set_id), "--format", "json", "-o", str(first)])
    with app.app_context():
        from models import QuestionSet

        db.session.delete(db.session.get(QuestionSet, set_id))
        db.session.commit()
    result = runner.invoke(args=["sets", "import", str(first), "--owner", "teacher1"])
    assert result.exit_code == 0, result.output
    new_id = int(re.search(r"into set (\d+)", result.output).group(1))
    second = tmp_path / "second.json"
    runner.invoke(args=["sets", "export", str(new_id), "--format", "json", "-o", str(second)])
    assert second.read_bytes() == first.read_bytes()


def test_cli_export_of_a_missing_set(runner, tmp_path):
    result = runner.invoke(
        args=["sets", "export", "99", "--format", "json", "-o", str(tmp_path / "x")]
    )
    assert result.exit_code == 1 and "There is no set 99." in result.output


def test_the_anki_export_is_stamped_by_the_server_clock(app, teacher, tmp_path, monkeypatch):
    """The export asks the one clock (QUIZDECK_NOW in tests) for the notes' change time."""
    import sqlite3
    import zipfile
    from datetime import UTC, datetime

    moment = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)
    monkeypatch.setitem(app.config, "QUIZDECK_NOW", lambda: moment)
    set_id = make_set(app, "teacher1", items=[SAMPLE_ITEMS["single"]])
    data = teacher.get(f"/teach/sets/{set_id}/export/apkg").data
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        (tmp_path / "c.anki2").write_bytes(archive.read("collection.anki2"))
    connection = sqlite3.connect(tmp_path / "c.anki2")
    try:
        [(changed,)] = connection.execute("select mod from notes").fetchall()
    finally:
        connection.close()
    assert changed == int(moment.timestamp())


@pytest.mark.parametrize(("fmt", "extension"), [("qti", "zip"), ("cc", "imscc")])
def test_lms_packages_download_as_zips_that_validate(app, teacher, fmt, extension):
    from tests.schemas import problems

    set_id = make_set(app, "teacher1", title="Week 1: UN & DPRK", items=ALL_TYPES)
    response = teacher.get(f"/teach/sets/{set_id}/export/{fmt}")
    assert response.status_code == 200
    assert response.mimetype == "application/zip"
    disposition = f'attachment; filename="week-1-un-dprk.{extension}"'
    assert response.headers["Content-Disposition"] == disposition
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    manifest = (
        "cc13/ccv1p3_imscp_v1p2_v1p0.xsd" if fmt == "cc" else "qti21/qtiv2p1_imscpv1p2_v1p0.xsd"
    )
    assert problems(manifest, archive.read("imsmanifest.xml")) == []
    if fmt == "qti":
        items = [name for name in archive.namelist() if name.startswith("items/")]
        assert len(items) == len(ALL_TYPES)
        for name in items:
            assert problems("qti21/imsqti_v2p1p2.xsd", archive.read(name)) == []


def test_the_set_page_says_what_common_cartridge_leaves_out(app, teacher):
    set_id = make_set(app, "teacher1", items=ALL_TYPES)
    page = text_of(teacher.get(f"/teach/sets/{set_id}").data.decode())
    assert "Common Cartridge 1.3" in page and "QTI 2.1 package" in page
    assert "cannot be written as Common Cartridge 1.3 and are left out" in page


def test_another_teacher_cannot_export_a_set_as_a_package(app, login_as):
    set_id = make_set(app, "teacher1", items=ALL_TYPES)
    other = login_as("teacher2", "teacher")
    assert other.get(f"/teach/sets/{set_id}/export/qti").status_code == 404
    assert other.get(f"/teach/sets/{set_id}/export/cc").status_code == 404
