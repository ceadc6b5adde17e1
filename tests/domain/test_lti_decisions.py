"""quizzes.domain.lti: roles, published keys, retry backoff, score messages, frame rules."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from quizzes.domain import lti

NOW = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)
MEMBERSHIP = "http://purl.imsglobal.org/vocab/lis/v2/membership#"
INSTITUTION = "http://purl.imsglobal.org/vocab/lis/v2/institution/person#"


@pytest.mark.parametrize(
    ("roles", "teaches", "learns"),
    [
        ([MEMBERSHIP + "Instructor"], True, False),
        (["Instructor"], True, False),  # the short form LTI 1.3 allows
        ([MEMBERSHIP + "Instructor#TeachingAssistant"], True, False),
        ([MEMBERSHIP + "Learner"], False, True),
        ([MEMBERSHIP + "Learner#NonCreditLearner"], False, True),
        # An LMS-wide administrator is not this course's teacher.
        ([INSTITUTION + "Administrator", MEMBERSHIP + "Learner"], False, True),
        ([INSTITUTION + "Instructor"], False, False),
        ([], False, False),
        ([None, 3, {"x": 1}], False, False),  # odd JSON is ignored, never an error
    ],
)
def test_roles_from_a_launch(roles, teaches, learns):
    assert lti.is_instructor(roles) is teaches
    assert lti.is_learner(roles) is learns


@pytest.mark.parametrize(
    ("name", "given", "sub", "expected"),
    [
        ("Tess Teacher", None, "1", "tess-teacher"),
        ("Zoë O'Brien", None, "1", "zoe-o-brien"),
        (None, "Min-jun", "1", "min-jun"),
        ("김민준", None, "ab-12_CD", "lms-ab12cd"),  # nothing ASCII left: from the sub
        ("x" * 80, None, "1", "x" * 30),
    ],
)
def test_username_base(name, given, sub, expected):
    assert lti.username_base(name, given, sub) == expected


def _key(kid: str, made_hours_ago: float, retired_hours_ago: float | None = None):
    return lti.KeyRecord(
        kid=kid,
        public_jwk={"kty": "RSA", "n": kid, "e": "AQAB"},
        created_at=NOW - timedelta(hours=made_hours_ago),
        retired_at=None if retired_hours_ago is None else NOW - timedelta(hours=retired_hours_ago),
    )


def test_a_retired_key_is_published_for_its_grace_period_only():
    keys = [_key("new", 1), _key("old", 30, retired_hours_ago=1), _key("older", 99, 49)]
    published = lti.published_keys(keys, NOW)
    assert [key["kid"] for key in published] == ["new", "old"]
    assert all(key["alg"] == "RS256" and key["use"] == "sig" for key in published)
    assert "d" not in published[0]  # public parts only
    assert lti.signing_key(keys).kid == "new"
    assert lti.signing_key([_key("old", 30, retired_hours_ago=1)]) is None


def test_retry_delay_doubles_up_to_six_hours():
    delays = [lti.retry_delay(tries) for tries in (1, 2, 3, 4, 12, 200)]
    assert delays[:4] == [timedelta(minutes=m) for m in (1, 2, 4, 8)]
    assert delays[4:] == [timedelta(hours=6), timedelta(hours=6)]


def test_score_message_is_out_of_100_and_clamped():
    message = lti.score_message("learner-1", 0.3333333, NOW, NOW - timedelta(minutes=5))
    assert message == {
        "userId": "learner-1",
        "scoreGiven": 33.33,
        "scoreMaximum": 100,
        "activityProgress": "Completed",
        "gradingProgress": "FullyGraded",
        "timestamp": "2026-12-07T10:00:00.000+00:00",
        "submission": {
            "startedAt": "2026-12-07T09:55:00.000+00:00",
            "submittedAt": "2026-12-07T10:00:00.000+00:00",
        },
    }
    assert lti.score_message("x", 7.0, NOW)["scoreGiven"] == 100
    assert lti.score_message("x", -1.0, NOW)["scoreGiven"] == 0


def test_frame_ancestors_name_the_platform_origins_only():
    urls = [
        "https://moodle.school.org",
        "https://moodle.school.org/mod/lti/auth.php",
        "https://canvas.instructure.com",
        "https://school.instructure.com:8443/courses",
        "javascript:alert(1)",
        "https://bad:port/",
        "not a url",
    ]
    assert lti.frame_ancestors(urls) == (
        "https://canvas.instructure.com https://moodle.school.org "
        "https://school.instructure.com:8443"
    )
    assert lti.frame_ancestors([]) == "'none'"
    assert lti.frame_ancestors(["ftp://x"]) == "'none'"
