"""What a validated launch does here: the LMS person becomes (or finds) a local account, the
LMS course becomes (or finds) a class, and a placed assignment finds its gradebook column.
Everything flushes; the view commits once."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from models import (
    Assignment,
    Enrollment,
    LtiAssignmentLink,
    LtiCourse,
    LtiPlatform,
    LtiUserLink,
    Role,
    SchoolClass,
    User,
    db,
)
from quizzes.classes.services import create_class
from quizzes.domain import lti as domain

CLAIM = "https://purl.imsglobal.org/spec/lti/claim/"
CONTEXT = CLAIM + "context"
RESOURCE_LINK = CLAIM + "resource_link"
CUSTOM = CLAIM + "custom"
DEPLOYMENT = CLAIM + "deployment_id"
AGS = "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"
NRPS = "https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice"


class LaunchRefused(Exception):
    """A valid launch this app cannot serve; the message is shown to the person."""


@dataclass(frozen=True)
class Person:
    sub: str
    name: str | None
    given_name: str | None
    roles: tuple[str, ...]

    @property
    def teaches(self) -> bool:
        return domain.is_instructor(self.roles)


def person_of(claims: dict[str, Any]) -> Person:
    sub = claims.get("sub")
    if not isinstance(sub, str) or not sub or len(sub) > 255:
        raise LaunchRefused(
            "The LMS sent no usable user id (sub); anonymous launches are not supported."
        )
    roles = claims.get(domain.ROLES_CLAIM) or []
    return Person(
        sub=sub,
        name=_text(claims.get("name")),
        given_name=_text(claims.get("given_name")),
        roles=tuple(role for role in roles if isinstance(role, str))
        if isinstance(roles, list)
        else (),
    )


def _text(value: Any, limit: int = 200) -> str | None:
    return value[:limit] if isinstance(value, str) and value.strip() else None


def _free_username(base: str) -> str:
    candidate, number = base, 1
    while db.session.scalar(select(User.id).where(User.username == candidate)) is not None:
        number += 1
        candidate = f"{base[:34]}-{number}"
    return candidate


def user_for(platform: LtiPlatform, person: Person) -> User:
    """The account linked to this LMS person, made on their first launch (no sign-up here).
    An instructor's account becomes a teacher's; nobody is ever demoted by a launch."""
    link = db.session.scalar(
        select(LtiUserLink).where(
            LtiUserLink.platform_id == platform.id, LtiUserLink.sub == person.sub
        )
    )
    if link is not None:
        user = db.session.get(User, link.user_id)
    else:
        user = User(
            username=_free_username(
                domain.username_base(person.name, person.given_name, person.sub)
            ),
            display_name=" ".join((person.name or "").split())[:80],
            role=Role.STUDENT,
        )
        # No password (an empty hash matches none): this account signs in through the LMS
        # until its owner sets one (/lti/password), to sign in here or delete the account.
        user.password_hash = ""
        db.session.add(user)
        db.session.flush()
        db.session.add(LtiUserLink(platform_id=platform.id, sub=person.sub, user_id=user.id))
    if person.teaches and user.role is Role.STUDENT:
        user.role = Role.TEACHER
    db.session.flush()
    return user


def course_for(
    platform: LtiPlatform, claims: dict[str, Any], user: User, person: Person
) -> LtiCourse | None:
    """The class standing for the launch's LMS course: made by the first instructor's launch
    and owned by them. A learner is enrolled in it."""
    context = claims.get(CONTEXT)
    if not isinstance(context, dict) or not isinstance(context.get("id"), str):
        return None
    course = db.session.scalar(
        select(LtiCourse).where(
            LtiCourse.platform_id == platform.id, LtiCourse.context_id == context["id"][:255]
        )
    )
    if course is None:
        if not person.teaches:
            raise LaunchRefused(
                "Your teacher has not opened Quizdeck in this course yet. Ask them to, then "
                "open this link again."
            )
        title = _text(context.get("title"), 120) or _text(context.get("label"), 120) or "LMS course"
        school_class = create_class(user, title)
        course = LtiCourse(
            platform_id=platform.id, context_id=context["id"][:255], class_id=school_class.id
        )
        db.session.add(course)
    nrps = claims.get(NRPS)
    if isinstance(nrps, dict) and isinstance(nrps.get("context_memberships_url"), str):
        course.memberships_url = nrps["context_memberships_url"][:500]
    deployment = claims.get(DEPLOYMENT)
    if isinstance(deployment, str):
        course.deployment_id = deployment[:255]
    if not person.teaches:
        enroll(course.class_id, user.id)
    db.session.flush()
    return course


def enroll(class_id: int, user_id: int) -> bool:
    known = db.session.scalar(
        select(Enrollment.id).where(
            Enrollment.class_id == class_id, Enrollment.student_id == user_id
        )
    )
    if known is None:
        db.session.add(Enrollment(class_id=class_id, student_id=user_id))
        return True
    return False


def assignment_for(course: LtiCourse, claims: dict[str, Any]) -> Assignment | None:
    """The assignment a resource link opens (placed by Deep Linking, named in its custom
    parameters), with the link's id and AGS line item remembered for the scores."""
    custom = claims.get(CUSTOM)
    raw = custom.get("quizdeck_assignment") if isinstance(custom, dict) else None
    if not isinstance(raw, str) or not raw.isascii() or not raw.isdigit() or len(raw) > 12:
        return None
    assignment = db.session.get(Assignment, int(raw))
    if assignment is None or assignment.class_id != course.class_id:
        return None  # a link copied into another course does not open this one
    link = db.session.scalar(
        select(LtiAssignmentLink).where(LtiAssignmentLink.assignment_id == assignment.id)
    )
    if link is None:
        link = LtiAssignmentLink(assignment_id=assignment.id, course_id=course.id)
        db.session.add(link)
    resource = claims.get(RESOURCE_LINK)
    if isinstance(resource, dict) and isinstance(resource.get("id"), str):
        link.resource_link_id = resource["id"][:255]
    ags = claims.get(AGS)
    if isinstance(ags, dict) and isinstance(ags.get("lineitem"), str):
        link.lineitem_url = ags["lineitem"][:500]
    db.session.flush()
    return assignment


def platform_of_class(class_id: int) -> LtiPlatform | None:
    return db.session.scalar(
        select(LtiPlatform)
        .join(LtiCourse, LtiCourse.platform_id == LtiPlatform.id)
        .where(LtiCourse.class_id == class_id)
    )


def course_of_class(school_class: SchoolClass) -> LtiCourse | None:
    return db.session.scalar(select(LtiCourse).where(LtiCourse.class_id == school_class.id))
