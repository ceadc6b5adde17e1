"""Integers from requests: huge, negative and Unicode-digit values are a 404 or a message,
never a 500, on every route of the URL map, in every integer query and form parameter,
as every role (quizzes/integers.py).

The walk reuses the access walker's table (tests/web/test_authorization.py): its URL_VALUES
builders make an object the route's owner may open, and then one integer part at a time is
replaced with a bad value. With TESTING on, an exception in a view reaches the test instead
of becoming a 500, so either one fails here.
"""

from __future__ import annotations

import itertools

import pytest
from flask import Flask
from werkzeug.routing import Rule as UrlRule

from models import AttemptItem, Role, db
from quizzes.integers import BIGINT_MAX, INT_MAX, DatabaseIntConverter, whole_number
from tests.web.test_authorization import ROLES, ROUTES, URL_VALUES, World, client_as

BAD_NUMBERS = [
    str(INT_MAX + 1),  # past PostgreSQL INTEGER
    str(2**63),  # past SQLite's and BIGINT's 64 bits: OverflowError in the driver
    "9" * 5000,  # past int()'s digit limit for str
    "-1",
    "²",  # isdigit() is True, int() fails
    "١٢",  # Arabic-Indic digits: int() reads 12
]
# Every integer the views read from a query string or a form, by name.
INTEGER_PARAMETERS = ("page", "set", "into", "card", "t", "seed", "seen", "shown_at", "go")
# People, one per role.
PEOPLE = ("anonymous", "student", "teacher", "admin")


def int_parts(url_rule: UrlRule) -> list[str]:
    # werkzeug keeps a rule's converters in _converters (no public accessor)
    return [
        name
        for name, converter in url_rule._converters.items()
        if isinstance(converter, DatabaseIntConverter)
    ]


INT_ROUTES = [r for r in ROUTES if int_parts(r)]
METHODS = ("GET", "POST")


@pytest.fixture
def world(app: Flask, create_user) -> World:
    w = World(app)
    for actor, role in ROLES.items():
        w.ids[actor] = create_user(actor, role)
    return w


def _values(app: Flask, world: World, url_rule: UrlRule) -> dict:
    with app.app_context():
        values = URL_VALUES[url_rule.endpoint](world) if url_rule.arguments else {}
        db.session.commit()
    return values


def _served(response, what: str) -> None:
    assert response.status_code < 500, f"{what}: {response.status_code}"
    response.close()


def test_every_int_route_uses_the_range_checked_converter():
    assert INT_ROUTES, "no <int:> route found: the walk below would test nothing"
    for url_rule in ROUTES:
        for name, converter in url_rule._converters.items():
            assert type(converter).__name__ != "IntegerConverter", (url_rule.rule, name)


@pytest.mark.parametrize("url_rule", INT_ROUTES, ids=lambda r: f"{r.endpoint}:{r.rule}")
def test_bad_numbers_in_the_path_are_not_found(app, world, url_rule):
    values = _values(app, world, url_rule)
    for actor, part in itertools.product(PEOPLE, int_parts(url_rule)):
        client = client_as(app, world, actor)
        for bad in BAD_NUMBERS:
            path = _replace_part(url_rule, values, part, bad)
            for method in sorted(url_rule.methods & set(METHODS)):
                response = client.open(path, method=method)
                what = f"{method} {path[:120]} as {actor}"
                # 404 mostly; the login redirect or a 405 where those come first
                assert response.status_code in (302, 404, 405), what
                response.close()


def _replace_part(url_rule: UrlRule, values: dict, part: str, bad: str) -> str:
    """The route's URL with `part` set to `bad`: built with a marker, then replaced, since
    url_for refuses a bad value before any server sees it."""
    marker = 1_999_999_999  # a value no builder makes
    url = url_rule.build({**values, part: marker}, append_unknown=False)[1]
    assert str(marker) in url
    return url.replace(str(marker), bad, 1)


@pytest.mark.parametrize("url_rule", ROUTES, ids=lambda r: f"{r.endpoint}:{r.rule}")
def test_bad_numbers_in_query_and_form_are_no_error(app, world, url_rule):
    values = _values(app, world, url_rule)
    url = url_rule.build(values, append_unknown=False)[1]
    for actor, bad in itertools.product(PEOPLE, BAD_NUMBERS):
        client = client_as(app, world, actor)
        fields = dict.fromkeys(INTEGER_PARAMETERS, bad)
        query = "&".join(f"{name}={bad}" for name in INTEGER_PARAMETERS)
        if "GET" in url_rule.methods:
            _served(client.get(f"{url}?{query}"), f"GET {url}?{query[:60]} as {actor}")
        if "POST" in url_rule.methods:
            form = {**fields, "card": f"card:{bad}:0", "action": f"remove:answers:{bad}"}
            _served(client.post(url, data=form), f"POST {url} {bad[:20]} as {actor}")


def test_deck_references_with_bad_numbers_are_not_found(app, world):
    client = client_as(app, world, "student")
    for kind, bad in itertools.product(("my", "set"), BAD_NUMBERS):
        for path in (f"/cards/{kind}-{bad}", f"/cards/{kind}-{bad}/study"):
            assert client.get(path).status_code == 404, path


def _responses(app: Flask, attempt_id: int) -> list:
    with app.app_context():
        items = db.session.scalars(
            db.select(AttemptItem)
            .where(AttemptItem.attempt_id == attempt_id)
            .order_by(AttemptItem.position)
        )
        return [item.response for item in items]


def test_a_bad_go_saves_the_answer_and_stays_on_the_item(app, world):
    """`go=²` used to commit the answer and then fail with a 500; a target that is no
    position now keeps the student on the item, with the answer saved."""
    values = _values(app, world, next(r for r in ROUTES if r.endpoint == "quiz.item"))
    url = f"/quiz/attempts/{values['attempt_id']}/items/1"
    client = client_as(app, world, "student")
    for bad in BAD_NUMBERS:
        response = client.post(url, data={"answer": "Pyongyang", "go": bad})
        assert response.status_code == 302
        assert response.headers["Location"].endswith(url)
    assert _responses(app, values["attempt_id"])[0] is not None


def test_a_save_that_fails_after_writing_keeps_nothing(make_app, create_user, monkeypatch):
    """All or nothing: an error anywhere in the request after the answer was written (here,
    finding where the navigation leads) is a 500 page and leaves the answer unsaved."""
    from quizzes.quiz import routes

    app = make_app(PROPAGATE_EXCEPTIONS=False)
    world = World(app, {actor: create_user(actor, role) for actor, role in ROLES.items()})
    values = _values(app, world, next(r for r in ROUTES if r.endpoint == "quiz.item"))

    def broken(*args, **kwargs):
        raise RuntimeError("navigation failed")

    monkeypatch.setattr(routes, "target_position", broken)
    client = client_as(app, world, "student")
    url = f"/quiz/attempts/{values['attempt_id']}/items/1"
    response = client.post(url, data={"answer": "Pyongyang", "go": "next"})
    assert response.status_code == 500
    assert _responses(app, values["attempt_id"]) == [None, None]


@pytest.mark.parametrize(
    ("text", "expected"),
    [("0", 0), ("42", 42), (str(INT_MAX), INT_MAX), ("007", 7)],
)
def test_whole_number_reads_ascii_digits_in_range(text, expected):
    assert whole_number(text) == expected


@pytest.mark.parametrize(
    "text",
    [None, "", " 1", "1 ", "+1", "-1", "1_000", "²", "١٢", "１２", str(INT_MAX + 1), "9" * 5000],
)
def test_whole_number_refuses_everything_else(text):
    with pytest.raises(ValueError):
        whole_number(text)


def test_big_numbers_have_their_own_ceiling():
    assert whole_number(str(BIGINT_MAX), BIGINT_MAX) == BIGINT_MAX
    with pytest.raises(ValueError):
        whole_number(str(BIGINT_MAX + 1), BIGINT_MAX)


def test_the_converter_range_is_what_the_database_holds(app, create_user):
    create_user("teacher", Role.TEACHER)
    client = app.test_client()
    assert client.get(f"/bank/items/{INT_MAX}").status_code == 404
    assert client.get("/bank/items/99999999999999999999").status_code == 404


@pytest.mark.parametrize(
    ("steps", "message"),
    [
        ("99999999999999h", "Each step must be shorter than a day."),  # OverflowError before
        ("9223372036854775808", "Each step must be shorter than a day."),
        ("١٠m", "is not a duration"),
        ("0m", "is no time at all"),
    ],
)
def test_study_steps_out_of_range_are_a_message(app, world, steps, message):
    client = client_as(app, world, "student")
    form = {
        "desired_retention": "0.9",
        "new_per_day": "20",
        "reviews_per_day": "200",
        "learning_steps": steps,
        "relearning_steps": "10m",
        "timezone": "UTC",
        "day_start_hour": "4",
    }
    response = client.post("/cards/settings", data=form)
    assert response.status_code in (200, 422)
    assert message in response.get_data(as_text=True)


def test_named_cases_of_the_issue(app, world):
    """The cases the attack report named, one by one (each was a 500)."""
    from tests.web.test_authorization import teachers_set_item

    with app.app_context():
        values = teachers_set_item(world)
        db.session.commit()
    teacher = client_as(app, world, "teacher")
    preview = f"/teach/sets/{values['set_id']}/items/{values['item_id']}/preview"
    for bad in BAD_NUMBERS:
        assert teacher.post(preview, data={"seed": bad, "answer": "x"}).status_code == 200
        assert teacher.get(f"/teach/import?into={bad}").status_code == 200
        assert teacher.get(f"/teach/classes/1/assignments/new?set={bad}").status_code == 404
    public = app.test_client()
    assert public.get("/bank/items/99999999999999999999").status_code == 404
    assert public.get(f"/quiz/?set={2**63}").status_code == 200
