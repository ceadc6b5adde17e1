"""A save works from the item read with the attempt, before the claim takes the write lock:
an item graded in between (another tab pressed "Check answer") must keep its graded answer."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from models import AttemptItem, User, db
from quizzes.quiz import answers
from quizzes.quiz.answers import SaveOutcome
from tests.fixtures_items import right_form, snapshots, start_quiz

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def _position(app, attempt_id: int, item_type: str) -> int:
    return next(i for i, s in enumerate(snapshots(app, attempt_id), 1) if s["type"] == item_type)


def _stored(app, attempt_id: int, position: int) -> tuple[object, float | None]:
    with app.app_context():
        item = db.session.scalar(
            select(AttemptItem).where(
                AttemptItem.attempt_id == attempt_id, AttemptItem.position == position
            )
        )
        return item.response, item.score


def _save_after_other_tab_checks(app, student, attempt_id, position, form, check_form):
    """Read the item as the save route does, let another request check it, then save."""
    with app.app_context():
        user_id = db.session.scalar(select(User.id).where(User.username == "student1"))
        found = answers.own_attempt_item(attempt_id, user_id, position)
        assert found is not None and not found.item.graded
        url = f"/quiz/attempts/{attempt_id}/items/{position}"
        with app.app_context():  # the other request, with a database session of its own
            assert student.post(url, data={**check_form, "check": "1"}).status_code == 302
        outcome = answers.save_answer(found.attempt, position, form, NOW, found.item)
        db.session.commit()
    return outcome


def test_answer_saved_after_the_item_was_checked_elsewhere_is_refused(app, bank, student):
    attempt_id = start_quiz(student, f"set:{bank.set_id}", feedback="immediate")
    position = _position(app, attempt_id, "short")
    outcome = _save_after_other_tab_checks(
        app, student, attempt_id, position, {"answer": ["Nobody"]}, {"answer": ["Tae Yongho"]}
    )
    assert outcome is SaveOutcome.LOCKED
    assert _stored(app, attempt_id, position) == ("Tae Yongho", 1.0)


def test_incomplete_answer_after_the_item_was_checked_elsewhere_says_locked(app, bank, student):
    attempt_id = start_quiz(student, f"set:{bank.set_id}", feedback="immediate")
    position = _position(app, attempt_id, "ordering")
    whole = right_form(snapshots(app, attempt_id)[position - 1])
    outcome = _save_after_other_tab_checks(
        app, student, attempt_id, position, {"order": ["0", "0"]}, whole
    )
    assert outcome is SaveOutcome.LOCKED
    response, score = _stored(app, attempt_id, position)
    assert response == [int(i) for i in whole["order"]] and score is not None


def test_incomplete_answer_is_kept_out_while_the_item_is_open(app, bank, student):
    attempt_id = start_quiz(student, f"set:{bank.set_id}", feedback="immediate")
    position = _position(app, attempt_id, "ordering")
    with app.app_context():
        user_id = db.session.scalar(select(User.id).where(User.username == "student1"))
        found = answers.own_attempt_item(attempt_id, user_id, position)
        outcome = answers.save_answer(
            found.attempt, position, {"order": ["0", "0"]}, NOW, found.item
        )
        db.session.commit()
    assert outcome is SaveOutcome.INCOMPLETE
    assert _stored(app, attempt_id, position) == (None, None)
