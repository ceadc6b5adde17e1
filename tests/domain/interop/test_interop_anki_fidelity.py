"""What an Anki field, tag and note type become here (issue 19), without an app."""

from __future__ import annotations

import genanki
import pytest

from quizzes.domain.flashcards import card_look
from quizzes.domain.interop.cards import ImportedCard, new_cards, read_card_file
from quizzes.domain.safe_html import field_markdown, plain_text

REVERSED = genanki.Model(
    4_444,
    "Basic (and reversed card)",
    fields=[{"name": "Front"}, {"name": "Back"}],
    templates=[
        {"name": "Card 1", "qfmt": "{{Front}}", "afmt": "{{Back}}"},
        {"name": "Card 2", "qfmt": "{{Back}}", "afmt": "{{Front}}"},
    ],
)
OPTIONAL = genanki.Model(
    5_555,
    "Basic (optional reversed card)",
    fields=[{"name": "Front"}, {"name": "Back"}, {"name": "Add Reverse"}],
    templates=[
        {"name": "Card 1", "qfmt": "{{Front}}", "afmt": "{{Back}}"},
        {
            "name": "Card 2",
            "qfmt": "{{#Add Reverse}}{{Back}}{{/Add Reverse}}",
            "afmt": "{{Front}}",
        },
    ],
)


@pytest.mark.parametrize(
    ("field", "side"),
    [
        ("<b>bold</b> <i>it</i> <u>u</u>", "<b>bold</b> <i>it</i> <u>u</u>"),
        ("<ul><li>one</li><li>two</li></ul>", "<ul><li>one</li><li>two</li></ul>"),
        ("a<br>b<div>c</div>", "a\nb\nc"),
        ('<span style="color:red" onclick="x()">red</span>', "red"),
        ("<script>alert(1)</script>ok<style>p{}</style>", "ok"),
        ('<a href="javascript:alert(1)">x</a>', '<a rel="noopener noreferrer nofollow">x</a>'),
        ("1950. A year", "1950\\. A year"),
        ("a_b *c* [d]", "a\\_b \\*c\\* \\[d\\]"),
        ("x&nbsp;y &lt;z&gt;", "x y &lt;z&gt;"),
        ('Flag <img src="f.png"> [sound:a.mp3]', "Flag"),
        ("{{c2::2016::year}}", "{{c2::2016::year}}"),
    ],
)
def test_an_anki_field_keeps_formatting_on_the_allow_list_only(field, side):
    assert field_markdown(field) == side


def test_plain_text_reads_a_side_without_its_markup():
    assert plain_text("<b>Seoul</b><br>a\\_b &amp; 1950\\.") == "Seoul\na_b & 1950."


def test_cards_look_the_same_formatting_and_cloze_numbering_aside():
    assert card_look("cloze", "The UPR met in {{2014}}.", "") == card_look(
        "cloze", "The UPR met in {{c1::2014}}.", ""
    )
    assert card_look("basic", "**Seoul**", "a_b") == card_look("basic", "<b>Seoul</b>", "a\\_b")
    assert card_look("basic", "Seoul", "x") != card_look("basic", "Busan", "x")
    # c2 is another card than c1: the numbers are part of a cloze's look.
    assert card_look("cloze", "{{c1::a}} {{c2::b}}", "") != card_look(
        "cloze", "{{c1::a}} {{c1::b}}", ""
    )


def test_reversed_note_types_tags_and_repeats_from_a_package(tmp_path):
    deck = genanki.Deck(3_333, "Korean")
    deck.add_note(genanki.Note(REVERSED, ["水", "water"], tags=["human_rights", "hanja"]))
    deck.add_note(genanki.Note(OPTIONAL, ["山", "mountain", "y"]))
    deck.add_note(genanki.Note(OPTIONAL, ["火", "fire", ""]))
    path = tmp_path / "k.apkg"
    genanki.Package(deck).write_to_file(str(path))
    result = read_card_file("k.apkg", path.read_bytes())
    assert result.ok, result.errors
    assert result.cards == [
        ImportedCard("basic", "水", "water", "", ("human rights", "hanja"), True, "note 1"),
        ImportedCard("basic", "山", "mountain", "", (), True, "note 2"),
        ImportedCard("basic", "火", "fire", "", (), False, "note 3"),
    ]
    kept, repeats = new_cards(result, {card_look("basic", "**水**", "water")})
    assert [c.front for c in kept] == ["山", "火"] and [c.front for c in repeats] == ["水"]
