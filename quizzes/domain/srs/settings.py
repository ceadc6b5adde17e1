"""Per-user study settings and the fsrs Scheduler they imply."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from functools import cached_property
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from fsrs import Scheduler
from fsrs.scheduler import DEFAULT_PARAMETERS

MIN_DESIRED_RETENTION = 0.70
MAX_DESIRED_RETENTION = 0.97


@dataclass(frozen=True)
class StudySettings:
    """What a learner chose; every scheduling function takes one.

    Steps are `timedelta`s (FSRS learning/relearning steps, same-day by design).
    `day_start_hour` is the local hour at which a new study day begins, as in Anki
    (reviews done at 01:00 still count for the evening before).
    `enable_fuzzing` spreads review intervals of 3+ days a little so cards learnt
    together do not stay together; tests turn it off to get exact intervals.
    `parameters` are the 21 FSRS-6 weights (fsrs defaults until the optimizer has run).
    """

    desired_retention: float = 0.90
    new_per_day: int = 20
    reviews_per_day: int = 200
    learning_steps: tuple[timedelta, ...] = (timedelta(minutes=1), timedelta(minutes=10))
    relearning_steps: tuple[timedelta, ...] = (timedelta(minutes=10),)
    timezone: str = "UTC"
    day_start_hour: int = 4
    enable_fuzzing: bool = True
    maximum_interval_days: int = 36500
    # Anki shows learning cards up to 20 minutes early once nothing else is left.
    learn_ahead: timedelta = timedelta(minutes=20)
    parameters: tuple[float, ...] = field(default=tuple(DEFAULT_PARAMETERS))
    # The parameters before "optimise my schedule" last changed them: what its undo restores
    # (empty: nothing to undo).
    previous_parameters: tuple[float, ...] = ()

    def __post_init__(self) -> None:
        # Normalise lists (e.g. from JSON) to tuples so settings stay hashable.
        object.__setattr__(self, "learning_steps", tuple(self.learning_steps))
        object.__setattr__(self, "relearning_steps", tuple(self.relearning_steps))
        object.__setattr__(self, "parameters", tuple(float(p) for p in self.parameters))
        previous = tuple(float(p) for p in self.previous_parameters)
        object.__setattr__(self, "previous_parameters", previous)
        self._validate()

    def _validate(self) -> None:
        retention = self.desired_retention
        if not (
            isinstance(retention, int | float)
            and MIN_DESIRED_RETENTION <= retention <= MAX_DESIRED_RETENTION
        ):
            raise ValueError(
                f"desired_retention must be between {MIN_DESIRED_RETENTION:.2f} and "
                f"{MAX_DESIRED_RETENTION:.2f} (e.g. 0.90 for 90%), got {retention!r}"
            )
        for name in ("new_per_day", "reviews_per_day"):
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                raise ValueError(f"{name} must be a whole number >= 0, got {value!r}")
        for name in ("learning_steps", "relearning_steps"):
            for step in getattr(self, name):
                if not isinstance(step, timedelta) or step <= timedelta(0):
                    raise ValueError(f"{name} must be positive durations, got {step!r}")
                if step >= timedelta(days=1):
                    raise ValueError(f"{name} must each be shorter than one day, got {step}")
        try:
            ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError, TypeError) as exc:
            raise ValueError(f"unknown timezone {self.timezone!r}") from exc
        if (
            not isinstance(self.day_start_hour, int)
            or isinstance(self.day_start_hour, bool)
            or not 0 <= self.day_start_hour <= 23
        ):
            raise ValueError(f"day_start_hour must be 0..23, got {self.day_start_hour!r}")
        if not isinstance(self.maximum_interval_days, int) or self.maximum_interval_days < 1:
            raise ValueError(
                f"maximum_interval_days must be >= 1, got {self.maximum_interval_days!r}"
            )
        if not isinstance(self.learn_ahead, timedelta) or self.learn_ahead < timedelta(0):
            raise ValueError(f"learn_ahead must be a duration >= 0, got {self.learn_ahead!r}")
        # fsrs checks the count and the bounds of each weight.
        self.scheduler  # noqa: B018

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @cached_property
    def scheduler(self) -> Scheduler:
        """The fsrs Scheduler for these settings.

        Fuzzing is always off inside fsrs: fsrs fuzzes with the global random module,
        so `review()` applies the same fuzz ranges itself with a seeded generator.
        """
        return Scheduler(
            parameters=self.parameters,
            desired_retention=self.desired_retention,
            learning_steps=self.learning_steps,
            relearning_steps=self.relearning_steps,
            maximum_interval=self.maximum_interval_days,
            enable_fuzzing=False,
        )

    def to_dict(self) -> dict[str, Any]:
        """JSON-able form (durations in seconds)."""
        return {
            "desired_retention": self.desired_retention,
            "new_per_day": self.new_per_day,
            "reviews_per_day": self.reviews_per_day,
            "learning_steps": [step.total_seconds() for step in self.learning_steps],
            "relearning_steps": [step.total_seconds() for step in self.relearning_steps],
            "timezone": self.timezone,
            "day_start_hour": self.day_start_hour,
            "enable_fuzzing": self.enable_fuzzing,
            "maximum_interval_days": self.maximum_interval_days,
            "learn_ahead": self.learn_ahead.total_seconds(),
            "parameters": list(self.parameters),
            "previous_parameters": list(self.previous_parameters),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> StudySettings:
        """Inverse of `to_dict`; missing keys take their defaults."""
        values = dict(data)
        for name in ("learning_steps", "relearning_steps"):
            if name in values:
                values[name] = tuple(timedelta(seconds=s) for s in values[name])
        if "learn_ahead" in values:
            values["learn_ahead"] = timedelta(seconds=values["learn_ahead"])
        unknown = set(values) - set(cls.__dataclass_fields__)
        if unknown:
            raise ValueError(f"unknown study settings: {', '.join(sorted(unknown))}")
        return cls(**values)
