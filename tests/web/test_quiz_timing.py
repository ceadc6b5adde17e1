"""Time limits: the server's clock decides, and a late attempt is marked or closed as set."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from models import Attempt, AttemptStatus, db
from tests.fixtures_items import Clock, right_form, snapshots, start_quiz

START = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)


@pytest.fixture
def clock(app):
    clock = Clock(START)
    app.config["QUIZDECK_NOW"] = clock
    return clock


def load(app, attempt_id: int) -> Attempt:
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        attempt.items  # noqa: B018 - load before the session closes
        db.session.expunge_all()
        return attempt


def test_deadline_and_countdown_come_from_the_server(app, bank, clock, student):
    attempt_id = start_quiz(student, f"set:{bank.set_id}", minutes=10)
    assert load(app, attempt_id).deadline == START + timedelta(minutes=10)
    clock.advance(minutes=3, seconds=30)
    page = student.get(f"/quiz/attempts/{attempt_id}/items/1").data.decode()
    assert 'data-seconds-left="390"' in page
    assert '<strong class="countdown-value">6:30</strong>' in page
    assert "(until 3 Mar 2025, 09:10 UTC)" in page


def test_late_submission_is_marked_late_under_mark(app, bank, clock, student):
    attempt_id = start_quiz(student, f"set:{bank.set_id}", minutes=5, policy="mark")
    shown = snapshots(app, attempt_id)
    url = f"/quiz/attempts/{attempt_id}"
    student.post(f"{url}/items/1", data=right_form(shown[0]))
    clock.advance(minutes=7)
    # Past the deadline the student may still answer...
    page = student.get(f"{url}/items/2").data.decode()
    assert "You can still finish; the attempt will be marked late." in page
    student.post(f"{url}/items/2", data=right_form(shown[1]))
    response = student.post(f"{url}/submit", follow_redirects=True)
    assert "Submitted after the time limit: the attempt is marked late." in response.data.decode()
    attempt = load(app, attempt_id)
    assert attempt.status is AttemptStatus.SUBMITTED and attempt.late
    assert attempt.submitted_at == START + timedelta(minutes=7)
    assert [item.score for item in attempt.items[:2]] == [1.0, 1.0]
    assert attempt.score == pytest.approx(2 / 8)
    result = re.sub(r"<[^>]+>", "", response.data.decode())
    assert "After the time limit: Submitted after the time limit (3 Mar 2025, 09:05 UTC)." in result
    history = re.sub(r"<[^>]+>", "", student.get("/quiz/history").data.decode())
    assert "After the time limit" in history and "Late" not in history  # no due date here


def test_submission_within_the_grace_period_is_on_time(app, bank, clock, student):
    attempt_id = start_quiz(student, f"set:{bank.set_id}", minutes=5, policy="close")
    clock.advance(minutes=5, seconds=8)  # a click at 0:00 that took a moment to arrive
    student.post(f"/quiz/attempts/{attempt_id}/submit")
    attempt = load(app, attempt_id)
    assert attempt.status is AttemptStatus.SUBMITTED and not attempt.late
    assert attempt.submitted_at == START + timedelta(minutes=5, seconds=8)


def test_close_policy_refuses_late_answers_and_grades_what_was_saved(app, bank, clock, student):
    attempt_id = start_quiz(student, f"set:{bank.set_id}", minutes=5, policy="close")
    shown = snapshots(app, attempt_id)
    url = f"/quiz/attempts/{attempt_id}"
    student.post(f"{url}/items/1", data=right_form(shown[0]))
    clock.advance(minutes=6)
    response = student.post(f"{url}/items/2", data={**right_form(shown[1]), "go": "next"})
    assert response.headers["Location"] == f"{url}/result"
    page = student.get(f"{url}/result").data.decode()
    assert "Time is up: the quiz closed at 3 Mar 2025, 09:05 UTC" in page
    assert "Closed at the time limit:" in page
    attempt = load(app, attempt_id)
    assert attempt.status is AttemptStatus.SUBMITTED and attempt.late
    assert attempt.submitted_at == START + timedelta(minutes=5)
    assert attempt.items[0].response is not None and attempt.items[1].response is None
    assert attempt.score == pytest.approx(1 / 8)
    # Submitting now changes nothing.
    student.post(f"{url}/submit")
    assert load(app, attempt_id).score == pytest.approx(1 / 8)


def test_close_policy_closes_on_any_visit_after_the_deadline(app, bank, clock, student):
    attempt_id = start_quiz(student, f"set:{bank.set_id}", minutes=1, policy="close")
    clock.advance(minutes=2)
    assert student.get(f"/quiz/attempts/{attempt_id}/items/3").headers["Location"] == (
        f"/quiz/attempts/{attempt_id}/result"
    )
    assert load(app, attempt_id).status is AttemptStatus.SUBMITTED
    start_page = student.get("/quiz/").data.decode()
    assert "Carry on where you left off" not in start_page


def test_autosave_after_the_deadline_reports_closed(app, bank, clock, student):
    attempt_id = start_quiz(student, f"set:{bank.set_id}", minutes=1, policy="close")
    shown = snapshots(app, attempt_id)
    clock.advance(seconds=75)
    response = student.post(
        f"/quiz/attempts/{attempt_id}/items/1",
        data=right_form(shown[0]),
        headers={"X-Requested-With": "fetch"},
    )
    assert response.json["status"] == "closed"
    assert load(app, attempt_id).items[0].response is None
    reloaded = student.get(f"/quiz/attempts/{attempt_id}/items/1", follow_redirects=True)
    assert "Time is up: the quiz closed at" in reloaded.data.decode()
