"""A teacher pastes a Quizlet export in a real browser, picks single choice by its label,
sees the choice and the separators in the preview, and imports the set."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_teach_browser import _log_in

pytestmark = pytest.mark.browser

EXPORT = "Seoul,Capital of South Korea;Havana,Capital of Cuba;Geneva,Seat of the Council;"


def test_a_pasted_quizlet_export_becomes_single_choice_items(page: Page, app, create_user):
    app.config["WTF_CSRF_ENABLED"] = True  # the real browser sends real tokens
    create_user("teacher1", "teacher")
    _log_in(page, "teacher1")
    page.goto("/teach/import")
    page.get_by_label("…or paste the questions here").fill(EXPORT)
    page.get_by_label("Format", exact=True).select_option("quizlet")
    page.get_by_label("Single choice: pick the term, other terms as wrong options").check()
    page.get_by_label("Between term and definition", exact=True).select_option("comma")
    page.get_by_label("Between rows", exact=True).select_option("semicolon")
    page.get_by_role("button", name="Preview the import").click()

    expect(page.get_by_text("read as Quizlet export")).to_be_visible()
    expect(page.locator("#quizlet-choices")).to_contain_text(
        "Single choice: pick the term, other terms as wrong options. Term and definition "
        "separated by a comma; rows by a semicolon."
    )
    expect(page.get_by_text("Confirming will add 3 items")).to_be_visible()
    page.get_by_role("button", name="Import").click()
    expect(page.get_by_text("Imported 3 items")).to_be_visible()
