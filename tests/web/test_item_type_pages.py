"""The web side of each item type: its editor form and its templates, found by its name.

A type registered in quizzes.domain.itemtypes fails here until it has
quizzes/teach/item_forms/<type>.py (FORM) and templates/items/<type>/take.html and edit.html.
"""

from __future__ import annotations

import html
from datetime import UTC, datetime

import pytest

from quizzes.domain.itemtypes import ITEM_TYPES, REGISTRY, FormatSupport
from quizzes.teach.item_forms import ITEM_FORMS
from quizzes.transfer.sets import export_items
from tests.web.teach_support import make_set


@pytest.fixture
def teacher(login_as):
    return login_as("teacher1", "teacher")


@pytest.fixture
def set_id(app, teacher):
    return make_set(app, "teacher1")


@pytest.mark.parametrize("item_type", ITEM_TYPES)
def test_every_type_has_its_editor_form_and_templates(app, item_type):
    assert ITEM_FORMS[item_type].item_type == item_type
    assert ITEM_FORMS[item_type].__module__ == f"quizzes.teach.item_forms.{item_type}"
    for page in ("take", "edit"):
        app.jinja_env.get_template(f"items/{item_type}/{page}.html")  # raises if missing


@pytest.mark.parametrize("item_type", ITEM_TYPES)
def test_the_editor_shows_the_type_s_own_fields_label_and_hint(teacher, set_id, item_type):
    page = teacher.get(f"/teach/sets/{set_id}/items/new/{item_type}").get_data(as_text=True)
    module = REGISTRY[item_type]
    assert f"New item: {module.LABEL}" in page
    assert module.HINT in html.unescape(page)
    for name in ITEM_FORMS[item_type].LISTS:  # each list the type's form has is on its page
        assert f'id="{name}-group"' in page
    assert 'name="prompt"' in page


def _item(item_type: str) -> dict:
    prompt, data = REGISTRY[item_type].EXAMPLE
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


def test_a_type_anki_cannot_carry_is_left_out_of_the_apkg_and_reported(monkeypatch):
    reason = "Anki has no room for this"
    monkeypatch.setitem(REGISTRY["ordering"].FORMATS, "apkg", FormatSupport(False, reason))
    items = [_item("ordering"), _item("single")]
    exported = export_items("apkg", {"title": "T"}, items, 1, datetime(2026, 1, 1, tzinfo=UTC))
    assert [(i.index, i.message, i.dropped) for i in exported.issues] == [(0, reason, True)]
    assert exported.content.startswith(b"PK")  # the single-choice item is still written
