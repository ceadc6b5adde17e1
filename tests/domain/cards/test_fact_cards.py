"""Flashcards written from the bank's facts: recall questions, no repeats, no true/false."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from quizzes.domain.fact_cards import cards_of_facts, write_fact_cards
from quizzes.domain.facts import Status, load_builtin, load_fact_dir
from quizzes.domain.generator import build_bank
from quizzes.domain.text import normalise


@pytest.fixture(scope="module")
def built():
    base = load_builtin()
    report = build_bank(base, 0)
    return base, report, write_fact_cards(base, report.items)


@pytest.fixture(scope="module")
def frozen_built():
    """The bank's facts as of November 2026 (tests/data/bank_facts_2026_11): exact cards of
    known facts, while the real bank's content moves."""
    base = load_fact_dir(Path(__file__).resolve().parents[2] / "data" / "bank_facts_2026_11").base
    assert base is not None
    report = build_bank(base, 0)
    return base, report, write_fact_cards(base, report.items)


def test_every_fact_an_item_asks_about_has_a_card_and_no_front_repeats(built):
    base, report, written = built
    used = {f for item in report.items for f in item["fact_ids"]}
    assert set(written) == used
    assert all(written[fact_id] for fact_id in used)
    fronts = Counter(normalise(card["front"]) for cards in written.values() for card in cards)
    assert fronts and max(fronts.values()) == 1


def test_no_true_false_cards_and_no_instructions_as_fronts(built):
    _, _, written = built
    for cards in written.values():
        for card in cards:
            assert "true or false" not in card["front"].casefold()
            assert not card["front"].startswith(("Fill in", "Put these", "Match each"))
            assert card["front"].endswith("?") or card["kind"] == "cloze", card


def test_one_card_per_asked_field_the_full_answer_preferred(frozen_built):
    _, _, written = frozen_built
    cards = {card["id"]: card for card in written["defection.tae.announced"]}
    # A single-choice and a number item both ask the date: one card, with the whole date.
    assert list(cards) == ["fact:defection.tae.announced:date"]
    card = cards["fact:defection.tae.announced:date"]
    assert card["front"] == "When did South Korea announce Tae Yong-ho's defection?"
    assert card["back"] == "17 August 2016"
    assert card["extra"] == "South Korea announced Tae Yong-ho's defection on 17 August 2016."
    fields = [card["id"].rsplit(":", 1)[1] for card in written["defection.tae"]]
    assert sorted(fields) == ["date", "person", "post", "posting"]


def test_a_fact_asked_only_as_a_whole_gets_its_cloze_or_a_statement_card(built):
    base, _, written = built
    (cloze,) = written["tactic.never_ever"]
    assert cloze["kind"] == "cloze" and '"[…]"' in cloze["front"]
    assert "{{c1::never, ever}}" in cloze["cloze"]
    assert cloze["typed"][0] == "cloze" and cloze["typed"][1]["blanks"][0]["answers"]
    (statement,) = written["defection.ri.highest"]
    assert statement["front"] == "What do the sources say about Ri Il-gyu's rank among defectors?"
    assert statement["back"] == base.fact("defection.ri.highest").statement()


def test_no_card_from_an_unverified_fact(built):
    base, _, written = built
    unverified = {f.id for f in base.facts if f.status is Status.UNVERIFIED}
    assert not unverified & set(written)


def test_stored_cards_come_back_as_flashcards_training_the_fact(built):
    _, _, written = built
    sources = {"defection.tae": [{"publisher": "The Independent", "title": "T", "date": "2016"}]}
    cards = cards_of_facts(["defection.tae"], written, sources, {"defection.tae": ["defections"]})
    assert cards is not None and len(cards) == 4
    assert {card.memory_keys for card in cards} == {("fact:defection.tae",)}
    assert cards[0].sources == ("The Independent, T (2016)",)
    assert cards[0].tags == ("defections",)
    posting = next(card for card in cards if card.id == "fact:defection.tae:posting")
    assert (posting.front, posting.back) == (
        "Where was Tae Yong-ho posted when he defected?",
        "London",
    )
    assert posting.typed == ("short", {"answers": [{"text": "London", "fraction": 1.0}]})


def test_without_stored_cards_for_every_fact_the_item_stands_in(built):
    _, _, written = built
    assert cards_of_facts(["defection.tae", "nowhere"], written, {}, {}) is None
    assert cards_of_facts([], written, {}, {}) is None


def test_a_short_item_on_the_field_gives_the_card_its_accepted_spellings(built):
    from quizzes.domain.itemtypes import REGISTRY

    _, report, written = built
    short = next(i for i in report.items if i["key"] == "tpl.defection.person.short:defection.tae")
    card = next(c for c in written["defection.tae"] if c["id"] == "fact:defection.tae:person")
    assert card["typed"] == ["short", short["data"]]
    assert card["back"].startswith("Tae Yong-ho (also accepted: ")
    view, key = REGISTRY["short"].present(card["typed"][1], None)
    assert REGISTRY["short"].grade(view, key, "Thae Yong Ho").correct
