"""Moodle's remaining question/format/xml/tests/fixtures files (tests/data/moodle_xml, GPL-3.0:
its README says where each comes from and which Moodle test reads it), read by the domain
reader with the counts, names, categories and answers Moodle's own tests expect.

The other fixtures of that folder (broken cloze, nested categories with questions, old image
tags, multianswer) are read in test_interop_moodle_xml.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from quizzes.domain.interop import from_moodle_xml

MOODLE_XML = Path(__file__).resolve().parents[3] / "tests" / "data" / "moodle_xml"


def read(name: str):
    path = MOODLE_XML / name
    assert path.is_file(), f"Moodle's XML test files are expected in {MOODLE_XML}"
    return from_moodle_xml(path.read_bytes())


def names(result) -> list[str]:
    return [result.titles[line] for line in result.item_lines]


def messages(issues) -> list[str]:
    return [str(issue) for issue in issues]


def test_moodles_true_false_file_reads_as_its_two_questions_with_their_images():
    # import_export.feature: "Importing 2 questions from file", the two acronyms, then
    # "Moodle acronym (False)" and "Moodle acronym (True)" in the bank.
    result = read("truefalse.xml")
    assert result.errors == [] and result.skipped == []
    assert names(result) == ["Moodle acronym (False)", "Moodle acronym (True)"]
    assert result.categories == ["Default for testhead/TrueFalse"]
    false, true = result.items
    assert "Modular Object-Oriented Dynamic Learning Education" in false["prompt"]
    assert "Modular Object-Oriented Dynamic Learning Environment" in true["prompt"]
    assert [false["data"], true["data"]] == [{"answer": False}, {"answer": True}]
    assert all(item["topics"] == ["Default for testhead/TrueFalse"] for item in result.items)
    # The question's logo and the general feedback's image travel as files; the thumbs of
    # the per-answer feedback (not carried) are named, once per question.
    assert sorted(result.files) == ["infos.jpg", "logo.jpg"]
    assert all(data.startswith(b"\xff\xd8") for data in result.files.values())  # JPEG
    assert '<img src="@@PLUGINFILE@@/logo.jpg" alt="Moodle logo"' in false["prompt"]
    assert false["explanation"].startswith('<p><img src="@@PLUGINFILE@@/infos.jpg"')
    notes = messages(result.warnings)
    for line in (12, 40):
        assert (
            f"line {line}: the feedback on each answer is not carried; the general feedback is"
            in notes
        )
        for thumb in ("thumbup.jpg", "thumbdown.jpg"):
            assert (
                f"line {line}: the image {thumb} is not carried (this part of the question is "
                "read as plain text); its alt text shows instead"
            ) in notes


def test_moodles_multichoice_file_reads_as_one_single_choice_question():
    # import_export.feature: "Importing 1 questions from file", "What language is being
    # spoken?", then "Greeting" in the bank.
    result = read("multichoice.xml")
    assert result.errors == [] and result.skipped == []
    assert names(result) == ["Greeting"]
    (greeting,) = result.items
    assert greeting["type"] == "single"
    assert "What language is being spoken?" in greeting["prompt"]
    assert greeting["topics"] == ["Default for testhead/Multichoice"]
    # Each option's flag image gives way to its alt text; the "why" of each is kept.
    assert [(o["text"], o["correct"], o["why"]) for o in greeting["data"]["options"]] == [
        ("British Flag English", False, "<p>Sorry, listen again.</p>"),
        ("French flag French", True, "<p>Yes, well done!</p>"),
        ("German flag German", False, "<p>Sorry, listen again.</p>"),
        ("Denmark flag Danish", False, "<p>Sorry, listen again.</p>"),
    ]
    notes = messages(result.warnings)
    assert any(n.startswith("line 12: the sound bonjour.mp3 is not carried") for n in notes)
    for flag in ("flag-uk.jpg", "flag-france.jpg", "flag-german.jpg", "flag-denmark.jpg"):
        assert any(f"the image {flag} is not carried" in n for n in notes)
    assert result.files == {}


@pytest.mark.parametrize(
    ("name", "categories", "questions"),
    [
        # test_import_category: Alpha, with its description and idnumber, under the top
        ("category_with_description.xml", ["Alpha"], [("Alpha Question", "truefalse", "Alpha")]),
        # test_deprecated_category_import: the same, written in a context Moodle retired
        ("deprecated_category.xml", ["Alpha"], [("Alpha Question", "truefalse", "Alpha")]),
        # test_import_nested_categories: Delta > Epsilon > Zeta (in a $module$ context)
        (
            "nested_categories.xml",
            ["Delta", "Delta/Epsilon", "Delta/Epsilon/Zeta"],
            [("Zeta Question", "truefalse", "Delta/Epsilon/Zeta")],
        ),
        # test_import_old_format: categories without <info>; Pi Question in Pi, Rho in Pi/Rho
        (
            "old_format_file.xml",
            ["Pi", "Pi/Rho"],
            [("Pi Question", "truefalse", "Pi"), ("Rho Question", "truefalse", "Pi/Rho")],
        ),
        # test_import_categories_in_reverse_order: the child category comes first
        (
            "categories_reverse_order.xml",
            ["Sigma/Tau", "Sigma"],
            [("Tau Question", "essay", "Sigma/Tau"), ("Sigma Question", "short", "Sigma")],
        ),
    ],
)
def test_moodles_category_files_put_each_question_in_its_category(name, categories, questions):
    result = read(name)
    assert result.errors == [] and result.skipped == [] and result.warnings == []
    assert result.categories == categories
    assert [
        (t, i["type"], i["topics"]) for t, i in zip(names(result), result.items, strict=True)
    ] == [(title, kind, [topic]) for title, kind, topic in questions]


def test_the_category_files_answers_are_read_as_moodle_holds_them():
    assert [i["data"] for i in read("old_format_file.xml").items] == [{"answer": True}] * 2
    tau, sigma = read("categories_reverse_order.xml").items
    assert tau["prompt"] == "Testing Tau Question" and tau["data"] == {}
    assert sigma["data"] == {
        "answers": [
            {"text": "yes", "fraction": 1.0},
            {"text": "no", "fraction": 0.0},
            {"text": "may be", "fraction": 0.0},
        ]
    }


def test_moodles_file_of_invalid_grades_is_read_and_its_grades_named():
    """Moodle refuses this file with its default "match grades: error" (33% is not one of
    its grades; test_import_invalid_grades), and reads it when told to match the nearest
    grade (33.33333%). Quizdeck has no grade list: it reads the question, scales the right
    answers to 100% and says by how much they missed it."""
    result = read("error_invalid_grades.xml")
    assert result.errors == [] and result.skipped == []
    (question,) = result.items
    assert names(result) == ["Question with <strong>invalid grades</strong> : x > 1 & x < 2"]
    assert question["type"] == "multi"
    options = question["data"]["options"]
    assert [(o["text"], o["correct"]) for o in options] == [
        ("1", False),
        ("2", True),
        ("3", True),
        ("4", False),
        ("5", True),
    ]
    right = [o["weight"] for o in options if o["correct"]]
    assert sum(right) == pytest.approx(1)
    assert right == pytest.approx([0.33 / 0.9966666, 0.3333333 / 0.9966666, 0.3333333 / 0.9966666])
    assert [o["weight"] for o in options if not o["correct"]] == [-0.5, -0.5]
    assert (
        "line 4: the right answers add up to 99.67% in Moodle; Quizdeck scales them to add up "
        "to 100%, so each scores its share"
    ) in messages(result.warnings)
