"""Sign-up keeps the zone the browser sent (static/js/app.js fills it in) when it is a real
one, else UTC; a teacher still on UTC is told so where dates are typed (issue 18)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from models import User, db
from tests.conftest import PASSWORD


def _sign_up(client, username: str, zone: str):
    return client.post(
        "/auth/register",
        data={
            "username": username,
            "password": PASSWORD,
            "confirm": PASSWORD,
            "role": "student",
            "timezone": zone,
        },
    )


@pytest.mark.parametrize(
    ("sent", "stored"),
    [
        ("Asia/Seoul", "Asia/Seoul"),
        ("Europe/London", "Europe/London"),
        ("Mars/Olympus_Mons", "UTC"),
        ("", "UTC"),
        ("x" * 10_000, "UTC"),
        ("Asia/Seoul\x00", "UTC"),
    ],
)
def test_sign_up_keeps_a_real_zone_only(app, client, sent, stored):
    assert _sign_up(client, "newcomer", sent).status_code == 302
    with app.app_context():
        assert db.session.scalar(select(User.timezone).where(User.username == "newcomer")) == (
            stored
        )


def test_assignment_form_warns_a_teacher_still_on_utc(app, login_as):
    from models import SetStatus
    from tests.web.teach_support import SAMPLE_ITEMS, make_set

    teacher = login_as("teacher1", "teacher")
    make_set(app, "teacher1", items=[SAMPLE_ITEMS["single"]], status=SetStatus.PUBLISHED)
    response = teacher.post("/teach/classes/new", data={"name": "Year 10"})
    class_id = int(response.headers["Location"].rsplit("/", 1)[1])
    page = teacher.get(f"/teach/classes/{class_id}/assignments/new").data.decode()
    assert 'id="zone-notice"' in page
    teacher.post("/account/timezone", data={"timezone": "Asia/Seoul"})
    page = teacher.get(f"/teach/classes/{class_id}/assignments/new").data.decode()
    assert 'id="zone-notice"' not in page
    assert "Times are in your time zone, Asia/Seoul." in page
