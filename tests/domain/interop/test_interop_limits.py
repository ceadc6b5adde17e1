"""One set of limits (quizzes/domain/limits.py) wherever items enter, and imports that stop
reading at the cap or the deadline instead of reading everything first (issue 15,
findings 2, 5 and 6)."""

from __future__ import annotations

import json

import pytest

from quizzes.domain import limits
from quizzes.domain.interop import from_json
from quizzes.domain.interop.card_text import from_card_text
from quizzes.domain.interop.common import new_item
from quizzes.teach.transfer import read_import

PASSED = limits.Deadline(clock=lambda: 10.0, at=5.0)


def single(prompt: str = "Q?", option: str = "Right") -> dict:
    return {
        "type": "single",
        "prompt": prompt,
        "data": {"options": [{"text": option, "correct": True}, {"text": "Wrong"}]},
    }


def test_the_editor_lengths_hold_for_every_item_dict():
    assert limits.item_text_problems(single("x" * limits.ITEM_TEXT)) == []
    assert limits.item_text_problems(single("x" * (limits.ITEM_TEXT + 1))) == [
        "the question has 5,001 characters; at most 5,000 (as in the editor)"
    ]
    assert limits.item_text_problems(single(option="o" * (limits.ITEM_SHORT + 1))) == [
        "the text “oooooooooooooooooooooooooooooo…” has 1,001 characters; at most 1,000 "
        "(as in the editor)"
    ]
    cloze = {"type": "cloze", "prompt": "", "data": {"text": "t" * 4990 + " {1}", "blanks": []}}
    assert limits.item_text_problems(cloze) == []  # a cloze text is long, as in the editor
    assert limits.item_text_problems(single() | {"sources": ["s" * 3000, "t" * 3000]}) == [
        "the sources have 6,001 characters; at most 5,000"
    ]


def test_a_gift_prompt_longer_than_the_editor_allows_is_refused():
    gift = "::q:: " + "x" * 1_500_000 + " {=a ~b ~c}\n"
    result = read_import(gift.encode(), "gift")
    assert [str(e) for e in result.errors] == [
        "line 1: this question has 1,500,017 characters; a question with all its answers has "
        "at most 131,072. Is a blank line missing?"
    ]
    just_over = read_import(("::q:: " + "x" * 5001 + " {=a ~b ~c}\n").encode(), "gift")
    assert [str(e) for e in just_over.errors] == [
        "line 1: the question has 5,001 characters; at most 5,000 (as in the editor)"
    ]


@pytest.mark.parametrize(
    ("fmt", "text", "line"),
    [
        ("gift", "Q?{T}\n\n" * 200_000, 4001),
        ("aiken", "Q?\nA. a\nB. b\nANSWER: A\n\n" * 80_000, 10_001),
        ("csv", "type,prompt,answer\n" + "truefalse,Q,true\n" * 120_000, 2002),
    ],
    ids=["gift", "aiken", "csv"],
)
def test_reading_stops_at_the_first_question_past_the_cap(fmt, text, line):
    result = read_import(text.encode(), fmt)
    # Read up to the first one too many, and not one further.
    assert len(result.items) == limits.ITEMS_PER_IMPORT + 1
    assert [str(e) for e in result.errors] == [
        f"line {line}: the file holds 2,001 questions; Quizdeck imports at most 2,000 at once, "
        "so it stopped reading at the first one too many. Split the file and import the parts "
        "one by one"
    ]


def test_reading_stops_after_a_hundred_problems():
    result = read_import(("Q? {~a ~b}\n\n" * 5000).encode(), "gift")
    assert len(result.errors) == limits.PROBLEMS_PER_FILE + 1
    assert str(result.errors[-1]).endswith("reading stopped after 100 problems: fix these first")


def test_reading_stops_at_the_deadline():
    result = read_import(("Q?{T}\n\n" * 10).encode(), "gift", PASSED)
    assert [e.message for e in result.errors] == [limits.TIME_UP_MESSAGE]
    assert read_import(("Q?{T}\n\n" * 10).encode(), "gift").ok  # no deadline: all read


@pytest.mark.parametrize(
    "number", ["9" * 5000, "-" + "1" * 41, "1." + "5" * 4999], ids=["int", "negative", "float"]
)
def test_a_json_number_of_thousands_of_digits_is_a_message(number):
    text = (
        '{"format": "quizdeck-set", "version": 1, "items": [\n'
        '{"type": "numeric", "prompt": "Year?", "data": {"answers": '
        f'[{{"value": {number}, "tolerance": 0, "fraction": 1}}]}}}}]}}'
    )
    result = from_json(text.encode())
    [error] = [str(e) for e in result.errors]
    assert error == (
        f"line 2: a number has {len(number):,} digits; numbers in a question set have at most 40"
    )


def test_ordinary_json_numbers_still_read():
    answers = [{"value": 2014.5, "tolerance": 0.5, "fraction": 1.0}]
    item = new_item("numeric", "Year?", {"answers": answers, "unit": ""})
    document = {"format": "quizdeck-set", "version": 1, "items": [item]}
    assert from_json(json.dumps(document)).ok


def test_card_text_stops_at_the_deadline():
    text = "".join(f"Front {n}\tBack {n}\n" for n in range(1000))
    assert len(from_card_text(text.encode()).cards) == 1000
    [error] = [str(e) for e in from_card_text(text.encode(), PASSED).errors]
    assert error == limits.TIME_UP_MESSAGE[0].upper() + limits.TIME_UP_MESSAGE[1:]
