"""The progress page of the signed-in student."""

from __future__ import annotations

import click
from flask import Blueprint, render_template
from flask_login import current_user, login_required
from sqlalchemy import select

from models import Attempt, db
from models.classes import review_moment, score_shown
from quizzes.domain import trend_chart as chart
from quizzes.progress import services, stats
from quizzes.web.clock import now
from quizzes.web.display import format_day, topic_title

bp = Blueprint("progress", __name__, url_prefix="/progress")
NARROW_POINTS = 8


@bp.get("/")
@login_required
def overview():
    moment = now()
    # An assignment's score the review options still hold back stays off the page (and
    # "awaiting grading" with it, which tells of the score).
    attempts = [
        a
        for a in services.recent_attempts(current_user.id)
        if score_shown(a, review_moment(a, moment))
    ]
    # An attempt awaiting a teacher's mark (an essay) has no score yet: not a 0 on the chart.
    scores = [(format_day(a.submitted_at), a.score) for a in attempts if a.score is not None]
    # A wide chart for screens, a narrow one of the latest few for phones (CSS shows one).
    trend = chart.line_chart(scores) if scores else None
    trend_narrow = (
        chart.line_chart(scores[-NARROW_POINTS:], chart.NARROW_WIDTH, max_captions=4)
        if scores
        else None
    )
    return render_template(
        "progress/overview.html",
        attempts=attempts,
        trend=trend,
        trend_narrow=trend_narrow,
        topics=services.topic_mastery(current_user.id),
        missed=services.most_missed(current_user.id),
        answers=services.has_answers(current_user.id),
        recent=stats.RECENT_ANSWERS,
        topic_title=topic_title,
    )


@bp.cli.command("rebuild")
def rebuild_command() -> None:
    """Recompute every student's progress totals from their stored answers (once after
    the migration that adds the totals, or whenever they are in doubt)."""
    user_ids = db.session.scalars(select(Attempt.user_id).distinct()).all()
    with click.progressbar(user_ids, label="students") as bar:
        for user_id in bar:
            services.rebuild(user_id)
            db.session.commit()
    click.echo(f"Progress totals rebuilt for {len(user_ids)} students.")
