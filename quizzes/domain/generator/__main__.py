"""python -m quizzes.domain.generator [--seed N] [--facts DIR]: build the bank, print a summary."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from quizzes.domain.facts import BUILTIN_DATA_DIR, load_fact_dir
from quizzes.domain.generator.build import build_bank


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m quizzes.domain.generator")
    parser.add_argument("--seed", default="0", help="build seed (default 0)")
    parser.add_argument("--facts", type=Path, default=BUILTIN_DATA_DIR, help="fact-file folder")
    args = parser.parse_args(argv)
    loaded = load_fact_dir(args.facts)
    if loaded.base is None:
        for error in loaded.errors:
            print(error, file=sys.stderr)
        return 1
    report = build_bank(loaded.base, args.seed)
    print(f"{len(loaded.base.facts)} facts from {args.facts}")
    print(report.summary())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
