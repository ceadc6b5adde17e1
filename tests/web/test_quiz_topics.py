"""The topics a user may quiz on: those with an active item in a set the user may use."""

from __future__ import annotations

from datetime import UTC, datetime

from models import Item, ItemTopic, QuestionSet, Role, SetStatus, db
from quizzes.quiz.services import usable_topics
from tests.web.cards_seed import SOURCES


def add_set(title: str, status: SetStatus, owner_id: int | None, items: list[dict]) -> None:
    qset = QuestionSet(title=title, status=status, owner_id=owner_id, description="")
    db.session.add(qset)
    db.session.flush()
    for position, spec in enumerate(items):
        item = Item(
            set_id=qset.id,
            position=position,
            key=f"{title}.{position}",
            type="truefalse",
            prompt="A statement.",
            data={"answer": True},
            explanation="",
            sources=SOURCES,
            difficulty=0.5,
            topics=spec["topics"],
            fact_ids=[],
            retired_at=spec.get("retired_at"),
        )
        db.session.add(item)
        db.session.flush()
        for topic in spec["topics"]:
            db.session.add(ItemTopic(item_id=item.id, topic=topic, active=spec.get("active", True)))


def test_only_topics_with_a_usable_item_are_offered(app, create_user):
    teacher = create_user("teach", Role.TEACHER)
    other = create_user("other", Role.TEACHER)
    with app.app_context():
        add_set(
            "Published",
            SetStatus.PUBLISHED,
            None,
            [
                {"topics": ["upr", "tactics"]},
                {"topics": ["retired"], "retired_at": datetime(2025, 1, 1, tzinfo=UTC)},
                {"topics": ["switched-off"], "active": False},
                {"topics": ["upr"]},
            ],
        )
        add_set("Draft", SetStatus.DRAFT, teacher, [{"topics": ["drafting"]}])
        db.session.commit()
        assert usable_topics(None) == ["tactics", "upr"]
        assert usable_topics(other) == ["tactics", "upr"]
        assert usable_topics(teacher) == ["drafting", "tactics", "upr"]  # their own draft
