"""Changing the password on the account page: the current password is required, the new
one follows the registration rules, and every other session of the account ends."""

from __future__ import annotations

import re

from models import User, db
from tests.conftest import PASSWORD, AuthActions
from tests.web.teach_support import error_for, text_of

NEW = "a new passphrase 42"


def change(client, current: str = PASSWORD, new: str = NEW, confirm: str | None = None):
    return client.post(
        "/account/password",
        data={"current": current, "new": new, "confirm": new if confirm is None else confirm},
    )


def password_hash_of(app, username: str) -> str:
    with app.app_context():
        return db.session.scalar(db.select(User.password_hash).where(User.username == username))


def signed_in(client) -> bool:
    return b"Signed in as" in client.get("/").data


def test_the_password_changes_and_other_devices_are_signed_out(app, login_as):
    laptop = login_as("ana_p")
    phone = app.test_client()
    assert AuthActions(phone).login("ana_p").status_code == 302
    response = change(laptop)
    assert response.status_code == 302 and response.headers["Location"] == "/account/"
    page = laptop.get("/account/").get_data(as_text=True)
    assert "Your password was changed." in text_of(page)
    assert signed_in(laptop)  # this device goes on
    assert not signed_in(phone)  # every other session ended
    assert AuthActions(app.test_client()).login("ana_p", PASSWORD).status_code == 401
    assert AuthActions(app.test_client()).login("ana_p", NEW).status_code == 302


def test_mistakes_are_named_and_change_nothing(app, login_as):
    client = login_as("ben_p")
    before = password_hash_of(app, "ben_p")
    wrong = change(client, current="not it")
    assert wrong.status_code == 422
    assert error_for(wrong.get_data(as_text=True), "current") == (
        "Error: That is not your current password. Nothing was changed."
    )
    short = change(client, new="short")
    assert error_for(short.get_data(as_text=True), "new").startswith("Error: Use at least")
    mismatch = change(client, confirm="something else entirely")
    assert error_for(mismatch.get_data(as_text=True), "confirm") == (
        "Error: The new passwords do not match."
    )
    assert password_hash_of(app, "ben_p") == before
    assert signed_in(client)


def test_the_form_needs_its_csrf_token(make_app, create_user):
    app = make_app(WTF_CSRF_ENABLED=True)
    create_user("cat_p")
    client = app.test_client()
    page = client.get("/auth/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    client.post(
        "/auth/login", data={"username": "cat_p", "password": PASSWORD, "csrf_token": token}
    )
    assert signed_in(client)
    before = password_hash_of(app, "cat_p")
    assert change(client).status_code == 400  # no token in the form
    assert password_hash_of(app, "cat_p") == before


def test_this_devices_remember_me_cookie_is_renewed_and_the_old_one_ends(app, create_user):
    create_user("dan_p")
    client = app.test_client()
    assert AuthActions(client).login("dan_p", remember="y").status_code == 302
    old_cookie = client.get_cookie("remember_token").value
    assert change(client).status_code == 302
    new_cookie = client.get_cookie("remember_token").value
    assert new_cookie != old_cookie
    for cookie, works in ((new_cookie, True), (old_cookie, False)):
        browser_reopened = app.test_client()  # no session, only the cookie
        browser_reopened.set_cookie("remember_token", cookie)
        assert signed_in(browser_reopened) is works
