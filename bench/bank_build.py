"""Time the bank generator on synthetic facts: python bench/bank_build.py [N] [SEED]."""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from quizzes.domain.generator import build_bank  # noqa: E402
from quizzes.domain.generator.synthetic import synthetic_facts  # noqa: E402


def main(argv: list[str]) -> None:
    count = int(argv[1]) if len(argv) > 1 else 5000
    seed = int(argv[2]) if len(argv) > 2 else 0
    base = synthetic_facts(count, seed)
    started = time.perf_counter()
    report = build_bank(base, seed)
    seconds = time.perf_counter() - started
    print(
        f"facts {len(base.facts)}  items {len(report.items)}  rejected {len(report.rejected)}  "
        f"skipped {len(report.skipped)}  seconds {seconds:.2f}"
    )


if __name__ == "__main__":
    main(sys.argv)
