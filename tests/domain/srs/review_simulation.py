"""A seeded learner whose memory follows FSRS with parameters of its own: the review log
the optimiser tests fit (so a fit has something true to find)."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from fsrs import Card, Rating, Scheduler
from fsrs.scheduler import DEFAULT_PARAMETERS

from quizzes.domain.srs.optimise import LoggedReview

START = datetime(2025, 1, 6, 9, 0, tzinfo=UTC)
# A learner who forgets much more slowly than FSRS's defaults expect.
LEARNER = (*(s * 4 for s in DEFAULT_PARAMETERS[:4]), *DEFAULT_PARAMETERS[4:])


def simulated_log(cards: int, reviews_each: int, seed: int = 7) -> list[LoggedReview]:
    rng = random.Random(seed)
    truth = Scheduler(parameters=LEARNER, learning_steps=(), relearning_steps=(),
                      enable_fuzzing=False)  # fmt: skip
    log = []
    for number in range(cards):
        card = Card(card_id=number + 1)
        at = START + timedelta(days=rng.randrange(30), minutes=number)
        for index in range(reviews_each):
            if index == 0:
                rating = Rating.Good
            else:
                recalled = rng.random() < truth.get_card_retrievability(card, at)
                rating = rng.choice((Rating.Good, Rating.Good, Rating.Easy, Rating.Hard))
                rating = rating if recalled else Rating.Again
            log.append(LoggedReview(f"card:{number}", int(rating), at, index == 0))
            card, _ = truth.review_card(card, rating, at)
            # The learner comes back somewhere between half and twice the interval.
            wait = max(card.due - at, timedelta(days=1)) * rng.uniform(0.5, 2.0)
            at = at + max(wait, timedelta(days=1))
    return log
