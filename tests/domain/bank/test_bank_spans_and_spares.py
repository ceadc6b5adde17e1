"""Date distractors within the fact's own span, never another round of the same series;
timelines without years in their labels; matchings with a spare answer."""

from __future__ import annotations

import pytest

from quizzes.domain.facts import PartialDate, load_fact_texts
from quizzes.domain.generator import build_bank

SOURCES = '[sources.S]\nref = "a source"\n'


def event(fact_id, date, label, timeline="life", topic="life", extra=""):
    return f"""
[[facts]]
id = "{fact_id}"
kind = "event"
status = "V"
label = "{label}"
topics = ["{topic}"]
timelines = ["{timeline}"]
sources = ["S"]
text = "It happened on {{date}}."
date = "{date}"
{extra}"""


def review(cycle, date):
    return f"""
[[facts]]
id = "review.c{cycle}"
kind = "review_session"
status = "V"
label = "review number {cycle}"
topics = ["reviews"]
sources = ["S"]
text = "Review {{cycle}} took place on {{date}}."
cycle = {cycle}
date = "{date}"
"""


def build(*facts):
    result = load_fact_texts({"s.toml": SOURCES, "f.toml": "".join(facts)})
    assert result.ok, result.errors
    return {item["key"]: item for item in build_bank(result.base, 0).items}


def wrong_dates(item):
    return [o["text"] for o in item["data"]["options"] if not o["correct"]]


@pytest.fixture(scope="module")
def life():
    ask = '[facts.ask]\ndate = "When did he lose the seat?"'
    return build(
        event("life.fled", "2016-08-17", "his flight"),
        event("life.won", "2020-04-15", "his election"),
        event("life.lost", "2024-04-10", "his defeat", extra=ask),
        event("life.named", "2024-07-18", "his appointment"),
        event("other.a", "2023-02-01", "a treaty", timeline="other", topic="other"),
        event("other.b", "2025-03-25", "an adoption", timeline="other", topic="other"),
        event("other.c", "2010-06-01", "an old event", timeline="other", topic="other"),
    )


def test_date_distractors_never_precede_what_the_stem_presupposes(life):
    item = life["tpl.event.date.single:life.lost"]
    assert item["data"]["options"][0] == {"text": "10 April 2024", "correct": True}
    # Losing the seat presupposes winning it (15 April 2020): no earlier date is offered,
    # and 2010 is too far from the answer to be a plausible distractor.
    for text in wrong_dates(item):
        assert PartialDate.parse(_iso(text)).first_day() > PartialDate(2020, 4, 15).first_day()
    assert "1 June 2010" not in wrong_dates(item)


def _iso(text):
    day, month, year = text.split()
    months = ["January", "February", "March", "April", "May", "June", "July", "August"]
    months += ["September", "October", "November", "December"]
    return f"{year}-{months.index(month) + 1:02d}-{int(day):02d}"


def test_another_round_of_the_same_series_is_never_a_date_distractor():
    items = build(
        review(1, "2009-12-07"),
        review(2, "2014-05-01"),
        review(3, "2019-05-09"),
        review(4, "2024-11-07"),
        event("x.one", "2013-03-21", "a creation", timeline="x", topic="reviews"),
        event("x.two", "2014-02-17", "a publication", timeline="x", topic="reviews"),
        event("x.three", "2016-11-15", "a walkout", timeline="x", topic="reviews"),
    )
    rounds = {"7 December 2009", "1 May 2014", "9 May 2019", "7 November 2024"}
    item = items["tpl.review_session.date.single:review.c2"]
    assert item["data"]["options"][0]["text"] == "1 May 2014"
    assert not set(wrong_dates(item)) & rounds
    false = items["tpl.review_session.date.truefalse:review.c2"]
    assert not any(day in false["prompt"] for day in rounds - {"1 May 2014"})


def test_timeline_labels_never_carry_years_and_matchings_have_a_spare(life):
    items = build(
        event("t.a", "2016-03-01", "the announcement"),
        event("t.b", "2016-11-15", "the walkout"),
        event("t.c", "2017-01-11", "the guidelines"),
        event("t.d", "2016-06-01", "the 2016 summit"),
        event("t.e", "2017-05-05", "a later event", timeline="other"),
    )
    order = items["tpl.timeline.life.ordering:t.a+t.b+t.c"]
    assert order["data"]["items"] == ["The announcement", "The walkout", "The guidelines"]
    matching = items["tpl.timeline.life.matching:t.a+t.b+t.c"]
    assert matching["data"]["distractors"] == ["5 May 2017"]
    assert "left over" in matching["prompt"]
    assert matching["explanation"].endswith("Left over: 5 May 2017 was the date of a later event.")
