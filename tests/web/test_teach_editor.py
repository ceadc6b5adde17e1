"""The item editor: every type saves what was typed, and every mistake gets a message on
the field it concerns (the element `<id>-error` that the field's aria-describedby names)."""

from __future__ import annotations

import re

import pytest

from tests.web.teach_support import (
    error_for,
    filled_form,
    input_value,
    item_ids,
    make_set,
    set_items,
    text_of,
)


@pytest.fixture
def teacher(login_as):
    return login_as("teacher1", "teacher")


@pytest.fixture
def set_id(app, teacher):
    return make_set(app, "teacher1")


COMMON = {"prompt": "A question?", "difficulty": "0.5", "action": "save"}


def options(*rows):
    """Form fields for options: rows of (text, right) or (text, right, weight)."""
    fields = {}
    for i, row in enumerate(rows):
        fields[f"options-{i}-text"] = row[0]
        if row[1]:
            fields[f"options-{i}-correct"] = "y"
        if len(row) > 2:
            fields[f"options-{i}-weight"] = row[2]
    return fields


def post(client, set_id, item_type, fields, common=True):
    data = (COMMON if common else {"action": "save"}) | fields
    return client.post(f"/teach/sets/{set_id}/items/new/{item_type}", data=data)


# -- saving every type ---------------------------------------------------------------------


VALID_FORMS = {
    "single": options(("London", True), ("Rome", False)),
    "multi": options(("A", True), ("B", True), ("C", False)),
    "truefalse": {"answer": "false"},
    "short": {
        "answers-0-text": "Geneva",
        "answers-0-credit": "100",
        "answers-1-text": "Genf",
        "answers-1-credit": "50",
    },
    "numeric": {
        "answers-0-value": "2014",
        "answers-0-tolerance": "1",
        "answers-0-credit": "100",
        "unit": "AD",
    },
    "ordering": {"items-0": "First", "items-1": "Second", "items-2": "Third", "items-3": ""},
    "matching": {
        "pairs-0-left": "Tae",
        "pairs-0-right": "Diplomat",
        "pairs-1-left": "Kirby",
        "pairs-1-right": "Judge",
        "distractors": "Athlete\n",
    },
    "cloze": {
        "text": "Kim ordered a {1} of the panel in {2}.",
        "blanks-0-answers": "review\nreexamination",
        "blanks-1-answers": "2014",
    },
}

EXPECTED_DATA = {
    "single": {
        "options": [{"text": "London", "correct": True}, {"text": "Rome", "correct": False}]
    },
    "multi": {
        "options": [
            {"text": "A", "correct": True},
            {"text": "B", "correct": True},
            {"text": "C", "correct": False},
        ]
    },
    "truefalse": {"answer": False},
    "short": {"answers": [{"text": "Geneva", "fraction": 1.0}, {"text": "Genf", "fraction": 0.5}]},
    "numeric": {"answers": [{"value": 2014.0, "tolerance": 1.0, "fraction": 1.0}], "unit": "AD"},
    "ordering": {"items": ["First", "Second", "Third"]},
    "matching": {
        "pairs": [{"left": "Tae", "right": "Diplomat"}, {"left": "Kirby", "right": "Judge"}],
        "distractors": ["Athlete"],
    },
    "cloze": {
        "text": "Kim ordered a {1} of the panel in {2}.",
        "blanks": [{"answers": ["review", "reexamination"]}, {"answers": ["2014"]}],
    },
}


@pytest.mark.parametrize("item_type", sorted(VALID_FORMS))
def test_each_type_saves_what_was_typed(app, teacher, set_id, item_type):
    fields = VALID_FORMS[item_type] | {
        "explanation": "Because *so*.",
        "sources": "Korea Times, 2024-11\nUN A/HRC/25/63",
        "topics": "defections, UPR, defections",
        "difficulty": "0.7",
    }
    response = post(teacher, set_id, item_type, fields)
    assert response.status_code == 302, text_of(response.data.decode())[:2000]
    [item] = set_items(app, set_id)
    assert item["type"] == item_type
    assert item["prompt"] == "A question?"
    assert item["data"] == EXPECTED_DATA[item_type]
    assert item["explanation"] == "Because *so*."
    assert item["sources"] == ["Korea Times, 2024-11", "UN A/HRC/25/63"]
    assert item["topics"] == ["defections", "UPR"]
    assert item["difficulty"] == 0.7
    assert item["key"].startswith("authored.")


def test_editing_loads_the_item_and_saves_a_new_version(app, teacher, set_id):
    post(teacher, set_id, "matching", VALID_FORMS["matching"])
    [item_id] = item_ids(app, set_id)
    page = teacher.get(f"/teach/sets/{set_id}/items/{item_id}").data.decode()
    assert 'value="Kirby"' in page and 'value="Judge"' in page and "\nAthlete</textarea>" in page
    fields = VALID_FORMS["matching"] | {"pairs-1-right": "Commission chair"}
    response = teacher.post(f"/teach/sets/{set_id}/items/{item_id}", data=COMMON | fields)
    assert response.status_code == 302
    [item] = set_items(app, set_id)
    assert item["data"]["pairs"][1] == {"left": "Kirby", "right": "Commission chair"}
    from models import Item, db

    with app.app_context():
        assert db.session.get(Item, item_id).version == 2


@pytest.mark.parametrize("item_type", ["short", "cloze"])
def test_the_romanisation_setting_is_kept_through_an_edit(app, teacher, set_id, item_type):
    # Bank items accept other romanisations of Korean names; an edit must not drop that.
    post(teacher, set_id, item_type, VALID_FORMS[item_type] | {"romanised": "y"})
    [item_id] = item_ids(app, set_id)
    assert set_items(app, set_id)[0]["data"]["romanised"] is True
    page = teacher.get(f"/teach/sets/{set_id}/items/{item_id}").data.decode()
    box = re.search(r'<input[^>]*name="romanised"[^>]*>', page).group(0)
    assert "checked" in box
    teacher.post(
        f"/teach/sets/{set_id}/items/{item_id}",
        data=COMMON | VALID_FORMS[item_type] | {"romanised": "y", "explanation": "Edited."},
    )
    assert set_items(app, set_id)[0]["data"]["romanised"] is True
    # Unticked, the item grades names as written.
    teacher.post(f"/teach/sets/{set_id}/items/{item_id}", data=COMMON | VALID_FORMS[item_type])
    assert "romanised" not in set_items(app, set_id)[0]["data"]


# -- one message per mistake, on its field --------------------------------------------------

MISTAKES = [
    # (type, fields, element whose error it is, message)
    (
        "single",
        options(("A", True), ("B", False)) | {"prompt": ""},
        "prompt",
        "Write the question.",
    ),
    (
        "single",
        options(("Only one", True)),
        "options",
        "A single-choice item needs at least 2 options; it has 1.",
    ),
    (
        "single",
        options(("A", False), ("B", False)),
        "options",
        "Mark the right answer: tick “Right answer” on one option.",
    ),
    (
        "single",
        options(("London", True), ("Rome", True), ("Paris", False)),
        "options",
        "A single-choice item has exactly one right answer, but 2 are marked. Untick all but one, "
        "or make it a multiple-response item.",
    ),
    (
        "single",
        options(("A", False), ("B", False), ("", True)),
        "options-2-text",
        "This option has no text: write it or remove the option.",
    ),
    (
        "single",
        options(("London", True), ("london ", False)),
        "options-1-text",
        "This option repeats option 1.",
    ),
    (
        "multi",
        options(("A", True), ("B", False)),
        "options",
        "A multiple-response item needs at least 3 options; it has 2.",
    ),
    (
        "multi",
        options(("A", False), ("B", False), ("C", False)),
        "options",
        "Mark at least one option as a right answer.",
    ),
    (
        "multi",
        options(("A", True), ("B", True), ("C", True)),
        "options",
        "Leave at least one option wrong: when every option is right, ticking everything scores "
        "full marks.",
    ),
    (
        "multi",
        options(("A", True, "50"), ("B", True), ("C", False)),
        "options",
        "Give every option a weight, or leave all weights empty for the default (right options "
        "share 100%, wrong ones share -100%).",
    ),
    (
        "multi",
        options(("A", True, "150"), ("B", True, "50"), ("C", False, "-100")),
        "options-0-weight",
        "A weight is a percentage from -100 to 100.",
    ),
    # The registry's own check, placed on the options by the words of its message.
    (
        "multi",
        options(("A", True, "50"), ("B", True, "20"), ("C", False, "-100")),
        "options",
        "The weights of the right options add up to 0.7, not 1.",
    ),
    ("truefalse", {}, "answer", "Choose whether the statement is true or false."),
    ("truefalse", {"answer": "true", "prompt": ""}, "prompt", "Write the statement."),
    ("short", {"answers-0-text": ""}, "answers", "Give at least one accepted answer."),
    (
        "short",
        {"answers-0-text": "Genf", "answers-0-credit": "50"},
        "answers",
        "One accepted answer must be worth full credit (100%).",
    ),
    (
        "short",
        {"answers-0-text": "Geneva", "answers-1-text": "GENEVA"},
        "answers-1-text",
        "This answer repeats answer 1.",
    ),
    # Short answers and cloze blanks refuse the same repeats: those graders treat alike.
    (
        "short",
        {"answers-0-text": "Pyongyang", "answers-1-text": "P'yŏngyang"},
        "answers-1-text",
        "This answer repeats answer 1.",
    ),
    (
        "short",
        {"answers-0-text": "The Hague", "answers-1-text": "Hague"},
        "answers-1-text",
        "This answer repeats answer 1.",
    ),
    (
        "cloze",
        {"text": "The capital is {1}.", "blanks-0-answers": "Pyongyang\nP'yŏngyang"},
        "blanks-0-answers",
        "“P'yŏngyang” repeats an answer of blank 1: grading treats them alike.",
    ),
    (
        "short",
        {"answers-0-text": "Geneva", "answers-0-credit": "120"},
        "answers-0-credit",
        "Credit is a percentage from 0 to 100.",
    ),
    (
        "numeric",
        {"answers-0-value": "2014", "answers-0-tolerance": "-1"},
        "answers-0-tolerance",
        "Tolerance cannot be negative: it is how far either side of the value an answer may be.",
    ),
    (
        "numeric",
        {"answers-0-value": "twenty"},
        "answers-0-value",
        "Type a number, such as 2.5 or -3.",
    ),
    ("numeric", {"answers-0-value": ""}, "answers", "Give the right value."),
    (
        "numeric",
        {"answers-0-value": "2014", "answers-0-credit": "50"},
        "answers",
        "One answer must be worth full credit (100%).",
    ),
    (
        "ordering",
        {"items-0": "A", "items-1": "B"},
        "items",
        "An ordering item needs at least 3 items; it has 2.",
    ),
    (
        "ordering",
        {"items-0": "A", "items-1": "B", "items-2": "a"},
        "items-2",
        "This item repeats item 1.",
    ),
    (
        "matching",
        {"pairs-0-left": "Tae", "pairs-0-right": "Diplomat"},
        "pairs",
        "A matching item needs at least 2 pairs; it has 1.",
    ),
    (
        "matching",
        {"pairs-0-left": "Tae", "pairs-0-right": "Diplomat", "pairs-1-left": "Kirby"},
        "pairs-1-right",
        "This pair has no right side: write it or remove the pair.",
    ),
    (
        "matching",
        {
            "pairs-0-left": "Tae",
            "pairs-0-right": "Diplomat",
            "pairs-1-left": "Tae",
            "pairs-1-right": "Judge",
        },
        "pairs-1-left",
        "This left side repeats pair 1.",
    ),
    (
        "matching",
        {
            "pairs-0-left": "Tae",
            "pairs-0-right": "Diplomat",
            "pairs-1-left": "Kirby",
            "pairs-1-right": "Judge",
            "distractors": "Judge",
        },
        "distractors",
        "“Judge” is already a right side: a distractor must be wrong for every pair.",
    ),
    ("cloze", {"text": ""}, "text", "Write the text, with {1}, {2}... where the blanks go."),
    (
        "cloze",
        {"text": "No blanks here.", "blanks-0-answers": "x"},
        "text",
        "Mark each blank in the text with {1}, {2}, and so on.",
    ),
    (
        "cloze",
        {"text": "A {1} and a {2}.", "blanks-0-answers": "x"},
        "text",
        "The text marks blank {2} but there is only 1 blank: add a blank or change the text.",
    ),
    (
        "cloze",
        {"text": "A {1} and a {1}.", "blanks-0-answers": "x"},
        "text",
        "{1} appears more than once in the text.",
    ),
    (
        "cloze",
        {"text": "A {1}.", "blanks-0-answers": "x", "blanks-1-answers": "y"},
        "blanks-1-answers",
        "Blank 2 is not in the text: write {2} where it goes, or remove the blank.",
    ),
    (
        "cloze",
        {"text": "A {1} and a {2}.", "blanks-0-answers": "", "blanks-1-answers": "y"},
        "blanks-0-answers",
        "Give at least one answer for blank 1.",
    ),
    (
        "single",
        options(("A", True), ("B", False)) | {"difficulty": "1.5"},
        "difficulty",
        "Difficulty is a number from 0 (easy) to 1 (hard).",
    ),
    (
        "single",
        options(("A", True), ("B", False)) | {"difficulty": ""},
        "difficulty",
        "Give a difficulty from 0 (easy) to 1 (hard).",
    ),
    (
        "single",
        options(("A", True), ("B", False)) | {"topics": "ok, " + "x" * 81},
        "topics",
        "A topic tag has at most 80 characters.",
    ),
]


@pytest.mark.parametrize(
    ("item_type", "fields", "element", "message"),
    MISTAKES,
    ids=[f"{m[0]}-{m[2]}-{i}" for i, m in enumerate(MISTAKES)],
)
def test_each_mistake_gets_its_message_on_its_field(
    app, teacher, set_id, item_type, fields, element, message
):
    response = post(teacher, set_id, item_type, fields)
    assert response.status_code == 200
    page = response.data.decode()
    assert message in error_for(page, element), text_of(page)[:3000]
    # The summary at the top links to the same element, and nothing was saved.
    assert f'href="#{element}' in page
    assert set_items(app, set_id) == []


def test_the_error_is_tied_to_its_field_for_screen_readers(teacher, set_id):
    page = post(teacher, set_id, "numeric", {"answers-0-value": "1", "answers-0-tolerance": "-2"})
    html = page.data.decode()
    assert 'aria-describedby="answers-0-tolerance-error"' in html
    assert 'aria-invalid="true"' in html


def test_a_mistake_keeps_what_was_typed(teacher, set_id):
    fields = options(("Deputy ambassador", True), ("Ambassador", True)) | {"explanation": "Why"}
    page = post(teacher, set_id, "single", fields).data.decode()
    assert 'value="Deputy ambassador"' in page and 'value="Ambassador"' in page
    assert "\nWhy</textarea>" in page


# -- adding and removing entries without JavaScript ----------------------------------------


def test_add_option_button_adds_an_empty_option_and_focuses_it(app, teacher, set_id):
    fields = options(("A", True), ("B", False)) | {"action": "add:options"}
    response = post(teacher, set_id, "single", fields)
    page = response.data.decode()
    assert response.status_code == 200
    assert input_value(page, "options-0-text") == "A"
    assert input_value(page, "options-1-text") == "B"
    assert input_value(page, "options-2-text") == ""
    assert input_value(page, "options-3-text") is None
    assert 'autofocus id="options-2-text"' in page or 'id="options-2-text" autofocus' in page
    assert "field-error" not in page  # nothing validated yet
    assert set_items(app, set_id) == []


def test_remove_button_drops_that_entry_and_renumbers(app, teacher, set_id):
    fields = {
        "items-0": "First",
        "items-1": "Drop me",
        "items-2": "Second",
        "items-3": "Third",
        "action": "remove:items:1",
    }
    page = post(teacher, set_id, "ordering", fields).data.decode()
    assert "Drop me" not in page
    assert input_value(page, "items-0") == "First"
    assert input_value(page, "items-1") == "Second"
    assert input_value(page, "items-2") == "Third"
    assert input_value(page, "items-3") is None
    assert 'name="items-1"' in page and 'value="remove:items:2"' in page


@pytest.mark.parametrize(
    "action",
    [
        "add:nothing",
        "remove:options:9",
        "remove:options:x",
        "zap",
        # isdigit() is True for "²" and int() fails: a 500 before quizzes/integers.py
        "remove:options:²",
        "move:options:²:up",
        f"remove:options:{2**63}",
    ],
)
def test_unknown_list_actions_are_refused(teacher, set_id, action):
    response = post(teacher, set_id, "single", options(("A", True)) | {"action": action})
    assert response.status_code == 400


# -- moving entries without JavaScript ------------------------------------------------------

# As a teacher might type them: the first two the wrong way round.
TYPED_ORDER = {
    "items-0": "Tae Yong-ho defects",
    "items-1": "Kim Jong-il dies",
    "items-2": "The cables are released",
}


def autofocused(page: str) -> list[str]:
    return re.findall(r'<[^>]*\bid="([^"]+)"[^>]*\bautofocus\b[^>]*>', page) + re.findall(
        r'<[^>]*\bautofocus\b[^>]*\bid="([^"]+)"[^>]*>', page
    )


def test_moving_an_entry_up_swaps_it_keeps_what_was_typed_and_saves_nothing(app, teacher, set_id):
    fields = TYPED_ORDER | {"explanation": "Dates from the cables.", "action": "move:items:1:up"}
    response = post(teacher, set_id, "ordering", fields)
    page = response.data.decode()
    assert response.status_code == 200
    assert [input_value(page, f"items-{i}") for i in range(4)] == [
        "Kim Jong-il dies",
        "Tae Yong-ho defects",
        "The cables are released",
        None,
    ]
    assert "\nDates from the cables.</textarea>" in page
    # Now first, it has no "Up": the keyboard lands on its "Down".
    assert autofocused(page) == ["items-0-down"]
    assert "field-error" not in page  # nothing validated yet
    assert set_items(app, set_id) == []


def test_moving_down_keeps_the_focus_on_the_same_button(teacher, set_id):
    page = post(teacher, set_id, "ordering", TYPED_ORDER | {"action": "move:items:0:down"})
    page = page.data.decode()
    assert input_value(page, "items-1") == "Tae Yong-ho defects"
    assert autofocused(page) == ["items-1-down"]


def test_move_buttons_name_their_entry_and_the_ends_have_none(teacher, set_id):
    long = "The Ministry of Unification releases the diplomatic cables of the 2014 review"
    fields = TYPED_ORDER | {"items-3": long, "items-4": "", "action": "add:items"}
    page = post(teacher, set_id, "ordering", fields).data.decode()
    buttons = dict(re.findall(r'<button [^>]*value="(move:[^"]+)"[^>]*aria-label="([^"]+)"', page))
    assert buttons["move:items:0:down"] == "Move “Tae Yong-ho defects” down"
    assert buttons["move:items:1:up"] == "Move “Kim Jong-il dies” up"
    assert buttons["move:items:3:up"] == (
        "Move “The Ministry of Unification releases the diplomatic cables…” up"
    )
    assert buttons["move:items:5:up"] == "Move item 6 up"  # empty: named by its number
    hidden = re.findall(r'<button [^>]*value="(move:[^"]+)"[^>]*\bhidden\b', page)
    assert hidden == ["move:items:0:up", "move:items:5:down"]


def test_a_moved_order_is_saved_exactly(app, teacher, set_id):
    """Edit a saved item through its pages as a browser without JavaScript would."""
    post(teacher, set_id, "ordering", TYPED_ORDER | {"items-3": "Seoul sums them up"})
    [item_id] = item_ids(app, set_id)
    url = f"/teach/sets/{set_id}/items/{item_id}"
    page = teacher.get(url).data.decode()
    for action in ("move:items:1:up", "move:items:3:up", "move:items:2:down"):
        page = teacher.post(url, data=filled_form(page) | {"action": action}).data.decode()
    response = teacher.post(url, data=filled_form(page) | {"action": "save"})
    assert response.status_code == 302
    [item] = set_items(app, set_id)
    assert item["data"] == {
        "items": [
            "Kim Jong-il dies",
            "Tae Yong-ho defects",
            "The cables are released",
            "Seoul sums them up",
        ]
    }


@pytest.mark.parametrize(
    ("item_type", "fields", "action", "expected"),
    [
        (
            "short",
            {
                "answers-0-text": "Thae Yongho",
                "answers-0-credit": "100",
                "answers-1-text": "Tae Yong-ho",
                "answers-1-credit": "100",
            },
            "move:answers:1:up",
            {
                "answers": [
                    {"text": "Tae Yong-ho", "fraction": 1.0},
                    {"text": "Thae Yongho", "fraction": 1.0},
                ]
            },
        ),
        (
            "numeric",
            {
                "answers-0-value": "2015",
                "answers-0-credit": "50",
                "answers-1-value": "2016",
                "answers-1-credit": "100",
            },
            "move:answers:0:down",
            {
                "answers": [
                    {"value": 2016.0, "tolerance": 0.0, "fraction": 1.0},
                    {"value": 2015.0, "tolerance": 0.0, "fraction": 0.5},
                ],
                "unit": "",
            },
        ),
    ],
)
def test_answers_move_too_since_the_first_full_one_is_shown(
    app, teacher, set_id, item_type, fields, action, expected
):
    url = f"/teach/sets/{set_id}/items/new/{item_type}"
    page = teacher.post(url, data=COMMON | fields | {"action": action}).data.decode()
    response = teacher.post(url, data=filled_form(page) | {"action": "save"})
    assert response.status_code == 302, text_of(response.data.decode())[:1000]
    assert set_items(app, set_id)[0]["data"] == expected


def test_a_number_that_did_not_parse_moves_as_typed(teacher, set_id):
    fields = {
        "answers-0-value": "2O16",  # a letter O
        "answers-0-credit": "100",
        "answers-1-value": "2015",
        "answers-1-credit": "50",
        "action": "move:answers:0:down",
    }
    page = post(teacher, set_id, "numeric", fields).data.decode()
    assert input_value(page, "answers-0-value") == "2015"
    assert input_value(page, "answers-1-value") == "2O16"
    assert input_value(page, "answers-1-credit") == "100"


def test_adding_an_entry_keeps_a_number_that_did_not_parse(teacher, set_id):
    fields = {"answers-0-value": "2O16", "answers-0-credit": "1OO", "action": "add:answers"}
    page = post(teacher, set_id, "numeric", fields).data.decode()
    assert input_value(page, "answers-0-value") == "2O16"
    assert input_value(page, "answers-0-credit") == "1OO"
    assert input_value(page, "answers-1-value") == ""


@pytest.mark.parametrize(
    "action",
    [
        "move:items:0:up",  # already first
        "move:items:2:down",  # already last
        "move:items:3:up",  # no such entry
        "move:items:1:sideways",
        "move:items:x:up",
        "move:items:1",
        "move:items:1:up:more",
    ],
)
def test_moves_that_cannot_be_made_are_refused(teacher, set_id, action):
    assert post(teacher, set_id, "ordering", TYPED_ORDER | {"action": action}).status_code == 400


def test_lists_whose_order_means_nothing_have_no_move_buttons(teacher, set_id):
    # Options and pairs are shuffled for students; blanks are tied to {1}, {2} in the text.
    for item_type in ("single", "multi", "matching", "cloze"):
        page = teacher.get(f"/teach/sets/{set_id}/items/new/{item_type}").data.decode()
        assert 'value="move:' not in page, item_type
    refused = post(
        teacher,
        set_id,
        "single",
        options(("A", True), ("B", False)) | {"action": "move:options:0:down"},
    )
    assert refused.status_code == 400


def test_new_item_forms_start_with_useful_empty_rows(teacher, set_id):
    page = teacher.get(f"/teach/sets/{set_id}/items/new/single").data.decode()
    assert page.count('class="entry"') == 4
    assert "Add option" in page and "Remove option" in page
    page = teacher.get(f"/teach/sets/{set_id}/items/new/cloze").data.decode()
    assert "\nFill in the blanks.</textarea>" in page


def test_unknown_item_type_is_404(teacher, set_id):
    assert teacher.get(f"/teach/sets/{set_id}/items/new/drawing").status_code == 404


def test_save_and_add_another_opens_a_fresh_form(app, teacher, set_id):
    fields = VALID_FORMS["truefalse"] | {"action": "save-another"}
    response = post(teacher, set_id, "truefalse", fields)
    assert response.headers["Location"].endswith(f"/teach/sets/{set_id}/items/new/truefalse")
    assert len(set_items(app, set_id)) == 1
