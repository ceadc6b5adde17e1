"""Security headers on every response, and the signed-cookie sessions."""

from flask import Flask, Response, session
from flask.sessions import SecureCookieSessionInterface
from itsdangerous import URLSafeTimedSerializer

# No 'unsafe-inline': every script and style is a file under static/.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'"
)
HEADERS = (
    ("Content-Security-Policy", CSP),
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "DENY"),
    ("Referrer-Policy", "same-origin"),
    ("Permissions-Policy", "camera=(), microphone=(), geolocation=()"),
)
HSTS = ("Strict-Transport-Security", "max-age=31536000")


class CookieSessions(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, with the signing serializer made once per set of keys
    instead of twice a request (opening and saving the session)."""

    def __init__(self) -> None:
        self._serializers: dict[tuple, URLSafeTimedSerializer] = {}

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        if not app.secret_key:
            return None
        keys = (app.secret_key, *(app.config["SECRET_KEY_FALLBACKS"] or ()))
        serializer = self._serializers.get(keys)
        if serializer is None:
            serializer = super().get_signing_serializer(app)
            self._serializers = {keys: serializer}  # only the current keys are kept
        return serializer

    # A session that came from an LMS launch lives in the LMS's frame, where the browser
    # sends only SameSite=None cookies (and, with third-party cookies blocked, only
    # Partitioned ones). Only on HTTPS, and only for those sessions (quizzes/lti).
    def get_cookie_samesite(self, app: Flask) -> str | None:
        if _lti_session(app):
            return "None"
        return super().get_cookie_samesite(app)

    def get_cookie_partitioned(self, app: Flask) -> bool:
        return _lti_session(app) or super().get_cookie_partitioned(app)


def _lti_session(app: Flask) -> bool:
    return bool(app.config.get("SESSION_COOKIE_SECURE") and session.get("lti_platform"))


def register(app: Flask) -> None:
    app.session_interface = CookieSessions()

    @app.after_request
    def security_headers(response: Response) -> Response:
        # A view may set its own value: only missing headers are added (one pass over the
        # response's headers instead of one per header).
        headers = response.headers
        present = {name.lower() for name, _ in headers.items()}
        wanted = (*HEADERS, HSTS) if app.config.get("SESSION_COOKIE_SECURE") else HEADERS
        # A page an LMS may frame (quizzes/lti) names its frame ancestors in its CSP, and
        # X-Frame-Options cannot express them: it is left out there.
        framed = "frame-ancestors 'none'" not in headers.get("Content-Security-Policy", CSP)
        for name, value in wanted:
            if framed and name == "X-Frame-Options":
                continue
            if name.lower() not in present:
                headers.add(name, value)
        return response
