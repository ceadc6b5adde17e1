"""The item-writing checker as advice to teachers: in the import preview and the editor.
It stops nothing: a flawed item is imported or saved, and the teacher reads why."""

from __future__ import annotations

import html

import pytest

from tests.web.teach_support import make_set, set_items
from tests.web.test_teach_editor import options, post
from tests.web.test_teach_import import count_items, token_of, upload

FLAWED_GIFT = (
    "Who presented the cables in Geneva? {=Ri Il-gyu ~Tae Yong-ho ~all of the above}\n\n"
    "Ri Il-gyu presented the cables in Geneva in 2024. {TRUE}\n"
)


@pytest.fixture
def teacher(login_as):
    return login_as("teacher1", "teacher")


def test_the_import_preview_lists_writing_advice_and_still_imports(app, teacher):
    page = html.unescape(upload(teacher, "week.gift", FLAWED_GIFT).get_data(as_text=True))
    assert "Item-writing advice (2)" in page
    assert "Line 1: “All/none of the above”: the option 'all of the above' is not allowed." in page
    assert (
        "Line 1: Another question gives this one away: the stem of item 2 contains "
        "'Ri Il-gyu', the answer." in page
    )
    assert "These do not stop the import" in page
    before = count_items(app)
    confirmed = teacher.post("/teach/import/confirm", data={"token": token_of(page)})
    assert confirmed.status_code == 302 and count_items(app) == before + 2


def test_a_file_without_flaws_gets_no_advice_section(teacher):
    clean = "Which city hosts the Human Rights Council? {=Geneva ~Vienna ~Nairobi}\n"
    assert "Item-writing advice" not in upload(teacher, "ok.gift", clean).get_data(as_text=True)


def test_saving_a_flawed_item_keeps_it_and_says_what_to_consider(app, teacher):
    set_id = make_set(app, "teacher1")
    fields = {"prompt": "Which of these is not a city where Tae Yong-ho served?"} | options(
        ("Tae Yong-ho", True), ("Rome", False), ("All of the above", False)
    )
    saved = post(teacher, set_id, "single", fields)
    assert saved.status_code == 302
    assert len(set_items(app, set_id)) == 1  # saved: advice never blocks
    page = html.unescape(teacher.get(saved.headers["Location"]).get_data(as_text=True))
    assert "Item-writing advice (the item is saved; change it or keep it as it is)" in page
    assert "The question gives away its answer: the answer 'Tae Yong-ho' is in the stem." in page
    assert "A negative question" in page
    # The set page lists it under the item, for as long as the item stays as it is.
    again = html.unescape(teacher.get(f"/teach/sets/{set_id}").get_data(as_text=True))
    assert "Item-writing advice for item 1" in again and "All/none of the above" in again


def test_a_sound_item_gets_no_advice(app, teacher):
    set_id = make_set(app, "teacher1")
    fields = {"prompt": "Where was Tae Yong-ho posted when he defected?"} | options(
        ("London", True), ("Rome", False), ("Havana", False)
    )
    saved = post(teacher, set_id, "single", fields)
    page = teacher.get(saved.headers["Location"]).get_data(as_text=True)
    assert "Item-writing advice" not in page


def test_the_dry_run_import_prints_the_advice(app, runner, tmp_path, teacher):
    path = tmp_path / "week.gift"
    path.write_text(FLAWED_GIFT, encoding="utf-8")
    result = runner.invoke(args=["sets", "import", str(path), "--owner", "teacher1", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "advice, line 1: “All/none of the above”" in result.output
    assert "Nothing written." in result.output


def test_advice_quoting_the_items_text_is_escaped(app, teacher):
    set_id = make_set(app, "teacher1")
    key = "<script>alert(1)</script>"
    fields = {"prompt": f"Which is {key}?"} | options((key, True), ("Rome", False), ("Oslo", False))
    saved = post(teacher, set_id, "single", fields)
    assert saved.status_code == 302
    for page in (
        teacher.get(saved.headers["Location"]).get_data(as_text=True),
        teacher.get(f"/teach/sets/{set_id}").get_data(as_text=True),
    ):
        assert "The question gives away its answer" in page
        assert "<script>alert(1)</script>" not in page
