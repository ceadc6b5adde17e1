"""An attempt's score while some answers wait for a teacher's mark (essays).

An answer awaiting a mark has no score (None), not 0: it is neither right nor wrong. The
attempt's score is known only once every answer is marked; until then pages say what is
known ("4.5 of 7 marked, 2 awaiting grading"), and Attempt.score stays empty, so that
nothing (gradebook, LMS, progress chart) takes a part score for the whole.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Marking:
    points: float  # the credit of the marked answers, added up (1 per question at most)
    marked: int  # answers with a score
    pending: int  # answers awaiting a teacher's mark

    @property
    def questions(self) -> int:
        return self.marked + self.pending

    @property
    def complete(self) -> bool:
        return self.pending == 0

    @property
    def score(self) -> float | None:
        """The attempt's score (0..1) once every answer is marked; None before."""
        if not self.complete:
            return None
        return self.points / self.questions if self.questions else 0.0


def marking_of(scores: Sequence[float | None]) -> Marking:
    """The summary of an attempt's answer scores, None standing for awaiting a mark."""
    marked = [score for score in scores if score is not None]
    return Marking(math.fsum(marked), len(marked), len(scores) - len(marked))
