"""Rows that belong to someone: the signed-in user's own, or a 404. Every ownership loader
is here (sets, classes, assignments, decks, cards).

Someone else's row answers 404, the same as one that does not exist, so ids cannot be
probed. Each kind of row says who owns it with `owner_of`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from flask import abort
from flask_login import current_user

from models import Assignment, Attempt, Card, Deck, QuestionSet, SchoolClass, db

Row = TypeVar("Row")


def owned_or_404(model: type[Row], ident: int, owner_of: Callable[[Row], int]) -> Row:
    """The `model` row with this id when the signed-in user owns it; else 404."""
    row = db.session.get(model, ident)
    if row is None or owner_of(row) != current_user.id:
        abort(404)
    return row


# Teachers' rows (the teach blueprint admits teachers only; these check whose row it is).
def own_set_or_404(set_id: int) -> QuestionSet:
    return owned_or_404(QuestionSet, set_id, lambda question_set: question_set.owner_id)


def own_class_or_404(class_id: int) -> SchoolClass:
    return owned_or_404(SchoolClass, class_id, lambda school_class: school_class.teacher_id)


def own_assignment_or_404(assignment_id: int) -> Assignment:
    """An assignment belongs to the teacher of its class."""
    return owned_or_404(
        Assignment, assignment_id, lambda assignment: assignment.school_class.teacher_id
    )


def class_attempt_or_404(attempt_id: int) -> Attempt:
    """A student's attempt at an assignment of the signed-in teacher's class. An attempt
    whose assignment was removed (the link is cleared) no longer belongs to any class."""

    def teacher_of(attempt: Attempt) -> int | None:
        if attempt.assignment_id is None:
            return None
        return db.session.get(Assignment, attempt.assignment_id).school_class.teacher_id

    return owned_or_404(Attempt, attempt_id, teacher_of)


# A learner's own flashcards.
def own_deck_or_404(deck_id: int) -> Deck:
    return owned_or_404(Deck, deck_id, lambda deck: deck.owner_id)


def own_card_or_404(card_id: int) -> Card:
    return owned_or_404(Card, card_id, lambda card: card.deck.owner_id)
