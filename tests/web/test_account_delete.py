"""Deleting an account through its page: what goes, exactly, and what stays.

The policy (README, "Your data"): a student takes their attempts, answers, memory,
reviews, decks, cards, settings and class memberships with them (their grades leave the
gradebook). A teacher takes their sets, items, classes, enrollments in them and
assignments; students keep their own attempts, whose snapshots still show every question,
and those attempts lose their link to the assignment and the set. Nothing else changes:
each test compares every row of every table before and after.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select, text

from models import Attempt, db
from tests.conftest import PASSWORD, AuthActions, sign_in_without_password
from tests.servers import ON_POSTGRES
from tests.web.account_support import NOW, build_school, dump_database
from tests.web.teach_support import error_for, text_of


@pytest.fixture
def school(app, login_as):
    return build_school(app, login_as)


def delete(client, username: str, password: str = PASSWORD):
    return client.post("/account/delete", data={"password": password, "confirm_username": username})


def rows(dump, table: str, **where) -> dict:
    return {
        key: row
        for key, row in dump[table].items()
        if all(row[column] == value for column, value in where.items())
    }


def removed(before, after) -> dict[str, set]:
    return {table: set(before[table]) - set(after[table]) for table in before}


def test_sqlite_runs_with_foreign_keys_on(app):
    if ON_POSTGRES:
        pytest.skip("PostgreSQL always enforces foreign keys")
    with app.app_context():
        assert db.session.execute(text("PRAGMA foreign_keys")).scalar() == 1


def test_deleting_a_student_removes_exactly_their_data(app, school):
    before = dump_database(app)
    ana = school.ids["ana_k"]
    attempts = rows(before, "attempts", user_id=ana)
    decks = rows(before, "decks", owner_id=ana)
    expected = {table: set() for table in before} | {
        "users": {(ana,)},
        "attempts": set(attempts),
        "attempt_items": {
            key for key, row in before["attempt_items"].items() if (row["attempt_id"],) in attempts
        },
        "memory_states": set(rows(before, "memory_states", user_id=ana)),
        "review_logs": set(rows(before, "review_logs", user_id=ana)),
        # The progress page's running totals of those answers.
        "item_progress": set(rows(before, "item_progress", user_id=ana)),
        "topic_progress": set(rows(before, "topic_progress", user_id=ana)),
        "study_preferences": {(ana,)},
        "decks": set(decks),
        "cards": {key for key, row in before["cards"].items() if (row["deck_id"],) in decks},
        "enrollments": set(rows(before, "enrollments", student_id=ana)),
    }
    assert all(
        expected[t]
        for t in ("attempts", "attempt_items", "memory_states", "cards", "item_progress")
    )

    response = delete(school.clients["ana_k"], "ana_k")

    assert response.status_code == 302 and response.headers["Location"] == "/"
    after = dump_database(app)
    assert removed(before, after) == expected
    for table, kept in after.items():  # every row left is exactly as it was
        assert kept == {key: before[table][key] for key in kept}, table


def test_a_deleted_student_leaves_the_gradebook_and_the_class_stays(app, school):
    tess = school.clients["tess_t"]
    assert "ana_k" in tess.get(f"/teach/classes/{school.class_id}/gradebook").get_data(as_text=True)
    delete(school.clients["ana_k"], "ana_k")
    page = tess.get(f"/teach/classes/{school.class_id}/gradebook")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "ana_k" not in html and "ben_x" in html
    csv_text = tess.get(f"/teach/classes/{school.class_id}/gradebook.csv").get_data(as_text=True)
    assert "ana_k" not in csv_text and "ben_x" in csv_text
    analysis = tess.get(f"/teach/assignments/{school.assignment_id}/analysis")
    assert analysis.status_code == 200
    assert "1 student" in text_of(analysis.get_data(as_text=True))


def test_deleting_a_teacher_removes_their_sets_and_classes_and_keeps_students_attempts(app, school):
    before = dump_database(app)
    tess = school.ids["tess_t"]
    sets = rows(before, "question_sets", owner_id=tess)
    items = {k: r for k, r in before["items"].items() if (r["set_id"],) in sets}
    classes = rows(before, "school_classes", teacher_id=tess)
    assignments = {k: r for k, r in before["assignments"].items() if (r["class_id"],) in classes}
    expected = {table: set() for table in before} | {
        "users": {(tess,)},
        "question_sets": set(sets),
        "items": set(items),
        "item_topics": {k for k, r in before["item_topics"].items() if (r["item_id"],) in items},
        "school_classes": set(classes),
        "enrollments": {k for k, r in before["enrollments"].items() if (r["class_id"],) in classes},
        "assignments": set(assignments),
    }
    assert all(expected[t] for t in ("items", "item_topics", "enrollments", "assignments"))
    # What stays but loses its link: the students' attempts at her assignment.
    relinked = {
        k
        for k, r in before["attempts"].items()
        if (r["assignment_id"],) in assignments or (r["set_id"],) in sets
    }
    unlinked_items = {k for k, r in before["attempt_items"].items() if (r["item_id"],) in items}
    assert len(relinked) == 2 and len(unlinked_items) == 4

    response = delete(school.clients["tess_t"], "tess_t")

    assert response.status_code == 302
    after = dump_database(app)
    assert removed(before, after) == expected
    for key in relinked:
        # As when the class page removes an assignment: the attempt says when (its
        # updated_at moves with that), so the student's history can say why it left.
        assert after["attempts"][key] == before["attempts"][key] | {
            "assignment_id": None,
            "set_id": None,
            "assignment_removed_at": NOW,
            "updated_at": after["attempts"][key]["updated_at"],
        }
    for key in unlinked_items:
        assert after["attempt_items"][key] == before["attempt_items"][key] | {"item_id": None}
    for table, kept in after.items():
        changed = relinked if table == "attempts" else set()
        changed = unlinked_items if table == "attempt_items" else changed
        assert {k: r for k, r in kept.items() if k not in changed} == {
            k: before[table][k] for k in kept if k not in changed
        }, table


def test_students_still_read_their_results_after_their_teacher_is_deleted(app, school):
    ana = school.clients["ana_k"]
    with app.app_context():
        attempt_id = db.session.scalar(
            select(Attempt.id).where(
                Attempt.user_id == school.ids["ana_k"],
                Attempt.assignment_id == school.assignment_id,
            )
        )
    delete(school.clients["tess_t"], "tess_t")
    page = ana.get(f"/quiz/attempts/{attempt_id}/result")
    assert page.status_code == 200
    assert "Tess question: which post did Tae hold?" in text_of(page.get_data(as_text=True))
    for url in ("/quiz/history", "/progress/", "/classes/", "/", "/cards/", "/quiz/"):
        assert ana.get(url).status_code == 200, url
    history = text_of(ana.get("/quiz/history").get_data(as_text=True))
    assert "Tess set Week 1" in history and "Assignment removed" in history
    assert "Year 10 Tess" not in text_of(ana.get("/classes/").get_data(as_text=True))


def test_an_attempt_open_when_its_teacher_is_deleted_is_submitted_as_it_stands(app, school):
    ana = school.clients["ana_k"]
    started = ana.post(f"/classes/assignments/{school.assignment_id}/start")
    attempt_id = int(started.headers["Location"].split("/quiz/attempts/")[1].split("/")[0])
    delete(school.clients["tess_t"], "tess_t")
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        assert (attempt.status.value, attempt.score, attempt.assignment_removed_at) == (
            "submitted",
            0.0,
            NOW,
        )
    page = ana.get(f"/quiz/attempts/{attempt_id}/items/1", follow_redirects=True)
    assert "Your teacher removed this assignment" in text_of(page.get_data(as_text=True))


def test_after_deletion_the_session_is_gone_and_the_name_cannot_log_in(app, school):
    ana = school.clients["ana_k"]
    response = delete(ana, "ana_k")
    home = ana.get(response.headers["Location"]).get_data(as_text=True)
    assert "Your account ana_k and everything stored with it have been deleted." in text_of(home)
    assert "Log in" in home
    assert ana.get("/account/").headers["Location"].startswith("/auth/login")
    assert AuthActions(app.test_client()).login("ana_k").status_code == 401


def test_a_wrong_password_or_username_deletes_nothing(app, school):
    before = dump_database(app)
    ana = school.clients["ana_k"]
    wrong_password = delete(ana, "ana_k", password="not my password")
    assert wrong_password.status_code == 422
    page = wrong_password.get_data(as_text=True)
    assert error_for(page, "password") == "Error: That is not your password. Nothing was deleted."
    wrong_name = delete(ana, "ANA_K")
    assert wrong_name.status_code == 422
    assert error_for(wrong_name.get_data(as_text=True), "confirm_username") == (
        "Error: Type your username, ana_k, exactly as shown. Nothing was deleted."
    )
    empty = ana.post("/account/delete", data={})
    assert empty.status_code == 422
    assert error_for(empty.get_data(as_text=True), "password") == "Error: Type your password."
    assert dump_database(app) == before
    assert ana.get("/account/").status_code == 200  # still signed in


def test_deletion_needs_the_csrf_token(make_app, create_user):
    app = make_app(WTF_CSRF_ENABLED=True)
    create_user("ana_k")
    client = app.test_client()
    sign_in_without_password(app, client, 1)
    response = client.post(
        "/account/delete", data={"password": PASSWORD, "confirm_username": "ana_k"}
    )
    assert response.status_code == 400
    assert client.get("/account/").status_code == 200


def test_the_only_administrator_cannot_delete_their_account(app, login_as):
    admin = login_as("root_admin", "admin")
    before = dump_database(app)
    response = delete(admin, "root_admin")
    assert response.status_code == 409
    assert "You are the only administrator." in text_of(response.get_data(as_text=True))
    assert dump_database(app) == before
    login_as("second_admin", "admin")
    assert delete(admin, "root_admin").status_code == 302


def test_a_new_assignment_never_adopts_the_attempts_of_a_deleted_one(app, school):
    """SQLite hands the highest id out again once it is deleted: the link must be cleared."""
    tess = school.clients["tess_t"]
    assert tess.post(f"/teach/assignments/{school.assignment_id}/delete").status_code == 302
    tess.post(
        f"/teach/classes/{school.class_id}/assignments/new",
        data={"set_id": school.tess_set, "opens_at": "2026-03-01T08:00", "feedback_mode": "end"},
    )
    with app.app_context():
        linked = db.session.scalars(select(Attempt.assignment_id)).all()
    assert linked == [None, None, None]
    page = text_of(tess.get(f"/teach/classes/{school.class_id}/gradebook").get_data(as_text=True))
    assert "100%" not in page and "0%" not in page
    assert school.clients["ana_k"].get("/").status_code == 200


def test_a_deleted_accounts_cookies_never_sign_in_a_newcomer(app, login_as):
    """SQLite hands the highest id out again unless told not to: a phone still holding the
    deleted account's session (or "remember me") cookie must not wake up as the next
    person to register."""
    login_as("older")
    phone = login_as("leaving")  # the newest account: the highest id
    laptop = app.test_client()
    AuthActions(laptop).login("leaving", remember="y")
    assert delete(laptop, "leaving").status_code == 302
    newcomer = app.test_client()
    registered = newcomer.post(
        "/auth/register",
        data={"username": "newcomer", "password": PASSWORD, "confirm": PASSWORD, "role": "student"},
    )
    assert registered.status_code == 302
    page = phone.get("/").get_data(as_text=True)
    assert "newcomer" not in page and "Log in" in page
    with app.app_context():
        from models import User

        ids = dict(db.session.execute(select(User.username, User.id)).all())
    assert ids == {"older": 1, "newcomer": 3}


def test_marks_by_hand_go_with_the_student_and_outlive_the_teacher(app, school):
    """A teacher's mark (quizzes/classes/grading) belongs to the student's answer: it goes
    with the student; when the teacher goes, it stays, with who made it forgotten."""
    ana = school.ids["ana_k"]
    with app.app_context():
        attempt_id = db.session.scalar(
            select(Attempt.id).where(
                Attempt.user_id == ana, Attempt.assignment_id == school.assignment_id
            )
        )
    marked = school.clients["tess_t"].post(
        f"/teach/attempts/{attempt_id}/items/1/mark",
        data={"q1-points": "1", "q1-comment": "Tess comment on ana."},
    )
    assert marked.status_code == 302
    export = school.clients["tess_t"].get("/account/export.json").get_json()
    assert export["marks_given"] == 1 and "Tess comment on ana." not in str(export)
    before = dump_database(app)
    (mark_key,) = before["mark_changes"]
    assert before["mark_changes"][mark_key]["changed_by_id"] == school.ids["tess_t"]

    delete(school.clients["tess_t"], "tess_t")
    after = dump_database(app)
    assert after["mark_changes"][mark_key] == before["mark_changes"][mark_key] | {
        "changed_by_id": None
    }
    result = school.clients["ana_k"].get(f"/quiz/attempts/{attempt_id}/result")
    assert "Tess comment on ana." in text_of(result.get_data(as_text=True))

    delete(school.clients["ana_k"], "ana_k")
    assert dump_database(app)["mark_changes"] == {}
