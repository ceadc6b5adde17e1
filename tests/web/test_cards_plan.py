"""After a break and before an exam: the queue and the plan the learner sees."""

from __future__ import annotations

import re
from collections import Counter
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from models import MemoryState as MemoryRow
from models import User, db
from quizzes import memory
from quizzes.cards import decks, personal, services
from quizzes.domain import srs
from tests.web.cards_seed import seed_bank, seed_deck

START = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)  # Monday


def text_of(response) -> str:
    return text_of_html(response.get_data(as_text=True))


def text_of_html(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def graduate(uid: int, keys, at: datetime, settings, ratings=(3, 3)) -> None:
    """Learn each memory: two ratings ten minutes apart put it in the Review state."""
    for key in keys:
        moment = at
        for rating in ratings:
            memory.record_review(uid, [key], rating, moment, "flashcard", settings=settings)
            personal.mark_studied([key], moment)
            moment += timedelta(minutes=10)


def setup_user(app, login_as, **settings_changes):
    client = login_as("bo")
    with app.app_context():
        uid = db.session.scalar(select(User.id).where(User.username == "bo"))
        settings = srs.StudySettings(enable_fuzzing=False, **settings_changes)
        memory.save_settings(uid, settings)
        db.session.commit()
    return client, uid, settings


def test_backlog_after_a_break_is_spread_under_the_daily_cap(app, login_as, monkeypatch):
    client, uid, settings = setup_user(app, login_as, reviews_per_day=10)
    with app.app_context():
        deck_id = seed_deck(uid, cards=25)
        graduate(uid, [f"card:{n}" for n in range(1, 26)], START, settings)
        db.session.commit()
        # all 25 were due on Wednesday; the learner comes back 3 weeks later
        back = START + timedelta(days=21)
        deck = decks.load_deck(f"my-{deck_id}", uid)
        context = services.load_context(uid)
        queue = services.build_queue(deck, uid, back, context, with_plan=True)
        assert queue.counts == {"review": 10}
        today = srs.study_day(back, settings)
        assert queue.backlog == {
            today: 10,
            today + timedelta(days=1): 10,
            today + timedelta(days=2): 5,
        }
        assert len(queue.entries) == queue.backlog[today]
    monkeypatch.setitem(app.config, "QUIZDECK_NOW", lambda: back)
    page = text_of(client.get(f"/cards/my-{deck_id}"))
    assert "Catching up after a break" in page
    assert "25 reviews are waiting" in page and "10 today, 10 tomorrow, 5 on Wednesday" in page

    # four done today: six left for today, the rest moves on, still at most 10 a day
    for entry in queue.entries[:4]:
        client.post(f"/cards/my-{deck_id}/study/rate", data={"card": entry.key, "rating": "3"})
    with app.app_context():
        queue = services.build_queue(deck, uid, back, services.load_context(uid), with_plan=True)
        assert len(queue.entries) == queue.size == 6
        assert queue.backlog == {
            today: 6,
            today + timedelta(days=1): 10,
            today + timedelta(days=2): 5,
        }
    # The study page says so and links to the plan; the deck page shows it.
    page = client.get(f"/cards/my-{deck_id}/study").get_data(as_text=True)
    assert "More reviews are waiting than your daily limit" in text_of_html(page)
    assert "See the plan" in page
    assert f'href="/cards/my-{deck_id}"' in page
    page = text_of(client.get(f"/cards/my-{deck_id}"))
    assert "21 reviews are waiting" in page and "6 today, 10 tomorrow, 5 on Wednesday" in page

    # Today's six done: the finished page shows what is left, from tomorrow on.
    for entry in queue.entries:
        client.post(f"/cards/my-{deck_id}/study/rate", data={"card": entry.key, "rating": "3"})
    page = text_of(client.get(f"/cards/my-{deck_id}/study"))
    assert "15 reviews are waiting" in page and "10 tomorrow, 5 on Wednesday" in page


def test_backlog_plan_counts_reviews_already_due_later(app, login_as, monkeypatch):
    client, uid, settings = setup_user(app, login_as, reviews_per_day=4)
    with app.app_context():
        deck_id = seed_deck(uid, cards=12)
        graduate(uid, [f"card:{n}" for n in range(1, 9)], START, settings)
        interval = state_of(uid, "card:1").due - state_of(uid, "card:1").last_review
        second = START + timedelta(days=26)
        graduate(uid, [f"card:{n}" for n in range(9, 12)], second, settings)
        db.session.commit()
        # Back the day before those three fall due; the first eight are long overdue.
        now = state_of(uid, "card:9").due - timedelta(days=1)
        today = srs.study_day(now, settings)
        tomorrow = today + timedelta(days=1)
        assert interval >= timedelta(days=2)
        assert srs.study_day(state_of(uid, "card:11").due, settings) == tomorrow
        # Three of them done today (forgotten: relearning steps, no longer reviews).
        for entry in build(uid, deck_id, now).entries[:3]:
            memory.record_review(uid, [entry.key], 1, now, "flashcard", settings=settings)
        db.session.commit()
        queue = build(uid, deck_id, now)
        assert queue.reviews_due == 5 and queue.counts["review"] == 1
        assert queue.counts["new"] == 1 and queue.counts["learning"] == 3
        # 1 room left today; tomorrow already has 3 due, so 1 more fits; then 3.
        assert queue.backlog == {today: 1, tomorrow: 1, tomorrow + timedelta(days=1): 3}
    monkeypatch.setitem(app.config, "QUIZDECK_NOW", lambda: now)
    page = text_of(client.get(f"/cards/my-{deck_id}"))
    assert "5 reviews are waiting" in page and "1 today, 1 tomorrow, 3 on " in page


def state_of(uid, key):
    return srs.MemoryState.from_dict(memory.memory_state(uid, key).state)


def build(uid, deck_id, now):
    deck = decks.load_deck(f"my-{deck_id}", uid)
    return services.build_queue(deck, uid, now, services.load_context(uid), with_plan=True)


def test_exam_mode_brings_forward_what_would_be_forgotten_by_the_exam(app, login_as, monkeypatch):
    client, uid, settings = setup_user(app, login_as)
    with app.app_context():
        seed_bank()
        # Both upr memories learnt on Monday; the short one shakily (Hard), the fact firmly.
        graduate(uid, ["item:upr.year.short"], START, settings, ratings=(3, 2, 3))
        graduate(uid, ["fact:coi.report"], START, settings, ratings=(3, 4))
        db.session.commit()
        deck = decks.load_deck("topic-upr", uid)
        context = services.load_context(uid)
        now = START + timedelta(hours=2)
        assert services.build_queue(deck, uid, now, context).entries == []  # nothing due
        exam_day = date(2025, 4, 30)
        services.save_exam(uid, services.Exam(exam_day, "upr"))
        db.session.commit()
        context = services.load_context(uid)
        assert context.exam == services.Exam(exam_day, "upr")
        queue = services.build_queue(deck, uid, now, context)
        assert queue.exam_date == exam_day
        at_exam = srs.exam_moment(exam_day, settings)
        states = dict(deck.all_states(uid))
        recall = {k: states[k].retrievability(at_exam, settings) for k in states}
        assert all(r < settings.desired_retention for r in recall.values())
        assert [e.key for e in queue.entries] == sorted(recall, key=recall.get)
        assert queue.entries[0].key == "item:upr.year.short"
        # another topic's deck is not in exam mode
        other = decks.load_deck("topic-defections", uid)
        assert services.build_queue(other, uid, now, context).exam_date is None
    monkeypatch.setitem(app.config, "QUIZDECK_NOW", lambda: now)
    page = text_of(client.get("/cards/topic-upr/study"))
    assert "Exam mode: until Wednesday 2025-04-30" in page
    assert "In which city does the Universal Periodic Review meet?" in page
    index = text_of(client.get("/cards/"))
    # The banner names the topic by its title (issue 19), not its code "upr".
    assert "Exam: Universal Periodic Review on Wednesday 2025-04-30" in index
    assert "Study for it now" in index


def test_settings_page_saves_scheduling_and_exam(app, login_as, monkeypatch):
    client, uid, _ = setup_user(app, login_as)
    with app.app_context():
        seed_bank()
    monkeypatch.setitem(app.config, "QUIZDECK_NOW", lambda: START)
    page = client.get("/cards/settings").get_data(as_text=True)
    assert 'value="0.9"' in page and 'value="1m 10m"' in page
    form = {
        "desired_retention": "0,85",  # a decimal comma reads as 0.85
        "new_per_day": "5",
        "reviews_per_day": "50",
        "learning_steps": "30s 5m",
        "relearning_steps": "15m",
        "timezone": "Asia/Seoul",
        "day_start_hour": "3",
        "exam_date": "2025-05-02",
        "exam_topic": "upr",
    }
    response = client.post("/cards/settings", data=form)
    assert response.status_code == 302
    with app.app_context():
        settings = memory.load_settings(uid)
        assert (settings.desired_retention, settings.new_per_day, settings.reviews_per_day) == (
            0.85,
            5,
            50,
        )
        assert settings.learning_steps == (timedelta(seconds=30), timedelta(minutes=5))
        assert settings.relearning_steps == (timedelta(minutes=15),)
        assert (settings.timezone, settings.day_start_hour) == ("Asia/Seoul", 3)
        assert settings.enable_fuzzing is False  # kept from before
        assert db.session.get(User, uid).timezone == "Asia/Seoul"
        assert services.load_context(uid).exam == services.Exam(date(2025, 5, 2), "upr")


def test_settings_errors_are_explained(app, login_as, monkeypatch):
    client, uid, _ = setup_user(app, login_as)
    monkeypatch.setitem(app.config, "QUIZDECK_NOW", lambda: START)
    form = {
        "desired_retention": "0.5",
        "new_per_day": "5",
        "reviews_per_day": "50",
        "learning_steps": "soon",
        "relearning_steps": "25h",
        "timezone": "UTC",
        "day_start_hour": "4",
        "exam_date": "2025-05-02",
        "exam_topic": "",
    }
    page = text_of(client.post("/cards/settings", data=form))
    assert "Choose between 0.70 and 0.97 (0.90 means 90%)." in page
    assert "“soon” is not a duration such as 10m, 30s or 1h." in page
    assert "Each step must be shorter than a day." in page
    assert "Give both an exam date and a topic, or neither." in page
    form |= {
        "desired_retention": "0.9",
        "learning_steps": "1m",
        "relearning_steps": "10m",
        "exam_date": "2025-03-01",
    }
    page = text_of(client.post("/cards/settings", data=form | {"exam_topic": ""}))
    assert "Give both" in page
    with app.app_context():
        assert memory.load_settings(uid).desired_retention == 0.9  # nothing saved


def test_a_backlog_that_cannot_be_caught_up_under_the_limit_says_so(app, login_as, monkeypatch):
    client, uid, settings = setup_user(app, login_as, reviews_per_day=2)
    with app.app_context():
        deck_id = seed_deck(uid, cards=31)
        today = srs.study_day(START, settings)

        def review_due(at):
            return srs.MemoryState(srs.State.Review, None, 3.0, 5.0, at, at - timedelta(days=3))

        # Five overdue, and two falling due on each of the next 13 days: the limit of
        # two a day is taken by those, so only today's room takes part of the backlog.
        dues = [START - timedelta(days=1)] * 5 + [
            srs.day_start(today + timedelta(days=offset), settings) + timedelta(hours=1)
            for offset in range(1, 14)
            for _ in range(2)
        ]
        for number, due in enumerate(dues, start=1):
            row = MemoryRow(user_id=uid, memory_key=f"card:{number}", topics=[], deck_id=deck_id)
            for column, value in memory.state_columns(review_due(due)).items():
                setattr(row, column, value)
            db.session.add(row)
        personal.mark_studied([f"card:{n}" for n in range(1, 32)], START - timedelta(days=9))
        db.session.commit()
        queue = build(uid, deck_id, START)
        assert queue.backlog == {today: 2} and queue.unplanned == 3
    monkeypatch.setitem(app.config, "QUIZDECK_NOW", lambda: START)
    page = text_of(client.get(f"/cards/my-{deck_id}"))
    assert "5 reviews are waiting" in page and "2 today" in page
    assert "3 more do not fit in the next two weeks" in page and "your study settings" in page

    # Today's two done: nothing of the backlog fits in the two weeks, and the page says so.
    for entry in queue.entries[:2]:
        client.post(f"/cards/my-{deck_id}/study/rate", data={"card": entry.key, "rating": "3"})
    page = text_of(client.get(f"/cards/my-{deck_id}"))
    assert "3 reviews are waiting, more than your daily limit." in page
    assert "3 do not fit in the next two weeks" in page and "spread out" not in page


def test_reviews_that_fit_today_leave_nothing_out_of_a_plan():
    fits = services.Queue([], {}, Counter(), srs.DailyCounts(0, 0), 5, 10, planned=True)
    assert not fits.behind and fits.unplanned == 0
    unplanned = services.Queue([], {}, Counter(), srs.DailyCounts(0, 0), 12, 10, planned=True)
    assert unplanned.behind and unplanned.unplanned == 12  # no day could take any
