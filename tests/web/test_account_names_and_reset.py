"""Display names, and one-time password reset codes given by a teacher, an administrator
or `flask users reset` (no mail server): issue 18's accounts."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from models import Enrollment, ResetCode, User, db, utcnow
from tests.conftest import PASSWORD
from tests.web.teach_support import error_for, text_of, user_id

NEW_PASSWORD = "a brand new passphrase"


def _class_with(teacher, student, name="Year 10") -> int:
    response = teacher.post("/teach/classes/new", data={"name": name})
    class_id = int(response.headers["Location"].rsplit("/", 1)[1])
    page = teacher.get(f"/teach/classes/{class_id}").data.decode()
    code = re.search(r'<p class="join-code-big"><code>([A-Z0-9-]+)</code>', page).group(1)
    assert student.post("/classes/", data={"code": code}).status_code == 302
    return class_id


def _code_on(page: str) -> str:
    return re.search(r"<code[^>]*>([A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4})</code>", page).group(1)


def _reset(client, username: str, code: str, password: str = NEW_PASSWORD):
    return client.post(
        "/auth/reset",
        data={"username": username, "code": code, "password": password, "confirm": password},
    )


def _can_log_in(app, username: str, password: str) -> bool:
    response = app.test_client().post(
        "/auth/login", data={"username": username, "password": password}
    )
    return response.status_code == 302


# -- display names ------------------------------------------------------------------------


def test_sign_up_with_a_display_name_shows_it_to_the_teacher(app, client, login_as):
    response = client.post(
        "/auth/register",
        data={
            "username": "ana.k",
            "display_name": "  Ana   Kim ",
            "password": PASSWORD,
            "confirm": PASSWORD,
            "role": "student",
        },
    )
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(User.display_name).where(User.username == "ana.k")) == (
            "Ana Kim"
        )
    teacher = login_as("teacher1", "teacher")
    class_id = _class_with(teacher, client)
    roster = text_of(teacher.get(f"/teach/classes/{class_id}").data.decode())
    assert "Ana Kim (ana.k)" in roster
    gradebook = teacher.get(f"/teach/classes/{class_id}/gradebook.csv").data.decode()
    assert "Ana Kim (ana.k)" in gradebook


def test_display_name_is_changed_and_removed_on_the_account_page(app, login_as):
    student = login_as("student1")
    assert student.post("/account/name", data={"display_name": "Min-jun Park"}).status_code == 302
    with app.app_context():
        assert db.session.get(User, user_id(app, "student1")).display_name == "Min-jun Park"
    page = student.get("/account/").data.decode()
    assert 'value="Min-jun Park"' in page
    assert student.post("/account/name", data={"display_name": ""}).status_code == 302
    with app.app_context():
        assert db.session.get(User, user_id(app, "student1")).display_name == ""


def test_display_name_rules_are_messages_and_change_nothing(app, login_as):
    student = login_as("student1")
    student.post("/account/name", data={"display_name": "Kept"})
    for bad in ("x" * 81, "Bell\x07", "Zero\u200bwidth"):
        response = student.post("/account/name", data={"display_name": bad})
        assert response.status_code == 422
        assert error_for(response.data.decode(), "display_name").startswith("Error: ")
    with app.app_context():
        assert db.session.get(User, user_id(app, "student1")).display_name == "Kept"


def test_display_name_is_escaped(login_as):
    teacher = login_as("teacher1", "teacher")
    student = login_as("student1")
    student.post("/account/name", data={"display_name": "<script>x</script>"})
    class_id = _class_with(teacher, student)
    page = teacher.get(f"/teach/classes/{class_id}").data.decode()
    assert "<script>x</script>" not in page
    assert "&lt;script&gt;x&lt;/script&gt;" in page


# -- reset codes from a teacher --------------------------------------------------------------


def test_teacher_gives_a_class_member_a_code_that_sets_a_new_password_once(app, login_as):
    teacher = login_as("teacher1", "teacher")
    student = login_as("student1")
    class_id = _class_with(teacher, student)
    sid = user_id(app, "student1")
    response = teacher.post(f"/teach/classes/{class_id}/students/{sid}/reset-code")
    assert response.status_code == 302
    shown = teacher.get(response.headers["Location"])
    assert shown.headers["Cache-Control"] == "no-store"
    code = _code_on(shown.data.decode())
    # Shown once: the same page again has no code, and offers a new one.
    again_page = teacher.get(response.headers["Location"]).data.decode()
    assert code not in again_page and "Give a new reset code" in again_page
    with app.app_context():
        stored = db.session.scalar(select(ResetCode).where(ResetCode.user_id == sid))
        assert code.replace("-", "") not in stored.code_hash  # only a hash is kept
        assert stored.made_by_id == user_id(app, "teacher1")

    visitor = app.test_client()
    done = _reset(visitor, "STUDENT1", code.lower().replace("-", " "))
    assert done.status_code == 302 and done.headers["Location"].endswith("/auth/login")
    assert _can_log_in(app, "student1", NEW_PASSWORD)
    assert not _can_log_in(app, "student1", PASSWORD)
    # The student's signed-in sessions ended with the old password.
    assert b"Signed in as" not in student.get("/").data
    # Once only.
    again = _reset(app.test_client(), "student1", code, "yet another passphrase")
    assert again.status_code == 422
    assert _can_log_in(app, "student1", NEW_PASSWORD)


def test_teacher_cannot_give_codes_outside_their_class_or_to_teachers(app, login_as):
    teacher = login_as("teacher1", "teacher")
    other_teacher = login_as("teacher2", "teacher")
    student = login_as("student1")
    outsider = login_as("student2")
    class_id = _class_with(teacher, student)
    _class_with(other_teacher, outsider, "Other class")
    sid, oid = user_id(app, "student1"), user_id(app, "student2")
    # Someone else's class: 404 (the class is not theirs to know of).
    assert (
        other_teacher.post(f"/teach/classes/{class_id}/students/{sid}/reset-code").status_code
        == 404
    )
    # A student not in this class.
    assert teacher.post(f"/teach/classes/{class_id}/students/{oid}/reset-code").status_code == 404
    # A teacher on the roster (the join page does not let one join; a roster sync might)
    # is not theirs to take over.
    staff_id = user_id(app, "teacher2")
    with app.app_context():
        db.session.add(Enrollment(class_id=class_id, student_id=staff_id))
        db.session.commit()
    response = teacher.post(f"/teach/classes/{class_id}/students/{staff_id}/reset-code")
    assert response.status_code == 403
    # Students have no such page at all.
    assert student.post(f"/teach/classes/{class_id}/students/{sid}/reset-code").status_code == 403
    with app.app_context():
        assert db.session.scalar(select(db.func.count(ResetCode.id))) == 0


def test_a_newer_code_replaces_the_older_and_codes_expire(app, login_as, monkeypatch):
    teacher = login_as("teacher1", "teacher")
    student = login_as("student1")
    class_id = _class_with(teacher, student)
    sid = user_id(app, "student1")
    url = f"/teach/classes/{class_id}/students/{sid}/reset-code"
    first = _code_on(teacher.post(url, follow_redirects=True).data.decode())
    second = _code_on(teacher.post(url, follow_redirects=True).data.decode())
    response = _reset(app.test_client(), "student1", first)
    assert response.status_code == 422
    assert "does not work for this username" in text_of(response.data.decode())
    later = utcnow() + timedelta(hours=app.config["RESET_CODE_HOURS"], minutes=1)
    monkeypatch.setitem(app.config, "QUIZDECK_NOW", lambda: later)
    assert _reset(app.test_client(), "student1", second).status_code == 422
    assert _can_log_in(app, "student1", PASSWORD)


def test_a_code_works_only_for_its_own_username(app, login_as):
    teacher = login_as("teacher1", "teacher")
    student = login_as("student1")
    login_as("student2")
    class_id = _class_with(teacher, student)
    code = _code_on(
        teacher.post(
            f"/teach/classes/{class_id}/students/{user_id(app, 'student1')}/reset-code",
            follow_redirects=True,
        ).data.decode()
    )
    assert _reset(app.test_client(), "student2", code).status_code == 422
    assert _can_log_in(app, "student2", PASSWORD)


def test_reset_form_checks_the_new_password(app, login_as):
    response = _reset(app.test_client(), "student1", "AAAA-BBBB-CCCC", "short")
    assert response.status_code == 422
    assert error_for(response.data.decode(), "password").startswith("Error: Use at least")


# -- administrators and the command line -----------------------------------------------------


def test_admin_gives_any_account_a_code_but_not_their_own(app, login_as):
    admin = login_as("admin1", "admin")
    login_as("teacher1", "teacher")
    response = admin.post("/admin/reset-codes", data={"username": "Teacher1"})
    assert response.status_code == 302
    code = _code_on(admin.get(response.headers["Location"]).data.decode())
    assert code not in admin.get("/admin/teachers").data.decode()  # shown once
    assert _reset(app.test_client(), "teacher1", code).status_code == 302
    assert _can_log_in(app, "teacher1", NEW_PASSWORD)
    own = admin.post("/admin/reset-codes", data={"username": "admin1"})
    assert own.status_code == 422
    missing = admin.post("/admin/reset-codes", data={"username": "nobody"})
    assert "No account is called 'nobody'" in text_of(missing.data.decode())


def test_only_admins_reach_the_admin_reset(app, login_as):
    teacher = login_as("teacher1", "teacher")
    login_as("student1")
    assert teacher.post("/admin/reset-codes", data={"username": "student1"}).status_code == 403


def test_flask_users_reset_prints_a_working_code(app, runner, create_user):
    create_user("student1")
    result = runner.invoke(args=["users", "reset", "student1"])
    assert result.exit_code == 0, result.output
    code = result.stdout.strip().splitlines()[0]
    assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}", code)
    assert _reset(app.test_client(), "student1", code).status_code == 302
    assert _can_log_in(app, "student1", NEW_PASSWORD)
    missing = runner.invoke(args=["users", "reset", "nobody"])
    assert missing.exit_code != 0 and "No user is called 'nobody'" in missing.output


def test_login_page_links_to_the_reset(client):
    page = client.get("/auth/login").data.decode()
    assert 'href="/auth/reset"' in page
