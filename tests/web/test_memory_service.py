"""The shared memory model: a quiz answer and a flashcard review update one state per fact."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import event, select

from models import MemoryState, ReviewLog, db
from quizzes import memory
from quizzes.domain.itemtypes.base import Grade
from quizzes.domain.srs import Rating, StudySettings, review

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


def count_logs() -> int:
    return db.session.scalar(select(db.func.count(ReviewLog.id)))


def test_a_review_newer_than_the_page_knew_stops_the_write(app, create_user):
    uid = create_user("s5")
    with app.app_context():
        no_fuzz(uid)
        memory.record_review(uid, ["fact:a"], Rating.Good, NOW, "flashcard")
        db.session.commit()
        seen = memory.memory_state(uid, "fact:a").last_review_us
        later = NOW + timedelta(minutes=10)
        memory.record_review(
            uid, ["fact:a"], Rating.Good, later, "flashcard", unreviewed_since_us=seen
        )
        db.session.commit()
        assert count_logs() == 2  # the page knew the newest review: counted
        with pytest.raises(memory.ReviewedMeanwhile):  # the same page's press again
            memory.record_review(
                uid, ["fact:a"], Rating.Again, later, "flashcard", unreviewed_since_us=seen
            )
        db.session.rollback()
        assert count_logs() == 2
        assert memory.memory_state(uid, "fact:a").due > later + timedelta(days=1)


def run_once_before(app, statement_table: str, action):
    """Run `action(connection)` just before the first INSERT or UPDATE of the table: what
    another request would commit between this one's read and its write."""
    done = []

    def before(conn, clauseelement, multiparams, params, execution_options):
        is_write = getattr(clauseelement, "is_dml", False) and not clauseelement.is_delete
        if not done and is_write and clauseelement.table.name == statement_table:
            done.append(True)
            action(conn)

    engine = db.engine
    event.listen(engine, "before_execute", before)
    return lambda: event.remove(engine, "before_execute", before)


def test_a_review_stored_between_the_read_and_the_write_is_not_overwritten(app, create_user):
    uid = create_user("s6")
    with app.app_context():
        no_fuzz(uid)
        memory.record_review(uid, ["fact:a"], Rating.Good, NOW, "flashcard")
        db.session.commit()
        seen = memory.memory_state(uid, "fact:a").last_review_us
        table = MemoryState.__table__
        # the other request's review lands after this one read the state, before its write
        stop = run_once_before(
            app,
            "memory_states",
            lambda conn: conn.execute(
                table.update()
                .where(table.c.user_id == uid, table.c.memory_key == "fact:a")
                .values(last_review_us=seen + 1)
            ),
        )
        try:
            with pytest.raises(memory.ReviewedMeanwhile):
                memory.record_review(
                    uid,
                    ["fact:a"],
                    Rating.Again,
                    NOW + timedelta(minutes=10),
                    "flashcard",
                    unreviewed_since_us=seen,
                )
        finally:
            stop()
        db.session.rollback()
        assert count_logs() == 1
        assert memory.memory_state(uid, "fact:a").last_review_us == seen


def first_review_meanwhile(app, uid: int, key: str, state):
    """Another request stores `key`'s first review just before this one writes it."""
    columns = memory.state_columns(state)
    table = MemoryState.__table__
    return run_once_before(
        app,
        "memory_states",
        lambda conn: conn.execute(
            table.insert().values(user_id=uid, memory_key=key, topics=[], **columns)
        ),
    )


def test_a_first_review_stored_meanwhile_by_another_request_is_not_counted_twice(app, create_user):
    uid = create_user("s7")
    with app.app_context():
        no_fuzz(uid)
        stop = first_review_meanwhile(app, uid, "fact:new", memory.MemoryState.new(NOW))
        try:
            with pytest.raises(memory.ReviewedMeanwhile):
                memory.record_review(
                    uid, ["fact:new"], Rating.Good, NOW, "flashcard", unreviewed_since_us=0
                )
        finally:
            stop()
        db.session.rollback()
        assert count_logs() == 0


def test_a_quiz_answer_racing_another_first_review_builds_on_it(app, create_user):
    """Two answers on one new fact graded at the same moment (two tabs): the one that
    finds the memory stored meanwhile reviews on top of it, instead of failing."""
    uid = create_user("s8")
    with app.app_context():
        settings = StudySettings(enable_fuzzing=False)
        no_fuzz(uid)
        earlier, _ = review(
            memory.MemoryState.new(NOW), Rating.Good, NOW - timedelta(minutes=10), settings
        )
        stop = first_review_meanwhile(app, uid, "fact:f9", earlier)
        try:
            memory.record_quiz_answer(uid, ["f9"], None, Grade(1.0, True), NOW, topics=["upr"])
        finally:
            stop()
        db.session.commit()
        expected, _ = review(earlier, Rating.Good, NOW, settings)
        stored = memory.memory_state(uid, "fact:f9")
        assert stored.state == expected.to_dict() and stored.topics == ["upr"]
        assert count_logs() == 1
