"""Citations a reader can follow: publisher, “title”, date, linked, on every page and
export that shows sources; never the raw key or the sheet's short reference."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from models import Item, QuestionSet, SetStatus, db
from tests.web.teach_support import make_set, set_items

WEEK = "The Week, “North Korean ambassador to Italy 'disappears'”"
WEEK_URL = "https://theweek.com/98736/north-korean-ambassador-to-italy-disappears"
JO_ITEM = "tpl.defection.person.short:defection.jo"


@pytest.fixture
def built_bank(runner):
    assert runner.invoke(args=["bank", "build", "--quiet"]).exit_code == 0


@pytest.fixture
def teacher(login_as):
    return login_as("teacher1", "teacher")


def item_id(app, key: str) -> int:
    with app.app_context():
        return db.session.scalar(select(Item.id).where(Item.key == key))


def linked(page: str, text: str, url: str) -> bool:
    anchor = f'<a href="{url}" rel="external noopener noreferrer">{text}</a>'
    return anchor.replace("'", "&#39;") in page


def test_every_bank_source_has_publisher_and_a_link_or_says_why_not(app, built_bank):
    with app.app_context():
        items = db.session.scalars(select(Item).where(Item.retired_at.is_(None))).all()
        sources = {source["key"]: source for item in items for source in item.sources}
    assert sources, "the bank cites sources"
    unlinked = {key for key, source in sources.items() if not source.get("url")}
    assert unlinked <= {"NCO", "KH21"}  # the two the re-checked sheet could not find again
    assert all(source["publisher"] for source in sources.values())
    assert all("not found again" in sources[key]["ref"] for key in unlinked)


def test_the_bank_item_page_links_each_citation(app, built_bank, teacher):
    page = teacher.get(f"/bank/items/{item_id(app, JO_ITEM)}").data.decode()
    assert linked(page, WEEK, WEEK_URL)
    assert "theweek.com 98736" not in page and ">WEEK<" not in page


SOURCE = {
    "key": "WEEK",
    "publisher": "The Week",
    "title": "North Korean ambassador to Italy 'disappears'",
    "date": "",
    "ref": "theweek.com 98736",
    "url": WEEK_URL,
}
NOTE = "Accepted as another spelling of Ri Il-gyu (리일규); this course writes Ri Il-gyu."


def one_item_quiz(app, client, feedback: str) -> int:
    with app.app_context():
        qset = QuestionSet(slug="ri", title="Ri", status=SetStatus.PUBLISHED)
        db.session.add(qset)
        db.session.flush()
        answer = {"text": "Ri Il-gyu", "fraction": 1.0, "hangul": "리일규"}
        db.session.add(
            Item(
                set_id=qset.id,
                position=0,
                key="ri.short",
                type="short",
                prompt="Who presented the cables in Geneva?",
                data={"answers": [answer], "romanised": True},
                explanation="Ri Il-gyu presented them.",
                sources=[SOURCE],
                topics=["report"],
                difficulty=0.5,
                fact_ids=["report.presented"],
            )
        )
        db.session.commit()
        set_id = qset.id
    form = {
        "source": f"set:{set_id}",
        "size": "1",
        "feedback_mode": feedback,
        "late_policy": "mark",
        "start_token": f"citations-{feedback}",
    }
    response = client.post("/quiz/", data=form)
    assert response.status_code == 302, response.data.decode()[:400]
    return int(re.search(r"/quiz/attempts/(\d+)", response.headers["Location"]).group(1))


def test_feedback_and_result_show_the_variant_note_and_the_linked_citation(app, login_as):
    student = login_as("student1")
    attempt = one_item_quiz(app, student, "immediate")
    url = f"/quiz/attempts/{attempt}/items/1"
    student.post(url, data={"answer": ["Lee Il-gyu"], "check": "1"})
    feedback = student.get(url).data.decode()
    assert "✓</span> Right" in feedback
    assert NOTE in feedback
    assert linked(feedback, WEEK, WEEK_URL)
    student.post(f"/quiz/attempts/{attempt}/submit")
    result = student.get(f"/quiz/attempts/{attempt}/result").data.decode()
    assert NOTE in result
    assert linked(result, WEEK, WEEK_URL)


def test_the_teacher_preview_lists_linked_sources(app, built_bank, teacher):
    with app.app_context():
        bank_id = db.session.scalar(select(Item.set_id).where(Item.key == JO_ITEM))
    set_id = make_set(app, "teacher1", title="Mine")
    copied = teacher.post(
        f"/teach/bank/{bank_id}", data={"items": [item_id(app, JO_ITEM)], "target": set_id}
    )
    assert copied.status_code == 302
    with app.app_context():
        mine = db.session.scalar(select(Item.id).where(Item.set_id == set_id))
    url = f"/teach/sets/{set_id}/items/{mine}/preview"
    page = teacher.post(url, data={"answer": ["Jo Song-gil"], "seed": "1"}).data.decode()
    assert linked(page, WEEK, WEEK_URL)
    # The editor's lines and the set's exports write the URL out.
    [item] = set_items(app, set_id)
    assert f"The Week, North Korean ambassador to Italy 'disappears', {WEEK_URL}" in item["sources"]
    exported = teacher.get(f"/teach/sets/{set_id}/export/csv").data.decode()
    assert WEEK_URL in exported


def test_flashcard_exports_write_the_url(app, built_bank, login_as):
    learner = login_as("learner1")
    with app.app_context():
        qset = db.session.scalar(select(QuestionSet).where(QuestionSet.slug == "bank-defections"))
    exported = learner.get(f"/cards/set-{qset.id}/export.csv")
    assert exported.status_code == 200, exported.status_code
    assert WEEK_URL in exported.data.decode()
