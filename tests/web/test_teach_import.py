"""Importing files, on the web (upload, preview, confirm) and with `flask sets import`.

For each format: a good file imports; a partial file (some questions fine, others bad) is
refused with the line of each problem and nothing written; a malformed file gets a clear
message. Text that is no question (a description) is reported as left out; GIFT's essay
(`{}`) is imported as an essay (issue 18).
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from sqlalchemy import select
from werkzeug.test import EnvironBuilder

from models import Item, QuestionSet, db
from tests.conftest import PASSWORD
from tests.web.teach_support import make_set, set_items, text_of

GOOD = {
    "gift": (
        "week1.gift",
        "// [tag:un]\n"
        "::Q1:: Which city hosts the Human Rights Council? "
        "{=Geneva ~New York ~Vienna ####It meets in Geneva.}\n"
        "\n"
        "Describe the Universal Periodic Review. {}\n"
        "\n"
        "A description, not a question.\n"
        "\n"
        "The Korean War ended with a peace treaty. {FALSE}\n"
        "\n"
        "In which year did the Commission of Inquiry report? {#2014:1}\n",
    ),
    "aiken": (
        "week1.aiken.txt",  # the format in the name too: the set is still "week1"
        "Which city hosts the Human Rights Council?\nA. New York\nB. Geneva\nANSWER: B\n\n"
        "Who chaired the Commission of Inquiry?\nA) Michael Kirby\nB) Ban Ki-moon\nANSWER: A\n",
    ),
    "csv": (
        "week1.csv",
        "\ufefftype,prompt,answer,options,topics\r\n"
        "single,Which city hosts the Human Rights Council?,Geneva,New York|Geneva,un\r\n"
        'truefalse,"The war ended with a treaty, they say.",false,,history\r\n'
        'cloze,Fill in the blanks.,"The cables came out in {2024}.",,\r\n',
    ),
    "json": (
        "week1.json",
        '{"format": "quizdeck-set", "version": 1, "set": {"title": "From JSON", '
        '"description": "Saved"}, "items": [{"key": "", "type": "ordering", '
        '"prompt": "Order these.", "data": {"items": ["A", "B", "C"]}, "explanation": "", '
        '"sources": ["Book"], "topics": [], "difficulty": 0.3, "fact_ids": []}]}\n',
    ),
}
GOOD_COUNTS = {"gift": 4, "aiken": 2, "csv": 3, "json": 1}

PARTIAL = {
    "gift": (
        "bad.gift",
        "Fine? {=Yes ~No}\n\nMatch each person. {=Tae Yong-ho -> Diplomat}\n\n"
        "Which two? {=A =B ~C}\n",
        [
            "Line 3: a matching question needs at least 2 pairs, not 1",
            "Line 5: 2 options are marked right with '='",
        ],
    ),
    "aiken": (
        "bad.txt",
        "Which city?\nA. New York\nB. Geneva\nANSWER: B\n\nWhat is the capital?\nA) Seoul\n"
        "B) Busan\n",
        ["Line 6: the question has no ANSWER line"],
    ),
    "csv": (
        "bad.csv",
        "type,prompt,answer,options\nsingle,Which city?,Geneva,New York|Geneva\n"
        "truefalse,A statement,maybe,\n",
        ["Line 3: a truefalse answer is true or false, not 'maybe'"],
    ),
    "json": (
        "bad.json",
        '{"format": "quizdeck-set", "version": 1, "set": {}, "items": [\n'
        '{"key": "", "type": "truefalse", "prompt": "S", "data": {"answer": true}, '
        '"explanation": "", "sources": [], "topics": [], "difficulty": 0.5, "fact_ids": []},\n'
        '{"key": "", "type": "single", "prompt": "Q", "data": {"options": ['
        '{"text": "A", "correct": true}, {"text": "B", "correct": true}]}, '
        '"explanation": "", "sources": [], "topics": [], "difficulty": 0.5, "fact_ids": []}]}\n',
        ["Line 3: a single-choice question needs exactly one right option, not 2"],
    ),
}

MALFORMED = {
    "gift": ("broken.gift", "{{{ garbage ::: }", "Line 1: '{' inside the answer block"),
    "aiken": ("broken.txt", "ANSWER: just words\nwithout structure\n", "Line 1:"),
    "csv": ("broken.csv", "hello;world\n1;2\n", "Line 1: unknown column(s) hello, world"),
    "json": ("broken.json", '{"format": "quizdeck-set", ', "Line 1: not valid JSON"),
}


@pytest.fixture
def teacher(login_as):
    return login_as("teacher1", "teacher")


def upload(client, filename, content, **fields):
    data = content.encode("utf-8") if isinstance(content, str) else content
    form = {"file": (io.BytesIO(data), filename), "format": "auto", "target": "0"} | fields
    return client.post("/teach/import", data=form, content_type="multipart/form-data")


def token_of(page: str) -> str:
    return re.search(r'<input id="token" name="token" type="hidden" value="([^"]+)">', page).group(
        1
    )


def count_sets(app) -> int:
    with app.app_context():
        return db.session.scalar(select(db.func.count(QuestionSet.id)))


def count_items(app) -> int:
    with app.app_context():
        return db.session.scalar(select(db.func.count(Item.id)))


# -- the web ----------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", sorted(GOOD))
def test_good_file_previews_then_imports_on_confirm(app, teacher, fmt):
    filename, content = GOOD[fmt]
    response = upload(teacher, filename, content)
    assert response.status_code == 200
    page = response.data.decode()
    count = GOOD_COUNTS[fmt]
    noun = "item" if count == 1 else "items"
    assert f"Nothing is saved yet. Confirming will add {count} {noun}" in text_of(page)
    assert count_sets(app) == 0 and count_items(app) == 0  # the preview writes nothing

    response = teacher.post("/teach/import/confirm", data={"token": token_of(page)})
    assert response.status_code == 302
    set_id = int(response.headers["Location"].rsplit("/", 1)[1])
    items = set_items(app, set_id)
    assert len(items) == count
    with app.app_context():
        question_set = db.session.get(QuestionSet, set_id)
        assert question_set.title == ("From JSON" if fmt == "json" else "week1")
        assert question_set.status.value == "draft"


def test_gift_import_keeps_what_it_read(app, teacher):
    page = upload(teacher, *GOOD["gift"]).data.decode()
    text = text_of(page)
    assert "essay question" not in text
    assert "Line 6: a description (text without an answer block) is not a question" in text
    teacher.post("/teach/import/confirm", data={"token": token_of(page)})
    [set_id] = _set_ids(app)
    first, essay, second, third = set_items(app, set_id)
    assert essay["type"] == "essay" and essay["prompt"] == "Describe the Universal Periodic Review."
    assert first["type"] == "single" and first["topics"] == ["un"]
    assert first["data"]["options"][0] == {"text": "Geneva", "correct": True}
    assert first["explanation"] == "It meets in Geneva."
    assert second["type"] == "truefalse" and second["data"] == {"answer": False}
    assert third["data"]["answers"] == [{"value": 2014, "tolerance": 1, "fraction": 1.0}]


def test_csv_and_json_keep_their_details(app, teacher):
    for fmt in ("csv", "json"):
        page = upload(teacher, *GOOD[fmt]).data.decode()
        teacher.post("/teach/import/confirm", data={"token": token_of(page)})
    csv_set, json_set = _set_ids(app)
    single, truefalse, cloze = set_items(app, csv_set)
    assert truefalse["prompt"] == "The war ended with a treaty, they say."
    assert cloze["data"] == {
        "text": "The cables came out in {1}.",
        "blanks": [{"answers": ["2024"]}],
    }
    [ordering] = set_items(app, json_set)
    assert ordering["data"] == {"items": ["A", "B", "C"]}
    assert ordering["sources"] == ["Book"] and ordering["difficulty"] == 0.3
    with app.app_context():
        assert db.session.get(QuestionSet, json_set).description == "Saved"


def _set_ids(app) -> list[int]:
    with app.app_context():
        return list(db.session.scalars(select(QuestionSet.id).order_by(QuestionSet.id)))


@pytest.mark.parametrize("fmt", sorted(PARTIAL))
def test_partial_file_names_each_bad_line_and_writes_nothing(app, teacher, fmt):
    filename, content, messages = PARTIAL[fmt]
    page = upload(teacher, filename, content).data.decode()
    text = text_of(page)
    assert "this import. Nothing was saved." in text
    for message in messages:
        assert message in text
    assert 'name="token"' not in page  # no way to confirm
    assert count_sets(app) == 0 and count_items(app) == 0


@pytest.mark.parametrize("fmt", sorted(MALFORMED))
def test_malformed_file_gets_a_clear_message(app, teacher, fmt):
    filename, content, message = MALFORMED[fmt]
    page = upload(teacher, filename, content, format=fmt).data.decode()
    assert message in text_of(page)
    assert 'name="token"' not in page
    assert count_sets(app) == 0


def test_preview_shows_html_questions_as_students_see_them(app, teacher):
    gift = (
        "[html]Match the <b>activity</b> to the description."
        "<script>alert(1)</script><img src=x onerror=alert(2)>"
        "{=Chat -> talk =Forum -> post}\n"
    )
    page = upload(teacher, "html.gift", gift).data.decode()
    assert "Match the <b>activity</b> to the description." in page
    assert "&lt;b&gt;" not in page
    # Sanitised as on the quiz page: no script and no event handler survive.
    assert "alert(1)" not in page and "onerror" not in page
    # An image from anywhere but the app's media path is dropped (issue 15, finding 8).
    assert "<img" not in page


# Moodle's own sample file (GPL-3.0; tests/data/moodle_gift/README.md says where from).
MOODLE_EXAMPLES = Path(__file__).resolve().parents[1] / "data/moodle_gift/examples.txt"


def test_moodles_own_sample_file_imports(app, teacher):
    page = upload(teacher, "examples.txt", MOODLE_EXAMPLES.read_bytes()).data.decode()
    assert "Nothing is saved yet. Confirming will add 43 items" in text_of(page)
    teacher.post("/teach/import/confirm", data={"token": token_of(page)})
    [set_id] = _set_ids(app)
    control = next(i for i in set_items(app, set_id) if i["prompt"].startswith("Which of the"))
    assert [o["text"] for o in control["data"]["options"]] == ["~", "=", "#", "{", "}", "\\"]


def test_import_into_an_existing_set_appends(app, teacher):
    from tests.web.teach_support import SAMPLE_ITEMS

    set_id = make_set(app, "teacher1", title="Mine", items=[SAMPLE_ITEMS["short"]])
    assert (
        'selected value="' + str(set_id)
        in teacher.get(f"/teach/import?into={set_id}").data.decode()
    )
    page = upload(teacher, *GOOD["aiken"], target=str(set_id)).data.decode()
    assert "to your set “Mine”" in text_of(page)
    teacher.post("/teach/import/confirm", data={"token": token_of(page)})
    items = set_items(app, set_id)
    assert [item["type"] for item in items] == ["short", "single", "single"]


def test_pasted_text_imports_too(app, teacher):
    response = teacher.post(
        "/teach/import",
        data={
            "text": "Seoul is the capital of South Korea. {T}",
            "format": "auto",
            "target": "0",
            "title": "Pasted",
        },
    )
    page = response.data.decode()
    assert "read as GIFT" in text_of(page)
    teacher.post("/teach/import/confirm", data={"token": token_of(page)})
    with app.app_context():
        assert db.session.scalar(select(QuestionSet.title)) == "Pasted"


def test_an_empty_upload_asks_for_a_file(app, teacher):
    page = teacher.post("/teach/import", data={"format": "auto", "target": "0"}).data.decode()
    assert "Choose a file, or paste questions into the box." in text_of(page)


@pytest.mark.parametrize(
    ("filename", "content", "message"),
    [
        ("notes.docx", b"PK\x03\x04rest of a zip", "“notes.docx” is a zip archive"),
        ("questions.txt", b"%PDF-1.7 binary", "“questions.txt” is a PDF document"),
        ("questions.gift", b"Q? {T}\x00\x00\x01\x02", "“questions.gift” holds binary data"),
        ("picture.png", b"\x89PNG\r\n", "“picture.png” is a PNG image"),
        ("slides.pptx", b"just text", "“slides.pptx” is not a file Quizdeck can import"),
        (
            # Not UTF-8, nor anything charset-normalizer reads as Windows-1252 or CP949
            # (a Latin-1 file is read: test_import_limits.py, test_a_latin1_set_is_read_*).
            "garbled.gift",
            b"Q? {T}\x81\x8d\x8f\x90\x9d",
            "Line 1: the file is not UTF-8 text",
        ),
    ],
)
def test_wrong_types_and_binary_garbage_are_refused_clearly(
    app, teacher, filename, content, message
):
    page = upload(teacher, filename, content).data.decode()
    assert message in text_of(page)
    assert 'name="token"' not in page
    assert count_sets(app) == 0 and count_items(app) == 0


def _upload_big(client, content: str):
    """Upload through an environ we close ourselves: the test client spools a body this
    large to a temporary file and, when the app refuses to read it, never closes it."""
    form = {"file": (io.BytesIO(content.encode()), "big.gift"), "format": "auto", "target": "0"}
    builder = EnvironBuilder(path="/teach/import", method="POST", data=form)
    environ = builder.get_environ()
    builder.close()
    try:
        return client.open(environ)
    finally:
        environ["wsgi.input"].close()


def test_an_upload_over_the_size_limit_gets_a_clear_message(app, teacher):
    app.config["MAX_CONTENT_LENGTH"] = 64 * 1024
    response = _upload_big(teacher, "Q? {T}\n\n" * 20_000)
    assert response.status_code == 413
    assert "The upload is larger than 64 KB" in text_of(response.data.decode())
    app.config["MAX_CONTENT_LENGTH"] = 2 * 1024 * 1024
    response = _upload_big(teacher, "Q? {T}\n\n" * 300_000)
    assert response.status_code == 413
    text = text_of(response.data.decode())
    assert "The upload is larger than 2 MB, the most Quizdeck accepts at once." in text
    assert "Nothing was saved." in text
    assert count_sets(app) == 0


def test_a_forged_or_foreign_token_is_refused(app, teacher, login_as):
    page = upload(teacher, *GOOD["gift"]).data.decode()
    token = token_of(page)
    forged = token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")
    assert teacher.post("/teach/import/confirm", data={"token": forged}).status_code == 400
    other = login_as("teacher2", "teacher")
    assert other.post("/teach/import/confirm", data={"token": token}).status_code == 400
    assert count_sets(app) == 0


def test_an_expired_preview_asks_to_upload_again(app, teacher, monkeypatch):
    page = upload(teacher, *GOOD["gift"]).data.decode()
    from quizzes.web import previews

    monkeypatch.setattr(previews, "MAX_AGE", -1)
    response = teacher.post(
        "/teach/import/confirm", data={"token": token_of(page)}, follow_redirects=True
    )
    assert "That preview is more than 3 hours old. Upload the file again." in text_of(
        response.data.decode()
    )
    assert count_sets(app) == 0


def test_a_token_names_its_target_set_and_that_set_must_still_be_owned(app, teacher, login_as):
    set_id = make_set(app, "teacher1", title="Mine")
    page = upload(teacher, *GOOD["aiken"], target=str(set_id)).data.decode()
    with app.app_context():
        db.session.delete(db.session.get(QuestionSet, set_id))
        db.session.commit()
    assert teacher.post("/teach/import/confirm", data={"token": token_of(page)}).status_code == 404


def test_importing_into_another_teachers_set_is_404(app, teacher, login_as):
    login_as("teacher2", "teacher")
    theirs = make_set(app, "teacher2", title="Theirs")
    response = upload(teacher, *GOOD["aiken"], target=str(theirs))
    assert response.status_code == 404
    assert set_items(app, theirs) == []


# -- the command line -------------------------------------------------------------------------


@pytest.fixture
def owner(create_user):
    create_user("teacher1", "teacher")


@pytest.mark.parametrize("fmt", sorted(GOOD))
def test_cli_imports_a_good_file(app, runner, owner, tmp_path, fmt):
    filename, content = GOOD[fmt]
    path = tmp_path / filename
    path.write_text(content, encoding="utf-8")
    result = runner.invoke(args=["sets", "import", str(path), "--owner", "teacher1"])
    assert result.exit_code == 0, result.output
    items = "1 item" if GOOD_COUNTS[fmt] == 1 else f"{GOOD_COUNTS[fmt]} items"
    assert f"Imported {items} into set 1" in result.output
    assert count_items(app) == GOOD_COUNTS[fmt]


def test_cli_dry_run_shows_and_writes_nothing(app, runner, owner, tmp_path):
    path = tmp_path / "week1.gift"
    path.write_text(GOOD["gift"][1], encoding="utf-8")
    result = runner.invoke(args=["sets", "import", str(path), "--owner", "teacher1", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "left out, line 6: a description" in result.output
    assert "1. line 2     single    Which city hosts the Human Rights Council?" in result.output
    assert "Dry run: would add 4 items to a new set “week1”. Nothing written." in result.output
    assert count_sets(app) == 0


@pytest.mark.parametrize("fmt", sorted(PARTIAL))
def test_cli_refuses_a_partial_file_naming_lines(app, runner, owner, tmp_path, fmt):
    filename, content, messages = PARTIAL[fmt]
    path = tmp_path / filename
    path.write_text(content, encoding="utf-8")
    result = runner.invoke(args=["sets", "import", str(path), "--owner", "teacher1"])
    assert result.exit_code == 1
    for message in messages:
        assert "error, l" + message[1:] in result.output
    assert "nothing was imported" in result.output
    assert count_sets(app) == 0


def test_cli_format_option_and_refusals(app, runner, owner, tmp_path, create_user):
    path = tmp_path / "questions.dat"
    path.write_text(GOOD["aiken"][1], encoding="utf-8")
    result = runner.invoke(args=["sets", "import", str(path), "--owner", "teacher1"])
    assert result.exit_code == 1 and "is not a file Quizdeck can import" in result.output
    result = runner.invoke(
        args=["sets", "import", str(path), "--owner", "teacher1", "--format", "aiken"]
    )
    assert result.exit_code == 0 and "read as Aiken" in result.output

    create_user("student1")
    result = runner.invoke(args=["sets", "import", str(path), "--owner", "student1"])
    assert result.exit_code == 1 and "'student1' is not a teacher." in result.output
    result = runner.invoke(args=["sets", "import", str(path), "--owner", "nobody"])
    assert result.exit_code == 1 and "No user called 'nobody'." in result.output
    binary = tmp_path / "deck.apkg"
    binary.write_bytes(b"PK\x03\x04zip")
    result = runner.invoke(args=["sets", "import", str(binary), "--owner", "teacher1"])
    assert result.exit_code == 1 and "is a zip archive" in result.output


def test_preview_and_confirm_share_the_per_account_import_limit(make_app, create_user):
    limited = make_app(RATELIMIT_ENABLED=True, IMPORT_RATE_LIMIT="2 per hour")
    create_user("teacher1", "teacher")  # same database as `limited`
    client = limited.test_client()
    client.post("/auth/login", data={"username": "teacher1", "password": PASSWORD})
    page = upload(client, *GOOD["aiken"]).data.decode()
    assert client.post("/teach/import/confirm", data={"token": token_of(page)}).status_code == 302
    assert upload(client, *GOOD["aiken"]).status_code == 429


def test_a_file_of_one_question_says_one_item(app, teacher):
    page = upload(teacher, *GOOD["json"]).data.decode()  # a single item
    response = teacher.post(
        "/teach/import/confirm", data={"token": token_of(page)}, follow_redirects=True
    )
    assert "Imported 1 item into" in text_of(response.data.decode())
