"""Every registered type has every piece, and every file format answers for every type.

A new type fails here until its module declares all of ItemType (base.py), including what
each of FILE_FORMATS can carry of it; a format writer fails here when it writes a type the
type says it cannot carry, or leaves out one it says it can.
"""

from __future__ import annotations

import copy
import inspect
from random import Random

import pytest

from quizzes.domain.flashcards import cards_from_item
from quizzes.domain.generator import difficulty
from quizzes.domain.interop import (
    aiken,
    csv_writer,
    csvformat,
    gift_writer,
    moodle_writer,
    to_aiken,
    to_csv,
    to_gift,
    to_json,
    to_moodle_xml,
)
from quizzes.domain.itemtypes import (
    FILE_FORMATS,
    ITEM_TYPES,
    REGISTRY,
    TYPE_HINTS,
    TYPE_LABELS,
    FormatSupport,
    ItemType,
    format_support,
    listed_prompt,
)

# What ItemType declares: constants (annotations) and functions, read from the protocol
# itself, so a piece added there is checked here for every type.
CONSTANTS = set(ItemType.__annotations__)
FUNCTIONS = {
    name
    for name, member in vars(ItemType).items()
    if inspect.isfunction(member) and not name.startswith("_")
}
WRITERS = {
    "gift": gift_writer.WRITTEN_TYPES,
    "aiken": aiken.WRITTEN_TYPES,
    "moodle": moodle_writer.WRITTEN_TYPES,
}


def sample_item(item_type: str) -> dict:
    prompt, data = copy.deepcopy(REGISTRY[item_type].EXAMPLE)
    return {
        "key": f"sample.{item_type}",
        "type": item_type,
        "prompt": prompt,
        "data": data,
        "explanation": "",
        "sources": [],
        "topics": [],
        "difficulty": 0.5,
        "fact_ids": [],
    }


def test_the_protocol_names_every_piece_the_issue_asks_for():
    assert {"NAME", "LABEL", "HINT", "BASE_DIFFICULTY", "FREE_PARTS", "FORMATS"} <= CONSTANTS
    assert "EXAMPLE" in CONSTANTS
    assert {
        "check_data",
        "validate",
        "present",
        "parse_response",
        "grade",
        "describe_key",
        "describe_response",
        "listed_prompt",
        "counted_answer",
        "choice_list",
        "flashcards",
    } <= FUNCTIONS


@pytest.mark.parametrize("item_type", ITEM_TYPES)
def test_every_type_module_has_every_piece(item_type):
    module = REGISTRY[item_type]
    missing = sorted(name for name in CONSTANTS | FUNCTIONS if not hasattr(module, name))
    assert missing == [], f"{item_type} lacks {missing}"
    assert module.NAME == item_type
    assert module.LABEL.strip() and module.HINT.strip()
    assert 0 < module.BASE_DIFFICULTY < 1
    assert module.FREE_PARTS is None or module.FREE_PARTS >= 0
    for name in FUNCTIONS:
        assert callable(getattr(module, name)), f"{item_type}.{name} is not a function"
    prompt, data = module.EXAMPLE
    assert module.check_data(data) == [] and module.validate(prompt, data) == []


@pytest.mark.parametrize("item_type", ITEM_TYPES)
def test_every_format_has_an_answer_for_every_type(item_type):
    formats = REGISTRY[item_type].FORMATS
    assert set(formats) == set(FILE_FORMATS)
    for name, support in formats.items():
        assert isinstance(support, FormatSupport)
        assert support.carried or support.reason.strip(), f"{name} gives no reason"


@pytest.mark.parametrize("file_format", ["gift", "aiken", "csv", "moodle"])
def test_writers_write_exactly_the_types_declared_carried(file_format):
    carried = {t for t in ITEM_TYPES if REGISTRY[t].FORMATS[file_format].carried}
    written = WRITERS.get(file_format, csv_writer.WRITTEN_TYPES)
    assert written == carried
    if file_format == "csv":
        assert csvformat.READ_TYPES == carried


def test_tables_that_list_types_come_from_the_registry():
    assert tuple(TYPE_LABELS) == ITEM_TYPES
    assert tuple(TYPE_HINTS) == ITEM_TYPES
    assert tuple(difficulty.BASE_BY_TYPE) == ITEM_TYPES
    assert TYPE_LABELS["cloze"] == REGISTRY["cloze"].LABEL


@pytest.mark.parametrize(
    ("item_type", "file_format"),
    [
        (t, f)
        for t in ITEM_TYPES
        for f in ("gift", "aiken", "moodle")
        if not REGISTRY[t].FORMATS[f].carried
    ],
)
def test_a_format_that_cannot_carry_a_type_says_why(item_type, file_format):
    writer = {"gift": to_gift, "aiken": to_aiken, "moodle": to_moodle_xml}[file_format]
    text, issues = writer([sample_item(item_type)])
    assert "<question" not in text if file_format == "moodle" else text == ""
    assert [(issue.message, issue.dropped) for issue in issues] == [
        (REGISTRY[item_type].FORMATS[file_format].reason, True)
    ]


def test_ordering_is_declared_out_of_gift_and_reported_in_its_words():
    support = format_support("ordering", "gift")
    assert support == FormatSupport(False, "GIFT has no ordering questions")
    assert format_support("no-such-type", "gift").carried is False


def test_a_type_without_a_writer_is_reported_not_a_key_error(monkeypatch):
    """A type registered as carried but whose writer is missing (say, half added) is
    left out with a message; it used to raise KeyError from gift._WRITERS[...]."""
    monkeypatch.delitem(gift_writer._WRITERS, "truefalse")
    text, issues = to_gift([sample_item("truefalse")])
    assert text == ""
    assert issues[0].dropped
    assert issues[0].message == "Quizdeck has no GIFT writer for this question type yet"


def test_a_type_declared_out_of_csv_or_json_is_refused_with_its_reason(monkeypatch):
    reason = "CSV has no room for this"
    monkeypatch.setitem(REGISTRY["short"].FORMATS, "csv", FormatSupport(False, reason))
    monkeypatch.setitem(REGISTRY["short"].FORMATS, "json", FormatSupport(False, reason))
    with pytest.raises(ValueError, match=reason):
        to_csv([sample_item("short")])
    with pytest.raises(ValueError, match=reason):
        to_json({}, [sample_item("short")])
    assert to_csv([sample_item("numeric")]).count("\n") == 2  # other types still written


@pytest.mark.parametrize("item_type", ITEM_TYPES)
def test_each_type_lists_counts_and_makes_cards_through_its_module(item_type):
    module = REGISTRY[item_type]
    item = sample_item(item_type)
    view, key = module.present(item["data"], Random(1))
    snapshot = {"type": item_type, "prompt": item["prompt"], "view": view, "key": key}
    assert listed_prompt(snapshot) == module.listed_prompt(item["prompt"], view)
    assert module.counted_answer(view, None) == ()
    choices = module.choice_list(view, key)
    assert choices is None or sum(right for _, right in choices) >= 1
    common = {"memory_keys": ("memory",), "extra": "", "sources": (), "tags": ()}
    assert cards_from_item(item, ("memory",)) == module.flashcards(item, common)


def test_a_cloze_is_listed_with_its_sentence_the_same_way_everywhere():
    module = REGISTRY["cloze"]
    view, _ = module.present(module.EXAMPLE[1], Random(0))
    snapshot = {"type": "cloze", "prompt": "Fill in the blanks.", "view": view}
    assert listed_prompt(snapshot) == "Fill in the blanks. Kim ordered a … of the panel in …."


@pytest.mark.parametrize(
    ("item_type", "keys"),
    [("single", 4), ("multi", 4), ("truefalse", 2), ("short", 0), ("ordering", 0), ("cloze", 0)],
)
def test_the_number_keys_pick_among_the_options_a_type_shows(item_type, keys):
    module = REGISTRY[item_type]
    view, _ = module.present(module.EXAMPLE[1], Random(0))
    assert module.key_options(view) == keys


@pytest.mark.parametrize(
    ("typed", "form"),
    [("y", {"answer": ["true"]}), ("No!", {"answer": ["false"]}), ("", {}), ("maybe", None)],
)
def test_a_true_false_card_reads_typed_words_as_the_quiz_form(typed, form):
    truefalse = REGISTRY["truefalse"]
    assert truefalse.typed_form(typed) == form
    if form:  # and the quiz's own parser reads that form
        assert truefalse.parse_response({}, form) is (form["answer"] == ["true"])


def test_item_analysis_counts_answers_as_each_type_shows_them():
    single, multi, short = REGISTRY["single"], REGISTRY["multi"], REGISTRY["short"]
    view, key = single.present(single.EXAMPLE[1], Random(0))
    assert single.counted_answer(view, key["correct"]) == (view["options"][key["correct"]],)
    assert [right for _, right in single.choice_list(view, key)] == [True, False, False, False]
    view, key = multi.present(multi.EXAMPLE[1], Random(0))
    assert multi.counted_answer(view, [1, 0, 1]) == (view["options"][0], view["options"][1])
    assert short.counted_answer({}, "Thae") == ("Thae",)
    assert short.choice_list({}, {}) is None


@pytest.mark.parametrize("item_type", ITEM_TYPES)
def test_each_type_says_what_an_exported_card_shows_under_its_prompt(item_type):
    """The Anki writer asks the type (card_front) instead of a branch per type."""
    module = REGISTRY[item_type]
    view, _ = module.present(copy.deepcopy(module.EXAMPLE[1]), Random(0))
    assert isinstance(module.card_front(view), str)


def test_a_card_front_escapes_what_the_teacher_wrote():
    single = REGISTRY["single"]
    view = {"options": ["<b>Geneva</b>", "Rome & 'Milan'"]}
    assert single.card_front(view) == (
        "<ol type='A'><li>&lt;b&gt;Geneva&lt;/b&gt;</li><li>Rome &amp; &#39;Milan&#39;</li></ol>"
    )
    assert REGISTRY["essay"].card_front({}) == ""


@pytest.mark.parametrize("item_type", ITEM_TYPES)
def test_each_type_says_whether_an_exported_card_is_a_cloze_note(item_type):
    """The Anki writer asks the type (card_cloze) instead of a branch on its name."""
    module = REGISTRY[item_type]
    cloze = module.card_cloze(copy.deepcopy(module.EXAMPLE[1]))
    assert (cloze is not None) == (item_type == "cloze")


def test_a_cloze_card_marks_each_blank_and_lists_the_other_answers():
    data = {
        "text": "Kim & {1} met {2}.",
        "blanks": [{"answers": ["<Tae>", "Thae"]}, {"answers": ["a::b}}"]}],
    }
    cloze = REGISTRY["cloze"].card_cloze(data)
    # Escaped, and "::" and "}}" broken up so that they cannot end Anki's marker early.
    assert cloze.text == "<p>Kim &amp; {{c1::&lt;Tae&gt;}} met {{c2::a: :b} }}}.</p>"
    assert cloze.back_extra == "<p>Also accepted: {1}: &lt;Tae&gt;, Thae</p>"
    assert REGISTRY["cloze"].card_cloze(REGISTRY["cloze"].EXAMPLE[1]).back_extra == ""
