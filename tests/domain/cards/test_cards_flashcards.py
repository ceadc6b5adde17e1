from datetime import UTC, datetime

import pytest

from quizzes.domain.flashcards import (
    BLANK,
    CardKind,
    PersonalCard,
    cards_from_item,
    cards_from_personal,
    cloze_answers,
    describe_source,
    pick_form,
    validate_personal,
    without_repeats,
)

SOURCES = [{"key": "KT", "publisher": "Korea Times", "title": "Cables", "date": "2024-11-05"}]


def item(type_, data, **extra):
    return {
        "key": f"k.{type_}",
        "type": type_,
        "prompt": "Which post did Tae hold?",
        "data": data,
        "explanation": "He was deputy ambassador.",
        "sources": SOURCES,
        "topics": ["defections", "human rights"],
        "difficulty": 0.4,
        "fact_ids": [],
        **extra,
    }


def test_single_item_makes_a_basic_card_with_answer_explanation_and_source():
    options = [
        {"text": "Minister", "correct": False},
        {"text": "Deputy ambassador", "correct": True},
    ]
    [card] = cards_from_item(item("single", {"options": options}), ("item:k.single",))
    assert card.id == "item:k.single"
    assert card.kind is CardKind.BASIC
    assert (card.front, card.back) == ("Which post did Tae hold?", "Deputy ambassador")
    assert card.extra == "He was deputy ambassador."
    assert card.sources == ("Korea Times, Cables (2024-11-05)",)
    assert card.tags == ("defections", "human rights")
    assert card.typed == ("short", {"answers": [{"text": "Deputy ambassador", "fraction": 1.0}]})


def test_short_item_back_names_the_other_accepted_answers():
    answers = [
        {"text": "Tae Yong-ho", "fraction": 1.0},
        {"text": "Thae Yong-ho", "fraction": 1.0},
        {"text": "Tae", "fraction": 0.5},
    ]
    [card] = cards_from_item(item("short", {"answers": answers}), ("fact:a", "fact:b"))
    assert card.back == "Tae Yong-ho (also accepted: Thae Yong-ho)"
    assert card.memory_keys == ("fact:a", "fact:b") and card.memory_key == "fact:a"
    assert card.typed == ("short", {"answers": answers})


def test_numeric_and_truefalse_items():
    data = {"answers": [{"value": 2014.0, "tolerance": 0, "fraction": 1.0}], "unit": ""}
    [numeric] = cards_from_item(item("numeric", data), ("item:n",))
    assert numeric.back == "2014" and numeric.typed == ("numeric", data)
    [tf] = cards_from_item(item("truefalse", {"answer": False}), ("item:t",))
    assert tf.front == "True or false? Which post did Tae hold?" and tf.back == "False"


def test_cloze_item_hides_every_blank_in_one_anki_cloze():
    data = {
        "text": "Kim ordered a {1} of the panel in {2}.",
        "blanks": [{"answers": ["review", "rebuttal"]}, {"answers": ["2014"]}],
    }
    [card] = cards_from_item(item("cloze", data, prompt=""), ("item:k.cloze",))
    assert card.kind is CardKind.CLOZE
    assert card.front == f"Kim ordered a {BLANK} of the panel in {BLANK}."
    assert card.back == "Kim ordered a review of the panel in 2014."
    assert card.cloze == "Kim ordered a {{c1::review}} of the panel in {{c1::2014}}."
    assert card.blanks == 2 and card.typed == ("cloze", data)


def test_matching_item_reverses_only_pairs_whose_right_side_is_unique():
    data = {
        "pairs": [
            {"left": "Tae", "right": "diplomat"},
            {"left": "Ri", "right": "diplomat"},
            {"left": "Kim", "right": "leader"},
        ],
        "distractors": ["chef"],
    }
    cards = cards_from_item(
        item("matching", data, prompt="Match the person to the role"), ("item:k.matching",)
    )
    assert [(c.id, c.front, c.back) for c in cards] == [
        ("item:k.matching:pair-1", "Tae", "diplomat"),
        ("item:k.matching:pair-2", "Ri", "diplomat"),
        ("item:k.matching:pair-3", "Kim", "leader"),
        ("item:k.matching:pair-3:reversed", "leader", "Kim"),
    ]
    assert cards[-1].kind is CardKind.REVERSED
    assert {c.context for c in cards} == {"Match the person to the role"}
    assert {c.memory_keys for c in cards} == {("item:k.matching",)}


@pytest.mark.parametrize("type_", ["multi", "ordering"])
def test_types_that_need_their_options_make_no_card(type_):
    assert cards_from_item(item(type_, {"options": [], "items": []}), ("item:x",)) == []


def test_personal_basic_card_and_its_reverse_share_one_memory():
    card = PersonalCard(
        7, "basic", "Capital of the DPRK", "Pyongyang", "atlas p. 3", ["geo graphy"], reversed=True
    )
    front, back = cards_from_personal(card)
    assert (front.id, front.front, front.back) == ("card:7", "Capital of the DPRK", "Pyongyang")
    assert (back.id, back.front, back.back) == (
        "card:7:reversed",
        "Pyongyang",
        "Capital of the DPRK",
    )
    assert front.memory_keys == back.memory_keys == ("card:7",)
    assert front.sources == ("atlas p. 3",) and front.tags == ("geo graphy",)


def test_personal_cloze_accepts_plain_and_anki_braces():
    card = PersonalCard(3, "cloze", "The UPR met in {{2014}} and {{c1::2019::year}}.", "Geneva")
    [cloze] = cards_from_personal(card)
    assert cloze_answers(card.front) == ["2014", "2019"]
    # Anki shows a blank's hint in its place (issue 19: hints were dropped).
    assert cloze.front == f"The UPR met in {BLANK} and [year]."
    # The back marks the answers, as Anki's back highlights them.
    assert cloze.back == "The UPR met in <mark>2014</mark> and <mark>2019</mark>."
    assert cloze.extra == "Geneva"
    # For Anki: a plain blank is c1; Anki's own number and hint go back as they came.
    assert cloze.cloze == "The UPR met in {{c1::2014}} and {{c1::2019::year}}."
    first, second = cards_from_personal(
        PersonalCard(4, "cloze", "{{c1::Third Committee}} voted in {{c2::November}}.", "")
    )
    assert first.cloze == second.cloze == "{{c1::Third Committee}} voted in {{c2::November}}."
    assert cloze.typed == (
        "cloze",
        {
            "text": "The UPR met in {1} and {2}.",
            "blanks": [{"answers": ["2014"]}, {"answers": ["2019"]}],
        },
    )


def test_a_personal_cloze_makes_one_card_per_number_as_anki_does():
    card = PersonalCard(
        5, "cloze", "{{c1::Tae Yong-ho}} defected in {{c2::2016::year}} from {{c1::London}}."
    )
    c1, c2 = cards_from_personal(card)
    assert (c1.id, c2.id) == ("card:5", "card:5:c2")
    assert c1.memory_keys == c2.memory_keys == ("card:5",)  # forms of one memory
    assert c1.front == f"{BLANK} defected in 2016 from {BLANK}."
    assert c1.back == "<mark>Tae Yong-ho</mark> defected in 2016 from <mark>London</mark>."
    assert c2.front == "Tae Yong-ho defected in [year] from London."
    assert c2.back == "Tae Yong-ho defected in <mark>2016</mark> from London."
    assert (c1.blanks, c2.blanks) == (2, 1)
    assert c2.typed == (
        "cloze",
        {"text": "Tae Yong-ho defected in {1} from London.", "blanks": [{"answers": ["2016"]}]},
    )
    # Numbers need not start at 1 nor follow each other.
    assert [f.id for f in cards_from_personal(PersonalCard(6, "cloze", "{{c3::a}} {{c7::b}}"))] == [
        "card:6",
        "card:6:c7",
    ]


def test_validate_personal():
    assert validate_personal("basic", "Q", "A") == []
    assert validate_personal("basic", " ", "") == [
        "The front needs some text.",
        "The back needs some text.",
    ]
    assert validate_personal("cloze", "no blank here", "") == [
        "A cloze card needs a blank: put the hidden words in {{double braces}}."
    ]


def test_describe_source_shapes():
    assert describe_source({"text": "My notes"}) == "My notes"
    assert (
        describe_source({"key": "UN", "publisher": "UN", "ref": "A/HRC/25/63"}) == "UN, A/HRC/25/63"
    )
    assert describe_source("free text") == "free text"


def test_pick_form_is_stable_for_a_moment_and_rotates_over_reviews():
    card = PersonalCard(1, "basic", "F", "B", reversed=True)
    forms = cards_from_personal(card)
    moment = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)
    assert pick_form(forms, moment) == pick_form(forms, moment)
    seen = {pick_form(forms, datetime(2025, 3, day, 9, 0, tzinfo=UTC)).id for day in range(1, 9)}
    assert seen == {"card:1", "card:1:reversed"}
    with pytest.raises(ValueError):
        pick_form([], None)


def test_cards_that_look_the_same_are_kept_once():
    keys = ("fact:defection.tae",)
    single = {
        "key": "tae.single",
        "type": "single",
        "prompt": "Who defected in London?",
        "data": {"options": [{"text": "Tae Yong-ho", "correct": True}, {"text": "Ri"}]},
    }
    short = {
        "key": "tae.short",
        "type": "short",
        "prompt": "Who defected in London?",
        "data": {"answers": [{"text": "Tae Yong-ho", "fraction": 1.0}]},
    }
    other_fact = short | {"key": "ri.short"}
    cards = [
        *cards_from_item(single, keys),
        *cards_from_item(short, keys),
        *cards_from_item(other_fact, ("fact:defection.ri",)),
    ]
    kept = without_repeats(cards)
    # The same question and answer for the same fact is one card; another fact keeps its own.
    assert [card.id for card in kept] == ["item:tae.single", "item:ri.short"]
