"""Property-based fuzzing (hypothesis) of every form and upload endpoint: whatever is posted,
no 500, and a request that is refused or answered without a redirect writes nothing.

Every POST route of the URL map is posted to by the person its access rule serves (the
access walker's RULES and URL_VALUES builders, tests/web/test_authorization.py, make a new
object for each example). The fields are the page's own form fields (read from its GET page
when it has one) plus every field name any form of the app declares, with values drawn
from text and from values known to break parsers (huge numbers, Unicode digits, NUL, long
strings); upload fields get random bytes under names of every import format.

A successful form redirects (post/redirect/get); any other answer (a form shown again with
its errors, 400, 404, 413, 422 ...) must leave every table exactly as it was. And a request
commits at most once, so its writes land together or not at all. Examples are
few, derandomized and without deadline, so the suite stays fast and stable.
"""

from __future__ import annotations

import io
import re

import pytest
from flask import Flask
from flask_wtf import FlaskForm
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.orm import Session
from werkzeug.routing import Rule as UrlRule

from models import db
from tests.web.test_authorization import (
    OK,
    ROLES,
    ROUTES,
    RULES,
    URL_VALUES,
    World,
    client_as,
    rule_for,
)

NASTY = [
    "",
    " ",
    "0",
    "-1",
    "1.5",
    "²",
    "١٢",
    "１２",
    str(2**31),
    str(2**63),
    "9" * 5000,
    "1e309",
    "NaN",
    "\x00",
    "x" * 20000,
    "<script>alert(1)</script>",
    "card:99999999999999999999:0",
    "set:²",
    "topic:",
    "remove:answers:²",
    "move:answers:0:sideways",
    "add:nothing",
]
UPLOAD_NAMES = ["x.apkg", "x.colpkg", "x.csv", "x.txt", "x.gift", "x.json", "x.toml", "x"]
REDIRECTS = (301, 302, 303, 307, 308)


def _declared_field_names() -> list[str]:
    """Every field name any FlaskForm subclass of the app declares."""
    import app as _app  # noqa: F401  (the app's modules, so their forms exist)

    _app.create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    names: set[str] = set()
    pending = list(FlaskForm.__subclasses__())
    while pending:
        form = pending.pop()
        pending.extend(form.__subclasses__())
        names.update(name for name, _ in getattr(form, "_unbound_fields", None) or [])
        names.update(name for name in vars(form) if not name.startswith("_") and name != "Meta")
    names.update({"action", "answer", "order", "go", "seed", "check", "t", "card", "token"})
    return sorted(n for n in names if re.fullmatch(r"[a-z_]+", n))


DECLARED = _declared_field_names()
POST_ROUTES = [r for r in ROUTES if "POST" in r.methods]


def _actor(endpoint: str) -> str:
    """The first person (anonymous, student, teacher, admin) the route serves."""
    expected = rule_for(endpoint, "POST").expected
    for actor in ("anonymous", "student", "teacher", "admin"):
        if expected[actor] == OK:
            return actor
    return "admin"


# Written once on first use, whatever the request: the LTI tool's first signing key is made
# by the first request to the LMS admin pages, a refused one included (not half a request).
MADE_ON_FIRST_USE = {"lti_keys"}


def snapshot() -> dict[str, list[tuple]]:
    """Every row of every table (but MADE_ON_FIRST_USE), in a stable order."""
    rows = {}
    for table in db.metadata.sorted_tables:
        if table.name in MADE_ON_FIRST_USE:
            continue
        found = db.session.execute(db.select(table)).all()
        rows[table.name] = sorted(tuple(map(repr, row)) for row in found)
    return rows


def _page_fields(client, url: str) -> tuple[list[str], list[str]]:
    """The field names and the file-field names of the form on the route's GET page."""
    response = client.get(url)
    if response.status_code != 200 or "text/html" not in response.content_type:
        return [], []
    html = response.data.decode(errors="replace")
    names = sorted(set(re.findall(r'name="([^"]+)"', html)) - {"csrf_token"})
    files = sorted(set(re.findall(r'type="file"[^>]*name="([^"]+)"', html)))
    files += re.findall(r'name="([^"]+)"[^>]*type="file"', html)
    return names, files


values = st.one_of(st.sampled_from(NASTY), st.text(max_size=40))
uploads = st.tuples(st.sampled_from(UPLOAD_NAMES), st.binary(max_size=3000))


@pytest.fixture
def world(app: Flask, create_user) -> World:
    w = World(app)
    for actor, role in ROLES.items():
        w.ids[actor] = create_user(actor, role)
    return w


@pytest.mark.parametrize("url_rule", POST_ROUTES, ids=lambda r: f"{r.endpoint}:{r.rule}")
def test_no_form_post_breaks_or_half_writes(app, world, url_rule: UrlRule):
    actor = _actor(url_rule.endpoint)
    client = client_as(app, world, actor)

    def url() -> str:
        with app.app_context():
            values = URL_VALUES[url_rule.endpoint](world) if url_rule.arguments else {}
            db.session.commit()
            return url_rule.build(values, append_unknown=False)[1]

    page_names, file_names = ([], [])
    if "GET" in url_rule.methods:
        page_names, file_names = _page_fields(client, url())
    names = sorted(set(page_names) | set(DECLARED))
    # The page's own fields first (shrinking goes there), every declared name after.
    named = st.sampled_from(names)
    if page_names:
        named = st.sampled_from(page_names) | named
    fields = st.lists(st.tuples(named, values), max_size=12)
    files = st.lists(st.tuples(st.sampled_from(file_names or ["file"]), uploads), max_size=1)

    @settings(
        max_examples=8,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(fields=fields, files=files)
    def post_anything(fields, files):
        problem = post_and_compare(app, client, url(), form_data(fields, files))
        assert problem is None, f"as {actor}: {problem}"

    post_anything()


def form_data(fields, files) -> dict[str, list]:
    data: dict[str, list] = {}
    for name, value in fields:
        data.setdefault(name, []).append(value)
    for name, (filename, content) in files:
        data.setdefault(name, []).append((io.BytesIO(content), filename))
    return data


def post_and_compare(app: Flask, client, target: str, data: dict) -> str | None:
    """POST `data`; what went wrong (a 5xx, or a write by a request that did not succeed)."""
    with app.app_context():
        before = snapshot()
    commits = []
    original = Session.commit

    def counted(session):
        commits.append(1)
        return original(session)

    Session.commit = counted
    try:
        response = client.post(target, data=data, content_type="multipart/form-data")
    except Exception as error:  # TESTING: an error in a view reaches the test
        return f"POST {target}: {type(error).__name__}: {error}"
    finally:
        Session.commit = original
    status = response.status_code
    response.close()
    if status >= 500:
        return f"POST {target}: {status}"
    if len(commits) > 1:  # one commit per request: all of its writes, or none
        return f"POST {target} committed {len(commits)} times"
    if status not in REDIRECTS:
        with app.app_context():
            after = snapshot()
        changed = [name for name in before if before[name] != after[name]]
        if changed:
            return f"POST {target} answered {status} and wrote {changed}"
    return None


def test_the_comparison_catches_a_half_write_and_an_error(app, world):
    """The property itself can fail: a view that writes and then refuses, one that raises
    and one that commits twice are all reported."""
    from flask import abort

    from models import Deck

    def half_write():
        db.session.add(Deck(owner_id=world.ids["student"], title="left behind"))
        db.session.commit()
        abort(422)

    def breaks():
        raise OverflowError("Python int too large to convert to SQLite INTEGER")

    def commits_twice():
        db.session.add(Deck(owner_id=world.ids["student"], title="first"))
        db.session.commit()
        db.session.add(Deck(owner_id=world.ids["student"], title="second"))
        db.session.commit()
        return "", 204

    app.add_url_rule("/_test/half", "test.half", half_write, methods=["POST"])
    app.add_url_rule("/_test/breaks", "test.breaks", breaks, methods=["POST"])
    app.add_url_rule("/_test/twice", "test.twice", commits_twice, methods=["POST"])
    client = app.test_client()
    assert post_and_compare(app, client, "/_test/half", {}) == (
        "POST /_test/half answered 422 and wrote ['decks']"
    )
    assert "OverflowError" in post_and_compare(app, client, "/_test/breaks", {})
    assert post_and_compare(app, client, "/_test/twice", {}) == (
        "POST /_test/twice committed 2 times"
    )


def test_every_post_route_is_fuzzed():
    assert {r.endpoint for r in POST_ROUTES} <= set(RULES)
    assert len(POST_ROUTES) > 30
