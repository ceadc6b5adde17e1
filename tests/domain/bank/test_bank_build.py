"""The whole built-in bank: volume, coverage, determinism, stable keys, safety."""

from __future__ import annotations

import re
from dataclasses import replace

from quizzes.domain.facts import PartialDate, Status
from quizzes.domain.generator import build_bank
from quizzes.domain.generator.synthetic import synthetic_facts
from quizzes.domain.generator.templates import GROUP_TEMPLATES
from quizzes.domain.generator.validate import item_texts


def test_at_least_200_items_of_at_least_6_types(report):
    assert len(report.items) >= 200
    counts = report.count_by_type()
    assert set(counts) == {
        "single",
        "multi",
        "truefalse",
        "short",
        "numeric",
        "ordering",
        "matching",
        "cloze",
    }
    assert all(count >= 3 for count in counts.values())


def test_every_item_cites_known_sources_of_its_facts(report, builtin):
    for item in report.items:
        assert item["sources"], item["key"]
        assert set(item["sources"]) <= set(builtin.sources), item["key"]
        for fact_id in item["fact_ids"]:
            assert set(builtin.fact(fact_id).sources) <= set(item["sources"]), item["key"]
        # Citations are shown from `sources`; the explanation carries no raw keys.
        assert "Sources:" not in item["explanation"], item["key"]


def test_no_item_says_political_prison_camps_were_admitted(report):
    for item in report.items:
        text = " ".join(item_texts(item)).lower()
        assert "admitted political prison camps" not in text
        assert not re.search(r"admit\w*[^.]{0,60}political prison camp", text), item["key"]


def test_no_item_is_built_from_an_unverified_fact(report, builtin):
    unverified = {f.id for f in builtin.facts if f.status is Status.UNVERIFIED}
    assert set(report.excluded_facts) == unverified
    for item in report.items:
        assert not unverified & set(item["fact_ids"]), item["key"]
        text = " ".join(item_texts(item))
        assert "vicious plot" not in text and "12 November 2024" not in text, item["key"]


def test_report_only_facts_are_worded_as_the_reports_claim(report, builtin):
    report_only = {f.id for f in builtin.facts if f.status is Status.REPORT_ONLY}
    using = [i for i in report.items if report_only & set(i["fact_ids"])]
    assert len(using) >= 4
    for item in using:
        asked = item["prompt"] + " " + str(item["data"].get("text", ""))
        assert "report" in asked.lower(), item["key"]


def test_same_facts_and_seed_give_the_same_items(builtin, report):
    again = build_bank(builtin, 0)
    assert again.items == report.items
    assert again.rejected == report.rejected


def test_keys_do_not_depend_on_the_seed_or_on_positions(builtin, report):
    other_seed = build_bank(builtin, 12345)
    assert [i["key"] for i in other_seed.items] == [i["key"] for i in report.items]
    reversed_base = replace(builtin, facts=tuple(reversed(builtin.facts)))
    assert {i["key"] for i in build_bank(reversed_base, 0).items} == {
        i["key"] for i in report.items
    }


def test_keys_survive_adding_an_unrelated_fact(builtin, report):
    template = builtin.fact("defection.tae.lost")
    extra = replace(
        template,
        id="extra.unrelated",
        label="an unrelated event",
        text="Something unrelated happened in {date}.",
        fields={"date": PartialDate(2010, 6)},
        topics=("elsewhere",),
        timelines=(),
        ask={"date": "When did something unrelated happen?"},
    )
    grown = build_bank(builtin.with_facts([extra]), 0)
    old = {i["key"] for i in report.items}
    new = {i["key"] for i in grown.items}
    assert old <= new
    assert {k for k in new - old} == {
        "tpl.event.date.single:extra.unrelated",
        "tpl.event.date.numeric:extra.unrelated",
        "tpl.event.statement.truefalse:extra.unrelated",
        "tpl.event.date.truefalse:extra.unrelated",
        "tpl.event.figures.cloze:extra.unrelated",
    }


def test_options_keep_the_right_answer_first_for_single_choice(report):
    for item in report.items:
        if item["type"] == "single":
            assert item["data"]["options"][0]["correct"] is True, item["key"]


def test_difficulty_is_in_range_and_keys_are_unique(report):
    keys = [i["key"] for i in report.items]
    assert len(keys) == len(set(keys))
    assert all(0 < i["difficulty"] < 1 for i in report.items)


def test_the_only_rejections_are_answers_given_away_by_the_prompt(report):
    assert report.rejected
    assert all("appears in its own prompt" in r.reason for r in report.rejected)


def test_progress_is_reported_to_the_end(builtin):
    calls = []
    build_bank(builtin, 0, on_progress=lambda done, total: calls.append((done, total)))
    total = calls[-1][1]
    assert calls == [(done, total) for done in range(1, total + 1)]
    usable = sum(f.status is not Status.UNVERIFIED for f in builtin.facts)
    assert total == usable + len(GROUP_TEMPLATES)


def test_summary_lists_counts_and_rejections(report):
    summary = report.summary()
    assert summary.startswith(f"{len(report.items)} items, {len(report.rejected)} rejected")
    assert "by type:  cloze" in summary
    assert report.rejected[0].key in summary


def test_synthetic_facts_are_deterministic_and_build():
    first = synthetic_facts(300, 7)
    second = synthetic_facts(300, 7)
    assert len(first.facts) == 300
    assert [f.statement() for f in first.facts] == [f.statement() for f in second.facts]
    assert {f.kind for f in first.facts} >= {"event", "defection", "member", "rapporteur"}
    built = build_bank(first, 7)
    assert len(built.items) > 1000
    assert built.rejected == ()
    assert len({i["type"] for i in built.items}) == 8


def test_person_name_short_answers_fold_romanisations(builtin):
    from random import Random

    from quizzes.domain.itemtypes import REGISTRY

    items = [i for i in build_bank(builtin, seed=0).items if i["type"] == "short"]
    names = [i for i in items if i["data"].get("romanised")]
    assert names, "some short answers are people's names"
    tae = next(i for i in names if i["data"]["answers"][0]["text"] == "Tae Yong-ho")
    view, key = REGISTRY["short"].present(tae["data"], Random(0))
    assert REGISTRY["short"].grade(view, key, "thae yong ho").score == 1.0
    assert not any(i["data"].get("romanised") for i in items if "seat" in i["key"])


def test_every_built_in_item_passes_the_quiz_and_editor_rules(builtin):
    from quizzes.domain.itemtypes import validate_item as validate_for_type

    for item in build_bank(builtin, seed=0).items:
        assert validate_for_type(item) == [], item["key"]


def test_building_stops_at_the_first_item_past_max_items(builtin, report):
    """An uploaded fact file makes at most limits.ITEMS_PER_IMPORT items: past it the
    generator stops instead of making them all (issue 15, finding 6)."""
    capped = build_bank(builtin, 0, max_items=25)
    assert len(capped.items) == 26
    assert capped.items == report.items[:26]  # the same items, in the same order
    assert build_bank(builtin, 0, max_items=len(report.items)).items == report.items
