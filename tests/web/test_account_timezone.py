"""Changing the time zone on the account page: one stored preference with the flashcard
study settings, the same choices and checks, and POST/redirect/GET with a message."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from models import User, db
from quizzes import memory
from quizzes.web.forms import time_zone_choices
from tests.conftest import sign_in_without_password
from tests.web.account_support import save_study_settings
from tests.web.teach_support import error_for, text_of, user_id


def zones_of(app, username: str) -> tuple[str, str]:
    """(the zone pages use, the zone the flashcard scheduler uses)."""
    uid = user_id(app, username)
    with app.app_context():
        return db.session.get(User, uid).timezone, memory.load_settings(uid).timezone


def selected_zone(page: str) -> list[str]:
    select = re.search(r'<select [^>]*name="timezone".*?</select>', page, re.S).group(0)
    return re.findall(r'<option selected value="([^"]+)">', select)


def test_the_account_page_has_a_labelled_time_zone_field(login_as):
    page = login_as("ana_tz").get("/account/").get_data(as_text=True)
    form = re.search(r'<form method="post" action="/account/timezone".*?</form>', page, re.S)
    assert form is not None
    assert '<label for="timezone">Your time zone</label>' in form.group(0)
    assert 'aria-describedby="timezone-hint"' in form.group(0)
    assert selected_zone(page) == ["UTC"]
    assert form.group(0).count("<option ") == len(time_zone_choices())
    assert "Save time zone</button>" in form.group(0)


def test_the_flashcard_settings_offer_the_same_zones(login_as):
    client = login_as("ana_tz")
    account = client.get("/account/").get_data(as_text=True)
    cards = client.get("/cards/settings").get_data(as_text=True)
    options = re.compile(r'<option (?:selected )?value="([^"]+)">')
    account_zones = options.findall(re.search(r'name="timezone".*?</select>', account, re.S)[0])
    cards_zones = options.findall(re.search(r'name="timezone".*?</select>', cards, re.S)[0])
    assert account_zones == cards_zones == list(time_zone_choices())
    assert "Europe/London" in account_zones and "UTC" in account_zones


def test_changing_the_zone_sets_it_for_pages_and_flashcards_alike(app, login_as):
    client = login_as("ana_tz")
    save_study_settings(client, "UTC")  # retention 0.85, 15 new cards a day...
    with app.app_context():
        user = db.session.get(User, user_id(app, "ana_tz"))
        user.created_at = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
        db.session.commit()

    response = client.post("/account/timezone", data={"timezone": "Asia/Seoul"})
    assert response.status_code == 302 and response.headers["Location"] == "/account/"
    assert zones_of(app, "ana_tz") == ("Asia/Seoul", "Asia/Seoul")
    with app.app_context():
        settings = memory.load_settings(user_id(app, "ana_tz"))
    # The other study settings stay as they were.
    assert (settings.desired_retention, settings.new_per_day, settings.day_start_hour) == (
        0.85,
        15,
        4,
    )

    page = client.get("/account/").get_data(as_text=True)
    assert (
        "Done: Your time zone is now Asia/Seoul: times on every page and your flashcard "
        "study day follow it."
    ) in text_of(page)
    assert selected_zone(page) == ["Asia/Seoul"]
    assert "Created 2 Mar 2026, 18:00 KST" in text_of(page)  # 09:00 UTC, in Seoul
    cards = client.get("/cards/settings").get_data(as_text=True)
    assert selected_zone(cards) == ["Asia/Seoul"]


def test_a_user_who_never_opened_the_flashcards_gets_the_zone_there_too(app, login_as):
    client = login_as("ben_tz")
    assert (
        client.post("/account/timezone", data={"timezone": "America/Sao_Paulo"}).status_code == 302
    )
    assert zones_of(app, "ben_tz") == ("America/Sao_Paulo", "America/Sao_Paulo")
    with app.app_context():
        assert memory.load_settings(user_id(app, "ben_tz")).new_per_day == 20  # the default


def test_a_zone_chosen_in_the_flashcard_settings_shows_on_the_account_page(app, login_as):
    client = login_as("ana_tz")
    save_study_settings(client, "Europe/Paris")
    assert selected_zone(client.get("/account/").get_data(as_text=True)) == ["Europe/Paris"]


def test_the_same_zone_again_changes_nothing_and_says_so(app, login_as):
    client = login_as("ana_tz")
    client.post("/account/timezone", data={"timezone": "Europe/Paris"})
    response = client.post("/account/timezone", data={"timezone": "Europe/Paris"})
    assert response.status_code == 302
    page = text_of(client.get("/account/").get_data(as_text=True))
    assert "Note: Your time zone was already Europe/Paris; nothing changed." in page


@pytest.mark.parametrize("sent", [{"timezone": "Mars/Olympus_Mons"}, {"timezone": ""}, {}])
def test_a_zone_not_in_the_list_is_refused_on_its_field(app, login_as, sent):
    client = login_as("ana_tz")
    response = client.post("/account/timezone", data=sent)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert error_for(page, "timezone") == (
        "Error: Choose a time zone from the list, such as Europe/London."
    )
    assert 'aria-describedby="timezone-hint timezone-error"' in page
    assert zones_of(app, "ana_tz") == ("UTC", "UTC")


def test_the_flashcard_settings_refuse_it_the_same_way(app, login_as):
    client = login_as("ana_tz")
    save_study_settings(client, "Europe/Paris")
    fields = {
        "desired_retention": "0.9",
        "new_per_day": "20",
        "reviews_per_day": "200",
        "learning_steps": "1m 10m",
        "relearning_steps": "10m",
        "timezone": "Mars/Olympus_Mons",
        "day_start_hour": "4",
        "exam_topic": "",
    }
    page = client.post("/cards/settings", data=fields).get_data(as_text=True)
    assert error_for(page, "timezone") == (
        "Error: Choose a time zone from the list, such as Europe/London."
    )
    assert zones_of(app, "ana_tz") == ("Europe/Paris", "Europe/Paris")


def test_the_form_carries_a_csrf_token_and_is_refused_without_it(make_app, create_user):
    app = make_app(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    sign_in_without_password(app, client, create_user("ana_tz"))
    page = client.get("/account/").get_data(as_text=True)
    form = re.search(r'<form method="post" action="/account/timezone".*?</form>', page, re.S)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form.group(0))
    refused = client.post("/account/timezone", data={"timezone": "Asia/Seoul"})
    assert refused.status_code == 400
    assert zones_of(app, "ana_tz") == ("UTC", "UTC")
    sent = client.post(
        "/account/timezone", data={"timezone": "Asia/Seoul", "csrf_token": token.group(1)}
    )
    assert sent.status_code == 302
    assert zones_of(app, "ana_tz") == ("Asia/Seoul", "Asia/Seoul")


def test_the_account_page_says_when_the_study_day_starts_and_where_to_change_it(login_as):
    client = login_as("zoned", "teacher")
    fields = {
        "desired_retention": "0.9",
        "new_per_day": "20",
        "reviews_per_day": "200",
        "learning_steps": "1m 10m",
        "relearning_steps": "10m",
        "timezone": "Asia/Seoul",
        "day_start_hour": "3",
        "exam_topic": "",
    }
    assert client.post("/cards/settings", data=fields).status_code == 302
    page = client.get("/account/").get_data(as_text=True)
    assert (
        "In this time zone your flashcard study day starts at 03:00: change that hour in the "
        "flashcard study settings"
    ) in text_of(page)
    assert '<a href="/cards/settings">flashcard study settings</a>' in page
