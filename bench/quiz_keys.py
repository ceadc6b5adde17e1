"""Benchmark (not a test): how soon Next shows the next quiz question, in a real browser.

    .venv/bin/python bench/quiz_keys.py [--items 25]

Quizdeck runs under gunicorn (bench/load.py's server: 2 sync workers, SQLite in a
temporary file) with one student and an open quiz of short-answer items (feedback at the
end); headless Chromium (Playwright, /usr/bin/chromium) walks it with the → key. It
times, with bench/study_keys.py's harness (WATCH, SETTLE_S, the random frame phase):

- the floor: a key whose handler, the harness's own, changes the page itself;
- Next -> the next question painted, moving in the page (static/js/quiz_nav.js: the next
  question fetched ahead and swapped in): → with the answer on screen already saved (the
  save recording the move follows), and Enter straight after typing (the move waits for
  the answer's save). Between questions the harness waits until the next one has arrived
  (data-ahead="ready"), as a student reading the question would;
- the same walk with quiz_nav.js blocked: every → posts the form and loads the next
  page (the no-JavaScript path), from the key to the new page's first frame.

Prints the figures and writes them, with the commit measured, as its section of
docs/benchmarks-quiz.md (bench/doc_sections.py).
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from doc_sections import measured_commit, write_section  # noqa: E402
from playwright.sync_api import Page  # noqa: E402
from study_keys import (  # noqa: E402
    CHROMIUM,
    percentile,
    playwright_version,
    timed,
    two_walks,
)

from app import create_app  # noqa: E402
from models import Item, QuestionSet, Role, SetStatus, User, db, utcnow  # noqa: E402
from models.attempts import FeedbackMode  # noqa: E402
from quizzes.quiz import services  # noqa: E402

USERNAME, PASSWORD = "quizkeys", "bench-quiz-keys-password"
ITEMS_URL = "/quiz/attempts/1/items"


def seed(database: Path, items: int) -> None:
    """One student, a published set of short-answer items, one open quiz of all of them."""
    app = create_app({"SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}"})
    with app.app_context():
        db.create_all()
        user = User(username=USERNAME, role=Role.STUDENT)
        user.set_password(PASSWORD)
        question_set = QuestionSet(title="Quiz keys", status=SetStatus.PUBLISHED)
        db.session.add_all([user, question_set])
        db.session.flush()
        for n in range(items):
            db.session.add(
                Item(
                    key=f"bench.quiz-keys.{n}",
                    set_id=question_set.id,
                    position=n,
                    type="short",
                    prompt=f"Type anything ({n + 1})",
                    data={"answers": [{"text": "anything", "fraction": 1.0}]},
                )
            )
        db.session.flush()
        services.assemble(
            user.id,
            settings=services.QuizSettings(size=items, feedback_mode=FeedbackMode.END),
            now=utcnow(),
            rng=random.Random(19),
            set_id=question_set.id,
        )
        db.session.commit()


def heading_is(number: int) -> str:
    return (
        "(document.getElementById('question-heading') || {textContent: ''})"
        f".textContent.trim().startsWith('Question {number}\\n')"
        f" || document.title.startsWith('Question {number} of')"
    )


def in_page_walk(page: Page, base: str, items: int) -> dict[str, list[float]]:
    """The floor, then Next, on each question but the last (its Next is the review): on
    every other question the answer is typed just before Enter (Next waits for its save),
    on the others → is pressed with the answer on screen already saved."""
    page.goto(base + f"{ITEMS_URL}/1")
    times: dict[str, list[float]] = {"floor": [], "saved": [], "typed": []}
    for number in range(1, items):
        page.wait_for_selector('#answer-form[data-ahead="ready"]')
        # Keys on the page, not in the (focused, empty) answer field: "f" would be typed.
        page.evaluate("() => document.activeElement.blur()")
        times["floor"].append(timed(page, "f", "document.getElementById('bench-floor')"))
        if number % 2:
            page.focus(".quiz-item input[name=answer]")
            page.keyboard.type("an answer")  # autosave would wait 0.8 s: Enter comes first
            times["typed"].append(timed(page, "Enter", heading_is(number + 1)))
        else:
            times["saved"].append(timed(page, "ArrowRight", heading_is(number + 1)))
    return times


def page_load_walk(page: Page, base: str, items: int) -> list[float]:
    """Without quiz_nav.js: each → posts the form and loads the next question's page,
    timed from the key to the frame after the new page (wall clock, as study_keys.py)."""
    times = []
    page.goto(base + f"{ITEMS_URL}/1")
    for _ in range(1, items):
        page.evaluate("() => document.activeElement.blur()")
        started = page.evaluate("() => performance.timeOrigin + performance.now()")
        with page.expect_navigation():
            page.keyboard.press("ArrowRight")
        painted = page.evaluate(
            """() => new Promise((done) => requestAnimationFrame(() => {
                const channel = new MessageChannel();
                const now = () => performance.timeOrigin + performance.now();
                channel.port1.onmessage = () => done(now());
                channel.port2.postMessage(0);
            }))"""
        )
        times.append(painted - started)
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=41, help="questions (moves: one fewer)")
    parser.add_argument("--out", default=str(ROOT / "docs" / "benchmarks-quiz.md"))
    args = parser.parse_args(argv)
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="quizdeck-quiz-keys-") as folder:
        in_page_db, no_js_db = Path(folder) / "inpage.sqlite", Path(folder) / "loads.sqlite"
        seed(in_page_db, args.items)
        seed(no_js_db, args.items)
        # quiz.js runs (→ posts the form); only the in-page part is blocked.
        times, loads = two_walks(
            (in_page_db, no_js_db),
            "**/js/quiz_nav.js",
            lambda page, base: in_page_walk(page, base, args.items),
            lambda page, base: page_load_walk(page, base, args.items),
            (USERNAME, PASSWORD),
        )
    load_after = os.getloadavg()[0]

    floor = statistics.median(times["floor"])
    saved = statistics.median(times["saved"])
    typed = statistics.median(times["typed"])
    loaded = statistics.median(loads)
    lines = [
        f"## Quiz navigation in the browser (`bench/quiz_keys.py`, commit {measured_commit()})",
        "",
        f"Written by `bench/quiz_keys.py` from the run it printed, on "
        f"{datetime.now(UTC):%Y-%m-%d}: headless Chromium ({CHROMIUM}, Playwright "
        f"{playwright_version()}) against gunicorn (2 sync workers, SQLite), Python "
        f"{platform.python_version()}; machine load average (1 min) {load_before:.1f} at the "
        f"start, {load_after:.1f} at the end, on {os.cpu_count()} cores. A quiz of "
        f"{args.items} short-answer questions, feedback at the end; from the key's event to "
        "the frame after the change, medians over the moves counted.",
        "",
        "| measure | moves | median ms | 90th percentile ms | / floor |",
        "|---|---:|---:|---:|---:|",
        f"| floor: a change the page makes itself | {len(times['floor'])} | {floor:.1f} | "
        f"{percentile(times['floor'], 0.9):.1f} | 1.00 |",
        f"| → in the page, answer already saved: next question painted (its save follows) | "
        f"{len(times['saved'])} | {saved:.1f} | {percentile(times['saved'], 0.9):.1f} | "
        f"{saved / floor:.2f} |",
        f"| Enter in the page straight after typing: saved, then next question painted | "
        f"{len(times['typed'])} | {typed:.1f} | {percentile(times['typed'], 0.9):.1f} | "
        f"{typed / floor:.2f} |",
        f"| → with quiz_nav.js blocked: form posted, next page painted | {len(loads)} | "
        f"{loaded:.1f} | {percentile(loads, 0.9):.1f} | {loaded / floor:.2f} |",
        "",
        f"**Next in the page: {saved:.1f} ms with the answer saved, {typed:.1f} ms when it "
        f"must be saved first, against {loaded:.1f} ms by page load.** The next question is "
        "always fetched ahead; a move waits for the server only when the answer on screen "
        "is not yet saved (the server may refuse it, and then the student stays).",
    ]
    report = "\n".join(lines)
    print(report)
    write_section(Path(args.out), "quiz_keys", report, title="Quiz benchmarks")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
