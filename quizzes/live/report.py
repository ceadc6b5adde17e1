"""The class report of a live session: per question, per student, and as CSV."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from sqlalchemy import select

from models import LiveAnswer, LivePlayer, LiveQuestion, LiveSession, db
from quizzes.domain.itemtypes import REGISTRY, listed_prompt
from quizzes.domain.live.results import Bar, GivenAnswer, Standing, distribution, leaderboard
from quizzes.domain.text import spreadsheet_cell


@dataclass(frozen=True)
class QuestionRow:
    number: int
    prompt: str
    type: str
    right_answer: str
    answered: int
    right: int
    bars: list[Bar]
    skipped: bool


@dataclass(frozen=True)
class StudentRow:
    rank: int
    player: LivePlayer
    standing: Standing
    answers: list[tuple[str, float | None]]  # per asked question: (answer shown, score)


@dataclass(frozen=True)
class Report:
    questions: list[QuestionRow]
    students: list[StudentRow]
    players: int


def _answers(session: LiveSession) -> dict[tuple[int, int], LiveAnswer]:
    ids = [q.id for q in session.questions]
    return {
        (a.question_id, a.player_id): a
        for a in db.session.scalars(select(LiveAnswer).where(LiveAnswer.question_id.in_(ids)))
    }


def asked(session: LiveSession) -> list[LiveQuestion]:
    """The questions the room saw, skipped ones too (the report says they were)."""
    return [q for q in session.questions if q.opened_at is not None]


def report(session: LiveSession) -> Report:
    players = [p for p in session.players if not p.removed]
    answers = _answers(session)
    questions = asked(session)
    rows = []
    for question in questions:
        snapshot = question.snapshot
        given = [answers[(question.id, p.id)] for p in players if (question.id, p.id) in answers]
        rows.append(
            QuestionRow(
                number=question.position + 1,
                prompt=listed_prompt(snapshot),
                type=snapshot["type"],
                right_answer=REGISTRY[snapshot["type"]].describe_key(
                    snapshot["view"], snapshot["key"]
                ),
                answered=len(given),
                right=sum(a.correct for a in given),
                bars=distribution(
                    snapshot["type"],
                    snapshot["view"],
                    snapshot["key"],
                    [GivenAnswer(a.response, a.correct) for a in given],
                    len(players),
                ),
                skipped=question.skipped,
            )
        )
    counted = [q for q in questions if not q.skipped]
    standings = {}
    cells: dict[int, list[tuple[str, float | None]]] = {}
    for player in players:
        mine = [answers.get((q.id, player.id)) for q in counted]
        standings[player.id] = Standing(
            player_id=player.id,
            name=player.nickname,
            credit=sum(a.score for a in mine if a),
            right=sum(1 for a in mine if a and a.correct),
            answered=sum(1 for a in mine if a),
            time_ms=sum(a.elapsed_ms for a in mine if a and a.correct),
        )
        cells[player.id] = [
            (
                REGISTRY[q.snapshot["type"]].describe_response(q.snapshot["view"], a.response)
                if a
                else "",
                a.score if a else None,
            )
            for q, a in zip(counted, mine, strict=True)
        ]
    by_id = {p.id: p for p in players}
    students = [
        StudentRow(rank, by_id[s.player_id], s, cells[s.player_id])
        for rank, s in leaderboard(list(standings.values()))
    ]
    return Report(rows, students, len(players))


def report_csv(session: LiveSession) -> str:
    """One row per student and question answered or not: what they gave and its score."""
    data = report(session)
    counted = [q for q in asked(session) if not q.skipped]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(
        ["student", "signed_in", "question", "prompt", "answer", "score", "right", "right_answer"]
    )
    rights = {row.number: row.right_answer for row in data.questions}
    for row in data.students:
        for question, (shown, score) in zip(counted, row.answers, strict=True):
            number = question.position + 1
            writer.writerow(
                [
                    spreadsheet_cell(row.player.nickname),
                    "yes" if row.player.user_id else "no",
                    number,
                    spreadsheet_cell(listed_prompt(question.snapshot)),
                    spreadsheet_cell(shown),
                    "" if score is None else f"{score:.2f}",
                    "" if score is None else ("yes" if score == 1.0 else "no"),
                    spreadsheet_cell(rights[number]),
                ]
            )
    return out.getvalue()
