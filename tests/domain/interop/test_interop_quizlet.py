"""Quizlet's export read as a set: separators detected or given, rows into short answers
or single choices drawn from the other terms, and bad rows named by their line."""

from __future__ import annotations

from random import Random

import pytest

from quizzes.domain import limits
from quizzes.domain.interop.quizlet import from_quizlet
from quizzes.domain.itemtypes import validate_item
from quizzes.transfer.sets import choose_format, read_import

ROWS = [
    ("Seoul", "Capital of South Korea"),
    ("Pyongyang", "Capital of North Korea"),
    ("Havana", "Capital of Cuba"),
    ("London", "Capital of the United Kingdom"),
    ("Geneva", "Seat of the Human Rights Council"),
]


def export(term_sep: str = "\t", row_sep: str = "\n") -> bytes:
    return row_sep.join(f"{t}{term_sep}{d}" for t, d in ROWS).encode("utf-8")


@pytest.mark.parametrize(
    ("term_sep", "row_sep"), [("\t", "\n"), (",", ";"), ("\t", ";"), (",", "\n")]
)
def test_quizlets_own_separators_are_found(term_sep, row_sep):
    result = from_quizlet(export(term_sep, row_sep))
    assert result.ok, result.errors
    assert result.meta["separators"] == (term_sep, row_sep)
    assert [(i["prompt"], i["data"]["answers"][0]["text"]) for i in result.items] == [
        (d, t) for t, d in ROWS
    ]


def test_custom_separators_are_read_as_given():
    data = b"Seoul -- Capital of South Korea ## Havana -- Capital of Cuba ##"
    result = from_quizlet(data, term_separator="--", row_separator="##")
    assert [(i["data"]["answers"][0]["text"], i["prompt"]) for i in result.items] == [
        ("Seoul", "Capital of South Korea"),
        ("Havana", "Capital of Cuba"),
    ]


def test_single_choices_take_their_wrong_options_from_the_other_terms():
    result = from_quizlet(export(), as_type="single", rng=Random(3))
    assert result.ok
    terms = {t for t, _ in ROWS}
    for item, (term, definition) in zip(result.items, ROWS, strict=True):
        options = item["data"]["options"]
        assert item["prompt"] == definition
        assert [o["text"] for o in options if o["correct"]] == [term]
        assert len(options) == 4 and {o["text"] for o in options} <= terms
        assert validate_item(item) == []


def test_the_same_file_gives_the_same_choices_at_preview_and_confirm():
    first = read_import(export(), "quizlet", options={"as_type": "single"})
    again = read_import(export(), "quizlet", options={"as_type": "single"})
    assert first.items == again.items


def test_a_repeated_term_is_never_its_own_wrong_option():
    data = "ICC\tThe court in The Hague\nicc\tInternational Criminal Court\nUN\tUnited Nations\n"
    result = from_quizlet(data.encode(), as_type="single", rng=Random(0))
    for item in result.items:
        assert validate_item(item) == [], item


@pytest.mark.parametrize(
    ("data", "options", "message"),
    [
        (b"Seoul Capital\nHavana Cuba", {}, "no separator between term and definition found"),
        (b"Seoul\tCapital\nHavana\n\nGeneva\tCouncil", {}, "Line 2: the row"),
        (b"Seoul\tCapital\nSeoul\tAgain", {"as_type": "single"}, "fewer than 2 different"),
        (b"Seoul\t", {}, "has no term and definition"),
        (b"a\tb", {"as_type": "essay"}, "short-answer or single-choice"),
        (b"a\tb", {"term_separator": "x" * 11}, "1 to 10 characters"),
        (b"\xff\xfeS\x00\x00\xd8", {}, "not UTF-16 text"),  # a lone UTF-16 surrogate
    ],
)
def test_bad_input_is_a_message_and_no_items(data, options, message):
    result = read_import(data, "quizlet", options=options)
    assert not result.ok and result.items == []
    assert message in "; ".join(f"Line {e.line}: {e.message}" for e in result.errors)


def test_a_pasted_quizlet_export_is_recognised_without_choosing_the_format():
    assert choose_format("", export()) == "quizlet"
    assert choose_format("quizlet.txt", export()) == "quizlet"
    assert choose_format("", b"Who? {=A ~B}\n") == "gift"


def test_a_long_export_stops_at_the_import_limit():
    data = "\n".join(f"term{n}\tdefinition {n}" for n in range(30_000)).encode()
    result = read_import(data, "quizlet", options={"as_type": "single"})
    assert not result.ok  # stopped at the limit, not read to the end
    assert len(result.items) <= limits.ITEMS_PER_IMPORT + 1
    assert "import the parts one by one" in result.errors[-1].message
