"""Helpers for the teacher tests: sample items, sets made straight in the database, and
reading messages out of rendered HTML."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from typing import Any

from flask import Flask
from sqlalchemy import select

from models import Item, QuestionSet, SetStatus, User, db

SAMPLE_ITEMS: dict[str, dict[str, Any]] = {
    "single": {
        "type": "single",
        "prompt": "Which post did Tae Yong-ho hold when he defected?",
        "data": {
            "options": [
                {"text": "Deputy ambassador in London", "correct": True, "why": "Yes, 2016."},
                {"text": "Ambassador in Rome", "correct": False},
                {"text": "Consul in Beijing", "correct": False},
            ]
        },
        "explanation": "He was **deputy ambassador** in London.",
        "sources": ["Korea Times, 2024-11"],
        "topics": ["defections"],
        "difficulty": 0.4,
    },
    "multi": {
        "type": "multi",
        "prompt": "Which of these are UN bodies?",
        "data": {
            "options": [
                {"text": "Human Rights Council", "correct": True},
                {"text": "Security Council", "correct": True},
                {"text": "Workers' Party", "correct": False},
            ]
        },
        "explanation": "",
        "sources": [],
        "topics": ["un"],
        "difficulty": 0.5,
    },
    "truefalse": {
        "type": "truefalse",
        "prompt": "North Korea accepted every UPR recommendation.",
        "data": {"answer": False},
        "explanation": "It rejected many.",
        "sources": [],
        "topics": ["upr"],
        "difficulty": 0.3,
    },
    "short": {
        "type": "short",
        "prompt": "Which city hosts the Human Rights Council?",
        "data": {
            "answers": [{"text": "Geneva", "fraction": 1.0}, {"text": "Genf", "fraction": 1.0}]
        },
        "explanation": "",
        "sources": [],
        "topics": [],
        "difficulty": 0.2,
    },
    "numeric": {
        "type": "numeric",
        "prompt": "In which year did the Commission of Inquiry report?",
        "data": {"answers": [{"value": 2014.0, "tolerance": 0.0, "fraction": 1.0}], "unit": ""},
        "explanation": "",
        "sources": [],
        "topics": [],
        "difficulty": 0.6,
    },
    "ordering": {
        "type": "ordering",
        "prompt": "Put these in order, earliest first.",
        "data": {"items": ["Commission of Inquiry", "Tae defects", "Cables released"]},
        "explanation": "",
        "sources": [],
        "topics": [],
        "difficulty": 0.7,
    },
    "matching": {
        "type": "matching",
        "prompt": "Match each person with a role.",
        "data": {
            "pairs": [
                {"left": "Tae Yong-ho", "right": "Diplomat"},
                {"left": "Michael Kirby", "right": "Commission chair"},
            ],
            "distractors": ["Athlete"],
        },
        "explanation": "",
        "sources": [],
        "topics": [],
        "difficulty": 0.5,
    },
    "cloze": {
        "type": "cloze",
        "prompt": "Fill in the blanks.",
        "data": {
            "text": "The cables were released by the Ministry of {1} in {2}.",
            "blanks": [{"answers": ["Unification"]}, {"answers": ["2024"]}],
        },
        "explanation": "",
        "sources": [],
        "topics": [],
        "difficulty": 0.5,
    },
}


def user_id(app: Flask, username: str) -> int:
    with app.app_context():
        return db.session.scalar(select(User.id).where(User.username == username))


def make_set(
    app: Flask,
    owner: str | None,
    title: str = "Week 1",
    items: list[dict[str, Any]] | None = None,
    status: SetStatus = SetStatus.DRAFT,
) -> int:
    """A set owned by `owner` (None: a bank set) with the given item dicts."""
    from quizzes.teach import services

    with app.app_context():
        owner_id = user_id(app, owner) if owner else None
        question_set = QuestionSet(title=title, owner_id=owner_id, status=status)
        db.session.add(question_set)
        db.session.flush()
        for fields in items or []:
            services.add_item(question_set, fields)
        db.session.commit()
        return question_set.id


def set_items(app: Flask, set_id: int) -> list[dict[str, Any]]:
    from quizzes.teach import services

    with app.app_context():
        rows = db.session.scalars(select(Item).where(Item.set_id == set_id).order_by(Item.position))
        return [services.item_as_dict(item) for item in rows]


def item_ids(app: Flask, set_id: int) -> list[int]:
    with app.app_context():
        return list(
            db.session.scalars(select(Item.id).where(Item.set_id == set_id).order_by(Item.position))
        )


def text_of(fragment: str) -> str:
    """Visible text of an HTML fragment, tags dropped and entities decoded."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def error_for(page: str, element_id: str) -> str:
    """The text of the error message tied to the element (`<id>-error`), or ''."""
    match = re.search(
        rf'<p class="field-error" id="{re.escape(element_id)}-error">(.*?)</p>', page, re.S
    )
    return text_of(match.group(1)) if match else ""


def input_value(page: str, element_id: str) -> str | None:
    """The value of the <input> with that id, or None when there is no such input."""
    match = re.search(rf'<input [^>]*\bid="{re.escape(element_id)}"[^>]*>', page)
    if match is None:
        return None
    value = re.search(r'\bvalue="([^"]*)"', match.group(0))
    return html.unescape(value.group(1)) if value else ""


class _FilledForm(HTMLParser):
    """The fields a browser without JavaScript would send from a page's forms."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.fields: dict[str, str] = {}
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        name = a.get("name")
        if not name:
            return
        if tag == "input" and a.get("type") not in ("submit", "button"):
            if a.get("type") not in ("checkbox", "radio") or "checked" in a:
                self.fields[name] = a.get("value") or ""
        elif tag == "textarea":
            self._textarea = name
            self.fields[name] = ""

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self.fields[self._textarea] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea" and self._textarea:
            # A browser drops the newline that follows <textarea>.
            self.fields[self._textarea] = self.fields[self._textarea].removeprefix("\n")
            self._textarea = None


def filled_form(page: str) -> dict[str, str]:
    """Name -> value of every input and textarea of the page, as a browser would send them
    (no buttons: add the `action` of the one pressed)."""
    parser = _FilledForm()
    parser.feed(page)
    return parser.fields
