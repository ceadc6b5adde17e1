import pytest
from flask import Flask


def test_home_page_says_what_the_app_offers(client):
    response = client.get("/")
    assert response.status_code == 200
    page = response.data.decode()
    assert "Quizdeck" in page
    assert 'href="#main"' in page  # skip link
    assert "<main" in page and "<nav" in page


def test_404_page_helps(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert b"There is no page at this address" in response.data


def test_security_headers(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in csp and "script-src 'self'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_no_asset_from_another_site(client):
    page = client.get("/").data.decode()
    assert "http://" not in page.replace("http://www.w3.org", "") and "https://" not in page


def test_csrf_on_and_expired_token_explained(make_app):
    app: Flask = make_app(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    response = client.post("/auth/login", data={"username": "a", "password": "b"})
    assert response.status_code == 400
    assert b"This form has expired" in response.data
    # Reloading would send the same stale form again: the advice is to go back first.
    assert b"Go back, reload the page to get a fresh form" in response.data
    page = client.get("/auth/login").data.decode()
    assert 'name="csrf_token"' in page


def test_secret_key_generated_once_into_instance(tmp_path, monkeypatch):
    from quizzes.config import instance_secret_key

    monkeypatch.delenv("SECRET_KEY", raising=False)
    first = instance_secret_key(str(tmp_path))
    assert len(first) == 64
    assert instance_secret_key(str(tmp_path)) == first
    monkeypatch.setenv("SECRET_KEY", "from-env")
    assert instance_secret_key(str(tmp_path)) == "from-env"


@pytest.mark.sqlite_only("checks SQLite PRAGMAs (WAL, foreign keys, busy_timeout)")
def test_sqlite_pragmas(app):
    from sqlalchemy import text

    from models import db

    with app.app_context():
        assert db.session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert db.session.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert db.session.execute(text("PRAGMA busy_timeout")).scalar() >= 5000


def test_the_home_page_shows_a_signed_in_user_where_to_start(login_as, client):
    teacher = login_as("teacher1", "teacher").get("/").get_data(as_text=True)
    assert '<a href="/teach/sets">Write a question set</a>' in teacher
    assert '<a href="/teach/classes">Make a class</a>' in teacher
    student = login_as("student1").get("/").get_data(as_text=True)
    assert '<a href="/quiz/">Take a quiz</a>' in student
    assert '<a href="/classes/">Join a class</a>' in student
    assert "Write a question set" not in student
    assert "Start here" not in client.get("/").get_data(as_text=True)  # visitors: sign up
