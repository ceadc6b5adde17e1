"""Moodle XML: Moodle's own test files read with Moodle's counts (tests/data/moodle_xml, GPL-3.0:
see the README there for their source), bad files refused with a message, and every type
exported and read back equal; exports parse with lxml and follow the structure of Moodle's
own files."""

from __future__ import annotations

import base64
import copy
import io
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree
from PIL import Image

from quizzes.domain.interop import from_json, from_moodle_xml, to_moodle_xml
from quizzes.domain.interop.common import CLOZE_DEFAULT_PROMPT
from quizzes.domain.interop.moodle_syntax import MAX_DEPTH, MAX_ELEMENTS
from quizzes.domain.itemtypes import ITEM_TYPES, REGISTRY, validate_item
from quizzes.transfer.sets import read_import

REPO_ROOT = Path(__file__).resolve().parents[3]
MOODLE_XML = REPO_ROOT / "tests" / "data" / "moodle_xml"
FIXTURES = Path(__file__).parent / "fixtures"


def moodle_file(name: str) -> bytes:
    path = MOODLE_XML / name
    assert path.is_file(), f"Moodle's XML test files are expected in {MOODLE_XML}"
    return path.read_bytes()


def messages(issues) -> list[str]:
    return [str(issue) for issue in issues]


def by_line(result) -> dict[int, dict]:
    return dict(zip(result.item_lines, result.items, strict=True))


# -- Moodle's own files, with Moodle's counts ------------------------------------------------


def test_moodles_broken_cloze_questions_all_refused_like_moodle():
    # Moodle: "No question have been imported", with one error per question.
    result = from_moodle_xml(moodle_file("broken_cloze_questions.xml"))
    assert result.items == []
    assert messages(result.errors) == [
        "line 4: a cloze question needs blanks such as {1:SHORTANSWER:=answer}; it has none",
        "line 20: a cloze question needs blanks such as {1:SHORTANSWER:=answer}; it has none",
        "line 36: blank 1 is a menu with fewer than 2 choices",
        "line 52: blank 1 has no answer worth 100%",
        "line 68: blank 1: 'zero' is not a number",
    ]


def test_moodles_nested_categories_become_topics():
    result = from_moodle_xml(moodle_file("nested_categories_with_questions.xml"))
    assert result.errors == []
    assert result.categories == ["Iota", "Iota/Kappa", "Iota/Kappa/Lambda", "Iota/Mu"]
    # Moodle reads 5 questions: 4 true/false, one per category, and an essay in Kappa.
    assert result.skipped == []
    assert [(item["type"], item["topics"]) for item in result.items] == [
        ("truefalse", ["Iota"]),
        ("essay", ["Iota/Kappa"]),
        ("truefalse", ["Iota/Kappa"]),
        ("truefalse", ["Iota/Kappa/Lambda"]),
        ("truefalse", ["Iota/Mu"]),
    ]
    assert [result.titles[line] for line in result.item_lines] == [
        "Iota Question",
        "Kappa Essay Question",
        "Kappa Question",
        "Lambda Question",
        "Mu Question",
    ]
    assert [item["data"] for item in result.items if item["type"] == "truefalse"] == [
        {"answer": True}
    ] * 4
    essay = result.items[1]
    assert essay["prompt"] == "Testing Kappa Essay Question" and essay["data"] == {}


def test_moodles_old_image_tag_file_reads_as_two_questions_naming_the_images():
    result = from_moodle_xml(moodle_file("sample_questions_with_old_image_tag.xml"))
    assert result.errors == [] and result.skipped == []
    assert [item["type"] for item in result.items] == ["cloze", "single"]  # Moodle: 2
    cloze, single = result.items
    assert cloze["topics"] == ["Default for Test images in backup"]
    assert cloze["data"]["blanks"] == [
        {"answers": ["California"]},
        {"answers": ["Arizona"]},
        {"answers": ["California"]},
        {"answers": ["Arizona"]},
        {"answers": ["Paris"]},
    ]
    assert "* Tucson: {2}" in cloze["data"]["text"]
    assert [o["text"] for o in single["data"]["options"] if o["correct"]] == ["right answer"]
    notes = messages(result.warnings)
    assert "line 16: blank 5: partial credit for 'Marseille' is not carried" in notes
    for line in (16, 36):
        assert (
            f"line {line}: the image moodle.png is not carried (Moodle 1.9's <image> field is "
            "not read); its alt text shows instead"
        ) in notes
    assert result.files == {}


def test_moodles_cloze_with_embedded_files_reads_as_one_question_keeping_its_image():
    result = from_moodle_xml(moodle_file("multianswer.xml"))
    assert result.errors == []
    assert len(result.items) == 1  # Moodle: "Importing 1 questions from file"
    cloze = result.items[0]
    assert cloze["type"] == "cloze" and len(cloze["data"]["blanks"]) == 5
    # The blanks' text is plain: its two flags become their alt texts, and say so.
    assert cloze["data"]["text"].startswith(
        "Match the following cities with the correct state,\n\n"
        "California California flag or Arizona Arizona flag"
    )
    notes = messages(result.warnings)
    for flag in ("california-state-flag.png", "arizona_2.png"):
        assert (
            f"line 12: the image {flag} is not carried (this part of the question is read as "
            "plain text); its alt text shows instead"
        ) in notes
    # The general feedback keeps its HTML, and its image travels with the item.
    assert cloze["explanation"] == (
        '<p>This is a Moodle question <img src="@@PLUGINFILE@@/moodle.png" alt="Moodle logo" '
        'width="16" height="16" /></p>'
    )
    assert list(result.files) == ["moodle.png"]
    assert result.files["moodle.png"].startswith(b"\x89PNG")


def test_moodles_ordering_question_keeps_the_order_and_its_id():
    fragment = moodle_file("ordering_testimport.moodle.xml")
    result = from_moodle_xml(b"<quiz>" + fragment + b"</quiz>")
    assert result.errors == []
    [item] = result.items
    assert item["type"] == "ordering" and item["key"] == "myid"
    assert item["prompt"] == "Put these words in order."
    assert item["data"] == {
        "items": ["Modular", "Object", "Oriented", "Dynamic", "Learning", "Environment"]
    }
    assert item["explanation"] == (
        'The correct answer is "Modular Object Oriented Dynamic Learning Environment".'
    )
    assert messages(result.warnings) == [
        "line 1: the feedback on each item is not carried",
        "line 1: the feedback Moodle shows for right, partly right, wrong answers is not "
        "carried (the explanation is shown to everyone)",
        "line 1: hints are not carried: Quizdeck shows the explanation after answering",
    ]


@pytest.fixture(scope="module")
def xmlformat_questions():
    return from_moodle_xml(moodle_file("xmlformat_test_questions.xml"))


def test_moodles_xmlformat_questions_count(xmlformat_questions):
    result = xmlformat_questions
    assert result.errors == []
    assert len(result.items) + len(result.skipped) == 8  # one per test in xmlformat_test.php
    assert Counter(item["type"] for item in result.items) == {
        "essay": 1,
        "matching": 1,
        "multi": 1,
        "numeric": 1,
        "short": 1,
        "truefalse": 1,
        "cloze": 1,
    }
    # Descriptions have no Quizdeck item: left out, named, with the reason.
    assert result.skipped == [
        (
            6,
            "“A description”: a description is text without a question; Quizdeck has no "
            "text-only item, so it is left out",
        )
    ]


def test_moodles_xmlformat_questions_as_moodle_reads_them(xmlformat_questions):
    items = by_line(xmlformat_questions)
    matching = items[56]  # subanswers a, b, c and the spare d; tags
    assert matching["data"] == {
        "pairs": [
            {"left": "A", "right": "a"},
            {"left": "B", "right": "b"},
            {"left": "C", "right": "c"},
        ],
        "distractors": ["d"],
    }
    assert matching["topics"] == ["tagMatching", "tagTest"]
    assert matching["explanation"] == "The answer is A -> a, B -> b and C -> c."
    multi = items[118]  # fractions 0, 1, 0, 1: scaled to add up to 100%, and said so
    assert [(o["text"], o["correct"], o["weight"]) for o in multi["data"]["options"]] == [
        ("1", False, 0.0),
        ("2", True, 0.5),
        ("3", False, 0.0),
        ("4", True, 0.5),
    ]
    numeric = items[176]  # 42 ± 0.001 full marks, 13 ± 1 none, '*' a catch-all
    assert numeric["data"] == {
        "answers": [
            {"value": 42.0, "tolerance": 0.001, "fraction": 1.0},
            {"value": 13.0, "tolerance": 1.0, "fraction": 0.0},
        ],
        "unit": "",
    }
    assert items[212]["data"] == {"answers": [{"text": "Beta", "fraction": 1.0}]}
    assert items[246]["data"] == {"answer": True}
    assert items[246]["explanation"] == "General feedback: You should have chosen true."
    essay = items[25]  # test_import_essay_21: template and grader information kept
    assert essay["prompt"] == "Write something."
    assert essay["data"] == {
        "template": "Here is something really interesting.",
        "grader_info": "<p>Grade <b>generously</b>!</p>",
    }
    assert essay["topics"] == ["tagEssay", "tagEssay21", "tagTest"]
    cloze = items[273]
    assert cloze["data"] == {
        "text": 'Complete this opening line of verse: "The {1} and the {2} went to sea".',
        "blanks": [{"answers": ["Owl"]}, {"answers": ["Pussy-cat"]}],
    }
    assert cloze["topics"] == ["tagCloze", "tagTest"]
    notes = messages(xmlformat_questions.warnings)
    assert "line 118: worth 2 marks in Moodle; every Quizdeck item counts the same" in notes
    assert (
        "line 118: the right answers add up to 200% in Moodle; Quizdeck scales them to add up "
        "to 100%, so each scores its share"
    ) in notes
    assert "line 176: the catch-all answer '*' is not carried" in notes
    assert "line 212: the catch-all answer '*' is not carried" in notes
    assert (
        "line 25: attached files are not carried: Quizdeck's essays are typed in the page"
    ) in notes
    assert (
        "line 273: blank 2 was a menu (Bow-wow, Wiggly worm, Pussy-cat); Quizdeck asks for "
        "the answer to be typed"
    ) in notes
    for item in xmlformat_questions.items:
        assert validate_item(item) == []


def cloze_file(*texts: str) -> bytes:
    return (
        "<quiz>"
        + "".join(
            f'<question type="cloze"><name><text>Cloze {n}</text></name>'
            f'<questiontext format="html"><text>{text}</text></questiontext></question>'
            for n, text in enumerate(texts, 1)
        )
        + "</quiz>"
    ).encode()


def test_cloze_blanks_quizdeck_cannot_grade_leave_out_their_question_only():
    result = from_moodle_xml(
        cloze_file(
            "Tick: {1:MULTIRESPONSE:=Seoul~=Busan~Tokyo} and {1:MR:=a~b}",
            "Pi is {1:NUMERICAL:=3.14:0.01}",
            "Capital: {1:SHORTANSWER_C:=Seoul} in {1:NM:=1948}, {1:MCV:=yes~no}",
        )
    )
    assert result.errors == []
    assert result.skipped == [
        (
            1,
            "“Cloze 1”: blank 1 lets students tick several answers (MULTIRESPONSE); "
            "Quizdeck's blanks take one typed answer, so the question is left out",
        ),
        (
            1,
            "“Cloze 2”: blank 1 accepts 3.14 ± 0.01; Quizdeck's blanks take exact text, so "
            "the question is left out (a number question takes a tolerance)",
        ),
    ]
    [kept] = result.items
    assert kept["data"] == {
        "text": "Capital: {1} in {2}, {3}",
        "blanks": [{"answers": ["Seoul"]}, {"answers": ["1948"]}, {"answers": ["yes"]}],
    }
    assert messages(result.warnings) == [
        "line 1: blank 1 was matched case-sensitively; Quizdeck ignores case",
        "line 1: blank 3 was a menu (yes, no); Quizdeck asks for the answer to be typed",
    ]


# -- bad files: a message, nothing read ------------------------------------------------------

TRUEFALSE = (
    '<question type="truefalse"><name><text>Q</text></name>'
    '<questiontext format="html"><text>Café is French.</text></questiontext>'
    '<answer fraction="100"><text>true</text></answer>'
    '<answer fraction="0"><text>false</text></answer></question>'
)

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE quiz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<quiz><question type="truefalse"><name><text>&lol9;</text></name></question></quiz>
"""
EXTERNAL_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE quiz [ <!ENTITY secret SYSTEM "file:///etc/passwd"> ]>
<quiz><question type="truefalse"><name><text>&secret;</text></name></question></quiz>
"""
DTD_REFUSED = (
    "line 2: the file declares a DTD or entities; Moodle never writes them and Quizdeck "
    "does not read them (they can make a small file expand without end or read other files)"
)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"::Q:: Is this GIFT? {T}", "line 1: the file is not well-formed XML (syntax error)"),
        (b"", "line 1: the file is not well-formed XML (no element found)"),
        (b'<quiz><question type="truefalse">', "line 1: the file is not well-formed XML"),
        (BILLION_LAUGHS.encode(), DTD_REFUSED),
        (EXTERNAL_ENTITY.encode(), DTD_REFUSED),
        (
            b"<quiz><question><name><text>&nbsp;</text></name></question></quiz>",
            "line 1: the file is not well-formed XML (undefined entity)",
        ),
        (
            b"<html><body>Not a quiz</body></html>",
            "line 1: this is XML but not a Moodle question file: it starts with <html>, "
            "Moodle's starts with <quiz>",
        ),
        (
            ("<quiz>" + "<a>" * (MAX_DEPTH + 1) + "</a>" * (MAX_DEPTH + 1) + "</quiz>").encode(),
            f"line 1: elements are nested more than {MAX_DEPTH} deep",
        ),
        (
            ("<quiz>" + "<a/>" * (MAX_ELEMENTS + 1) + "</quiz>").encode(),
            f"line 1: the file has more than {MAX_ELEMENTS:,} elements",
        ),
        (
            bytes(range(128, 256)) * 4,
            "line 1: the file is not UTF-8 text",
        ),
    ],
    ids=[
        "not-xml",
        "empty",
        "cut-short",
        "billion-laughs",
        "external-entity",
        "html-entity",
        "not-moodle",
        "too-deep",
        "too-many-elements",
        "binary",
    ],
)
def test_bad_files_get_a_message_and_no_items(data, expected):
    result = read_import(data, "moodle")
    assert result.items == []
    assert len(result.errors) == 1 and str(result.errors[0]).startswith(expected)


def test_external_entities_are_never_read(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET")
    data = EXTERNAL_ENTITY.replace("/etc/passwd", str(secret)).encode()
    result = from_moodle_xml(data)
    assert result.items == [] and "TOP SECRET" not in str(result.errors)


def test_ten_thousand_questions_stop_at_the_import_limit():
    many = "<quiz>\n" + "\n".join(
        f'<question type="truefalse"><questiontext><text>Q{n}</text></questiontext>'
        '<answer fraction="100"><text>true</text></answer>'
        '<answer fraction="0"><text>false</text></answer></question>'
        for n in range(10_000)
    )
    result = read_import((many + "\n</quiz>").encode(), "moodle")
    assert messages(result.errors) == [
        "line 2002: the file holds 2,001 questions; Quizdeck imports at most 2,000 at once, so "
        "it stopped reading at the first one too many. Split the file and import the parts "
        "one by one"
    ]


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (f'<?xml version="1.0" encoding="UTF-8"?><quiz>{TRUEFALSE}</quiz>'.encode(), "UTF-8"),
        (
            f'<?xml version="1.0" encoding="UTF-16"?><quiz>{TRUEFALSE}</quiz>'.encode("utf-16"),
            "UTF-16",
        ),
        (
            f'<?xml version="1.0" encoding="ISO-8859-1"?><quiz>{TRUEFALSE}</quiz>'.encode(
                "latin-1"
            ),
            "Windows-1252 (Western European)",
        ),
        # Declared UTF-8 but saved in Windows-1252: read, with the encoding shown.
        (
            f'<?xml version="1.0" encoding="UTF-8"?><quiz>{TRUEFALSE}</quiz>'.encode("cp1252"),
            "Windows-1252 (Western European)",
        ),
    ],
    ids=["utf-8", "utf-16", "latin-1", "wrong-declaration"],
)
def test_encodings_read_the_same_text(data, encoding):
    result = read_import(data, "moodle")
    assert result.errors == []
    assert result.encoding == encoding
    assert result.items[0]["prompt"] == "Café is French."


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        ('<answer fraction="100"><text>1e999999</text></answer>', "'1e999999' is not a number"),
        (
            '<answer fraction="100"><text>4' + "2" * 5000 + "</text></answer>",
            "is too large",
        ),
        ('<answer fraction="nan"><text>42</text></answer>', "the answer fraction 'nan'"),
        ('<answer fraction="1e400"><text>42</text></answer>', "the answer fraction '1e400'"),
    ],
    ids=["overflow", "five-thousand-digits", "nan-fraction", "huge-fraction"],
)
def test_odd_numbers_are_a_message(answer, expected):
    data = (
        '<quiz><question type="numerical"><name><text>N</text></name><questiontext>'
        f"<text>How many?</text></questiontext>{answer}</question></quiz>"
    ).encode()
    result = read_import(data, "moodle")
    assert result.items == []
    assert any(expected in str(error) for error in result.errors), messages(result.errors)
    assert all(len(str(error)) < 300 for error in result.errors)  # the file is not echoed


# -- export and back -------------------------------------------------------------------------


def one_of_each() -> list[dict]:
    """One item per type Moodle XML carries, with every field it can hold filled in."""
    base = {
        "sources": ["Korea Times, 2024-11"],
        "difficulty": 0.4,
        "fact_ids": ["defection.tae"],
        "explanation": "General *feedback* for everyone.",
    }
    items = [
        {
            "key": "single.1",
            "type": "single",
            "prompt": "Which post did **Tae Yong-ho** hold?",
            "data": {
                "options": [
                    {"text": "Deputy ambassador", "correct": True, "why": "Yes, in London."},
                    {"text": "Consul", "correct": False, "why": "No: <b>not</b> a consul."},
                    {"text": "Trade attaché", "correct": False},
                ]
            },
            "topics": ["Defections/Diplomats", "london"],
        },
        {
            "key": "multi.1",
            "type": "multi",
            "prompt": "Which are UN bodies?",
            "data": {
                "options": [
                    {"text": "Human Rights Council", "correct": True, "weight": 0.5},
                    {"text": "Security Council", "correct": True, "weight": 0.5, "why": "Yes."},
                    {"text": "Workers' Party", "correct": False, "weight": -1 / 3},
                ]
            },
            "topics": ["un"],
        },
        {
            "key": "tf.1",
            "type": "truefalse",
            "prompt": "North Korea accepted every UPR recommendation.",
            "data": {"answer": False},
            "topics": ["un"],
        },
        {
            "key": "short.1",
            "type": "short",
            "prompt": "Which city hosts the Human Rights Council?",
            "data": {
                "answers": [
                    {"text": "Geneva", "fraction": 1.0},
                    {"text": "Genf", "fraction": 1 / 3},
                    {"text": "New York", "fraction": 0.0},
                ]
            },
            "topics": [],
        },
        {
            "key": "numeric.1",
            "type": "numeric",
            "prompt": "How far is Seoul from Pyongyang?",
            "data": {
                "answers": [
                    {"value": 195.0, "tolerance": 5.0, "fraction": 1.0},
                    {"value": 121.0, "tolerance": 0.5, "fraction": 0.5},
                ],
                "unit": "km",
            },
            "topics": [],
        },
        {
            "key": "matching.1",
            "type": "matching",
            "prompt": "Match each person with a post.",
            "data": {
                "pairs": [
                    {"left": "Tae Yong-ho", "right": "Diplomat"},
                    {"left": "Kim Il-sung", "right": "Leader"},
                ],
                "distractors": ["Farmer", "Judge"],
            },
            "topics": [],
        },
        {
            "key": "ordering.1",
            "type": "ordering",
            "prompt": "Put these in order, earliest first.",
            "data": {"items": ["Armistice", "UPR review", "Commission of Inquiry"]},
            "topics": [],
        },
        {
            "key": "essay.1",
            "type": "essay",
            "prompt": "Why did the 1953 armistice not end the war?",
            "data": {
                "word_limit": 150,
                "template": "The armistice…",
                "grader_info": "Look for *the treaty*.",
                "rubric": [
                    {
                        "criterion": "Explains an armistice",
                        "levels": [
                            {"text": "Missing", "points": 0},
                            {"text": "Clear", "points": 2},
                        ],
                    }
                ],
            },
            "topics": ["history"],
        },
        {
            "key": "essay.2",
            "type": "essay",
            "prompt": "Describe the UPR in your own words.",
            "data": {"max_points": 5},
            "topics": [],
        },
        {
            "key": "cloze.1",
            "type": "cloze",
            "prompt": "Fill in both blanks.",
            "data": {
                "text": "The war paused in {1}; the report came out in {2}.",
                "blanks": [{"answers": ["1953"]}, {"answers": ["2014", "two thousand fourteen"]}],
            },
            "topics": ["history"],
        },
    ]
    return [base | item for item in items]


def test_the_table_covers_every_type_moodle_xml_carries():
    carried = {t for t in ITEM_TYPES if REGISTRY[t].FORMATS["moodle"].carried}
    assert {item["type"] for item in one_of_each()} == carried
    for item in one_of_each():
        assert validate_item(item) == [], item["type"]


@pytest.mark.parametrize("item", one_of_each(), ids=lambda item: item["type"])
def test_every_type_round_trips_with_its_data_equal(item):
    text, issues = to_moodle_xml([copy.deepcopy(item)])
    assert issues == []
    back = from_moodle_xml(text)
    assert back.errors == [] and back.skipped == [] and back.warnings == []
    assert back.items == [item]


def test_a_whole_set_round_trips_and_its_topics_become_categories():
    items = one_of_each() + from_json((FIXTURES / "all_types.json").read_text("utf-8")).items
    text, issues = to_moodle_xml(items)
    assert issues == []
    back = from_moodle_xml(text)
    assert back.errors == [] and back.warnings == []
    assert back.items == items
    assert "<text>$course$/top/Defections/Diplomats</text>" in text


# Text without what XML 1.0 cannot hold; stripped, as the editor stores it.
TEXT = (
    st.text(
        st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufffe\uffff"),
        min_size=1,
        max_size=40,
    )
    .map(str.strip)
    .filter(bool)
)


@settings(max_examples=150, deadline=None)
@given(prompt=TEXT, options=st.lists(TEXT, min_size=2, max_size=4, unique=True), why=TEXT)
def test_any_text_round_trips(prompt, options, why):
    item = {
        "key": "",
        "type": "single",
        "prompt": prompt,
        "data": {"options": [{"text": text, "correct": n == 0} for n, text in enumerate(options)]},
        "explanation": why,
        "sources": [],
        "topics": [],
        "difficulty": 0.5,
        "fact_ids": [],
    }
    item["data"]["options"][0]["why"] = why
    text, issues = to_moodle_xml([item])
    assert issues == []
    back = from_moodle_xml(text)
    assert back.errors == []
    assert back.items == [item]


def test_what_moodle_xml_cannot_hold_is_named_per_item():
    cloze = one_of_each()[-1]
    cloze["data"]["blanks"][0]["answers"] = ["a\\b"]
    short = one_of_each()[3]
    short["data"]["answers"][0]["text"] = "*"
    text, issues = to_moodle_xml([cloze, short, one_of_each()[2]])
    assert [(issue.index, issue.dropped) for issue in issues] == [(0, True), (1, True)]
    assert "cannot be written in Moodle's cloze syntax exactly" in issues[0].message
    assert "Moodle's catch-all" in issues[1].message
    assert [item["type"] for item in from_moodle_xml(text).items] == ["truefalse"]


# -- what Moodle's own parser would see ------------------------------------------------------


def element_order(question: etree._Element) -> list[str]:
    """The element names of a question in order, each once."""
    names: list[str] = []
    for child in question:
        if isinstance(child.tag, str) and child.tag not in names:
            names.append(child.tag)
    return names


def moodle_question(name: str, qtype: str) -> etree._Element:
    data = moodle_file(name)
    if not data.lstrip().startswith((b"<?xml", b"<quiz")):
        data = b"<quiz>" + data + b"</quiz>"
    root = etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))
    return root.xpath(f"question[@type='{qtype}']")[0]


# Moodle's own file with a question of each type, as Moodle's export writes it.
MOODLE_SHAPES = {
    "multichoice": ("xmlformat_test_questions.xml", "multichoice"),
    "truefalse": ("nested_categories_with_questions.xml", "truefalse"),
    "shortanswer": ("xmlformat_test_questions.xml", "shortanswer"),
    "numerical": ("xmlformat_test_questions.xml", "numerical"),
    "matching": ("xmlformat_test_questions.xml", "matching"),
    "ordering": ("ordering_testimport.moodle.xml", "ordering"),
    "cloze": ("xmlformat_test_questions.xml", "cloze"),
    "essay": ("nested_categories_with_questions.xml", "essay"),
}


def test_exports_parse_with_lxml_and_follow_moodles_structure():
    text, _ = to_moodle_xml(one_of_each())
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    root = etree.fromstring(text.encode("utf-8"), parser)
    assert root.tag == "quiz"
    questions = root.xpath("question[@type!='category']")
    assert len(questions) == len(one_of_each())
    for category in root.xpath("question[@type='category']"):
        assert category.xpath("category/text/text()")[0].startswith("$course$/top")
    for question in questions:
        qtype = question.get("type")
        assert question.xpath("name/text/text()"), qtype
        assert question.xpath("questiontext/@format") and question.xpath("questiontext/text")
        for answer in question.xpath("answer"):
            float(answer.get("fraction"))  # Moodle reads fraction as a number
            assert answer.xpath("text"), qtype
        # Every element Moodle's own file of this type has too comes in Moodle's order.
        theirs = element_order(moodle_question(*MOODLE_SHAPES[qtype]))
        ours = [name for name in element_order(question) if name in theirs]
        assert ours == [name for name in theirs if name in ours], qtype
        assert {"name", "questiontext", "generalfeedback"} <= set(ours), qtype
    subquestions = root.xpath("question[@type='matching']/subquestion")
    assert [s.xpath("string(text)") for s in subquestions][-2:] == ["", ""]  # spare answers
    cloze = root.xpath("question[@type='cloze']/questiontext/text/text()")[0]
    assert "{1:SHORTANSWER:=1953}" in cloze
    assert "{1:SHORTANSWER:=2014~=two thousand fourteen}" in cloze


def test_a_plain_item_needs_no_quizdeck_comment():
    cloze = one_of_each()[-1] | {
        "prompt": CLOZE_DEFAULT_PROMPT,
        "sources": [],
        "fact_ids": [],
        "difficulty": 0.5,
    }
    text, _ = to_moodle_xml([cloze])
    assert "quizdeck:" not in text  # nothing Moodle lacks, so Moodle's file is all there is
    assert from_moodle_xml(text).items == [cloze]


# -- images embedded as @@PLUGINFILE@@ files ---------------------------------------------------


def png(colour: str = "green") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 6), colour).save(out, "PNG")
    return out.getvalue()


def question_showing(files: str, prompt_image: str = "map.png") -> bytes:
    return (
        '<quiz><question type="truefalse"><name><text>Map</text></name>'
        '<questiontext format="html"><text><![CDATA[<p>Is this Korea? '
        f'<img src="@@PLUGINFILE@@/{prompt_image}" alt="A map"></p>]]></text>{files}'
        "</questiontext>"
        '<answer fraction="100"><text>true</text></answer>'
        '<answer fraction="0"><text>false</text></answer></question></quiz>'
    ).encode()


def embedded(name: str, data: bytes) -> str:
    return f'<file name="{name}" encoding="base64">{base64.b64encode(data).decode()}</file>'


def test_an_embedded_image_in_a_prompt_is_carried():
    result = from_moodle_xml(question_showing(embedded("map.png", png())))
    assert result.errors == [] and result.warnings == []
    assert result.files == {"map.png": png()}
    assert '<img src="@@PLUGINFILE@@/map.png" alt="A map">' in result.items[0]["prompt"]


def test_a_file_name_with_a_space_is_found_by_its_url_form():
    result = from_moodle_xml(question_showing(embedded("my map.png", png()), "my%20map.png"))
    assert result.warnings == [] and list(result.files) == ["my map.png"]


@pytest.mark.parametrize(
    ("files", "reason"),
    [
        ("", "the file is not in the Moodle file"),
        (embedded("map.png", b"just text, not a picture"), "This file is not a PNG"),
    ],
    ids=["missing", "not-an-image"],
)
def test_an_image_that_cannot_be_kept_is_named_with_why(files, reason):
    result = from_moodle_xml(question_showing(files))
    assert result.errors == [] and result.files == {}
    [note] = messages(result.warnings)
    assert note.startswith(f"line 1: the image map.png is not carried ({reason}")


@pytest.mark.parametrize(
    ("name", "files", "note"),
    [
        (
            "hello.mp3",
            embedded("hello.mp3", b"ID3\x03\x00\x00\x00\x00\x00\x10"),
            "the sound hello.mp3 is not carried (a question carries images only); "
            "the text around it stays",
        ),
        (
            "tune.ogg",
            "",
            "the sound tune.ogg is not carried (the file is not in the Moodle file); "
            "the text around it stays",
        ),
        (
            "notes.pdf",
            embedded("notes.pdf", b"%PDF-1.4 not shown"),
            "the file notes.pdf is not carried (a question carries images only); "
            "the text around it stays",
        ),
        (
            "map.bin",
            embedded("map.bin", png()),
            None,  # an image by its bytes, whatever its name: carried
        ),
    ],
    ids=["sound", "missing-sound", "other-file", "image-by-bytes"],
)
def test_a_file_that_is_not_carried_is_named_by_what_it_is(name, files, note):
    result = from_moodle_xml(question_showing(files, name))
    assert result.errors == []
    if note is None:
        assert result.warnings == [] and list(result.files) == [name]
    else:
        assert messages(result.warnings) == [f"line 1: {note}"] and result.files == {}


def test_a_file_that_is_not_base64_is_named():
    result = from_moodle_xml(question_showing('<file name="map.png" encoding="base64">@@@</file>'))
    assert "line 1: the file 'map.png' is not valid base64; it is left out" in messages(
        result.warnings
    )
    assert result.files == {}


def test_stored_images_are_embedded_as_moodle_does_and_read_back():
    name = "a" * 64 + ".png"
    item = one_of_each()[0]
    item["prompt"] = f'Which post? <img src="/media/{name}" alt="A map">'
    item["explanation"] = f"See ![the map](/media/{name})."
    item["data"]["options"][1]["text"] = f"![Consul](/media/{name})"
    text, issues = to_moodle_xml([item], {name: png()})
    assert issues == []
    root = etree.fromstring(text.encode(), etree.XMLParser(resolve_entities=False))
    question = root.xpath("question[@type='multichoice']")[0]
    for field in ("questiontext", "generalfeedback"):
        [file] = question.xpath(f"{field}/file")
        assert file.get("name") == name and file.get("encoding") == "base64"
        assert base64.b64decode(file.text) == png()
        assert f"@@PLUGINFILE@@/{name}" in question.xpath(f"string({field}/text)")
    assert question.xpath("answer[2]/file/@name") == [name]  # an option's image too
    back = from_moodle_xml(text)
    assert back.errors == [] and back.warnings == []
    assert back.files == {name: png()}
    assert back.items[0]["prompt"] == f'Which post? <img src="@@PLUGINFILE@@/{name}" alt="A map">'
    assert back.items[0]["data"]["options"][1]["text"] == f"![Consul](@@PLUGINFILE@@/{name})"
