"""Screenshots of the main pages for the README: `.venv/bin/python scripts/screenshots.py`
(or `... screenshots.py lti-admin quiz-item` for only those).

Builds a throwaway database with demo data (scripts/demo_data.py), serves the app on
loopback, and drives Debian's Chromium with Playwright. Writes docs/screenshots/*.png.
"""

from __future__ import annotations

import sys
import tempfile
import threading
from pathlib import Path

from playwright.sync_api import sync_playwright
from werkzeug.serving import WSGIRequestHandler, make_server

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from app import create_app  # noqa: E402
from models import db  # noqa: E402

OUT = ROOT / "docs" / "screenshots"


class QuietHandler(WSGIRequestHandler):
    def log_request(self, *args, **kwargs) -> None:
        pass


FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def main() -> None:
    import demo_data

    tmp = Path(tempfile.mkdtemp())
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp / 'demo.sqlite'}",
            "SECRET_KEY": "screenshots",
            "RATELIMIT_ENABLED": False,
            "LTI_BASE_URL": "https://quiz.school.org",  # as behind a proxy in production
        }
    )
    with app.app_context():
        db.create_all()
        demo = demo_data.seed()
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=QuietHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    OUT.mkdir(parents=True, exist_ok=True)
    shots = {
        "student": [
            ("home-student", "/"),
            ("quiz-item", f"/quiz/attempts/{demo['open_quiz']}/items/3"),
            ("quiz-result", f"/quiz/attempts/{demo['last_quiz']}/result"),
            ("cards-study", "/cards/set-3/study"),
            ("bank", "/bank/"),
            ("quiz-start", "/quiz/"),
            ("progress", "/progress/"),
            ("cards-index", "/cards/"),
            ("cards-stats", "/cards/stats"),
            ("classes-student", "/classes/"),
            ("account-student", "/account/"),
        ],
        "teacher": [
            ("teach-sets", "/teach/sets"),
            ("teach-classes", "/teach/classes"),
            ("teach-import", "/teach/import"),
            ("bank-item-teacher", "/bank/items/5"),
            ("bank-upload", "/bank/upload"),
            ("teach-set", f"/teach/sets/{demo['set_id']}"),
            ("teach-editor", f"/teach/sets/{demo['set_id']}/items/{demo['set_item']}"),
            ("teach-class", f"/teach/classes/{demo['class_id']}"),
            ("teach-gradebook", f"/teach/classes/{demo['class_id']}/gradebook"),
            ("teach-analysis", f"/teach/assignments/{demo['assignment_id']}/analysis"),
            ("teach-attempt", f"/teach/attempts/{demo['class_attempt']}"),
            ("teach-grading", f"/teach/assignments/{demo['assignment_id']}/grading"),
            ("account-teacher", "/account/"),
        ],
        "admin": [
            ("lti-admin", "/lti/admin"),
        ],
    }
    # The same pages on a phone (390 x 844), named <page>-phone.png.
    phone = {
        "student": [
            ("quiz-item-phone", f"/quiz/attempts/{demo['open_quiz']}/items/3"),
            ("cards-study-phone", "/cards/set-3/study"),
            ("progress-phone", "/progress/"),
            ("account-phone", "/account/"),
        ],
        "teacher": [
            ("teach-editor-phone", f"/teach/sets/{demo['set_id']}/items/{demo['set_item']}"),
        ],
    }
    runs = [(who, pages, {"width": 1280, "height": 800}) for who, pages in shots.items()]
    runs += [(who, pages, {"width": 390, "height": 844}) for who, pages in phone.items()]
    if wanted := set(sys.argv[1:]):
        runs = [(who, [p for p in pages if p[0] in wanted], size) for who, pages, size in runs]
        runs = [run for run in runs if run[1]]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=FLAGS)
        for who, pages, viewport in runs:
            context = browser.new_context(base_url=base, viewport=viewport)
            page = context.new_page()
            page.goto("/auth/login")
            page.get_by_label("Username").fill(demo[who])
            page.get_by_label("Password").fill(demo["password"])
            page.get_by_role("button", name="Log in").click()
            for name, url in pages:
                response = page.goto(url)
                status = response.status if response else "?"
                page.screenshot(path=str(OUT / f"{name}.png"), full_page=True)
                print(f"{status} {url} -> docs/screenshots/{name}.png")
            context.close()
        browser.close()
    server.shutdown()


if __name__ == "__main__":
    main()
