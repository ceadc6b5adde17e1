"""Changing a submitted attempt's grade after the fact: a teacher's manual re-score of one
answer. The attempt's total follows, and an LMS gradebook hears of it through the LTI score
outbox (quizzes/lti/scores.py queues on any change of Attempt.score). Flushes only."""

from __future__ import annotations

import math
from datetime import datetime

from models import Attempt, db
from quizzes.quiz.answers import marking


class RescoreRefused(ValueError):
    pass


def rescore_item(attempt: Attempt, position: int, score: float, now: datetime) -> bool:
    """Give the answer at `position` (1-based) this score (0..1); False when it already had
    it. Only a submitted attempt is re-scored: an open one is still being graded."""
    if not attempt.is_submitted:
        raise RescoreRefused("Only a submitted attempt can be re-scored.")
    if not (isinstance(score, int | float) and math.isfinite(score) and 0 <= score <= 1):
        raise RescoreRefused("A score is from 0 to 1.")
    item = next((item for item in attempt.items if item.position == position), None)
    if item is None:
        raise RescoreRefused(f"The attempt has no item {position}.")
    if item.score == score:
        return False
    item.score = float(score)
    item.correct = score == 1
    item.graded_at = now
    attempt.score = marking(attempt.items).score  # None while another answer awaits a mark
    attempt.updated_at = now
    db.session.flush()
    return True
