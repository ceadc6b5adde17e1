"""Everything stored about one account, as data to download; changing its time zone; and
deleting the account.

What deletion removes is decided by the foreign keys (models/): every row that belongs to
the user goes with them (ON DELETE CASCADE), and other people's rows that only pointed at
it lose the link (ON DELETE SET NULL). README ("Your data") states the policy; the tests
in tests/web/test_account_delete.py compare the whole database before and after.
Flushes, never commits.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, func, inspect, select

from models import (
    Assignment,
    Attempt,
    Card,
    Deck,
    Enrollment,
    Extension,
    Item,
    ItemProgress,
    LiveAnswer,
    LivePlayer,
    LiveSession,
    LtiScoreOutbox,
    LtiUserLink,
    MarkChange,
    MemoryState,
    QuestionSet,
    ReviewLog,
    Role,
    SchoolClass,
    StudyPreferences,
    TopicProgress,
    User,
    db,
)
from models.attempts import AttemptStatus
from quizzes import memory
from quizzes.classes.assignments import remove_assignment
from quizzes.media import store as media_store
from quizzes.quiz.presentation import (
    may_reveal,
    review_moment,
    score_shown,
    shown_snapshot,
    teacher_comments,
)

EXPORT_FORMAT = "quizdeck-account-export"
EXPORT_VERSION = 1


class DeletionRefused(Exception):
    """The account cannot be deleted now; the message says why and what to do."""


# -- rows as plain data -------------------------------------------------------------------


def _plain(value: Any) -> Any:
    if isinstance(value, date | datetime):  # a datetime with its offset, a date as YYYY-MM-DD
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    return value


def _row(obj: Any, leave_out: tuple[str, ...] = ()) -> dict[str, Any]:
    """A model row's columns as JSON-ready values."""
    return {
        attr.key: _plain(getattr(obj, attr.key))
        for attr in inspect(obj).mapper.column_attrs
        if attr.key not in leave_out
    }


# -- what is stored ----------------------------------------------------------------------


@dataclass(frozen=True)
class AccountSummary:
    """Counts for the account page: what an export holds and what deletion removes."""

    attempts: int
    decks: int
    cards: int
    memories: int
    reviews: int
    classes_joined: int
    sets: int
    items: int
    classes_taught: int
    students_taught: int
    assignments_given: int


def _count(stmt) -> int:
    return db.session.scalar(stmt) or 0


def summary(user: User) -> AccountSummary:
    uid = user.id
    taught = select(SchoolClass.id).where(SchoolClass.teacher_id == uid)
    owned_sets = select(QuestionSet.id).where(QuestionSet.owner_id == uid)
    return AccountSummary(
        attempts=_count(select(func.count(Attempt.id)).where(Attempt.user_id == uid)),
        decks=_count(select(func.count(Deck.id)).where(Deck.owner_id == uid)),
        cards=_count(
            select(func.count(Card.id))
            .join(Deck, Deck.id == Card.deck_id)
            .where(Deck.owner_id == uid)
        ),
        memories=_count(select(func.count(MemoryState.id)).where(MemoryState.user_id == uid)),
        reviews=_count(select(func.count(ReviewLog.id)).where(ReviewLog.user_id == uid)),
        classes_joined=_count(
            select(func.count(Enrollment.id)).where(Enrollment.student_id == uid)
        ),
        sets=_count(select(func.count(QuestionSet.id)).where(QuestionSet.owner_id == uid)),
        items=_count(select(func.count(Item.id)).where(Item.set_id.in_(owned_sets))),
        classes_taught=_count(
            select(func.count(SchoolClass.id)).where(SchoolClass.teacher_id == uid)
        ),
        students_taught=_count(
            select(func.count(func.distinct(Enrollment.student_id))).where(
                Enrollment.class_id.in_(taught)
            )
        ),
        assignments_given=_count(
            select(func.count(Assignment.id)).where(Assignment.class_id.in_(taught))
        ),
    )


# -- the export ----------------------------------------------------------------------------


# An item's columns that tell its score, or what the grader noted of the right answer.
_ITEM_SCORE = ("score", "correct")
_ITEM_NOTES = ("typo_forgiven", "notes")


def _attempt(attempt: Attempt, now: datetime) -> dict[str, Any]:
    moment = review_moment(attempt, now)
    data = _row(attempt, leave_out=("user_id", "start_token"))
    if not score_shown(attempt, moment):
        data["score"] = None
    items = []
    comments = teacher_comments(attempt, moment)  # by the same rule as the feedback
    for item in attempt.items:
        # Only what the quiz pages would show now: the review options of the assignment
        # decide the score, key, explanation, sources and the teacher's comment (nothing
        # before it is graded).
        shows = may_reveal(item, moment)
        leave_out = ("attempt_id", "snapshot")
        leave_out += () if shows.score else _ITEM_SCORE
        leave_out += () if shows.answers else _ITEM_NOTES
        snapshot = shown_snapshot(item, moment)
        row = _row(item, leave_out=leave_out) | {"snapshot": snapshot}
        if item.position in comments:
            row["teacher_comment"] = comments[item.position]
        items.append(row)
    data["items"] = items
    return data


def _lms_score(row: LtiScoreOutbox, now: datetime) -> dict[str, Any]:
    """A score queued for an LMS gradebook; one the review options still hold back waits
    in the outbox unsent, and is left out here as on the pages."""
    data = _row(row, leave_out=("user_id", "link_id"))
    attempt = db.session.get(Attempt, row.attempt_id)
    if attempt is not None and not score_shown(attempt, review_moment(attempt, now)):
        data["score"] = None
    return data


def _scores(attempts: list[Attempt]) -> tuple[float | None, float | None]:
    """Best and last score over the submitted attempts."""
    submitted = [a for a in attempts if a.status is AttemptStatus.SUBMITTED and a.score is not None]
    if not submitted:
        return None, None
    submitted.sort(key=lambda a: (a.submitted_at or a.started_at, a.id))
    return max(a.score for a in submitted), submitted[-1].score


def _extension(extension: Extension | None) -> dict[str, Any] | None:
    if extension is None:
        return None
    return _row(extension, leave_out=("assignment_id", "student_id"))


def _assignment(assignment: Assignment) -> dict[str, Any]:
    return _row(assignment) | {"set_title": assignment.question_set.title}


def _classes_joined(user: User, attempts: list[Attempt], now: datetime) -> list[dict[str, Any]]:
    by_assignment: dict[int, list[Attempt]] = {}
    for attempt in attempts:
        if attempt.assignment_id is not None:
            by_assignment.setdefault(attempt.assignment_id, []).append(attempt)
    joined = []
    enrollments = db.session.scalars(
        select(Enrollment).where(Enrollment.student_id == user.id).order_by(Enrollment.id)
    )
    for enrollment in enrollments:
        school_class = enrollment.school_class
        given = []
        for assignment in sorted(school_class.assignments, key=lambda a: a.id):
            mine = by_assignment.get(assignment.id, [])
            # Scores the review options still hold back are left out, as on the pages.
            best, last = _scores([a for a in mine if score_shown(a, review_moment(a, now))])
            given.append(
                _assignment(assignment)
                | {
                    "your_attempt_ids": [a.id for a in mine],
                    "your_best_score": best,
                    "your_last_score": last,
                    "your_extension": _extension(assignment.extension_for(user.id)),
                }
            )
        # The class as the student sees it: no join code, no classmates.
        joined.append(
            {
                "class_id": school_class.id,
                "name": school_class.name,
                "joined_at": _plain(enrollment.joined_at),
                "assignments": given,
            }
        )
    return joined


def _classes_taught(user: User) -> list[dict[str, Any]]:
    taught = []
    for school_class in db.session.scalars(
        select(SchoolClass).where(SchoolClass.teacher_id == user.id).order_by(SchoolClass.id)
    ):
        # Students' names and grades are theirs: the gradebook CSV exports them per class.
        taught.append(
            _row(school_class, leave_out=("teacher_id",))
            | {
                "students": len(school_class.enrollments),
                "assignments": [
                    _assignment(a) for a in sorted(school_class.assignments, key=lambda a: a.id)
                ],
            }
        )
    return taught


def export_data(user: User, now: datetime) -> dict[str, Any]:
    """Everything stored about the user, and nothing about anyone else."""
    uid = user.id
    attempts = list(
        db.session.scalars(select(Attempt).where(Attempt.user_id == uid).order_by(Attempt.id))
    )
    preferences = db.session.get(StudyPreferences, uid)
    decks = db.session.scalars(select(Deck).where(Deck.owner_id == uid).order_by(Deck.id))
    sets = db.session.scalars(
        select(QuestionSet).where(QuestionSet.owner_id == uid).order_by(QuestionSet.id)
    )
    return {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "exported_at": _plain(now),
        "profile": _row(user, leave_out=("password_hash", "session_token")),  # credentials
        "study_preferences": _row(preferences, leave_out=("user_id",)) if preferences else None,
        "attempts": [_attempt(attempt, now) for attempt in attempts],
        "memory_states": [
            _row(state, leave_out=("user_id",))
            for state in db.session.scalars(
                select(MemoryState).where(MemoryState.user_id == uid).order_by(MemoryState.id)
            )
        ],
        "review_logs": [
            _row(log, leave_out=("user_id",))
            for log in db.session.scalars(
                select(ReviewLog).where(ReviewLog.user_id == uid).order_by(ReviewLog.id)
            )
        ],
        # The progress page's running totals (derived from the attempts above).
        "progress": {
            "items": [
                _row(row, leave_out=("user_id",))
                for row in db.session.scalars(
                    select(ItemProgress)
                    .where(ItemProgress.user_id == uid)
                    .order_by(ItemProgress.item_key)
                )
            ],
            "topics": [
                _row(row, leave_out=("user_id",))
                for row in db.session.scalars(
                    select(TopicProgress)
                    .where(TopicProgress.user_id == uid)
                    .order_by(TopicProgress.topic)
                )
            ],
        },
        "decks": [_deck(deck) for deck in decks],
        "classes_joined": _classes_joined(user, attempts, now),
        "classes_taught": _classes_taught(user),
        # LMS accounts this one is signed in from (LTI), and scores sent to LMS gradebooks.
        "lms_links": [
            {"issuer": link.platform.issuer, "sub": link.sub, "linked_at": _plain(link.created_at)}
            for link in db.session.scalars(
                select(LtiUserLink).where(LtiUserLink.user_id == uid).order_by(LtiUserLink.id)
            )
        ],
        "lms_scores": [
            _lms_score(row, now)
            for row in db.session.scalars(
                select(LtiScoreOutbox)
                .where(LtiScoreOutbox.user_id == uid)
                .order_by(LtiScoreOutbox.id)
            )
        ],
        # Marks this teacher changed by hand or by a regrade: how many. The marks and
        # comments are the students' (their own exports carry them).
        "marks_given": _count(
            select(func.count(MarkChange.id)).where(MarkChange.changed_by_id == uid)
        ),
        "question_sets": [
            _row(question_set, leave_out=("owner_id",))
            | {"items": [_row(item, leave_out=("set_id",)) for item in question_set.items]}
            for question_set in sets
        ],
        **_live(uid),
        # Files this account stored (images, sounds): each downloads from its url while
        # the account exists. Their bytes are not copied into this file.
        "media": [
            {
                "url": use.media.url,
                "kind": use.media.kind,
                "mime": use.media.mime,
                "bytes": use.media.size,
                "sha256": use.media.sha256,
                "label": use.label,
                "uploaded_name": use.original_name,
                "set_id": use.set_id,
                "deck_id": use.deck_id,
                "stored_at": _plain(use.created_at),
            }
            for use in media_store.owned_media(user)
        ],
    }


def _deck(deck: Deck) -> dict[str, Any]:
    shown = media_store.media_of_cards(card.id for card in deck.cards)
    return _row(deck, leave_out=("owner_id",)) | {
        "cards": [
            _row(card, leave_out=("deck_id",))
            | {
                "media": [
                    {"side": row.side, "label": row.label, "url": row.media.url}
                    for row in shown[card.id]
                ]
            }
            for card in deck.cards
        ]
    }


def _live(uid: int) -> dict[str, Any]:
    """Live sessions: those the user played (their own answers, never another player's)
    and those they hosted (the questions; the players' answers are theirs, not the host's)."""
    played = db.session.scalars(
        select(LivePlayer).where(LivePlayer.user_id == uid).order_by(LivePlayer.id)
    )
    hosted = db.session.scalars(
        select(LiveSession).where(LiveSession.teacher_id == uid).order_by(LiveSession.id)
    )
    return {
        "live_sessions_played": [
            {
                "session": player.session.title,
                "nickname": player.nickname,
                "joined_at": _plain(player.joined_at),
                "answers": [
                    _row(answer, leave_out=("player_id",))
                    for answer in db.session.scalars(
                        select(LiveAnswer)
                        .where(LiveAnswer.player_id == player.id)
                        .order_by(LiveAnswer.id)
                    )
                ],
            }
            for player in played
        ],
        "live_sessions_hosted": [
            _row(session, leave_out=("teacher_id", "pin"))
            | {
                "players": sum(not p.removed for p in session.players),
                "questions": [_row(q, leave_out=("session_id",)) for q in session.questions],
            }
            for session in hosted
        ],
    }


def export_filename(user: User, now: datetime) -> str:
    # Registration allows only these characters; an older or scripted name is made to fit.
    name = re.sub(r"[^A-Za-z0-9_.-]", "-", user.username).strip(".-") or "account"
    return f"quizdeck-{name}-{now.date().isoformat()}.json"


# -- deletion ------------------------------------------------------------------------------


def change_timezone(user: User, zone: str) -> bool:
    """Set the user's time zone; False if it already was `zone` and nothing changed.

    It is stored twice: on the user, for the times shown on every page, and in the study
    settings, where the flashcard scheduler reads it. The account page and the flashcard
    settings both write both, so they never disagree.
    """
    settings = memory.load_settings(user.id)
    if user.timezone == zone and settings.timezone == zone:
        return False
    user.timezone = zone
    memory.save_settings(user.id, replace(settings, timezone=zone))
    return True


def delete_account(user: User, now: datetime) -> None:
    """Delete the user and, through the foreign keys, all that is theirs. A teacher's
    assignments are removed as the class page removes one first: students' attempts still
    open are submitted as they stand, and their history says the assignment was removed."""
    if user.role is Role.ADMIN:
        admins = _count(select(func.count(User.id)).where(User.role == Role.ADMIN))
        if admins <= 1:
            raise DeletionRefused(
                "You are the only administrator. Make another account an administrator "
                "first (flask users create NAME --role admin), then delete this one."
            )
    for assignment in db.session.scalars(
        select(Assignment)
        .join(SchoolClass, SchoolClass.id == Assignment.class_id)
        .where(SchoolClass.teacher_id == user.id)
    ).all():
        remove_assignment(assignment, now)
    db.session.execute(delete(User).where(User.id == user.id))
    db.session.flush()
    # Files no other account's set, deck or card uses any more go with the account.
    media_store.prune_unused()
    db.session.flush()
