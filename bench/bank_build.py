"""Time building a bank of synthetic facts, generation and database load:

    .venv/bin/python bench/bank_build.py [N] [SEED]      (default 5,000 facts)

Target (issue: question bank): under 5 s for 5,000 facts including the database load.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app import create_app  # noqa: E402
from models import db, utcnow  # noqa: E402
from quizzes.bank.builtin import resolve_citations  # noqa: E402
from quizzes.bank.loader import BankSet, load_bank  # noqa: E402
from quizzes.domain.facts import fact_record  # noqa: E402
from quizzes.domain.generator import build_bank  # noqa: E402
from quizzes.domain.generator.synthetic import synthetic_facts  # noqa: E402


def progress(label: str):
    def show(done: int, total: int) -> None:
        print(f"\r{label}: {done}/{total}", end="", file=sys.stderr, flush=True)
        if done == total:
            print(file=sys.stderr)

    return show


def main(argv: list[str]) -> None:
    count = int(argv[1]) if len(argv) > 1 else 5000
    seed = int(argv[2]) if len(argv) > 2 else 0
    base = synthetic_facts(count, seed)

    cpu_started = time.process_time()
    started = time.perf_counter()
    report = build_bank(base, seed, on_progress=progress("generating"))
    generated = time.perf_counter()

    items = [resolve_citations(item, base) for item in report.items]
    by_topic: dict[str, list[str]] = defaultdict(list)
    for item in items:
        by_topic[item["topics"][0]].append(item["key"])
    sets = [BankSet(f"bench-{t}", t, "", keys) for t, keys in sorted(by_topic.items())]
    facts = [fact_record(fact, base) for fact in base.facts]
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(
            {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/bench.sqlite", "SECRET_KEY": "bench"}
        )
        with app.app_context():
            db.create_all()
            prepared = time.perf_counter()
            load_bank(items, sets, facts, utcnow(), on_progress=progress("loading"))
            db.session.commit()
            loaded = time.perf_counter()
            load_bank(items, sets, facts, utcnow())  # the second build: nothing changes
            db.session.commit()
            again = time.perf_counter()
            cpu = time.process_time() - cpu_started
            db.engine.dispose()

    total = (generated - started) + (loaded - prepared)
    print(f"{'facts':<28}{len(base.facts):>10}")
    print(f"{'items':<28}{len(items):>10}")
    print(f"{'generate (s)':<28}{generated - started:>10.2f}")
    print(f"{'load into SQLite (s)':<28}{loaded - prepared:>10.2f}")
    print(f"{'total (s), target < 5':<28}{total:>10.2f}")
    print(f"{'rebuild, unchanged (s)':<28}{again - loaded:>10.2f}")
    print(f"{'CPU time, all of it (s)':<28}{cpu:>10.2f}")
    print(f"{'load average (1 min)':<28}{os.getloadavg()[0]:>10.2f}  on {os.cpu_count()} cores")


if __name__ == "__main__":
    main(sys.argv)
