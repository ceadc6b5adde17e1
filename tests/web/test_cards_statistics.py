"""Statistics and counts that say what they mean (issue 19): recall after an Again, the
retention chart's weeks, topics not met yet, the daily new-card limit, topic names."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import date, timedelta

from sqlalchemy import select

from models import User, db
from quizzes import memory
from quizzes.cards import services
from quizzes.domain import srs
from tests.web.cards_seed import NOW, seed_bank, seed_deck

SVG = "{http://www.w3.org/2000/svg}"


def uid_of(name: str) -> int:
    return db.session.scalar(select(User.id).where(User.username == name))


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def topic_rows(html: str) -> dict[str, list[str]]:
    table = html[html.index('id="st-topics"') :]
    rows = re.findall(r'<tr><th scope="row">(.*?)</th>(.*?)</tr>', table)
    return {name: re.findall(r"<td>(.*?)</td>", cells) for name, cells in rows}


def test_a_card_failed_minutes_ago_is_being_learnt_not_recalled(app, login_as, monkeypatch):
    client = login_as("again")
    with app.app_context():
        uid = uid_of("again")
        seed_bank()
        settings = srs.StudySettings(enable_fuzzing=False)
        memory.save_settings(uid, settings)
        memory.record_review(
            uid, ["item:upr.year.short"], 1, NOW, "flashcard", settings=settings, topics=["upr"]
        )
        db.session.commit()
    monkeypatch.setitem(app.config, "QUIZDECK_NOW", lambda: NOW + timedelta(minutes=3))
    rows = topic_rows(client.get("/cards/stats").get_data(as_text=True))
    # Predicted recall, learnt, being learnt, not yet seen.
    assert rows["Universal Periodic Review"][:3] == ["–", "0", "1"]


def test_untouched_topics_are_listed_with_what_is_not_yet_seen(app, login_as, monkeypatch):
    client = login_as("fresh")
    with app.app_context():
        seed_bank()
    monkeypatch.setitem(app.config, "QUIZDECK_NOW", lambda: NOW)
    html = client.get("/cards/stats").get_data(as_text=True)
    rows = topic_rows(html)
    assert set(rows) == {"Defections", "Universal Periodic Review", "Tactics"}
    for name, cells in rows.items():
        assert cells[:3] == ["–", "0", "0"], name
        assert int(cells[3]) > 0, name
    assert "Nothing studied yet" not in html


def test_retention_chart_names_every_week_and_each_points_week(app, login_as, monkeypatch):
    client = login_as("weeks")
    with app.app_context():
        uid = uid_of("weeks")
        seed_bank()
        settings = srs.StudySettings(enable_fuzzing=False)
        memory.save_settings(uid, settings)
        key, topics = ["item:upr.year.short"], ["upr"]
        # Learnt weeks ago, then four reviews in the last days: three recalled, one forgotten.
        memory.record_review(uid, key, 4, NOW - timedelta(days=60), "flashcard", settings=settings)
        for offset, rating in [(4, 3), (3, 3), (2, 1), (1, 3)]:
            memory.record_review(
                uid,
                key,
                rating,
                NOW - timedelta(days=offset),
                "flashcard",
                settings=settings,
                topics=topics,
            )
        db.session.commit()
    monkeypatch.setitem(app.config, "QUIZDECK_NOW", lambda: NOW)
    html = client.get("/cards/stats").get_data(as_text=True)
    svg = next(s for s in re.findall(r"<svg.*?</svg>", html, re.S) if "Retention achieved" in s)
    root = ET.fromstring(svg)
    axis = root.find(f".//{SVG}g[@class='axis x-axis']")
    names = [t.text for t in axis.findall(f"{SVG}text")][:-1]  # the last is the axis title
    assert names and all(re.fullmatch(r"\d{1,2} [A-Z][a-z]{2}", name) for name in names)
    tooltips = [t.text for t in root.iter(f"{SVG}title")]
    achieved = [t for t in tooltips if t.startswith("Achieved")]
    assert achieved and all(
        re.fullmatch(r"Achieved, \d{1,2} [A-Z][a-z]{2}: \d+%", t) for t in achieved
    )
    assert "Achieved, : " not in html


def test_deck_list_new_count_follows_the_daily_limit(app, login_as, monkeypatch):
    client = login_as("limited")
    with app.app_context():
        uid = uid_of("limited")
        seed_deck(uid, cards=3)
        settings = srs.StudySettings(enable_fuzzing=False, new_per_day=1)
        memory.save_settings(uid, settings)
        db.session.commit()
    monkeypatch.setitem(app.config, "QUIZDECK_NOW", lambda: NOW)
    assert re.search(
        r"My deck 3 0 1 of 3: the daily limit Study",
        text_of(client.get("/cards/").get_data(as_text=True)),
    )
    with app.app_context():
        memory.record_review(
            uid, ["card:1"], 3, NOW - timedelta(hours=1), "flashcard", settings=settings
        )
        db.session.commit()
    listed = text_of(client.get("/cards/").get_data(as_text=True))
    assert re.search(r"My deck 3 1 due 0 of 2: the daily limit Study", listed), listed
    assert "0 new today" in text_of(client.get("/cards/my-1").get_data(as_text=True))


def test_settings_and_exam_banner_name_topics_by_title(app, login_as, monkeypatch):
    client = login_as("examinee")
    with app.app_context():
        uid = uid_of("examinee")
        seed_bank()
        services.save_exam(uid, services.Exam(date(2025, 3, 20), "upr"))
        db.session.commit()
    monkeypatch.setitem(app.config, "QUIZDECK_NOW", lambda: NOW)
    settings_page = client.get("/cards/settings").get_data(as_text=True)
    assert '<option selected value="upr">Universal Periodic Review</option>' in settings_page
    assert ">upr<" not in settings_page
    banner = text_of(client.get("/cards/").get_data(as_text=True))
    assert "Exam: Universal Periodic Review on" in banner
