"""Exports are byte-identical to those written on main before the item-type split.

fixtures/export_baseline/inputs.json holds frozen item lists (the built-in bank as the set
export sees it, the test fixtures, Moodle's samples, edge cases); the other files there are
what GIFT, Aiken, CSV and JSON made of them then (see export_baseline.py).
"""

from __future__ import annotations

import json

import pytest

from tests.domain.interop.export_baseline import BASELINE, INPUTS, export_all

GROUPS = json.loads(INPUTS.read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", sorted(GROUPS))
def test_exports_match_the_baseline(name: str) -> None:
    group = GROUPS[name]
    for extension, text in export_all(group["meta"], group["items"]).items():
        expected = (BASELINE / f"{name}.{extension}").read_bytes()
        assert text.encode("utf-8") == expected, f"{name}.{extension} changed"


def test_the_baseline_covers_every_item_type_of_its_time() -> None:
    """The eight types there were when it was written (a later type has its own tests)."""
    exported = {item["type"] for group in GROUPS.values() for item in group["items"]}
    assert exported == {
        "single",
        "multi",
        "truefalse",
        "short",
        "numeric",
        "ordering",
        "matching",
        "cloze",
    }
