"""The real built-in bank (quizzes/bank/data) against issue 17's acceptance targets and the
re-checked fact sheet: levels, bare dates, true/false balance, core facts asked, balance
toward the core, the checker, and the corrected facts."""

from __future__ import annotations

from collections import Counter, defaultdict

from quizzes.domain.checker import check_items
from quizzes.domain.checker.profile import asks_bare_date_or_number, profile
from quizzes.domain.facts import Status


def test_checker_finds_no_error_in_the_bank(bank, bank_report):
    errors = [f for f in check_items(bank_report.items, bank) if f.severity == "error"]
    assert errors == []


def test_at_least_35_percent_of_items_ask_above_recall(bank_report):
    levels = profile(bank_report.items)["levels"]
    above = levels["understand"] + levels["analyse"]
    assert above / sum(levels.values()) >= 0.35, levels
    assert levels["understand"] and levels["analyse"]


def test_at_most_25_percent_ask_for_a_bare_date_or_number(bank_report):
    bare = sum(asks_bare_date_or_number(item) for item in bank_report.items)
    assert bare / len(bank_report.items) <= 0.25


def test_true_false_keys_are_40_to_60_percent_true_in_every_topic(bank_report):
    keys: dict[str, list[bool]] = defaultdict(list)
    for item in bank_report.items:
        if item["type"] == "truefalse":
            for topic in item["topics"]:
                keys[topic].append(item["data"]["answer"])
    assert keys
    for topic, answers in keys.items():
        assert 0.4 <= sum(answers) / len(answers) <= 0.6, (topic, answers)


def test_every_fact_with_a_true_statement_has_a_false_one(bank_report):
    answers: dict[str, set[bool]] = defaultdict(set)
    for item in bank_report.items:
        if item["type"] == "truefalse" and len(item["fact_ids"]) == 1:
            answers[item["fact_ids"][0]].add(item["data"]["answer"])
    assert answers
    assert {fact_id for fact_id, seen in answers.items() if seen == {True}} == set()


def test_every_core_fact_is_asked_by_an_item_that_is_not_true_false(bank, bank_report):
    core = {fact.id for fact in bank.facts if fact.core and fact.status is not Status.UNVERIFIED}
    asked = {
        f for item in bank_report.items if item["type"] != "truefalse" for f in item["fact_ids"]
    }
    assert len(core) >= 25
    assert core - asked == set()


def test_the_bank_leans_toward_its_core(bank, bank_report):
    per_fact = Counter(fact_id for item in bank_report.items for fact_id in item["fact_ids"])
    usable = [fact for fact in bank.facts if fact.status is not Status.UNVERIFIED]
    core = [per_fact[f.id] for f in usable if f.core]
    background = [per_fact[f.id] for f in usable if not f.core]
    assert sum(core) / len(core) > sum(background) / len(background)
    later_career = {"defection.tae.gangnam", "defection.tae.lost", "defection.tae.puac"}
    tae_later = [i for i in bank_report.items if later_career & set(i["fact_ids"])]
    admissions = [i for i in bank_report.items if "admissions" in i["topics"]]
    assert len(tae_later) < len(admissions)


def _items_about(report, fact_id, types=None):
    return [
        item
        for item in report.items
        if fact_id in item["fact_ids"] and (types is None or item["type"] in types)
    ]


def test_the_seeds_main_points_are_asked_as_real_questions(bank_report):
    keys = {item["key"] for item in bank_report.items}
    # Pak Kwang-ho's three cases, and 2009 as the first admission.
    assert "tpl.admission.cases.single:admission.public_executions" in keys
    first = [k for k in keys if k.endswith("+compare.first_admission")]
    assert first and any(k.endswith("+compare.executions_2009_2024") for k in keys)
    # Kim treating the criticism as a threat to his rule; the defections and the tactics.
    assert any(k.endswith("+cause.first_battlefield") for k in keys)
    assert any(k.endswith("+cause.tae_tactics") for k in keys)
    # What the cables show against what only the report claims.
    assert any(k.startswith("tpl.evidence.report_only.single:") for k in keys)
    assert any(k.startswith("tpl.evidence.cables.single:") for k in keys)


def test_corrected_facts_follow_the_rechecked_sheet(bank, bank_report):
    coi = bank.fact("coi.report")
    assert "dated 7 February 2014" in coi.statement()
    assert "made public on 17 February 2014" in coi.statement()
    plot = bank.fact("phrase.despicable_plot")
    assert "Security Council's meeting" in plot.statement() and "12 December 2017" in plot.text
    arrived = bank.fact("defection.jo.arrived")
    assert arrived.sources == ("ARABY",) and "date" not in arrived.fields
    assert _items_about(bank_report, "defection.jo.arrived") == []
    # The adopted outcome's pair (294 / 144) only: the draft's 306 / 88 never appear.
    for item in _items_about(bank_report, "upr.adoption"):
        text = f"{item['prompt']} {item['data']} {item['explanation']}"
        assert "306" not in text and " 88 " not in text


def test_no_weak_or_giveaway_options_named_in_the_issue(bank_report):
    texts = " ".join(f"{item['prompt']} {item['data']}".casefold() for item in bank_report.items)
    for weak in (
        "accepting that the human rights council's resolutions bind",
        "welcoming defectors back",
        "treating groups that rely on defector testimony as partners",
        "beijing and moscow",
        "presented on 19 november 2025",
        "marzuki darusman of australia",
    ):
        assert weak not in texts, weak
    for item in bank_report.items:
        if item["type"] == "matching":
            assert item["data"]["distractors"], item["key"]
