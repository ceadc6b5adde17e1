"""Shared fixtures for the bank tests: known facts and one build of them.

`builtin` is a frozen copy of the bank's fact files (tests/data/bank_facts_2026_11), so the
template tests assert exact keys and answers on facts that do not move; tests of the real
bank's content use `bank` and `bank_report`.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from quizzes.domain.facts import FactBase, load_builtin, load_fact_dir
from quizzes.domain.generator import BuildReport, build_bank

FROZEN_FACTS = Path(__file__).resolve().parents[2] / "data" / "bank_facts_2026_11"


@pytest.fixture(scope="session")
def builtin() -> FactBase:
    result = load_fact_dir(FROZEN_FACTS)
    assert result.base is not None, result.errors
    return result.base


@pytest.fixture(scope="session")
def bank() -> FactBase:
    """The real built-in bank (quizzes/bank/data)."""
    return load_builtin()


@pytest.fixture(scope="session")
def bank_report(bank: FactBase) -> BuildReport:
    return build_bank(bank, 0)


@pytest.fixture(scope="session")
def report(builtin: FactBase) -> BuildReport:
    return build_bank(builtin, 0)


@pytest.fixture(scope="session")
def items_by_key(report: BuildReport) -> dict[str, dict]:
    return {item["key"]: item for item in report.items}


@pytest.fixture(scope="session")
def bank_items_by_key(bank_report: BuildReport) -> dict[str, dict]:
    return {item["key"]: item for item in bank_report.items}
