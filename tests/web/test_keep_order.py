"""Options shuffled per item, or kept in the order written ("keep this order", for a list
ending in "All of the above"): the editor sets it, the quiz shows it, the JSON export
carries it, and items without it still shuffle."""

from __future__ import annotations

import re
from random import Random

import pytest
from sqlalchemy import select

from models import Attempt, SetStatus, db
from quizzes.domain.itemtypes import REGISTRY
from tests.web.teach_support import item_ids, make_set, set_items

WRITTEN = ["Geneva", "New York", "Vienna", "All of the above"]
COMMON = {"prompt": "Where does the UN meet?", "difficulty": "0.5", "action": "save"}


def option_fields(right: set[int]) -> dict[str, str]:
    fields = {}
    for i, text in enumerate(WRITTEN):
        fields[f"options-{i}-text"] = text
        if i in right:
            fields[f"options-{i}-correct"] = "y"
    return fields


RIGHT = {"single": {3}, "multi": {0, 1, 2}}


@pytest.mark.parametrize("item_type", ["single", "multi"])
def test_the_editor_keeps_the_flag_through_an_edit(app, login_as, item_type):
    teacher = login_as("teacher1", "teacher")
    set_id = make_set(app, "teacher1")
    fields = COMMON | option_fields(RIGHT[item_type])
    url = f"/teach/sets/{set_id}/items/new/{item_type}"
    assert "Keep this order" in teacher.get(url).text
    assert teacher.post(url, data=fields | {"keep_order": "y"}).status_code == 302
    assert set_items(app, set_id)[0]["data"]["keep_order"] is True
    [item_id] = item_ids(app, set_id)
    page = teacher.get(f"/teach/sets/{set_id}/items/{item_id}").text
    assert "checked" in re.search(r'<input[^>]*name="keep_order"[^>]*>', page).group(0)
    teacher.post(f"/teach/sets/{set_id}/items/{item_id}", data=fields)  # unticked
    assert "keep_order" not in set_items(app, set_id)[0]["data"]


@pytest.mark.parametrize("item_type", ["single", "multi"])
def test_present_keeps_the_written_order_only_when_asked(item_type):
    module = REGISTRY[item_type]
    options = [{"text": t, "correct": i in RIGHT[item_type]} for i, t in enumerate(WRITTEN)]
    kept = {"options": options, "keep_order": True}
    for seed in range(20):
        view, key = module.present(kept, Random(seed))
        assert view["options"] == WRITTEN and key["order"] == [0, 1, 2, 3]
    orders = {
        tuple(module.present({"options": options}, Random(s))[0]["options"]) for s in range(20)
    }
    assert len(orders) > 1  # without the flag the options are shuffled
    assert module.check_data(kept) == []  # files may carry it (docs/ITEMS.md)
    assert module.check_data({"options": options, "keep_order": "yes"}) == [
        "'keep_order' must be true or false"
    ]


def test_a_student_sees_the_options_as_written_and_the_export_carries_the_flag(app, login_as):
    teacher = login_as("teacher1", "teacher")
    set_id = make_set(app, "teacher1", status=SetStatus.DRAFT)
    teacher.post(
        f"/teach/sets/{set_id}/items/new/single",
        data=COMMON | option_fields(RIGHT["single"]) | {"keep_order": "y"},
    )
    exported = teacher.get(f"/teach/sets/{set_id}/export/json").text
    assert '"keep_order": true' in exported
    # The teacher's preview shows the student's view; each of several previews keeps it.
    [item_id] = item_ids(app, set_id)
    for _ in range(5):
        page = teacher.get(f"/teach/sets/{set_id}/items/{item_id}/preview").text
        shown = re.findall(r'<span class="option-text">(.*?)</span>', page)
        assert shown == WRITTEN
    # Without the flag, the previews shuffle (the same check would see other orders).
    teacher.post(f"/teach/sets/{set_id}/items/{item_id}", data=COMMON | option_fields({3}))
    orders = {
        tuple(
            re.findall(
                r'<span class="option-text">(.*?)</span>',
                teacher.get(f"/teach/sets/{set_id}/items/{item_id}/preview").text,
            )
        )
        for _ in range(10)
    }
    assert len(orders) > 1
    with app.app_context():
        assert db.session.scalar(select(Attempt)) is None  # a preview is not an attempt
