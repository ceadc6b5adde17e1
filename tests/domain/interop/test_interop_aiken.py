"""Aiken import (Moodle's rules and errors, plus BOM/CRLF/wrapped lines) and export."""

from pathlib import Path

import pytest

from quizzes.domain.interop import ExportIssue, from_aiken, from_json, to_aiken

FIXTURES = Path(__file__).parent / "fixtures"


def single(prompt, options, right):
    return {
        "key": "",
        "type": "single",
        "prompt": prompt,
        "data": {"options": [{"text": t, "correct": n == right} for n, t in enumerate(options)]},
        "explanation": "",
        "sources": [],
        "topics": [],
        "difficulty": 0.5,
        "fact_ids": [],
    }


SAMPLE_ITEMS = [
    single("Which city is the capital of South Korea?", ["Busan", "Seoul", "Incheon"], 1),
    single(
        "In which year was the Korean War armistice signed,\nat Panmunjom?",
        ["1950", "1953", "1961", "1972"],
        1,
    ),
    single(
        "Which of these leaders defected in 2016?",
        ["Tae Yong-ho, the deputy ambassador\nin London", "Hwang Jang-yop"],
        0,
    ),
]


def test_sample_with_wrapped_question_and_choice():
    result = from_aiken((FIXTURES / "sample_aiken.txt").read_text(encoding="utf-8"))
    assert result.errors == []
    assert result.warnings == []
    assert result.items == SAMPLE_ITEMS
    assert result.item_lines == [1, 7, 15]


def test_bom_and_crlf_give_the_same_items():
    text = (FIXTURES / "sample_aiken.txt").read_text(encoding="utf-8")
    data = ("\ufeff" + text.replace("\n", "\r\n")).encode("utf-8")
    result = from_aiken(data)
    assert result.errors == []
    assert result.items == SAMPLE_ITEMS
    old_mac = from_aiken(text.replace("\n", "\r"))
    assert old_mac.items == SAMPLE_ITEMS


def test_errors_moodle_reports_name_the_line():
    result = from_aiken((FIXTURES / "bad_aiken.txt").read_text(encoding="utf-8"))
    assert result.items == []
    assert [str(e) for e in result.errors] == [
        "line 1: choice 'A' has no open question",
        "line 2: the question has no ANSWER line",
        "line 6: the question has 1 choice(s); Aiken needs at least 2",
        "line 13: ANSWER 'D' is not among the choices (A, B)",
    ]


@pytest.mark.parametrize(
    ("text", "errors"),
    [
        ("ANSWER: A", ["line 1: ANSWER line with no open question"]),
        ("Q?\nA) a\nB) b\nANSWER:", ["line 4: ANSWER names no letter"]),
        ("Q?\nA) a\nA) b\nANSWER: A", ["line 3: choice 'A' appears twice in the question"]),
        ("Q?\nA)\nB) b\nANSWER: B", ["line 2: choice 'A' has no text"]),
        ("Q?\nA) a\nB) b", ["line 1: the question has no ANSWER line"]),
        (
            "Q1?\nA) a\nB) b\nQ2?\nA) c\nB) d\nANSWER: A",
            ["line 1: the question has no ANSWER line"],
        ),
    ],
)
def test_more_errors(text, errors):
    assert [str(e) for e in from_aiken(text).errors] == errors


def test_lower_case_answer_is_read_with_a_warning():
    result = from_aiken("Q?\nA. yes\nB. no\nAnswer: a\n")
    assert result.errors == []
    assert result.items == [single("Q?", ["yes", "no"], 0)]
    assert [str(w) for w in result.warnings] == [
        "line 4: write 'ANSWER:' in capitals: Moodle reads nothing else"
    ]


def test_export_round_trips_single_choice_and_reports_the_rest():
    one_line = [single("Capital?", ["Busan", "Seoul"], 1), single("Year?", ["1950", "1953"], 1)]
    text, issues = to_aiken(one_line)
    assert text == "Capital?\nA) Busan\nB) Seoul\nANSWER: B\n\nYear?\nA) 1950\nB) 1953\nANSWER: B\n"
    assert issues == []
    assert from_aiken(text).items == one_line


def test_export_of_every_type():
    items = from_json((FIXTURES / "all_types.json").read_text(encoding="utf-8")).items
    text, issues = to_aiken(items)
    assert [i.index for i in issues if i.dropped] == list(range(2, 16))
    assert issues[2] == ExportIssue(
        2, "", "Aiken holds single-choice questions only, not multiple-response ones", True
    )
    assert issues[:2] == [
        ExportIssue(
            0,
            "defection.tae.single.post",
            "Aiken has no place for the explanation or option feedback",
            False,
        ),
        ExportIssue(
            1, "authored.5f0c", "Aiken has no place for the explanation or option feedback", False
        ),
    ]
    back = from_aiken(text).items
    assert [i["prompt"] for i in back] == [items[0]["prompt"], items[1]["prompt"]]
    assert [o["text"] for o in back[1]["data"]["options"]] == [
        "x = y {z}",
        "%50 is not a weight",
        "[html] is not a format here",
        "a -> b is fine in a choice",
    ]


def test_export_drops_questions_aiken_would_misread():
    looks_like_choice = single("A) trick question", ["a", "b"], 0)
    many = single("Many?", [f"option {n}" for n in range(27)], 0)
    _, issues = to_aiken([looks_like_choice, many])
    assert issues == [
        ExportIssue(0, "", "the question text would read back as a choice or an ANSWER line", True),
        ExportIssue(1, "", "Aiken labels choices A to Z; this question has 27", True),
    ]
