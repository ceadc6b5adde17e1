"""Prompts written in Markdown read as words in one-line lists (the quiz's review table,
the teacher's item list, the bank's lists, item analysis), not as raw marks (issue 18)."""

from __future__ import annotations

import copy

from models import SetStatus
from tests.fixtures_items import start_quiz
from tests.web.teach_support import SAMPLE_ITEMS, make_set

PROMPT = "Which **border** did Ri Il-gyu cross, and *why* <b>then</b>?"


def _markdown_item() -> dict:
    item = copy.deepcopy(SAMPLE_ITEMS["single"])
    item["prompt"] = PROMPT
    return item


def test_review_table_and_item_list_show_words_not_marks(app, login_as):
    teacher = login_as("teacher1", "teacher")
    set_id = make_set(app, "teacher1", items=[_markdown_item()], status=SetStatus.PUBLISHED)
    listing = teacher.get(f"/teach/sets/{set_id}").data.decode()
    assert "Which border did Ri Il-gyu cross, and why" in listing
    assert "**border**" not in listing
    # Raw HTML in a prompt is text, never markup.
    assert "<b>then</b>" not in listing

    bank_set = make_set(app, None, items=[_markdown_item()], status=SetStatus.PUBLISHED)
    student = login_as("student1")
    attempt_id = start_quiz(student, f"set:{bank_set}", size=1)
    review = student.get(f"/quiz/attempts/{attempt_id}/review").data.decode()
    assert "Which border did Ri Il-gyu cross, and why" in review
    assert "**border**" not in review and "*why*" not in review
