"""Live sessions between the ORM and the domain: create, join, control, answer, finish.

Everything here flushes and never commits (the route commits once, then publishes). The
clock is a `now` argument, randomness an `rng`. A control that two requests could race
on (a double click on "Next") is one conditional UPDATE on the session's version, so only
one of them moves the round.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from random import Random
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError

from models import (
    Attempt,
    AttemptItem,
    AttemptStatus,
    Enrollment,
    Item,
    LiveAnswer,
    LivePlayer,
    LiveQuestion,
    LiveSession,
    MemoryState,
    QuestionSet,
    SchoolClass,
    User,
    db,
)
from models.attempts import FeedbackMode
from quizzes.classes import assignments
from quizzes.domain.itemtypes import REGISTRY
from quizzes.domain.live import choice, nicknames
from quizzes.domain.live.rounds import Action, IllegalMove, Phase, Round, apply
from quizzes.quiz import answers as quiz_answers
from quizzes.quiz import services as quiz

PIN_DIGITS = 6


class LiveError(Exception):
    """A request that cannot be done; the message is for the person who made it."""


# -- creating ------------------------------------------------------------------------------


def live_items(set_id: int) -> list[Item]:
    """The set's active items of the types a live round can ask, in the set's order."""
    return list(
        db.session.scalars(
            select(Item)
            .where(
                Item.set_id == set_id,
                Item.retired_at.is_(None),
                Item.type.in_(choice.LIVE_TYPES),
            )
            .order_by(Item.position, Item.id)
        )
    )


def _due_by_student(class_id: int | None) -> dict[int, dict[str, datetime]]:
    if class_id is None:
        return {}
    rows = db.session.execute(
        select(MemoryState.user_id, MemoryState.memory_key, MemoryState.due)
        .join(Enrollment, Enrollment.student_id == MemoryState.user_id)
        .where(Enrollment.class_id == class_id)
    )
    due: dict[int, dict[str, datetime]] = {
        e.student_id: {}
        for e in db.session.scalars(select(Enrollment).where(Enrollment.class_id == class_id))
    }
    for user_id, key, when in rows:
        due.setdefault(user_id, {})[key] = when
    return due


def choose_items(
    items: Sequence[Item],
    chosen_ids: Sequence[int],
    count: int,
    class_id: int | None,
    now: datetime,
    rng: Random,
) -> list[Item]:
    """The items ticked, in the set's order; else `count` drawn weakest topics first."""
    if chosen_ids:
        wanted = set(chosen_ids)
        return [item for item in items if item.id in wanted][: choice.MAX_QUESTIONS]
    candidates = [
        choice.Candidate(
            key=item.key,
            type=item.type,
            topics=tuple(item.topics or ()),
            memory_keys=tuple(f"fact:{f}" for f in item.fact_ids or ()) + (f"item:{item.key}",),
        )
        for item in items
    ]
    by_key = {item.key: item for item in items}
    keys = choice.draw(candidates, count, _due_by_student(class_id), now, rng)
    return [by_key[key] for key in keys]


def new_pin(rng: Random) -> str:
    """Six digits not used by a running session."""
    for _ in range(50):
        pin = f"{rng.randrange(10**PIN_DIGITS):0{PIN_DIGITS}d}"
        if db.session.scalar(select(LiveSession.id).where(LiveSession.pin == pin)) is None:
            return pin
    raise LiveError("No free PIN: too many sessions are running. Try again in a minute.")


def create_session(
    teacher: User,
    question_set: QuestionSet,
    items: Sequence[Item],
    *,
    seconds: int,
    show_leaderboard: bool,
    school_class: SchoolClass | None,
    keep_in_gradebook: bool,
    now: datetime,
    rng: Random,
) -> LiveSession:
    if not items:
        raise LiveError("Choose at least one question.")
    seed = rng.randrange(2**31)
    session = LiveSession(
        teacher_id=teacher.id,
        pin=None,
        set_id=question_set.id,
        class_id=school_class.id if school_class else None,
        title=question_set.title,
        seconds_per_question=seconds,
        show_leaderboard=show_leaderboard,
        keep_in_gradebook=keep_in_gradebook and school_class is not None,
        phase=Phase.LOBBY.value,
        position=-1,
        version=1,
        seed=seed,
        created_at=now,
    )
    for position, item in enumerate(items):
        session.questions.append(
            LiveQuestion(
                position=position,
                item_id=item.id,
                snapshot=quiz.snapshot_of(item, seed, position + 1),
            )
        )
    db.session.add(session)
    db.session.flush()
    _give_pin(session, rng)
    return session


def _give_pin(session: LiveSession, rng: Random) -> None:
    """A free PIN. Two sessions opened at the same moment may draw the same one: the
    unique index refuses the second, which draws again (in a savepoint, so nothing else
    of the request is lost)."""
    for _ in range(5):
        try:
            with db.session.begin_nested():
                session.pin = new_pin(rng)
                db.session.flush()
            return
        except IntegrityError:
            continue
    raise LiveError("No free PIN: too many sessions are running. Try again in a minute.")


# -- the round -----------------------------------------------------------------------------


def round_of(session: LiveSession) -> Round:
    return Round(
        phase=Phase(session.phase),
        position=session.position,
        total=len(session.questions),
        seconds=session.seconds_per_question,
        deadline=session.deadline,
        paused_ms=session.paused_ms,
        skipped=frozenset(q.position for q in session.questions if q.skipped),
    )


def current_question(session: LiveSession) -> LiveQuestion | None:
    if session.phase not in (Phase.QUESTION, Phase.RESULTS) or session.position < 0:
        return None
    return session.questions[session.position]


def control(session: LiveSession, action: Action, now: datetime) -> Round:
    """Move the round; IllegalMove when the action does not apply (or lost a race)."""
    before = round_of(session)
    after = apply(before, action, now)
    moved = db.session.execute(
        update(LiveSession)
        .where(LiveSession.id == session.id, LiveSession.version == session.version)
        .values(
            phase=after.phase.value,
            position=after.position,
            deadline=after.deadline,
            paused_ms=after.paused_ms,
            version=session.version + 1,
            ended_at=now if after.phase is Phase.ENDED else None,
            pin=None if after.phase is Phase.ENDED else session.pin,
        )
        .execution_options(synchronize_session=False)
    )
    if moved.rowcount != 1:
        raise IllegalMove("Someone else moved the session on just now.")
    db.session.expire(session)
    for position in after.skipped - before.skipped:
        session.questions[position].skipped = True
    if after.phase is Phase.QUESTION and after.position != before.position:
        session.questions[after.position].opened_at = now
    if after.phase is Phase.ENDED:
        finish(session, now)
    db.session.flush()
    return after


# -- players -------------------------------------------------------------------------------


def running_session(pin: str) -> LiveSession | None:
    digits = "".join(ch for ch in pin if ch.isdigit() and ch.isascii())
    if len(digits) != PIN_DIGITS:
        return None
    return db.session.scalar(select(LiveSession).where(LiveSession.pin == digits))


def join(session: LiveSession, user: User | None, nickname: str, now: datetime) -> LivePlayer:
    """The player for a signed-in user (the same one on every device) or a new guest."""
    if session.phase == Phase.ENDED:
        raise LiveError("This session has ended.")
    if user is not None:
        player = db.session.scalar(
            select(LivePlayer).where(
                LivePlayer.session_id == session.id, LivePlayer.user_id == user.id
            )
        )
        if player is not None:
            if player.removed:
                raise LiveError("The teacher removed you from this session.")
            return player
        nickname = user.username
    taken = db.session.scalars(
        select(LivePlayer.nickname).where(LivePlayer.session_id == session.id)
    ).all()
    try:
        name = nicknames.check(nickname, taken) if user is None else nickname
    except nicknames.NicknameRefused as refused:
        raise LiveError(str(refused)) from None
    player = LivePlayer(
        session_id=session.id, user_id=user.id if user else None, nickname=name, joined_at=now
    )
    db.session.add(player)
    db.session.flush()
    return player


def rename(player: LivePlayer, nickname: str) -> None:
    taken = db.session.scalars(
        select(LivePlayer.nickname).where(
            LivePlayer.session_id == player.session_id, LivePlayer.id != player.id
        )
    ).all()
    try:
        player.nickname = nicknames.check(nickname, taken)
    except nicknames.NicknameRefused as refused:
        raise LiveError(str(refused)) from None
    db.session.flush()


def active_players(session: LiveSession) -> list[LivePlayer]:
    return [player for player in session.players if not player.removed]


# -- answers -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Given:
    response: Any
    described: str  # the answer as the phone shows it back


def answer(
    session: LiveSession,
    player: LivePlayer,
    number: int,
    form: Mapping[str, list[str]],
    now: datetime,
) -> Given:
    """Store (or change) the player's answer to question `number` (1-based) while it is
    open. Graded now, shown after the question closes."""
    if player.removed:
        raise LiveError("The teacher removed you from this session.")
    question = current_question(session)
    if question is None or question.position + 1 != number:
        raise LiveError("That question is closed; the next one is on its way.")
    if not round_of(session).accepts_answers(now):
        raise LiveError("Time is up for this question.")
    snapshot = question.snapshot
    module = REGISTRY[snapshot["type"]]
    response = module.parse_response(snapshot["view"], form)
    if response is None:
        raise LiveError("Choose or type an answer first.")
    if quiz_answers.unreadable(snapshot, response):
        raise LiveError("Type a number, for example 1822 or 3.5.")
    grade = quiz_answers.grade_of(snapshot, response)
    opened = question.opened_at or now
    values = {
        "question_id": question.id,
        "player_id": player.id,
        "response": response,
        "score": grade.score,
        "correct": grade.correct,
        "typo_forgiven": grade.typo_forgiven,
        "answered_at": now,
        "elapsed_ms": max(0, int((now - opened).total_seconds() * 1000)),
    }
    insert = {"sqlite": sqlite_insert, "postgresql": postgresql_insert}[
        db.session.connection().dialect.name
    ](LiveAnswer)
    changed = {k: v for k, v in values.items() if k not in ("question_id", "player_id")}
    db.session.execute(
        insert.values(**values).on_conflict_do_update(
            index_elements=["question_id", "player_id"], set_=changed
        )
    )
    return Given(response, module.describe_response(snapshot["view"], response))


def answered_count(question: LiveQuestion) -> int:
    return (
        db.session.scalar(
            select(func.count(LiveAnswer.id))
            .join(LivePlayer, LivePlayer.id == LiveAnswer.player_id)
            .where(LiveAnswer.question_id == question.id, LivePlayer.removed.is_(False))
        )
        or 0
    )


def answer_of(question: LiveQuestion, player: LivePlayer) -> LiveAnswer | None:
    return db.session.scalar(
        select(LiveAnswer).where(
            LiveAnswer.question_id == question.id, LiveAnswer.player_id == player.id
        )
    )


def answers_to(question: LiveQuestion) -> list[LiveAnswer]:
    return list(
        db.session.scalars(
            select(LiveAnswer)
            .join(LivePlayer, LivePlayer.id == LiveAnswer.player_id)
            .where(LiveAnswer.question_id == question.id, LivePlayer.removed.is_(False))
        )
    )


# -- after the round -----------------------------------------------------------------------


def finish(session: LiveSession, now: datetime) -> None:
    """Each signed-in player's answers become a submitted quiz attempt: in their history,
    graded by the quiz's graders into their memory model (quizzes/memory.py, through the
    quiz's submit), and in the class gradebook when the teacher keeps the round there.

    What the loop needs is read into plain values first: the quiz's submit expires every
    object of the session, and reloading them per student would double the work."""
    asked = [
        (q.id, q.item_id, q.snapshot)
        for q in session.questions
        if not q.skipped and q.opened_at is not None
    ]
    if not asked:
        return
    assignment = _gradebook_entry(session, now) if session.keep_in_gradebook else None
    assignment_id = assignment.id if assignment is not None else None
    members = set()
    if assignment is not None:
        members = set(
            db.session.scalars(
                select(Enrollment.student_id).where(Enrollment.class_id == session.class_id)
            )
        )
    answers = {
        (question_id, player_id): (response, answered_at)
        for question_id, player_id, response, answered_at in db.session.execute(
            select(
                LiveAnswer.question_id,
                LiveAnswer.player_id,
                LiveAnswer.response,
                LiveAnswer.answered_at,
            ).where(LiveAnswer.question_id.in_([question_id for question_id, _, _ in asked]))
        )
    }
    students = [(p.id, p.user_id) for p in session.players if p.user_id and not p.removed]
    shown = {
        "set_id": session.set_id,
        "title": f"Live: {session.title}",
        "started_at": session.created_at,
        "seed": session.seed,
    }
    for player_id, user_id in students:
        mine = [answers.get((question_id, player_id)) for question_id, _, _ in asked]
        if not any(mine):
            continue
        attempt = Attempt(
            user_id=user_id,
            item_types=[],
            size=len(asked),
            feedback_mode=FeedbackMode.END,
            status=AttemptStatus.IN_PROGRESS,
            updated_at=now,
            current_position=1,
            assignment_id=assignment_id if user_id in members else None,
            **shown,
        )
        for position, ((_, item_id, snapshot), given) in enumerate(
            zip(asked, mine, strict=True), start=1
        ):
            attempt.items.append(
                AttemptItem(
                    position=position,
                    item_id=item_id,
                    item_key=snapshot["item_key"],
                    snapshot=snapshot,
                    response=given[0] if given else None,
                    answered_at=given[1] if given else None,
                )
            )
        db.session.add(attempt)
        db.session.flush()
        quiz_answers.submit(attempt, now)


def _gradebook_entry(session: LiveSession, now: datetime):
    school_class = db.session.get(SchoolClass, session.class_id) if session.class_id else None
    question_set = db.session.get(QuestionSet, session.set_id) if session.set_id else None
    if school_class is None or question_set is None:
        return None
    entry = assignments.create_assignment(
        school_class,
        question_set,
        opens_at=session.created_at,
        due_at=now,
        attempt_limit=1,
        time_limit_minutes=None,
        feedback_mode=FeedbackMode.END,
    )
    session.assignment_id = entry.id
    return entry
