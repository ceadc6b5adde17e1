"""Fixtures the quiz tests share."""

from __future__ import annotations

import pytest

from tests.fixtures_items import MadeItems, make_items


@pytest.fixture
def bank(app) -> MadeItems:
    """A published set with one item of every type, and a draft set (tests/fixtures_items.py)."""
    return make_items(app)


@pytest.fixture
def student(login_as):
    """A client logged in as student1."""
    return login_as("student1")


@pytest.fixture
def cards_clock(app, monkeypatch):
    """The time the flashcard pages see, cards_seed.NOW to start; move it with
    cards_clock.now = ..."""
    from tests.web.cards_seed import NOW

    class Clock:
        now = NOW

    monkeypatch.setitem(app.config, "QUIZDECK_NOW", lambda: Clock.now)
    return Clock
