"""Helpers for the live-session tests: a set with one item of each live type, a session
created through the teacher's form, players joined through the join page."""

from __future__ import annotations

import re
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from models import Item, ItemTopic, LiveSession, QuestionSet, SetStatus, db

ITEMS: list[dict[str, Any]] = [
    {
        "type": "single",
        "prompt": "Which city is the capital of the DPRK?",
        "data": {
            "options": [
                {"text": "Pyongyang", "correct": True},
                {"text": "Kaesong", "correct": False},
                {"text": "Wonsan", "correct": False},
            ]
        },
        "explanation": "Pyongyang has been the capital since 1948.",
        "sources": [
            {
                "publisher": "Korea Times",
                "title": "Cables",
                "date": "2024-11-20",
                "ref": "https://www.koreatimes.co.kr/example",
            }
        ],
        "topics": ["capital"],
        "fact_ids": ["capital"],
    },
    {
        "type": "truefalse",
        "prompt": "The UPR is a UN process.",
        "data": {"answer": True},
        "explanation": "The Universal Periodic Review is run by the UN Human Rights Council.",
        "topics": ["upr"],
        "fact_ids": ["upr"],
    },
    {
        "type": "short",
        "prompt": "Name the capital.",
        "data": {"answers": [{"text": "Pyongyang", "fraction": 1.0}]},
        "topics": ["capital"],
        "fact_ids": ["capital"],
    },
    {
        "type": "cloze",
        "prompt": "Fill in the missing words.",
        "data": {"text": "The capital is {{Pyongyang}}."},
        "topics": ["capital"],
        "fact_ids": ["capital-cloze"],
    },
]


def make_set(owner_id: int | None, title: str = "Live set") -> int:
    """A set with ITEMS (published when built in); returns its id. Needs an app context."""
    status = SetStatus.PUBLISHED if owner_id is None else SetStatus.DRAFT
    question_set = QuestionSet(title=title, owner_id=owner_id, status=status)
    db.session.add(question_set)
    db.session.flush()
    for position, spec in enumerate(ITEMS):
        item = Item(
            key=f"live.{question_set.id}.{position}",
            set_id=question_set.id,
            position=position,
            **spec,
        )
        db.session.add(item)
        db.session.flush()
        for topic in spec["topics"]:
            db.session.add(ItemTopic(item_id=item.id, topic=topic))
    db.session.commit()
    return question_set.id


def item_ids(app: Flask, set_id: int) -> list[int]:
    with app.app_context():
        return list(
            db.session.scalars(
                db.select(Item.id).where(Item.set_id == set_id).order_by(Item.position)
            )
        )


def start_session(app: Flask, teacher: FlaskClient, set_id: int, **fields: Any) -> int:
    """Open a session through the form, ticking the set's live items; returns its id."""
    ids = item_ids(app, set_id)[:3]
    data = {
        "set_id": set_id,
        "class_id": 0,
        "mode": "choose",
        "item_ids": ids,
        "seconds": 30,
        **fields,
    }
    response = teacher.post("/live/new", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    found = re.search(r"/live/(\d+)$", response.headers["Location"])
    assert found, response.headers["Location"]
    return int(found.group(1))


def pin_of(app: Flask, session_id: int) -> str:
    with app.app_context():
        return db.session.get(LiveSession, session_id).pin


def join(app: Flask, client: FlaskClient, session_id: int, nickname: str = "") -> None:
    response = client.post(
        "/live/join", data={"pin": pin_of(app, session_id), "nickname": nickname}
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    assert response.headers["Location"].endswith(f"/live/play/{session_id}")


def control(client: FlaskClient, session_id: int, action: str):
    return client.post(
        f"/live/{session_id}/control",
        data={"action": action},
        headers={"Accept": "application/json"},
    )


def answer(client: FlaskClient, session_id: int, number: int, **form: Any):
    return client.post(f"/live/play/{session_id}/answer", data={"number": number, **form})
