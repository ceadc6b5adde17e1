"""`flask bank build`: idempotent, updates in place by stable key, retires what is gone."""

import json

from sqlalchemy import func, select

from models import Fact, Item, ItemTopic, QuestionSet, db, utcnow
from quizzes.bank.loader import BankSet, load_bank


def item(key, prompt="Q?", topics=("t1",), fact="f1"):
    return {
        "key": key,
        "type": "truefalse",
        "prompt": prompt,
        "data": {"answer": True},
        "explanation": "E.",
        "sources": [{"key": "S", "publisher": "P", "title": "", "date": "", "ref": "r"}],
        "topics": list(topics),
        "difficulty": 0.3,
        "fact_ids": [fact],
    }


FACT = {
    "id": "f1",
    "kind": "statement",
    "status": "V",
    "fields": {},
    "topics": ["t1"],
    "sources": [],
}


def counts():
    return (
        db.session.scalar(select(func.count(Item.id))),
        db.session.scalar(select(func.count(Item.id)).where(Item.retired_at.is_(None))),
    )


def test_build_twice_changes_nothing_the_second_time(app, runner):
    first = runner.invoke(args=["bank", "build", "--quiet"])
    assert first.exit_code == 0, first.output
    assert "retired 0" in first.output
    with app.app_context():
        total, active = counts()
        snapshot = {
            i.key: (i.version, i.prompt, i.set_id, i.position)
            for i in db.session.scalars(select(Item))
        }
    assert total == active >= 200
    second = runner.invoke(args=["bank", "build", "--quiet"])
    assert f"added 0, updated 0, revived 0, retired 0, unchanged {total}" in second.output
    with app.app_context():
        again = {
            i.key: (i.version, i.prompt, i.set_id, i.position)
            for i in db.session.scalars(select(Item))
        }
    assert again == snapshot


def test_edit_updates_in_place_and_removal_retires(app):
    with app.app_context():
        sets = [BankSet("bank-x", "X", "", ["a", "b"])]
        load_bank([item("a"), item("b")], sets, [FACT], utcnow())
        db.session.commit()
        a_id = db.session.scalar(select(Item.id).where(Item.key == "a"))

        summary = load_bank(
            [item("a", prompt="Edited?", topics=("t2",))],
            [BankSet("bank-x", "X", "", ["a"])],
            [],
            utcnow(),
        )
        db.session.commit()
        assert (summary.updated, summary.retired, summary.facts_retired) == (1, 1, 1)
        a = db.session.get(Item, a_id)  # same row: history that points at it still resolves
        assert (a.prompt, a.version, a.topics) == ("Edited?", 2, ["t2"])
        assert [t.topic for t in a.topic_rows] == ["t2"]
        b = db.session.scalar(select(Item).where(Item.key == "b"))
        assert b.retired_at is not None and not any(t.active for t in b.topic_rows)
        assert db.session.get(Fact, "f1").retired_at is not None
        assert counts() == (2, 1)

        summary = load_bank(
            [item("a", prompt="Edited?", topics=("t2",)), item("b")], sets, [FACT], utcnow()
        )
        db.session.commit()
        assert summary.revived == 1 and counts() == (2, 2)
        assert db.session.scalar(select(func.count()).select_from(ItemTopic)) == 2


def test_stats_prints_json_with_no_unsourced_items(runner):
    runner.invoke(args=["bank", "build", "--quiet"])
    result = runner.invoke(args=["bank", "stats"])
    data = json.loads(result.output)
    assert data["items_without_source"] == 0
    assert data["items"] >= 200 and len(data["items_by_type"]) >= 6
    assert data["facts"] >= 40
    assert "phrase.vicious_plot" in data["facts_excluded_unverified"]


def test_builtin_sets_have_no_owner_and_are_published(app, runner):
    runner.invoke(args=["bank", "build", "--quiet"])
    with app.app_context():
        sets = db.session.scalars(select(QuestionSet)).all()
        assert {s.slug for s in sets} >= {"bank-defections", "bank-tactics", "bank-upr"}
        assert all(s.owner_id is None and s.status.value == "published" for s in sets)


def test_an_items_level_is_stored_updated_and_read_back(app):
    with app.app_context():
        sets = [BankSet("bank-x", "X", "", ["a", "b"])]
        load_bank([{**item("a"), "level": "analyse"}, item("b")], sets, [FACT], utcnow())
        db.session.commit()
        a = db.session.scalar(select(Item).where(Item.key == "a"))
        b = db.session.scalar(select(Item).where(Item.key == "b"))
        # An item written before levels existed asks for recall.
        assert (a.level, b.level) == ("analyse", "remember")
        assert a.as_dict()["level"] == "analyse"

        load_bank([{**item("a"), "level": "understand"}, item("b")], sets, [FACT], utcnow())
        db.session.commit()
        assert db.session.get(Item, a.id).level == "understand"
