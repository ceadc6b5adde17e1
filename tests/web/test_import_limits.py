"""Every import does bounded work and turns odd data into a message, through the pages
(issue 15, findings 2, 5, 6 and 7): the Anki package attacks, a CSV cell past csv's field
limit, numbers of thousands of digits, prompts past the editor's limit, fact files past the
item cap, Latin-1 text read alike for cards and sets, and study steps out of range. Each
refusal writes nothing."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from sqlalchemy import func, select
from werkzeug.test import EnvironBuilder

from models import Card, Deck, Item, StudyPreferences, User, db
from tests.domain.interop.test_interop_anki_bounds import COL, ENDLESS_VIEW, HEAVY_VIEW, collection
from tests.web.cards_seed import seed_deck
from tests.web.teach_support import text_of
from tests.web.test_cards_import import confirm_data
from tests.web.test_uploads import FACT, fact_upload, nothing_written


@pytest.fixture
def teacher(login_as):
    return login_as("teacher1", "teacher")


@pytest.fixture
def learner(app, login_as, cards_clock):
    client = login_as("mina")
    with app.app_context():
        mina = db.session.scalar(select(User.id).where(User.username == "mina"))
        deck_id = seed_deck(mina, cards=1, title="Korean")
    return client, deck_id


def post_file(client, path: str, form: dict):
    """A multipart POST whose spooled body (large files) is closed after the request."""
    builder = EnvironBuilder(path=path, method="POST", data=form)
    environ = builder.get_environ()
    builder.close()
    try:
        return client.open(environ)
    finally:
        environ["wsgi.input"].close()


def upload(client, deck_id: int, data: bytes, name: str):
    return post_file(client, f"/cards/decks/{deck_id}/import", {"file": (io.BytesIO(data), name)})


def import_upload(client, filename: str, content: bytes | str):
    data = content.encode() if isinstance(content, str) else content
    form = {"file": (io.BytesIO(data), filename), "format": "auto", "target": "0"}
    response = post_file(client, "/teach/import", form)
    return response, text_of(response.get_data(as_text=True))


def cards_in(app, deck_id: int) -> list[tuple[str, str]]:
    with app.app_context():
        return [
            (card.front, card.back)
            for card in db.session.scalars(select(Card).where(Card.deck_id == deck_id))
        ]


# -- cards ------------------------------------------------------------------------------------


@pytest.mark.parametrize("view", [ENDLESS_VIEW, HEAVY_VIEW], ids=["endless", "2500x100KB"])
def test_the_issues_anki_packages_are_refused_and_nothing_is_written(app, learner, tmp_path, view):
    client, deck_id = learner
    before = cards_in(app, deck_id)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("collection.anki2", collection(tmp_path, COL + view))
    assert len(out.getvalue()) < 2000
    response = upload(client, deck_id, out.getvalue(), "attack.apkg")
    page = text_of(response.get_data(as_text=True))
    assert response.status_code == 200
    assert "holds a view “notes”, which Anki collections never do" in page
    assert "Nothing was saved." in page and 'name="token"' not in response.get_data(as_text=True)
    assert cards_in(app, deck_id) == before


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            b"front,back\n" + b"x" * 140_000 + b",y\n",
            "Line 2: a cell is longer than csv reads (131,072 characters)",
        ),
        (b'front,back\n"unclosed,' + b"y" * 140_000 + b"\n", "Line 2: a cell is longer"),
        ("front\t" + "9" * 5000 + "\n", "the back has 5,000 characters; a card side has at most"),
        (b"front\tback\n" * 100_001, "The file has 100,001 lines; Quizdeck reads at most 100,000"),
    ],
    ids=["csv-field", "unclosed-quote", "5000-digits", "lines"],
)
def test_card_text_past_a_limit_is_a_message(app, learner, content, message):
    client, deck_id = learner
    before = cards_in(app, deck_id)
    data = content.encode() if isinstance(content, str) else content
    response = upload(client, deck_id, data, "cards.csv")
    page = text_of(response.get_data(as_text=True))
    assert response.status_code in (200, 413)
    if response.status_code == 200:
        assert message in page and "Nothing was saved." in page
    assert cards_in(app, deck_id) == before


def test_a_latin1_card_file_is_read_as_windows_1252_and_named(app, learner):
    client, deck_id = learner
    preview = upload(client, deck_id, "café\tcoffee\n".encode("cp1252"), "cafe.txt")
    page = preview.get_data(as_text=True)
    assert "Text encoding: Windows-1252 (Western European)." in text_of(page)
    assert "caf\ufffd" not in page
    confirmed = client.post(f"/cards/decks/{deck_id}/import/confirm", data=confirm_data(page))
    assert confirmed.status_code == 302
    assert ("café", "coffee") in cards_in(app, deck_id)


# -- question sets ---------------------------------------------------------------------------


def test_a_latin1_set_is_read_as_windows_1252_and_named(app, teacher):
    response, text = import_upload(teacher, "cafe.gift", "Le café est noir. {T}\n".encode("cp1252"))
    assert "Text encoding: Windows-1252 (Western European)." in text
    token = re.search(
        r'name="token" type="hidden" value="([^"]+)"', response.get_data(as_text=True)
    )
    once = re.search(r'name="once" type="hidden" value="([^"]+)"', response.get_data(as_text=True))
    confirmed = teacher.post(
        "/teach/import/confirm", data={"token": token.group(1), "once": once.group(1)}
    )
    assert confirmed.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(Item.prompt)) == "Le café est noir."


@pytest.mark.parametrize(
    ("filename", "content", "message"),
    [
        (
            "huge-prompt.gift",
            "::q:: " + "x" * 1_500_000 + " {=a ~b ~c}\n",
            "Line 1: this question has 1,500,017 characters",
        ),
        (
            "long-prompt.gift",
            "::q:: " + "x" * 5001 + " {=a ~b ~c}\n",
            "Line 1: the question has 5,001 characters; at most 5,000 (as in the editor)",
        ),
        (
            "digits.json",
            '{"format": "quizdeck-set", "version": 1, "items": [{"type": "numeric", '
            '"prompt": "Year?", "data": {"answers": [{"value": ' + "9" * 5000 + "}]}}]}",
            "Line 1: a number has 5,000 digits; numbers in a question set have at most 40",
        ),
    ],
    ids=["1.5MB-prompt", "5001-prompt", "5000-digits"],
)
def test_set_imports_past_a_limit_are_refused_and_nothing_is_written(
    app, teacher, filename, content, message
):
    response, text = import_upload(teacher, filename, content)
    assert response.status_code == 200
    assert message in text and "Nothing was saved" in text
    assert 'name="token"' not in response.get_data(as_text=True)
    assert nothing_written(app)


# -- fact files ------------------------------------------------------------------------------


def test_a_fact_file_with_a_number_of_thousands_of_digits_is_a_message(app, teacher):
    content = FACT.replace("{id}", "walkout").replace("{topic}", "tactics")
    content = content.replace('status = "V"', 'status = "V"\nyear = ' + "9" * 5000)
    response, text = fact_upload(teacher, "digits.toml", content)
    assert response.status_code == 422
    assert "a number has more digits than any fact needs" in text
    assert nothing_written(app)


COUNT_FACT = """
[sources.KT1]
publisher = "Korea Times"
ref = "example.org/report"

[[facts]]
id = "report.basis"
kind = "document"
status = "V"
label = "the cables"
topics = ["report"]
sources = ["KT1"]
text = "The report is based on {count} cables."
count = %s
[facts.ask]
count = "How many diplomatic cables is the report based on?"
"""


def test_a_fact_count_too_large_for_a_number_answer_is_a_message(app, teacher):
    # 401 digits: TOML reads it, but no float holds it (the numeric item's answer).
    response, text = fact_upload(teacher, "count.toml", COUNT_FACT % ("1" + "0" * 400))
    assert response.status_code == 422
    assert "Line 7: fact 'report.basis': field 'count' has more than 40 digits" in text
    assert nothing_written(app)
    response, _ = fact_upload(teacher, "count.toml", COUNT_FACT % "12")
    assert response.status_code == 302


def test_a_fact_file_past_the_cap_is_refused_before_generating(app, teacher):
    header, _, fact = FACT.partition("[[facts]]")
    facts = "".join(
        ("[[facts]]" + fact)
        .replace("{id}", f"walkout{n}")
        .replace("{topic}", "tactics")
        .replace("walked out.", f"walked out of meeting {n}.")
        for n in range(2001)
    )
    response, text = fact_upload(teacher, "many.toml", header + facts)
    assert response.status_code == 422
    assert "the file holds 2,001 facts; an uploaded fact file holds at most 2,000" in text
    assert nothing_written(app)


def test_a_latin1_fact_file_is_read_like_every_other_import(app, teacher):
    content = FACT.replace("{id}", "walkout").replace("{topic}", "tactics")
    content = content.replace("the walkout", "the café walkout")
    response, _ = fact_upload(teacher, "cafe.toml", content.encode("cp1252"))
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(func.count(Item.id))) >= 1


# -- study settings ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("learning", "relearning", "message"),
    [
        ("99999999999999h", "10m", "Each step must be shorter than a day."),
        ("9" * 5000 + "m", "10m", "Each step must be shorter than a day."),
        ("1m 10m", "0m", "“0m” is no time at all: each step must be longer than zero."),
    ],
    ids=["huge-hours", "5000-digits", "zero"],
)
def test_study_steps_out_of_range_are_a_message(app, login_as, learning, relearning, message):
    client = login_as("sam")
    response = client.post(
        "/cards/settings",
        data={
            "desired_retention": "0.85",
            "new_per_day": "15",
            "reviews_per_day": "150",
            "learning_steps": learning,
            "relearning_steps": relearning,
            "timezone": "UTC",
            "day_start_hour": "4",
            "exam_topic": "",
        },
    )
    assert response.status_code in (200, 422)
    assert message in text_of(response.get_data(as_text=True))
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(StudyPreferences)) == 0
        assert db.session.scalar(select(func.count()).select_from(Deck)) == 0
