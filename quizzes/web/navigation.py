"""The navigation bar: what the signed-in role can do.

Every page draws the bar, and its links are the same for everyone with the same role, so
they are worked out once per role and URL root instead of on every request (url_for costs
about as much as the rest of the bar together).
"""

from collections.abc import Callable

from flask import Flask, current_app, request, url_for
from flask_login import current_user

# (endpoint, label, who): who is "all", "user", "student", "player" (not a teacher),
# "teacher" or "admin".
NAV = [
    ("bank.index", "Question bank", "all"),
    ("quiz.start", "Quizzes", "all"),
    ("cards.index", "Flashcards", "user"),
    ("progress.overview", "Progress", "user"),
    ("classes.mine", "My classes", "student"),
    ("teach.sets", "My sets", "teacher"),
    ("teach.classes", "Classes", "teacher"),
    ("admin.teachers", "Teacher sign-ups", "admin"),
    ("live.index", "Live", "teacher"),
    ("live.join", "Join live", "player"),
    ("lti.admin", "LMS", "admin"),
]
# A URL root comes from the server (SCRIPT_NAME); a few are normal, thousands are not.
_CACHED_KEYS = 256


def _allowed(who: str) -> bool:
    if who == "all":
        return True
    if who == "player":  # joining a live session: guests and students
        return not (current_user.is_authenticated and current_user.is_teacher)
    if not current_user.is_authenticated:
        return False
    if who == "teacher":
        return current_user.is_teacher
    if who == "student":
        return not current_user.is_teacher
    if who == "admin":
        return current_user.is_admin
    return True


def _role() -> str | None:
    return current_user.role.value if current_user.is_authenticated else None


def _remembered(cache: dict, key: tuple, compute: Callable[[], object]):
    value = cache.get(key)
    if value is None:
        value = compute()
        if len(cache) < _CACHED_KEYS:
            cache[key] = value
    return value


def has_endpoint(endpoint: str) -> bool:
    return endpoint in current_app.view_functions


def register(app: Flask) -> None:
    cache: dict[tuple, object] = {}

    def nav_links() -> list[tuple[str, str, str]]:
        """(endpoint, url, label) of the bar's links for the signed-in role."""

        def compute() -> list[tuple[str, str, str]]:
            views = current_app.view_functions
            return [
                (endpoint, url_for(endpoint), label)
                for endpoint, label, who in NAV
                if endpoint in views and _allowed(who)
            ]

        return _remembered(cache, ("nav", request.script_root, _role()), compute)

    def link(endpoint: str) -> str:
        """url_for() of a page that takes no arguments."""
        return _remembered(
            cache, ("link", request.script_root, endpoint), lambda: url_for(endpoint)
        )

    def static_url(filename: str) -> str:
        """url_for('static', filename=...)."""
        return _remembered(
            cache,
            ("static", request.script_root, filename),
            lambda: url_for("static", filename=filename),
        )

    app.jinja_env.globals.update(
        nav_links=nav_links, link=link, static_url=static_url, has_endpoint=has_endpoint
    )
