"""Stored script injection, tried through every field a user can write.

Payloads go in through the real forms and imports: set titles and descriptions, every
field of the item editor for every type, GIFT, Aiken, CSV and JSON files, a fact file,
class names, typed quiz answers, deck titles and cards; usernames are refused at the door.
Then every page that shows them is fetched as the author, as a student of the class and
as the teacher in the gradebook and item analysis, and Anki exports are opened. Each page
must hold the payload as text only: no script but the site's own files, no event-handler
attribute, no javascript: address, no frame.

Each payload starts with a marker word (XSS...) so that a test also proves the page really
showed it: a page that left the text out would prove nothing.
"""

from __future__ import annotations

import io
import re
import sqlite3
import tempfile
import zipfile
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from models import Attempt, Card, Item, QuestionSet, db
from tests.web.teach_support import text_of

# -- payloads -----------------------------------------------------------------------------


def payload(marker: str) -> str:
    """Markdown and HTML ways to run a script, after a marker word that must stay visible."""
    return (
        f"{marker} <script>alert('{marker}')</script> <img src=x onerror=alert(1)> "
        '<a href="javascript:alert(1)">a</a> [m](javascript:alert(1)) '
        "![i](javascript:alert(1)) <javascript:alert(1)> <svg onload=alert(1)></svg> "
        '</textarea><iframe src="javascript:alert(1)"></iframe> '
        '<a href="jav&#x09;ascript:alert(1)">t</a> <p onclick="alert(1)">p</p> '
        "\"'><b onmouseover=alert(1)>b</b>"
    )


def short(marker: str) -> str:
    """For fields of at most 80 characters (topics, class names, units)."""
    return f"{marker}<script>alert(1)</script><img src=x onerror=alert(1)>"


# -- the check ------------------------------------------------------------------------------

DANGEROUS_URL = re.compile(r"^(javascript|vbscript|data:text/html)", re.I)
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster"}


class LiveScriptFinder(HTMLParser):
    """What a browser would run: script elements, on* attributes, script URLs, frames."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script" and not (dict(attrs).get("src") or "").startswith("/static/"):
            self.problems.append(f"a <script> element: {self.get_starttag_text()}")
        if tag in ("iframe", "frame", "object", "embed", "base", "style"):
            self.problems.append(f"a <{tag}> element")
        if tag == "meta" and dict(attrs).get("http-equiv"):
            self.problems.append("a <meta http-equiv> element")
        if tag == "link" and not (dict(attrs).get("href") or "").startswith("/static/"):
            self.problems.append(f"a <link> element: {self.get_starttag_text()}")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"an {name}= attribute on <{tag}>")
            # Browsers drop tabs and newlines inside a URL scheme ("jav\tascript:").
            cleaned = re.sub(r"[\x00-\x20]", "", value or "")
            if name in URL_ATTRIBUTES and DANGEROUS_URL.match(cleaned):
                self.problems.append(f"a script address in {name}= of <{tag}>: {value!r}")

    handle_startendtag = handle_starttag


def live_script(html: str) -> list[str]:
    finder = LiveScriptFinder()
    finder.feed(html)
    finder.close()
    return finder.problems


def test_the_check_finds_what_a_browser_would_run():
    assert live_script("<p>&lt;script&gt;alert(1)&lt;/script&gt; onerror=x</p>") == []
    assert live_script('<script src="/static/js/app.js" defer></script>') == []
    assert live_script("<textarea>&lt;/textarea&gt;&lt;img src=x onerror=1&gt;</textarea>") == []
    assert live_script("<script>alert(1)</script>") == ["a <script> element: <script>"]
    assert live_script("<img src=x onerror=alert(1)>") == ["an onerror= attribute on <img>"]
    assert live_script('<a href=" jav&#x09;ascript:alert(1)">t</a>') == [
        "a script address in href= of <a>: ' jav\\tascript:alert(1)'"
    ]
    assert live_script('<iframe src="https://example.org"></iframe>') == ["a <iframe> element"]


TRICKS = [
    '<a href="javascript&colon;alert(1)">x</a>',
    "[x](JAVASCRIPT:alert(1))",
    "[x](&#x6A;avascript:alert(1))",
    "[x](java\nscript:alert(1))",
    "<img src=x onerror=alert(1)//",
    '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    '<form action="javascript:alert(1)"><button formaction="javascript:alert(1)">x</button></form>',
    "<details open ontoggle=alert(1)>x</details>",
    "<style>@import 'https://evil.example/x.css';</style>",
    '<object data="javascript:alert(1)"></object>',
    '<base href="javascript:/">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<link rel="stylesheet" href="https://evil.example/x.css">',
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    '<IMG SRC="jav&#x0A;ascript:alert(1)">',
    "<<script>script>alert(1)//<</script>/script>",
]


@pytest.mark.parametrize("trick", TRICKS)
def test_both_markdown_filters_disarm_known_tricks(trick):
    from quizzes.quiz.markup import render_markdown as quiz_markdown
    from quizzes.web.rendering import render_markdown, render_markdown_inline

    for render in (quiz_markdown, render_markdown, render_markdown_inline):
        html = str(render(f"Before {trick} after"))
        assert live_script(html) == [], (render.__module__, html)
        assert "Before" in html


@dataclass
class Pages:
    """Fetched pages, each checked; remembers the text of all, to prove markers showed."""

    client: FlaskClient
    seen: dict[str, str] = field(default_factory=dict)

    def get(self, url: str, expect: int = 200) -> str:
        response = self.client.get(url)
        assert response.status_code == expect, (url, response.status_code)
        return self.check(url, response.get_data(as_text=True))

    def post(self, url: str, data: dict, follow: bool = True) -> str:
        response = self.client.post(url, data=data, follow_redirects=follow)
        assert response.status_code < 500, (url, response.status_code)
        return self.check(f"POST {url}", response.get_data(as_text=True))

    def check(self, label: str, html: str) -> str:
        problems = live_script(html)
        assert not problems, f"{label}: " + "; ".join(problems)
        self.seen[label] = html  # markers are plain words: found in text and in field values
        return html

    def showed(self, *markers: str) -> None:
        everything = " ".join(self.seen.values())
        missing = [marker for marker in markers if marker not in everything]
        assert not missing, f"never shown: {missing}"

    def page_showed(self, label: str, *markers: str) -> None:
        missing = [marker for marker in markers if marker not in self.seen[label]]
        assert not missing, f"{label} did not show {missing}"


# -- writing the payloads ---------------------------------------------------------------------


def options(*rows: tuple[str, bool]) -> dict[str, str]:
    fields = {}
    for index, (text, right) in enumerate(rows):
        fields[f"options-{index}-text"] = text
        fields[f"options-{index}-why"] = payload(f"XSSWhy{index}")
        if right:
            fields[f"options-{index}-correct"] = "y"
    return fields


EDITOR_FORMS = {
    "single": options((payload("XSSSingleA"), True), (payload("XSSSingleB"), False)),
    "multi": options(
        (payload("XSSMultiA"), True), (payload("XSSMultiB"), True), (payload("XSSMultiC"), False)
    ),
    "truefalse": {"answer": "false"},
    "short": {"answers-0-text": payload("XSSShortAnswer"), "answers-0-credit": "100"},
    "numeric": {
        "answers-0-value": "2014",
        "answers-0-tolerance": "0",
        "answers-0-credit": "100",
        "unit": "XSSUnit<script>",
    },
    "ordering": {f"items-{n}": payload(f"XSSOrder{n}") for n in range(3)},
    "matching": {
        "pairs-0-left": payload("XSSLeft0"),
        "pairs-0-right": payload("XSSRight0"),
        "pairs-1-left": payload("XSSLeft1"),
        "pairs-1-right": payload("XSSRight1"),
        "distractors": payload("XSSDistractor"),
    },
    "cloze": {
        "text": payload("XSSClozeText") + " blank {1} and {2}.",
        "blanks-0-answers": "XSSBlank<script>alert(1)</script>",
        "blanks-1-answers": "2014",
    },
}


def editor_fields(item_type: str) -> dict[str, str]:
    name = item_type.capitalize()
    return {
        "prompt": payload(f"XSS{name}Prompt"),
        "explanation": payload(f"XSS{name}Explanation"),
        "sources": payload(f"XSS{name}Source"),
        "topics": short(f"xsstopic{item_type}"),
        "difficulty": "0.5",
        "action": "save",
    } | EDITOR_FORMS[item_type]


def gift_file() -> str:
    # GIFT escapes = ~ # { } : inside answers with a backslash.
    def escaped(marker: str) -> str:
        return payload(marker).replace("=", "\\=").replace(":", "\\:").replace("#", "\\#")

    return (
        f"::XSSGiftTitle:: {payload('XSSGiftPrompt').replace(':', chr(92) + ':')} "
        f"{{={escaped('XSSGiftRight')} #{escaped('XSSGiftFeedback')} "
        f"~{escaped('XSSGiftWrong')} ####{escaped('XSSGiftExplanation')}}}\n\n"
        '[html]<p onclick="alert(1)">XSSGiftHtml</p><script>alert(1)</script>'
        "<img src\\=x onerror\\=alert(1)> {T}\n"
    )


def aiken_file() -> str:
    return (
        f"{payload('XSSAikenPrompt')}\n"
        f"A. {payload('XSSAikenA')}\n"
        f"B. {payload('XSSAikenB')}\n"
        "ANSWER: A\n"
    )


def csv_file() -> str:
    import csv

    right = payload("XSSCsvRight").replace("|", "/")
    wrong = payload("XSSCsvWrong").replace("|", "/")
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["type", "prompt", "answer", "options", "explanation", "sources", "topics"])
    writer.writerow(
        [
            "single",
            payload("XSSCsvPrompt"),
            right,
            f"{right}|{wrong}",
            payload("XSSCsvExplanation"),
            payload("XSSCsvSource"),
            short("xsscsvtopic"),
        ]
    )
    writer.writerow(["short", payload("XSSCsvShort"), payload("XSSCsvShortAnswer"), "", "", "", ""])
    return out.getvalue()


def json_file() -> str:
    import json

    items = [
        {
            "key": "",
            "type": "single",
            "prompt": payload("XSSJsonPrompt"),
            "data": {
                "options": [
                    {
                        "text": payload("XSSJsonRight"),
                        "correct": True,
                        "why": payload("XSSJsonWhy"),
                    },
                    {"text": payload("XSSJsonWrong"), "correct": False},
                ]
            },
            "explanation": payload("XSSJsonExplanation"),
            "sources": [payload("XSSJsonSource")],
            "topics": [short("xssjsontopic")],
            "difficulty": 0.5,
            "fact_ids": [],
        },
        {
            "key": "",
            "type": "matching",
            "prompt": payload("XSSJsonMatch"),
            "data": {
                "pairs": [
                    {"left": payload("XSSJsonLeft0"), "right": payload("XSSJsonRight0")},
                    {"left": payload("XSSJsonLeft1"), "right": payload("XSSJsonRight1")},
                ],
                "distractors": [payload("XSSJsonDistractor")],
            },
            "explanation": "",
            "sources": [],
            "topics": [],
            "difficulty": 0.5,
            "fact_ids": [],
        },
    ]
    document = {
        "format": "quizdeck-set",
        "version": 1,
        "set": {"title": short("XSSJsonSetTitle"), "description": payload("XSSJsonSetDescr")},
        "items": items,
    }
    return json.dumps(document)


IMPORTS = {
    "gift": ("xss.gift", gift_file, ["XSSGiftPrompt", "XSSGiftRight", "XSSGiftHtml"]),
    "aiken": ("xss.txt", aiken_file, ["XSSAikenPrompt", "XSSAikenA", "XSSAikenB"]),
    "csv": ("xss.csv", csv_file, ["XSSCsvPrompt", "XSSCsvRight", "XSSCsvShort"]),
    "json": ("xss.json", json_file, ["XSSJsonPrompt", "XSSJsonRight", "XSSJsonLeft0"]),
}

FACTS = f"""
[sources.SRC]
publisher = "{short("XSSPublisher")}"
title = "{short("XSSSourceTitle")}"
ref = "javascript:alert(1)"

[[facts]]
id = "walkout"
kind = "tactic"
status = "V"
label = "{short("XSSFactLabel")}"
topics = ["{short("xssfacttopic")}"]
sources = ["SRC"]
text = "{payload("XSSFactText").replace('"', "'")}"
"""


# -- helpers that go through the pages ----------------------------------------------------------


def created_id(response, pattern: str) -> int:
    assert response.status_code == 302, response.get_data(as_text=True)[:600]
    return int(re.search(pattern, response.headers["Location"]).group(1))


def import_file(pages: Pages, filename: str, content: str) -> int:
    upload = {"file": (io.BytesIO(content.encode()), filename), "format": "auto", "target": "0"}
    response = pages.client.post("/teach/import", data=upload, content_type="multipart/form-data")
    preview = pages.check(f"import preview {filename}", response.get_data(as_text=True))
    token = re.search(r'name="token" type="hidden" value="([^"]+)"', preview)
    assert token, text_of(preview)[:800]
    confirmed = pages.client.post("/teach/import/confirm", data={"token": token.group(1)})
    return created_id(confirmed, r"/teach/sets/(\d+)")


def set_item_ids(app, set_id: int) -> list[int]:
    with app.app_context():
        return list(db.session.scalars(select(Item.id).where(Item.set_id == set_id)))


def visit_set_as_author(pages: Pages, app, set_id: int) -> None:
    pages.get(f"/teach/sets/{set_id}")
    pages.get(f"/teach/sets/{set_id}/preview")
    pages.get(f"/bank/sets/{set_id}")
    pages.get(f"/teach/import?into={set_id}")
    for item_id in set_item_ids(app, set_id):
        pages.get(f"/teach/sets/{set_id}/items/{item_id}")
        pages.get(f"/teach/sets/{set_id}/items/{item_id}/preview")
        pages.post(
            f"/teach/sets/{set_id}/items/{item_id}/preview",
            {"seed": "1", "answer": payload("XSSPreviewTry")},
        )
        pages.get(f"/bank/items/{item_id}")


def typed_answer(snapshot: dict, marker: str) -> dict[str, str]:
    if snapshot["type"] == "short":
        return {"answer": payload(marker)}
    if snapshot["type"] == "cloze":
        return {"blank-1": payload(marker), "blank-2": "2014"}
    if snapshot["type"] in ("single", "multi"):
        return {"answer": "0"}
    if snapshot["type"] == "truefalse":
        return {"answer": "true"}
    return {}


def take_quiz(pages: Pages, app, attempt_id: int, marker: str, check: bool = False) -> None:
    """Every item page, a typed payload where text can be typed, review, submit, result."""
    with app.app_context():
        snapshots = [item.snapshot for item in db.session.get(Attempt, attempt_id).items]
    for position, snapshot in enumerate(snapshots, start=1):
        url = f"/quiz/attempts/{attempt_id}/items/{position}"
        pages.get(url)
        answer = typed_answer(snapshot, marker)
        if answer:
            pages.post(url, answer | ({"check": "1"} if check else {}))
    pages.get(f"/quiz/attempts/{attempt_id}/review")
    pages.post(f"/quiz/attempts/{attempt_id}/submit", {})
    pages.get(f"/quiz/attempts/{attempt_id}/result")
    pages.get("/quiz/history")
    pages.get("/progress/")


def start_quiz(pages: Pages, source: str, feedback: str) -> int:
    response = pages.client.post(
        "/quiz/",
        data={
            "source": source,
            "size": "20",
            "feedback_mode": feedback,
            "late_policy": "mark",
            "start_token": f"xss-{source}-{feedback}-token",
        },
    )
    return created_id(response, r"/quiz/attempts/(\d+)")


# -- the school, full of payloads ------------------------------------------------------------------


@dataclass
class Stage:
    teacher: Pages
    student: Pages
    set_id: int
    class_id: int
    assignment_id: int
    imported: dict[str, int]
    deck_id: int
    card_id: int


@pytest.fixture
def stage(app, login_as) -> Stage:
    teacher = Pages(login_as("tess", "teacher"))
    student = Pages(login_as("sam"))
    set_id = created_id(
        teacher.client.post(
            "/teach/sets/new",
            data={"new-title": short("XSSSetTitle"), "new-description": payload("XSSSetDescr")},
        ),
        r"/teach/sets/(\d+)",
    )
    for item_type in EDITOR_FORMS:
        response = teacher.client.post(
            f"/teach/sets/{set_id}/items/new/{item_type}", data=editor_fields(item_type)
        )
        assert response.status_code == 302, (item_type, text_of(response.get_data(as_text=True)))
    published = teacher.client.post(f"/teach/sets/{set_id}/status", data={"status": "published"})
    assert published.status_code == 302
    with app.app_context():
        assert db.session.get(QuestionSet, set_id).status.value == "published"

    imported = {fmt: import_file(teacher, name, make()) for fmt, (name, make, _) in IMPORTS.items()}

    class_id = created_id(
        teacher.client.post("/teach/classes/new", data={"name": short("XSSClassName")}),
        r"/teach/classes/(\d+)",
    )
    with app.app_context():
        from models import SchoolClass

        code = db.session.get(SchoolClass, class_id).join_code
    assert student.client.post("/classes/", data={"code": code}).status_code == 302
    teacher.client.post(
        f"/teach/classes/{class_id}/assignments/new",
        data={"set_id": set_id, "opens_at": "2020-01-01T08:00", "feedback_mode": "end"},
    )
    with app.app_context():
        from models import Assignment

        assignment_id = db.session.scalar(select(Assignment.id))

    deck_id = created_id(
        student.client.post(
            "/cards/decks/new",
            data={"title": short("XSSDeckTitle"), "description": payload("XSSDeckDescr")},
        ),
        r"/cards/my-(\d+)/",
    )
    saved = student.client.post(
        f"/cards/my-{deck_id}/cards/new",
        data={
            "kind": "basic",
            "front": payload("XSSCardFront"),
            "back": payload("XSSCardBack"),
            "source": payload("XSSCardSource")[:400],
            "tags": "XSSTag<script>alert(1)</script>",
        },
    )
    assert saved.status_code == 302
    student.client.post(
        f"/cards/my-{deck_id}/cards/new",
        data={"kind": "cloze", "front": "XSSCloze<script>alert(1)</script> met in {{2014}}."},
    )
    with app.app_context():
        card_id = db.session.scalar(select(Card.id).where(Card.deck_id == deck_id))
    return Stage(teacher, student, set_id, class_id, assignment_id, imported, deck_id, card_id)


# -- the tests ---------------------------------------------------------------------------------


def test_the_author_sees_editor_payloads_as_text_on_every_set_page(app, stage):
    teacher = stage.teacher
    teacher.get("/teach/sets")
    visit_set_as_author(teacher, app, stage.set_id)
    teacher.get("/quiz/")
    teacher.get(f"/teach/classes/{stage.class_id}")
    teacher.get(f"/teach/classes/{stage.class_id}/assignments/new")
    teacher.get("/teach/classes")
    teacher.get("/account/")
    names = [t.capitalize() for t in EDITOR_FORMS]
    teacher.showed(
        "XSSSetTitle",
        "XSSSetDescr",
        "XSSClassName",
        "XSSPreviewTry",
        *(f"XSS{name}Prompt" for name in names if name != "Cloze"),
        *(f"XSS{name}Explanation" for name in names),
        *(f"XSS{name}Source" for name in names),
        *(f"xsstopic{t}" for t in EDITOR_FORMS),
        "XSSSingleA",
        "XSSWhy0",
        "XSSMultiC",
        "XSSShortAnswer",
        "XSSUnit",
        "XSSOrder2",
        "XSSLeft1",
        "XSSRight0",
        "XSSDistractor",
        "XSSClozeText",
        "XSSBlank",
    )


def test_the_author_takes_their_own_sets_with_feedback_after_each_question(app, stage):
    teacher = stage.teacher
    for set_id in (stage.set_id, *stage.imported.values()):
        attempt_id = start_quiz(teacher, f"set:{set_id}", "immediate")
        take_quiz(teacher, app, attempt_id, f"XSSTyped{set_id}", check=True)
    teacher.showed(
        "XSSSingleExplanation",
        "XSSGiftExplanation",
        "XSSCsvExplanation",
        "XSSJsonExplanation",
        "XSSAikenB",
        f"XSSTyped{stage.set_id}",
    )


@pytest.mark.parametrize("fmt", sorted(IMPORTS))
def test_imported_files_show_their_payloads_as_text(app, stage, fmt):
    teacher = stage.teacher
    visit_set_as_author(teacher, app, stage.imported[fmt])
    teacher.showed(*IMPORTS[fmt][2])


def test_a_fact_file_upload_shows_its_payloads_as_text(app, stage):
    teacher = stage.teacher
    response = teacher.client.post(
        "/bank/upload",
        data={"title": short("XSSFactSet"), "facts": (io.BytesIO(FACTS.encode()), "x.toml")},
        content_type="multipart/form-data",
    )
    set_id = created_id(response, r"/teach/sets/(\d+)")
    visit_set_as_author(teacher, app, set_id)
    teacher.showed("XSSFactSet", "XSSFactText", "XSSPublisher", "xssfacttopic")


def test_a_student_sees_the_teachers_payloads_as_text(app, stage):
    student = stage.student
    for url in ("/", "/classes/", "/quiz/", "/progress/", "/cards/"):
        student.get(url)
    started = student.client.post(f"/classes/assignments/{stage.assignment_id}/start")
    attempt_id = created_id(started, r"/quiz/attempts/(\d+)")
    take_quiz(student, app, attempt_id, "XSSStudentTyped")
    student.get("/classes/")
    student.page_showed("/classes/", "XSSClassName", "XSSSetTitle")
    student.showed(
        "XSSSinglePrompt",
        "XSSSingleA",
        "XSSSingleExplanation",
        "XSSSingleSource",
        "XSSLeft0",
        "XSSOrder1",
        "XSSClozeText",
        "XSSStudentTyped",
    )


def test_the_teacher_sees_students_typed_payloads_as_text(app, stage):
    student = stage.student
    started = student.client.post(f"/classes/assignments/{stage.assignment_id}/start")
    attempt_id = created_id(started, r"/quiz/attempts/(\d+)")
    take_quiz(student, app, attempt_id, "XSSStudentTyped")
    teacher = stage.teacher
    teacher.get(f"/teach/classes/{stage.class_id}/gradebook")
    teacher.get(f"/teach/assignments/{stage.assignment_id}/analysis")
    teacher.get(f"/teach/classes/{stage.class_id}")
    teacher.page_showed(f"/teach/classes/{stage.class_id}/gradebook", "XSSSetTitle")
    teacher.page_showed(
        f"/teach/assignments/{stage.assignment_id}/analysis",
        "XSSStudentTyped",
        "XSSSinglePrompt",
        "XSSSingleA",
    )


def test_decks_and_cards_show_their_payloads_as_text(stage):
    student = stage.student
    ref = f"my-{stage.deck_id}"
    for url in (
        "/cards/",
        f"/cards/{ref}",
        f"/cards/{ref}/study",
        f"/cards/{ref}/study?card=card:{stage.card_id}&show=1",
        f"/cards/{ref}/cards/new",
        f"/cards/card/{stage.card_id}/edit",
        f"/cards/decks/{stage.deck_id}/edit",
        "/cards/stats",
    ):
        student.get(url)
    student.post(f"/cards/{ref}/study/check", {"card": f"card:{stage.card_id}", "typed": "x"})
    student.post(f"/cards/{ref}/study/rate", {"card": f"card:{stage.card_id}", "rating": "3"})
    student.get("/account/")
    student.showed(
        "XSSDeckTitle", "XSSDeckDescr", "XSSCardFront", "XSSCardBack", "XSSCardSource", "XSSTag"
    )
    student.showed("XSSCloze")


def anki_fields(apkg: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(apkg)) as archive, tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "collection.anki2"
        path.write_bytes(archive.read("collection.anki2"))
        connection = sqlite3.connect(path)
        try:
            return [row[0] for row in connection.execute("SELECT flds FROM notes")]
        finally:
            connection.close()


def test_anki_exports_hold_the_payloads_as_text(stage):
    """Anki shows fields as HTML: the exported fields must be as safe as the pages."""
    exports = [
        stage.teacher.client.get(f"/teach/sets/{set_id}/export/apkg")
        for set_id in (stage.set_id, *stage.imported.values())
    ]
    exports.append(stage.student.client.get(f"/cards/my-{stage.deck_id}/export.apkg"))
    fields = []
    for response in exports:
        assert response.status_code == 200
        fields += anki_fields(response.data)
    for note in fields:
        problems = live_script(note.replace("\x1f", "<hr>"))
        assert not problems, (problems, note[:300])
    everything = " ".join(fields)
    for marker in ("XSSSinglePrompt", "XSSGiftPrompt", "XSSJsonLeft0", "XSSCardFront"):
        assert marker in everything, marker


def test_usernames_cannot_carry_markup(app, client, runner):
    response = client.post(
        "/auth/register",
        data={
            "username": "<script>alert(1)</script>",
            "password": "correct horse battery",
            "confirm": "correct horse battery",
            "role": "student",
        },
    )
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert live_script(html) == []
    assert "Use letters, digits, dots, dashes or underscores only." in text_of(html)
    result = runner.invoke(
        args=["users", "create", "<img src=x onerror=alert(1)>", "--password", "x" * 12]
    )
    assert result.exit_code != 0
    assert "Use letters, digits, dots, dashes or underscores only." in result.output
    with app.app_context():
        from models import User

        assert db.session.scalar(select(db.func.count(User.id))) == 0
