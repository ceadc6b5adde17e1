"""The inputs and outputs of the export-baseline check (test_interop_export_baseline.py).

The outputs in fixtures/export_baseline/ were written on main before the item types were
split into one module each, so the check proves that the split changed no exported byte.
Regenerate them only for an intended change of an export format:
    .venv/bin/python -m tests.domain.interop.export_baseline
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from quizzes.domain.interop import (
    from_aiken,
    from_csv,
    from_gift,
    from_json,
    to_aiken,
    to_csv,
    to_gift,
    to_json,
)

FIXTURES = Path(__file__).parent / "fixtures"
BASELINE = FIXTURES / "export_baseline"
INPUTS = BASELINE / "inputs.json"
MOODLE = Path(__file__).parents[2] / "data" / "moodle_gift"


def collect_inputs() -> dict[str, dict[str, Any]]:
    """Named item lists to export: the built-in bank, the test fixtures, Moodle's samples."""
    from quizzes.bank.builtin import build_builtin
    from tests.fixtures_items import ITEMS

    groups: dict[str, dict[str, Any]] = {}
    from quizzes.teach.services import source_label

    # As the set export sees them (teach.services.item_as_dict): citations as lines.
    bank = [
        {**item, "sources": [source_label(source) for source in item["sources"]]}
        for item in build_builtin(0).items
    ]
    groups["builtin_bank"] = {"meta": {"title": "Built-in bank"}, "items": bank}
    fixture_items = [{"sources": [], "difficulty": 0.5, **item} for item in ITEMS]
    groups["fixture_items"] = {"meta": {"title": "Fixture items"}, "items": fixture_items}
    all_types = from_json((FIXTURES / "all_types.json").read_bytes())
    groups["all_types"] = {"meta": all_types.meta, "items": all_types.items}
    for name, reader in (
        ("sample.gift", from_gift),
        ("sample.csv", from_csv),
        ("sample_aiken.txt", from_aiken),
    ):
        result = reader((FIXTURES / name).read_bytes())
        groups[name] = {"meta": {"title": name}, "items": result.items}
    for path in sorted(MOODLE.glob("*.txt")):
        result = from_gift(path.read_bytes())
        if result.items:
            groups[f"moodle_{path.stem}"] = {"meta": {"title": path.name}, "items": result.items}
    invalid, *edge_cases = _edge_cases()
    groups["edge_cases"] = {"meta": {"title": "Edge cases"}, "items": edge_cases}
    groups["edge_invalid"] = {"meta": {"title": "Invalid"}, "items": [invalid]}
    return groups


def _edge_cases() -> list[dict[str, Any]]:
    """Items some formats cannot write, or that no format can: each reports why."""

    def item(key: str, item_type: str, prompt: str, data: dict[str, Any]) -> dict[str, Any]:
        return {
            "key": key,
            "type": item_type,
            "prompt": prompt,
            "data": data,
            "explanation": "",
            "sources": [],
            "topics": ["edge"],
            "difficulty": 0.5,
            "fact_ids": [],
        }

    return [
        item("edge.no-right", "single", "Which?", {"options": [{"text": "A"}, {"text": "B"}]}),
        item("edge.key\nline", "truefalse", "Line?", {"answer": True}),
        item(
            "edge.two-blanks",
            "cloze",
            "",
            {"text": "{1} and {2}", "blanks": [{"answers": ["a"]}, {"answers": ["b"]}]},
        ),
        item("edge.order", "ordering", "Order", {"items": ["one", "two", "three"]}),
        item(
            "edge.arrow",
            "matching",
            "Match",
            {
                "pairs": [{"left": "a -> b", "right": "c"}, {"left": "d", "right": "e"}],
                "distractors": [],
            },
        ),
    ]


def export_all(meta: dict[str, Any], items: list[dict[str, Any]]) -> dict[str, str]:
    """Every text export of `items`, and the issues of those that report them."""
    gift, gift_issues = to_gift(items)
    aiken, aiken_issues = to_aiken(items)
    issues = {
        "gift": [[i.index, i.key, i.message, i.dropped] for i in gift_issues],
        "aiken": [[i.index, i.key, i.message, i.dropped] for i in aiken_issues],
    }
    return {
        "gift": gift,
        "aiken.txt": aiken,
        "csv": _or_refusal(to_csv, items),
        "json": _or_refusal(lambda items: to_json(meta, items), items),
        "issues.json": json.dumps(issues, ensure_ascii=False, indent=1) + "\n",
    }


def _or_refusal(writer: Callable[[list[dict[str, Any]]], str], items: list[dict[str, Any]]) -> str:
    try:
        return writer(items)
    except ValueError as exc:  # CSV and JSON refuse a whole file with an invalid item
        return f"ValueError: {exc}\n"


def write_baseline() -> None:
    groups = collect_inputs()
    INPUTS.write_text(json.dumps(groups, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    for name, group in groups.items():
        for extension, text in export_all(group["meta"], group["items"]).items():
            (BASELINE / f"{name}.{extension}").write_bytes(text.encode("utf-8"))


if __name__ == "__main__":
    write_baseline()
