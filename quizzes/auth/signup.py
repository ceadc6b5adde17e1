"""Who may sign up as a teacher: the operator's choice, TEACHER_SIGNUP.

- "approval" (the default): anyone may ask; the account is a learner's, marked as waiting
  (Role.PENDING_TEACHER), until an administrator approves it (/admin/teachers, or
  `flask users approve NAME`).
- "invitation": a teacher signs up with an invitation code an administrator made for that
  username (/admin/teachers, or `flask users invite NAME`); the code is signed with
  SECRET_KEY, names the account, and expires after TEACHER_INVITATION_DAYS.
- "open": anyone who ticks "Teacher" is one (a private installation, a demo).
"""

from __future__ import annotations

from itsdangerous import BadSignature, URLSafeTimedSerializer

from models import Role

APPROVAL, INVITATION, OPEN = "approval", "invitation", "open"
POLICIES = (APPROVAL, INVITATION, OPEN)
_SALT = "quizdeck-teacher-invitation"


WAITING_MESSAGE = (
    "Teacher accounts here are approved by an administrator. Until yours is, Quizdeck "
    "works for you as for a learner (quizzes, flashcards, progress); the teacher pages "
    "appear once it is approved."
)


class UnknownPolicy(ValueError):
    pass


def checked_policy(policy: str) -> str:
    if policy not in POLICIES:
        raise UnknownPolicy(
            f"TEACHER_SIGNUP is {policy!r}; use one of {', '.join(POLICIES)} (README, "
            "Configuration)."
        )
    return policy


def role_for_sign_up(chosen: Role, policy: str) -> Role:
    """The role a new account gets for the role its form chose (the invitation, where one
    is needed, already checked)."""
    if chosen is Role.TEACHER:
        return Role.PENDING_TEACHER if checked_policy(policy) == APPROVAL else Role.TEACHER
    return Role.STUDENT


def _serializer(secret_key: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret_key, salt=_SALT)


def invitation_code(secret_key: str, username: str) -> str:
    """A code that lets `username` (any case) sign up as a teacher."""
    return _serializer(secret_key).dumps(username.strip().lower())


def invitation_fits(secret_key: str, code: str, username: str, max_age_days: int) -> bool:
    """True when `code` was made here for this username and is not older than allowed."""
    if not code or len(code) > 200:
        return False
    try:
        named = _serializer(secret_key).loads(code.strip(), max_age=max_age_days * 86400)
    except BadSignature:  # also SignatureExpired
        return False
    return named == username.strip().lower()
