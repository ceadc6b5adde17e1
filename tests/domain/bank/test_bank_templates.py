"""Each template, on known facts of the built-in bank: the exact key and answer key."""

from __future__ import annotations

import pytest

from quizzes.domain.generator import validate_item
from quizzes.domain.text import fold


def right(item):
    return [o["text"] for o in item["data"]["options"] if o["correct"]]


def wrong(item):
    return {o["text"]: o["why"] for o in item["data"]["options"] if not o["correct"]}


def test_defection_post_single_for_tae(items_by_key):
    item = items_by_key["tpl.defection.post.single:defection.tae"]
    assert item["type"] == "single"
    assert item["prompt"] == "Which post did Tae Yong-ho hold in London when he defected?"
    assert item["data"]["options"][0] == {"text": "deputy ambassador", "correct": True}
    assert wrong(item) == {
        "ambassador": "Tae Yong-ho was deputy ambassador, the number two at the embassy in "
        "London, not the ambassador.",
        "acting ambassador": wrong(item)["acting ambassador"],
    }
    assert wrong(item)["acting ambassador"].startswith("Acting ambassador was ")
    assert item["fact_ids"] == ["defection.tae"]
    assert item["sources"][:3] == ["IND", "EN", "WT"]
    assert item["explanation"].endswith("left his post in summer 2016 (believed July).")


def test_post_distractors_never_include_a_true_or_arguable_description(items_by_key):
    tae = {fold(t) for t in wrong(items_by_key["tpl.defection.post.single:defection.tae"])}
    assert not tae & {
        fold(t)
        for t in (
            "minister",
            "number two at the embassy",
            "counsellor",
            "counsellor for political affairs",
        )
    }
    ri = {fold(t) for t in wrong(items_by_key["tpl.defection.post.single:defection.ri"])}
    assert not ri & {
        fold(t) for t in ("deputy ambassador", "minister", "number two at the embassy")
    }
    assert right(items_by_key["tpl.defection.post.single:defection.ri"]) == [
        "counsellor for political affairs"
    ]
    # Jo and Ryu: every other post is arguable, so there is no post question for them.
    assert "tpl.defection.post.single:defection.jo" not in items_by_key
    assert "tpl.defection.post.single:defection.ryu" not in items_by_key


def test_posting_single_and_its_reasons(items_by_key):
    item = items_by_key["tpl.defection.posting.single:defection.ri"]
    assert right(item) == ["Cuba"]
    assert wrong(item)["London"] == "London was Tae Yong-ho's posting; Ri Il-gyu was in Cuba."
    assert set(wrong(item)) == {"London", "Italy", "Kuwait"}


def test_event_date_single_tae_announcement(items_by_key):
    item = items_by_key["tpl.event.date.single:defection.tae.announced"]
    assert item["prompt"] == "When did South Korea announce Tae Yong-ho's defection?"
    assert right(item) == ["17 August 2016"]
    assert len(item["data"]["options"]) == 4
    for text, why in wrong(item).items():
        assert text != "17 August 2016" and why.startswith(f"{text} was the date of ")


def test_numeric_years_and_counts_have_zero_tolerance(items_by_key):
    expected = {
        "tpl.review_session.recommendations.numeric:upr.cycle3": 262,
        "tpl.review_session.accepted.numeric:upr.cycle3": 132,
        "tpl.review_outcome.rejected.numeric:upr.adoption": 144,
        "tpl.review_outcome.recommendations.numeric:upr.adoption": 294,
        "tpl.event.date.numeric:defection.tae.announced": 2016,
        "tpl.defection.date.numeric:defection.ri": 2023,
        "tpl.resolution.consecutive.numeric:tc.2024": 20,
        "tpl.resolution.since.numeric:tc.annual": 2005,
        "tpl.document.count.numeric:report.basis": 12,
        "tpl.document.defectors.numeric:mou.first_public": 508,
        "tpl.phrase.year.numeric:phrase.despicable_plot": 2017,
        "tpl.statement.hrc_session.numeric:tactic.boycott_2016": 31,
    }
    for key, value in expected.items():
        assert items_by_key[key]["data"]["answers"] == [
            {"value": float(value), "tolerance": 0.0, "fraction": 1.0}
        ], key


def test_report_only_numeric_says_it_is_the_reports_claim(items_by_key):
    item = items_by_key["tpl.statement.year.numeric:report.sensitivity"]
    assert item["prompt"].startswith("According to the Korea Times report,")
    assert item["data"]["answers"][0]["value"] == 2017.0


def test_short_answers_accept_the_romanisations(items_by_key):
    tae = items_by_key["tpl.defection.person.short:defection.tae"]
    # Spellings that differ only by hyphens and spaces are listed once: grading equates them.
    assert [a["text"] for a in tae["data"]["answers"]] == ["Tae Yong-ho", "Thae Yong-ho"]
    assert tae["data"]["romanised"] is True
    ri = items_by_key["tpl.event.person.short:report.presented"]
    assert [a["text"] for a in ri["data"]["answers"]] == ["Ri Il-gyu", "Ri Il Kyu"]
    assert all(a["fraction"] == 1.0 for a in ri["data"]["answers"])


def test_true_and_false_statements(items_by_key):
    true = items_by_key["tpl.event.statement.truefalse:defection.tae.announced"]
    assert true["prompt"] == "South Korea announced Tae Yong-ho's defection on 17 August 2016."
    assert true["data"] == {"answer": True}
    false = items_by_key["tpl.defection.posting.truefalse:defection.ri"]
    assert false["data"] == {"answer": False}
    assert "Cuba" not in false["prompt"]
    assert false["explanation"].startswith("False. ")
    assert "embassy in Cuba" in false["explanation"]
    figure = items_by_key["tpl.review_session.recommendations.truefalse:upr.cycle3"]
    assert figure["prompt"] == (
        "North Korea's 3rd Universal Periodic Review took place on 9 May 2019; it received "
        "294 recommendations and accepted 132."
    )
    assert figure["explanation"].startswith("False. It is 262, not 294. ")


def test_rapporteur_false_term_swaps_a_whole_term(items_by_key):
    item = items_by_key["tpl.rapporteur.term.truefalse:sr.darusman"]
    assert item["data"] == {"answer": False}
    assert item["prompt"].startswith("Marzuki Darusman was UN Special Rapporteur")
    assert "from 2010 to 2016" not in item["prompt"]
    assert item["prompt"].endswith(("from 2004 to 2010.", "from 2016 to 2022."))


def test_phrase_years_are_never_made_false(report):
    phrase_false = [
        item
        for item in report.items
        if item["key"].startswith("tpl.phrase.")
        and item["type"] == "truefalse"
        and item["data"]["answer"] is False
    ]
    assert phrase_false == []


def test_cloze_of_figures_and_of_words(items_by_key):
    figures = items_by_key["tpl.review_session.figures.cloze:upr.cycle3"]
    assert figures["data"] == {
        "text": "North Korea's 3rd Universal Periodic Review took place on 9 May {1}; it "
        "received {2} recommendations and accepted {3}.",
        "blanks": [{"answers": ["2019"]}, {"answers": ["262"]}, {"answers": ["132"]}],
    }
    words = items_by_key["tpl.statement.words.cloze:tactic.never_ever"]
    # The fact lists "never, ever|never ever"; grading equates them, so the blank lists one
    # (a cloze blank, like a short answer, refuses an answer listed twice).
    assert words["data"]["blanks"] == [{"answers": ["never, ever"]}]
    assert '"{1}" be bound' in words["data"]["text"]


def test_defections_in_order(items_by_key):
    item = items_by_key[
        "tpl.defection.order.ordering:defection.jo+defection.ri+defection.ryu+defection.tae"
    ]
    assert item["data"] == {"items": ["Tae Yong-ho", "Jo Song-gil", "Ryu Hyun-woo", "Ri Il-gyu"]}


def test_person_to_post_matching(items_by_key):
    item = items_by_key[
        "tpl.defection.post.matching:defection.jo+defection.ri+defection.ryu+defection.tae"
    ]
    assert {p["left"]: p["right"] for p in item["data"]["pairs"]} == {
        "Tae Yong-ho": "deputy ambassador in London",
        "Ri Il-gyu": "counsellor for political affairs in Cuba",
        "Jo Song-gil": "acting ambassador in Italy",
        "Ryu Hyun-woo": "acting ambassador in Kuwait",
    }


def test_shared_post_multi(items_by_key):
    item = items_by_key["tpl.defection.post.multi:defection.jo+defection.ryu"]
    assert right(item) == ["Jo Song-gil", "Ryu Hyun-woo"]
    assert wrong(item) == {
        "Tae Yong-ho": "Tae Yong-ho was deputy ambassador in London.",
        "Ri Il-gyu": "Ri Il-gyu was counsellor for political affairs in Cuba.",
    }


def test_upr_cycles_matching_and_un_timeline(items_by_key):
    item = items_by_key[
        "tpl.review_session.date.matching:upr.cycle1+upr.cycle2+upr.cycle3+upr.cycle4"
    ]
    assert [(p["left"], p["right"]) for p in item["data"]["pairs"]] == [
        ("1st review", "7 December 2009"),
        ("2nd review", "1 May 2014"),
        ("3rd review", "9 May 2019"),
        ("4th review", "7 November 2024"),
    ]
    # The Third Committee's "2024 resolution" and "2025 resolution" carry their years in
    # their labels, so they stay out of timelines (issue 17); the run is one of seven now.
    order = items_by_key[
        "tpl.timeline.un.ordering:coi.created+coi.report+upr.adoption+upr.cycle1+upr.cycle2"
        "+upr.cycle3+upr.cycle4"
    ]
    assert order["data"]["items"][:5] == [
        "North Korea's 1st Universal Periodic Review",
        "The creation of the Commission of Inquiry",
        "The presentation of the Commission of Inquiry's report",
        "North Korea's 2nd Universal Periodic Review",
        "North Korea's 3rd Universal Periodic Review",
    ]


def test_commission_members(items_by_key):
    countries = items_by_key["tpl.member.country.matching:coi.biserko+coi.darusman+coi.kirby"]
    assert {p["left"]: p["right"] for p in countries["data"]["pairs"]} == {
        "Michael Kirby": "Australia",
        "Sonja Biserko": "Serbia",
        "Marzuki Darusman": "Indonesia",
    }
    chair = items_by_key["tpl.member.chair.single:coi.kirby"]
    assert right(chair) == ["Michael Kirby"]
    assert wrong(chair)["Sonja Biserko"] == (
        "Sonja Biserko was a member of the Commission of Inquiry, not its chair."
    )
    members = items_by_key["tpl.member.body.multi:coi.biserko+coi.darusman+coi.kirby"]
    # Darusman was on the Commission AND a rapporteur: he is right here, never wrong.
    assert right(members) == ["Sonja Biserko", "Marzuki Darusman", "Michael Kirby"]
    assert set(wrong(members)) <= {"Vitit Muntarbhorn", "Tomás Ojea Quintana", "Elizabeth Salmón"}


def test_the_member_who_was_also_rapporteur(items_by_key):
    item = items_by_key["tpl.member.rapporteur.single:coi.darusman+sr.darusman"]
    assert right(item) == ["Marzuki Darusman"]
    assert len(wrong(item)) == 3
    assert "Marzuki Darusman" not in wrong(item)


def test_rapporteurs(items_by_key):
    key = "sr.darusman+sr.muntarbhorn+sr.quintana+sr.salmon"
    assert items_by_key[f"tpl.rapporteur.succession.ordering:{key}"]["data"]["items"] == [
        "Vitit Muntarbhorn",
        "Marzuki Darusman",
        "Tomás Ojea Quintana",
        "Elizabeth Salmón",
    ]
    terms = items_by_key[f"tpl.rapporteur.term.matching:{key}"]["data"]["pairs"]
    assert {p["left"]: p["right"] for p in terms} == {
        "Vitit Muntarbhorn": "from 2004 to 2010",
        "Marzuki Darusman": "from 2010 to 2016",
        "Tomás Ojea Quintana": "from 2016 to 2022",
        "Elizabeth Salmón": "from 1 August 2022",
    }
    first_woman = items_by_key["tpl.rapporteur.person.single:sr.salmon"]
    assert right(first_woman) == ["Elizabeth Salmón"]
    darusman = items_by_key["tpl.rapporteur.person.single:sr.darusman"]
    assert darusman["prompt"] == (
        "Who was UN Special Rapporteur on human rights in the DPRK from 2010 to 2016?"
    )
    assert right(darusman) == ["Marzuki Darusman"]


def test_phrase_to_year_matching(report):
    truth = {
        '"human rights racket"': "2014",
        '"vicious hostile policy"': "2014",
        '"despicable plot"': "2017",
        '"political plot"': "2020",
        '"human trash"': "2020",
    }
    matchings = [i for i in report.items if i["key"].startswith("tpl.phrase.year.matching:")]
    assert len(matchings) == 2
    for item in matchings:
        pairs = {p["left"]: p["right"] for p in item["data"]["pairs"]}
        assert sorted(pairs.values()) == ["2014", "2017", "2020"]
        assert all(truth[left] == year for left, year in pairs.items())


def test_tactics_multi_uses_curated_false_tactics(items_by_key, builtin):
    item = items_by_key[
        "tpl.tactic.cables.multi:tactic.dialogue_impossible+tactic.expose_falsehoods"
        "+tactic.not_routine"
    ]
    assert right(item) == [
        "arguing that groups relying on defector testimony make dialogue impossible",
        'exposing "falsehoods" in defector testimony',
        "keeping the human-rights debate from becoming routine",
    ]
    pool = {o.text: o.why for o in builtin.pools["tactics.false"].options}
    assert len(wrong(item)) == 2
    assert all(pool[text] == why for text, why in wrong(item).items())


def test_every_kind_of_item_from_every_template_is_valid(report, builtin):
    templates = {item["key"].split(":")[0] for item in report.items}
    assert len(templates) >= 40
    for item in report.items:
        assert validate_item(item, builtin) == [], item["key"]


@pytest.mark.parametrize(
    "fact_id",
    [
        "defection.tae",
        "upr.cycle3",
        "coi.kirby",
        "sr.salmon",
        "phrase.racket",
        "tactic.deflection",
        "admission.reeducation",
        "mou.first_public",
        "tc.2024",
        "report.basis",
        "upr.adoption",
    ],
)
def test_each_kind_gives_several_item_types_per_fact(report, fact_id):
    types = {item["type"] for item in report.items if item["fact_ids"] == [fact_id]}
    assert len(types) >= 3, types
