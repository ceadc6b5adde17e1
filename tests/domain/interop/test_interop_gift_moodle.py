"""The GIFT importer against Moodle's own sample files (tests/data/moodle_gift, GPL-3.0:
see the README there for their source)."""

from collections import Counter
from pathlib import Path

import pytest

from quizzes.domain.interop import from_gift
from quizzes.domain.itemtypes import validate_item

REPO_ROOT = Path(__file__).resolve().parents[3]
MOODLE_GIFT = REPO_ROOT / "tests" / "data" / "moodle_gift"


def read_moodle(name: str) -> str:
    path = MOODLE_GIFT / name
    assert path.is_file(), f"Moodle's GIFT samples are expected in {MOODLE_GIFT}"
    return path.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def examples():
    return from_gift(read_moodle("examples.txt"))


def item_at(result, line):
    return result.items[result.item_lines.index(line)]


def test_examples_read_as_43_questions_like_moodle(examples):
    assert examples.errors == []
    assert len(examples.items) + len(examples.skipped) == 43
    assert examples.skipped == []
    assert Counter(item["type"] for item in examples.items) == {
        "single": 16,
        "numeric": 8,
        "short": 7,
        "truefalse": 5,
        "matching": 3,
        "cloze": 2,
        "multi": 2,
    }


def test_examples_multiple_choice_and_missing_word(examples):
    first = item_at(examples, 8)
    assert first["prompt"] == "Who's buried in Grant's tomb?"
    assert first["data"] == {
        "options": [
            {"text": "Grant", "correct": False},
            {"text": "Jefferson", "correct": False},
            {"text": "no one", "correct": True},
        ]
    }
    assert item_at(examples, 10)["prompt"] == "Grant is _____ in Grant's tomb."
    hometown = item_at(examples, 117)
    assert hometown["prompt"] == "Jesus Christ was from _____."
    assert [o["text"] for o in hometown["data"]["options"] if o["correct"]] == ["Nazareth"]


def test_examples_short_answer_missing_word_becomes_cloze(examples):
    two_plus_two = item_at(examples, 45)
    assert two_plus_two["type"] == "cloze"
    assert two_plus_two["data"] == {
        "text": "Two plus two equals {1}.",
        "blanks": [{"answers": ["four", "4"]}],
    }
    # Partial-credit answers cannot live in a blank: dropped, and said so.
    assert item_at(examples, 195)["data"]["blanks"] == [{"answers": ["Nazareth"]}]
    assert any(w.line == 195 and "'Nazereth' (75%)" in w.message for w in examples.warnings)


def test_examples_escaped_control_characters(examples):
    control = item_at(examples, 148)
    options = control["data"]["options"]
    assert [o["text"] for o in options] == ["~", "=", "#", "{", "}", "\\"]
    assert [o["correct"] for o in options] == [False] * 5 + [True]
    assert options[5]["why"] == (
        "Correct! \\ (backslash) is not a control character. BUT,\n"
        "it is used to escape the control characters. So, to specify\n"
        "a literal backslash, you must escape it with a backslash\n"
        "(as shown in this example)."
    )
    assert [o["text"] for o in item_at(examples, 143)["data"]["options"]] == [
        "= 2 + 2",
        "= 2 + 3",
        "= 2 + 4",
    ]


@pytest.mark.parametrize(
    "name",
    [
        "examples.txt",
        "questions.gift.txt",
        "questions_in_category.gift.txt",
    ],
)
def test_every_sample_question_passes_the_item_types_own_checks(name):
    # The import page holds each item to these checks too; one failure refuses the file.
    result = from_gift(read_moodle(name))
    problems = {
        line: validate_item(item)
        for item, line in zip(result.items, result.item_lines, strict=True)
        if validate_item(item)
    }
    assert problems == {}


def test_examples_numeric_forms(examples):
    assert item_at(examples, 16)["data"] == {
        "answers": [{"value": 1822.0, "tolerance": 1.0, "fraction": 1.0}],
        "unit": "",
    }
    assert item_at(examples, 76)["data"]["answers"] == [
        {"value": 1822.0, "tolerance": 0.0, "fraction": 1.0},
        {"value": 1822.0, "tolerance": 2.0, "fraction": 0.5},
    ]
    (pi_range,) = item_at(examples, 74)["data"]["answers"]
    assert pi_range["value"] == pytest.approx(3.1415)
    assert pi_range["tolerance"] == pytest.approx(0.0005)


def test_examples_weights_feedback_and_formats(examples):
    weighted = item_at(examples, 130)["data"]["options"]
    assert [(o["text"], o["weight"]) for o in weighted] == [
        ("No one", 0.0),
        ("Grant", 0.5),
        ("Grant's wife", 0.5),
        ("Grant's father", 0.0),
    ]
    # -50/50/50/-50 are exactly the default weights, so none are stored.
    assert all("weight" not in o for o in item_at(examples, 136)["data"]["options"])
    assert item_at(examples, 113)["explanation"] == "No one is buried in Grant's tomb."
    assert item_at(examples, 108)["prompt"] == "Who's buried in **Grant's tomb**?"
    assert item_at(examples, 98)["data"]["options"][2] == {
        "text": "right answer",
        "correct": True,
        "why": "Very good!",
    }
    assert item_at(examples, 177)["data"]["pairs"][0] == {"left": "Canada", "right": "Ottawa"}


def test_fixture_questions_read_as_9():
    result = from_gift(read_moodle("questions.gift.txt"))
    assert result.errors == []
    assert len(result.items) == 9  # the essay too (issue 18)
    assert result.skipped == []
    assert [i["type"] for i in result.items] == [
        "essay",
        "matching",
        "single",
        "multi",
        "numeric",
        "short",
        "truefalse",
        "truefalse",
        "truefalse",
    ]
    essay, matching, single, multi, numeric, short, tf_feedback, tf_t, tf_true = result.items
    assert essay["prompt"] == "How are you?"
    assert essay["data"] == {} and validate_item(essay) == []
    assert matching["prompt"] == "Match the <b>activity</b> to the description."
    assert matching["data"]["pairs"][1] == {
        "left": "A teacher asks a question and specifies a choice of multiple responses.",
        "right": "Choice",
    }
    assert matching["data"]["distractors"] == ["Chat"]
    assert single["data"]["options"][1] == {
        "text": "red",
        "correct": False,
        "why": "wrong, it's yellow",
    }
    assert single["data"]["options"][2]["text"] == "blue"
    assert [o["weight"] for o in multi["data"]["options"]] == [0.5, -1.0, 0.5, -1.0]
    assert numeric["prompt"] == 'What is a number from 1 to 5? _____";'
    assert numeric["data"]["answers"] == [{"value": 3.0, "tolerance": 2.0, "fraction": 1.0}]
    assert short["data"]["answers"] == [
        {"text": "Frog", "fraction": 1.0},
        {"text": "Cat", "fraction": 0.5},
    ]
    assert tf_feedback["data"] == {"answer": False}
    assert tf_feedback["explanation"] == (
        "This is, of course, a Hitchiker's Guide to the Galaxy reference."
    )
    assert tf_t["data"] == tf_true["data"] == {"answer": True}


def test_questions_in_category_records_the_category():
    result = from_gift(read_moodle("questions_in_category.gift.txt"))
    assert result.errors == []
    assert result.categories == ["$course$/Default for New Features"]
    assert len(result.items) == 4
    assert [i["type"] for i in result.items] == ["matching", "single", "short", "truefalse"]
    assert all(i["topics"] == ["Default for New Features"] for i in result.items)
    greeting = result.items[1]
    assert greeting["prompt"] == (
        '<a href="http://demo.moodle.net/file.php/5/media/bonjour.mp3">Listen to this '
        "greeting:</a><br /><br />What language is being spoken?"
    )
    assert [o["text"] for o in greeting["data"]["options"] if o["correct"]] == ["French"]
    assert result.items[2]["data"] == {"answers": [{"text": "Moodler", "fraction": 1.0}]}
