"""GIFT import of the project's own fixtures, its errors, and export with round trips."""

import copy
import json
from pathlib import Path

import pytest

from quizzes.domain.interop import ExportIssue, ImportIssue, from_gift, from_json, to_gift
from quizzes.domain.interop.common import CLOZE_DEFAULT_PROMPT, MAX_INPUT_BYTES

FIXTURES = Path(__file__).parent / "fixtures"


def sample_items():
    return from_json((FIXTURES / "all_types.json").read_text(encoding="utf-8")).items


@pytest.fixture(scope="module")
def sample():
    return from_gift((FIXTURES / "sample.gift").read_text(encoding="utf-8"))


def by_line(result):
    return dict(zip(result.item_lines, result.items, strict=True))


def test_sample_counts_category_and_skips(sample):
    assert sample.errors == []
    assert sample.categories == ["$course$/top/Korea/Defections"]
    assert sample.item_lines == [7, 14, 21, 23, 25, 31, 33, 35, 37, 42, 51, 53, 55]
    assert sample.skipped == [
        (49, "a description (text without an answer block) is not a question"),
    ]
    assert by_line(sample)[51]["type"] == "essay"  # `{}`: an essay, marked out of 1
    assert [str(w) for w in sample.warnings] == [
        "line 25: feedback on individual answers is not kept (short answers have none)",
        "line 31: a blank takes full-credit answers only; dropped '1954' (50%)",
    ]


def test_sample_single_with_title_tags_id_and_feedback(sample):
    assert by_line(sample)[7] == {
        "key": "tae.post",
        "type": "single",
        "prompt": "Which post did **Tae Yong-ho** hold in London?",
        "data": {
            "options": [
                {
                    "text": "Deputy ambassador",
                    "correct": True,
                    "why": "He was the embassy's second in command.",
                },
                {"text": "Ambassador", "correct": False, "why": "That was Hyon Hak-bong."},
                {"text": "Military attaché", "correct": False},
            ]
        },
        "explanation": "He defected in 2016.",
        "sources": [],
        "topics": ["defections", "diplomats", "Korea/Defections"],
        "difficulty": 0.5,
        "fact_ids": [],
    }


def test_sample_every_type(sample):
    items = by_line(sample)
    assert items[14]["type"] == "multi"
    assert items[14]["data"]["options"] == [
        {"text": "China", "correct": True, "weight": 0.5, "why": "Yes."},
        {"text": "Russia", "correct": True, "weight": 0.5},
        {"text": "Japan", "correct": False, "weight": -1.0, "why": "Across the sea."},
        {"text": "Mongolia", "correct": False, "weight": 0.0},
    ]
    assert items[21]["data"] == {"answer": False}
    assert items[21]["explanation"] == "It ended with an armistice.\n\nRight: an armistice."
    assert items[23]["data"] == {"answer": True}
    assert items[23]["explanation"] == "Since 1948."
    assert items[25]["data"] == {
        "answers": [
            {"text": "Tae Yong-ho", "fraction": 1.0},
            {"text": "Thae Yong-ho", "fraction": 1.0},
            {"text": "Tae", "fraction": 0.5},
        ]
    }
    assert items[31]["type"] == "cloze"
    assert items[31]["prompt"] == CLOZE_DEFAULT_PROMPT
    assert items[31]["data"] == {
        "text": "The armistice was signed in {1} at Panmunjom.",
        "blanks": [{"answers": ["1953"]}],
    }
    assert items[33]["prompt"] == "The armistice line runs along the _____ parallel."
    assert items[35]["data"] == {
        "answers": [{"value": 1953.0, "tolerance": 0.0, "fraction": 1.0}],
        "unit": "",
    }
    assert items[37]["data"]["answers"] == [
        {"value": 248.0, "tolerance": 2.0, "fraction": 1.0},
        {"value": 250.0, "tolerance": 10.0, "fraction": 0.5},
    ]
    assert items[42]["prompt"] == "Match each **city** to its country."
    assert items[42]["data"] == {
        "pairs": [
            {"left": "Pyongyang", "right": "North Korea"},
            {"left": "Seoul", "right": "South Korea"},
        ],
        "distractors": ["Japan"],
    }
    assert [o["correct"] for o in items[55]["data"]["options"]] == [True, False, False]


def test_sample_escapes_and_text_format(sample):
    escapes = by_line(sample)[53]
    assert escapes["prompt"] == "Escapes: a = b {c} ~ d # e \\ f\nnext line"
    assert escapes["data"] == {"answers": [{"text": "a = b {c}", "fraction": 1.0}]}


def test_errors_name_the_line_and_the_mistake():
    result = from_gift((FIXTURES / "bad.gift").read_text(encoding="utf-8"))
    assert result.items == []
    assert [str(e) for e in result.errors] == [
        "line 3: unclosed '{' opened here (a blank line ends the question; write \\{ for a "
        "literal brace)",
        "line 5: '}' has no opening '{' (write \\} for a literal brace)",
        "line 7: 2 options are marked right with '='; a single-choice question has one (give "
        "several right answers weights like ~%50% instead)",
        "line 15: matching pair 'Pyongyang' has no '->'",
        "line 18: numeric answer '19x3': '19x3' is not a number",
        "line 20: a second answer block: a GIFT question has one (write \\{ and \\} for literal "
        "braces)",
        "line 22: '{' inside the answer block opened on line 22 (write \\{ for a literal brace)",
        "line 25: put a blank line between the $CATEGORY line and the next question",
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Q?{~a ~b ~c}", "line 1: no option has a positive weight (mark right options like ~%50%)"),
        (
            "Q?{~%50%a ~%50%b}",
            "line 1: a multiple-answer question needs at least 3 options, not 2 (for one right "
            "answer mark it with '=')",
        ),
        ("Q?{~%150%a =b}", "line 1: weight '%150%' is outside -100%..100%"),
        ("Q?{~%5.5.5%a =b}", "line 1: weight '%5.5.5%' is not a percentage"),
        ("Q?{#5..3}", "line 1: range '5..3' runs from high to low"),
        ("Q?{#5:-1}", "line 1: tolerance in '5:-1' is negative"),
        ("Q?{#}", "line 1: a numeric question without a number"),
        ("Q?{=%50%a}", "line 1: no answer gives full credit"),
        ("{=a}", "line 1: the question text is empty"),
        ("x{=a} \\{1\\} y", "line 1: the text contains '{n}', which Quizdeck uses to mark blanks"),
        ("$CATEGORY:", "line 1: $CATEGORY has no category name"),
        (
            "// [id:same]\nA?{T}\n\n// [id:same]\nB?{F}",
            "line 5: id 'same' is already used on line 2",
        ),
        (
            "First line\nsecond {=a ~b\nthird ~c",
            "line 2: unclosed '{' opened here (a blank line ends the question; write \\{ for a "
            "literal brace)",
        ),
    ],
)
def test_error_messages(text, expected):
    assert [str(e) for e in from_gift(text).errors] == [expected]


def test_bytes_bom_crlf_and_size_limit():
    data = "\ufeffQ one?{T}\r\n\r\nQ two?{F}\r\n".encode()
    result = from_gift(data)
    assert result.errors == []
    assert [(i["prompt"], i["data"]) for i in result.items] == [
        ("Q one?", {"answer": True}),
        ("Q two?", {"answer": False}),
    ]
    assert result.item_lines == [1, 3]
    too_big = from_gift("x" * (MAX_INPUT_BYTES + 1))
    assert [str(e) for e in too_big.errors] == [
        "line 1: the file has 2,097,153 bytes; files up to 2 MB (2,097,152 bytes) can be "
        "imported: split it"
    ]
    # Bytes no encoding reads (a Windows-1252 "é" is read: tests/domain/interop/
    # test_interop_decoding.py).
    not_utf8 = from_gift(b"Q?{T}\n\nQ\x81\x8d\x8f\x90\x9d?{F}")
    assert [str(e) for e in not_utf8.errors] == [
        "line 3: the file is not UTF-8 text (byte 0x81), nor Windows-1252 or CP949: save it "
        "as UTF-8 text and upload it again"
    ]


def test_quizdeck_comment_restores_what_gift_cannot_hold():
    text = (
        '// quizdeck: {"difficulty": 0.25, "sources": ["IND"], "unit": "km"}\n'
        "How far?{#5}\n\n"
        '// quizdeck: {"difficulty": 7, "colour": "red"}\n'
        "Yes?{T}\n\n"
        "// quizdeck: not json\n"
        "No?{F}\n"
    )
    result = from_gift(text)
    assert result.errors == []
    far, yes, no = result.items
    assert (far["difficulty"], far["sources"], far["data"]["unit"]) == (0.25, ["IND"], "km")
    assert yes["difficulty"] == 0.5
    assert [str(w) for w in result.warnings] == [
        "line 5: ignored field(s) of the quizdeck comment: colour, difficulty",
        "line 7: the quizdeck comment is not a JSON object; it was ignored",
    ]


def test_quizdeck_comment_carries_the_romanised_flag():
    text = (
        '// quizdeck: {"romanised": true}\n'
        "Who defected from London in 2016?{=Tae Yong-ho}\n\n"
        '// quizdeck: {"romanised": true}\n'
        "In 2016 {=Tae Yong-ho} defected from London.\n\n"
        '// quizdeck: {"romanised": true}\n'
        "Yes?{T}\n\n"
        '// quizdeck: {"romanised": "yes"}\n'
        "Who?{=Tae Yong-ho}\n"
    )
    result = from_gift(text)
    assert result.errors == []
    short, cloze, truefalse, who = result.items
    assert short["data"]["romanised"] is True
    assert cloze["data"]["romanised"] is True
    assert "romanised" not in truefalse["data"] and "romanised" not in who["data"]
    assert [str(w) for w in result.warnings] == [
        "line 8: ignored field(s) of the quizdeck comment: romanised",
        "line 11: ignored field(s) of the quizdeck comment: romanised",
    ]


# --- export ---------------------------------------------------------------------------------


def test_export_round_trips_every_gift_type_exactly():
    items = sample_items()
    text, issues = to_gift(items)
    dropped = {issue.index for issue in issues if issue.dropped}
    assert sorted(dropped) == [13, 14]  # the ordering and the two-blank cloze
    back = from_gift(text)
    assert back.errors == [] and back.warnings == []
    expressible = [item for n, item in enumerate(items) if n not in dropped]
    assert back.items[:-1] == expressible[:-1]
    assert {items[n]["type"] for n in range(13)} == {
        "single",
        "multi",
        "truefalse",
        "short",
        "numeric",
        "matching",
        "cloze",
    }


def test_export_keeps_the_romanised_flag_for_quizdeck_and_moodle_reads_the_answers():
    short = {
        **sample_items()[0],
        "type": "short",
        "key": "tae.short",
        "prompt": "Who defected from London in 2016?",
        "data": {"answers": [{"text": "Tae Yong-ho", "fraction": 1.0}], "romanised": True},
    }
    at_end = {
        **short,
        "key": "tae.cloze",
        "type": "cloze",
        "prompt": CLOZE_DEFAULT_PROMPT,
        "data": {"text": "He defected: {1}", "blanks": [{"answers": ["Tae Yong-ho"]}]},
    }
    at_end["data"]["romanised"] = False
    text, issues = to_gift([short, at_end])
    assert [i.dropped for i in issues] == [False]  # the blank at the end becomes a short answer
    assert text.count('"romanised": true') == 1 and text.count('"romanised": false') == 1
    assert "\t=Tae Yong-ho\n" in text  # what Moodle grades against
    back = from_gift(text)
    assert back.errors == []
    assert back.items[0] == short
    assert back.items[1]["type"] == "short" and back.items[1]["data"]["romanised"] is False


def test_export_reports_what_it_cannot_write():
    items = sample_items()
    _, issues = to_gift(items)
    assert issues == [
        ExportIssue(13, "", "GIFT has no ordering questions", True),
        ExportIssue(14, "", "GIFT has one blank per question; this cloze has 2", True),
        ExportIssue(
            15,
            "",
            "written as a short-answer question: GIFT cannot put a blank at the very end",
            False,
        ),
    ]
    end_blank = from_gift(to_gift([items[15]])[0]).items[0]
    assert end_blank["type"] == "short"
    assert end_blank["prompt"] == "The capital of North Korea is _____"


def test_export_escapes_special_characters():
    item = {
        "key": "",
        "type": "short",
        "prompt": "Is a = b {c}? ~tilde~ #hash: colon \\ backslash\nand a new line",
        "data": {"answers": [{"text": "a = b {c}", "fraction": 1.0}]},
        "explanation": "// not a comment\n\n[html] not a format",
        "sources": [],
        "topics": [],
        "difficulty": 0.5,
        "fact_ids": [],
    }
    text, issues = to_gift([item])
    assert issues == []
    assert text == (
        "[markdown]Is a \\= b \\{c\\}? \\~tilde\\~ \\#hash\\: colon \\\\ backslash"
        "\\nand a new line{\n"
        "\t=a \\= b \\{c\\}\n"
        "\t####// not a comment\\n\\n[html] not a format\n"
        "}\n"
    )
    assert from_gift(text).items == [item]


def test_export_with_category_adds_its_topic():
    items = sample_items()[:2]
    text, _ = to_gift(items, category="$course$/top/Korea")
    assert text.startswith("$CATEGORY: $course$/top/Korea\n\n// [id:defection.tae.single.post]\n")
    back = from_gift(text)
    assert back.categories == ["$course$/top/Korea"]
    assert [i["topics"] for i in back.items] == [["defections", "diplomats", "Korea"], ["Korea"]]
    with pytest.raises(ValueError):
        to_gift(items, category="two\nlines")


def test_export_drops_unwritable_items_and_topics():
    base = sample_items()[7]  # short answer
    arrow = copy.deepcopy(base)
    arrow["data"]["answers"][0]["text"] = "a -> b"
    bad_topic = copy.deepcopy(base)
    bad_topic["topics"] = ["fine", "<bad>"]
    invalid = copy.deepcopy(base)
    invalid["difficulty"] = 2
    text, issues = to_gift([arrow, bad_topic, invalid])
    assert issues == [
        ExportIssue(0, "", "answer 'a -> b' contains '->', which GIFT reads as matching", True),
        ExportIssue(1, "", "topic '<bad>' cannot be a GIFT tag; left out", False),
        ExportIssue(
            2,
            "",
            "Quizdeck cannot write this question to a file yet; this is a fault in Quizdeck, "
            "not in the question (please report it)",
            True,
        ),
    ]
    assert [i["topics"] for i in from_gift(text).items] == [["fine"]]


def test_export_of_default_weights_is_moodle_style_and_reads_back_without_weights():
    leaders = sample_items()[3]
    assert all("weight" not in o for o in leaders["data"]["options"])
    text, _ = to_gift([leaders])
    assert "\t~%33.33333%Kim Il-sung\n" in text
    assert "\t~%-100%Park Chung-hee\n" in text
    assert from_gift(text).items == [leaders]


def test_metadata_comment_is_one_line_of_json():
    tae = sample_items()[0]
    text, _ = to_gift([tae])
    lines = text.splitlines()
    assert lines[:3] == [
        "// [id:defection.tae.single.post]",
        "// [tag:defections] [tag:diplomats]",
        '// quizdeck: {"difficulty": 0.4, "fact_ids": ["defection.tae"], "sources": ["IND", "EN"]}',
    ]
    assert json.loads(lines[2].removeprefix("// quizdeck:"))["difficulty"] == 0.4


def test_import_issue_text():
    assert str(ImportIssue(12, "choice 'C' has no open question")) == (
        "line 12: choice 'C' has no open question"
    )


def test_lossy_conversions_are_reported_as_warnings():
    text = (
        "::Unclosed title Q?{T}\n\n"
        "Q?{FALSE#wrong#right####general}\n\n"
        "Q?{#3:2~#Completely wrong}\n\n"
        "Q?{=a#good =%0%*#anything else}\n\n"
        "Q?{~%40%a ~%40%b ~c}\n\n"
        "// [tag:a\\]b] [tag:  spaced  ] [id: the-id ]\n"
        "Q?{=x ~%25%y ~z}\n"
    )
    result = from_gift(text)
    assert result.errors == []
    assert [str(w) for w in result.warnings] == [
        "line 1: '::' opens a title that is never closed; it was read as text",
        "line 3: feedback for right and wrong answers is not kept beside general feedback",
        "line 5: feedback for wrong answers is not kept (numeric answers have none)",
        "line 7: feedback on individual answers is not kept (short answers have none)",
        "line 7: the catch-all answer '*' is not kept",
        "line 9: the positive weights add up to 80%, not 100%",
        "line 12: a single-choice question scores only its right option; dropped the weights of "
        "'y' (25%)",
    ]
    title, tf, numeric, short, multi, tagged = result.items
    assert title["prompt"] == "Unclosed title Q?"
    assert tf["explanation"] == "general"
    assert numeric["data"]["answers"] == [{"value": 3.0, "tolerance": 2.0, "fraction": 1.0}]
    assert short["data"]["answers"] == [{"text": "a", "fraction": 1.0}]
    assert [o["weight"] for o in multi["data"]["options"]] == [0.4, 0.4, 0.0]
    assert (tagged["key"], tagged["topics"]) == ("the-id", ["a]b", "spaced"])
