"""`flask bank build` runs the item-writing checker; `bank stats` and `bank items` report."""

from __future__ import annotations

import copy
import json

import pytest
from sqlalchemy import select

from models import Item, db
from quizzes.bank import builtin
from quizzes.domain.checker import Severity, check_items
from quizzes.domain.facts import load_builtin

BAD_KEY = "tpl.defection.person.single:defection.tae"


@pytest.fixture
def with_a_flawed_item(monkeypatch):
    """The real bank, with one item given an "All of the above" option."""
    real_build = builtin.build_bank

    def build_with_flaw(base, seed=0, on_progress=None):
        report = real_build(base, seed=seed, on_progress=on_progress)
        items = [copy.deepcopy(item) for item in report.items]
        flawed = next(item for item in items if item["key"] == BAD_KEY)
        flawed["data"]["options"][-1]["text"] = "All of the above"
        return type(report)(tuple(items), report.rejected, report.skipped, report.excluded_facts)

    monkeypatch.setattr(builtin, "build_bank", build_with_flaw)


def test_build_rejects_an_item_with_a_checker_error_and_says_why(app, runner, with_a_flawed_item):
    result = runner.invoke(args=["bank", "build"])
    assert result.exit_code == 0, result.output
    assert f"{BAD_KEY}: all_or_none_of_the_above: the option 'All of the above'" in result.output
    with app.app_context():
        keys = set(db.session.scalars(select(Item.key)))
    assert BAD_KEY not in keys
    assert len(keys) >= 200
    stats = json.loads(runner.invoke(args=["bank", "stats"]).output)
    rejected = {entry["key"]: entry["errors"] for entry in stats["rejected_by_checker"]}
    assert any(e.startswith("all_or_none_of_the_above") for e in rejected[BAD_KEY])


def test_no_loaded_bank_item_has_a_checker_error(app, runner):
    runner.invoke(args=["bank", "build", "--quiet"])
    with app.app_context():
        items = [
            {
                "key": i.key,
                "type": i.type,
                "prompt": i.prompt,
                "data": i.data,
                "explanation": i.explanation,
                "topics": i.topics,
                "fact_ids": i.fact_ids,
            }
            for i in db.session.scalars(select(Item))
        ]
    errors = [f for f in check_items(items, load_builtin()) if f.severity is Severity.ERROR]
    assert errors == []


def test_stats_report_levels_true_false_bare_answers_and_the_checker(runner):
    runner.invoke(args=["bank", "build", "--quiet"])
    stats = json.loads(runner.invoke(args=["bank", "stats"]).output)
    assert set(stats["levels"]) == {"remember", "understand", "analyse"}
    assert sum(stats["levels"].values()) == stats["items"]
    true_false = stats["true_false"]
    assert set(true_false) == {"true", "false"}
    assert true_false["true"] + true_false["false"] == stats["items_by_type"]["truefalse"]
    numeric = stats["items_by_type"]["numeric"]
    assert numeric <= stats["bare_date_or_number"] < stats["items"]
    checker = stats["checker"]
    assert set(checker) == {"errors", "warnings"}
    assert checker["errors"] >= len(stats["rejected_by_checker"])
    assert all(isinstance(n, int) and n > 0 for n in checker["warnings"].values())


def test_items_prints_json_lines_filtered_by_type_and_search(runner):
    runner.invoke(args=["bank", "build", "--quiet"])
    every = [json.loads(line) for line in runner.invoke(args=["bank", "items"]).output.splitlines()]
    assert len(every) >= 200
    assert set(every[0]) == {"id", "key", "type", "level", "prompt", "accepted_answers"}
    shorts = runner.invoke(args=["bank", "items", "--type", "short"]).output.splitlines()
    assert shorts and all(json.loads(line)["type"] == "short" for line in shorts)
    assert len(shorts) < len(every)
    found = [
        json.loads(line)
        for line in runner.invoke(args=["bank", "items", "--search", "GANGNAM"]).output.splitlines()
    ]
    assert found and all("gangnam" in (f["prompt"] + f["key"]).casefold() for f in found)
    seat = next(f for f in found if f["type"] == "short")
    assert seat["accepted_answers"][0] == "Gangnam A"
    truefalse = next(f for f in every if f["type"] == "truefalse")
    assert truefalse["accepted_answers"] in (["True"], ["False"])
    romanised = runner.invoke(args=["bank", "items", "--search", "Thae Yong Ho"]).output
    assert "Tae Yong-ho" in romanised
    who = [
        json.loads(line)
        for line in runner.invoke(args=["bank", "items", "--type", "short"]).output.splitlines()
        if "tpl.defection.person.short:defection.tae" in line
    ]
    # Listed answers first, then the spellings derived from the name in Hangul.
    assert who[0]["accepted_answers"][:2] == ["Tae Yong-ho", "Thae Yong-ho"]
    assert "Tae Yeong-ho" in who[0]["accepted_answers"]
    bad_type = runner.invoke(args=["bank", "items", "--type", "drawing"])
    assert bad_type.exit_code != 0 and "drawing" in bad_type.output
