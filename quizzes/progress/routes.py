"""The progress page of the signed-in student."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user, login_required

from quizzes.progress import chart, services, stats
from quizzes.quiz.display import format_day

bp = Blueprint("progress", __name__, url_prefix="/progress")


@bp.get("/")
@login_required
def overview():
    attempts = services.recent_attempts(current_user.id)
    trend = (
        chart.line_chart([(format_day(a.submitted_at), a.score or 0.0) for a in attempts])
        if attempts
        else None
    )
    return render_template(
        "progress/overview.html",
        attempts=attempts,
        trend=trend,
        topics=services.topic_mastery(current_user.id),
        missed=services.most_missed(current_user.id),
        answers=services.has_answers(current_user.id),
        recent=stats.RECENT_ANSWERS,
    )
