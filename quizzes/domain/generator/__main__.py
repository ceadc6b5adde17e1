"""python -m quizzes.domain.generator [--seed N] [--facts DIR]: build the bank, print a summary
and what the item-writing checker finds (errors item by item, warnings counted by rule)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from quizzes.domain.checker import Severity, check_items, counts
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
    findings = check_items(report.items, loaded.base)
    print(f"item-writing checker: {counts(findings)}")
    for finding in findings:
        if finding.severity is Severity.ERROR:
            print(f"  {finding.item_key}: {finding.rule}: {finding.message}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
