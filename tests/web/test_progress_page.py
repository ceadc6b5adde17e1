"""The progress page: score trend as labelled SVG, mastery per topic, most missed items."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from tests.fixtures_items import Clock, right_form, snapshots, start_quiz, wrong_form


def take(client, app, set_id: int, wrong_types: set[str]) -> int:
    attempt_id = start_quiz(client, f"set:{set_id}")
    for position, snapshot in enumerate(snapshots(app, attempt_id), 1):
        form = wrong_form(snapshot) if snapshot["type"] in wrong_types else right_form(snapshot)
        client.post(f"/quiz/attempts/{attempt_id}/items/{position}", data=form)
    client.post(f"/quiz/attempts/{attempt_id}/submit")
    return attempt_id


def test_progress_without_answers_invites_a_quiz(login_as):
    page = login_as("student1").get("/progress/").data.decode()
    assert "No answers yet." in page and 'href="/quiz/"' in page


def test_progress_shows_trend_mastery_and_most_missed(app, bank, login_as):
    clock = Clock(datetime(2025, 3, 3, 9, 0, tzinfo=UTC))
    app.config["QUIZDECK_NOW"] = clock
    student = login_as("student1")
    take(student, app, bank.set_id, {"single", "short", "numeric", "cloze"})  # 4 of 8
    clock.advance(days=1)
    last = take(student, app, bank.set_id, {"single"})  # 7 of 8
    clock.advance(days=1)
    start_quiz(student, f"set:{bank.set_id}")  # in progress: not in the trend

    page = student.get("/progress/").data.decode()
    wide, narrow = re.findall(r'<figure class="chart .*?</figure>', page, flags=re.S)
    assert "chart-wide" in wide and "chart-narrow" in narrow
    svg = wide
    assert re.findall(r'<text class="point-label"[^>]*>([^<]*)</text>', svg) == ["50%", "88%"]
    assert re.findall(r'<text class="axis-label"[^>]*>([^<]*)</text>', svg) == [
        "0%",
        "25%",
        "50%",
        "75%",
        "100%",
        "3 Mar",
        "4 Mar",
    ]
    assert '<title id="trend-wide-title">Score per quiz: 3 Mar 50%, 4 Mar 88%</title>' in svg
    assert "your last 2 submitted quizzes" in svg
    # The phone chart shows the same points in less room.
    assert re.findall(r'<text class="point-label"[^>]*>([^<]*)</text>', narrow) == ["50%", "88%"]

    topics = re.findall(
        r'<th scope="row"><a href="[^"]*">([^<]*)</a></th>\s*<td>(\d+)</td>\s*<td>(\d+)</td>'
        r'.*?<span class="bar-value">([^<]*)</span>',
        page,
        flags=re.S,
    )
    # defections: single (wrong twice), short (wrong once), ordering (right twice) = 3 of 6.
    assert topics == [
        ("Defections", "6", "3", "50%"),
        ("Tactics", "4", "3", "75%"),
        ("Universal Periodic Review", "6", "5", "83%"),
        ("People", "2", "2", "100%"),
    ]
    missed = re.search(r'<ol class="missed-list">.*?</ol>', page, flags=re.S).group(0)
    assert missed.index("Which post did Tae Yong-ho hold") < missed.index("Fill in the missing")
    # A cloze is listed with its sentence: its instruction alone says nothing.
    assert "Fill in the missing words. Kim ordered a … of the panel in …." in missed
    assert "Missed 2 of 2 times" in missed and "Missed 1 of 2 times" in missed
    assert "Right answer: <strong>Deputy ambassador in London</strong>" in missed
    assert f'href="/quiz/attempts/{last}/result"' in missed


def test_progress_is_per_student(app, bank, login_as):
    take(login_as("student1"), app, bank.set_id, set())
    page = login_as("student2").get("/progress/").data.decode()
    assert "No answers yet." in page


def test_mastery_bars_use_widths_not_colour_alone(app, bank, login_as):
    student = login_as("student1")
    take(student, app, bank.set_id, {"matching"})
    page = student.get("/progress/").data.decode()
    assert '<rect class="bar-fill" x="0" y="0" width="0.0" height="10"></rect>' in page
    assert '<span class="bar-value">0%</span>' in page
    assert 'style="' not in page
