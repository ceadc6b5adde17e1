"""Classes: a teacher creates one, students join with its code, the teacher sees the roster
and can remove a student."""

from __future__ import annotations

import random
import re

from sqlalchemy import select

from models import Enrollment, SchoolClass, db
from quizzes.domain.joincodes import ALPHABET
from tests.web.at_once import at_once
from tests.web.teach_support import error_for, text_of, user_id


def _create_class(client, name="Year 10 History") -> tuple[int, str]:
    response = client.post("/teach/classes/new", data={"name": name})
    assert response.status_code == 302
    class_id = int(response.headers["Location"].rsplit("/", 1)[1])
    page = client.get(f"/teach/classes/{class_id}").data.decode()
    code = re.search(r'<p class="join-code-big"><code>([A-Z0-9-]+)</code>', page).group(1)
    return class_id, code


def test_teacher_creates_a_class_with_an_unambiguous_code(app, login_as):
    teacher = login_as("teacher1", "teacher")
    class_id, shown = _create_class(teacher)
    assert re.fullmatch(r"[A-Z0-9]{3}-[A-Z0-9]{3}", shown)
    with app.app_context():
        stored = db.session.get(SchoolClass, class_id).join_code
    assert stored == shown.replace("-", "")
    assert set(stored) <= set(ALPHABET)
    assert not set(stored) & set("0O1IL")
    listing = teacher.get("/teach/classes").data.decode()
    assert "Year 10 History" in listing and shown in listing


def test_class_needs_a_name(login_as):
    teacher = login_as("teacher1", "teacher")
    page = teacher.post("/teach/classes/new", data={"name": "  "}).data.decode()
    assert error_for(page, "name") == "Error: Give the class a name."


def test_codes_are_unique_even_when_the_generator_repeats(app, create_user):
    from models import User
    from quizzes.classes import services

    create_user("teacher1", "teacher")
    with app.app_context():
        teacher = db.session.get(User, user_id(app, "teacher1"))
        first = services.create_class(teacher, "A", rng=random.Random(7))
        # The same seed proposes the same code first: it must be skipped.
        second = services.create_class(teacher, "B", rng=random.Random(7))
        db.session.commit()
        assert first.join_code != second.join_code


def test_student_joins_with_the_code_in_any_case_and_sees_the_class(app, login_as):
    teacher = login_as("teacher1", "teacher")
    class_id, code = _create_class(teacher)
    student = login_as("student1")
    typed = " " + code.lower().replace("-", " ") + " "
    response = student.post("/classes/", data={"code": typed})
    assert response.status_code == 302
    page = student.get("/classes/").data.decode()
    assert "You joined Year 10 History." in text_of(page)
    assert "Year 10 History" in page and "teacher1" in page

    again = student.post("/classes/", data={"code": code}, follow_redirects=True)
    assert "You are already in Year 10 History." in text_of(again.data.decode())
    with app.app_context():
        assert db.session.scalar(select(db.func.count(Enrollment.id))) == 1

    roster = teacher.get(f"/teach/classes/{class_id}").data.decode()
    assert "student1" in roster and "Students (1)" in roster


def test_two_presses_of_join_at_the_same_moment_join_once(app, login_as):
    """Both requests look for the enrollment before either wrote it (threads on one app):
    the second finds the first's on writing and says the student is in already."""
    teacher = login_as("teacher1", "teacher")
    _, code = _create_class(teacher)
    codes = at_once(
        app,
        login_as("student1").get_cookie("session").value,
        lambda client: client.post("/classes/", data={"code": code}).status_code,
    )
    assert codes == [302, 302]
    with app.app_context():
        assert db.session.scalar(select(db.func.count(Enrollment.id))) == 1


def test_wrong_codes_get_clear_messages(login_as):
    teacher = login_as("teacher1", "teacher")
    _create_class(teacher)
    student = login_as("student1")

    def refusal(typed: str) -> str:
        page = student.post("/classes/", data={"code": typed})
        assert page.status_code == 200
        return error_for(page.data.decode(), "code")

    assert refusal("KMT-4Q") == (
        "Error: A join code has 6 letters and digits, such as KMT-4QX; that has 5. "
        "Check it with your teacher."
    )
    never = (
        "Error: Join codes never contain 0, 1, 2, 5, 8, B, I, L, O, S or Z, as they are easy "
        "to mix up, and yours has {}. Look at {} again: codes use only "
        "A C D E F G H J K M N P Q R T U V W X Y 3 4 6 7 9."
    )
    assert refusal("KMT-4Q0") == never.format("0", "that character")
    assert refusal("kmt-4ql") == never.format("L", "that character")  # a small l
    assert refusal("OMT-1QO") == never.format("O or 1", "those characters")
    assert refusal("KMT/4QX") == (
        "Error: Join codes have only letters and digits, such as KMT-4QX, so “/” cannot be "
        "part of one. Type the code without it."
    )
    assert refusal("ㅏㅡㅅ-4ㅂㅌ") == (
        "Error: That has Korean letters in it: the keyboard is set to Korean. Switch it to "
        "English (the 한/영 key) and type the code again."
    )
    assert refusal("aaa aaa") == (
        "Error: No class has the code AAA-AAA. Compare it with the code your teacher gave "
        "you, character by character; if your teacher has made a new code, the old one no "
        "longer works."
    )
    assert refusal("") == "Error: Type the code your teacher gave you."


def test_codes_copied_from_slides_or_typed_full_width_are_accepted(app, login_as):
    teacher = login_as("teacher1", "teacher")
    _, code = _create_class(teacher)
    student = login_as("student1")
    form = student.get("/classes/").data.decode()
    assert re.search(r'<input [^>]*autocapitalize="characters"[^>]*id="code"', form)
    assert re.search(r'<input [^>]*id="code"[^>]*spellcheck="false"', form)
    full_width = "".join(chr(ord(char) + 0xFEE0) for char in code.replace("-", ""))
    response = student.post("/classes/", data={"code": full_width})
    assert response.status_code == 302
    again = student.post("/classes/", data={"code": code.replace("-", "\u2013")})
    assert again.status_code == 302  # an en dash, as slides and documents write "-"
    page = text_of(student.get("/classes/").data.decode())
    assert "You joined Year 10 History." in page and "You are already in Year 10 History." in page


def test_teacher_removes_a_student(app, login_as):
    teacher = login_as("teacher1", "teacher")
    class_id, code = _create_class(teacher)
    student = login_as("student1")
    student.post("/classes/", data={"code": code}, follow_redirects=True)
    sid = user_id(app, "student1")
    response = teacher.post(f"/teach/classes/{class_id}/students/{sid}/remove")
    assert response.status_code == 302
    page = teacher.get(f"/teach/classes/{class_id}").data.decode()
    assert "Removed student1 from Year 10 History." in text_of(page)
    assert "Students (0)" in page
    mine = student.get("/classes/").data.decode()
    assert "Year 10 History" not in mine and "You are not in a class yet." in mine
    # Removing someone who is not in the class is a 404, not a silent success.
    assert teacher.post(f"/teach/classes/{class_id}/students/{sid}/remove").status_code == 404


def test_new_code_replaces_the_old_one(app, login_as):
    teacher = login_as("teacher1", "teacher")
    class_id, old = _create_class(teacher)
    teacher.post(f"/teach/classes/{class_id}/code")
    _, new = _create_class_code(teacher, class_id)
    assert new != old
    student = login_as("student1")
    page = student.post("/classes/", data={"code": old}).data.decode()
    assert "No class has the code" in error_for(page, "code")
    assert student.post("/classes/", data={"code": new}).status_code == 302


def _create_class_code(client, class_id):
    page = client.get(f"/teach/classes/{class_id}").data.decode()
    return class_id, re.search(r'<p class="join-code-big"><code>([A-Z0-9-]+)</code>', page).group(1)


def test_teachers_are_sent_to_their_own_class_list(login_as):
    teacher = login_as("teacher1", "teacher")
    response = teacher.get("/classes/")
    assert response.status_code == 302 and response.headers["Location"].endswith("/teach/classes")


def test_a_student_cannot_join_with_a_forged_role(app, create_user):
    """join_class refuses non-students even if called directly."""
    import pytest

    from models import User
    from quizzes.classes import services

    create_user("teacher1", "teacher")
    with app.app_context():
        teacher = db.session.get(User, user_id(app, "teacher1"))
        school_class = services.create_class(teacher, "A")
        with pytest.raises(services.JoinError, match="Only student accounts join classes."):
            services.join_class(teacher, school_class.join_code)


def test_the_assignment_form_with_nothing_to_assign_says_to_publish_first(login_as):
    teacher = login_as("teacher1", "teacher")
    class_id, _ = _create_class(teacher)
    response = teacher.get(f"/teach/classes/{class_id}/assignments/new")
    assert response.headers["Location"] == f"/teach/classes/{class_id}"
    page = teacher.get(response.headers["Location"]).data.decode()
    assert "To assign a set, first publish one of your sets." in page
