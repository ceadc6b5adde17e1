"""Quizdeck JSON: exact round trips and errors that name the item's line."""

import copy
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from quizzes.domain.interop import from_json, to_json
from quizzes.domain.itemtypes import ITEM_TYPES

FIXTURES = Path(__file__).parent / "fixtures"
FIXTURE_TEXT = (FIXTURES / "all_types.json").read_text(encoding="utf-8")


def test_fixture_holds_every_type():
    result = from_json(FIXTURE_TEXT)
    assert result.errors == []
    assert result.meta["title"] == "Korea: defections and history"
    assert {i["type"] for i in result.items} == {
        "single",
        "multi",
        "truefalse",
        "short",
        "numeric",
        "ordering",
        "matching",
        "cloze",
    }
    assert result.item_lines[:3] == [10, 46, 77]


def test_round_trip_is_exact_and_stable():
    result = from_json(FIXTURE_TEXT)
    text = to_json(result.meta, result.items)
    assert text == FIXTURE_TEXT
    again = from_json(text)
    assert (again.meta, again.items) == (result.meta, result.items)


def test_round_trip_keeps_the_romanised_flag():
    items = from_json(FIXTURE_TEXT).items
    short = copy.deepcopy(next(item for item in items if item["type"] == "short"))
    short["data"]["romanised"] = True
    back = from_json(to_json({}, [short]))
    assert back.errors == [] and back.items == [short]


def test_round_trip_keeps_unicode_markdown_and_odd_numbers():
    item = copy.deepcopy(from_json(FIXTURE_TEXT).items[9])
    item["prompt"] = "**굵게** _italic_ `code`\n\n> quote \u2028 and \U0001f600"
    item["data"]["answers"][0]["value"] = 5e-324
    item["data"]["answers"][0]["tolerance"] = 1.7976931348623157e308
    meta = {"title": "Ünïcödé ✓", "tags": ["a", "b"], "nested": {"n": 1, "x": None}}
    back = from_json(to_json(meta, [item]))
    assert back.errors == []
    assert (back.meta, back.items) == (meta, [item])


_text = st.text(min_size=1).filter(lambda s: s.strip())


@given(
    prompt=_text,
    options=st.lists(_text, min_size=3, max_size=6, unique_by=str.strip),
    why=st.text(),
    difficulty=st.floats(0, 1),
)
def test_round_trip_of_generated_items(prompt, options, why, difficulty):
    item = {
        "key": "k",
        "type": "multi",
        "prompt": prompt,
        "data": {
            "options": [{"text": t, "correct": n == 0, "why": why} for n, t in enumerate(options)]
        },
        "explanation": why,
        "sources": [],
        "topics": options,
        "difficulty": difficulty,
        "fact_ids": [],
    }
    back = from_json(to_json({}, [item]))
    assert back.errors == []
    assert back.items == [item]


def test_invalid_item_is_reported_at_its_line():
    document = json.loads(FIXTURE_TEXT)
    del document["items"][1]["data"]["options"][0]["correct"]
    document["items"][2]["type"] = "drawing"
    text = json.dumps(document, indent=2, ensure_ascii=False)
    result = from_json(text)
    assert [str(e) for e in result.errors] == [
        "line 46: option 1 lacks correct",
        "line 46: option 1: 'correct' must be true or false",
        "line 76: unknown question type 'drawing'; known: " + ", ".join(ITEM_TYPES),
    ]


@pytest.mark.parametrize(
    ("text", "errors"),
    [
        (
            "{",
            [
                "line 1: not valid JSON: Expecting property name enclosed in double quotes "
                "(column 2)"
            ],
        ),
        ("[]", ["line 1: the file must hold one JSON object with 'format', 'set' and 'items'"]),
        (
            '{"format": "other"}',
            ["line 1: this is not a Quizdeck question set ('format' is not 'quizdeck-set')"],
        ),
        (
            '{"format": "quizdeck-set", "version": 2, "items": []}',
            ["line 1: version 2 is not supported; this reader knows version 1"],
        ),
        (
            '{"format": "quizdeck-set", "version": 1, "set": [], "items": {}}',
            ["line 1: 'set' must be a JSON object", "line 1: 'items' must be a list of questions"],
        ),
        (
            '{"format": "quizdeck-set", "version": 1, "items": [NaN]}',
            ["line 1: NaN is not allowed in a question set"],
        ),
        (
            '{"format": "quizdeck-set", "version": 1,\n"items": [\n1,\n{"key": ""}]}',
            [
                "line 3: a question must be an object with the fields key, type, prompt, data, "
                "explanation, sources, topics, difficulty, fact_ids",
                "line 4: missing field(s): type, prompt, data, explanation, sources, topics, "
                "difficulty, fact_ids",
            ],
        ),
    ],
)
def test_errors(text, errors):
    assert [str(e) for e in from_json(text).errors] == errors


def test_export_refuses_what_json_cannot_keep_exactly():
    items = from_json(FIXTURE_TEXT).items
    with pytest.raises(ValueError, match="tuples, NaN"):
        to_json({"tags": ("a", "b")}, items)
    broken = copy.deepcopy(items[0])
    broken["difficulty"] = float("nan")
    with pytest.raises(ValueError, match="item 1: Quizdeck cannot write this question"):
        to_json({}, [broken])
