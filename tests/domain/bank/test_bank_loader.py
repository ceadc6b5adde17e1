"""Loading fact files: typed facts, and errors that name the file and line."""

from __future__ import annotations

from quizzes.domain.facts import (
    PartialDate,
    Status,
    fact_record,
    load_fact_texts,
)
from quizzes.domain.generator import build_bank

SOURCES = """\
[sources.A]
publisher = "Paper A"
date = "2016-08-17"
ref = "a.example 1"

[sources.B]
ref = "b.example 2"
"""

PEOPLE = """\
[[people]]
name = "Tae Yong-ho"
variants = ["Thae Yong-ho"]
groups = ["defector"]
who = "a defector"
"""

FACTS = """\
[[facts]]
id = "x.announced"
kind = "event"
status = "V"
label = "the announcement"
topics = ["t"]
sources = ["A"]
text = "It was announced on {date}."
date = "2016-08-17"
[facts.ask]
date = "When was it announced?"

[[facts]]
id = "x.count"
kind = "document"
status = "V"
label = "the count"
topics = ["t"]
sources = ["A", "B"]
text = "There were {count} cables, the last from {end}."
count = 12
end = "2023-09"

[[facts]]
id = "x.unconfirmed"
kind = "event"
status = "U"
label = "an unconfirmed day"
topics = ["t"]
sources = ["B"]
text = "It happened on {date}."
date = "2024-11-12"
"""


def load(**texts: str):
    return load_fact_texts({f"{name}.toml": text for name, text in texts.items()})


def test_good_files_load_typed_facts_across_files():
    result = load(sources=SOURCES, people=PEOPLE, facts=FACTS)
    assert result.errors == ()
    base = result.base
    assert base is not None
    assert [fact.id for fact in base.facts] == ["x.announced", "x.count", "x.unconfirmed"]
    announced = base.fact("x.announced")
    assert announced.fields["date"] == PartialDate(2016, 8, 17)
    assert announced.status is Status.VERIFIED
    assert announced.statement() == "It was announced on 17 August 2016."
    assert announced.ask == {"date": "When was it announced?"}
    assert announced.file == "facts.toml" and announced.line == 2
    count = base.fact("x.count")
    assert count.fields == {"count": 12, "end": PartialDate(2023, 9)}
    assert count.statement() == "There were 12 cables, the last from September 2023."
    assert base.fact("x.unconfirmed").status is Status.UNVERIFIED
    assert base.sources["A"].citation() == {
        "key": "A",
        "publisher": "Paper A",
        "title": "",
        "date": "2016-08-17",
        "ref": "a.example 1",
    }
    assert base.people["Tae Yong-ho"].answers == ("Tae Yong-ho", "Thae Yong-ho")


def test_fact_record_is_json_ready_with_resolved_sources():
    base = load(sources=SOURCES, facts=FACTS).base
    record = fact_record(base.fact("x.count"), base)
    assert record["fields"]["end"] == "2023-09"
    assert record["fields"]["count"] == 12
    assert [source["key"] for source in record["sources"]] == ["A", "B"]
    assert record["status"] == "V"


def test_malformed_toml_reports_file_and_line_and_yields_no_facts():
    broken = 'id = "a"\nkind = "event"\nstatus = = "V"\n'
    result = load(sources=SOURCES, facts=FACTS, broken=broken)
    assert result.base is None
    assert len(result.errors) == 1
    error = result.errors[0]
    assert (error.file, error.line) == ("broken.toml", 3)
    assert "TOML syntax" in error.message
    assert str(error).startswith("broken.toml:3: ")


def test_unknown_source_key_is_reported_at_the_facts_id_line():
    bad = FACTS.replace('sources = ["A", "B"]', 'sources = ["A", "NOPE"]')
    result = load(sources=SOURCES, facts=bad)
    assert result.base is None
    assert [(e.file, e.line) for e in result.errors] == [("facts.toml", 14)]
    assert "unknown source key 'NOPE'" in result.errors[0].message
    assert bad.splitlines()[13] == 'id = "x.count"'


def test_missing_required_field_and_unknown_kind_are_reported_with_lines():
    bad = FACTS.replace('date = "2016-08-17"\n', "", 1).replace(
        'kind = "document"', 'kind = "memo"'
    )
    result = load(sources=SOURCES, facts=bad)
    messages = {(e.line, e.message) for e in result.errors}
    assert (2, "fact 'x.announced': kind 'event' needs field 'date'") in messages
    assert (2, "fact 'x.announced': text uses {date} but the fact has no field 'date'") in messages
    assert any(line == 13 and "unknown kind 'memo'" in m for line, m in messages)


def test_bad_values_are_errors():
    bad = FACTS.replace('date = "2016-08-17"', 'date = "2016-13-01"', 1).replace(
        "count = 12", 'count = "twelve"'
    )
    messages = [e.message for e in load(sources=SOURCES, facts=bad).errors]
    assert "fact 'x.announced': date '2016-13-01' has no month 13" in messages
    assert "fact 'x.count': field 'count' must be a whole number >= 0" in messages


def test_pool_option_that_is_true_for_the_fact_is_refused():
    pools = """\
[[pools]]
id = "p"
[[pools.options]]
text = "Thae Yong Ho"
why = "not him"
"""
    fact = """\
[[facts]]
id = "x.who"
kind = "statement"
status = "V"
label = "who"
topics = ["t"]
sources = ["A"]
text = "It was {person}."
person = "Tae Yong-ho"
[facts.not_distractors]
person = ["Thae Yong-ho"]
[facts.pools]
person = "p"
"""
    result = load(sources=SOURCES, people=PEOPLE, pools=pools, facts=fact)
    assert [e.message for e in result.errors] == [
        "fact 'x.who': pool 'p' offers 'Thae Yong Ho', which is true here"
    ]


def test_report_only_fact_must_say_it_is_the_reports_claim():
    bad = FACTS.replace('status = "V"', 'status = "R"', 1)
    result = load(sources=SOURCES, facts=bad)
    assert [(e.line, e.message) for e in result.errors] == [
        (
            2,
            "fact 'x.announced': an R fact's text must say it is the report's claim "
            "(mention the report)",
        ),
        (2, "fact 'x.announced': `ask.date` of an R fact must say it asks about the report"),
    ]


def test_duplicate_fact_id_and_unknown_person_are_errors():
    dup = FACTS + FACTS.split("\n\n")[0].replace("{date}", "{date}!") + "\n"
    messages = [e.message for e in load(sources=SOURCES, facts=dup).errors]
    assert "fact 'x.announced' is defined twice" in messages
    who = FACTS.replace('label = "the count"', 'label = "the count"\nperson = "Nobody"')
    messages = [e.message for e in load(sources=SOURCES, people=PEOPLE, facts=who).errors]
    assert messages == ["fact 'x.count': person 'Nobody' is not in the people table"]


def test_unverified_fact_is_loaded_but_never_made_into_an_item():
    base = load(sources=SOURCES, facts=FACTS).base
    report = build_bank(base, 0)
    assert report.excluded_facts == ("x.unconfirmed",)
    assert all("x.unconfirmed" not in item["fact_ids"] for item in report.items)
    assert all("12 November 2024" not in item["prompt"] for item in report.items)
    assert {item["key"] for item in report.items} >= {
        "tpl.event.statement.truefalse:x.announced",
        "tpl.event.date.numeric:x.announced",
        "tpl.document.figures.cloze:x.count",
    }


def test_builtin_bank_loads_cleanly_with_enough_checked_facts(builtin):
    usable = [f for f in builtin.facts if f.status is not Status.UNVERIFIED]
    assert len(usable) >= 40
    assert {f.id for f in builtin.facts if f.status is Status.UNVERIFIED} == {
        "report.article_day",
        "phrase.vicious_plot",
        "sr.no_visit",
    }
    assert all(f.status is not Status.REPORT_ONLY or "report" in f.text.lower() for f in usable)
    assert builtin.people["Tae Yong-ho"].answers == (
        "Tae Yong-ho",
        "Thae Yong-ho",
        "Thae Yong Ho",
        "Tae Yong Ho",
    )
    assert "Ri Il Kyu" in builtin.people["Ri Il-gyu"].answers
