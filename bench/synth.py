"""Synthetic data for the benchmarks: build a SQLite file once, reuse it across runs.

    .venv/bin/python bench/synth.py [--size full|small] [--force]

The full data set (bench/out/synth-full.sqlite, git-ignored):

- 10,000 users (all with the password BENCH_PASSWORD, hashed once) and 100,000 items in
  1,000 published sets, with topic rows;
- 1,000,000 stored, graded answers (attempt_items): 100,000 of them by one student
  (HEAVY, for the progress page), 25,000 from a class of 500 students on one 50-item
  assignment (for item analysis), the rest spread over the other students;
- 20,000 flashcards for each of the CARD_STUDENTS (one learner's deck, several learners
  so that load runs rotate among them), and one learner with GROWTH_CARDS cards;
- an open 10-question attempt for each of the QUIZ_STUDENTS (the pages under load).

The small data set (bench/out/synth-small.sqlite) has 1,000 items and 1,000 cards: the
same pages measured on both show how their cost grows with size.

Rows go in with SQLAlchemy Core inserts of lists of dicts (executemany), in batches.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import Table, insert  # noqa: E402
from werkzeug.security import generate_password_hash  # noqa: E402

OUT = ROOT / "bench" / "out"
# The app reads the real clock (flashcards are due relative to it): the data is built
# around the moment of the build, and rebuilt when the cached file is a week old.
NOW = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
MAX_AGE = timedelta(days=7)
BENCH_PASSWORD = "bench-password-1"
HEAVY = "heavy"  # the student with 100,000 stored answers
QUIZ_STUDENTS = 32  # s00001.. each with an open attempt
CARD_STUDENTS = 8  # c001.. each with a deck of Spec.cards cards
GROWTH_USER = "growth"  # one deck of Spec.growth_cards cards
ASSIGNMENT_ITEMS = 50
TOPICS = 200
BATCH = 20_000


@dataclass(frozen=True)
class Spec:
    name: str
    users: int
    items: int
    answers: int
    heavy_answers: int
    class_size: int
    cards: int
    growth_cards: int

    @property
    def path(self) -> Path:
        return OUT / f"synth-{self.name}.sqlite"


FULL = Spec("full", 10_000, 100_000, 1_000_000, 100_000, 500, 20_000, 100_000)
SMALL = Spec("small", 200, 1_000, 10_000, 1_000, 50, 1_000, 1_000)
SPECS = {spec.name: spec for spec in (FULL, SMALL)}


def progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def batched(rows: Iterable[dict[str, Any]], size: int = BATCH) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def bulk(table: Table, rows: Iterable[dict[str, Any]], label: str, total: int) -> None:
    from models import db

    done = 0
    for batch in batched(rows):
        db.session.execute(insert(table), batch)
        done += len(batch)
        if total >= 100_000:
            progress(f"  {label}: {done:,} / {total:,}")
    db.session.commit()


# -- items -------------------------------------------------------------------------------


def item_content(number: int, rng: random.Random) -> tuple[str, str, dict[str, Any]]:
    """(type, prompt, data): mostly single choice, some true/false, short and numeric."""
    roll = rng.random()
    if roll < 0.7:
        options = [
            {"text": f"Answer {number}-{letter}", "correct": letter == "a"} for letter in "abcd"
        ]
        return "single", f"Which is right for synthetic question {number}?", {"options": options}
    if roll < 0.8:
        return "truefalse", f"Synthetic statement {number} is true.", {"answer": number % 2 == 0}
    if roll < 0.9:
        answers = [{"text": f"word{number}", "fraction": 1.0}]
        return "short", f"Type the word for synthetic question {number}.", {"answers": answers}
    numeric = [{"value": float(number % 97), "tolerance": 0.5, "fraction": 1.0}]
    return "numeric", f"How many for question {number}?", {"answers": numeric, "unit": ""}


def explanation(number: int) -> str:
    # As long as the built-in bank's (about 1 KB of snapshot per answer): analysis reads them.
    return (
        f"Because synthetic fact {number} says so. "
        + "The report quotes the cable in full and the ministry confirmed its text. " * 4
    )


def sources(number: int) -> list[str]:
    # Free citation strings, as authored items have (docs/ITEMS.md).
    return [
        f"Synthetic report, example.org/report/{number}",
        f"Synthetic cable, example.org/cable/{number}",
    ]


def item_rows(spec: Spec, set_ids: list[int], rng: random.Random) -> list[dict[str, Any]]:
    """Set 1 holds the assignment's 50 items; the rest share the other sets evenly."""
    rows = []
    others = set_ids[1:]
    for number in range(1, spec.items + 1):
        if number <= ASSIGNMENT_ITEMS:
            set_id, position = set_ids[0], number
        else:
            index = number - ASSIGNMENT_ITEMS - 1
            set_id, position = others[index % len(others)], index // len(others) + 1
        kind, prompt, data = item_content(number, rng)
        topics = sorted({f"topic-{rng.randrange(TOPICS):03d}" for _ in range(rng.choice((1, 2)))})
        rows.append(
            {
                "id": number,
                "key": f"synth.q{number:06d}",
                "set_id": set_id,
                "position": position,
                "type": kind,
                "prompt": prompt,
                "data": data,
                "explanation": explanation(number),
                "sources": sources(number),
                "topics": topics,
                "difficulty": round(rng.random(), 2),
                "fact_ids": [f"synth.fact{number:06d}"],
                "version": 1,
                "retired_at": None,
                "updated_at": NOW,
            }
        )
    return rows


def snapshot(item: dict[str, Any], seed: int | None = None) -> dict[str, Any]:
    """What quizzes.quiz.services.snapshot_of stores: options shuffled by `seed` (an
    attempt's), or by a fixed seed per item where the order does not matter."""
    from quizzes.domain.itemtypes import REGISTRY
    from quizzes.quiz.services import presentation_rng

    rng = presentation_rng(item["id"] if seed is None else seed, 1)
    view, key = REGISTRY[item["type"]].present(item["data"], rng)
    return {
        "item_key": item["key"],
        "version": 1,
        "type": item["type"],
        "prompt": item["prompt"],
        "view": view,
        "key": key,
        "explanation": item["explanation"],
        "sources": item["sources"],
        "topics": item["topics"],
        "fact_ids": item["fact_ids"],
    }


def answer_for(snap: dict[str, Any], right: bool) -> tuple[Any, float]:
    """A response of the item's type, right or wrong, and its score."""
    kind, key = snap["type"], snap["key"]
    if kind == "single":
        correct = key["correct"]
        return (correct if right else (correct + 1) % len(snap["view"]["options"])), float(right)
    if kind == "truefalse":
        return (key["answer"] if right else not key["answer"]), float(right)
    if kind == "short":
        return (key["answers"][0]["text"] if right else "wrong"), float(right)
    return (f"{key['answers'][0]['value']:g}" if right else "-1"), float(right)


# -- the builder -------------------------------------------------------------------------


class Builder:
    def __init__(self, spec: Spec, rng: random.Random) -> None:
        self.spec = spec
        self.rng = rng
        self.attempt_id = 0
        self.answer_id = 0
        self.items: list[dict[str, Any]] = []
        self.snapshots: list[dict[str, Any]] = []
        self.right_answers: list[str] = []
        self.item_progress: list[dict[str, Any]] = []
        self.topic_progress: list[dict[str, Any]] = []

    # users, sets, items
    def users(self) -> dict[str, int]:
        from models import User
        from models.users import new_session_token

        password = generate_password_hash(BENCH_PASSWORD)
        names = ["teacher", HEAVY, GROWTH_USER]
        names += [f"c{n:03d}" for n in range(1, CARD_STUDENTS + 1)]
        names += [f"s{n:05d}" for n in range(1, self.spec.users - len(names) + 1)]
        rows = [
            {
                "id": number,
                "username": name,
                "password_hash": password,
                "role": "teacher" if name == "teacher" else "student",
                "timezone": "UTC",
                "created_at": NOW - timedelta(days=400),
                "session_token": new_session_token(),
            }
            for number, name in enumerate(names, start=1)
        ]
        bulk(User.__table__, rows, "users", len(rows))
        return {row["username"]: row["id"] for row in rows}

    def bank(self, teacher_id: int) -> None:
        from models import ItemTopic, QuestionSet

        spec = self.spec
        sets = max(1, spec.items // 100)
        set_rows = [
            {
                "id": number,
                "slug": None,
                "title": "Assignment set" if number == 1 else f"Synthetic set {number}",
                "description": "",
                "owner_id": teacher_id,
                "status": "published",
                "created_at": NOW,
                "updated_at": NOW,
            }
            for number in range(1, sets + 1)
        ]
        bulk(QuestionSet.__table__, set_rows, "sets", len(set_rows))
        self.items = item_rows(spec, [row["id"] for row in set_rows], self.rng)
        from models import Item

        bulk(Item.__table__, self.items, "items", len(self.items))
        topic_rows = (
            {"item_id": item["id"], "topic": topic, "active": True}
            for item in self.items
            for topic in item["topics"]
        )
        bulk(ItemTopic.__table__, topic_rows, "item topics", len(self.items))
        self.snapshots = [snapshot(item) for item in self.items]
        from quizzes.domain.itemtypes import REGISTRY

        self.right_answers = [
            REGISTRY[snap["type"]].describe_key(snap["view"], snap["key"])
            for snap in self.snapshots
        ]

    # attempts and answers
    def attempts(
        self,
        student_ids: Iterable[int],
        per_student: Callable[[int], int],
        pick_items: Callable[[], list[int]],
        *,
        assignment_id: int | None = None,
        title: str = "Synthetic quiz",
        label: str = "answers",
        total: int = 0,
    ) -> None:
        """Submitted, graded attempts; each student answers right with their own ability."""
        from models import Attempt, AttemptItem

        attempts: list[dict[str, Any]] = []
        answers: list[dict[str, Any]] = []
        done = 0
        for student_id in student_ids:
            ability = self.rng.uniform(0.3, 0.95)
            graded: list[tuple[datetime, int, int, float]] = []
            for _ in range(per_student(student_id)):
                self.attempt_id += 1
                started = NOW - timedelta(minutes=self.rng.randrange(1, 525_600))
                chosen = pick_items()
                scores = []
                for position, index in enumerate(chosen, start=1):
                    # The assignment's answers keep each attempt's own option order, as
                    # real attempts do: item analysis must cope with many snapshots.
                    if assignment_id:
                        snap = snapshot(self.items[index], seed=self.attempt_id)
                    else:
                        snap = self.snapshots[index]
                    right = self.rng.random() < ability * (1.2 - self.items[index]["difficulty"])
                    response, score = answer_for(snap, right)
                    scores.append(score)
                    self.answer_id += 1
                    moment = started + timedelta(seconds=20 * position)
                    graded.append((moment, self.attempt_id, index, score))
                    answers.append(
                        {
                            "id": self.answer_id,
                            "attempt_id": self.attempt_id,
                            "position": position,
                            "item_id": self.items[index]["id"],
                            "item_key": snap["item_key"],
                            "snapshot": snap,
                            "response": response,
                            "answered_at": moment,
                            "graded_at": moment,
                            "score": score,
                            "correct": score == 1.0,
                            "typo_forgiven": False,
                            "notes": [],
                        }
                    )
                submitted = started + timedelta(seconds=20 * len(chosen) + 5)
                attempts.append(
                    self._attempt_row(student_id, title, len(chosen), started, assignment_id)
                    | {
                        "status": "submitted",
                        "submitted_at": submitted,
                        "updated_at": submitted,
                        "score": sum(scores) / len(scores),
                        "current_position": len(chosen),
                    }
                )
                if len(answers) >= BATCH:
                    done += self._flush(Attempt, AttemptItem, attempts, answers)
                    if total >= 100_000:
                        progress(f"  {label}: {done:,} / {total:,}")
            self.progress_totals(student_id, graded)
        done += self._flush(Attempt, AttemptItem, attempts, answers)
        from models import db

        db.session.commit()

    def _attempt_row(
        self, user_id: int, title: str, size: int, started: datetime, assignment_id: int | None
    ) -> dict[str, Any]:
        return {
            "id": self.attempt_id,
            "user_id": user_id,
            "set_id": 1 if assignment_id else None,
            "topic": None if assignment_id else "topic-000",
            "title": title,
            "item_types": [],
            "size": size,
            "feedback_mode": "end",
            "time_limit_seconds": None,
            "late_policy": "mark",
            "deadline": None,
            "late": False,
            "started_at": started,
            "seed": self.attempt_id,
            "start_token": None,
            "assignment_id": assignment_id,
        }

    def progress_totals(
        self, student_id: int, graded: list[tuple[datetime, int, int, float]]
    ) -> None:
        """The running totals quizzes.progress.services.record_graded keeps, folded over
        the student's answers in the order they were graded."""
        from quizzes.progress import stats

        items: dict[str, dict[str, Any]] = {}
        topics: dict[str, dict[str, Any]] = {}
        for moment, attempt_id, index, score in sorted(graded):
            snap = self.snapshots[index]
            key = snap["item_key"]
            row = items.setdefault(
                key, {"user_id": student_id, "item_key": key, "answered": 0, "missed": 0}
            )
            row["answered"] += 1
            row["missed"] += score != 1.0
            row |= {
                "prompt": snap["prompt"],
                "right_answer": self.right_answers[index],
                "last_attempt_id": attempt_id,
                "last_graded_at": moment,
            }
            for topic in dict.fromkeys(snap["topics"]):
                total = topics.setdefault(
                    topic,
                    {"user_id": student_id, "topic": topic, "answers": 0, "right": 0, "recent": []},
                )
                total["answers"] += 1
                total["right"] += score == 1.0
                total["recent"] = stats.with_recent(total["recent"], score)
        self.item_progress += items.values()
        self.topic_progress += topics.values()

    def _flush(self, attempt_model, answer_model, attempts: list, answers: list) -> int:
        from models import ItemProgress, TopicProgress, db

        count = len(answers)
        for model, rows in (
            (attempt_model, attempts),
            (answer_model, answers),
            (ItemProgress, self.item_progress),
            (TopicProgress, self.topic_progress),
        ):
            if rows:
                db.session.execute(insert(model.__table__), rows)
            rows.clear()
        return count

    def open_attempts(self, student_ids: list[int]) -> None:
        """One open 10-question attempt per load-test student, at question 1."""
        from models import Attempt, AttemptItem, db

        attempts, answers = [], []
        # Single choice, so that the load run's answers ("answer=0".."3") are whole answers.
        single = [i for i, item in enumerate(self.items) if item["type"] == "single"]
        for student_id in student_ids:
            self.attempt_id += 1
            attempts.append(
                self._attempt_row(student_id, "Open quiz", 10, NOW, None)
                | {
                    "status": "in_progress",
                    "submitted_at": None,
                    "updated_at": NOW,
                    "score": None,
                    "current_position": 1,
                }
            )
            for position, index in enumerate(self.rng.sample(single, 10), 1):
                self.answer_id += 1
                answers.append(
                    {
                        "id": self.answer_id,
                        "attempt_id": self.attempt_id,
                        "position": position,
                        "item_id": self.items[index]["id"],
                        "item_key": self.items[index]["key"],
                        "snapshot": self.snapshots[index],
                        "response": None,
                        "answered_at": None,
                        "graded_at": None,
                        "score": None,
                        "correct": None,
                        "typo_forgiven": False,
                        "notes": [],
                    }
                )
        self._flush(Attempt, AttemptItem, attempts, answers)
        db.session.commit()

    def school_class(self, teacher_id: int, student_ids: list[int]) -> int | None:
        """The class and its enrolments; the assignment row when the model has one."""
        import models
        from models import Enrollment, SchoolClass, db

        db.session.execute(
            insert(SchoolClass.__table__),
            [{"id": 1, "name": "Bench class", "teacher_id": teacher_id, "join_code": "BENCH1"}],
        )
        db.session.execute(
            insert(Enrollment.__table__),
            [{"class_id": 1, "student_id": sid, "joined_at": NOW} for sid in student_ids],
        )
        assignment_model = getattr(models, "Assignment", None)
        if assignment_model is None:
            db.session.commit()
            return 1  # attempts carry assignment_id without a foreign key until then
        db.session.execute(
            insert(assignment_model.__table__),
            [
                {
                    "id": 1,
                    "class_id": 1,
                    "set_id": 1,
                    "opens_at": NOW - timedelta(days=30),
                    "due_at": None,
                    "attempt_limit": None,
                    "time_limit_minutes": None,
                    "feedback_mode": "end",
                    "created_at": NOW - timedelta(days=30),
                }
            ],
        )
        db.session.commit()
        return 1

    # flashcards
    def deck(self, user_id: int, cards: int, label: str) -> None:
        """A deck of `cards` cards, all but 1,000 (or a tenth) learnt, due over 120 days
        with about 1 in 60 due today: the shape bench/cards_next.py uses."""
        from models import Card, Deck, MemoryState, db
        from quizzes.domain import srs
        from quizzes.memory import state_columns

        deck_id = db.session.execute(
            insert(Deck.__table__).values(
                owner_id=user_id, title=f"Deck of {label}", description=""
            )
        ).inserted_primary_key[0]
        first = (db.session.scalar(db.select(db.func.max(Card.id))) or 0) + 1
        unseen = min(1000, cards // 10)
        learnt = cards - unseen
        card_rows = (
            {
                "id": first + n,
                "deck_id": deck_id,
                "kind": "basic",
                "front": f"Question {n}",
                "back": f"Answer {n}",
                "source": "",
                "tags": [],
                "reversed": False,
                "memory_key": f"card:{first + n}",
                "created_at": NOW - timedelta(days=300),
                "updated_at": NOW - timedelta(days=300),
                "first_studied_at": NOW - timedelta(days=200) if n < learnt else None,
            }
            for n in range(cards)
        )
        bulk(Card.__table__, card_rows, f"cards of {label}", cards)

        def states() -> Iterator[dict[str, Any]]:
            for n in range(learnt):
                due = NOW + timedelta(days=self.rng.uniform(-1, 119))
                stability = self.rng.uniform(1, 120)
                last = due - timedelta(days=stability)
                state = srs.MemoryState(
                    srs.State.Review, None, stability, self.rng.uniform(2, 8), due, last
                )
                yield {
                    "user_id": user_id,
                    "memory_key": f"card:{first + n}",
                    **state_columns(state),
                    "deck_id": deck_id,
                    "topics": [],
                    "updated_at": NOW - timedelta(days=1),
                }

        bulk(MemoryState.__table__, states(), f"memories of {label}", learnt)


def build(spec: Spec, path: Path, seed: int = 2025) -> float:
    """Build the data set into `path`; returns the seconds it took."""
    from app import create_app
    from models import db

    started = time.perf_counter()
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".building")
    for leftover in (partial, Path(f"{partial}-wal"), Path(f"{partial}-shm")):
        leftover.unlink(missing_ok=True)
    app = create_app({"SECRET_KEY": "synth", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{partial}"})
    rng = random.Random(seed)
    with app.app_context():
        db.session.execute(db.text("PRAGMA synchronous=OFF"))
        db.create_all()
        progress(f"building {spec.name}: {spec.users:,} users, {spec.items:,} items")
        ids = Builder(spec, rng)
        users = ids.users()
        ids.bank(users["teacher"])
        students = [uid for name, uid in users.items() if name.startswith("s")]
        quiz_students = students[:QUIZ_STUDENTS]
        class_students = students[: spec.class_size]
        others = students[spec.class_size :] or students

        progress(f"open attempts for {len(quiz_students)} students")
        ids.open_attempts(quiz_students)

        assignment_id = ids.school_class(users["teacher"], class_students)
        progress(f"assignment: {len(class_students)} students x {ASSIGNMENT_ITEMS} items")
        assignment_indexes = list(range(ASSIGNMENT_ITEMS))
        ids.attempts(
            class_students,
            lambda _: 1,
            lambda: rng.sample(assignment_indexes, len(assignment_indexes)),
            assignment_id=assignment_id,
            title="Assignment set",
            label="assignment answers",
            total=len(class_students) * ASSIGNMENT_ITEMS,
        )
        everything = range(len(ids.items))
        progress(f"{spec.heavy_answers:,} answers by {HEAVY}")
        ids.attempts(
            [users[HEAVY]],
            lambda _: spec.heavy_answers // 10,
            lambda: rng.sample(everything, 10),
            label=f"answers of {HEAVY}",
            total=spec.heavy_answers,
        )
        rest = spec.answers - spec.heavy_answers - len(class_students) * ASSIGNMENT_ITEMS
        progress(f"{rest:,} answers by {len(others):,} other students")
        per_student = max(1, rest // 10 // len(others))
        extra = rest // 10 - per_student * len(others)
        ids.attempts(
            others,
            lambda sid: per_student + (1 if sid - others[0] < extra else 0),
            lambda: rng.sample(everything, 10),
            label="other answers",
            total=rest,
        )
        for number in range(1, CARD_STUDENTS + 1):
            name = f"c{number:03d}"
            ids.deck(users[name], spec.cards, name)
        ids.deck(users[GROWTH_USER], spec.growth_cards, GROWTH_USER)
        db.session.execute(db.text("ANALYZE"))
        db.session.commit()
        db.session.execute(db.text("PRAGMA wal_checkpoint(TRUNCATE)"))
        db.session.remove()
        db.engine.dispose()
    partial.replace(path)
    seconds = time.perf_counter() - started
    info = {"seconds": round(seconds, 1), "built": NOW.isoformat(), "spec": asdict(spec)}
    info_path(path).write_text(json.dumps(info, indent=1))
    return seconds


def info_path(path: Path) -> Path:
    return path.with_suffix(".json")


def build_info(spec: Spec) -> dict[str, Any]:
    """How long the cached file took to build, and when."""
    try:
        return json.loads(info_path(spec.path).read_text())
    except (OSError, ValueError):
        return {}


def missing_columns(path: Path) -> list[str]:
    """Columns and indexes of the current models that the cached file lacks (built by
    older code)."""
    import sqlite3

    from models import db

    connection = sqlite3.connect(path)
    try:
        missing = []
        for table in db.metadata.sorted_tables:
            have = {row[1] for row in connection.execute(f"PRAGMA table_info('{table.name}')")}
            missing += [f"{table.name}.{c.name}" for c in table.columns if c.name not in have]
            indexes = {row[1] for row in connection.execute(f"PRAGMA index_list('{table.name}')")}
            missing += [index.name for index in table.indexes if index.name not in indexes]
        return missing
    finally:
        connection.close()


def ensure(spec: Spec, force: bool = False) -> tuple[Path, float | None]:
    """The cached file, built first if missing. Seconds is None when it was cached."""
    if spec.path.exists() and not force:
        built = datetime.fromtimestamp(spec.path.stat().st_mtime, UTC)
        missing = missing_columns(spec.path)
        if missing:
            progress(f"{spec.path.name} lacks {', '.join(missing[:3])}: rebuilding")
        elif datetime.now(UTC) - built < MAX_AGE:
            return spec.path, None
        else:
            progress(f"{spec.path.name} is older than {MAX_AGE.days} days: rebuilding")
    return spec.path, build(spec, spec.path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=sorted(SPECS), default="full")
    parser.add_argument("--force", action="store_true", help="rebuild even if cached")
    args = parser.parse_args(argv)
    spec = SPECS[args.size]
    path, seconds = ensure(spec, args.force)
    if seconds is None:
        print(f"{path} is cached (--force rebuilds it)")
    else:
        size = path.stat().st_size / 2**20
        print(f"built {path} in {seconds:.1f} s ({size:,.0f} MiB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
