"""Marks: an attempt's score while some answers wait for a teacher's mark (essays), marks
a teacher gives, and regrades after an edit, worked out before anything is written.
Pure: points typed by a person, scores and snapshots in; scores, messages and plans out.

An answer's score is a fraction 0..1 (AttemptItem.score); a teacher reads and types it as
points out of the item's maximum (1 unless the item's key says otherwise, as an essay's
does with its plain mark or rubric total in `max_points`). An answer awaiting a mark has no
score (None), not 0: it is neither right nor wrong. The attempt's score is known only once
every answer is marked; until then pages say what is known ("4.5 of 7 marked, 2 awaiting
grading"), and Attempt.score stays empty, so that nothing (gradebook, LMS, progress chart)
takes a part score for the whole.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from quizzes.domain.text import parse_number, spreadsheet_cell

# Points are kept to two decimals: 2.5 of 4 is a mark, 2.4999999 is noise.
POINT_DECIMALS = 2


# -- an attempt's score while answers await a mark ---------------------------------------


@dataclass(frozen=True)
class Marking:
    points: float  # the credit of the marked answers, added up (1 per question at most)
    marked: int  # answers with a score
    pending: int  # answers awaiting a teacher's mark

    @property
    def questions(self) -> int:
        return self.marked + self.pending

    @property
    def complete(self) -> bool:
        return self.pending == 0

    @property
    def score(self) -> float | None:
        """The attempt's score (0..1) once every answer is marked; None before."""
        if not self.complete:
            return None
        return self.points / self.questions if self.questions else 0.0


def marking_of(scores: Sequence[float | None]) -> Marking:
    """The summary of an attempt's answer scores, None standing for awaiting a mark."""
    marked = [score for score in scores if score is not None]
    return Marking(math.fsum(marked), len(marked), len(scores) - len(marked))


# -- points ------------------------------------------------------------------------------


def max_points(snapshot: Mapping[str, Any]) -> float:
    """What the item is worth, in points: its key's `max_points` where the type keeps one
    (an essay's plain mark or rubric total), else 1."""
    key = snapshot.get("key")
    worth = key.get("max_points") if isinstance(key, Mapping) else None
    if isinstance(worth, int | float) and not isinstance(worth, bool) and math.isfinite(worth):
        return float(worth) if worth > 0 else 1.0
    return 1.0


def points_text(points: float) -> str:
    """2.0 -> "2", 2.5 -> "2.5", 0.333 -> "0.33"."""
    return f"{round(points, POINT_DECIMALS):.{POINT_DECIMALS}f}".rstrip("0").rstrip(".")


def score_text(score: float | None, maximum: float) -> str:
    """A score as points: "3 of 4"; "not marked" when there is none yet."""
    if score is None:
        return "not marked"
    return f"{points_text(score * maximum)} of {points_text(maximum)}"


@dataclass(frozen=True)
class PointsRead:
    """A typed mark: the score it stands for (0..1), or what is wrong with it."""

    score: float | None = None
    error: str = ""


def read_points(text: str | None, maximum: float) -> PointsRead:
    """Points a teacher typed ("3", "2.5", "2,5"), out of `maximum`, as a score 0..1."""
    hint = f"Type a mark from 0 to {points_text(maximum)}, such as {points_text(maximum / 2)}."
    if text is None or not text.strip():
        return PointsRead(error="Type a mark. " + hint)
    if len(text) > 40:
        return PointsRead(error="That is not a mark. " + hint)
    number = parse_number(text)
    if number is None:
        return PointsRead(error=f"“{text.strip()[:40]}” is not a number. " + hint)
    points = round(number, POINT_DECIMALS)
    if not 0 <= points <= maximum:
        return PointsRead(error=f"{points_text(points)} is outside the item's points. " + hint)
    return PointsRead(score=min(1.0, points / maximum))


# -- regrading after an edit ----------------------------------------------------------------


@dataclass(frozen=True)
class AnswerToRegrade:
    """One submitted answer to the edited item, graded again against the new key."""

    attempt_id: int
    attempt_item_id: int
    student: str
    old_score: float | None
    new_score: float | None  # None: the question as shown changed, it cannot be regraded
    marked_by_hand: bool  # a teacher's mark stands: a regrade keeps it


@dataclass(frozen=True)
class StudentChange:
    """One attempt whose total changes: "Ana 6 → 7 of 10"."""

    attempt_id: int
    student: str
    old_total: float  # 0..1
    new_total: float  # 0..1
    items: int  # the attempt's items: a total of 0.7 over 10 items reads "7 of 10"

    def as_points(self) -> str:
        old, new = self.old_total * self.items, self.new_total * self.items
        return f"{self.student} {points_text(old)} → {points_text(new)} of {self.items}"


@dataclass(frozen=True)
class RegradePlan:
    """What a regrade would write, for the teacher to read before confirming."""

    changes: tuple[AnswerToRegrade, ...]  # answers whose score changes (written on confirm)
    totals: tuple[StudentChange, ...]  # attempts whose total changes
    kept_by_hand: tuple[AnswerToRegrade, ...]  # manual marks left as they are
    not_regradable: tuple[AnswerToRegrade, ...]  # the question shown changed since
    unchanged: int  # answers that score the same under the new key

    @property
    def empty(self) -> bool:
        return not self.changes


def _same(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is b
    return math.isclose(a, b, abs_tol=1e-9)


def plan_regrade(
    answers: Sequence[AnswerToRegrade],
    attempt_scores: Mapping[int, Sequence[float]],
    positions: Mapping[int, int],
) -> RegradePlan:
    """Which answers and totals a regrade changes.

    `attempt_scores[attempt_id]` are the scores of that attempt's items in position order,
    `positions[attempt_item_id]` the 0-based place of the regraded answer among them. A
    total is the mean of the item scores (as quiz.answers.total_score works it out).
    """
    changes, kept, stale = [], [], []
    unchanged = 0
    for answer in answers:
        if answer.new_score is None:
            stale.append(answer)
        elif _same(answer.old_score, answer.new_score):
            unchanged += 1
        elif answer.marked_by_hand:
            kept.append(answer)
        else:
            changes.append(answer)
    new_scores = {attempt_id: list(scores) for attempt_id, scores in attempt_scores.items()}
    for answer in changes:
        new_scores[answer.attempt_id][positions[answer.attempt_item_id]] = answer.new_score or 0.0
    totals = []
    seen: set[int] = set()
    for answer in changes:
        if answer.attempt_id in seen:
            continue
        seen.add(answer.attempt_id)
        before = attempt_scores[answer.attempt_id]
        after = new_scores[answer.attempt_id]
        old_total = math.fsum(before) / len(before) if before else 0.0
        new_total = math.fsum(after) / len(after) if after else 0.0
        totals.append(
            StudentChange(answer.attempt_id, answer.student, old_total, new_total, len(before))
        )
    totals.sort(key=lambda change: (change.student.casefold(), change.attempt_id))
    return RegradePlan(tuple(changes), tuple(totals), tuple(kept), tuple(stale), unchanged)


# -- per-question marks as CSV --------------------------------------------------------------

AWAITING_GRADING = "awaiting grading"
HEADER_PROMPT_CHARS = 60


@dataclass(frozen=True)
class QuestionColumn:
    item_key: str
    prompt: str  # the question in one line (listed_prompt)
    max_points: float


@dataclass(frozen=True)
class StudentMarks:
    name: str
    total: float | None  # the counted attempt's score 0..1; None: none yet (see scores)
    # item key -> score 0..1, or None while the answer waits for a teacher's mark; an item
    # missing from the attempt is missing here; empty when nothing is submitted.
    scores: Mapping[str, float | None]


def _header_prompt(prompt: str) -> str:
    prompt = " ".join(prompt.split())
    if len(prompt) <= HEADER_PROMPT_CHARS:
        return prompt
    return prompt[: HEADER_PROMPT_CHARS - 1].rstrip() + "…"


def question_marks_csv(columns: Sequence[QuestionColumn], rows: Sequence[StudentMarks]) -> str:
    """One row per student, the total and one column of points per question (its header:
    number, prompt cut short, points). An answer waiting for a mark reads "awaiting
    grading"; a question the student did not get, or no submitted attempt, is empty."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    header = ["student", "total (%)"] + [
        f"Q{n}: {_header_prompt(column.prompt)} ({points_text(column.max_points)} pt)"
        for n, column in enumerate(columns, start=1)
    ]
    # Prompts and names are typed by people: none may reach a spreadsheet as a formula.
    writer.writerow([spreadsheet_cell(cell) for cell in header])
    for row in rows:
        cells = [spreadsheet_cell(row.name)]
        # The total as the gradebook CSV writes it: a percentage to one decimal.
        if row.total is not None:
            cells.append(f"{row.total * 100:.1f}".rstrip("0").rstrip("."))
        else:  # nothing submitted, or a submitted attempt still awaiting a mark
            cells.append(AWAITING_GRADING if row.scores else "")
        for column in columns:
            if column.item_key not in row.scores:
                cells.append("")
                continue
            score = row.scores[column.item_key]
            cells.append(
                AWAITING_GRADING if score is None else points_text(score * column.max_points)
            )
        writer.writerow(cells)
    return "\ufeff" + out.getvalue()
