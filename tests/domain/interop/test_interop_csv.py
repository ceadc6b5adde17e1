"""CSV import (hand-written files, spreadsheet quirks, errors by line) and exact round trips."""

import csv
import io
import re
from pathlib import Path

import pytest

from quizzes.domain.interop import from_csv, from_json, to_csv
from quizzes.domain.interop.csvformat import COLUMNS

FIXTURES = Path(__file__).parent / "fixtures"
REPO_ROOT = Path(__file__).resolve().parents[3]


def sample_items():
    return from_json((FIXTURES / "all_types.json").read_text(encoding="utf-8")).items


@pytest.fixture(scope="module")
def sample():
    return from_csv((FIXTURES / "sample.csv").read_text(encoding="utf-8"))


def test_sample_reads_every_type(sample):
    assert sample.errors == []
    assert sample.item_lines == [2, 3, 4, 5, 7, 8, 9, 10, 11, 12]
    assert [i["type"] for i in sample.items] == [
        "single",
        "multi",
        "multi",
        "truefalse",
        "short",
        "numeric",
        "ordering",
        "matching",
        "cloze",
        "single",
    ]


def test_sample_single_with_letter_answer_feedback_and_quotes(sample):
    assert sample.items[0] == {
        "key": "capital",
        "type": "single",
        "prompt": "Which city is the capital of South Korea?",
        "data": {
            "options": [
                {"text": "Busan", "correct": False},
                {"text": "Seoul", "correct": True, "why": "Right."},
                {"text": "Incheon", "correct": False},
            ]
        },
        "explanation": 'Seoul has been the capital since 1948, as "Seoul".',
        "sources": ["Britannica"],
        "topics": ["geography"],
        "difficulty": 0.2,
        "fact_ids": [],
    }


def test_sample_type_rules(sample):
    multi, weighted, tf, short, numeric, ordering, matching, cloze, pipes = sample.items[1:]
    assert multi["data"]["options"] == [
        {"text": "China", "correct": True},
        {"text": "Russia", "correct": True},
        {"text": "Japan", "correct": False},
        {"text": "Mongolia", "correct": False},
    ]
    assert [(o["correct"], o["weight"]) for o in weighted["data"]["options"]] == [
        (True, 0.5),
        (True, 0.5),
        (False, -1.0),
        (False, 0.0),
    ]
    assert tf["data"] == {"answer": False}
    assert tf["explanation"] == "It ended with an armistice\nin 1953."
    assert short["data"]["answers"][2] == {"text": "Tae", "fraction": 0.5}
    assert short["topics"] == ["defections", "diplomats"]
    assert numeric["data"] == {
        "answers": [
            {"value": 248.0, "tolerance": 2.0, "fraction": 1.0},
            {"value": 250.0, "tolerance": 10.0, "fraction": 0.5},
        ],
        "unit": "km",
    }
    assert ordering["data"] == {"items": ["Korean War", "Armistice", "Sunshine Policy"]}
    assert matching["data"] == {
        "pairs": [
            {"left": "Pyongyang", "right": "North Korea"},
            {"left": "Seoul", "right": "South Korea"},
        ],
        "distractors": ["Japan"],
    }
    assert cloze["data"] == {
        "text": "The armistice was signed in {1} at {2}, a {village}.",
        "blanks": [{"answers": ["1953"]}, {"answers": ["Panmunjom", "P'anmunjŏm"]}],
    }
    assert pipes["prompt"] == "Pipes \\| and 100\\%"  # plain cells keep backslashes
    assert pipes["data"]["options"] == [
        {"text": "%5", "correct": True},
        {"text": "a | b", "correct": False},
        {"text": "C:\\temp", "correct": False},
    ]


def test_errors_name_the_line_the_row_starts_on():
    result = from_csv((FIXTURES / "bad.csv").read_text(encoding="utf-8"))
    assert result.items == []
    assert [str(e) for e in result.errors] == [
        "line 2: answer 'D' is not one of the options (nor a letter A, B, ... of one)",
        "line 3: a truefalse question takes no 'options'",
        "line 4: unknown type 'quiz'; use one of single, multi, truefalse, short, numeric, "
        "ordering, matching, cloze",
        "line 5: a multi question needs its right options in 'answer', separated by '|'",
        "line 7: the 'answer' cell is empty",
        "line 8: numeric answer '12 km': '12 km' is not a number",
        "line 9: a cloze needs its text in 'answer' with blanks like {right answer}",
        "line 10: a matching question needs at least 2 pairs 'left -> right' in options",
        "line 11: the row has 5 cells but the header names 4",
    ]


@pytest.mark.parametrize(
    ("text", "errors"),
    [
        ("", ["line 1: the first row must name the columns, e.g. type,prompt,answer,options"]),
        (
            "type,question\n",
            [
                "line 1: unknown column(s) question; the columns are " + ", ".join(COLUMNS),
                "line 1: the header lacks the column(s) prompt",
            ],
        ),
        ("type,prompt,type\n", ["line 1: column(s) named twice: type"]),
        (
            'type,prompt,answer\nshort,"unclosed,x\n\nshort,b,c\n',
            ["line 2: the row cannot be read (unexpected end of data); check its quotes"],
        ),
        (
            "type,prompt,answer,options\nsingle,Q,a,a|b\nmulti,Q,a|z,a|b|c\n",
            ["line 3: answer 'z' is not one of the options (nor a letter A, B, ... of one)"],
        ),
        (
            "type,prompt,answer,options\nmulti,Q,a,%50%a|%50%b|c\n",
            ["line 2: give every option a %weight% or none"],
        ),
        (
            "type,prompt,answer,options\nmulti,Q,a,%50%a|%50%b|%-100%c\n",
            ["line 2: option 'b' has weight 50% but is not named in 'answer'"],
        ),
        (
            "type,prompt,answer,difficulty\ntruefalse,Q,maybe,\ntruefalse,Q,true,2\n",
            [
                "line 2: a truefalse answer is true or false, not 'maybe'",
                "line 3: difficulty '2' is not a number from 0 to 1",
            ],
        ),
        (
            "type,prompt,answer\ncloze,Q,{a} and {b\ncloze,Q,a} b\ncloze,Q,{a|}\n",
            [
                "line 2: a '{' in the cloze text is never closed",
                "line 3: '}' without '{' in the cloze text (write \\} for a brace)",
                "line 4: blank 1 has an empty answer",
            ],
        ),
        (
            "type,prompt,answer\nshort,Q,%50%half\nnumeric,Q,5..3\n",
            [
                "line 2: no answer gives full credit",
                "line 3: range '5..3' runs from high to low",
            ],
        ),
        (
            "type,prompt,options\nsingle,Q,a|a\nordering,Q,a|b\n",
            [
                "line 2: a single question needs exactly one answer: the right option",
                "line 3: an ordering question needs at least 3 options, in the right order",
            ],
        ),
        ("type,prompt,answer\nshort,,a\n", ["line 2: the question text is empty"]),
    ],
)
def test_more_errors(text, errors):
    assert [str(e) for e in from_csv(text).errors] == errors


def test_semicolons_bom_crlf_and_blank_rows():
    text = '\ufefftype;prompt;answer\r\n\r\nshort;"Capital; of the South?";Seoul\r\n;;\r\n'
    result = from_csv(text.encode("utf-8"))
    assert result.errors == []
    assert result.item_lines == [3]
    assert result.items[0]["prompt"] == "Capital; of the South?"
    assert result.items[0]["data"] == {"answers": [{"text": "Seoul", "fraction": 1.0}]}


def test_header_is_case_insensitive_and_columns_may_be_left_out():
    result = from_csv(" Type , PROMPT ,Answer\ntruefalse,Q,yes\n")
    assert result.errors == []
    assert result.items[0]["data"] == {"answer": True}
    assert result.items[0]["difficulty"] == 0.5


def test_round_trip_of_every_type_is_exact():
    items = sample_items()
    text = to_csv(items)
    assert text.startswith("\ufefftype,prompt,answer,options,explanation,option_feedback,")
    back = from_csv(text)
    assert back.errors == []
    assert back.items == items
    assert from_csv(to_csv(items, bom=False)).items == items


def test_export_is_readable_by_hand():
    items = sample_items()
    rows = list(csv.DictReader(io.StringIO(to_csv(items, bom=False), newline="")))
    assert rows[0]["answer"] == "Deputy ambassador in London"
    assert rows[0]["options"] == (
        "Deputy ambassador in London|Ambassador in Stockholm|Trade attaché"
    )
    assert rows[0]["option_feedback"] == (
        "He was second in command of the embassy.||No: see the [BBC report](https://example.org/tae)."
    )
    assert rows[1]["options"] == (
        "x = y {z}|\\%50 is not a weight|[html] is not a format here|a -> b is fine in a choice"
    )
    assert rows[2]["options"] == "%50%China|%50%Russia|%-100%Japan|%0%Mongolia"
    assert rows[7]["answer"] == "Tae Yong-ho|태영호|Thae Yong Ho|%50%Tae"
    assert rows[8]["answer"] == "248:2|%25%250:10"
    assert rows[10]["options"] == (
        "Pyongyang -> North Korea|Seoul -> South Korea|Kaesŏng = 개성 -> North Korea {again}"
        "|-> Japan|-> China: no"
    )
    assert rows[11]["answer"] == "Kim ordered a {purge|purging} of the panel in 2013."
    assert rows[13]["options"] == (
        "Korean War begins|Armistice signed|Sunshine Policy|Tae Yong-ho defects"
    )


def test_romanised_flag_has_its_own_column():
    items = sample_items()
    short, cloze = items[7], items[11]
    assert (short["type"], cloze["type"]) == ("short", "cloze")
    short["data"]["romanised"] = True
    cloze["data"]["romanised"] = False
    text = to_csv([short, cloze, items[0]], bom=False)
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert [row["romanised"] for row in rows] == ["true", "false", ""]
    assert from_csv(text).items == [short, cloze, items[0]]

    typed = (
        "type,prompt,answer,romanised\n"
        "short,Who defected?,Tae Yong-ho,yes\n"
        "short,Who?,Tae,maybe\n"
        "truefalse,A statement,true,true\n"
    )
    result = from_csv(typed)
    assert result.items[0]["data"] == {
        "answers": [{"text": "Tae Yong-ho", "fraction": 1.0}],
        "romanised": True,
    }
    assert [str(e) for e in result.errors] == [
        "line 3: romanised is true or false, not 'maybe'",
        "line 4: a truefalse question takes no 'romanised'",
    ]


def test_escapes_round_trip():
    item = {
        "key": "",
        "type": "matching",
        "prompt": "Tricky",
        "data": {
            "pairs": [
                {"left": "a -> b | c \\ d", "right": "e -> f"},
                {"left": "%50% left", "right": "%right"},
            ],
            "distractors": ["g | h"],
        },
        "explanation": "",
        "sources": ["x|y"],
        "topics": [],
        "difficulty": 0.5,
        "fact_ids": [],
    }
    cloze = {
        **item,
        "type": "cloze",
        "data": {
            "text": "Braces {1} \\{not a blank\\} {2}|",
            "blanks": [{"answers": ["{a}", "b|c", "%d"]}, {"answers": ["\\"]}],
        },
        "sources": [],
    }
    back = from_csv(to_csv([item, cloze]))
    assert back.errors == []
    assert back.items == [item, cloze]


def test_export_refuses_invalid_items():
    item = sample_items()[0]
    item["type"] = "drawing"
    with pytest.raises(ValueError, match="item 1: fix it first: unknown question type 'drawing'"):
        to_csv([item])


def test_the_example_in_the_format_doc_reads_without_errors():
    doc = (REPO_ROOT / "docs" / "CSV_FORMAT.md").read_text(encoding="utf-8")
    example = re.search(r"```csv\n(.*?)```", doc, re.S).group(1)
    result = from_csv(example)
    assert result.errors == []
    assert [i["type"] for i in result.items] == [
        "single",
        "multi",
        "truefalse",
        "short",
        "numeric",
        "numeric",
        "ordering",
        "matching",
        "cloze",
    ]
    assert result.items[8]["data"] == {
        "text": "The armistice was signed in {1} at {2}.",
        "blanks": [{"answers": ["1953"]}, {"answers": ["Panmunjom", "P'anmunjŏm"]}],
    }
