"""The numbers `flask bank stats` prints about what a bank asks for."""

from __future__ import annotations

from quizzes.domain.checker.profile import asks_bare_date_or_number, level_of, profile


def item(key, type_, data, level=None, prompt="Q?", topics=()):
    found = {"key": key, "type": type_, "prompt": prompt, "data": data, "topics": list(topics)}
    return found | ({"level": level} if level else {})


def single(key, answer, level=None):
    options = [{"text": answer, "correct": True}, {"text": "x", "correct": False}]
    return item(key, "single", {"options": options}, level)


def test_the_level_tag_is_read_and_defaults_to_remember():
    assert level_of({"level": "analyse"}) == "analyse"
    assert level_of({}) == "remember"
    assert level_of({"level": "evaluate"}) == "remember"  # not a level the bank uses


def test_bare_dates_and_numbers():
    assert asks_bare_date_or_number(single("a", "17 August 2016"))
    assert asks_bare_date_or_number(single("b", "83"))
    assert not asks_bare_date_or_number(single("c", "Tae Yong-ho"))
    assert asks_bare_date_or_number(item("d", "numeric", {"answers": [{"value": 5}]}))
    # A true/false statement whose year was swapped asks about the year.
    assert asks_bare_date_or_number(item("tpl.event.date.truefalse:f", "truefalse", {}))
    assert not asks_bare_date_or_number(item("tpl.event.statement.truefalse:f", "truefalse", {}))
    matching = {"pairs": [{"left": "1st", "right": "2009"}, {"left": "2nd", "right": "2014"}]}
    assert asks_bare_date_or_number(item("m", "matching", matching))


def test_profile_counts_levels_true_false_keys_and_bare_answers():
    items = [
        single("a", "2016"),
        single("b", "Tae Yong-ho", level="understand"),
        single("c", "Geneva", level="analyse"),
        item("t1", "truefalse", {"answer": True}, topics=["upr"]),
        item("t2", "truefalse", {"answer": False}, topics=["upr", "coi"]),
        item("t3", "truefalse", {"answer": True}),
    ]
    assert profile(items) == {
        "levels": {"remember": 4, "understand": 1, "analyse": 1},
        "true_false": {"true": 2, "false": 1},
        "true_false_by_topic": {"coi": {"true": 0, "false": 1}, "upr": {"true": 1, "false": 1}},
        "bare_date_or_number": 1,
    }


def test_the_generator_command_prints_what_the_checker_finds(capsys):
    from quizzes.domain.generator.__main__ import main

    assert main([]) == 0
    out = capsys.readouterr().out
    assert "item-writing checker: {'errors': " in out
