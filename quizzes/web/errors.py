"""Error pages that say what happened and what to do next."""

from flask import Flask, render_template
from flask_wtf.csrf import CSRFError

from models import db

MESSAGES = {
    400: ("Bad request", "The request could not be understood. Go back and try again."),
    403: (
        "Not allowed",
        "Your account cannot open this page. Log in with another account or go home.",
    ),
    404: (
        "Not found",
        "There is no page at this address. Check the link or start from the home page.",
    ),
    405: (
        "Not opened that way",
        "This address is for a button (a form), not a link to open. Go back and use the "
        "button on the page.",
    ),
    413: (
        "File too large",
        "The upload is larger than the limit. Split it or shrink it and try again.",
    ),
    429: ("Too many attempts", "Please wait a minute before trying again."),
    500: (
        "Something went wrong",
        "The error was logged. Try again in a moment; nothing you saved is lost.",
    ),
}


def render_error(code: int, detail: str | None = None):
    title, advice = MESSAGES[code]
    return render_template(
        "errors/error.html", code=code, title=title, advice=detail or advice
    ), code


def register(app: Flask) -> None:
    for code in MESSAGES:
        if code == 500:
            continue
        app.register_error_handler(code, lambda e, code=code: render_error(code))

    @app.errorhandler(CSRFError)
    def csrf_expired(error: CSRFError):
        return render_error(
            400,
            "This form has expired or was opened in another session, so nothing was "
            "saved. Go back, reload the page to get a fresh form (log in again first if "
            "you were signed out), then send it again.",
        )

    @app.errorhandler(500)
    def server_error(error):
        db.session.rollback()
        return render_error(500)
