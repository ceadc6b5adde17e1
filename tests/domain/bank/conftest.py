"""Shared fixtures for the bank tests: the built-in facts and one build of them."""

from __future__ import annotations

import pytest

from quizzes.domain.facts import FactBase, load_builtin
from quizzes.domain.generator import BuildReport, build_bank


@pytest.fixture(scope="session")
def builtin() -> FactBase:
    return load_builtin()


@pytest.fixture(scope="session")
def report(builtin: FactBase) -> BuildReport:
    return build_bank(builtin, 0)


@pytest.fixture(scope="session")
def items_by_key(report: BuildReport) -> dict[str, dict]:
    return {item["key"]: item for item in report.items}
