"""A small school for the account tests, built through the app's own pages.

tess teaches "Year 10" (ana and ben) and gave it her published set; both students took it.
tom is another teacher with a published set of his own, on which ana has a quiz in
progress. Each student has a flashcard deck with a rated card and study settings. Every
name and text is distinctive, so an export can be searched for other people's data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from models import Attempt, Base, SchoolClass, SetStatus, db
from tests.web.teach_support import SAMPLE_ITEMS, make_set, user_id

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)

TESS_ITEMS = [
    SAMPLE_ITEMS["truefalse"] | {"prompt": "Tess statement: the UPR meets in Geneva."},
    SAMPLE_ITEMS["single"] | {"prompt": "Tess question: which post did Tae hold?"},
]
TOM_ITEMS = [
    SAMPLE_ITEMS["truefalse"] | {"prompt": f"Tom statement number {n}.", "data": {"answer": True}}
    for n in range(3)
]


@dataclass
class School:
    app: Flask
    clients: dict[str, FlaskClient]
    ids: dict[str, int]
    tess_set: int
    tess_draft: int
    tom_set: int
    class_id: int
    join_code: str
    assignment_id: int
    decks: dict[str, int] = field(default_factory=dict)


def answers_for(app: Flask, attempt_id: int, right: bool = True) -> list[dict[str, str]]:
    """Form data per position: the right (or wrong) answer of each true/false or single item."""
    with app.app_context():
        items = db.session.get(Attempt, attempt_id).items
        forms = []
        for item in items:
            snapshot = item.snapshot
            if snapshot["type"] == "truefalse":
                value = snapshot["key"]["answer"] == right
                forms.append({"answer": "true" if value else "false"})
            else:
                correct = snapshot["key"]["correct"]
                choice = correct if right else (correct + 1) % len(snapshot["view"]["options"])
                forms.append({"answer": str(choice)})
        return forms


def attempt_from(response) -> int:
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return int(re.search(r"/quiz/attempts/(\d+)", response.headers["Location"]).group(1))


def take_assignment(app: Flask, client: FlaskClient, assignment_id: int, right: bool) -> int:
    attempt_id = attempt_from(client.post(f"/classes/assignments/{assignment_id}/start"))
    for position, form in enumerate(answers_for(app, attempt_id, right), start=1):
        assert (
            client.post(f"/quiz/attempts/{attempt_id}/items/{position}", data=form).status_code
            == 302
        )
    assert client.post(f"/quiz/attempts/{attempt_id}/submit").status_code == 302
    return attempt_id


def start_quiz_in_progress(app: Flask, client: FlaskClient, set_id: int) -> int:
    """A quiz with answers at the end, one answer saved, not submitted."""
    response = client.post(
        "/quiz/",
        data={
            "source": f"set:{set_id}",
            "size": "3",
            "feedback_mode": "end",
            "late_policy": "mark",
            "start_token": f"token-{set_id}-{id(client)}",
        },
    )
    attempt_id = attempt_from(response)
    form = answers_for(app, attempt_id)[0]
    assert client.post(f"/quiz/attempts/{attempt_id}/items/1", data=form).status_code == 302
    return attempt_id


def make_deck(client: FlaskClient, title: str, front: str, back: str) -> int:
    response = client.post("/cards/decks/new", data={"title": title, "description": f"{title}."})
    deck_id = int(re.search(r"/cards/my-(\d+)/cards/new", response.headers["Location"]).group(1))
    ref = f"my-{deck_id}"
    saved = client.post(
        f"/cards/{ref}/cards/new", data={"kind": "basic", "front": front, "back": back}
    )
    assert saved.status_code == 302
    return deck_id


def rate_first_card(app: Flask, client: FlaskClient, deck_id: int) -> None:
    from models import Card

    with app.app_context():
        card_id = db.session.scalar(select(Card.id).where(Card.deck_id == deck_id))
    response = client.post(
        f"/cards/my-{deck_id}/study/rate", data={"card": f"card:{card_id}", "rating": "3"}
    )
    assert response.status_code == 302


def save_study_settings(client: FlaskClient, timezone: str) -> None:
    response = client.post(
        "/cards/settings",
        data={
            "desired_retention": "0.85",
            "new_per_day": "15",
            "reviews_per_day": "150",
            "learning_steps": "1m 10m",
            "relearning_steps": "10m",
            "timezone": timezone,
            "day_start_hour": "4",
            "exam_topic": "",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:800]


def build_school(app: Flask, login_as) -> School:
    app.config["QUIZDECK_NOW"] = lambda: NOW
    clients = {
        "tess_t": login_as("tess_t", "teacher"),
        "tom_q": login_as("tom_q", "teacher"),
        "ana_k": login_as("ana_k"),
        "ben_x": login_as("ben_x"),
    }
    ids = {name: user_id(app, name) for name in clients}
    tess_set = make_set(app, "tess_t", "Tess set Week 1", TESS_ITEMS, SetStatus.PUBLISHED)
    tess_draft = make_set(app, "tess_t", "Tess draft never shown", [SAMPLE_ITEMS["short"]])
    tom_set = make_set(app, "tom_q", "Tom set Capitals", TOM_ITEMS, SetStatus.PUBLISHED)
    # Practice draws on the built-in bank (a teacher's set only through an assignment).
    bank_set = make_set(app, None, "Bank set Capitals", TOM_ITEMS, SetStatus.PUBLISHED)

    tess = clients["tess_t"]
    created = tess.post("/teach/classes/new", data={"name": "Year 10 Tess"})
    class_id = int(re.search(r"/teach/classes/(\d+)", created.headers["Location"]).group(1))
    with app.app_context():
        join_code = db.session.get(SchoolClass, class_id).join_code
    for student in ("ana_k", "ben_x"):
        joined = clients[student].post("/classes/", data={"code": join_code})
        assert joined.status_code == 302
    assigned = tess.post(
        f"/teach/classes/{class_id}/assignments/new",
        data={
            "set_id": tess_set,
            "opens_at": "2026-03-01T08:00",
            "due_at": "2026-03-09T17:00",
            "attempt_limit": "",
            "time_limit_minutes": "",
            "feedback_mode": "end",
        },
    )
    assert assigned.status_code == 302
    with app.app_context():
        from models import Assignment

        assignment_id = db.session.scalar(select(Assignment.id))

    school = School(
        app, clients, ids, tess_set, tess_draft, tom_set, class_id, join_code, assignment_id
    )
    take_assignment(app, clients["ana_k"], assignment_id, right=True)
    take_assignment(app, clients["ben_x"], assignment_id, right=False)
    start_quiz_in_progress(app, clients["ana_k"], bank_set)
    for name, zone in (("ana_k", "Europe/Paris"), ("ben_x", "Asia/Seoul")):
        deck_id = make_deck(
            clients[name], f"Deck of {name} only", f"Front by {name}", f"Back by {name}"
        )
        rate_first_card(app, clients[name], deck_id)
        save_study_settings(clients[name], zone)
        school.decks[name] = deck_id
    return school


# -- the whole database as data, to compare before and after ---------------------------------


def dump_database(app: Flask) -> dict[str, dict[Any, dict[str, Any]]]:
    """{table: {primary key: row}} for every table of the models."""
    dump = {}
    with app.app_context():
        for table in Base.metadata.sorted_tables:
            key_columns = list(table.primary_key.columns)
            rows = db.session.execute(select(table)).mappings().all()
            dump[table.name] = {tuple(row[c.name] for c in key_columns): dict(row) for row in rows}
    return dump
