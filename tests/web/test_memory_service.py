"""The shared memory model: a quiz answer and a flashcard review update one state per fact."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from models import MemoryState, ReviewLog, db
from quizzes import memory
from quizzes.domain.itemtypes.base import Grade
from quizzes.domain.srs import Rating, StudySettings

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def no_fuzz(user_id):
    memory.save_settings(user_id, StudySettings(enable_fuzzing=False))


def test_quiz_answers_map_to_ratings_and_share_the_fact_state(app, create_user):
    uid = create_user("s1")
    with app.app_context():
        no_fuzz(uid)
        right = memory.record_quiz_answer(uid, ["defection.tae"], "k1", Grade(1.0, True), NOW)
        typo = memory.record_quiz_answer(
            uid, ["defection.tae"], "k2", Grade(1.0, True, True), NOW + timedelta(minutes=20)
        )
        wrong = memory.record_quiz_answer(
            uid, ["defection.tae", "upr.third"], "k3", Grade(0.0, False), NOW + timedelta(days=3)
        )
        db.session.commit()
        assert [e.rating for e in right + typo + wrong] == [
            Rating.Good,
            Rating.Hard,
            Rating.Again,
            Rating.Again,
        ]
        states = db.session.scalars(select(MemoryState).order_by(MemoryState.memory_key)).all()
        assert [s.memory_key for s in states] == ["fact:defection.tae", "fact:upr.third"]
        logs = db.session.scalars(select(ReviewLog).order_by(ReviewLog.id)).all()
        assert [(log.memory_key, log.rating, log.source) for log in logs] == [
            ("fact:defection.tae", 3, "quiz"),
            ("fact:defection.tae", 2, "quiz"),
            ("fact:defection.tae", 1, "quiz"),
            ("fact:upr.third", 1, "quiz"),
        ]
        assert logs[0].state_before is None and logs[1].state_before is not None


def test_flashcard_review_continues_the_state_a_quiz_started(app, create_user):
    uid = create_user("s2")
    with app.app_context():
        no_fuzz(uid)
        memory.record_quiz_answer(uid, ["f1"], None, Grade(1.0, True), NOW)
        first_due = memory.memory_state(uid, "fact:f1").due
        assert first_due == NOW + timedelta(minutes=10)  # Good on a new memory: second step
        memory.record_review(uid, ["fact:f1"], Rating.Good, first_due, "flashcard", card_id=7)
        db.session.commit()
        state = memory.memory_state(uid, "fact:f1")
        assert state.state["state"] == 2  # fsrs State.Review after the learning steps
        assert state.due == first_due + timedelta(days=2)
        assert db.session.scalar(select(db.func.count(ReviewLog.id))) == 2


def test_states_of_one_user_are_not_anothers(app, create_user):
    a, b = create_user("a"), create_user("b")
    with app.app_context():
        memory.record_quiz_answer(a, ["f1"], None, Grade(1.0, True), NOW)
        db.session.commit()
        assert memory.memory_state(b, "fact:f1") is None


def test_a_memory_row_held_in_the_session_is_read_again_after_a_review(app, create_user):
    # record_review writes with Core statements; an ORM object loaded before must not
    # keep showing the state from before the review.
    uid = create_user("s-held")
    with app.app_context():
        no_fuzz(uid)
        memory.record_review(uid, ["fact:f9"], Rating.Good, NOW, "flashcard")
        held = memory.memory_state(uid, "fact:f9")
        assert held.due == NOW + timedelta(minutes=10)
        ids: list[int] = []
        memory.record_review(
            uid, ["fact:f9"], Rating.Good, held.due, "flashcard", topics=["upr"], log_ids=ids
        )
        assert held.due == NOW + timedelta(minutes=10) + timedelta(days=2)
        assert held.topics == ["upr"]
        assert ids == [db.session.scalar(select(db.func.max(ReviewLog.id)))]
