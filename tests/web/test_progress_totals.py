"""The progress page's running totals match a recount over every stored answer."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from sqlalchemy import delete, select

from models import ItemProgress, TopicProgress, User, db
from quizzes.progress import services, stats
from tests.fixtures_items import Clock, make_items, right_form, snapshots, start_quiz, wrong_form


def _take(
    client, app, set_id: int, wrong_types: set[str], blank_types: frozenset[str] = frozenset()
):
    attempt_id = start_quiz(client, f"set:{set_id}")
    for position, snapshot in enumerate(snapshots(app, attempt_id), 1):
        if snapshot["type"] in blank_types:
            continue  # left blank: graded 0 at submit
        wrong = snapshot["type"] in wrong_types
        form = wrong_form(snapshot) if wrong else right_form(snapshot)
        client.post(f"/quiz/attempts/{attempt_id}/items/{position}", data=form)
    client.post(f"/quiz/attempts/{attempt_id}/submit")


def _user_id(username: str) -> int:
    return db.session.scalar(select(User.id).where(User.username == username))


def _recounted(user_id: int):
    records = services.answer_records(user_id)
    return stats.topic_mastery(records), stats.most_missed(records)


def test_totals_kept_while_grading_equal_a_recount_and_a_rebuild(app, login_as):
    bank = make_items(app)
    clock = Clock(datetime(2025, 3, 3, 9, 0, tzinfo=UTC))
    app.config["QUIZDECK_NOW"] = clock
    student = login_as("student1")
    for wrong, blank in [({"single", "short"}, {"cloze"}), ({"single"}, set()), (set(), {"multi"})]:
        _take(student, app, bank.set_id, wrong, blank)
        clock.advance(hours=3)
    _take(login_as("student2"), app, bank.set_id, {"numeric"})

    with app.app_context():
        user_id = _user_id("student1")
        topics, missed = _recounted(user_id)
        assert [t.topic for t in topics] and [m.item_key for m in missed]
        assert services.topic_mastery(user_id) == topics
        assert services.most_missed(user_id) == missed
        # Single choice: wrong in the first two quizzes, right in the third.
        assert (missed[0].missed, missed[0].answered) == (2, 3)

        services.rebuild(user_id)
        db.session.commit()
        assert services.topic_mastery(user_id) == topics
        assert services.most_missed(user_id) == missed
        other = _user_id("student2")
        assert [m.item_key for m in services.most_missed(other)] == [
            m.item_key for m in _recounted(other)[1]
        ]


def test_most_missed_reads_only_items_missed_as_often_as_the_tenth(app, login_as):
    login_as("student1")
    moment = datetime(2025, 3, 3, tzinfo=UTC)
    with app.app_context():
        user_id = _user_id("student1")
        rows = [
            ItemProgress(
                user_id=user_id,
                item_key=f"k{n:02d}",
                answered=4,
                missed=missed,
                prompt=f"Prompt {n:02d}",
                right_answer="x",
                last_attempt_id=1,
                last_graded_at=moment,
            )
            for n, missed in enumerate([3] * 8 + [2] * 4 + [1] * 5 + [0] * 3)
        ]
        db.session.add_all([*rows, TopicProgress(user_id=user_id, topic="t", recent=[1.0, 0.0])])
        db.session.commit()
        shown = services.most_missed(user_id)
        assert [m.item_key for m in shown] == [f"k{n:02d}" for n in range(10)]
        assert [t.mastery for t in services.topic_mastery(user_id)] == [0.5]
        assert services.has_answers(user_id)


def test_the_account_export_holds_the_totals(app, login_as):
    bank = make_items(app)
    student = login_as("student1")
    _take(student, app, bank.set_id, {"single"})
    data = json.loads(student.get("/account/export.json").get_data(as_text=True))
    missed = [row for row in data["progress"]["items"] if row["missed"]]
    assert [(row["answered"], row["missed"]) for row in missed] == [(1, 1)]
    assert {row["topic"] for row in data["progress"]["topics"]} >= {"defections"}


def test_flask_progress_rebuild_refills_the_totals(app, login_as):
    bank = make_items(app)
    _take(login_as("student1"), app, bank.set_id, {"single"})
    with app.app_context():
        user_id = _user_id("student1")
        expected = services.most_missed(user_id), services.topic_mastery(user_id)
        db.session.execute(delete(ItemProgress))
        db.session.execute(delete(TopicProgress))
        db.session.commit()
    result = app.test_cli_runner().invoke(args=["progress", "rebuild"])
    assert result.exit_code == 0 and "rebuilt for 1 students" in result.output
    with app.app_context():
        assert (services.most_missed(user_id), services.topic_mastery(user_id)) == expected
