"""Fitting the FSRS parameters to a learner's own review log ("optimise my schedule").

The fitting is fsrs-rs's (the `fsrs-rs-python` binding of the Rust optimiser Anki runs),
not written here. This module turns reviews into its training items as Anki does (one
history per memory, days counted by the learner's study day, one item per review that
came on a later day than the one before), and compares the log loss and RMSE of the
current and the fitted parameters on that same log. Pure: reviews in, numbers out.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from fsrs_rs_python import FSRS, FSRSItem, FSRSReview, TrainingConfig

from quizzes.domain.srs.clock import study_day
from quizzes.domain.srs.settings import StudySettings

# Below this many reviews on a later day the fit says more about chance than about the
# learner (Anki's optimiser asked for 400 before it fitted every parameter).
MIN_REVIEWS = 400
# The newest reviews read: bounded work for one request (measured in docs/OPTIMISE.md).
MAX_REVIEWS = 20_000
# Fixed seed: the same log gives the same parameters.
_TRAINING = TrainingConfig(seed=2023)


@dataclass(frozen=True)
class LoggedReview:
    memory_key: str
    rating: int  # 1 Again .. 4 Easy
    reviewed_at: datetime
    first: bool  # the memory's first review (it was new)


@dataclass(frozen=True)
class Fit:
    """The error of a set of parameters on the learner's log (lower is better)."""

    log_loss: float
    rmse: float


@dataclass(frozen=True)
class Optimisation:
    reviews: int  # reviews the fit learnt from (those on a later day than the one before)
    parameters: tuple[float, ...]
    before: Fit
    after: Fit

    @property
    def better(self) -> bool:
        return self.after.log_loss < self.before.log_loss


class TooFewReviews(ValueError):
    def __init__(self, reviews: int) -> None:
        super().__init__(
            f"Optimising needs at least {MIN_REVIEWS:,} reviews of cards you had seen on an "
            f"earlier day; your log has {reviews:,}. Keep studying and try again later."
        )
        self.reviews = reviews


# A training item: a memory's (rating, days since the review before) up to one review.
History = tuple[tuple[int, int], ...]


def training_items(reviews: Iterable[LoggedReview], settings: StudySettings) -> list[History]:
    """One item per review after the first study day of a memory, holding that memory's
    history up to it. Histories that do not start with the memory's first review (older
    reviews beyond MAX_REVIEWS) are left out: their first interval is unknown."""
    histories: dict[str, list[LoggedReview]] = {}
    for review in sorted(reviews, key=lambda r: r.reviewed_at):
        histories.setdefault(review.memory_key, []).append(review)
    items = []
    for history in histories.values():
        if not history[0].first:
            continue
        steps: list[tuple[int, int]] = []
        previous_day = None
        for review in history:
            day = study_day(review.reviewed_at, settings)
            delta = 0 if previous_day is None else (day - previous_day).days
            previous_day = day
            steps.append((int(review.rating), delta))
            if len(steps) > 1 and delta > 0:
                items.append(tuple(steps))
    return items


def _fsrs_items(items: Sequence[History]) -> list[FSRSItem]:
    return [FSRSItem([FSRSReview(rating, delta) for rating, delta in item]) for item in items]


def fit_of(parameters: Sequence[float], items: Sequence[FSRSItem]) -> Fit:
    evaluation = FSRS(list(parameters)).evaluate(list(items))
    return Fit(log_loss=evaluation.log_loss, rmse=evaluation.rmse_bins)


def optimise(reviews: Iterable[LoggedReview], settings: StudySettings) -> Optimisation:
    """Fit parameters to `reviews`; TooFewReviews when there are not enough."""
    histories = training_items(reviews, settings)
    if len(histories) < MIN_REVIEWS:
        raise TooFewReviews(len(histories))
    items = _fsrs_items(histories)
    fitted = FSRS(list(settings.parameters)).compute_parameters(items, training_config=_TRAINING)
    parameters = tuple(round(float(p), 4) for p in fitted)
    return Optimisation(
        reviews=len(items),
        parameters=parameters,
        before=fit_of(settings.parameters, items),
        after=fit_of(parameters, items),
    )
