"""Relations between facts and the templates above recall, on small fact files written here.

Each template is run on facts whose truth is known, so the tests assert exact keys, answers,
levels and reasons; the loader tests show each malformed relation is refused with its line.
"""

from __future__ import annotations

import pytest

from quizzes.domain.facts import load_fact_texts
from quizzes.domain.generator import build_bank, validate_item

SOURCES = """
[sources.S]
ref = "a source"
[sources.T]
ref = "another source"
"""

PEOPLE = """
[[people]]
name = "Ann Lee"
groups = ["official"]
who = "the minister"
[[people]]
name = "Bo Kim"
groups = ["official"]
who = "the envoy"
"""

FACTS = """
[[facts]]
id = "t.boycott"
kind = "tactic"
status = "V"
core = true
label = "the boycott"
topics = ["tactics"]
sources = ["S"]
text = "The state boycotted the council's sessions on it."
explain = "It stayed away rather than answer."
[[facts.false]]
text = "The state attended every council session on it."
why = "It boycotted them."
level = "understand"

[[facts]]
id = "t.walkout"
kind = "tactic"
status = "V"
label = "the walkout"
topics = ["tactics"]
sources = ["S"]
text = "The envoy walked out after the committee's vote."
[[facts.false]]
text = "The envoy stayed for the committee's whole debate."
why = "He walked out after the vote."

[[facts]]
id = "t.deflect"
kind = "tactic"
status = "V"
label = "the deflection"
topics = ["tactics"]
sources = ["T"]
text = "Diplomats were told to publicise other states' problems."
[[facts.false]]
text = "Diplomats were told never to mention other states' problems."
why = "They were told to publicise them."

[[facts]]
id = "t.rally"
kind = "tactic"
status = "V"
label = "the rally"
topics = ["tactics"]
sources = ["T"]
text = "The state rallied countries under similar pressure."
[[facts.false]]
text = "The state kept apart from countries under similar pressure."
why = "It rallied them."

[[facts]]
id = "r.claim"
kind = "statement"
status = "R"
label = "the report's claim"
topics = ["tactics"]
sources = ["S"]
text = "The report says the leader grew more sensitive after 2017."

[[facts]]
id = "r.link"
kind = "statement"
status = "R"
label = "the report's link"
topics = ["tactics"]
sources = ["S"]
text = "The report links a defection to new tactics."

[[facts]]
id = "u.rumour"
kind = "statement"
status = "U"
label = "a rumour"
topics = ["tactics"]
sources = ["S"]
text = "A rumour."
"""

RELATIONS = """
[[relations]]
id = "response.sessions"
kind = "response"
facts = ["t.boycott"]
threat = "debates on its record"
response = "boycotting the council"
[[relations.wrong]]
text = "skipping its periodic reviews"
why = "It took part in its reviews."
sources = ["T"]

[[relations]]
id = "response.vote"
kind = "response"
facts = ["t.walkout"]
threat = "the committee's resolution"
response = "walking out after the vote"

[[relations]]
id = "response.criticism"
kind = "response"
facts = ["t.deflect"]
threat = "criticism of its own record"
response = "publicising other states' problems"

[[relations]]
id = "cause.why"
kind = "cause"
facts = ["t.boycott", "t.walkout"]
question = "Why did the state fight the criticism so hard?"
because = "It saw a threat to its rule"
[[relations.wrong]]
text = "It left the matter to diplomats"
why = "The leader gave the orders."
[[relations.wrong]]
text = "It wanted to accept the resolutions"
why = "It rejected them."

[[relations]]
id = "compare.then_now"
kind = "compare"
level = "analyse"
facts = ["t.boycott", "t.walkout"]
question = "What did the walkout add to the boycott?"
answer = "A protest inside the room"
[[relations.wrong]]
text = "An acceptance of the vote"
why = "The envoy walked out after it."
[[relations.wrong]]
text = "A return to the sessions"
why = "The boycott went on."

[[relations]]
id = "evidence.boycott"
kind = "evidence"
facts = ["t.boycott"]
claim = "The state boycotted the sessions."
support = "cables"

[[relations]]
id = "evidence.deflect"
kind = "evidence"
facts = ["t.deflect"]
claim = "Diplomats were to publicise other states' problems."
support = "cables"

[[relations]]
id = "evidence.sensitive"
kind = "evidence"
facts = ["r.claim"]
claim = "The leader grew more sensitive after 2017."
support = "report"

[[relations]]
id = "evidence.link"
kind = "evidence"
facts = ["r.link"]
claim = "A defection led to new tactics."
support = "report"

[[relations]]
id = "sequence.steps"
kind = "sequence"
facts = ["t.boycott", "t.walkout", "t.deflect"]
question = "Put these steps in the order they followed from one another, earliest first."
steps = ["First step", "Second step", "Third step"]
"""


def load(*texts: str, relations: str = RELATIONS):
    files = {"sources.toml": SOURCES, "people.toml": PEOPLE, "facts.toml": FACTS}
    files["relations.toml"] = relations
    for index, text in enumerate(texts):
        files[f"extra{index}.toml"] = text
    return load_fact_texts(files)


@pytest.fixture(scope="module")
def base():
    result = load()
    assert result.ok, result.errors
    return result.base


@pytest.fixture(scope="module")
def items(base):
    report = build_bank(base, 0)
    assert not report.rejected, report.rejected
    return {item["key"]: item for item in report.items}


def right(item):
    return [o["text"] for o in item["data"]["options"] if o["correct"]]


def wrong(item):
    return {o["text"]: o["why"] for o in item["data"]["options"] if not o["correct"]}


# -- the format ---------------------------------------------------------------------------


def test_relations_load_with_their_kinds_facts_and_wrong_answers(base):
    by_id = {relation.id: relation for relation in base.relations}
    assert set(by_id) >= {"response.sessions", "cause.why", "evidence.sensitive"}
    response = by_id["response.sessions"]
    assert response.kind == "response" and response.facts == ("t.boycott",)
    assert response.text == {
        "threat": "debates on its record",
        "response": "boycotting the council",
    }
    assert response.wrong[0].why == "It took part in its reviews."
    assert by_id["compare.then_now"].level == "analyse"
    assert by_id["sequence.steps"].steps == ("First step", "Second step", "Third step")


def test_a_fact_carries_its_false_statements_explanation_and_flags(base):
    boycott = base.fact("t.boycott")
    assert boycott.core is True and base.fact("t.walkout").core is False
    assert boycott.explain == "It stayed away rather than answer."
    assert boycott.false_statements[0].text == "The state attended every council session on it."
    assert boycott.false_statements[0].level == "understand"
    assert boycott.truefalse is True and boycott.figures_cloze is True


@pytest.mark.parametrize(
    ("relation", "message"),
    [
        ('id = "x.y"\nkind = "hunch"\nfacts = ["t.boycott"]', "unknown kind 'hunch'"),
        (
            'id = "x.y"\nkind = "response"\nfacts = ["t.nothing"]\nthreat = "a"\nresponse = "b"',
            "unknown fact 't.nothing'",
        ),
        (
            'id = "x.y"\nkind = "response"\nfacts = ["u.rumour"]\nthreat = "a"\nresponse = "b"',
            "rests on U fact 'u.rumour'",
        ),
        (
            'id = "x.y"\nkind = "cause"\nfacts = ["r.claim"]\nquestion = "Why?"\nbecause = "b"',
            "does not mention the report",
        ),
        ('id = "x.y"\nkind = "response"\nfacts = ["t.boycott"]\nthreat = "a"', "needs `response`"),
        (
            'id = "x.y"\nkind = "evidence"\nfacts = ["t.boycott"]\nclaim = "c"\nsupport = "rumour"',
            "`support` must be one of",
        ),
        (
            'id = "x.y"\nkind = "sequence"\nfacts = ["t.boycott"]\nquestion = "Order?"\n'
            'steps = ["a", "b"]',
            "at least 3 strings",
        ),
        (
            'id = "x.y"\nkind = "compare"\nfacts = ["t.boycott"]\nquestion = "Q?"\nanswer = "a"',
            "at least 2 `wrong` answers",
        ),
        (
            'id = "x.y"\nkind = "compare"\nlevel = "create"\nfacts = ["t.boycott"]\n'
            'question = "Q?"\nanswer = "a"\n[[relations.wrong]]\ntext = "b"\nwhy = "c"\n'
            '[[relations.wrong]]\ntext = "d"\nwhy = "e"',
            "`level` must be one of",
        ),
        (
            'id = "x.y"\nkind = "response"\nfacts = ["t.boycott"]\nthreat = "a"\nresponse = "b"\n'
            '[[relations.wrong]]\ntext = "c"',
            "needs a why",
        ),
    ],
)
def test_a_wrong_relation_is_refused_with_its_line(relation, message):
    text = "# a relation\n[[relations]]\n" + relation + "\n"
    result = load(relations=text)
    assert result.base is None
    errors = [str(error) for error in result.errors]
    assert any(message in error and error.startswith("relations.toml:3:") for error in errors), (
        errors
    )


def test_a_false_statement_needs_a_why_and_known_sources():
    fact = FACTS.replace('why = "It boycotted them."\n', 'sources = ["NOPE"]\n', 1)
    result = load_fact_texts({"sources.toml": SOURCES, "people.toml": PEOPLE, "facts.toml": fact})
    assert result.base is None
    assert any(
        "false: option" in str(error) and "needs a why" in str(error) for error in result.errors
    )


# -- the templates ------------------------------------------------------------------------


def test_response_single_offers_the_other_threats_responses_with_reasons(items):
    item = items["tpl.response.tactic.single:t.boycott+response.sessions"]
    assert item["level"] == "understand"
    assert item["prompt"] == "Which North Korean response was aimed at debates on its record?"
    assert right(item) == ["boycotting the council"]
    assert wrong(item)["skipping its periodic reviews"] == "It took part in its reviews."
    assert wrong(item)["walking out after the vote"] == (
        "That answered the committee's resolution, not debates on its record."
    )
    assert len(item["data"]["options"]) == 4


def test_response_matching_has_every_threat_and_a_spare_response(items):
    (item,) = [i for k, i in items.items() if k.startswith("tpl.response.all.matching:")]
    pairs = {p["left"]: p["right"] for p in item["data"]["pairs"]}
    assert pairs == {
        "debates on its record": "boycotting the council",
        "the committee's resolution": "walking out after the vote",
        "criticism of its own record": "publicising other states' problems",
    }
    assert item["data"]["distractors"] == ["skipping its periodic reviews"]
    assert "left over" in item["prompt"]


def test_cause_and_compare_give_reasons_as_options_at_their_level(items):
    cause = items["tpl.cause.reason.single:t.boycott+t.walkout+cause.why"]
    assert cause["prompt"] == "Why did the state fight the criticism so hard?"
    assert right(cause) == ["It saw a threat to its rule"]
    assert wrong(cause) == {
        "It left the matter to diplomats": "The leader gave the orders.",
        "It wanted to accept the resolutions": "It rejected them.",
    }
    assert cause["level"] == "understand"
    compare = items["tpl.compare.difference.single:t.boycott+t.walkout+compare.then_now"]
    assert right(compare) == ["A protest inside the room"]
    assert compare["level"] == "analyse"


def test_evidence_asks_which_claim_only_the_report_makes(items):
    item = items["tpl.evidence.report_only.single:r.claim+evidence.sensitive"]
    assert item["level"] == "analyse"
    assert right(item) == ["The leader grew more sensitive after 2017."]
    assert set(wrong(item)) == {
        "The state boycotted the sessions.",
        "Diplomats were to publicise other states' problems.",
    }
    assert all(why == "The leaked cables themselves show this." for why in wrong(item).values())
    assert "Korea Times report" in item["prompt"]  # the R fact is asked as the report's claim


def test_evidence_asks_which_claim_the_cables_show_against_report_claims_only(items):
    item = items["tpl.evidence.cables.single:t.boycott+evidence.boycott"]
    assert right(item) == ["The state boycotted the sessions."]
    only_report = "Only the Korea Times report says this; no cable is shown to support it."
    assert wrong(item) == {
        "The leader grew more sensitive after 2017.": only_report,
        "A defection led to new tactics.": only_report,
    }


def test_evidence_true_false_comes_in_pairs_one_true_one_false(items):
    keys = [k for k in items if k.startswith("tpl.evidence.") and ".truefalse:" in k]
    answers = [items[k]["data"]["answer"] for k in keys]
    assert len(keys) == 8 and answers.count(True) == 4
    report_only = items["tpl.evidence.report_only.truefalse:r.claim+evidence.sensitive"]
    assert report_only["data"]["answer"] is True
    cables = items["tpl.evidence.cables_show.truefalse:r.claim+evidence.sensitive"]
    assert cables["data"]["answer"] is False
    assert cables["explanation"].startswith("False. Only the Korea Times report says this")


def test_sequence_is_an_ordering_of_its_steps(items):
    item = items["tpl.sequence.steps.ordering:t.boycott+t.deflect+t.walkout+sequence.steps"]
    assert item["data"] == {"items": ["First step", "Second step", "Third step"]}
    assert item["level"] == "analyse"
    assert item["explanation"].startswith("In order: First step; then Second step; then Third")


def test_which_statement_is_false_uses_a_curated_contrast_and_three_true_ones(items, base):
    found = [i for k, i in items.items() if k.startswith("tpl.statements.false_one.single:")]
    assert found
    for item in found:
        assert item["level"] == "analyse"
        (key,) = right(item)
        liar = next(base.fact(f) for f in item["fact_ids"] if base.fact(f).false_statements)
        assert key in {option.text for option in liar.false_statements}
        truths = {base.fact(f).statement() for f in item["fact_ids"]}
        assert set(wrong(item)) <= truths and len(wrong(item)) == 3


def test_curated_false_statements_replace_swaps_and_keep_their_level(items):
    false = items["tpl.tactic.contrast.truefalse:t.boycott"]
    assert false["prompt"] == "The state attended every council session on it."
    assert false["data"] == {"answer": False}
    assert false["explanation"] == "False. It boycotted them. It stayed away rather than answer."
    assert false["level"] == "understand"
    true = items["tpl.tactic.statement.truefalse:t.boycott"]
    # The explanation says the point in other words: it does not repeat the statement.
    assert true["explanation"] == "True. It stayed away rather than answer."
    assert items["tpl.tactic.contrast.truefalse:t.walkout"]["level"] == "remember"


def test_every_relation_item_passes_validation(items, base):
    for key, item in items.items():
        assert validate_item(item, base) == [], key


def test_a_fact_with_truefalse_off_gives_no_true_false_item():
    fact = FACTS.replace('label = "the rally"\n', 'label = "the rally"\ntruefalse = false\n')
    result = load_fact_texts({"sources.toml": SOURCES, "people.toml": PEOPLE, "facts.toml": fact})
    assert result.ok, result.errors
    report = build_bank(result.base, 0)
    assert not [
        i for i in report.items if i["fact_ids"] == ["t.rally"] and i["type"] == "truefalse"
    ]


def test_no_ask_and_figures_cloze_switch_off_a_kinds_default_items():
    facts = """
[[facts]]
id = "d.one"
kind = "defection"
status = "V"
label = "his defection"
topics = ["d"]
sources = ["S"]
text = "Ann Lee, envoy in {posting}, defected in {date}."
person = "Ann Lee"
post = "envoy"
posting = "Rome"
date = "2016-07"
"""
    plain = load_fact_texts({"sources.toml": SOURCES, "people.toml": PEOPLE, "f.toml": facts})
    assert plain.ok, plain.errors
    keys = {i["key"] for i in build_bank(plain.base, 0).items}
    assert {"tpl.defection.date.numeric:d.one", "tpl.defection.figures.cloze:d.one"} <= keys
    assert "tpl.defection.person.short:d.one" in keys
    trimmed = facts + 'no_ask = ["date_year", "person"]\nfigures_cloze = false\n'
    result = load_fact_texts({"sources.toml": SOURCES, "people.toml": PEOPLE, "f.toml": trimmed})
    assert result.ok, result.errors
    keys = {i["key"] for i in build_bank(result.base, 0).items}
    assert not keys & {
        "tpl.defection.date.numeric:d.one",
        "tpl.defection.figures.cloze:d.one",
        "tpl.defection.person.single:d.one",
        "tpl.defection.person.short:d.one",
    }
    assert "tpl.defection.statement.truefalse:d.one" in keys


def test_every_generated_item_says_its_level(items):
    assert {item["level"] for item in items.values()} == {"remember", "understand", "analyse"}
