"""Question sets with one item of every type, created straight in the database.

Until the bank build loads the real bank, web tests use these. Every answer text is
distinctive so a test can search a page for it.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from html.parser import HTMLParser

from flask import Flask
from flask.testing import FlaskClient

from models import Attempt, Item, ItemTopic, QuestionSet, db
from models.bank import SetStatus

SOURCE = {
    "key": "KT",
    "publisher": "The Korea Times",
    "title": "Cables show how Pyongyang answered UN criticism",
    "date": "2024-11",
    "ref": "https://www.koreatimes.co.kr/example",
}

ITEMS: list[dict] = [
    {
        "key": "test.single.post",
        "type": "single",
        "prompt": "Which post did Tae Yong-ho hold when he defected?",
        "data": {
            "options": [
                {
                    "text": "Deputy ambassador in London",
                    "correct": True,
                    "why": "He was number two at the embassy.",
                },
                {"text": "Ambassador in Rome", "correct": False},
                {"text": "Consul in Hong Kong", "correct": False},
                {"text": "Attaché in Kuwait", "correct": False},
            ]
        },
        "explanation": "Tae Yong-ho was deputy ambassador in London until 2016.",
        "topics": ["defections"],
        "fact_ids": ["defection.tae"],
    },
    {
        "key": "test.multi.tactics",
        "type": "multi",
        "prompt": "Which tactics did the cables describe?",
        "data": {
            "options": [
                {"text": "Lobbying friendly states", "correct": True},
                {"text": "Counter-resolutions", "correct": True},
                {
                    "text": "Accepting every recommendation",
                    "correct": False,
                    "why": "It rejected most of them.",
                },
                {"text": "Inviting the special rapporteur", "correct": False},
            ]
        },
        "explanation": "The cables list lobbying and counter-resolutions.",
        "topics": ["tactics"],
        "fact_ids": ["tactic.lobby", "tactic.counter"],
    },
    {
        "key": "test.truefalse.upr",
        "type": "truefalse",
        "prompt": "North Korea took part in the Universal Periodic Review.",
        "data": {"answer": True},
        "explanation": "It took part in every cycle so far.",
        "topics": ["upr"],
        "fact_ids": ["upr.cycles"],
    },
    {
        "key": "test.short.name",
        "type": "short",
        "prompt": "Who was the deputy ambassador who defected in 2016?",
        "data": {
            "answers": [
                {"text": "Thae Yongho", "fraction": 1.0},
                {"text": "Tae Yong-ho", "fraction": 1.0},
            ]
        },
        "explanation": "Thae Yongho is his own romanisation.",
        "topics": ["defections"],
        # A fact of its own: a quiz asks about each fact once (quizzes/quiz/selection.py),
        # and the tests take quizzes of all eight items.
        "fact_ids": ["defection.tae.name"],
    },
    {
        "key": "test.numeric.year",
        "type": "numeric",
        "prompt": "In which year did the Commission of Inquiry report?",
        "data": {"answers": [{"value": 2014, "tolerance": 0, "fraction": 1.0}], "unit": ""},
        "explanation": "The COI reported in February two thousand fourteen.",
        "topics": ["upr"],
        "fact_ids": ["coi.report"],
    },
    {
        "key": "test.ordering.events",
        "type": "ordering",
        "prompt": "Put these events in order, earliest first.",
        "data": {
            "items": [
                "Commission of Inquiry set up",
                "COI report published",
                "Tae defects",
                "Cables released",
            ]
        },
        "explanation": "2013, 2014, 2016, 2024.",
        "topics": ["upr", "defections"],
        "fact_ids": [],
    },
    {
        "key": "test.matching.roles",
        "type": "matching",
        "prompt": "Match each person with their role.",
        "data": {
            "pairs": [
                {"left": "Tae Yong-ho", "right": "Diplomat"},
                {"left": "Michael Kirby", "right": "COI chair"},
                {"left": "Kim Jong-un", "right": "Leader"},
            ],
            "distractors": ["Weather presenter"],
        },
        "explanation": "Kirby chaired the Commission of Inquiry.",
        "topics": ["people"],
        "fact_ids": [],
    },
    {
        "key": "test.cloze.panel",
        "type": "cloze",
        "prompt": "Fill in the missing words.",
        "data": {
            "text": "Kim ordered a {1} of the panel in {2}.",
            "blanks": [{"answers": ["boycott"]}, {"answers": ["Geneva"]}],
        },
        "explanation": "The panel met in the Swiss city.",
        "topics": ["tactics"],
        "fact_ids": ["tactic.boycott"],
    },
]

TYPES = [item["type"] for item in ITEMS]


@dataclass(frozen=True)
class MadeItems:
    set_id: int
    item_ids: dict[str, int]  # by type
    draft_set_id: int  # a teacher's unpublished set: only its owner may quiz on it


def make_items(app: Flask, owner_id: int | None = None) -> MadeItems:
    """A published built-in set with one item per type, plus a private draft set."""
    with app.app_context():
        bank = QuestionSet(
            slug="test-bank", title="Human rights at the UN", status=SetStatus.PUBLISHED
        )
        draft = QuestionSet(title="My draft", status=SetStatus.DRAFT, owner_id=owner_id)
        db.session.add_all([bank, draft])
        for position, spec in enumerate(ITEMS):
            item = Item(position=position, sources=[SOURCE], difficulty=0.5, **spec)
            item.topic_rows = [ItemTopic(topic=topic) for topic in spec["topics"]]
            bank.items.append(item)
        draft.items.append(
            Item(
                key="test.draft.only",
                type="truefalse",
                prompt="A draft statement.",
                data={"answer": False},
                topics=["drafts"],
                fact_ids=[],
                position=0,
                topic_rows=[ItemTopic(topic="drafts")],
            )
        )
        db.session.commit()
        return MadeItems(
            set_id=bank.id,
            item_ids={item.type: item.id for item in bank.items},
            draft_set_id=draft.id,
        )


# -- driving quizzes over HTTP -------------------------------------------------------------


class Clock:
    """A server clock the test moves: app.config["QUIZDECK_NOW"] = clock."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


def start_quiz(
    client: FlaskClient,
    source: str,
    *,
    size: int = 8,
    feedback: str = "end",
    minutes: int | None = None,
    policy: str = "mark",
    types: tuple[str, ...] = (),
    token: str | None = None,
) -> int:
    """Start a quiz through the start form; returns the attempt id."""
    data = {
        "source": source,
        "size": str(size),
        "feedback_mode": feedback,
        "late_policy": policy,
        "item_types": list(types),
        "start_token": token or secrets.token_urlsafe(16),
    }
    if minutes is not None:
        data["time_limit_minutes"] = str(minutes)
    response = client.post("/quiz/", data=data)
    assert response.status_code == 302, response.data.decode()
    match = re.fullmatch(r"/quiz/attempts/(\d+)", response.headers["Location"])
    assert match, response.headers["Location"]
    return int(match.group(1))


def snapshots(app: Flask, attempt_id: int) -> list[dict]:
    """The attempt's item snapshots in position order (keys included: tests only)."""
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        return [item.snapshot for item in attempt.items]


def right_form(snapshot: dict) -> dict[str, list[str]]:
    """The form fields that answer the item right, as a browser would post them."""
    view, key = snapshot["view"], snapshot["key"]
    match snapshot["type"]:
        case "single":
            return {"answer": [str(key["correct"])]}
        case "multi":
            return {"answer": [str(i) for i in key["correct"]]}
        case "truefalse":
            return {"answer": ["true" if key["answer"] else "false"]}
        case "short":
            return {"answer": [key["answers"][0]["text"]]}
        case "numeric":
            return {"answer": [f"{key['answers'][0]['value']:g}"]}
        case "ordering":
            return {"order": [str(i) for i in key["order"]]}
        case "matching":
            return {f"match-{i}": [str(m)] for i, m in enumerate(key["matches"])}
        case "cloze":
            return {f"blank-{n}": [answers[0]] for n, answers in enumerate(key["blanks"], 1)}
    raise ValueError(snapshot["type"] + str(view))


def wrong_form(snapshot: dict) -> dict[str, list[str]]:
    """The form fields of an answer that scores 0."""
    view, key = snapshot["view"], snapshot["key"]
    match snapshot["type"]:
        case "single":
            return {"answer": [str((key["correct"] + 1) % len(view["options"]))]}
        case "multi":
            wrong = [i for i in range(len(view["options"])) if i not in key["correct"]]
            return {"answer": [str(i) for i in wrong]}
        case "truefalse":
            return {"answer": ["false" if key["answer"] else "true"]}
        case "short":
            return {"answer": ["Nobody at all"]}
        case "numeric":
            return {"answer": ["1999"]}
        case "ordering":
            return {"order": [str(i) for i in reversed(key["order"])]}
        case "matching":
            count = len(view["choices"])
            return {f"match-{i}": [str((m + 1) % count)] for i, m in enumerate(key["matches"])}
        case "cloze":
            return {f"blank-{n}": ["zzz"] for n in range(1, len(key["blanks"]) + 1)}
    raise ValueError(snapshot["type"])


class _FormState(HTMLParser):
    """What a browser would submit from a page's answer fields, as name -> values."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: dict[str, list[str]] = {}
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        name = a.get("name")
        if tag == "input" and name and name != "csrf_token":
            if a.get("type") in ("radio", "checkbox"):
                if "checked" in a:
                    self.fields.setdefault(name, []).append(a.get("value") or "")
            elif a.get("type") == "text" and a.get("value"):
                self.fields.setdefault(name, []).append(a["value"] or "")
        elif tag == "select":
            self._select = name
        elif tag == "option" and self._select and "selected" in a:
            self.fields.setdefault(self._select, []).append(a.get("value") or "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None


def form_state(page: str) -> dict[str, list[str]]:
    parser = _FormState()
    parser.feed(page)
    return parser.fields
