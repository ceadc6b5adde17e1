"""Migrations upgrade a database that an older version made and filled.

Each test upgrades an empty database to an older revision, writes rows the way that
version's tables were (Core inserts on the tables as reflected then, never today's models),
upgrades to the newest revision and checks that the rows are still there and still work
through the pages: the old user logs in and reads an old result, deck and gradebook.

Runs on SQLite, and on PostgreSQL when TEST_DATABASE_URL is set. A new migration needs no
change here unless it adds a table or a required column: the seeding then fails and says
which rows or values to add to SEED.
"""

from __future__ import annotations

import os
import random
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from alembic.script import ScriptDirectory
from flask import Flask
from flask_migrate import upgrade
from sqlalchemy import Integer, MetaData, func, inspect, select

from app import create_app
from models import db
from quizzes.domain.itemtypes import REGISTRY
from quizzes.domain.srs import MemoryState, State
from tests.conftest import PASSWORD, AuthActions, password_hash

MIGRATIONS = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(__file__))), "migrations")
THEN = datetime(2025, 11, 5, 9, 30, tzinfo=UTC)

_VIEW, _KEY = REGISTRY["truefalse"].present({"answer": True}, random.Random(0))
_STATE = MemoryState.new(THEN).to_dict()
# A card learnt before the study queue read columns: its phase, stability and last review
# were only in the JSON.
_LEARNT = MemoryState(
    State.Review, None, 12.5, 5.1, THEN + timedelta(days=12), THEN - timedelta(hours=3)
).to_dict()
DANGLING_ASSIGNMENT = 999  # left behind by an assignment deleted before links were cleared

# Rows as the newest schema holds them; each revision gets the columns it had. Tables in an
# order that satisfies their foreign keys.
SEED: dict[str, list[dict[str, Any]]] = {
    "users": [
        {"id": 1, "username": "old_student", "role": "student", "session_token": "old-1"},
        {"id": 2, "username": "old_teacher", "role": "teacher", "session_token": "old-2"},
    ],
    "facts": [
        {
            "id": "old.fact",
            "kind": "tactic",
            "status": "V",
            "fields": {"label": "the walkout"},
            "topics": ["old"],
            "sources": [],
            "retired_at": None,
        }
    ],
    "question_sets": [
        {
            "id": 1,
            "slug": None,
            "title": "Old set",
            "description": "Made by an older version.",
            "owner_id": 2,
            "status": "published",
            "created_at": THEN,
            "updated_at": THEN,
        }
    ],
    "items": [
        {
            "id": 1,
            "key": "old.item.1",
            "set_id": 1,
            "position": 0,
            "type": "truefalse",
            "prompt": "An old statement that is true.",
            "data": {"answer": True},
            "explanation": "It was true then too.",
            "sources": [{"text": "Old notes"}],
            "topics": ["old"],
            "difficulty": 0.5,
            "fact_ids": ["old.fact"],
            "version": 1,
            "retired_at": None,
            "updated_at": THEN,
        }
    ],
    "item_topics": [{"item_id": 1, "topic": "old", "active": True}],
    "memory_states": [
        {
            "id": 1,
            "user_id": 1,
            "memory_key": "fact:old.fact",
            "state": _STATE,
            "due": THEN,
            "topics": ["old"],
            "updated_at": THEN,
            "phase": "new",
            "stability": None,
            "last_review_us": None,
            "deck_id": None,
        },
        {
            "id": 2,
            "user_id": 1,
            "memory_key": "card:1",
            "state": _LEARNT,
            "due": THEN + timedelta(days=12),
            "topics": [],
            "updated_at": THEN,
            "phase": "review",
            "stability": 12.5,
            "last_review_us": int((THEN - timedelta(hours=3)).timestamp()) * 1_000_000,
            "deck_id": 1,
        },
    ],
    "review_logs": [
        {
            "id": 1,
            "user_id": 1,
            "memory_key": "fact:old.fact",
            "rating": 3,
            "reviewed_at": THEN,
            "source": "quiz",
            "duration_ms": None,
            "state_before": None,
            "state_after": _STATE,
            "card_id": None,
            "attempt_item_id": 1,
            "before_phase": "new",
        },
        {
            "id": 2,
            "user_id": 1,
            "memory_key": "card:1",
            "rating": 3,
            "reviewed_at": THEN,
            "source": "flashcard",
            "duration_ms": 2000,
            "state_before": _LEARNT,
            "state_after": _LEARNT,
            "card_id": 1,
            "attempt_item_id": None,
            "before_phase": "review",
        },
    ],
    # An exam plan as it was kept before its date had a date column: midnight UTC.
    "study_preferences": [
        {
            "user_id": 1,
            "settings": {},
            "exam_date": datetime(2025, 12, 1, tzinfo=UTC),
            "exam_topic": "old",
        }
    ],
    "decks": [
        {
            "id": 1,
            "owner_id": 1,
            "title": "Old deck",
            "description": "",
            "created_at": THEN,
            "updated_at": THEN,
        }
    ],
    "cards": [
        {
            "id": 1,
            "deck_id": 1,
            "kind": "basic",
            "front": "Old front",
            "back": "Old back",
            "source": "",
            "tags": [],
            "reversed": False,
            "created_at": THEN,
            "updated_at": THEN,
            "memory_key": "card:1",
            "first_studied_at": None,
        }
    ],
    "school_classes": [
        {"id": 1, "name": "Old class", "teacher_id": 2, "join_code": "KMT4QX", "created_at": THEN}
    ],
    "enrollments": [{"id": 1, "class_id": 1, "student_id": 1, "joined_at": THEN}],
    "assignments": [
        {
            "id": 1,
            "class_id": 1,
            "set_id": 1,
            "opens_at": THEN,
            "due_at": None,
            "attempt_limit": None,
            "time_limit_minutes": None,
            "feedback_mode": "end",
            "created_at": THEN,
        }
    ],
    "assignment_extensions": [
        {
            "id": 1,
            "assignment_id": 1,
            "student_id": 1,
            "due_at": None,
            "extra_minutes": 15,
            "created_at": THEN,
        }
    ],
    "attempts": [
        {
            "id": 1,
            "user_id": 1,
            "set_id": 1,
            "topic": None,
            "title": "Old set",
            "item_types": [],
            "size": 1,
            "feedback_mode": "end",
            "time_limit_seconds": None,
            "late_policy": "mark",
            "deadline": None,
            "status": "submitted",
            "late": False,
            "started_at": THEN,
            "submitted_at": THEN,
            "updated_at": THEN,
            "score": 1.0,
            "seed": 7,
            "current_position": 1,
            "start_token": None,
            "assignment_id": 1,
        },
        {
            "id": 2,
            "user_id": 1,
            "set_id": 1,
            "topic": None,
            "title": "Old set",
            "item_types": [],
            "size": 1,
            "feedback_mode": "end",
            "time_limit_seconds": None,
            "late_policy": "mark",
            "deadline": None,
            "status": "in_progress",
            "late": False,
            "started_at": THEN,
            "submitted_at": None,
            "updated_at": THEN,
            "score": None,
            "seed": 8,
            "current_position": 1,
            "start_token": "old-start-token-0001",
            "assignment_id": DANGLING_ASSIGNMENT,
        },
    ],
    "attempt_items": [
        {
            "id": 1,
            "attempt_id": 1,
            "position": 1,
            "item_id": 1,
            "item_key": "old.item.1",
            "snapshot": {
                "type": "truefalse",
                "prompt": "An old statement that is true.",
                "view": _VIEW,
                "key": _KEY,
                "explanation": "It was true then too.",
                "sources": [{"text": "Old notes"}],
                "topics": ["old"],
                "fact_ids": ["old.fact"],
                "item_key": "old.item.1",
                "version": 1,
            },
            "response": True,
            "answered_at": THEN,
            "graded_at": THEN,
            "score": 1.0,
            "correct": True,
            "typo_forgiven": False,
            "notes": [],
        }
    ],
    # The totals the progress page reads, as grading kept them for the answer above.
    "item_progress": [
        {
            "user_id": 1,
            "item_key": "old.item.1",
            "answered": 1,
            "missed": 0,
            "prompt": "An old statement that is true.",
            "right_answer": "True",
            "last_attempt_id": 1,
            "last_graded_at": THEN,
        }
    ],
    "topic_progress": [{"user_id": 1, "topic": "old", "answers": 1, "right": 1, "recent": [1.0]}],
    "form_submissions": [
        {"user_id": 2, "token": "old-token", "result_url": "/teach/sets/2", "created_at": THEN}
    ],
    "live_sessions": [
        {
            "id": 1,
            "teacher_id": 2,
            "pin": None,
            "set_id": 1,
            "class_id": None,
            "title": "Old set",
            "seconds_per_question": 20,
            "show_leaderboard": False,
            "keep_in_gradebook": False,
            "phase": "ended",
            "position": 0,
            "deadline": None,
            "paused_ms": None,
            "version": 4,
            "seed": 7,
            "created_at": THEN,
            "ended_at": THEN,
            "assignment_id": None,
        }
    ],
    "live_questions": [
        {
            "id": 1,
            "session_id": 1,
            "position": 0,
            "item_id": 1,
            "snapshot": {
                "type": "truefalse",
                "prompt": "An old statement that is true.",
                "view": {},
                "key": {"answer": True},
            },
            "skipped": False,
            "opened_at": THEN,
        }
    ],
    "live_players": [
        {
            "id": 1,
            "session_id": 1,
            "user_id": 1,
            "nickname": "old_student",
            "joined_at": THEN,
            "removed": False,
        }
    ],
    "live_answers": [
        {
            "id": 1,
            "question_id": 1,
            "player_id": 1,
            "response": True,
            "score": 1.0,
            "correct": True,
            "typo_forgiven": False,
            "answered_at": THEN,
            "elapsed_ms": 2500,
        }
    ],
    # LTI 1.3 (quizzes/lti): a platform, its deployment, a linked account, course and
    # assignment, a launch value, the tool's key and a queued score.
    "lti_keys": [
        {
            "id": 1,
            "kid": "old-kid",
            "private_pem": "an old private key (the test never signs with it)",
            "public_jwk": {"kty": "RSA", "kid": "old-kid", "n": "AQAB", "e": "AQAB"},
            "created_at": THEN,
            "retired_at": None,
        }
    ],
    "lti_platforms": [
        {
            "id": 1,
            "name": "Old LMS",
            "issuer": "https://lms.example.org",
            "client_id": "old-client",
            "auth_login_url": "https://lms.example.org/auth",
            "auth_token_url": "https://lms.example.org/token",
            "key_set_url": "https://lms.example.org/jwks",
            "frame_origins": "",
            "created_at": THEN,
        }
    ],
    "lti_deployments": [{"id": 1, "platform_id": 1, "deployment_id": "old-deployment"}],
    "lti_user_links": [
        {"id": 1, "platform_id": 1, "sub": "old-sub", "user_id": 1, "created_at": THEN}
    ],
    "lti_courses": [
        {
            "id": 1,
            "platform_id": 1,
            "context_id": "old-course",
            "class_id": 1,
            "memberships_url": None,
            "deployment_id": "old-deployment",
        }
    ],
    "lti_assignment_links": [
        {
            "id": 1,
            "assignment_id": 1,
            "course_id": 1,
            "resource_link_id": "old-link",
            "lineitem_url": "https://lms.example.org/lineitems/1",
        }
    ],
    "lti_launch_values": [{"key": "old-state", "value": {"nonce": "n"}, "expires_at": THEN}],
    # A reset code a teacher gave the student (quizzes/auth/reset.py), never used.
    "reset_codes": [
        {
            "id": 1,
            "user_id": 1,
            "code_hash": "0" * 64,
            "made_by_id": 2,
            "created_at": THEN,
            "expires_at": THEN + timedelta(hours=24),
            "used_at": None,
        }
    ],
    # A teacher's mark by hand on the answer above, with its comment (quizzes/classes/grading).
    "mark_changes": [
        {
            "id": 1,
            "attempt_id": 1,
            "attempt_item_id": 1,
            "changed_by_id": 2,
            "changed_at": THEN,
            "reason": "manual",
            "old_score": 1.0,
            "new_score": 1.0,
            "max_points": 1.0,
            "comment": "Well argued.",
            "levels": None,
            "item_version": None,
        }
    ],
    "lti_score_outbox": [
        {
            "id": 1,
            "attempt_id": 1,
            "user_id": 1,
            "link_id": 1,
            "version": 1,
            "score": 1.0,
            "scored_at": THEN,
            "tries": 0,
            "next_try_at": THEN,
            "sent_at": None,
            "last_error": None,
        }
    ],
    "media_files": [
        {
            "id": 1,
            "name": "a" * 64 + ".png",
            "sha256": "a" * 64,
            "kind": "image",
            "mime": "image/png",
            "size": 3,
            "width": 1,
            "height": 1,
            "seconds": 0.0,
            "data": b"png",
            "created_at": THEN,
        }
    ],
    "media_uses": [
        {
            "id": 1,
            "media_id": 1,
            "owner_id": 1,
            "set_id": None,
            "deck_id": 1,
            "label": "Old image",
            "original_name": "old.png",
            "created_at": THEN,
        }
    ],
    "card_media": [{"id": 1, "card_id": 1, "media_id": 1, "side": "back", "label": "Old image"}],
    "bank_revision": [{"id": 1, "number": 3}],
}
ORDER = [
    "users",
    "facts",
    "question_sets",
    "items",
    "item_topics",
    "memory_states",
    "review_logs",
    "study_preferences",
    "decks",
    "cards",
    "school_classes",
    "enrollments",
    "assignments",
    "assignment_extensions",
    "attempts",
    "attempt_items",
    "item_progress",
    "topic_progress",
    "form_submissions",
    "live_sessions",
    "live_questions",
    "live_players",
    "live_answers",
    "lti_keys",
    "lti_platforms",
    "lti_deployments",
    "lti_user_links",
    "lti_courses",
    "lti_assignment_links",
    "lti_launch_values",
    "lti_score_outbox",
    "mark_changes",
    "reset_codes",
    "media_files",
    "media_uses",
    "card_media",
    "bank_revision",
]


def revisions() -> list[str]:
    """Every revision, oldest first."""
    script = ScriptDirectory(MIGRATIONS)
    return [revision.revision for revision in reversed(list(script.walk_revisions()))]


def app_on(url: str) -> Flask:
    return create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "k",
            "SQLALCHEMY_DATABASE_URI": url,
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": False,
            "QUIZDECK_NOW": lambda: THEN,
        }
    )


def seed(tables: set[str]) -> dict[str, int]:
    """Insert SEED into the tables that exist now, with the columns they have now."""
    missing = sorted(tables - set(SEED) - {"alembic_version"})
    assert not missing, f"add rows for {missing} to SEED in {__name__}"
    metadata = MetaData()
    metadata.reflect(db.engine)
    counts = {}
    with db.engine.begin() as conn:
        for name in ORDER:
            if name not in tables:
                continue
            table = metadata.tables[name]
            rows = []
            for row in SEED[name]:
                values = {k: v for k, v in row.items() if k in table.columns}
                if name == "users":
                    values["password_hash"] = password_hash()
                    values.setdefault("timezone", "UTC")
                    values.setdefault("created_at", THEN)
                if name == "attempts" and "assignments" not in tables:
                    values["assignment_id"] = None  # no teacher feature yet
                if (
                    name == "attempts"
                    and table.c.assignment_id.foreign_keys
                    and values.get("assignment_id") == DANGLING_ASSIGNMENT
                ):
                    # Once the link is a foreign key, no row can point at nothing.
                    values["assignment_id"] = None
                required = [
                    c.name
                    for c in table.columns
                    if not c.nullable
                    and c.server_default is None
                    and c.name not in values
                    and not (c.primary_key and c.autoincrement is not False)
                ]
                assert not required, f"SEED[{name!r}] needs values for {required}"
                rows.append(values)
            conn.execute(table.insert(), rows)
            counts[name] = len(rows)
            integer_id = "id" in table.columns and isinstance(table.c.id.type, Integer)
            if conn.dialect.name == "postgresql" and integer_id:
                # The rows came with their ids: move the sequence past them, as the app's
                # own inserts would have.
                conn.exec_driver_sql(
                    f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                    f"(SELECT max(id) FROM {name}))"
                )
    return counts


def upgrade_with_data(url: str, revision: str) -> tuple[Flask, dict[str, int]]:
    app = app_on(url)
    with app.app_context():
        try:
            upgrade(revision=revision)
            counts = seed(set(inspect(db.engine).get_table_names()))
            upgrade()
        finally:
            db.engine.dispose()
    return app, counts


@pytest.fixture
def disposing():
    apps: list[Flask] = []
    yield apps.append
    for app in apps:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def test_a_user_of_the_first_version_still_logs_in(empty_database_url, disposing):
    first = revisions()[0]
    app, counts = upgrade_with_data(empty_database_url, first)
    disposing(app)
    assert counts == {"users": 2}
    client = app.test_client()
    response = AuthActions(client).login("old_student", PASSWORD)
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert "old_student" in client.get("/").get_data(as_text=True)
    assert AuthActions(app.test_client()).login("old_student", "wrong password").status_code == 401


@pytest.mark.parametrize("revision", revisions()[:-1])
def test_an_older_database_with_data_upgrades_to_the_newest(
    empty_database_url, disposing, revision
):
    app, counts = upgrade_with_data(empty_database_url, revision)
    disposing(app)
    from models import Attempt

    with app.app_context():
        metadata = MetaData()
        metadata.reflect(db.engine)
        for name, count in counts.items():
            table = metadata.tables[name]
            assert db.session.scalar(select(func.count()).select_from(table)) == count, name
        if "memory_states" in counts:
            # The queue's columns were filled from each stored state.
            from quizzes.memory import state_columns

            memories = metadata.tables["memory_states"]
            copied = ("phase", "stability", "last_review_us")
            for row in db.session.execute(select(memories)).mappings():
                expected = state_columns(MemoryState.from_dict(row["state"]))
                assert {c: row[c] for c in copied} == {c: expected[c] for c in copied}
            decks = dict(
                db.session.execute(select(memories.c.memory_key, memories.c.deck_id)).all()
            )
            assert decks == {"fact:old.fact": None, "card:1": 1 if "cards" in counts else None}
        if "review_logs" in counts:
            # Each log's phase before, from its JSON, for counting today's reviews.
            logs = metadata.tables["review_logs"]
            phases = dict(db.session.execute(select(logs.c.id, logs.c.before_phase)).all())
            assert phases == {1: "new", 2: "review"}
        if "study_preferences" in counts:
            prefs = metadata.tables["study_preferences"]
            exam = db.session.execute(
                select(prefs.c.exam_date, prefs.c.exam_topic, prefs.c.typed_answers)
            ).one()
            # Typed answers used to be a login session's choice: every learner starts off.
            assert tuple(exam) == (date(2025, 12, 1), "old", False)
        if "attempts" in counts:
            links = dict(db.session.execute(select(Attempt.id, Attempt.assignment_id)).all())
            # A link to an assignment that no longer exists is cleared, never kept dangling.
            assert links == {1: 1 if "assignments" in counts else None, 2: None}

    student = app.test_client()
    assert AuthActions(student).login("old_student", PASSWORD).status_code == 302
    for url in ("/", "/quiz/", "/quiz/history", "/progress/", "/cards/", "/account/"):
        assert student.get(url).status_code == 200, url
    if "attempt_items" in counts:
        result = student.get("/quiz/attempts/1/result")
        assert result.status_code == 200
        assert "An old statement that is true." in result.get_data(as_text=True)
    if "cards" in counts:
        assert "Old front" in student.get("/cards/my-1").get_data(as_text=True)
    if "enrollments" in counts:
        assert "Old class" in student.get("/classes/").get_data(as_text=True)
        teacher = app.test_client()
        assert AuthActions(teacher).login("old_teacher", PASSWORD).status_code == 302
        book = teacher.get("/teach/classes/1/gradebook")
        assert book.status_code == 200 and "old_student" in book.get_data(as_text=True)
        if "mark_changes" in counts:
            # The mark by hand, in the attempt's trail and on the student's result.
            marked = teacher.get("/teach/attempts/1").get_data(as_text=True)
            assert "Marked by hand" in marked and "Well argued." in marked
            result = student.get("/quiz/attempts/1/result").get_data(as_text=True)
            assert "Well argued." in result
    export = student.get("/account/export.json").get_json()
    assert export["profile"]["username"] == "old_student"
    assert len(export["attempts"]) == counts.get("attempts", 0)
    if "study_preferences" in counts:
        assert export["study_preferences"]["exam_date"] == "2025-12-01"

    # The newest account leaves; the next one to register must not get its id (sessions
    # name accounts by id), however old the database is.
    teacher = app.test_client()
    assert AuthActions(teacher).login("old_teacher", PASSWORD).status_code == 302
    left = teacher.post(
        "/account/delete", data={"password": PASSWORD, "confirm_username": "old_teacher"}
    )
    assert left.status_code == 302
    registered = app.test_client().post(
        "/auth/register",
        data={"username": "newcomer", "password": PASSWORD, "confirm": PASSWORD, "role": "student"},
    )
    assert registered.status_code == 302
    with app.app_context():
        from models import User

        ids = dict(db.session.execute(select(User.username, User.id)).all())
    assert ids == {"old_student": 1, "newcomer": 3}
