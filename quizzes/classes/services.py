"""Classes and enrollments: ORM work that flushes but never commits."""

from __future__ import annotations

import random

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from models import Enrollment, Role, SchoolClass, User, db
from quizzes.domain.joincodes import generate_join_code, normalise_join_code

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
    code = normalise_join_code(typed_code)
    if code is None:
        raise JoinError(
            "A join code has 6 letters and digits, such as KMT-4QX. Check it with your teacher."
        )
    school_class = db.session.scalar(select(SchoolClass).where(SchoolClass.join_code == code))
    if school_class is None:
        raise JoinError("No class has that code. Check it with your teacher.")
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
