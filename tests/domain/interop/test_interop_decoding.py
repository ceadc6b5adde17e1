"""One decoding for every text import (issue 15, finding 7): the same bytes read the same
way for cards, question sets and fact files, and the encoding is named."""

from __future__ import annotations

import codecs

import pytest

from quizzes.domain.interop import from_aiken, from_csv, from_gift
from quizzes.domain.interop.card_text import from_card_text
from quizzes.domain.interop.decoding import DecodedText, Undecodable, decode_upload
from quizzes.teach.transfer import choose_format, read_import

CAFE = "café, naïve, €5"


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (CAFE.encode("utf-8"), "UTF-8"),
        (codecs.BOM_UTF8 + CAFE.encode("utf-8"), "UTF-8"),
        (CAFE.encode("utf-16"), "UTF-16"),  # with its byte-order mark
        (codecs.BOM_UTF16_BE + CAFE.encode("utf-16-be"), "UTF-16"),
        (CAFE.encode("cp1252"), "Windows-1252 (Western European)"),
    ],
    ids=["utf8", "utf8-bom", "utf16-le", "utf16-be", "cp1252"],
)
def test_text_in_the_encodings_files_are_saved_in_is_read(data, encoding):
    assert decode_upload(data) == DecodedText(CAFE, encoding)


def test_korean_in_cp949_is_read():
    text = "김정은 위원장\t조선노동당\n평양\t수도\n"
    assert decode_upload(text.encode("cp949")) == DecodedText(text, "CP949 (Korean)")


def test_bytes_no_encoding_reads_are_refused_naming_the_line():
    with pytest.raises(Undecodable) as refused:
        decode_upload(b"fine\nQ\x81\x8d\x8f\x90\x9d")
    assert refused.value.line == 2
    assert str(refused.value) == (
        "the file is not UTF-8 text (byte 0x81), nor Windows-1252 or CP949: save it as UTF-8 "
        "text and upload it again"
    )


def test_a_latin1_file_reads_the_same_as_cards_and_as_every_set_format():
    cards = from_card_text("café\tcoffee\n".encode("cp1252"))
    assert [(c.front, c.back) for c in cards.cards] == [("café", "coffee")]
    assert cards.encoding == "Windows-1252 (Western European)"
    gift = from_gift("Le café est noir. {T}\n".encode("cp1252"))
    aiken = from_aiken("Le café ?\nA. noir\nB. blanc\nANSWER: A\n".encode("cp1252"))
    csv = from_csv("type,prompt,answer\ntruefalse,Le café est noir.,true\n".encode("cp1252"))
    for result in (gift, aiken, csv):
        assert result.ok, result.errors
        assert "café" in result.items[0]["prompt"]
        assert result.encoding == "Windows-1252 (Western European)"


def test_a_utf16_set_is_recognised_by_its_text_and_read():
    data = "type,prompt,answer\ntruefalse,Le café est noir.,true\n".encode("utf-16")
    assert choose_format("questions.txt", data) == "csv"
    result = read_import(data, "csv")
    assert result.ok and result.items[0]["prompt"] == "Le café est noir."
    assert result.encoding == "UTF-16"
