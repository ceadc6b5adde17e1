"""The end of a live round with signed-in players: the one request that writes every
student's attempt, history and memory model (quizzes/live/services.finish, through the
quiz's submit). In process, on a temporary SQLite file; prints the time per size.

    python bench/live_end.py [--players 30 100] [--questions 3]
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def end_of_round(players: int, questions: int) -> float:
    from app import create_app
    from models import Item, QuestionSet, Role, SetStatus, User, db, utcnow
    from quizzes.domain.live.rounds import Action
    from quizzes.live import services

    tmp = tempfile.mkdtemp(prefix="live-end-")
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/end.sqlite"})
    with app.app_context():
        db.create_all()
        teacher = User(username="t", role=Role.TEACHER, password_hash="x")
        students = [
            User(username=f"s{n}", role=Role.STUDENT, password_hash="x") for n in range(players)
        ]
        question_set = QuestionSet(title="End", status=SetStatus.PUBLISHED)
        db.session.add_all([teacher, question_set, *students])
        db.session.flush()
        for n in range(questions):
            db.session.add(
                Item(
                    key=f"end.{n}",
                    set_id=question_set.id,
                    position=n,
                    type="truefalse",
                    prompt=f"Statement {n}",
                    data={"answer": True},
                    topics=["end"],
                    fact_ids=[f"end.{n}"],
                )
            )
        db.session.flush()
        live = services.create_session(
            teacher,
            question_set,
            list(question_set.items),
            seconds=300,
            show_leaderboard=False,
            school_class=None,
            keep_in_gradebook=False,
            now=utcnow(),
            rng=random.Random(1),
        )
        joined = [services.join(live, student, "", utcnow()) for student in students]
        for n in range(questions):
            services.control(live, Action.START if n == 0 else Action.NEXT, utcnow())
            for player in joined:
                services.answer(live, player, n + 1, {"answer": ["true"]}, utcnow())
            services.control(live, Action.CLOSE, utcnow())
        db.session.commit()
        started = time.perf_counter()
        services.control(live, Action.END, utcnow())
        db.session.commit()
        return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--players", type=int, nargs="+", default=[30, 100])
    parser.add_argument("--questions", type=int, default=3)
    args = parser.parse_args()
    for players in args.players:
        seconds = end_of_round(players, args.questions)
        answers = players * args.questions
        print(
            f"{players} signed-in players x {args.questions} questions: end took "
            f"{seconds:.2f} s ({1000 * seconds / answers:.1f} ms per answer)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
