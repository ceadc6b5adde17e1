"""Scores back to the LMS gradebook (Assignment and Grade Services).

Whenever an attempt's score changes (submit, a manual re-score, a regrade) and its
assignment was placed from an LMS, a row is queued in lti_score_outbox in the same flush,
so the score is recorded with the attempt or not at all. `flask lti push` sends due rows:
only the newest version of each attempt's score, once, with a timestamp the platform uses
to ignore anything older; a failure is retried later with backoff."""

from __future__ import annotations

import json
import logging
from collections.abc import Collection
from datetime import datetime, timedelta

import requests
from flask import g, has_request_context
from pylti1p3.assignments_grades import AssignmentsGradesService
from pylti1p3.exception import LtiException
from pylti1p3.service_connector import ServiceConnector
from sqlalchemy import event, func, inspect, select

from models import (
    Attempt,
    AttemptStatus,
    LtiAssignmentLink,
    LtiCourse,
    LtiPlatform,
    LtiScoreOutbox,
    LtiUserLink,
    db,
)
from models.classes import review_moment, score_shown
from quizzes.domain import lti as domain
from quizzes.domain.review import ReviewTiming
from quizzes.lti.platforms import registration_of
from quizzes.web import clock

log = logging.getLogger("quizzes.lti")

SCORE_SCOPE = "https://purl.imsglobal.org/spec/lti-ags/scope/score"
SEND_TIMEOUT = 10  # seconds per request to the LMS
# Sending from inside a student's request (their submit) waits less: the cron retries.
IN_REQUEST_TIMEOUT = 4
QUEUED_IN_REQUEST = "lti_scores_queued"


def _score_changed(attempt: Attempt) -> bool:
    history = inspect(attempt).attrs.score.history
    return bool(history.added) and history.added[0] is not None


@event.listens_for(db.session, "before_flush")
def _queue_changed_scores(session, flush_context, instances) -> None:
    changed = [
        obj
        for obj in (*session.new, *session.dirty)
        if isinstance(obj, Attempt)
        and obj.assignment_id is not None
        and obj.status is AttemptStatus.SUBMITTED
        and _score_changed(obj)
    ]
    if not changed:
        return
    with session.no_autoflush:
        for attempt in changed:
            if queue(session, attempt, clock.now()) is not None and has_request_context():
                # Sent when this request is done (routes.register), not only by the cron.
                g.setdefault(QUEUED_IN_REQUEST, set()).add(attempt.id)


def queue(session, attempt: Attempt, now: datetime) -> LtiScoreOutbox | None:
    """A new score version for this attempt, when its assignment sits in an LMS course and
    the student came from that LMS."""
    link = session.scalar(
        select(LtiAssignmentLink).where(LtiAssignmentLink.assignment_id == attempt.assignment_id)
    )
    if link is None:
        return None
    course = session.get(LtiCourse, link.course_id)
    linked = session.scalar(
        select(LtiUserLink.id).where(
            LtiUserLink.user_id == attempt.user_id, LtiUserLink.platform_id == course.platform_id
        )
    )
    if linked is None:
        return None
    version = (
        session.scalar(
            select(func.max(LtiScoreOutbox.version)).where(LtiScoreOutbox.attempt_id == attempt.id)
        )
        or 0
    )
    pending = [
        obj
        for obj in session.new
        if isinstance(obj, LtiScoreOutbox) and obj.attempt_id == attempt.id
    ]
    version = max([version, *(obj.version for obj in pending)]) + 1
    row = LtiScoreOutbox(
        attempt_id=attempt.id,
        user_id=attempt.user_id,
        link_id=link.id,
        version=version,
        score=attempt.score,
        scored_at=now,
        tries=0,
        next_try_at=now,
    )
    session.add(row)
    return row


def _send(
    row: LtiScoreOutbox, platform: LtiPlatform, sub: str, attempt: Attempt, timeout: float
) -> None:
    link = row.link
    if not link.lineitem_url:
        raise LtiException("no line item yet: the link has not been launched from the LMS")
    http = bounded_session(timeout)
    connector = ServiceConnector(registration_of(platform), requests_session=http)
    url = AssignmentsGradesService._add_url_path_ending(link.lineitem_url, "scores")
    connector.make_service_request(
        [SCORE_SCOPE],
        url,
        is_post=True,
        data=json.dumps(domain.score_message(sub, row.score, row.scored_at, attempt.started_at)),
        content_type="application/vnd.ims.lis.v1.score+json",
    )


def bounded_session(timeout: float = SEND_TIMEOUT) -> requests.Session:
    """A requests session whose calls to the LMS give up after `timeout` seconds
    (pylti1p3 sets none, and a hanging LMS would hold a worker)."""
    http = requests.Session()
    plain = http.request

    def bounded(method, url, **kwargs):
        kwargs.setdefault("timeout", timeout)
        return plain(method, url, **kwargs)

    http.request = bounded
    return http


HELD = "held back: the assignment's review options do not show the score yet"
# How soon a held score is looked at again when its time is not a known date (a release).
HELD_RECHECK = timedelta(minutes=15)


def _held_until(attempt: Attempt, now: datetime) -> datetime | None:
    """When to look again at a score the student may not see yet; None: send it now.

    Moodle sends a quiz grade to its gradebook at once and hides the grade item from the
    student until the review options show marks. An LMS cannot be told to hide one score,
    so Quizdeck holds the score back instead, and sends it when the student may see it
    (after the last due date, on the teacher's release; never for "never")."""
    moment = review_moment(attempt, now)
    if score_shown(attempt, moment):
        return None
    if moment.options.score is ReviewTiming.AFTER_DUE and moment.last_due is not None:
        return max(moment.last_due, now + timedelta(minutes=1))
    return now + HELD_RECHECK


def push(
    now: datetime,
    limit: int = 500,
    attempt_ids: Collection[int] | None = None,
    timeout: float = SEND_TIMEOUT,
) -> dict[str, int]:
    """Send the due scores (of these attempts only, when given); commits after each one,
    so a crash never sends one twice."""
    counts = {"sent": 0, "failed": 0, "superseded": 0}
    query = select(LtiScoreOutbox).where(
        LtiScoreOutbox.sent_at.is_(None),
        LtiScoreOutbox.next_try_at <= now,
        LtiScoreOutbox.tries < domain.MAX_TRIES,
    )
    if attempt_ids is not None:
        query = query.where(LtiScoreOutbox.attempt_id.in_(list(attempt_ids)))
    due = db.session.scalars(query.order_by(LtiScoreOutbox.id).limit(limit)).all()
    for row in due:
        newest = db.session.scalar(
            select(func.max(LtiScoreOutbox.version)).where(
                LtiScoreOutbox.attempt_id == row.attempt_id
            )
        )
        if row.version < newest:
            row.sent_at, row.last_error = now, "superseded by a newer score"
            counts["superseded"] += 1
            db.session.commit()
            continue
        course = db.session.get(LtiCourse, row.link.course_id)
        platform = db.session.get(LtiPlatform, course.platform_id)
        sub = db.session.scalar(
            select(LtiUserLink.sub).where(
                LtiUserLink.user_id == row.user_id, LtiUserLink.platform_id == platform.id
            )
        )
        attempt = db.session.get(Attempt, row.attempt_id)
        if (held_until := _held_until(attempt, now)) is not None:
            # Not a failure: tried again when the review options let the student see it.
            row.next_try_at, row.last_error = held_until, HELD
            db.session.commit()
            continue
        try:
            _send(row, platform, sub, attempt, timeout)
        except (LtiException, requests.RequestException, ValueError) as error:
            row.tries += 1
            row.next_try_at = now + domain.retry_delay(row.tries)
            row.last_error = str(error)[:500]
            counts["failed"] += 1
            log.warning("LTI score %s (attempt %s) not sent: %s", row.id, row.attempt_id, error)
        else:
            row.tries += 1
            row.sent_at = now
            row.last_error = None
            counts["sent"] += 1
        db.session.commit()
    return counts


def push_queued_in_request(now: datetime) -> None:
    """After a request that queued scores (a submit): try them at once, briefly. What fails
    waits for `flask lti push` and its backoff."""
    queued = g.pop(QUEUED_IN_REQUEST, None)
    if not queued:
        return
    try:
        push(now, limit=len(queued) * 2, attempt_ids=queued, timeout=IN_REQUEST_TIMEOUT)
    except Exception:  # the student's request must not fail for the LMS; the row waits
        db.session.rollback()
        log.exception("LTI scores of attempts %s left for flask lti push", sorted(queued))


def outbox_counts() -> dict[str, int]:
    waiting = db.session.scalar(
        select(func.count(LtiScoreOutbox.id)).where(LtiScoreOutbox.sent_at.is_(None))
    )
    sent = db.session.scalar(
        select(func.count(LtiScoreOutbox.id)).where(LtiScoreOutbox.sent_at.is_not(None))
    )
    return {"waiting": waiting or 0, "sent": sent or 0, "checked_at": int(clock.now().timestamp())}
