"""The sample quiz for visitors: nothing in the database, a small state in the signed cookie.

The cookie holds item ids, the presentation seed and the answers given; never a key. Every
page recomputes the view (and, after submit, the key) from the bank with the same seed.
"""

from __future__ import annotations

from collections.abc import Mapping
from random import Random
from typing import Any

from sqlalchemy import select

from models import Item, db
from models.bank import QuestionSet, SetStatus
from quizzes.domain.itemtypes import REGISTRY
from quizzes.quiz import selection
from quizzes.quiz.answers import SaveOutcome, grade_of, has_input, total_score
from quizzes.quiz.presentation import ShownItem, shown_item
from quizzes.quiz.services import SAMPLE_SIZE, snapshot_of

SESSION_KEY = "sample_quiz"
# A session cookie must stay under about 4 KB: typed answers are cut to this length.
MAX_GUEST_TEXT = 200


def start(rng: Random) -> dict[str, Any] | None:
    """A new sample: up to SAMPLE_SIZE built-in items showing as many types as possible."""
    rows = db.session.execute(
        select(Item.id, Item.type, Item.fact_ids)
        .join(QuestionSet, QuestionSet.id == Item.set_id)
        .where(
            Item.retired_at.is_(None),
            QuestionSet.owner_id.is_(None),
            QuestionSet.status == SetStatus.PUBLISHED,
        )
        .order_by(Item.id)
    ).all()
    if not rows:
        return None
    ids_by_type: dict[str, list[str]] = {}
    facts_of: dict[str, frozenset[str]] = {}
    for item_id, item_type, fact_ids in rows:
        ids_by_type.setdefault(item_type, []).append(str(item_id))
        facts_of[str(item_id)] = frozenset(fact_ids or ())
    for ids in ids_by_type.values():
        rng.shuffle(ids)
    ids = [int(i) for i in selection.spread_types(ids_by_type, SAMPLE_SIZE, rng, facts_of)]
    rng.shuffle(ids)
    return {"ids": ids, "seed": rng.randrange(2**31), "answers": {}, "submitted": False}


def is_valid(state: Any) -> bool:
    return (
        isinstance(state, dict)
        and isinstance(state.get("ids"), list)
        and isinstance(state.get("seed"), int)
        and isinstance(state.get("answers"), dict)
    )


def snapshots(state: Mapping[str, Any]) -> list[dict[str, Any]] | None:
    """The sample's items as shown; None when one has left the bank since."""
    items = {
        item.id: item
        for item in db.session.scalars(select(Item).where(Item.id.in_(state["ids"])))
        if item.retired_at is None
    }
    if len(items) != len(state["ids"]):
        return None
    return [
        snapshot_of(items[item_id], state["seed"], position)
        for position, item_id in enumerate(state["ids"], start=1)
    ]


def response_at(state: Mapping[str, Any], position: int) -> Any:
    return state["answers"].get(str(position))


def _trimmed(response: Any) -> Any:
    if isinstance(response, str):
        return response[:MAX_GUEST_TEXT]
    if isinstance(response, list):
        return [_trimmed(entry) for entry in response]
    return response


def save_answer(
    state: dict[str, Any],
    snapshot: Mapping[str, Any],
    position: int,
    form: Mapping[str, list[str]],
) -> SaveOutcome:
    """Store the answer in `state` (the caller writes it back to the session)."""
    if state.get("submitted"):
        return SaveOutcome.SUBMITTED
    response = REGISTRY[snapshot["type"]].parse_response(snapshot["view"], form)
    if response is None and has_input(form):
        return SaveOutcome.INCOMPLETE
    answers = dict(state["answers"])
    if response is None:
        answers.pop(str(position), None)
    else:
        answers[str(position)] = _trimmed(response)
    state["answers"] = answers
    return SaveOutcome.SAVED if response is not None else SaveOutcome.CLEARED


def results(state: Mapping[str, Any], shown: list[dict[str, Any]]) -> tuple[list[ShownItem], float]:
    """Every item with its feedback, and the score (0..1)."""
    items = []
    for position, snapshot in enumerate(shown, start=1):
        response = response_at(state, position)
        items.append(shown_item(position, snapshot, response, grade_of(snapshot, response)))
    return items, total_score([item.feedback.score for item in items if item.feedback])
