"""Names and Role Provisioning: the class roster read from the LMS course."""

from __future__ import annotations

from dataclasses import dataclass

from pylti1p3.exception import LtiException
from pylti1p3.names_roles import NamesRolesProvisioningService
from pylti1p3.service_connector import ServiceConnector
from requests import RequestException
from sqlalchemy import delete, select

from models import Enrollment, LtiCourse, LtiPlatform, LtiUserLink, User, db
from quizzes.lti.launch import Person, enroll, user_for
from quizzes.lti.platforms import registration_of
from quizzes.lti.scores import bounded_session

MAX_MEMBERS = 5000  # a course bigger than this is read only this far (bounded work)


class RosterUnavailable(Exception):
    pass


@dataclass(frozen=True)
class RosterChange:
    added: int
    removed: int
    members: int


def _members(platform: LtiPlatform, course: LtiCourse) -> list[dict]:
    if not course.memberships_url:
        raise RosterUnavailable(
            "The LMS has not offered this course's roster: launch Quizdeck from the course "
            "once (with Names and Role Provisioning enabled for the tool), then sync again."
        )
    connector = ServiceConnector(registration_of(platform), requests_session=bounded_session())
    service = NamesRolesProvisioningService(
        connector, {"context_memberships_url": course.memberships_url, "service_versions": ["2.0"]}
    )
    members: list[dict] = []
    url: str | None = course.memberships_url
    try:
        while url and len(members) < MAX_MEMBERS:
            page, url = service.get_members_page(url)
            members.extend(member for member in page if isinstance(member, dict))
    except (LtiException, RequestException, ValueError) as error:
        raise RosterUnavailable(f"The LMS did not give the roster: {error}") from error
    return members[:MAX_MEMBERS]


def sync(course: LtiCourse) -> RosterChange:
    """Enroll the course's active learners (making their accounts as a launch would) and
    unenroll LMS-linked students no longer active there. Students who joined with the
    class code, outside the LMS, are left alone. Flushes; the caller commits."""
    platform = db.session.get(LtiPlatform, course.platform_id)
    members = _members(platform, course)
    active: set[int] = set()
    added = 0
    for member in members:
        sub = member.get("user_id")
        roles = member.get("roles")
        if not isinstance(sub, str) or not sub or len(sub) > 255 or not isinstance(roles, list):
            continue
        person = Person(
            sub=sub,
            name=member.get("name") if isinstance(member.get("name"), str) else None,
            given_name=member.get("given_name")
            if isinstance(member.get("given_name"), str)
            else None,
            roles=tuple(role for role in roles if isinstance(role, str)),
        )
        if person.teaches or member.get("status", "Active") != "Active":
            continue
        user = user_for(platform, person)
        if user.is_teacher:
            continue
        active.add(user.id)
        added += enroll(course.class_id, user.id)
    db.session.flush()
    linked_students = select(LtiUserLink.user_id).where(LtiUserLink.platform_id == platform.id)
    gone = db.session.scalars(
        select(Enrollment.student_id).where(
            Enrollment.class_id == course.class_id,
            Enrollment.student_id.in_(linked_students),
            Enrollment.student_id.not_in(active) if active else True,
        )
    ).all()
    if gone:
        db.session.execute(
            delete(Enrollment).where(
                Enrollment.class_id == course.class_id, Enrollment.student_id.in_(gone)
            )
        )
    db.session.flush()
    return RosterChange(added=added, removed=len(gone), members=len(active))


def student_names(class_id: int) -> list[str]:
    return list(
        db.session.scalars(
            select(User.username)
            .join(Enrollment, Enrollment.student_id == User.id)
            .where(Enrollment.class_id == class_id)
            .order_by(User.username)
        )
    )
