"""Demo data for screenshots and trying the app: a teacher, a class, a set, attempts, reviews.

Used by scripts/screenshots.py; runs inside an app context against an empty database.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from models import Item, QuestionSet, Role, SetStatus, User, db
from quizzes import memory
from quizzes.bank.builtin import build_builtin
from quizzes.bank.loader import load_bank
from quizzes.classes import assignments
from quizzes.classes import services as classes
from quizzes.domain.srs import Rating
from quizzes.quiz import answers as quiz_answers
from quizzes.quiz import services as quiz

PASSWORD = "demo password 1"


def answer_form(snapshot: dict, right: bool, rng: random.Random) -> dict[str, list[str]]:
    """A form a student might send: the key's answer when `right`, something else otherwise."""
    kind, view, key = snapshot["type"], snapshot["view"], snapshot["key"]
    if kind == "single":
        wrong = [i for i in range(len(view["options"])) if i != key["correct"]]
        return {"answer": [str(key["correct"] if right else rng.choice(wrong))]}
    if kind == "multi":
        chosen = (
            key["correct"]
            if right
            else key["correct"][:1]
            + [i for i in range(len(view["options"])) if i not in key["correct"]][:1]
        )
        return {"answer": [str(i) for i in chosen]}
    if kind == "truefalse":
        return {"answer": ["true" if key["answer"] == right else "false"]}
    if kind == "short":
        return {"answer": [key["answers"][0]["text"] if right else "I am not sure"]}
    if kind == "numeric":
        value = key["answers"][0]["value"]
        return {"answer": [f"{value:g}" if right else f"{value + 1:g}"]}
    if kind == "ordering":
        order = list(key["order"])
        if not right:
            order[0], order[1] = order[1], order[0]
        return {"order": [str(i) for i in order]}
    if kind == "matching":
        matches = list(key["matches"])
        if not right:
            matches[0], matches[1] = matches[1], matches[0]
        return {f"match-{i}": [str(m)] for i, m in enumerate(matches)}
    if kind == "essay":
        return {
            "answer": [
                "It lets friendly states speak first, so the criticism looks like one "
                "side of a political quarrel instead of findings about rights."
            ]
        }
    if kind == "cloze":
        return {
            f"blank-{n}": [answers[0] if right else "?"]
            for n, answers in enumerate(key["blanks"], start=1)
        }
    return {}


def user(name: str, role: Role) -> User:
    account = User(username=name, role=role)
    account.set_password(PASSWORD)
    db.session.add(account)
    db.session.flush()
    return account


def take_quiz(student: User, skill: float, when: datetime, rng: random.Random, **where) -> int:
    attempt = quiz.assemble(
        student.id, settings=quiz.QuizSettings(size=10), now=when, rng=rng, **where
    )
    for position, item in enumerate(attempt.items, start=1):
        form = answer_form(item.snapshot, rng.random() < skill, rng)
        quiz_answers.save_answer(attempt, position, form, when + timedelta(seconds=20 * position))
    quiz_answers.submit(attempt, when + timedelta(minutes=5))
    return attempt.id


def seed(now: datetime | None = None) -> dict[str, str]:
    now = now or datetime.now(UTC)
    rng = random.Random(2024)
    built = build_builtin()
    load_bank(built.items, built.sets, built.facts, now)
    teacher = user("ms.kim", Role.TEACHER)
    students = [
        user(name, Role.STUDENT)
        for name in ("minji", "joon", "seoyeon", "daniel", "amira", "tomas", "priya", "lena")
    ]
    db.session.flush()

    # A teacher's set made of bank items, assigned to a class every student joined.
    bank_items = db.session.scalars(
        select(Item)
        .join(QuestionSet)
        .where(QuestionSet.slug.in_(["bank-defections", "bank-tactics"]))
        .where(Item.type.in_(["single", "truefalse", "numeric", "short", "ordering", "matching"]))
    ).all()
    from quizzes.teach import services as teach

    chosen = rng.sample(list(bank_items), 12)
    qset = teach.create_set(
        teacher,
        "Defections and tactics: unit test",
        "Twelve items from the built-in bank for week 3.",
    )
    teach.copy_items(chosen, qset)
    # One open question: students explain, the teacher marks it from the grading queue.
    teach.add_item(
        qset,
        {
            "type": "essay",
            "prompt": "Why did the regime answer the Universal Periodic Review with its own "
            "counter-resolutions and friendly states' statements, rather than by denial "
            "alone? Explain in your own words.",
            "data": {
                "word_limit": 120,
                "rubric": [
                    {
                        "criterion": "Names the tactic",
                        "levels": [
                            {"text": "Missing", "points": 0},
                            {"text": "Clear", "points": 1},
                        ],
                    },
                    {
                        "criterion": "Explains why it helps the regime",
                        "levels": [
                            {"text": "None", "points": 0},
                            {"text": "Some", "points": 1},
                            {"text": "Well argued", "points": 2},
                        ],
                    },
                ],
            },
            "explanation": "",
            "sources": [],
            "topics": ["tactics"],
            "difficulty": 0.6,
        },
    )
    teach.set_status(qset, SetStatus.PUBLISHED)
    school_class = classes.create_class(teacher, "Year 11 Modern History", rng)
    for student in students:
        classes.join_class(student, school_class.join_code)
    assignment = assignments.create_assignment(
        school_class,
        qset,
        opens_at=now - timedelta(days=7),
        due_at=now + timedelta(days=3),
        attempt_limit=2,
        time_limit_minutes=None,
        feedback_mode=quiz.FeedbackMode.END,
    )
    for n, student in enumerate(students):
        skill = 0.35 + 0.08 * n
        attempt = quiz.assemble(
            student.id,
            settings=quiz.QuizSettings(size=13),
            now=now - timedelta(days=2),
            rng=rng,
            set_id=qset.id,
            assignment_id=assignment.id,
        )
        for position, item in enumerate(attempt.items, start=1):
            quiz_answers.save_answer(
                attempt,
                position,
                answer_form(item.snapshot, rng.random() < skill, rng),
                now - timedelta(days=2, minutes=-position),
            )
        quiz_answers.submit(attempt, now - timedelta(days=2, minutes=-20))
    class_attempt = attempt.id

    # minji's own practice over three weeks: quizzes on built-in sets and flashcard reviews.
    minji = students[0]
    sets = db.session.scalars(select(QuestionSet).where(QuestionSet.owner_id.is_(None))).all()
    for day in range(20, 0, -3):
        last_quiz = take_quiz(
            minji,
            0.45 + (20 - day) * 0.02,
            now - timedelta(days=day),
            rng,
            set_id=rng.choice(sets).id,
        )
    # A quiz in progress, as a student sees it mid-way.
    defections = next(s for s in sets if s.slug == "bank-defections")
    open_quiz = quiz.assemble(
        minji.id,
        settings=quiz.QuizSettings(size=10, feedback_mode=quiz.FeedbackMode.IMMEDIATE),
        now=now - timedelta(minutes=3),
        rng=rng,
        set_id=defections.id,
    )
    for position, item in enumerate(open_quiz.items[:2], start=1):
        quiz_answers.save_answer(open_quiz, position, answer_form(item.snapshot, True, rng), now)
    facts = [f["id"] for f in built.facts][:40]
    for day in range(21, 0, -1):
        when = now - timedelta(days=day, hours=-9)
        for fact_id in rng.sample(facts, 6):
            rating = Rating.Good if rng.random() < 0.85 else Rating.Again
            memory.record_review(minji.id, [f"fact:{fact_id}"], rating, when, "flashcard")
    db.session.commit()
    admin = user("admin", Role.ADMIN)
    from quizzes.lti import platforms

    platforms.register(
        name="School Moodle",
        issuer="https://moodle.school.org",
        client_id="kQ3pX9dLr2Yb",
        deployment_ids=["1"],
        auth_login_url="https://moodle.school.org/mod/lti/auth.php",
        auth_token_url="https://moodle.school.org/mod/lti/token.php",
        key_set_url="https://moodle.school.org/mod/lti/certs.php",
    )
    db.session.commit()
    return {
        "admin": admin.username,
        "teacher": teacher.username,
        "student": minji.username,
        "password": PASSWORD,
        "set_id": str(qset.id),
        "class_id": str(school_class.id),
        "assignment_id": str(assignment.id),
        "open_quiz": str(open_quiz.id),
        "last_quiz": str(last_quiz),
        "set_item": str(qset.items[0].id),
        "class_attempt": str(class_attempt),
    }
