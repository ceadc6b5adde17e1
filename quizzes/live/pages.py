"""What the projector and the phones are sent: the round as JSON with HTML fragments
rendered by the quiz's own item templates. The key appears only once a question closes."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from flask import render_template
from markupsafe import Markup

from models import LivePlayer, LiveSession
from quizzes.domain.citations import cite
from quizzes.domain.itemtypes import REGISTRY, TYPE_LABELS
from quizzes.domain.live.results import GivenAnswer, distribution
from quizzes.domain.live.rounds import Phase
from quizzes.live import services
from quizzes.web.rendering import render_markdown

LEADERBOARD_SIZE = 5


def controls(snapshot: dict[str, Any], number: int, response: Any = None) -> Markup:
    """The answer fields of the item's type (templates/items/<type>/take.html), never its key."""
    return Markup(
        render_template(
            "live/_controls.html",
            item_type=snapshot["type"],
            view=snapshot["view"],
            response=response,
            number=number,
        )
    )


def _question(session: LiveSession, response: Any = None) -> dict[str, Any] | None:
    question = services.current_question(session)
    if question is None:
        return None
    snapshot = question.snapshot
    number = question.position + 1
    return {
        "number": number,
        "type": snapshot["type"],
        "type_label": TYPE_LABELS.get(snapshot["type"], snapshot["type"]),
        "prompt_html": str(render_markdown(snapshot["prompt"])),
        "controls_html": str(controls(snapshot, number, response)),
    }


def _results(session: LiveSession) -> dict[str, Any] | None:
    question = services.current_question(session)
    if question is None or session.phase != Phase.RESULTS:
        return None
    snapshot = question.snapshot
    players = len(services.active_players(session))
    given = services.answers_to(question)
    bars = distribution(
        snapshot["type"],
        snapshot["view"],
        snapshot["key"],
        [GivenAnswer(a.response, a.correct) for a in given],
        players,
    )
    sources = [(shown.text, shown.url) for shown in map(cite, snapshot.get("sources", []))]
    return {
        "players": players,
        "answered": len(given),
        "right_count": sum(a.correct for a in given),
        "bars": [{"label": b.label, "count": b.count, "right": b.right} for b in bars],
        "right_answer": REGISTRY[snapshot["type"]].describe_key(snapshot["view"], snapshot["key"]),
        "explanation_html": str(render_markdown(snapshot.get("explanation") or "")),
        "sources": [{"text": text, "url": url} for text, url in sources],
        "skipped": question.skipped,
    }


def _leaderboard(session: LiveSession) -> list[dict[str, Any]] | None:
    if not session.show_leaderboard or session.phase not in (Phase.RESULTS, Phase.ENDED):
        return None
    from quizzes.live.report import report  # the report reads every answer: only here

    return [
        {
            "rank": row.rank,
            "name": row.player.nickname,
            "right": row.standing.right,
            "credit": round(row.standing.credit, 2),
        }
        for row in report(session).students[:LEADERBOARD_SIZE]
    ]


def player_state(session: LiveSession, now: datetime, response: Any = None) -> dict[str, Any]:
    """The round as every phone sees it. `response`: this phone's own saved answer, put
    into the fields when it reconnects (a broadcast sends none)."""
    state = services.round_of(session)
    return {
        "v": session.version,
        "phase": session.phase,
        "title": session.title,
        "total": state.total,
        "seconds": session.seconds_per_question,
        "paused": state.paused,
        "time_left_ms": state.time_left_ms(now),
        "question": _question(session, response),
        "results": _results(session),
        "leaderboard": _leaderboard(session),
    }


def host_state(session: LiveSession, now: datetime) -> dict[str, Any]:
    state = player_state(session, now)
    question = services.current_question(session)
    state["answered"] = services.answered_count(question) if question else 0
    state["players"] = [player_entry(p) for p in services.active_players(session)]
    return state


def player_entry(player: LivePlayer) -> dict[str, Any]:
    return {"id": player.id, "name": player.nickname, "signed_in": player.user_id is not None}


def mine(session: LiveSession, player: LivePlayer) -> dict[str, Any]:
    """This player's answer to the current question; its grade only once results show."""
    question = services.current_question(session)
    if question is None:
        return {"number": None}
    given = services.answer_of(question, player)
    snapshot = question.snapshot
    out: dict[str, Any] = {
        "number": question.position + 1,
        "answered": given is not None,
        "answer": REGISTRY[snapshot["type"]].describe_response(snapshot["view"], given.response)
        if given
        else None,
    }
    if session.phase == Phase.RESULTS and given is not None:
        out["score"] = given.score
        out["correct"] = given.correct
    return out


def event(name: str, data: dict[str, Any], ident: int | None = None) -> str:
    """One server-sent event."""
    head = f"id: {ident}\n" if ident is not None else ""
    return f"{head}event: {name}\ndata: {json.dumps(data, separators=(',', ':'))}\n\n"
