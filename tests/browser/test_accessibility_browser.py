"""An automatic accessibility audit: axe-core (tests/js) on every main page, as a visitor,
a student, a teacher and an admin, on the demo data. Any WCAG A/AA violation it finds fails.

axe catches what can be checked mechanically (names, labels, contrast, landmarks, ARIA);
the keyboard tests beside this file cover what it cannot.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "tests/js/node_modules/axe-core/axe.min.js"
RUN_AXE = """async () => {
  const result = await axe.run(document, {
    runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]},
  });
  return result.violations.map(v => ({
    rule: v.id, impact: v.impact,
    where: v.nodes.slice(0, 3).map(n => n.target.join(" ") + ": " + n.failureSummary),
  }));
}"""


def demo_data():
    spec = importlib.util.spec_from_file_location("demo_data", ROOT / "scripts/demo_data.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def demo(app) -> dict[str, str]:
    module = demo_data()
    with app.app_context():
        made = module.seed()
    return made | {"password": module.PASSWORD}


def signed_in(browser: Browser, base_url: str, username: str | None, password: str) -> Page:
    # The app's CSP rightly forbids injected scripts; the audit's context lets axe in.
    page = browser.new_context(base_url=base_url, bypass_csp=True).new_page()
    page.set_default_timeout(10_000)
    if username:
        page.goto("/auth/login")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(password)
        with page.expect_navigation():
            page.get_by_role("button", name="Log in").click()
    return page


def violations(page: Page, path: str) -> list[dict]:
    response = page.goto(path)
    assert response is not None and response.ok, f"{path}: {response and response.status}"
    page.evaluate(AXE.read_text(encoding="utf-8"))
    return [v | {"page": path} for v in page.evaluate(RUN_AXE)]


def test_no_page_has_an_accessibility_violation(browser: Browser, live_server_url, demo):
    if not AXE.exists():
        pytest.fail("axe-core is missing: `make test` installs it (npm ci in tests/js)")
    open_quiz = f"/quiz/attempts/{demo['open_quiz']}"
    pages = {
        None: ["/", "/auth/login", "/auth/register", "/bank/", "/quiz/"],
        demo["student"]: [
            "/",
            "/quiz/",
            *(f"{open_quiz}/items/{n}" for n in range(1, 9)),
            f"{open_quiz}/review",
            f"/quiz/attempts/{demo['last_quiz']}/result",
            "/quiz/history",
            "/progress/",
            "/cards/",
            "/cards/set-3",
            "/cards/set-3/study",
            "/cards/stats",
            "/cards/settings",
            "/cards/decks/new",
            "/classes/",
            "/account/",
        ],
        demo["teacher"]: [
            "/teach/sets",
            f"/teach/sets/{demo['set_id']}",
            f"/teach/sets/{demo['set_id']}/items/{demo['set_item']}",
            *(
                f"/teach/sets/{demo['set_id']}/items/new/{kind}"
                for kind in ("single", "multi", "truefalse", "short", "numeric")
            ),
            *(
                f"/teach/sets/{demo['set_id']}/items/new/{kind}"
                for kind in ("ordering", "matching", "cloze")
            ),
            "/teach/import",
            "/teach/bank",
            "/teach/classes",
            f"/teach/classes/{demo['class_id']}",
            f"/teach/classes/{demo['class_id']}/gradebook",
            f"/teach/classes/{demo['class_id']}/assignments/new",
            f"/teach/assignments/{demo['assignment_id']}/analysis",
            f"/teach/assignments/{demo['assignment_id']}/delete",  # asks first: a GET
        ],
        demo["admin"]: ["/lti/admin"],
    }
    found = []
    for username, paths in pages.items():
        page = signed_in(browser, live_server_url, username, demo["password"])
        try:
            for path in paths:
                found += violations(page, path)
        finally:
            page.context.close()
    assert found == []


def test_the_audit_finds_what_it_is_there_to_find(browser: Browser, live_server_url):
    """An unlabelled field and an image without a text alternative, put on a real page:
    the audit must report both, or its silence above means nothing."""
    page = signed_in(browser, live_server_url, None, "")
    try:
        page.goto("/auth/login")
        page.evaluate(
            "document.querySelector('main').insertAdjacentHTML('beforeend',"
            ' \'<img src="/static/favicon.svg"><input type="text">\')'
        )
        page.evaluate(AXE.read_text(encoding="utf-8"))
        rules = {v["rule"] for v in page.evaluate(RUN_AXE)}
    finally:
        page.context.close()
    assert {"image-alt", "label"} <= rules
