"""A practice quiz on the built-in bank means its size and says what it could not do."""

from __future__ import annotations

from collections import Counter
from itertools import combinations

from sqlalchemy import select

from models import AttemptItem, QuestionSet, db
from quizzes.domain.checker import exposure
from quizzes.domain.checker.giveaway import giveaway_reason


def _defections_set(app, runner) -> int:
    assert runner.invoke(args=["bank", "build", "--quiet"]).exit_code == 0
    with app.app_context():
        return db.session.scalar(
            select(QuestionSet.id).where(QuestionSet.slug == "bank-defections")
        )


def _drawn(app) -> list[dict]:
    with app.app_context():
        return [
            {**entry.snapshot, "key": entry.item_key}
            for entry in db.session.scalars(select(AttemptItem).order_by(AttemptItem.position))
        ]


def _as_item(snapshot: dict) -> dict:
    """The stored item behind a snapshot: the view keeps the prompt, the explanation and
    the facts; the answer comes from the snapshot's key."""
    from models import Item

    item = db.session.scalar(select(Item).where(Item.key == snapshot["key"]))
    return {
        "key": item.key,
        "type": item.type,
        "prompt": item.prompt,
        "data": item.data,
        "explanation": item.explanation,
        "fact_ids": item.fact_ids,
    }


def test_a_ten_question_defections_quiz_has_ten_questions_of_many_types(app, runner, login_as):
    set_id = _defections_set(app, runner)
    student = login_as("student1")
    response = student.post(
        "/quiz/",
        data={"source": f"set:{set_id}", "size": "10", "feedback_mode": "end"},
        follow_redirects=True,
    )
    assert response.status_code == 200
    assert "This quiz has" not in response.get_data(as_text=True)  # no excuse needed
    drawn = _drawn(app)
    types = Counter(entry["type"] for entry in drawn)
    assert len(drawn) == 10 and len(types) >= 5 and max(types.values()) <= 3, types
    with app.app_context():
        shown = [exposure(_as_item(entry)) for entry in drawn]
    assert [r for a, b in combinations(shown, 2) if (r := giveaway_reason(a, b))] == []


def test_the_quiz_says_which_ticked_types_it_could_not_show_and_why(app, runner, login_as):
    set_id = _defections_set(app, runner)
    student = login_as("student1")
    page = student.post(
        "/quiz/",
        data={
            "source": f"set:{set_id}",
            "size": "2",
            "feedback_mode": "end",
            "item_types": ["single", "short", "numeric"],
        },
        follow_redirects=True,
    ).get_data(as_text=True)
    assert len(_drawn(app)) == 2
    assert "questions: 2 questions leave no room for every type." in page


def test_a_quiz_short_of_its_size_says_by_how_much_and_why(app, runner, login_as):
    assert runner.invoke(args=["bank", "build", "--quiet"]).exit_code == 0
    with app.app_context():
        set_id = db.session.scalar(
            select(QuestionSet.id).where(QuestionSet.slug == "bank-admissions")
        )
        from models import Item

        here = db.session.scalar(
            select(db.func.count(Item.id)).where(Item.set_id == set_id, Item.retired_at.is_(None))
        )
    student = login_as("student1")
    page = student.post(
        "/quiz/",
        data={"source": f"set:{set_id}", "size": "50", "feedback_mode": "end"},
        follow_redirects=True,
    ).get_data(as_text=True)
    drawn = len(_drawn(app))
    assert 0 < drawn < here
    assert (
        f"This quiz has {drawn} questions: all that match, with each fact asked about once "
        "unless its questions cannot give each other&#39;s answers away (you asked for 50; "
        f"{here} questions here match)." in page
    )
