"""Classes and enrollments: ORM work that flushes but never commits."""

from __future__ import annotations

import random

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from models import Enrollment, Role, SchoolClass, User, db
from quizzes.domain.joincodes import (
    ALPHABET,
    LENGTH,
    NEVER_USED,
    format_join_code,
    generate_join_code,
    read_join_code,
)

_CODE_ATTEMPTS = 20


class JoinError(Exception):
    """A join code a student cannot use; the message is shown as it is."""


def create_class(teacher: User, name: str, rng: random.Random | None = None) -> SchoolClass:
    rng = rng or random.SystemRandom()
    for _ in range(_CODE_ATTEMPTS):
        code = generate_join_code(rng)
        if db.session.scalar(select(SchoolClass.id).where(SchoolClass.join_code == code)) is None:
            school_class = SchoolClass(name=name.strip(), teacher_id=teacher.id, join_code=code)
            db.session.add(school_class)
            db.session.flush()
            return school_class
    # 25^6 codes: reaching this means the generator is broken, not that codes ran out.
    raise RuntimeError("could not find an unused join code")


def new_join_code(school_class: SchoolClass, rng: random.Random | None = None) -> str:
    """A fresh code when the old one leaked; students already in the class stay."""
    rng = rng or random.SystemRandom()
    for _ in range(_CODE_ATTEMPTS):
        code = generate_join_code(rng)
        if db.session.scalar(select(SchoolClass.id).where(SchoolClass.join_code == code)) is None:
            school_class.join_code = code
            db.session.flush()
            return code
    raise RuntimeError("could not find an unused join code")


def teacher_classes(teacher: User) -> list[tuple[SchoolClass, int]]:
    """The teacher's classes with their student counts, newest first."""
    counts = (
        select(Enrollment.class_id, db.func.count(Enrollment.id).label("n"))
        .group_by(Enrollment.class_id)
        .subquery()
    )
    rows = db.session.execute(
        select(SchoolClass, db.func.coalesce(counts.c.n, 0))
        .outerjoin(counts, counts.c.class_id == SchoolClass.id)
        .where(SchoolClass.teacher_id == teacher.id)
        .order_by(SchoolClass.created_at.desc(), SchoolClass.id.desc())
    )
    return [(school_class, count) for school_class, count in rows]


def roster(school_class: SchoolClass) -> list[Enrollment]:
    return list(
        db.session.scalars(
            select(Enrollment)
            .join(User, User.id == Enrollment.student_id)
            .where(Enrollment.class_id == school_class.id)
            .order_by(db.func.lower(User.username))
        )
    )


def is_member(school_class: SchoolClass, student_id: int) -> bool:
    return (
        db.session.scalar(
            select(Enrollment.id).where(
                Enrollment.class_id == school_class.id, Enrollment.student_id == student_id
            )
        )
        is not None
    )


def student_classes(student: User) -> list[SchoolClass]:
    return list(
        db.session.scalars(
            select(SchoolClass)
            .join(Enrollment, Enrollment.class_id == SchoolClass.id)
            .where(Enrollment.student_id == student.id)
            .order_by(SchoolClass.name)
        )
    )


def join_class(student: User, typed_code: str) -> tuple[SchoolClass, bool]:
    """The class the code opens, and whether the student was newly added to it."""
    if student.role is not Role.STUDENT:
        raise JoinError("Only student accounts join classes.")
    code = _code_or_refusal(typed_code)
    school_class = db.session.scalar(select(SchoolClass).where(SchoolClass.join_code == code))
    if school_class is None:
        raise JoinError(
            f"No class has the code {format_join_code(code)}. Compare it with the code your "
            "teacher gave you, character by character; if your teacher has made a new code, "
            "the old one no longer works."
        )
    existing = db.session.scalar(
        select(Enrollment).where(
            Enrollment.class_id == school_class.id, Enrollment.student_id == student.id
        )
    )
    if existing is not None:
        return school_class, False
    try:
        with db.session.begin_nested():  # a savepoint: losing the race below undoes only this
            db.session.add(Enrollment(class_id=school_class.id, student_id=student.id))
    except IntegrityError:
        return school_class, False  # joined by a press sent at the same moment
    return school_class, True


def _listed(chars: str | list[str]) -> str:
    """ "0", "0 or 1", "0, 1 or 2"."""
    return chars[0] if len(chars) == 1 else f"{', '.join(chars[:-1])} or {chars[-1]}"


def _code_or_refusal(typed_code: str) -> str:
    """The code to look up, or a JoinError that says what is wrong with what was typed."""
    typed = read_join_code(typed_code)
    if typed.korean:
        raise JoinError(
            "That has Korean letters in it: the keyboard is set to Korean. Switch it to "
            "English (the 한/영 key) and type the code again."
        )
    if typed.never_used:
        these = "that character" if len(typed.never_used) == 1 else "those characters"
        raise JoinError(
            f"Join codes never contain {_listed(''.join(sorted(NEVER_USED)))}, as they are "
            f"easy to mix up, and yours has {_listed(typed.never_used)}. Look at {these} "
            f"again: codes use only {' '.join(ALPHABET)}."
        )
    if typed.other:
        quoted = [f"“{char}”" for char in typed.other]
        raise JoinError(
            f"Join codes have only letters and digits, such as KMT-4QX, so {_listed(quoted)} "
            f"cannot be part of one. Type the code without {'it' if len(quoted) == 1 else 'them'}."
        )
    if len(typed.code) != LENGTH:
        raise JoinError(
            f"A join code has {LENGTH} letters and digits, such as KMT-4QX; that has "
            f"{len(typed.code)}. Check it with your teacher."
        )
    return typed.code


def remove_student(school_class: SchoolClass, student_id: int) -> bool:
    enrollment = db.session.scalar(
        select(Enrollment).where(
            Enrollment.class_id == school_class.id, Enrollment.student_id == student_id
        )
    )
    if enrollment is None:
        return False
    db.session.delete(enrollment)
    db.session.flush()
    return True
