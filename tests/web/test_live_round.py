"""A live round over HTTP: set-up, joining, answering, the key kept back until the
question closes, the report and CSV, and the memory model of signed-in players."""

from __future__ import annotations

import csv
import html
import io
import json
import re

import pytest
from sqlalchemy import select

from models import Attempt, LiveAnswer, LivePlayer, LiveSession, MemoryState, Role, User, db
from tests.web.live_support import answer, control, join, make_set, pin_of, start_session


@pytest.fixture
def room(app, login_as):
    teacher = login_as("teacher1", Role.TEACHER)
    student = login_as("student1", Role.STUDENT)
    guest = app.test_client()
    with app.app_context():
        set_id = make_set(None)
    session_id = start_session(app, teacher, set_id)
    join(app, student, session_id)
    join(app, guest, session_id, nickname="Mina")
    return app, teacher, student, guest, session_id


def page_data(client, session_id, name="data-state"):
    """The JSON a live page starts from (an attribute of its root element)."""
    page = client.get(f"/live/play/{session_id}").get_data(as_text=True)
    found = re.search(name + r"='([^']*)'", page)
    return json.loads(html.unescape(found.group(1)))


def test_a_round_from_start_to_report(room):
    app, teacher, student, guest, session_id = room
    assert control(teacher, session_id, "start").get_json()["ok"]

    # Question 1 (single choice): the phone page carries the options, never the key.
    page = student.get(f"/live/play/{session_id}").get_data(as_text=True)
    assert "Pyongyang" in page and "Kaesong" in page
    state = page_data(student, session_id)
    assert state["results"] is None and "correct" not in json.dumps(state)
    with app.app_context():
        question = db.session.get(LiveSession, session_id).questions[0]
        view, key = question.snapshot["view"], question.snapshot["key"]
    right = key["correct"]
    wrong = (right + 1) % len(view["options"])
    reply = answer(student, session_id, 1, answer=str(right)).get_json()
    assert reply == {"ok": True, "number": 1, "answer": "Pyongyang"}
    assert answer(guest, session_id, 1, answer=str(wrong)).get_json()["ok"]
    # A changed answer replaces the first one.
    assert answer(guest, session_id, 1, answer=str(right)).get_json()["ok"]
    assert answer(guest, session_id, 1, answer=str(wrong)).get_json()["ok"]

    assert control(teacher, session_id, "close").get_json()["phase"] == "results"
    host = teacher.get(f"/live/{session_id}").get_data(as_text=True)
    assert "Pyongyang has been the capital since 1948." in host  # the explanation
    assert page_data(student, session_id)["results"]["right_answer"] == "Pyongyang"
    # Answers after the close are refused, and change nothing.
    late = answer(guest, session_id, 1, answer=str(right))
    assert late.status_code == 409 and "Time is up" in late.get_json()["message"]

    # Question 2 (true/false) skipped; question 3 (short answer) answered by the student.
    assert control(teacher, session_id, "next").get_json()["ok"]
    assert control(teacher, session_id, "skip").get_json()["ok"]
    # A short-answer question's accepted answers stay on the server while it is open.
    assert "Pyongyang" not in json.dumps(page_data(student, session_id))
    assert answer(student, session_id, 3, answer="pyongyag").get_json()["ok"]  # a typo
    assert control(teacher, session_id, "close").get_json()["ok"]
    assert control(teacher, session_id, "end").get_json()["phase"] == "ended"

    with app.app_context():
        live = db.session.get(LiveSession, session_id)
        assert live.pin is None  # free for another session
        student_id = db.session.scalar(
            select(LivePlayer.user_id).where(LivePlayer.nickname == "student1")
        )
        attempt = db.session.scalar(select(Attempt).where(Attempt.user_id == student_id))
        assert attempt.title == "Live: Live set" and attempt.is_submitted
        assert [item.item_type for item in attempt.items] == ["single", "short"]
        assert [item.correct for item in attempt.items] == [True, True]
        keys = set(
            db.session.scalars(
                select(MemoryState.memory_key).where(MemoryState.user_id == student_id)
            )
        )
        assert "fact:capital" in keys
        assert db.session.scalar(select(db.func.count(Attempt.id))) == 1  # none for the guest
        attempt_id = attempt.id
    # In the student's history like a quiz, with its result page.
    assert "Live: Live set" in student.get("/quiz/history").get_data(as_text=True)
    result = student.get(f"/quiz/attempts/{attempt_id}/result").get_data(as_text=True)
    assert "Which city is the capital of the DPRK?" in result
    assert "Pyongyang has been the capital since 1948." in result

    report = teacher.get(f"/live/{session_id}/report").get_data(as_text=True)
    assert "skipped: not counted" in report
    assert "student1" in report and "Mina" in report
    rows = list(
        csv.DictReader(
            io.StringIO(teacher.get(f"/live/{session_id}/report.csv").get_data(as_text=True))
        )
    )
    by_player = {(r["student"], r["question"]): r for r in rows}
    assert by_player[("student1", "1")]["answer"] == "Pyongyang"
    assert by_player[("student1", "1")]["right"] == "yes"
    assert by_player[("Mina", "1")]["right"] == "no"
    assert by_player[("Mina", "3")]["answer"] == "" and by_player[("Mina", "3")]["score"] == ""
    assert by_player[("student1", "3")]["score"] == "1.00"
    assert {r["question"] for r in rows} == {"1", "3"}  # the skipped question is not there


def test_a_reloaded_phone_gets_its_answer_back(room):
    app, teacher, student, guest, session_id = room
    control(teacher, session_id, "start")
    with app.app_context():
        key = db.session.get(LiveSession, session_id).questions[0].snapshot["key"]
    answer(guest, session_id, 1, answer=str(key["correct"]))
    controls = page_data(guest, session_id)["question"]["controls_html"]
    assert re.findall(r'value="(\d)"\s*checked', controls) == [str(key["correct"])]
    assert page_data(guest, session_id, "data-mine") == {
        "number": 1,
        "answered": True,
        "answer": "Pyongyang",
    }
    # Another player's page has nothing ticked.
    assert "checked" not in page_data(student, session_id)["question"]["controls_html"]


def test_guests_act_only_in_their_own_session(room, app, login_as):
    app, teacher, student, guest, session_id = room
    with app.app_context():
        other_set = make_set(None, title="Other")
    other_teacher = login_as("teacher2", Role.TEACHER)
    other_id = start_session(app, other_teacher, other_set)
    control(other_teacher, other_id, "start")
    control(teacher, session_id, "start")
    assert answer(guest, other_id, 1, answer="0").status_code == 404
    assert guest.get(f"/live/play/{other_id}").status_code == 404
    assert app.test_client().get(f"/live/play/{session_id}").status_code == 404
    # The other teacher cannot see or steer this session.
    assert other_teacher.get(f"/live/{session_id}").status_code == 404
    assert control(other_teacher, session_id, "end").status_code == 404
    assert other_teacher.get(f"/live/{session_id}/report.csv").status_code == 404


def test_the_teacher_renames_and_removes_a_guest(room):
    app, teacher, student, guest, session_id = room
    with app.app_context():
        mina = db.session.scalar(select(LivePlayer).where(LivePlayer.nickname == "Mina")).id
    teacher.post(f"/live/{session_id}/players/{mina}/rename", data={"nickname": "Guest 7"})
    with app.app_context():
        assert db.session.get(LivePlayer, mina).nickname == "Guest 7"
    teacher.post(f"/live/{session_id}/players/{mina}/rename", data={"nickname": "sh1t"})
    with app.app_context():
        assert db.session.get(LivePlayer, mina).nickname == "Guest 7"
    teacher.post(f"/live/{session_id}/players/{mina}/remove", data={})
    control(teacher, session_id, "start")
    refused = answer(guest, session_id, 1, answer="0")
    assert refused.status_code == 409 and "removed" in refused.get_json()["message"]
    assert guest.get(f"/live/play/{session_id}/events").status_code == 204


@pytest.mark.parametrize(
    ("pin", "nickname", "message"),
    [
        ("", "Ann", "Type the PIN on the screen."),
        ("999999x", "Ann", "No session is running with this PIN"),
        ("١٢٣٤٥٦", "Ann", "No session is running with this PIN"),  # Arabic-Indic digits
        (None, "f.u.c.k", "not allowed in class"),
        (None, "", "Type a nickname."),
        (None, "x" * 21, "at most 20 characters"),
        (None, "student1", "already called"),
    ],
)
def test_a_bad_join_says_why_and_changes_nothing(room, pin, nickname, message):
    app, teacher, student, guest, session_id = room
    with app.app_context():
        before = db.session.scalar(select(db.func.count(LivePlayer.id)))
    if pin is None:
        pin = pin_of(app, session_id)
    response = app.test_client().post("/live/join", data={"pin": pin, "nickname": nickname})
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(db.func.count(LivePlayer.id))) == before


def test_bad_answers_are_messages(room):
    app, teacher, student, guest, session_id = room
    assert answer(student, session_id, 1, answer="0").status_code == 409  # not started
    control(teacher, session_id, "start")
    for form in ({}, {"answer": "9"}, {"answer": "١"}, {"answer": "x" * 5000}):
        reply = answer(student, session_id, 1, **form)
        assert reply.status_code == 409 and reply.get_json()["message"]
    assert answer(student, session_id, 2, answer="true").status_code == 409  # not open
    assert answer(student, session_id, "١", answer="0").status_code == 409
    with app.app_context():
        assert db.session.scalar(select(db.func.count(LiveAnswer.id))) == 0


def test_two_clicks_on_next_move_the_round_once(room):
    app, teacher, student, guest, session_id = room
    assert control(teacher, session_id, "start").status_code == 200
    again = control(teacher, session_id, "start")
    assert again.status_code == 409 and again.get_json()["message"]
    assert control(teacher, session_id, "dance").status_code == 400


def test_the_account_export_holds_ones_own_live_answers_only(room):
    app, teacher, student, guest, session_id = room
    control(teacher, session_id, "start")
    with app.app_context():
        key = db.session.get(LiveSession, session_id).questions[0].snapshot["key"]
    answer(student, session_id, 1, answer=str(key["correct"]))
    answer(guest, session_id, 1, answer=str((key["correct"] + 1) % 3))
    mine = student.get("/account/export.json").get_json()
    [played] = mine["live_sessions_played"]
    assert played["nickname"] == "student1" and len(played["answers"]) == 1
    assert played["answers"][0]["correct"] is True
    assert "Mina" not in json.dumps(mine)
    hosted = teacher.get("/account/export.json").get_json()
    [session] = hosted["live_sessions_hosted"]
    assert session["players"] == 2 and len(session["questions"]) == 3
    assert "Mina" not in json.dumps(hosted) and hosted["live_sessions_played"] == []


def test_deleting_accounts_deletes_their_live_rows(room):
    from quizzes.account.services import delete_account

    app, teacher, student, guest, session_id = room
    control(teacher, session_id, "start")
    answer(student, session_id, 1, answer="0")
    with app.app_context():
        from models import User, utcnow

        student_row = db.session.scalar(select(User).where(User.username == "student1"))
        delete_account(student_row, utcnow())
        db.session.commit()
        assert db.session.scalar(select(db.func.count(LiveAnswer.id))) == 0
        assert [p.nickname for p in db.session.scalars(select(LivePlayer))] == ["Mina"]
        teacher_row = db.session.scalar(select(User).where(User.username == "teacher1"))
        delete_account(teacher_row, utcnow())
        db.session.commit()
        assert db.session.scalar(select(db.func.count(LiveSession.id))) == 0
        assert db.session.scalar(select(db.func.count(LivePlayer.id))) == 0


def test_joins_are_limited_per_address_and_answers_per_player(make_app, create_user):
    app = make_app(
        RATELIMIT_ENABLED=True,
        LIVE_JOIN_RATE_LIMIT="3 per minute",
        LIVE_ANSWER_RATE_LIMIT="2 per minute",
    )
    create_user("teacher1", Role.TEACHER)
    teacher = app.test_client()
    from tests.conftest import AuthActions

    AuthActions(teacher).login("teacher1")
    with app.app_context():
        set_id = make_set(None)
    session_id = start_session(app, teacher, set_id)
    guessing = app.test_client()
    for _ in range(3):
        assert (
            guessing.post("/live/join", data={"pin": "000000", "nickname": "x"}).status_code == 200
        )
    over = guessing.post("/live/join", data={"pin": pin_of(app, session_id), "nickname": "Eve"})
    assert over.status_code == 429 and over.headers["Retry-After"]
    # Guests behind the same address (the limit above is per address) from a fresh window:
    # two players' answers count separately.
    from quizzes.extensions import limiter

    with app.app_context():
        limiter.reset()
    mina, jo = app.test_client(), app.test_client()
    join(app, mina, session_id, "Mina")
    join(app, jo, session_id, "Jo")
    control(teacher, session_id, "start")
    assert answer(mina, session_id, 1, answer="0").status_code == 200
    assert answer(mina, session_id, 1, answer="1").status_code == 200
    assert answer(mina, session_id, 1, answer="2").status_code == 429
    assert answer(jo, session_id, 1, answer="0").status_code == 200


def test_a_round_kept_in_the_gradebook_and_drawn_from_the_class(app, login_as):
    from models import Assignment, SchoolClass
    from quizzes.classes import services as class_services

    teacher = login_as("teacher1", Role.TEACHER)
    student = login_as("student1", Role.STUDENT)
    with app.app_context():
        set_id = make_set(None)
        teacher_row = db.session.scalar(select(User).where(User.username == "teacher1"))
        school_class = class_services.create_class(teacher_row, "Year 11")
        student_row = db.session.scalar(select(User).where(User.username == "student1"))
        class_services.join_class(student_row, school_class.join_code)
        db.session.commit()
        class_id = school_class.id
    response = teacher.post(
        "/live/new",
        data={
            "set_id": set_id,
            "class_id": class_id,
            "mode": "draw",
            "count": 2,
            "seconds": 30,
            "keep": "y",
        },
    )
    assert response.status_code == 302
    session_id = int(response.headers["Location"].rsplit("/", 1)[1])
    with app.app_context():
        live = db.session.get(LiveSession, session_id)
        drawn = [q.snapshot["type"] for q in live.questions]
    assert len(drawn) == 2 and "cloze" not in drawn
    join(app, student, session_id)
    control(teacher, session_id, "start")
    answer(student, session_id, 1, answer="true" if drawn[0] == "truefalse" else "0")
    control(teacher, session_id, "end")
    with app.app_context():
        live = db.session.get(LiveSession, session_id)
        assignment = db.session.get(Assignment, live.assignment_id)
        assert assignment.class_id == class_id and db.session.get(SchoolClass, class_id)
        attempt = db.session.scalar(select(Attempt).where(Attempt.assignment_id == assignment.id))
        assert attempt.is_submitted and len(attempt.items) == 1  # the question asked
    gradebook = teacher.get(f"/teach/classes/{class_id}/gradebook").get_data(as_text=True)
    assert "student1" in gradebook and "Live set" in gradebook


def test_keeping_in_a_gradebook_needs_a_class(app, login_as):
    teacher = login_as("teacher1", Role.TEACHER)
    with app.app_context():
        set_id = make_set(None)
    response = teacher.post(
        "/live/new",
        data={
            "set_id": set_id,
            "class_id": 0,
            "mode": "draw",
            "count": 2,
            "seconds": 30,
            "keep": "y",
        },
    )
    assert response.status_code == 200
    assert "Choose a class to keep the round" in response.get_data(as_text=True)
    for bad in (
        {"seconds": "٣٠"},
        {"seconds": "4"},
        {"count": "99999999999999999999"},
        {"mode": "choose"},
    ):
        data = {"set_id": set_id, "class_id": 0, "mode": "draw", "count": 2, "seconds": 30, **bad}
        assert teacher.post("/live/new", data=data).status_code == 200
    with app.app_context():
        assert db.session.scalar(select(db.func.count(LiveSession.id))) == 0


def test_every_live_type_is_answered_kept_on_reload_and_graded(app, login_as):
    """Each item type a live round asks, through the fields its quiz partial renders:
    right from the student, wrong from a guest; a reload shows the answer as sent."""
    from tests.fixtures_items import form_state, make_items, right_form, wrong_form

    teacher = login_as("teacher1", Role.TEACHER)
    student = login_as("student1", Role.STUDENT)
    guest = app.test_client()
    made = make_items(app)
    live_ids = [item_id for kind, item_id in made.item_ids.items() if kind != "cloze"]
    # The cloze is not offered: a live round cannot ask it.
    offered = teacher.get(f"/live/new?set_id={made.set_id}").get_data(as_text=True)
    ticks = re.findall(r'name="item_ids" type="checkbox" value="(\d+)"', offered)
    assert sorted(map(int, ticks)) == sorted(live_ids)
    response = teacher.post(
        "/live/new",
        data={
            "set_id": made.set_id,
            "class_id": 0,
            "mode": "choose",
            "seconds": 60,
            "item_ids": live_ids,
        },
    )
    session_id = int(response.headers["Location"].rsplit("/", 1)[1])
    with app.app_context():
        snapshots = [q.snapshot for q in db.session.get(LiveSession, session_id).questions]
    assert sorted(s["type"] for s in snapshots) == sorted(
        ["single", "multi", "truefalse", "short", "numeric", "ordering", "matching"]
    )
    join(app, student, session_id)
    join(app, guest, session_id, "Mina")
    for number, snapshot in enumerate(snapshots, start=1):
        control(teacher, session_id, "start" if number == 1 else "next")
        right, wrong = right_form(snapshot), wrong_form(snapshot)
        assert answer(student, session_id, number, **right).status_code == 200, snapshot["type"]
        assert answer(guest, session_id, number, **wrong).status_code == 200, snapshot["type"]
        for client, sent in ((student, right), (guest, wrong)):
            shown = form_state(page_data(client, session_id)["question"]["controls_html"])
            assert shown == sent, snapshot["type"]
        control(teacher, session_id, "close")
    control(teacher, session_id, "end")
    rows = list(
        csv.DictReader(
            io.StringIO(teacher.get(f"/live/{session_id}/report.csv").get_data(as_text=True))
        )
    )
    assert {r["right"] for r in rows if r["student"] == "student1"} == {"yes"}
    assert {r["score"] for r in rows if r["student"] == "Mina"} == {"0.00"}


def test_a_paused_question_keeps_its_time_and_takes_answers(room):
    from datetime import timedelta

    from models import utcnow

    app, teacher, student, guest, session_id = room
    moments = [utcnow()]
    app.config["QUIZDECK_NOW"] = lambda: moments[-1]
    control(teacher, session_id, "start")
    moments.append(moments[-1] + timedelta(seconds=25))  # 5 of 30 s left
    control(teacher, session_id, "pause")
    moments.append(moments[-1] + timedelta(minutes=10))
    state = page_data(student, session_id)
    assert state["paused"] and state["time_left_ms"] == 5000
    assert answer(student, session_id, 1, answer="0").status_code == 200
    control(teacher, session_id, "resume")
    moments.append(moments[-1] + timedelta(seconds=4))
    assert answer(guest, session_id, 1, answer="1").status_code == 200
    moments.append(moments[-1] + timedelta(seconds=3))  # past the deadline and its grace
    late = answer(guest, session_id, 1, answer="2")
    assert late.status_code == 409 and "Time is up" in late.get_json()["message"]


def test_a_pin_drawn_twice_is_drawn_again(app, create_user, monkeypatch):
    from random import Random

    from models import QuestionSet, utcnow
    from quizzes.live import services

    teacher_id = create_user("teacher1", Role.TEACHER)
    with app.app_context():
        question_set = db.session.get(QuestionSet, make_set(None))
        teacher = db.session.get(User, teacher_id)

        def open_one(seed: int) -> LiveSession:
            return services.create_session(
                teacher,
                question_set,
                question_set.items[:1],
                seconds=20,
                show_leaderboard=False,
                school_class=None,
                keep_in_gradebook=False,
                now=utcnow(),
                rng=Random(seed),
            )

        first = open_one(7)
        drawn = iter([first.pin, "123456"])  # the first draw collides, as in a race
        monkeypatch.setattr(services, "new_pin", lambda rng: next(drawn))
        second = open_one(7)
        db.session.commit()
        assert second.pin == "123456" != first.pin


def test_a_nickname_with_markup_is_shown_as_text(room):
    app, teacher, student, guest, session_id = room
    payload = "<img src=x onerror=alert(1)>"
    join(app, app.test_client(), session_id, payload[:20])
    control(teacher, session_id, "start")
    control(teacher, session_id, "close")
    control(teacher, session_id, "end")
    for path in (f"/live/{session_id}", f"/live/{session_id}/report"):
        page = teacher.get(path).get_data(as_text=True)
        assert "<img src=x" not in page
        assert "&lt;img src=x" in page or "\\u003cimg src=x" in page


def test_ids_beyond_the_database_are_not_found(room):
    app, teacher, student, guest, session_id = room
    huge = "9" * 20
    for client, path in (
        (guest, f"/live/play/{huge}"),
        (guest, f"/live/play/{huge}/events"),
        (teacher, f"/live/{huge}"),
        (teacher, f"/live/{session_id}/players/{huge}/remove"),
    ):
        method = client.post if path.endswith("remove") else client.get
        assert method(path).status_code == 404, path
    assert answer(guest, int(huge), 1, answer="0").status_code == 404
