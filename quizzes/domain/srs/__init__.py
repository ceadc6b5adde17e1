"""Spaced repetition for Quizdeck, on FSRS-6 (the `fsrs` package). Pure: no I/O, no clock.

- settings: StudySettings (validated; builds the fsrs Scheduler)
- memory:   MemoryState (JSON-able fsrs card), memory_keys/memory_key (which state an
            item trains), fsrs_card_id, Phase, epoch_us
- review:   review, preview_intervals, ReviewLogEntry
- ratings:  rating_from_quiz
- intervals: format_interval
- clock:    study_day, day_start, day_end
- queue:    QUEUE (the queue's one definition), due_queue, spread_backlog,
            describe_backlog_plan, exam_priority
- stats:    done_today, reviews_per_day, due_forecast, retention_achieved,
            predicted_recall_by_topic
"""

from fsrs import Rating, State

from quizzes.domain.srs.clock import as_utc, day_end, day_start, study_day
from quizzes.domain.srs.intervals import format_interval
from quizzes.domain.srs.memory import (
    DAY_US,
    MemoryState,
    Phase,
    epoch_us,
    fsrs_card_id,
    memory_key,
    memory_keys,
)
from quizzes.domain.srs.queue import (
    QUEUE,
    Order,
    QueueEntry,
    QueueKind,
    QueuePart,
    Room,
    Window,
    describe_backlog_plan,
    due_queue,
    exam_moment,
    exam_priority,
    spread_backlog,
)
from quizzes.domain.srs.ratings import rating_from_quiz
from quizzes.domain.srs.review import ReviewLogEntry, preview_intervals, review
from quizzes.domain.srs.settings import StudySettings
from quizzes.domain.srs.stats import (
    DailyCounts,
    RetentionStats,
    TopicRecall,
    done_today,
    due_forecast,
    predicted_recall_by_topic,
    retention_achieved,
    reviews_per_day,
)

__all__ = [
    "DAY_US",
    "DailyCounts",
    "MemoryState",
    "Order",
    "Phase",
    "QUEUE",
    "QueueEntry",
    "QueueKind",
    "QueuePart",
    "Room",
    "Rating",
    "RetentionStats",
    "ReviewLogEntry",
    "State",
    "StudySettings",
    "TopicRecall",
    "Window",
    "as_utc",
    "day_end",
    "day_start",
    "describe_backlog_plan",
    "done_today",
    "due_forecast",
    "due_queue",
    "epoch_us",
    "exam_moment",
    "exam_priority",
    "format_interval",
    "fsrs_card_id",
    "memory_key",
    "memory_keys",
    "predicted_recall_by_topic",
    "preview_intervals",
    "rating_from_quiz",
    "retention_achieved",
    "review",
    "reviews_per_day",
    "spread_backlog",
    "study_day",
]
