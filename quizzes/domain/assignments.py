"""Assignments and the gradebook: when a set given to a class can be taken, and which
attempt counts. Pure: dates and attempts in, decisions and tables out."""

from __future__ import annotations

import csv
import enum
import hashlib
import io
import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from statistics import fmean

from quizzes.domain.text import spreadsheet_cell


class Availability(enum.StrEnum):
    UPCOMING = "upcoming"
    OPEN = "open"
    CLOSED = "closed"


class GradePolicy(enum.StrEnum):
    """Which attempt counts, as Moodle's "Grading method"."""

    BEST = "best"  # the highest submitted score
    LAST = "last"  # the most recently submitted attempt
    FIRST = "first"  # the first submitted attempt
    AVERAGE = "average"  # the mean of every submitted attempt


POLICY_WORDS = {
    GradePolicy.BEST: "best submitted attempt",
    GradePolicy.LAST: "last submitted attempt",
    GradePolicy.FIRST: "first submitted attempt",
    GradePolicy.AVERAGE: "average of the submitted attempts",
}


def availability(opens_at: datetime, due_at: datetime | None, now: datetime) -> Availability:
    if now < opens_at:
        return Availability.UPCOMING
    if due_at is not None and now >= due_at:
        return Availability.CLOSED
    return Availability.OPEN


def start_refusal(
    opens_at: datetime,
    due_at: datetime | None,
    attempt_limit: int | None,
    attempts_started: int,
    now: datetime,
) -> str | None:
    """Why a student may not start another attempt now, in words; None when they may."""
    state = availability(opens_at, due_at, now)
    if state is Availability.UPCOMING:
        return "This assignment has not opened yet."
    if state is Availability.CLOSED:
        return "This assignment is past its due date."
    if attempt_limit is not None and attempts_started >= attempt_limit:
        if attempt_limit == 1:
            return "You have used the one attempt this assignment allows."
        return f"You have used all {attempt_limit} attempts of this assignment."
    return None


def attempt_seconds(
    time_limit_minutes: int | None, due_at: datetime | None, now: datetime
) -> int | None:
    """The time an attempt started now may take: the limit, cut short by the due date.

    Without a time limit an attempt is not timed (a late submission is flagged instead).
    """
    if not time_limit_minutes:
        return None
    seconds = time_limit_minutes * 60
    if due_at is not None:
        seconds = min(seconds, max(1, math.ceil((due_at - now).total_seconds())))
    return seconds


def draw_seed(secret: str, assignment_key: str, student_id: int, nth: int) -> int:
    """The seed of one student's nth attempt of an assignment: the same on every server and
    after a restart, different per student and attempt, and not guessable without the
    app's secret (a student cannot work out which items a classmate will get)."""
    digest = hashlib.sha256(f"{secret}|{assignment_key}|{student_id}|{nth}".encode()).digest()
    return int.from_bytes(digest[:8], "big")


# -- the gradebook -----------------------------------------------------------------------------


@dataclass(frozen=True)
class AttemptResult:
    student_id: int
    assignment_id: int
    started_at: datetime
    submitted_at: datetime | None  # None while in progress
    score: float | None  # 0..1 once submitted
    attempt_id: int | None = None  # the attempt, for the teacher's page of it

    @property
    def submitted(self) -> bool:
        return self.submitted_at is not None and self.score is not None


@dataclass(frozen=True)
class Cell:
    """One student on one assignment."""

    score: float | None  # the counted attempt's score; None when nothing is submitted
    attempts: int  # attempts started
    late: bool  # the counted attempt was submitted after the due date
    in_progress: bool  # an attempt is open right now
    # A submitted attempt waits for a teacher's mark (an essay): it has no score yet.
    awaiting_grading: bool = False
    # The attempt the cell opens: the counted one, else one awaiting a mark.
    attempt_id: int | None = None

    @property
    def percent(self) -> str:
        return "" if self.score is None else f"{round(self.score * 100)}%"


@dataclass(frozen=True)
class Column:
    assignment_id: int
    title: str
    due_at: datetime | None
    policy: GradePolicy = GradePolicy.BEST  # the assignment's own grading method
    # Students with a due date of their own (an extension): late is measured by theirs.
    extended: Mapping[int, datetime] = field(default_factory=dict)


@dataclass(frozen=True)
class Row:
    student_id: int
    name: str
    cells: tuple[Cell, ...]  # one per column, in column order

    @property
    def average(self) -> float | None:
        """Mean over assignments with a submitted attempt."""
        scores = [cell.score for cell in self.cells if cell.score is not None]
        return fmean(scores) if scores else None


@dataclass(frozen=True)
class Gradebook:
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    policy: GradePolicy | None  # None: each column by its assignment's own method

    @property
    def words(self) -> str:
        """What the scores are, for the caption: one method, or each assignment's own."""
        used = {self.policy} if self.policy else {c.policy for c in self.columns}
        if len(used) == 1:
            return POLICY_WORDS[used.pop()]
        return "attempt each assignment counts (its method is under its title)"

    def column_average(self, index: int) -> float | None:
        scores = [row.cells[index].score for row in self.rows if row.cells[index].score is not None]
        return fmean(scores) if scores else None


def told_apart(titles: Sequence[str]) -> list[str]:
    """Column titles a reader can tell apart: a set assigned twice to one class becomes
    "Unit test (1)" and "Unit test (2)", in the order given (by opening time)."""
    counts = Counter(titles)
    seen: Counter[str] = Counter()
    labels = []
    for title in titles:
        seen[title] += 1
        labels.append(f"{title} ({seen[title]})" if counts[title] > 1 else title)
    return labels


def _latest_id(results: list[AttemptResult]) -> int | None:
    latest = max(results, key=lambda r: r.started_at, default=None)
    return latest.attempt_id if latest else None


def counted_attempt(results: Iterable[AttemptResult], policy: GradePolicy) -> AttemptResult | None:
    """The submitted attempt that counts; ties on the best score go to the earlier one."""
    submitted = [r for r in results if r.submitted]
    if not submitted:
        return None
    if policy is GradePolicy.LAST:
        return max(submitted, key=lambda r: r.submitted_at)
    if policy is GradePolicy.FIRST:
        return min(submitted, key=lambda r: r.submitted_at)
    return max(submitted, key=lambda r: (r.score, -r.submitted_at.timestamp()))


def counted_score(
    results: Iterable[AttemptResult], policy: GradePolicy, due_at: datetime | None
) -> tuple[float | None, bool]:
    """The score that counts and whether it counts as late: one attempt's, or for the
    average the mean of all submitted ones (late when any of them was)."""
    submitted = [r for r in results if r.submitted]
    if not submitted:
        return None, False

    def late(result: AttemptResult) -> bool:
        return due_at is not None and result.submitted_at > due_at

    if policy is GradePolicy.AVERAGE:
        return fmean(r.score for r in submitted), any(late(r) for r in submitted)
    counted = counted_attempt(submitted, policy)
    return counted.score, late(counted)


def build_gradebook(
    students: Sequence[tuple[int, str]],
    columns: Sequence[Column],
    results: Iterable[AttemptResult],
    policy: GradePolicy | None,
) -> Gradebook:
    by_cell: dict[tuple[int, int], list[AttemptResult]] = {}
    for result in results:
        by_cell.setdefault((result.student_id, result.assignment_id), []).append(result)
    rows = []
    for student_id, name in students:
        cells = []
        for column in columns:
            attempts = by_cell.get((student_id, column.assignment_id), [])
            method = policy or column.policy
            due_at = column.extended.get(student_id, column.due_at)
            score, late = counted_score(attempts, method, due_at)
            # The cell opens the counted attempt (for the average, the best one), else one
            # awaiting a teacher's mark.
            counted = counted_attempt(attempts, method)
            awaiting = [a for a in attempts if a.submitted_at is not None and a.score is None]
            cells.append(
                Cell(
                    score=score,
                    attempts=len(attempts),
                    late=late,
                    in_progress=any(a.submitted_at is None for a in attempts),
                    awaiting_grading=bool(awaiting),
                    attempt_id=counted.attempt_id if counted else _latest_id(awaiting),
                )
            )
        rows.append(Row(student_id, name, tuple(cells)))
    return Gradebook(tuple(columns), tuple(rows), policy)


def gradebook_csv(gradebook: Gradebook) -> str:
    """Students by assignments as CSV: percentages, "late" noted beside, an average column."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    header = ["student"]
    for column in gradebook.columns:
        header += [f"{column.title} (%)", f"{column.title} (attempts)", f"{column.title} (late)"]
    # Titles and names are typed by people: none may reach a spreadsheet as a formula.
    writer.writerow([*map(spreadsheet_cell, header), "average (%)"])
    for row in gradebook.rows:
        cells = [spreadsheet_cell(row.name)]
        for cell in row.cells:
            score = "" if cell.score is None else _percent_number(cell.score)
            cells += [score, str(cell.attempts), "late" if cell.late else ""]
        average = row.average
        writer.writerow([*cells, "" if average is None else _percent_number(average)])
    return "\ufeff" + out.getvalue()


def _percent_number(score: float) -> str:
    return f"{score * 100:.1f}".rstrip("0").rstrip(".")
