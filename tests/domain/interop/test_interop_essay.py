"""Essays in files: GIFT carries them (settings in the quizdeck comment), JSON as they are;
Aiken, CSV and Anki say why they cannot."""

from __future__ import annotations

import pytest

from quizzes.domain.interop import from_gift, from_json, to_aiken, to_csv, to_gift, to_json
from quizzes.domain.itemtypes import REGISTRY

PROMPT, DATA = REGISTRY["essay"].EXAMPLE


def essay_item(data=None, **fields):
    return {
        "key": "authored.essay",
        "type": "essay",
        "prompt": PROMPT,
        "data": dict(DATA if data is None else data),
        "explanation": "No peace treaty was signed.",
        "sources": [],
        "topics": ["war"],
        "difficulty": 0.5,
        "fact_ids": [],
    } | fields


@pytest.mark.parametrize(
    "data",
    [DATA, {}, {"max_points": 5, "template": "Cause:\nEffect:", "grader_info": "Look for {}"}],
)
def test_an_essay_goes_through_gift_and_back_unchanged(data):
    text, issues = to_gift([essay_item(data)])
    assert issues == []
    back = from_gift(text)
    assert back.errors == [] and back.warnings == []
    assert back.items == [essay_item(data)]


def test_moodle_reads_a_plain_essay_block():
    text, _ = to_gift([essay_item({})])
    assert text.endswith("{\n\t####No peace treaty was signed.\n}\n")


def test_settings_that_do_not_fit_an_essay_are_left_out_with_a_warning():
    text = '// quizdeck: {"essay": {"word_limit": -3}}\nWhy?{}\n'
    result = from_gift(text)
    assert result.items[0]["data"] == {}
    assert [str(w) for w in result.warnings] == [
        "line 2: ignored field(s) of the quizdeck comment: essay"
    ]
    short = from_gift('// quizdeck: {"essay": {}}\nWho?{=Tae}\n')
    assert "essay" in str(short.warnings[0])


def test_json_carries_an_essay_as_it_is():
    text = to_json({"title": "Essays"}, [essay_item()])
    assert from_json(text).items == [essay_item()]


def test_aiken_and_csv_say_why_they_cannot_carry_an_essay():
    text, issues = to_aiken([essay_item()])
    assert text == "" and issues[0].message == REGISTRY["essay"].FORMATS["aiken"].reason
    with pytest.raises(ValueError, match="no columns for an essay"):
        to_csv([essay_item()])
