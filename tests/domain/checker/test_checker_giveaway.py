"""The giveaway rule: a stem that answers another item a quiz may draw with it."""

from __future__ import annotations

from quizzes.domain.checker import Severity, check_items, exposure, giveaways, gives_away
from quizzes.domain.checker.giveaway import giveaway_reason


def short(key, prompt, answer, fact="f", explanation="E."):
    return {
        "key": key,
        "type": "short",
        "prompt": prompt,
        "data": {"answers": [{"text": answer, "fraction": 1.0}]},
        "explanation": explanation,
        "topics": ["t"],
        "fact_ids": [fact] if fact else [],
    }


def truefalse(key, statement, fact="g"):
    return {
        "key": key,
        "type": "truefalse",
        "prompt": statement,
        "data": {"answer": True},
        "explanation": "True.",
        "topics": ["t"],
        "fact_ids": [fact],
    }


WHO = short("who", "Who presented the cables in Geneva?", "Ri Il-gyu", fact="ri.cables")


def test_a_stem_naming_the_answer_gives_the_other_item_away():
    naming = truefalse("tf", "The cables that Ri Il Kyu presented were from 2016.")
    assert gives_away(exposure(naming), exposure(WHO))
    assert gives_away(exposure(WHO), exposure(naming))  # either order
    reason = giveaway_reason(exposure(naming), exposure(WHO))
    assert reason is not None and "stem of tf" in reason and "'Ri Il-gyu'" in reason


def test_an_unrelated_stem_does_not():
    other = truefalse("tf", "Tae Yong-ho was posted in London.")
    assert not gives_away(exposure(other), exposure(WHO))


def test_a_possessive_still_names_the_person():
    naming = short("when", "When was Ri Il-gyu's defection made public?", "16 July 2024")
    assert gives_away(exposure(naming), exposure(WHO))


def test_a_leading_article_in_the_answer_does_not_hide_it():
    icc = short("icc", "Which court did the COI recommend?", "the International Criminal Court")
    naming = truefalse("tf", "The COI wanted a referral to the International Criminal Court.")
    assert gives_away(exposure(naming), exposure(icc))


def test_two_item_types_asking_the_same_field_of_the_same_fact():
    one = short("tpl.event.date.short:f", "When?", "2016")
    two = short("tpl.event.date.numeric:f", "In what year?", "2016")
    other_field = short("tpl.event.city.short:f", "Where?", "Seoul")
    assert giveaway_reason(exposure(one), exposure(two)) == f"{one['key']} asks for the same thing"
    assert not gives_away(exposure(one), exposure(other_field))


def test_explanations_count_when_feedback_comes_after_each_item():
    explains = short(
        "e", "What did Pyongyang call him?", "human scum", explanation="Ri Il-gyu said so."
    )
    assert not gives_away(exposure(explains), exposure(WHO))
    read = exposure(explains, with_explanation=True)
    assert gives_away(read, exposure(WHO), explanations=True)


def test_an_item_never_gives_itself_away():
    assert not gives_away(exposure(WHO), exposure(WHO))


def test_in_the_bank_pairs_are_warnings_and_same_fact_pairs_are_not_reported():
    naming = truefalse("tf", "The cables that Ri Il-gyu presented were from 2016.")
    same_fact = truefalse("tf2", "Ri Il-gyu presented the cables.", fact="ri.cables")
    found = giveaways([WHO, naming, same_fact])
    assert [(f.item_key, f.severity) for f in found] == [("who", Severity.WARNING)]


def test_in_a_set_drawn_whole_every_pair_is_an_error():
    same_fact = truefalse("tf2", "Ri Il-gyu presented the cables.", fact="ri.cables")
    found = [f for f in check_items([WHO, same_fact], drawn_together=True) if f.rule == "giveaway"]
    assert [(f.item_key, f.severity) for f in found] == [("who", Severity.ERROR)]


def test_a_true_false_statement_settles_any_item_on_its_fact():
    false_statement = truefalse("tf", "Tae Yong-ho was posted in Italy.", fact="tae")
    where = short("where", "Where was Tae Yong-ho posted?", "London", fact="tae")
    other_fact = short("ri", "Where was Ri Il-gyu posted?", "Cuba", fact="ri")
    assert "states something about the same fact" in giveaway_reason(
        exposure(false_statement), exposure(where)
    )
    assert not gives_away(exposure(false_statement), exposure(other_fact))


def test_advice_on_a_teachers_set_names_items_by_number():
    from quizzes.domain.checker import advice, describe

    naming = truefalse("tf", "The cables that Ri Il-gyu presented were from 2016.")
    unkeyed = [{k: v for k, v in item.items() if k != "key"} for item in (WHO, naming)]
    found = advice(unkeyed)
    assert [(index, f.rule) for index, f in found] == [(0, "giveaway")]
    assert describe(found[0][1]) == (
        "Another question gives this one away: the stem of item 2 contains 'Ri Il-gyu', the answer."
    )


def single(key, prompt, options, fact="s"):
    return {
        "key": key,
        "type": "single",
        "prompt": prompt,
        "data": {"options": [{"text": text, "correct": i == 0} for i, text in enumerate(options)]},
        "explanation": "E.",
        "topics": ["t"],
        "fact_ids": [fact],
    }


def numeric(key, prompt, value, fact="n"):
    return {
        "key": key,
        "type": "numeric",
        "prompt": prompt,
        "data": {"answers": [{"value": value, "tolerance": 0, "fraction": 1.0}]},
        "explanation": "E.",
        "topics": ["t"],
        "fact_ids": [fact],
    }


SINCE = numeric("since", "From which year did Kim's sensitivity grow?", 2017, fact="sens")
CLAIMS = single(
    "claims",
    "Which claim does the report make on its own?",
    ["Kim's sensitivity grew from 2017 onward.", "Defectors were to be isolated."],
    fact="evidence",
)


def test_an_option_showing_a_typed_answer_gives_it_away():
    # Seen on the result page of a 10-question quiz: an option held the year a number item
    # asked for.
    reason = giveaway_reason(exposure(CLAIMS), exposure(SINCE))
    assert reason is not None and "choices of claims" in reason


def test_options_do_not_give_away_a_choice_item_that_shows_the_same_name():
    # Both show "Ri Il-gyu" among their options: neither tells which one is right.
    who = single("who", "Who presented the cables?", ["Ri Il-gyu", "Tae Yong-ho"], fact="ri")
    where = single("kuwait", "Who was posted in Kuwait?", ["Ryu Hyun-woo", "Ri Il-gyu"], fact="ry")
    assert not gives_away(exposure(who), exposure(where))


def test_the_same_answer_about_the_same_fact_is_asked_once():
    cloze = {
        "key": "figures",
        "type": "cloze",
        "prompt": "Fill in the missing years or numbers.",
        "data": {"text": "The report rests on {1} cables.", "blanks": [{"answers": ["12"]}]},
        "explanation": "E.",
        "topics": ["t"],
        "fact_ids": ["basis"],
    }
    count = numeric("count", "How many cables is the report based on?", 12, fact="basis")
    reason = giveaway_reason(exposure(cloze), exposure(count))
    assert reason is not None and "same answer about the same fact" in reason
    elsewhere = numeric("other", "How many resolutions were adopted?", 12, fact="other")
    assert not gives_away(exposure(cloze), exposure(elsewhere))
