"""Reading decks from other apps: Anki packages (legacy and current) and text/CSV files."""

from __future__ import annotations

import io
import zipfile

import anki.collection  # noqa: F401  (before other anki modules, as anki requires)
import genanki
import pytest
from anki.collection import Collection, DeckIdLimit
from anki.import_export_pb2 import ExportAnkiPackageOptions

from quizzes.domain.interop.cards import (
    MAX_COLLECTION_BYTES,
    ImportedCard,
    Problem,
    field_text,
    new_cards,
    read_card_file,
)

BASIC = genanki.Model(
    1_111,
    "Basic",
    fields=[{"name": "Front"}, {"name": "Back"}],
    templates=[{"name": "Card 1", "qfmt": "{{Front}}", "afmt": "{{Back}}"}],
)
CLOZE = genanki.Model(
    2_222,
    "Cloze",
    fields=[{"name": "Text"}, {"name": "Back Extra"}],
    templates=[{"name": "Cloze", "qfmt": "{{cloze:Text}}", "afmt": "{{cloze:Text}}"}],
    model_type=genanki.Model.CLOZE,
)


def legacy_apkg(tmp_path, notes: list[genanki.Note]) -> bytes:
    deck = genanki.Deck(3_333, "Korean")
    for note in notes:
        deck.add_note(note)
    path = tmp_path / "legacy.apkg"
    genanki.Package(deck).write_to_file(str(path))
    return path.read_bytes()


def test_legacy_package_basic_and_cloze_notes_with_html_tags_and_media(tmp_path):
    data = legacy_apkg(
        tmp_path,
        [
            genanki.Note(BASIC, ["Seoul &amp; <b>Busan</b>", "two<br>cities<div>in Korea</div>"]),
            genanki.Note(CLOZE, ["The war began in {{c1::1950}}.", "<i>June</i>"], tags=["war"]),
            genanki.Note(BASIC, ['<img src="flag.png">', "[sound:anthem.mp3]"]),
            genanki.Note(BASIC, ['Flag <img src="f.png">', "Taegukgi"], tags=["flag", "symbols"]),
            genanki.Note(CLOZE, ["No blank here", ""]),
            genanki.Note(BASIC, ["Empty back", ""]),
            genanki.Note(BASIC, ["Which flag is this?", '<img src="taegukgi.png">']),
        ],
    )
    result = read_card_file("korean.apkg", data)
    assert result.ok
    assert result.format_name == "Anki package"
    assert result.cards == [
        # Formatting is kept through the allow-list (issue 19); a card side is Markdown,
        # where a line break (Anki's <br> or line <div>) is a new line.
        ImportedCard("basic", "Seoul &amp; <b>Busan</b>", "two\ncities\nin Korea", where="note 1"),
        ImportedCard(
            "cloze", "The war began in {{c1::1950}}.", "<i>June</i>", "", ("war",), False, "note 2"
        ),
        ImportedCard("basic", "Flag", "Taegukgi", "", ("flag", "symbols"), where="note 4"),
    ]
    assert result.skipped == [
        Problem("note 3", "it shows only images or sounds"),
        Problem("note 5", "it is a cloze note without a {{c1::…}} blank"),
        Problem("note 6", "its second field (the back) is empty"),
        Problem("note 7", "its second field (the back) shows only an image or a sound"),
    ]
    assert result.media_fields == 4


def test_current_anki_package_reads_anki21b_not_the_stub(tmp_path):
    col = Collection(str(tmp_path / "made.anki2"))
    basic = col.models.by_name("Basic")
    cloze = col.models.by_name("Cloze")
    deck_id = col.decks.id("Hanja")
    note = col.new_note(basic)
    note["Front"], note["Back"] = "水", "water<br>(mul)"
    note.tags = ["hanja"]
    col.add_note(note, deck_id)
    note = col.new_note(cloze)
    note["Text"] = "{{c1::山}} means mountain"
    col.add_note(note, deck_id)
    path = tmp_path / "current.apkg"
    col.export_anki_package(
        out_path=str(path),
        options=ExportAnkiPackageOptions(legacy=False, with_scheduling=False, with_media=False),
        limit=DeckIdLimit(deck_id),
    )
    col.close()
    data = path.read_bytes()
    assert "collection.anki21b" in zipfile.ZipFile(io.BytesIO(data)).namelist()
    result = read_card_file("current.apkg", data)
    assert result.ok, result.errors
    assert result.cards == [
        ImportedCard("basic", "水", "water\n(mul)", "", ("hanja",), where="note 1"),
        ImportedCard("cloze", "{{c1::山}} means mountain", "", where="note 2"),
    ]


def zip_of(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return out.getvalue()


def test_a_zip_that_is_not_anki_is_refused():
    result = read_card_file("notes.apkg", zip_of({"word/document.xml": b"<w/>"}))
    assert [str(e) for e in result.errors] == [
        "This zip file is not an Anki package: it holds no Anki collection. In Anki, use "
        "File › Export with the format “Anki Deck Package (*.apkg)”."
    ]


def test_a_zip_bomb_is_refused_before_it_is_unpacked():
    bomb = zip_of({"collection.anki2": b"\x00" * (MAX_COLLECTION_BYTES + 1)})
    assert len(bomb) < 200_000
    result = read_card_file("bomb.apkg", bomb)
    assert [str(e) for e in result.errors] == [
        "The Anki collection in this package unpacks to more than 64 MB, more than Quizdeck "
        "reads. Export a smaller deck, without its scheduling and media."
    ]


def test_a_damaged_collection_is_refused():
    result = read_card_file("x.apkg", zip_of({"collection.anki2": b"SQLite format 3\x00junk"}))
    assert [str(e) for e in result.errors] == [
        "The Anki collection in this package is damaged. Export it again."
    ]


def test_an_apkg_that_is_not_a_zip_is_refused():
    result = read_card_file("deck.apkg", b"hello")
    assert not result.ok
    assert str(result.errors[0]).startswith("“deck.apkg” is not a complete Anki package")


def test_tab_separated_lines_without_header():
    result = read_card_file("quizlet.txt", "안녕\thello\n\n감사합니다\tthank you\n".encode())
    assert result.format_name == "tab-separated text"
    assert result.cards == [
        ImportedCard("basic", "안녕", "hello", where="line 1"),
        ImportedCard("basic", "감사합니다", "thank you", where="line 3"),
    ]


def test_comma_separated_with_a_header_and_quotes():
    data = b'term,definition\r\n"Seoul, the capital",capital\r\nBusan,port\r\n'
    result = read_card_file("cards.csv", data)
    assert result.format_name == "comma-separated text"
    assert [(c.front, c.back, c.where) for c in result.cards] == [
        ("Seoul, the capital", "capital", "line 2"),
        ("Busan", "port", "line 3"),
    ]


def test_anki_text_export_headers_html_and_tags_column():
    data = (
        "#separator:tab\n#html:true\n#tags column:3\n"
        "Seoul<br>서울\tcapital &amp; largest\tgeo city\n"
        "{{c1::Busan}} is a port\t\tgeo\n"
    ).encode()
    result = read_card_file("anki.txt", data)
    assert result.ok, result.errors
    assert result.cards == [
        ImportedCard(
            "basic", "Seoul\n서울", "capital & largest", "", ("geo", "city"), False, "line 4"
        ),
        ImportedCard("cloze", "{{c1::Busan}} is a port", "", "", ("geo",), where="line 5"),
    ]


def test_lines_without_a_back_are_errors_naming_the_line():
    result = read_card_file("bad.txt", b"one\tuno\ntwo\nthree\ttres\n")
    assert [str(e) for e in result.errors] == [
        "Line 2: there is no back. Put the front, a tab (or a comma), then the back on each line"
    ]


def test_a_side_too_long_is_an_error():
    result = read_card_file("long.txt", b"front\t" + b"x" * 4001 + b"\n")
    assert [str(e) for e in result.errors] == [
        "Line 1: the back has 4,001 characters; a card side has at most 4,000"
    ]


def test_binary_that_is_not_a_zip_is_refused():
    result = read_card_file("photo.png", b"\x89PNG\r\n\x1a\n\x00\x00")
    assert str(result.errors[0]).startswith("“photo.png” holds binary data, not text.")


def test_quizdeck_csv_reversed_rows_and_formula_cells():
    data = (
        b"id,kind,front,back,extra,context,sources,tags,cloze\r\n"
        b'card:1,basic,\'=1+1,two,,,Maths book,"sums, easy",\r\n'
        b'card:1:reversed,reversed,two,\'=1+1,,,Maths book,"sums, easy",\r\n'
        b"card:2,cloze,The war began in ___.,The war began in 1950.,June,,,,"
        b"The war began in {{c1::1950}}.\r\n"
    )
    result = read_card_file("deck.csv", data)
    assert result.format_name == "Quizdeck CSV"
    assert result.cards == [
        ImportedCard("basic", "=1+1", "two", "Maths book", ("sums", "easy"), True, "line 2"),
        ImportedCard("cloze", "The war began in {{c1::1950}}.", "June", where="line 4"),
    ]


def test_quizdeck_csv_unknown_kind_is_an_error():
    data = b"id,kind,front,back,extra,context,sources,tags,cloze\nx,poem,a,b,,,,,\n"
    assert [str(e) for e in read_card_file("d.csv", data).errors] == [
        "Line 2: the kind \u201cpoem\u201d is not basic, reversed or cloze"
    ]


@pytest.mark.parametrize(
    ("html", "text"),
    [
        ("a<br/>b", "a\nb"),
        ("<div>a</div><div>b</div>", "a\nb"),
        ("x &lt;y&gt; &nbsp;z", "x <y>  z"),
        ("<script>alert(1)</script>ok", "ok"),
        ("<span style='color:red'>red</span> [sound:a.mp3]", "red"),
    ],
)
def test_field_text(html, text):
    assert field_text(html) == text


def test_new_cards_leaves_out_those_the_deck_has_and_repeats_in_the_file():
    result = read_card_file("x.txt", b"a\tb\nc\td\na\tb\n")
    kept, repeats = new_cards(result, [("c", "d")])
    assert [c.where for c in kept] == ["line 1"]
    assert [c.where for c in repeats] == ["line 2", "line 3"]


def test_a_package_with_only_the_update_anki_stub_is_explained(tmp_path):
    stub = "Please update to the latest Anki version, then import the .colpkg/.apkg file again."
    data = legacy_apkg(tmp_path, [genanki.Note(BASIC, [stub, ""])])
    assert [str(e) for e in read_card_file("new.apkg", data).errors] == [
        "This package holds only Anki's note asking to update Anki. Export the deck again "
        "with “Support older Anki versions” ticked, or upload it as a text file."
    ]


def test_a_damaged_anki21b_is_refused():
    result = read_card_file("x.apkg", zip_of({"collection.anki21b": b"not zstd at all"}))
    assert [str(e) for e in result.errors] == [
        "The Anki package is damaged. Export it from Anki again."
    ]
