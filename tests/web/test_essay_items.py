"""Essay items over HTTP: writing one in the editor, answering it in a quiz."""

from __future__ import annotations

import pytest

from models import SetStatus
from tests.web.teach_support import error_for, make_set, set_items, text_of


@pytest.fixture
def teacher(login_as):
    return login_as("teacher1", "teacher")


@pytest.fixture
def set_id(app, teacher):
    return make_set(app, "teacher1")


def post_essay(client, set_id, fields):
    data = {"prompt": "Why did the armistice not end the war?", "difficulty": "0.5"}
    data |= {"action": "save", "max_points": "1"} | fields  # as the new form is filled
    return client.post(f"/teach/sets/{set_id}/items/new/essay", data=data)


def test_an_essay_with_a_rubric_is_saved_as_typed(app, teacher, set_id):
    response = post_essay(
        teacher,
        set_id,
        {
            "word_limit": "200",
            "template": "Cause:\nEffect:",
            "grader_info": "Expect 1953.",
            "criteria-0-criterion": "Evidence",
            "criteria-0-levels": "None = 0; Some = 1; Well chosen = 2,5",
            "criteria-1-criterion": "Clarity",
            "criteria-1-levels": "Muddled = 0; Clear = 1",
        },
    )
    assert response.status_code == 302, text_of(response.data.decode())[:2000]
    [item] = set_items(app, set_id)
    assert item["type"] == "essay"
    assert item["data"] == {
        "word_limit": 200,
        "template": "Cause:\nEffect:",
        "grader_info": "Expect 1953.",
        "rubric": [
            {
                "criterion": "Evidence",
                "levels": [
                    {"text": "None", "points": 0},
                    {"text": "Some", "points": 1},
                    {"text": "Well chosen", "points": 2.5},
                ],
            },
            {
                "criterion": "Clarity",
                "levels": [{"text": "Muddled", "points": 0}, {"text": "Clear", "points": 1}],
            },
        ],
    }
    # The edit page shows the rubric again, one line of levels per criterion.
    [item_id] = [item_id for item_id in _ids(app, set_id)]
    page = teacher.get(f"/teach/sets/{set_id}/items/{item_id}").get_data(as_text=True)
    assert 'value="None = 0; Some = 1; Well chosen = 2.5"' in page


def _ids(app, set_id):
    from tests.web.teach_support import item_ids

    return item_ids(app, set_id)


def test_without_a_rubric_it_is_marked_out_of_max_points(app, teacher, set_id):
    response = post_essay(teacher, set_id, {"max_points": "10"})
    assert response.status_code == 302
    [item] = set_items(app, set_id)
    assert item["data"] == {"max_points": 10.0}


@pytest.mark.parametrize(
    ("fields", "element", "message"),
    [
        (
            {"criteria-0-criterion": "Evidence", "criteria-0-levels": "good"},
            "criteria-0-levels",
            "Write each level as description = points: 'good' is not.",
        ),
        (
            {"criteria-0-criterion": "Evidence", "criteria-0-levels": "Good = 1"},
            "criteria-0-levels",
            "Give at least two levels.",
        ),
        (
            {"criteria-0-levels": "Bad = 0; Good = 1"},
            "criteria-0-criterion",
            "Name this criterion, or remove it.",
        ),
        ({"word_limit": "0"}, "word_limit", "The word limit is a whole number from 1 to 3000."),
        ({"word_limit": "lots"}, "word_limit", "Not a valid integer value."),
        ({"max_points": ""}, "max_points", "Give the max points, or write a rubric."),
        (
            {"word_limit": "2", "template": "Cause: Effect: More:"},
            "template",
            "The response template is longer than the word limit.",
        ),
    ],
)
def test_mistakes_get_a_message_on_their_field_and_save_nothing(
    app, teacher, set_id, fields, element, message
):
    response = post_essay(teacher, set_id, fields)
    assert response.status_code == 200
    assert message in error_for(response.get_data(as_text=True), element)
    assert set_items(app, set_id) == []


def test_the_new_essay_page_offers_the_rubric_list_and_its_buttons(teacher, set_id):
    page = teacher.get(f"/teach/sets/{set_id}/items/new/essay").get_data(as_text=True)
    assert 'id="criteria-group"' in page and "Add criterion" in page
    added = teacher.post(
        f"/teach/sets/{set_id}/items/new/essay",
        data={"prompt": "Why?", "difficulty": "0.5", "action": "add:criteria"},
    ).get_data(as_text=True)
    assert 'id="criteria-0-criterion"' in added and 'for="criteria-0-levels"' in added


def published_essay_set(app, data=None):
    item = {
        "type": "essay",
        "prompt": "Why did the armistice not end the war?",
        "data": data if data is not None else {"word_limit": 5, "template": "Because"},
        "explanation": "No peace treaty was signed.",
        "sources": [],
        "topics": ["war"],
        "difficulty": 0.5,
    }
    return make_set(app, "teacher1", items=[item], status=SetStatus.PUBLISHED)
