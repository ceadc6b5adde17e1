"""Teachers' everyday files over HTTP: a Quizlet export (both separators, both item
choices) previewed with the choices shown, then imported on confirm; spreadsheets in the
encodings Excel saves on Windows read with the encoding named; bad input changes nothing."""

from __future__ import annotations

import codecs

import pytest

from tests.web.teach_support import set_items, text_of
from tests.web.test_teach_import import count_items, count_sets, token_of, upload

ROWS = [
    ("Seoul", "Capital of South Korea"),
    ("Havana", "Capital of Cuba"),
    ("Geneva", "Seat of the Human Rights Council"),
    ("London", "Where Tae Yong-ho served"),
]


@pytest.fixture
def teacher(login_as):
    return login_as("teacher1", "teacher")


def quizlet(term_sep: str, row_sep: str) -> str:
    return row_sep.join(f"{t}{term_sep}{d}" for t, d in ROWS)


def confirm(client, page: str) -> int:
    response = client.post("/teach/import/confirm", data={"token": token_of(page)})
    assert response.status_code == 302
    return int(response.headers["Location"].rsplit("/", 1)[1])


@pytest.mark.parametrize(
    ("term_sep", "row_sep", "fields", "said"),
    [
        ("\t", "\n", {}, "separated by a tab; rows by a new line"),
        (
            ",",
            ";",
            {"quizlet_terms": "comma", "quizlet_rows": "semicolon"},
            "separated by a comma; rows by a semicolon",
        ),
        (
            " - ",
            " // ",
            {
                "quizlet_terms": "custom",
                "quizlet_terms_custom": " - ",
                "quizlet_rows": "custom",
                "quizlet_rows_custom": " // ",
            },
            "separated by “ - ”; rows by “ // ”",
        ),
    ],
)
@pytest.mark.parametrize("as_type", ["short", "single"])
def test_a_quizlet_export_previews_its_choices_then_imports(
    app, teacher, term_sep, row_sep, fields, said, as_type
):
    response = upload(
        teacher,
        "biology.txt",
        quizlet(term_sep, row_sep),
        format="quizlet",
        quizlet_items=as_type,
        **fields,
    )
    page = response.data.decode()
    text = text_of(page)
    assert "read as Quizlet export" in text
    assert said in text
    kind = "Short answer" if as_type == "short" else "Single choice"
    assert f"Each row becomes: {kind}" in text
    assert "Confirming will add 4 items" in text
    assert count_items(app) == 0

    items = set_items(app, confirm(teacher, page))
    assert [item["prompt"] for item in items] == [d for _, d in ROWS]
    assert {item["type"] for item in items} == {as_type}
    if as_type == "short":
        assert [i["data"]["answers"][0]["text"] for i in items] == [t for t, _ in ROWS]
    else:
        for item, (term, _) in zip(items, ROWS, strict=True):
            right = [o["text"] for o in item["data"]["options"] if o["correct"]]
            assert right == [term] and len(item["data"]["options"]) == 4


def test_a_custom_separator_left_empty_is_asked_for(app, teacher):
    response = upload(
        teacher,
        "b.txt",
        quizlet("\t", "\n"),
        format="quizlet",
        quizlet_terms="custom",
        quizlet_terms_custom="",
    )
    assert "Type the separator chosen in Quizlet" in text_of(response.data.decode())
    assert count_sets(app) == 0


def test_a_quizlet_file_without_separators_is_a_message_and_nothing_is_saved(app, teacher):
    response = upload(teacher, "b.txt", "Seoul Capital\nHavana Cuba", format="quizlet")
    text = text_of(response.data.decode())
    assert "no separator between term and definition found" in text
    assert "Nothing was saved" in text and 'name="token"' not in response.data.decode()
    assert count_sets(app) == 0 and count_items(app) == 0


CSV = "type,prompt,answer\r\ntruefalse,Le café est noir.,true\r\nshort,Capitale (€) ?,Séoul\r\n"


@pytest.mark.parametrize(
    ("filename", "data", "encoding"),
    [
        ("q.csv", CSV.encode("cp1252"), "Windows-1252 (Western European)"),
        ("q.csv", CSV.replace(",", ";").encode("cp1252"), "Windows-1252 (Western European)"),
        ("q.csv", codecs.BOM_UTF8 + CSV.encode("utf-8"), "UTF-8"),  # "CSV UTF-8"
        # "Unicode Text": UTF-16 little-endian with its mark, tab-separated, as .txt
        ("q.txt", codecs.BOM_UTF16_LE + CSV.replace(",", "\t").encode("utf-16-le"), "UTF-16"),
    ],
    ids=["cp1252-comma", "cp1252-semicolon", "utf8-bom", "utf16-unicode-text"],
)
def test_spreadsheets_as_excel_saves_them_are_read_and_the_encoding_named(
    app, teacher, filename, data, encoding
):
    page = upload(teacher, filename, data).data.decode()
    text = text_of(page)
    assert "read as CSV" in text
    assert f"Text encoding: {encoding}." in text
    items = set_items(app, confirm(teacher, page))
    assert [i["prompt"] for i in items] == ["Le café est noir.", "Capitale (€) ?"]
    assert items[1]["data"]["answers"][0]["text"] == "Séoul"


def test_a_spreadsheet_in_no_encoding_read_here_changes_nothing(app, teacher):
    data = b"type,prompt,answer\nshort,\x81\x8d\x8f\x90\x9d,x\n"
    text = text_of(upload(teacher, "q.csv", data).data.decode())
    assert "is not UTF-8 text" in text and "Nothing was saved" in text
    assert count_sets(app) == 0
