"""The statistics page: counts from quizzes.domain.srs.stats, drawn by quizzes.domain.charts.

Everything the learner remembers counts, whether practised in quizzes or flashcards.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from fsrs import Rating
from sqlalchemy import select

from models import MemoryState as MemoryRow
from models import ReviewLog, db
from quizzes.cards import summaries
from quizzes.domain import charts, srs
from quizzes.web.display import topic_title

HISTORY_DAYS = 30
RETENTION_WEEKS = 8


def log_entry(row: ReviewLog, settings: srs.StudySettings) -> srs.ReviewLogEntry:
    """A stored review as the srs stats helpers read it."""
    before = srs.MemoryState.from_dict(row.state_before) if row.state_before else None
    after = srs.MemoryState.from_dict(row.state_after)
    return srs.ReviewLogEntry(
        rating=Rating(row.rating),
        reviewed_at=row.reviewed_at,
        source=row.source,
        duration_ms=row.duration_ms,
        state_before=before.phase if before else srs.Phase.NEW,
        state_after=after.phase,
        elapsed_days=(row.reviewed_at - before.last_review).days
        if before and before.last_review
        else None,
        scheduled_interval=after.due - row.reviewed_at,
        retrievability=before.retrievability(row.reviewed_at, settings) if before else 0.0,
        stability_after=after.stability or 0.0,
        difficulty_after=after.difficulty or 0.0,
    )


@dataclass(frozen=True)
class TopicRow:
    topic: str
    recall: float | None
    reviewed: int
    unseen: int
    learning: int


@dataclass(frozen=True)
class StatsPage:
    reviews_chart: str
    total_reviews: int
    forecast_chart: str
    due_in_30_days: int
    retention_chart: str
    retention: srs.RetentionStats
    recall_chart: str | None
    topics: list[TopicRow]


def _axis_labels(days: list[date]) -> list[str]:
    # The day of the month, with the month's name on the first day shown and on the 1st.
    return [f"{d.day} {d:%b}" if i == 0 or d.day == 1 else str(d.day) for i, d in enumerate(days)]


def _percent(value: float) -> str:
    return f"{value:.0%}"


def build(user_id: int, now: datetime, settings: srs.StudySettings) -> StatsPage:
    today = srs.study_day(now, settings)
    since = srs.day_start(today - timedelta(days=RETENTION_WEEKS * 7 - 1), settings)
    rows = db.session.scalars(
        select(ReviewLog)
        .where(ReviewLog.user_id == user_id, ReviewLog.reviewed_at >= since)
        .order_by(ReviewLog.reviewed_at)
    )
    entries = [log_entry(row, settings) for row in rows]
    states = db.session.scalars(select(MemoryRow).where(MemoryRow.user_id == user_id)).all()
    memories = [(row.topics or [], srs.MemoryState.from_dict(row.state)) for row in states]

    # Reviews per day, the last 30 study days.
    per_day = srs.reviews_per_day(entries, settings)
    days = [today - timedelta(days=offset) for offset in range(HISTORY_DAYS - 1, -1, -1)]
    counts = [per_day.get(day, 0) for day in days]
    total = sum(counts)
    busiest = max(zip(counts, days, strict=True)) if total else None
    reviews_chart = charts.bar_chart(
        "Reviews per day",
        f"Reviews from quizzes and flashcards on each of the last {HISTORY_DAYS} days, "
        f"{days[0].isoformat()} to {today.isoformat()}: {total} in all"
        + (
            f"; the busiest day was {busiest[1].isoformat()} with {busiest[0]}." if busiest else "."
        ),
        _axis_labels(days),
        counts,
        x_label="Day",
        y_label="Reviews",
    )

    # Due forecast, the next 30 study days.
    forecast = srs.due_forecast([state for _, state in memories], now, settings, days=30)
    f_days = list(forecast)
    f_counts = list(forecast.values())
    forecast_chart = charts.bar_chart(
        "Due in the next 30 days",
        f"Memories falling due on each of the next 30 days, today first (overdue ones count "
        f"today): {f_counts[0]} today, {sum(f_counts)} in all.",
        _axis_labels(f_days),
        f_counts,
        x_label="Day",
        y_label="Due",
    )

    # Retention achieved per week against the desired retention.
    weeks = []
    for week in range(RETENTION_WEEKS - 1, -1, -1):
        start_day = today - timedelta(days=week * 7 + 6)
        start = srs.day_start(start_day, settings)
        end = srs.day_end(start_day + timedelta(days=6), settings)
        in_week = [e for e in entries if start <= e.reviewed_at < end]
        weeks.append((start_day, srs.retention_achieved(in_week, settings)))
    overall = srs.retention_achieved(entries, settings)
    achieved = [stat.achieved for _, stat in weeks]
    retention_chart = charts.line_chart(
        "Retention achieved and desired",
        f"Share of reviews recalled (not Again) each week for {RETENTION_WEEKS} weeks, "
        f"against the desired {settings.desired_retention:.0%}. "
        + (
            f"Over the period: {overall.achieved:.0%} of {overall.reviews} reviews."
            if overall.achieved is not None
            else "No reviews of learnt cards yet."
        ),
        # Every week named (the axis thins the names when they would crowd): a point's tooltip
        # reads "Achieved, 30 Nov: 75%".
        [f"{d.day} {d:%b}" for d, _ in weeks],
        [
            charts.Series("Achieved", achieved),
            charts.Series("Desired", [settings.desired_retention] * len(weeks)),
        ],
        x_label="Week starting",
        y_label="Recalled",
        value_format=_percent,
        y_max=1.0,
    )

    # Predicted recall per topic today; the bank's memories not met yet count as not seen
    # (they have no stored state), so untouched topics are listed too.
    stored = {row.memory_key for row in states}
    not_met = [
        (topics, srs.MemoryState.new(now))
        for key, topics in summaries.bank_memory_topics().items()
        if key not in stored
    ]
    by_topic = srs.predicted_recall_by_topic([*memories, *not_met], now, settings)
    topics = [
        TopicRow(topic_title(t), r.recall, r.reviewed, r.unseen, r.learning)
        for t, r in by_topic.items()
    ]
    measured = [row for row in topics if row.recall is not None]
    recall_chart = None
    if measured:
        recall_chart = charts.horizontal_bar_chart(
            "Predicted recall per topic today",
            "Mean predicted chance of recalling each topic's reviewed memories today: "
            + "; ".join(f"{row.topic} {row.recall:.0%}" for row in measured)
            + ".",
            [row.topic for row in measured],
            [row.recall for row in measured],
            x_label="Predicted recall",
            value_format=_percent,
            x_max=1.0,
            reference=(settings.desired_retention, f"desired {settings.desired_retention:.0%}"),
        )
    return StatsPage(
        reviews_chart,
        total,
        forecast_chart,
        sum(f_counts),
        retention_chart,
        overall,
        recall_chart,
        topics,
    )
