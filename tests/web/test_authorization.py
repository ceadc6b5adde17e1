"""Who may call what: every route in Flask's URL map, called as six people, against one table.

Each route (except static files) is requested with each of its methods as: anonymous, a
student, another student, a teacher, another teacher and an admin. The answer each one must
get comes from RULES below. A route without a rule fails with a message saying to add one.

Adding a feature:
1. Add one line per endpoint to RULES (pick a preset or write `rule(...)` with overrides).
2. If its URL has parameters, add a builder to URL_VALUES: it receives the World (the six
   people's ids, inside an app context) and returns the URL values for a NEW object that
   belongs to the owner named by the rule ("student" for OWNER, "teacher" for the teacher
   presets). Builders are called once per request, so a request that deletes or submits an
   object never spoils the next one.
3. Optional: FORM_DATA[endpoint] gives POST data (default: an empty form, which is enough to
   reach the access check; CSRF is off here and tested on its own below).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from random import Random
from typing import Any
from urllib.parse import urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.routing import Rule as UrlRule

from app import create_app
from models import Item, ItemTopic, QuestionSet, Role, SetStatus, User, db, utcnow
from tests.conftest import sign_in_without_password

# What a person gets back.
OK = "served"  # 2xx, a redirect elsewhere than the login page, or 400/409/422 for a bad form
LOGIN = "sent to log in"  # a redirect to the login page
DENIED = "denied (403 or 404)"  # a role check: 403 or 404 both hide the page
NOT_FOUND = "404"  # someone else's object: always 404, so ids reveal nothing

ACTORS = ("anonymous", "student", "other_student", "teacher", "other_teacher", "admin")
ROLES = {
    "student": Role.STUDENT,
    "other_student": Role.STUDENT,
    "teacher": Role.TEACHER,
    "other_teacher": Role.TEACHER,
    "admin": Role.ADMIN,
}


@dataclass(frozen=True)
class Rule:
    name: str
    expected: dict[str, str]

    def __repr__(self) -> str:
        return self.name


def rule(name: str, base: Rule | None = None, **expected: str) -> Rule:
    """A rule: everyone is served unless told otherwise; `base` starts from another rule."""
    start = dict(base.expected) if base else dict.fromkeys(ACTORS, OK)
    unknown = set(expected) - set(ACTORS)
    assert not unknown, f"unknown people {unknown}"
    return Rule(name, {**start, **expected})


PUBLIC = rule("PUBLIC")
USER = rule("USER: any signed-in account", anonymous=LOGIN)
TEACHER = rule("TEACHER: teachers and admins", USER, student=DENIED, other_student=DENIED)
ADMIN = rule("ADMIN", TEACHER, teacher=DENIED, other_teacher=DENIED)
# The student's own object (an attempt, a review): nobody else sees it, admins included.
OWNER = rule(
    "OWNER: the student's own object",
    USER,
    other_student=NOT_FOUND,
    teacher=NOT_FOUND,
    other_teacher=NOT_FOUND,
    admin=NOT_FOUND,
)
# The teacher's own object (a set, a class, an assignment).
TEACHER_OWNER = rule(
    "TEACHER_OWNER: the teacher's own object",
    TEACHER,
    other_teacher=NOT_FOUND,
    admin=NOT_FOUND,
)
# The teacher's class, seen by its teacher and by "student", a member; nobody else.
CLASS_MEMBER = rule(
    "CLASS_MEMBER: the class's teacher and its students",
    USER,
    other_student=NOT_FOUND,
    other_teacher=NOT_FOUND,
    admin=NOT_FOUND,
)
# A teacher's own question set in the bank: its owner and admins; 404 for everyone else.
PRIVATE_SET = rule(
    "PRIVATE_SET: the teacher's own set, and admins",
    anonymous=NOT_FOUND,
    student=NOT_FOUND,
    other_student=NOT_FOUND,
    other_teacher=NOT_FOUND,
)
# A live session's player: the signed-in "student" who joined it (a guest is known by the
# browser's session cookie, tested in tests/web/test_live_round.py); 404 for everyone else.
PLAYER = rule(
    "PLAYER: the student who joined the live session",
    anonymous=NOT_FOUND,
    other_student=NOT_FOUND,
    teacher=NOT_FOUND,
    other_teacher=NOT_FOUND,
    admin=NOT_FOUND,
)

# ONE table: every endpoint in the URL map, static files aside. A value is a Rule for all
# the route's methods, or {method: Rule} when they differ (e.g. {"GET": PUBLIC, "POST": USER}).
RULES: dict[str, Rule | dict[str, Rule]] = {
    "main.home": PUBLIC,
    "auth.login": PUBLIC,
    "auth.register": PUBLIC,
    "auth.reset_password": PUBLIC,
    "auth.logout": USER,
    "bank.index": PUBLIC,
    "bank.show_set": PRIVATE_SET,
    "bank.preview_item": PRIVATE_SET,
    "bank.show_topic": PUBLIC,
    "quiz.start": {"GET": PUBLIC, "POST": USER},
    "quiz.history": USER,
    "quiz.resume": OWNER,
    "quiz.item": OWNER,
    "quiz.review": OWNER,
    "quiz.submit": OWNER,
    "quiz.result": OWNER,
    "quiz.discard": OWNER,
    # The guest sample lives in the visitor's own session: open to all, nothing to own.
    "sample.start": PUBLIC,
    "sample.item": PUBLIC,
    "sample.review": PUBLIC,
    "sample.submit": PUBLIC,
    "sample.result": PUBLIC,
    "progress.overview": USER,
    # The account page acts on the signed-in account only: no object id in the URL.
    "account.settings": USER,
    "account.export": USER,
    "account.delete": USER,
    "account.change_password": USER,
    "account.change_timezone": USER,
    "account.change_display_name": USER,
    "bank.upload_facts": TEACHER,
    # Flashcards: personal decks and cards belong to one account (a student here).
    "cards.index": USER,
    "cards.new_deck": USER,
    "cards.typed_mode": USER,
    "cards.settings": USER,
    "cards.optimise_schedule": USER,
    "cards.undo_optimise": USER,
    "cards.statistics": USER,
    "cards.deck": OWNER,
    "cards.edit_deck": OWNER,
    "cards.delete_deck": OWNER,
    "cards.new_card": OWNER,
    "cards.edit_card": OWNER,
    "cards.add_card_media": OWNER,
    "cards.remove_card_media": OWNER,
    "cards.delete_card": OWNER,
    "cards.study": OWNER,
    "cards.ahead": OWNER,
    "cards.check": OWNER,
    "cards.rate": OWNER,
    "cards.undo": OWNER,
    "cards.export_apkg": OWNER,
    "cards.export_csv": OWNER,
    "cards.import_start": OWNER,
    "cards.import_preview": OWNER,
    "cards.import_confirm": OWNER,
    "cards.import_discard": OWNER,
    # Teachers: their sets, classes and assignments (quizzes/teach); the bank is shared.
    **dict.fromkeys(
        [
            "teach.sets",
            "teach.create_set",
            "teach.bank",
            "teach.bank_set",
            "teach.import_start",
            "teach.import_preview",
            "teach.import_confirm",
            "teach.classes",
            "teach.create_class",
        ],
        TEACHER,
    ),
    **dict.fromkeys(
        [
            "teach.set_detail",
            "teach.set_images",
            "teach.upload_set_image",
            "teach.edit_set",
            "teach.set_status",
            "teach.duplicate_set",
            "teach.delete_set",
            "teach.preview_set",
            "teach.export_set",
            "teach.new_item",
            "teach.edit_item",
            "teach.move_item",
            "teach.delete_item",
            "teach.preview_item",
            "teach.class_detail",
            "teach.new_code",
            "teach.remove_student",
            "teach.give_reset_code",
            "teach.show_reset_code",
            "teach.new_assignment",
            "teach.gradebook",
            "teach.gradebook_csv",
            "teach.delete_assignment",
            "teach.item_analysis",
            "teach.edit_assignment",
            "teach.release_assignment",
            "teach.assignment_extensions",
            "teach.remove_extension",
            # Marking (quizzes/classes/grading_views.py): the class's teacher only.
            "teach.attempt_page",
            "teach.mark_answer",
            "teach.question_marks_csv_download",
            "teach.regrade_item",
            "teach.grading_queue",
            "teach.grade_answer",
        ],
        TEACHER_OWNER,
    ),
    # LTI 1.3 (quizzes/lti). The LMS posts to login and launch with no session: they verify
    # the platform's signed token instead (a bare request is a 400). The tool's public keys.
    "lti.login": PUBLIC,
    "lti.launch": PUBLIC,
    "lti.jwks": PUBLIC,
    # Only inside a deep-linking launch (a launch id in the session); none here: 404.
    "lti.deep_link": rule(
        "LTI_DEEP_LINK: a teacher inside a deep-linking launch",
        TEACHER,
        teacher=NOT_FOUND,
        other_teacher=NOT_FOUND,
        admin=NOT_FOUND,
    ),
    "lti.sync_roster": TEACHER_OWNER,
    # An LMS-made account's first password; any other account is sent to the account page.
    "lti.set_password": USER,
    "lti.admin": ADMIN,
    "lti.add_platform": ADMIN,
    "lti.delete_platform": ADMIN,
    "lti.rotate_keys": ADMIN,
    # Students: their classes; an assignment is started only by a student of its class.
    "classes.mine": USER,
    "classes.start_assignment": OWNER,
    # Administrators: teacher sign-ups (TEACHER_SIGNUP).
    "admin.teachers": ADMIN,
    "admin.approve": ADMIN,
    "admin.decline": ADMIN,
    "admin.invite": ADMIN,
    "admin.give_reset_code": ADMIN,
    # Live sessions (quizzes/live): the teacher's own session; players join by PIN.
    "live.index": TEACHER,
    "live.new": TEACHER,
    **dict.fromkeys(
        [
            "live.host",
            "live.control",
            "live.host_events",
            "live.rename_player",
            "live.remove_player",
            "live.qr_code",
            "live.report_page",
            "live.report_download",
        ],
        TEACHER_OWNER,
    ),
    "live.join": PUBLIC,
    "live.play": PLAYER,
    "live.play_events": PLAYER,
    "live.answer": PLAYER,
    # A stored file: whoever may see the item or card that shows it (tests/web/test_media.py
    # covers classes and cards); here "student" stored it, and nobody else may see it.
    "media.serve": rule(
        "MEDIA: who stored the file (and who may see what shows it)",
        OWNER,
        anonymous=NOT_FOUND,
    ),
}


@dataclass
class World:
    """The six people (ids by actor name); builders add objects they need."""

    app: Flask
    ids: dict[str, int] = field(default_factory=dict)

    def user(self, actor: str) -> User:
        return db.session.get(User, self.ids[actor])


# -- builders: each makes a NEW object and returns its URL values ----------------------------

SHORT_ITEM = {"type": "short", "data": {"answers": [{"text": "Pyongyang", "fraction": 1.0}]}}


def new_set(owner_id: int | None, topic: str = "walker") -> QuestionSet:
    """A set with two short-answer items; owner None = built in and published."""
    status = SetStatus.PUBLISHED if owner_id is None else SetStatus.DRAFT
    question_set = QuestionSet(title="Walker set", owner_id=owner_id, status=status)
    db.session.add(question_set)
    db.session.flush()
    for n in range(2):
        item = Item(
            key=f"walker.{question_set.id}.{n}",
            set_id=question_set.id,
            position=n,
            prompt=f"Capital? ({n})",
            topics=[topic],
            **SHORT_ITEM,
        )
        db.session.add(item)
        db.session.flush()
        db.session.add(ItemTopic(item_id=item.id, topic=topic))
    db.session.flush()
    return question_set


def teachers_set(w: World) -> dict[str, Any]:
    return {"set_id": new_set(w.ids["teacher"]).id}


def teachers_item(w: World) -> dict[str, Any]:
    return {"item_id": new_set(w.ids["teacher"]).items[0].id}


def builtin_topic(w: World) -> dict[str, Any]:
    new_set(None, topic="walker-topic")
    return {"topic": "walker-topic"}


def students_attempt(w: World) -> dict[str, Any]:
    """An in-progress quiz of two items on a built-in set, owned by "student"."""
    from quizzes.quiz import services

    attempt = services.assemble(
        w.ids["student"],
        settings=services.QuizSettings(size=2),
        now=utcnow(),
        rng=Random(0),
        set_id=new_set(None).id,
    )
    return {"attempt_id": attempt.id}


def students_deck(w: World) -> dict[str, Any]:
    """A personal flashcard deck of "student" with one card."""
    from models import Deck
    from quizzes.cards.decks import deck_ref
    from quizzes.cards.personal import add_card

    deck = Deck(owner_id=w.ids["student"], title="Walker deck")
    db.session.add(deck)
    db.session.flush()
    add_card(deck, kind="basic", front="Capital of the DPRK?", back="Pyongyang")
    return {"ref": deck_ref(deck)}


def students_deck_id(w: World) -> dict[str, Any]:
    return {"deck_id": int(students_deck(w)["ref"].removeprefix("my-"))}


def students_card(w: World) -> dict[str, Any]:
    from models import Card

    deck_id = students_deck_id(w)["deck_id"]
    card = db.session.scalar(db.select(Card).where(Card.deck_id == deck_id))
    return {"card_id": card.id}


def students_media(w: World) -> dict[str, Any]:
    """An image stored by "student" (a new one each time: its pixels carry a counter)."""
    import io

    from PIL import Image

    from quizzes.media.store import store_media

    students_media.made = getattr(students_media, "made", 0) + 1
    out = io.BytesIO()
    Image.new("RGB", (4, 4), (students_media.made % 256, students_media.made // 256, 7)).save(
        out, "PNG"
    )
    media = store_media(w.user("student"), "walker.png", out.getvalue(), label="Walker")
    return {"name": media.name}


def students_card_media(w: World) -> dict[str, Any]:
    """An image on a card of "student"."""
    from models import Card, MediaFile
    from quizzes.media.store import attach_to_card

    values = students_card(w)
    media = db.session.scalar(
        db.select(MediaFile).where(MediaFile.name == students_media(w)["name"])
    )
    shown = attach_to_card(db.session.get(Card, values["card_id"]), media, "front", "Walker")
    return {**values, "shown_id": shown.id}


def teachers_set_item(w: World) -> dict[str, Any]:
    question_set = new_set(w.ids["teacher"])
    return {"set_id": question_set.id, "item_id": question_set.items[0].id}


def teachers_class(w: World) -> dict[str, Any]:
    """A class of "teacher" with "student" in it."""
    from quizzes.classes import services as class_services

    school_class = class_services.create_class(w.user("teacher"), "Walker class")
    class_services.join_class(w.user("student"), school_class.join_code)
    return {"class_id": school_class.id}


def teachers_assignment(w: World) -> dict[str, Any]:
    """An open assignment of a published set of "teacher" to a class "student" is in."""
    from datetime import timedelta

    from models import SchoolClass
    from models.attempts import FeedbackMode
    from quizzes.classes import assignments

    school_class = db.session.get(SchoolClass, teachers_class(w)["class_id"])
    question_set = new_set(w.ids["teacher"])
    question_set.status = SetStatus.PUBLISHED
    assignment = assignments.create_assignment(
        school_class,
        question_set,
        opens_at=utcnow() - timedelta(hours=1),
        due_at=None,
        attempt_limit=None,
        time_limit_minutes=None,
        feedback_mode=FeedbackMode.END,
    )
    return {"assignment_id": assignment.id}


def students_submitted_attempt(w: World) -> dict[str, Any]:
    """A submitted attempt of "student" at an assignment of "teacher"'s class."""
    from models import Assignment
    from quizzes.quiz import answers, services

    assignment = db.session.get(Assignment, teachers_assignment(w)["assignment_id"])
    attempt = services.assemble(
        w.ids["student"],
        settings=services.QuizSettings(size=2),
        now=utcnow(),
        rng=Random(0),
        set_id=assignment.set_id,
        assignment_id=assignment.id,
    )
    answers.submit(attempt, utcnow())
    return {"attempt_id": attempt.id}


def students_marked_answer(w: World) -> dict[str, Any]:
    return students_submitted_attempt(w) | {"position": 1}


def teachers_assigned_item(w: World) -> dict[str, Any]:
    """An item of "teacher"'s set that a class has been given (and answered)."""
    from models import Assignment, Attempt

    attempt = db.session.get(Attempt, students_submitted_attempt(w)["attempt_id"])
    assignment = db.session.get(Assignment, attempt.assignment_id)
    item = assignment.question_set.items[0]
    return {"set_id": item.set_id, "item_id": item.id}


def students_essay_answer(w: World) -> dict[str, Any]:
    """An essay "student" wrote at an assignment of "teacher"'s class, waiting for a mark."""
    from models import Assignment
    from quizzes.domain.itemtypes import essay
    from quizzes.quiz import answers, services

    assignment = db.session.get(Assignment, teachers_assignment(w)["assignment_id"])
    prompt, data = essay.EXAMPLE
    item = Item(
        key=f"walker.essay.{assignment.id}",
        set_id=assignment.set_id,
        position=2,
        type="essay",
        prompt=prompt,
        data=data,
    )
    db.session.add(item)
    db.session.flush()
    attempt = services.assemble(
        w.ids["student"],
        settings=services.QuizSettings(size=3),
        now=utcnow(),
        rng=Random(0),
        set_id=assignment.set_id,
        assignment_id=assignment.id,
    )
    written = next(one for one in attempt.items if one.item_type == "essay")
    written.response = "An essay of the walker."
    answers.submit(attempt, utcnow())
    return {"assignment_id": assignment.id, "answer_id": written.id}


def waiting_teacher(w: World) -> int:
    """A new account that signed up as a teacher and waits for approval."""
    waiting = db.session.scalar(db.select(db.func.count(User.id)))
    user = User(username=f"waiting{waiting}", role=Role.PENDING_TEACHER, password_hash="x")
    db.session.add(user)
    db.session.flush()
    return user.id


def teachers_live_session(w: World) -> dict[str, Any]:
    """A live session of "teacher" on a built-in set, joined by "student"."""
    from quizzes.live import services as live

    question_set = new_set(None)
    session = live.create_session(
        w.user("teacher"),
        question_set,
        question_set.items,
        seconds=20,
        show_leaderboard=False,
        school_class=None,
        keep_in_gradebook=False,
        now=utcnow(),
        rng=Random(),
    )
    player = live.join(session, w.user("student"), "", utcnow())
    return {"session_id": session.id, "player_id": player.id}


def live_session_only(w: World) -> dict[str, Any]:
    return {"session_id": teachers_live_session(w)["session_id"]}


def lms_platform(w: World) -> int:
    """A registered LMS (an admin's object: admins manage every platform)."""
    from quizzes.lti import platforms

    return platforms.register(
        name="Moodle",
        issuer="https://moodle.example.org",
        client_id=f"client-{Random().random()}",
        deployment_ids=["1"],
        auth_login_url="https://moodle.example.org/mod/lti/auth.php",
        auth_token_url="https://moodle.example.org/mod/lti/token.php",
        key_set_url="https://moodle.example.org/mod/lti/certs.php",
    ).id


# endpoint -> builder(world) -> URL values for a new object of the rule's owner.
URL_VALUES: dict[str, Callable[[World], dict[str, Any]]] = {
    "media.serve": students_media,
    "bank.show_set": teachers_set,
    "bank.preview_item": teachers_item,
    "bank.show_topic": builtin_topic,
    "quiz.resume": students_attempt,
    "quiz.item": lambda w: {**students_attempt(w), "position": 1},
    "quiz.review": students_attempt,
    "quiz.submit": students_attempt,
    "quiz.result": students_attempt,
    "quiz.discard": students_attempt,
    "sample.item": lambda w: {"position": 1},
    **{
        f"cards.{name}": students_deck
        for name in (
            "deck",
            "new_card",
            "study",
            "ahead",
            "check",
            "rate",
            "undo",
            "export_apkg",
            "export_csv",
        )
    },
    "cards.edit_deck": students_deck_id,
    "cards.delete_deck": students_deck_id,
    "cards.import_start": students_deck_id,
    "cards.import_preview": students_deck_id,
    "cards.import_confirm": students_deck_id,
    "cards.import_discard": students_deck_id,
    "cards.edit_card": students_card,
    "cards.add_card_media": students_card,
    "cards.remove_card_media": students_card_media,
    "cards.delete_card": students_card,
    "teach.bank_set": lambda w: {"set_id": new_set(None).id},
    **{
        f"teach.{name}": teachers_set
        for name in (
            "set_detail",
            "set_images",
            "upload_set_image",
            "edit_set",
            "set_status",
            "duplicate_set",
            "delete_set",
            "preview_set",
        )
    },
    "teach.export_set": lambda w: {**teachers_set(w), "fmt": "json"},
    "teach.new_item": lambda w: {**teachers_set(w), "item_type": "single"},
    "teach.edit_item": teachers_set_item,
    "teach.delete_item": teachers_set_item,
    "teach.preview_item": teachers_set_item,
    "teach.move_item": lambda w: {**teachers_set_item(w), "direction": "down"},
    **{
        f"teach.{name}": teachers_class
        for name in ("class_detail", "new_code", "new_assignment", "gradebook", "gradebook_csv")
    },
    "teach.remove_student": lambda w: {**teachers_class(w), "student_id": w.ids["student"]},
    "teach.give_reset_code": lambda w: {**teachers_class(w), "student_id": w.ids["student"]},
    "teach.show_reset_code": lambda w: {**teachers_class(w), "student_id": w.ids["student"]},
    "teach.delete_assignment": teachers_assignment,
    "teach.item_analysis": teachers_assignment,
    "teach.edit_assignment": teachers_assignment,
    "teach.release_assignment": teachers_assignment,
    "teach.assignment_extensions": teachers_assignment,
    "teach.remove_extension": lambda w: {**teachers_assignment(w), "student_id": w.ids["student"]},
    "teach.attempt_page": students_submitted_attempt,
    "teach.mark_answer": students_marked_answer,
    "teach.question_marks_csv_download": teachers_assignment,
    "teach.regrade_item": teachers_assigned_item,
    "teach.grading_queue": teachers_assignment,
    "teach.grade_answer": students_essay_answer,
    "classes.start_assignment": teachers_assignment,
    "admin.approve": lambda w: {"user_id": waiting_teacher(w)},
    "admin.decline": lambda w: {"user_id": waiting_teacher(w)},
    **{
        f"live.{name}": live_session_only
        for name in (
            "host",
            "control",
            "host_events",
            "qr_code",
            "report_page",
            "report_download",
            "play",
            "play_events",
            "answer",
        )
    },
    "live.rename_player": teachers_live_session,
    "live.remove_player": teachers_live_session,
    "lti.sync_roster": teachers_class,
    "lti.delete_platform": lambda w: {"platform_id": lms_platform(w)},
}

# endpoint -> builder(world) -> form fields for POST requests (default: {}).
FORM_DATA: dict[str, Callable[[World], dict[str, Any]]] = {}

SKIPPED_ENDPOINTS = {"static"}  # plus every blueprint's "<name>.static"
METHODS_NOT_WALKED = {"HEAD", "OPTIONS"}


def url_map_rules(app: Flask) -> list[UrlRule]:
    return [
        r
        for r in app.url_map.iter_rules()
        if r.endpoint not in SKIPPED_ENDPOINTS and not r.endpoint.endswith(".static")
    ]


def _collection_app() -> Flask:
    # Only the URL map is read: no database is opened.
    return create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": "sqlite://"})


ROUTES = sorted(url_map_rules(_collection_app()), key=lambda r: (r.endpoint, r.rule))


@pytest.fixture
def world(app: Flask, create_user) -> World:
    w = World(app)
    for actor, role in ROLES.items():
        w.ids[actor] = create_user(actor, role)
    return w


def client_as(app: Flask, world: World, actor: str) -> FlaskClient:
    """A new client signed in as `actor` (the session Flask-Login reads), without scrypt."""
    client = app.test_client()
    if actor != "anonymous":
        sign_in_without_password(app, client, world.ids[actor])
    return client


def outcome(response) -> str:
    status = response.status_code
    if status in (301, 302, 303, 307, 308):
        if urlsplit(response.headers["Location"]).path == "/auth/login":
            return LOGIN
        return OK
    if status in (200, 201, 204, 400, 409, 422):
        return OK
    if status in (403, 404):
        return str(status)
    return f"unexpected {status}"


def matches(expected: str, got: str) -> bool:
    if expected == DENIED:
        return got in ("403", "404")
    return got == expected


def rule_for(endpoint: str, method: str) -> Rule:
    entry = RULES[endpoint]
    if isinstance(entry, Rule):
        return entry
    if method not in entry:
        pytest.fail(f"RULES[{endpoint!r}] has no rule for {method}", pytrace=False)
    return entry[method]


def walk(app: Flask, world: World, url_rule: UrlRule) -> list[str]:
    """Every method as every person; returns one line per wrong answer."""
    problems = []
    for method in sorted(url_rule.methods - METHODS_NOT_WALKED):
        expected = rule_for(url_rule.endpoint, method).expected
        for actor in ACTORS:
            with app.app_context():
                values = URL_VALUES[url_rule.endpoint](world) if url_rule.arguments else {}
                data = FORM_DATA[url_rule.endpoint](world) if url_rule.endpoint in FORM_DATA else {}
                db.session.commit()
                url = url_rule.build(values, append_unknown=False)[1]
            client = client_as(app, world, actor)
            response = client.open(url, method=method, data=data if method != "GET" else None)
            got = outcome(response)
            response.close()
            if not matches(expected[actor], got):
                problems.append(f"{method} {url} as {actor}: expected {expected[actor]}, got {got}")
    return problems


def test_every_route_has_a_rule():
    missing = sorted({r.endpoint for r in ROUTES} - set(RULES))
    if missing:
        pytest.fail(
            f"routes without an access rule: {', '.join(missing)}. Add each to RULES in "
            "tests/web/test_authorization.py (PUBLIC, USER, TEACHER, ADMIN, OWNER, "
            "TEACHER_OWNER, CLASS_MEMBER or rule(...)), and a URL_VALUES builder if its URL "
            "has parameters.",
            pytrace=False,
        )


def test_every_rule_names_a_route():
    stale = sorted(set(RULES) - {r.endpoint for r in ROUTES})
    assert not stale, f"RULES names endpoints that no longer exist: {stale}"


@pytest.mark.parametrize("url_rule", ROUTES, ids=lambda r: f"{r.endpoint}:{r.rule}")
def test_route_answers_each_person_as_its_rule_says(app, world, url_rule):
    if url_rule.endpoint not in RULES:
        pytest.fail(
            f"{url_rule.endpoint} ({url_rule.rule}) has no access rule: add it to RULES in "
            "tests/web/test_authorization.py",
            pytrace=False,
        )
    if url_rule.arguments and url_rule.endpoint not in URL_VALUES:
        pytest.fail(
            f"{url_rule.endpoint} ({url_rule.rule}) needs URL values: add a builder to "
            "URL_VALUES in tests/web/test_authorization.py that makes the owner's object",
            pytrace=False,
        )
    problems = walk(app, world, url_rule)
    assert not problems, f"{url_rule.endpoint} ({RULES[url_rule.endpoint]}):\n" + "\n".join(
        problems
    )


# --- CSRF: every state-changing route refuses a POST without a token, whoever sends it.

PLACEHOLDERS = {
    "IntegerConverter": 1,
    "DatabaseIntConverter": 1,
    "FloatConverter": 1.0,
    "UUIDConverter": "0" * 32,
}


def placeholder_values(url_rule: UrlRule) -> dict[str, Any]:
    return {
        name: PLACEHOLDERS.get(type(converter).__name__, "x")
        # werkzeug keeps a rule's converters in _converters (no public accessor)
        for name, converter in url_rule._converters.items()
    }


UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}
# The only routes without a CSRF token: an LMS posts to them cross-site, as LTI 1.3 (OIDC)
# requires, and they verify the platform's signed token, state and one-use nonce instead.
# Without those they refuse too (tests/web/test_lti.py checks the refusals one by one).
CSRF_EXEMPT = {"lti.login", "lti.launch"}
UNSAFE_ROUTES = [r for r in ROUTES if r.methods & UNSAFE]


@pytest.mark.parametrize("url_rule", UNSAFE_ROUTES, ids=lambda r: f"{r.endpoint}:{r.rule}")
def test_state_changing_route_refuses_a_request_without_csrf_token(make_app, create_user, url_rule):
    app = make_app(WTF_CSRF_ENABLED=True)
    w = World(app, {"teacher": create_user("teacher", Role.TEACHER)})
    url = url_rule.build(placeholder_values(url_rule), append_unknown=False)[1]
    for actor in ("anonymous", "teacher"):
        for method in sorted(url_rule.methods & UNSAFE):
            response = client_as(app, w, actor).open(url, method=method, data={"x": "1"})
            assert response.status_code == 400, (method, url, actor)
            if url_rule.endpoint in CSRF_EXEMPT:
                assert b"could not be verified" in response.data
            else:
                assert b"This form has expired" in response.data


def test_walker_catches_a_route_that_forgets_its_check(app, world):
    """The walker itself can fail: a teacher-only rule on a public page is reported."""
    RULES["main.home"] = TEACHER
    try:
        [home] = [r for r in ROUTES if r.endpoint == "main.home"]
        problems = walk(app, world, home)
    finally:
        RULES["main.home"] = PUBLIC
    assert problems == [
        "GET / as anonymous: expected sent to log in, got served",
        "GET / as student: expected denied (403 or 404), got served",
        "GET / as other_student: expected denied (403 or 404), got served",
    ]


def test_walker_checks_ownership_through_a_builder(app, world):
    """An object route with a builder: the right check passes, a missing one is reported."""
    from flask import abort
    from flask_login import current_user, login_required

    @login_required
    def own_profile(user_id: int):
        if user_id != current_user.id:
            abort(404)
        return "yours"

    @login_required
    def leaky_profile(user_id: int):
        return "anyone's"

    app.add_url_rule("/_test/own/<int:user_id>", "test.own", own_profile)
    app.add_url_rule("/_test/leaky/<int:user_id>", "test.leaky", leaky_profile)
    rules = {r.endpoint: r for r in app.url_map.iter_rules()}
    for endpoint in ("test.own", "test.leaky"):
        RULES[endpoint] = OWNER
        URL_VALUES[endpoint] = lambda w: {"user_id": w.ids["student"]}
    try:
        assert walk(app, world, rules["test.own"]) == []
        assert walk(app, world, rules["test.leaky"]) == [
            f"GET /_test/leaky/{world.ids['student']} as {actor}: expected 404, got served"
            for actor in ("other_student", "teacher", "other_teacher", "admin")
        ]
    finally:
        for endpoint in ("test.own", "test.leaky"):
            del RULES[endpoint], URL_VALUES[endpoint]
