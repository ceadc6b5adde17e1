"""The navigation bar: what the signed-in role can do."""

from flask import Flask, current_app
from flask_login import current_user

# (endpoint, label, who): who is "all", "user", "teacher" or "admin".
NAV = [
    ("bank.index", "Question bank", "all"),
    ("quiz.start", "Quizzes", "all"),
    ("cards.index", "Flashcards", "user"),
    ("progress.overview", "Progress", "user"),
    ("classes.mine", "My classes", "student"),
    ("teach.sets", "My sets", "teacher"),
    ("teach.classes", "Classes", "teacher"),
]


def _allowed(who: str) -> bool:
    if who == "all":
        return True
    if not current_user.is_authenticated:
        return False
    if who == "teacher":
        return current_user.is_teacher
    if who == "student":
        return not current_user.is_teacher
    if who == "admin":
        return current_user.is_admin
    return True


def nav_links() -> list[tuple[str, str]]:
    views = current_app.view_functions
    return [(ep, label) for ep, label, who in NAV if ep in views and _allowed(who)]


def has_endpoint(endpoint: str) -> bool:
    return endpoint in current_app.view_functions


def register(app: Flask) -> None:
    app.jinja_env.globals["nav_links"] = nav_links
    app.jinja_env.globals["has_endpoint"] = has_endpoint
