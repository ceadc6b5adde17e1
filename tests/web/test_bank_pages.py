import io

import pytest
from sqlalchemy import func, select

from models import Item, QuestionSet, db

GOOD_FACTS = """
[sources.SRC]
publisher = "Example Times"
ref = "example.org/report"

[[facts]]
id = "walkout"
kind = "tactic"
status = "V"
label = "the walkout"
topics = ["tactics"]
sources = ["SRC"]
text = "In November 2016 the envoy walked out."
"""


@pytest.fixture
def built_bank(app, runner):
    assert runner.invoke(args=["bank", "build", "--quiet"]).exit_code == 0


def test_bank_index_lists_sets_and_topics_with_counts(client, built_bank):
    page = client.get("/bank/").data.decode()
    assert "Defections" in page and "Universal Periodic Review" in page
    assert "items" in page and "Special Rapporteurs" in page


def test_set_and_topic_pages(client, app, built_bank):
    with app.app_context():
        qset = db.session.scalar(select(QuestionSet).where(QuestionSet.slug == "bank-defections"))
        count = db.session.scalar(select(func.count(Item.id)).where(Item.set_id == qset.id))
    page = client.get(f"/bank/sets/{qset.id}").data.decode()
    assert f"{count} items" in page
    assert client.get("/bank/topics/upr").status_code == 200
    assert client.get("/bank/topics/no-such-topic").status_code == 404


def test_upload_needs_a_teacher(client, login_as):
    assert client.get("/bank/upload").status_code == 302
    student = login_as("stu")
    assert student.get("/bank/upload").status_code == 403


def test_malformed_fact_file_names_the_line_and_writes_nothing(app, login_as):
    teacher = login_as("teach", "teacher")
    bad = GOOD_FACTS.replace('sources = ["SRC"]', 'sources = ["NOPE"]')
    response = teacher.post(
        "/bank/upload",
        data={"title": "Mine", "facts": (io.BytesIO(bad.encode()), "mine.toml")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    page = response.data.decode()
    assert "Nothing was created" in page
    assert "Line 7:" in page and "NOPE" in page  # the line of the fact's id
    with app.app_context():
        assert db.session.scalar(select(func.count(QuestionSet.id))) == 0


def test_toml_syntax_error_and_wrong_type(app, login_as):
    teacher = login_as("teach", "teacher")
    response = teacher.post(
        "/bank/upload",
        data={"title": "Mine", "facts": (io.BytesIO(b"[[facts]\nid = 1\n"), "mine.toml")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422 and b"Line 1:" in response.data
    response = teacher.post(
        "/bank/upload",
        data={"title": "Mine", "facts": (io.BytesIO(b"x"), "mine.exe")},
        content_type="multipart/form-data",
    )
    assert b"Fact files are TOML files ending in .toml." in response.data
    with app.app_context():
        assert db.session.scalar(select(func.count(QuestionSet.id))) == 0


def test_oversized_upload_is_refused(app, login_as):
    teacher = login_as("teach", "teacher")
    # A raw body (not a files dict) so the test client keeps it in memory, not a temp file.
    big = b"--x\r\nContent-Disposition: form-data; name=facts; filename=big.toml\r\n\r\n"
    big += b"#" * (3 * 1024 * 1024) + b"\r\n--x--\r\n"
    response = teacher.post(
        "/bank/upload", data=big, content_type="multipart/form-data; boundary=x"
    )
    assert response.status_code == 413
    assert b"larger than the limit" in response.data


def test_good_fact_file_creates_a_private_draft_set(app, login_as):
    teacher = login_as("teach", "teacher")
    response = teacher.post(
        "/bank/upload",
        data={"title": "Walkouts", "facts": (io.BytesIO(GOOD_FACTS.encode()), "mine.toml")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302, response.data
    with app.app_context():
        qset = db.session.scalar(select(QuestionSet))
        items = db.session.scalars(select(Item).where(Item.set_id == qset.id)).all()
        assert qset.status.value == "draft" and qset.title == "Walkouts"
        assert items and all(i.sources[0]["publisher"] == "Example Times" for i in items)
        set_id = qset.id
    assert response.headers["Location"] == f"/teach/sets/{set_id}"  # preview, then publish
    assert "Generate from a fact file" in teacher.get("/teach/sets").data.decode()
    assert teacher.get(f"/bank/sets/{set_id}").status_code == 200
    other = login_as("other", "teacher")
    assert other.get(f"/bank/sets/{set_id}").status_code == 404


RELATED_FACTS = (
    GOOD_FACTS
    + """
[[facts]]
id = "boycott"
kind = "tactic"
status = "V"
label = "the boycott"
topics = ["tactics"]
sources = ["SRC"]
text = "In March 2016 the minister said the state would stay away from the sessions."

[[relations]]
id = "compare.walkout_boycott"
kind = "compare"
facts = ["walkout", "boycott"]
question = "How did the November answer differ from the March one?"
answer = "The envoy left the room instead of staying away"
[[relations.wrong]]
text = "The envoy voted for the resolution"
why = "He walked out."
[[relations.wrong]]
text = "The minister attended every session"
why = "He said the state would stay away."
"""
)


def test_a_teachers_relation_gives_an_item_above_recall_with_its_level(app, login_as):
    teacher = login_as("teach", "teacher")
    response = teacher.post(
        "/bank/upload",
        data={"title": "Compared", "facts": (io.BytesIO(RELATED_FACTS.encode()), "mine.toml")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302, response.data
    with app.app_context():
        items = db.session.scalars(select(Item)).all()
        compare = [i for i in items if i.key.endswith("+compare.walkout_boycott")]
        assert len(compare) == 1 and compare[0].level == "understand"
        assert compare[0].prompt == "How did the November answer differ from the March one?"
        assert {i.level for i in items} >= {"remember", "understand"}
