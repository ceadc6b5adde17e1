"""Seed data for the flashcard tests: a small built-in bank set and a learner's deck."""

from __future__ import annotations

from datetime import UTC, datetime

from models import Card, Deck, Item, ItemTopic, QuestionSet, SetStatus, db

NOW = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)  # a Monday, 09:00 UTC


SOURCES = [{"key": "KT", "publisher": "Korea Times", "title": "Cables", "date": "2024-11-05"}]

BANK_ITEMS = [
    {
        "key": "defection.tae.single.post",
        "type": "single",
        "prompt": "Which post did Tae Yong-ho hold when he defected?",
        "data": {
            "options": [
                {"text": "Deputy ambassador in London", "correct": True},
                {"text": "Minister of trade", "correct": False},
            ]
        },
        "explanation": "He was deputy ambassador in London.",
        "topics": ["defections"],
        "fact_ids": ["defection.tae"],
    },
    {
        "key": "upr.year.short",
        "type": "short",
        "prompt": "In which city does the Universal Periodic Review meet?",
        "data": {"answers": [{"text": "Geneva", "fraction": 1.0}]},
        "explanation": "The Human Rights Council sits in Geneva.",
        "topics": ["upr"],
        "fact_ids": [],
    },
    {
        "key": "upr.cloze",
        "type": "cloze",
        "prompt": "",
        "data": {
            "text": "The commission of inquiry reported in {1}.",
            "blanks": [{"answers": ["2014"]}],
        },
        "explanation": "The COI report came out in February 2014.",
        "topics": ["upr"],
        "fact_ids": ["coi.report"],
    },
    {
        "key": "tactics.matching",
        "type": "matching",
        "prompt": "Match each tactic to its aim",
        "data": {
            "pairs": [
                {"left": "Counter-report", "right": "Discredit the COI"},
                {"left": "Friendly statements", "right": "Fill speaking time"},
            ],
            "distractors": [],
        },
        "explanation": "",
        "topics": ["tactics"],
        "fact_ids": [],
    },
]


def seed_bank() -> int:
    """A built-in set with the items above; returns its id."""
    qset = QuestionSet(
        slug="unhr",
        title="UN human rights",
        status=SetStatus.PUBLISHED,
        description="How the DPRK answered the UN.",
    )
    db.session.add(qset)
    db.session.flush()
    for position, spec in enumerate(BANK_ITEMS):
        item = Item(set_id=qset.id, position=position, sources=SOURCES, difficulty=0.4, **spec)
        db.session.add(item)
        db.session.flush()
        for topic in spec["topics"]:
            db.session.add(ItemTopic(item_id=item.id, topic=topic))
    db.session.commit()
    return qset.id


def seed_deck(owner_id: int, cards: int = 3, title: str = "My deck") -> int:
    deck = Deck(owner_id=owner_id, title=title)
    db.session.add(deck)
    db.session.flush()
    from quizzes.cards.personal import add_card

    for number in range(1, cards + 1):
        add_card(
            deck,
            kind="basic",
            front=f"Front {number}",
            back=f"Back {number}",
            source="My notes",
            tags=["mine"],
        )
    db.session.commit()
    return deck.id


def personal_card_ids(deck_id: int) -> list[int]:
    return [card.id for card in db.session.get(Deck, deck_id).cards]


__all__ = ["BANK_ITEMS", "NOW", "Card", "personal_card_ids", "seed_bank", "seed_deck"]
