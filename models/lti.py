"""LTI 1.3: the platforms (LMSs) registered with this tool, the tool's signing keys, and the
links between LMS people, courses and line items and this app's users, classes and
assignments. quizzes/lti works with them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models import UTCDateTime, db, utcnow


class LtiKey(db.Model):
    """One of the tool's RS256 key pairs. The newest unretired key signs; a retired key stays
    in /lti/jwks for a grace period so tokens signed just before a rotation still verify.
    The private key never leaves the server (no page, export or command prints it)."""

    __tablename__ = "lti_keys"

    id: Mapped[int] = mapped_column(primary_key=True)
    kid: Mapped[str] = mapped_column(String(64), unique=True)
    private_pem: Mapped[str] = mapped_column(Text)
    public_jwk: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class LtiPlatform(db.Model):
    """An LMS registration: what its admin gave us (issuer, client id and endpoints)."""

    __tablename__ = "lti_platforms"
    __table_args__ = (
        UniqueConstraint("issuer", "client_id", name="uq_lti_platforms_issuer_client"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    issuer: Mapped[str] = mapped_column(String(255))
    client_id: Mapped[str] = mapped_column(String(255))
    auth_login_url: Mapped[str] = mapped_column(String(500))
    auth_token_url: Mapped[str] = mapped_column(String(500))
    key_set_url: Mapped[str] = mapped_column(String(500))
    # Web addresses the LMS shows its course pages at, when not the issuer's (Canvas:
    # https://school.instructure.com): with the issuer, the only origins that may frame us.
    frame_origins: Mapped[str] = mapped_column(String(1000), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    deployments: Mapped[list[LtiDeployment]] = relationship(
        back_populates="platform", cascade="all, delete-orphan", order_by="LtiDeployment.id"
    )


class LtiDeployment(db.Model):
    __tablename__ = "lti_deployments"
    __table_args__ = (
        UniqueConstraint("platform_id", "deployment_id", name="uq_lti_deployments_platform_dep"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    platform_id: Mapped[int] = mapped_column(
        ForeignKey("lti_platforms.id", ondelete="CASCADE"), index=True
    )
    deployment_id: Mapped[str] = mapped_column(String(255))

    platform: Mapped[LtiPlatform] = relationship(back_populates="deployments")


class LtiUserLink(db.Model):
    """The LMS person (issuer + sub) behind a local account: later launches sign them in."""

    __tablename__ = "lti_user_links"
    __table_args__ = (
        UniqueConstraint("platform_id", "sub", name="uq_lti_user_links_platform_sub"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    platform_id: Mapped[int] = mapped_column(
        ForeignKey("lti_platforms.id", ondelete="CASCADE"), index=True
    )
    sub: Mapped[str] = mapped_column(String(255))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    platform: Mapped[LtiPlatform] = relationship()


class LtiCourse(db.Model):
    """An LMS course (context) and the class that stands for it here."""

    __tablename__ = "lti_courses"
    __table_args__ = (
        UniqueConstraint("platform_id", "context_id", name="uq_lti_courses_platform_context"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    platform_id: Mapped[int] = mapped_column(
        ForeignKey("lti_platforms.id", ondelete="CASCADE"), index=True
    )
    context_id: Mapped[str] = mapped_column(String(255))
    class_id: Mapped[int] = mapped_column(
        ForeignKey("school_classes.id", ondelete="CASCADE"), unique=True
    )
    # Names and Role Provisioning: where the roster is read (from the last launch).
    memberships_url: Mapped[str | None] = mapped_column(String(500))
    deployment_id: Mapped[str] = mapped_column(String(255), default="")

    platform: Mapped[LtiPlatform] = relationship()
    school_class = relationship("SchoolClass")


class LtiAssignmentLink(db.Model):
    """An assignment placed in an LMS course by Deep Linking, and its gradebook column."""

    __tablename__ = "lti_assignment_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(
        ForeignKey("assignments.id", ondelete="CASCADE"), unique=True
    )
    course_id: Mapped[int] = mapped_column(
        ForeignKey("lti_courses.id", ondelete="CASCADE"), index=True
    )
    resource_link_id: Mapped[str | None] = mapped_column(String(255))
    # Assignment and Grade Services: the line item scores are posted to (from a launch).
    lineitem_url: Mapped[str | None] = mapped_column(String(500))

    course: Mapped[LtiCourse] = relationship()


class LtiLaunchValue(db.Model):
    """pylti1p3's launch data (nonces, state checks, launch claims) kept server-side, so no
    launch depends on the session cookie's size or on third-party cookies."""

    __tablename__ = "lti_launch_values"

    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    value: Mapped[Any] = mapped_column(JSON)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


class LtiScoreOutbox(db.Model):
    """A score waiting to reach (or sent to) an LMS gradebook. One row per attempt and score
    version, so a score is never queued twice; `flask lti push` sends due rows and retries
    failures with backoff."""

    __tablename__ = "lti_score_outbox"
    __table_args__ = (
        UniqueConstraint("attempt_id", "version", name="uq_lti_score_outbox_attempt_version"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempts.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    link_id: Mapped[int] = mapped_column(
        ForeignKey("lti_assignment_links.id", ondelete="CASCADE"), index=True
    )
    version: Mapped[int] = mapped_column(Integer)
    score: Mapped[float] = mapped_column()  # 0..1
    scored_at: Mapped[datetime] = mapped_column(UTCDateTime)
    tries: Mapped[int] = mapped_column(Integer, default=0)
    next_try_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(String(500))

    link: Mapped[LtiAssignmentLink] = relationship()
