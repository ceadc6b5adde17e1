"""How a graded quiz answer becomes an FSRS rating."""

from __future__ import annotations

from fsrs import Rating

# Partial credit at or above this share counts as a shaky recall (Hard), below it as a lapse.
PARTIAL_CREDIT_HARD_THRESHOLD = 0.5


def rating_from_quiz(correct: bool, typo_forgiven: bool, score: float) -> Rating:
    """Map a quiz Grade (docs/ITEMS.md) to the button a learner would have pressed.

    - right                                  -> Good
    - right, but only after forgiving a typo -> Hard (recalled, not cleanly)
    - wrong with partial credit >= 0.5       -> Hard (e.g. 3 of 4 options in a multi)
    - wrong otherwise                        -> Again
    A quiz never gives Easy: "easy" is the learner's own judgement, not a grader's.
    """
    if not 0.0 <= score <= 1.0:
        raise ValueError(f"score must be between 0 and 1, got {score!r}")
    if correct:
        return Rating.Hard if typo_forgiven else Rating.Good
    if score >= PARTIAL_CREDIT_HARD_THRESHOLD:
        return Rating.Hard
    return Rating.Again
