"""Taking a quiz over HTTP: start, save as you go, resume anywhere, submit once, review."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from models import Attempt, AttemptItem, AttemptStatus, Item, MemoryState, ReviewLog, db
from tests.conftest import AuthActions
from tests.fixtures_items import (
    TYPES,
    form_state,
    make_items,
    right_form,
    snapshots,
    start_quiz,
    wrong_form,
)


def attempt_row(app, attempt_id: int) -> dict:
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        return {
            "status": attempt.status,
            "score": attempt.score,
            "late": attempt.late,
            "current_position": attempt.current_position,
            "submitted_at": attempt.submitted_at,
            "responses": [item.response for item in attempt.items],
            "scores": [item.score for item in attempt.items],
        }


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def test_start_draws_every_item_once_with_a_shuffled_view(app, bank, student):
    attempt_id = start_quiz(student, f"set:{bank.set_id}", size=10)
    shown = snapshots(app, attempt_id)
    # The set has 8 items: asking for 10 gives all 8, each once.
    assert sorted(s["type"] for s in shown) == sorted(TYPES)
    assert len({s["item_key"] for s in shown}) == 8
    single = next(s for s in shown if s["type"] == "single")
    assert sorted(single["view"]["options"]) == sorted(
        [
            "Deputy ambassador in London",
            "Ambassador in Rome",
            "Consul in Hong Kong",
            "Attaché in Kuwait",
        ]
    )
    assert single["explanation"] == "Tae Yong-ho was deputy ambassador in London until 2016."
    assert single["fact_ids"] == ["defection.tae"]
    assert single["sources"][0]["publisher"] == "The Korea Times"


def test_start_filters_by_type_and_size(app, bank, student):
    attempt_id = start_quiz(
        student, f"set:{bank.set_id}", size=2, types=("single", "short", "cloze")
    )
    shown = snapshots(app, attempt_id)
    assert len(shown) == 2
    assert {s["type"] for s in shown} <= {"single", "short", "cloze"}


def test_start_by_topic_takes_items_across_the_topic(app, bank, student):
    attempt_id = start_quiz(student, "topic:defections", size=10)
    keys = {s["item_key"] for s in snapshots(app, attempt_id)}
    assert keys == {"test.single.post", "test.short.name", "test.ordering.events"}
    page = student.get(f"/quiz/attempts/{attempt_id}/items/1").data.decode()
    assert "Topic: Defections" in page


def test_start_with_no_matching_items_explains(app, bank, student):
    response = student.post(
        "/quiz/",
        data={
            "source": "topic:upr",
            "size": "5",
            "feedback_mode": "end",
            "late_policy": "mark",
            "item_types": ["matching"],
            "start_token": "t" * 20,
        },
    )
    assert response.status_code == 422
    assert "No questions of these types here" in response.data.decode()
    assert count(app, Attempt) == 0


def test_a_draft_set_is_only_offered_to_its_owner(app, create_user, login_as):
    owner_id = create_user("teacher1", "teacher")
    made = make_items(app, owner_id=owner_id)
    stranger = login_as("student2")
    assert f'value="set:{made.draft_set_id}"' not in stranger.get("/quiz/").data.decode()
    response = stranger.post(
        "/quiz/",
        data={
            "source": f"set:{made.draft_set_id}",
            "size": "5",
            "feedback_mode": "end",
            "late_policy": "mark",
            "start_token": "s" * 20,
        },
    )
    assert response.status_code == 422 and "Not a valid choice" in response.data.decode()
    assert count(app, Attempt) == 0

    owner = app.test_client()
    AuthActions(owner).login("teacher1")
    assert f'value="set:{made.draft_set_id}"' in owner.get("/quiz/").data.decode()
    attempt_id = start_quiz(owner, f"set:{made.draft_set_id}")
    assert [s["item_key"] for s in snapshots(app, attempt_id)] == ["test.draft.only"]


def test_posting_the_start_form_twice_starts_one_attempt(app, bank, student):
    first = start_quiz(student, f"set:{bank.set_id}", token="same-token-1234567890")
    second = start_quiz(student, f"set:{bank.set_id}", token="same-token-1234567890")
    assert first == second
    assert count(app, Attempt) == 1


def test_each_answer_is_saved_when_given_and_navigation_follows_the_button(app, bank, student):
    attempt_id = start_quiz(student, f"set:{bank.set_id}")
    shown = snapshots(app, attempt_id)
    url = f"/quiz/attempts/{attempt_id}/items"
    response = student.post(f"{url}/1", data={**right_form(shown[0]), "go": "next"})
    assert response.headers["Location"] == f"{url}/2"
    response = student.post(f"{url}/2", data={**wrong_form(shown[1]), "go": "prev"})
    assert response.headers["Location"] == f"{url}/1"
    response = student.post(f"{url}/2", data={"go": "5"})  # nothing chosen: stays blank
    assert response.headers["Location"] == f"{url}/5"
    response = student.post(f"{url}/8", data={"go": "next"})
    assert response.headers["Location"] == f"/quiz/attempts/{attempt_id}/review"
    row = attempt_row(app, attempt_id)
    assert row["responses"][0] is not None
    assert row["responses"][1] is None  # cleared by the blank post
    assert row["status"] is AttemptStatus.IN_PROGRESS
    assert row["scores"] == [None] * 8  # end mode: nothing graded before the submit


def test_autosave_answers_json_without_navigating(app, bank, student):
    attempt_id = start_quiz(student, f"set:{bank.set_id}")
    shown = snapshots(app, attempt_id)
    response = student.post(
        f"/quiz/attempts/{attempt_id}/items/3",
        data=right_form(shown[2]),
        headers={"X-Requested-With": "fetch"},
    )
    assert response.status_code == 200
    assert response.json == {
        "status": "saved",
        "message": "",
        "answered": [3],
        "saved_at": response.json["saved_at"],
    }
    # The hour in the student's time zone (UTC here), as the pages write times.
    assert re.fullmatch(r"\d\d:\d\d UTC", response.json["saved_at"])


def test_a_cleared_answer_is_marked_not_answered_again(app, bank, student):
    attempt_id = start_quiz(student, f"set:{bank.set_id}")
    shown = snapshots(app, attempt_id)
    url = f"/quiz/attempts/{attempt_id}/items"
    fetch = {"X-Requested-With": "fetch"}
    student.post(f"{url}/1", data=right_form(shown[0]), headers=fetch)
    assert student.post(f"{url}/2", data=wrong_form(shown[1]), headers=fetch).json["answered"] == [
        1,
        2,
    ]
    cleared = student.post(f"{url}/2", data={}, headers=fetch).json
    assert (cleared["status"], cleared["answered"]) == ("cleared", [1])
    page = student.get(f"{url}/3").data.decode()
    marks = re.findall(r'<span class="visually-hidden jump-state">, (\w+ ?\w*)</span>', page)
    assert marks[:3] == ["answered", "not answered", "not answered"]


def test_incomplete_ordering_is_not_saved_and_says_why(app, bank, student):
    attempt_id = start_quiz(student, f"set:{bank.set_id}")
    shown = snapshots(app, attempt_id)
    position = next(i for i, s in enumerate(shown, 1) if s["type"] == "ordering")
    response = student.post(
        f"/quiz/attempts/{attempt_id}/items/{position}",
        data={"order": ["0", "0", "", ""]},
        headers={"X-Requested-With": "fetch"},
    )
    assert response.json["status"] == "incomplete"
    assert "put a different item in every position" in response.json["message"]
    assert attempt_row(app, attempt_id)["responses"][position - 1] is None


def test_an_answer_no_option_has_is_not_saved_and_not_called_an_unfinished_order(
    app, bank, student
):
    attempt_id = start_quiz(student, f"set:{bank.set_id}")
    shown = snapshots(app, attempt_id)
    position = next(i for i, s in enumerate(shown, 1) if s["type"] == "truefalse")
    response = student.post(
        f"/quiz/attempts/{attempt_id}/items/{position}",
        data={"answer": "maybe"},  # what only an edited page sends
        headers={"X-Requested-With": "fetch"},
    )
    assert response.json["status"] == "incomplete"
    assert response.json["message"] == (
        f"Question {position} is not saved: the answer sent could not be read. Choose or "
        "type it again, then save."
    )
    assert attempt_row(app, attempt_id)["responses"][position - 1] is None


def test_resume_after_logging_in_on_another_device(app, bank, student):
    attempt_id = start_quiz(student, f"set:{bank.set_id}")
    shown = snapshots(app, attempt_id)
    url = f"/quiz/attempts/{attempt_id}/items"
    for position, snapshot in enumerate(shown, 1):
        if position != 5:
            student.post(f"{url}/{position}", data={**right_form(snapshot), "go": "next"})
    student.get(f"{url}/3")  # the student was looking at question 3 when the tab closed

    other_device = app.test_client()
    assert AuthActions(other_device).login("student1").status_code == 302
    start_page = other_device.get("/quiz/").data.decode()
    assert "Carry on where you left off" in start_page
    assert f'href="/quiz/attempts/{attempt_id}"' in start_page and "Resume" in start_page
    response = other_device.get(f"/quiz/attempts/{attempt_id}")
    assert response.headers["Location"] == f"{url}/3"
    # Every saved answer is there, as given: each page would post it back unchanged.
    for position, snapshot in enumerate(shown, 1):
        page = other_device.get(f"{url}/{position}").data.decode()
        assert form_state(page) == (right_form(snapshot) if position != 5 else {}), position
    assert "7</span> of 8 answered" in other_device.get(f"{url}/2").data.decode()


def test_submitting_twice_grades_once(app, bank, student):
    attempt_id = start_quiz(student, f"set:{bank.set_id}")
    shown = snapshots(app, attempt_id)
    url = f"/quiz/attempts/{attempt_id}"
    for position, snapshot in enumerate(shown[:6], 1):
        student.post(f"{url}/items/{position}", data=right_form(snapshot))
    first = student.post(f"{url}/submit")
    assert first.headers["Location"] == f"{url}/result"
    after_first = attempt_row(app, attempt_id)
    assert after_first["status"] is AttemptStatus.SUBMITTED
    assert after_first["score"] == pytest.approx(6 / 8)

    second = student.post(f"{url}/submit", follow_redirects=True)
    assert "This quiz was already submitted" in second.data.decode()
    assert attempt_row(app, attempt_id) == after_first
    assert count(app, Attempt) == 1


def test_going_back_and_reposting_after_submit_changes_nothing(app, bank, student):
    attempt_id = start_quiz(student, f"set:{bank.set_id}")
    shown = snapshots(app, attempt_id)
    url = f"/quiz/attempts/{attempt_id}"
    student.post(f"{url}/items/1", data=wrong_form(shown[0]))
    student.post(f"{url}/submit")
    before = attempt_row(app, attempt_id)
    assert before["score"] == 0.0

    # The back button: the item page now leads to the result, and is never cached.
    back = student.get(f"{url}/items/1")
    assert back.headers["Location"] == f"{url}/result"
    # A stale form posting the right answer (autosave and plain) changes nothing, and says so.
    stale = student.post(
        f"{url}/items/1", data={**right_form(shown[0]), "go": "next"}, follow_redirects=True
    )
    assert "This quiz was already submitted" in stale.data.decode()
    assert "that answer was not saved" in stale.data.decode()
    fetch = student.post(
        f"{url}/items/2", data=right_form(shown[1]), headers={"X-Requested-With": "fetch"}
    )
    assert fetch.json["status"] == "submitted"
    assert attempt_row(app, attempt_id) == before
    # quiz.js reloads into the result page, which says why the answer was not kept.
    result = student.get(f"{url}/items/2", follow_redirects=True).data.decode()
    assert "This quiz was already submitted" in result


def test_item_pages_are_not_cached(bank, student):
    attempt_id = start_quiz(student, f"set:{bank.set_id}")
    response = student.get(f"/quiz/attempts/{attempt_id}/items/1")
    assert response.headers["Cache-Control"] == "no-store"


def test_review_lists_unanswered_items(app, bank, student):
    attempt_id = start_quiz(student, f"set:{bank.set_id}")
    shown = snapshots(app, attempt_id)
    for position in (1, 2, 3, 5, 6, 8):
        student.post(
            f"/quiz/attempts/{attempt_id}/items/{position}", data=right_form(shown[position - 1])
        )
    page = student.get(f"/quiz/attempts/{attempt_id}/review").data.decode()
    assert "Not answered yet:" in page
    assert f'<a href="/quiz/attempts/{attempt_id}/items/4">question 4</a>' in page
    assert f'<a href="/quiz/attempts/{attempt_id}/items/7">question 7</a>' in page
    assert page.count("Not answered</span>") == 2
    assert "Submit quiz" in page


def test_result_shows_every_answer_key_explanation_and_source(app, bank, student):
    attempt_id = start_quiz(student, f"set:{bank.set_id}")
    shown = snapshots(app, attempt_id)
    for position, snapshot in enumerate(shown, 1):
        form = right_form(snapshot) if snapshot["type"] != "numeric" else wrong_form(snapshot)
        student.post(f"/quiz/attempts/{attempt_id}/items/{position}", data=form)
    student.post(f"/quiz/attempts/{attempt_id}/submit")
    page = student.get(f"/quiz/attempts/{attempt_id}/result").data.decode()
    assert "Score: <strong>7 of 8</strong> (88%)" in page
    assert page.count("✓</span> Right</span>") == 14  # heading + feedback, 7 items
    numeric = next(i for i, s in enumerate(shown, 1) if s["type"] == "numeric")
    article = page.split(f'id="result-q{numeric}"')[1].split("</article>")[0]
    assert "✗</span> Wrong" in article
    assert "<dt>Your answer</dt><dd>1999</dd>" in article
    assert "<dt>Right answer</dt><dd>2014</dd>" in article
    assert "The COI reported in February two thousand fourteen." in article
    assert "The Korea Times, “Cables show how Pyongyang answered UN criticism”, 2024-11" in article
    assert 'href="https://www.koreatimes.co.kr/example"' in article


def test_result_is_shown_as_it_was_after_the_bank_changes(app, bank, student):
    attempt_id = start_quiz(student, f"set:{bank.set_id}")
    student.post(f"/quiz/attempts/{attempt_id}/submit")
    with app.app_context():
        item = db.session.get(Item, bank.item_ids["cloze"])
        item.prompt = "A rewritten prompt"
        item.explanation = "A new explanation"
        db.session.delete(db.session.get(Item, bank.item_ids["short"]))
        db.session.commit()
    page = student.get(f"/quiz/attempts/{attempt_id}/result").data.decode()
    assert "Fill in the missing words." in page and "The panel met in the Swiss city." in page
    assert "A rewritten prompt" not in page
    assert "Who was the deputy ambassador who defected in 2016?" in page
    assert "Thae Yongho (also accepted: Tae Yong-ho)" in page


def test_history_lists_attempts_with_resume_and_review(app, bank, student):
    done = start_quiz(student, f"set:{bank.set_id}")
    student.post(f"/quiz/attempts/{done}/submit")
    open_attempt = start_quiz(student, "topic:upr")
    page = student.get("/quiz/history").data.decode()
    assert f'href="/quiz/attempts/{done}/result"' in page
    assert f'href="/quiz/attempts/{open_attempt}"' in page
    assert "Topic: Universal Periodic Review" in page and "Human rights at the UN" in page


def test_immediate_feedback_locks_the_item_and_shows_the_key(app, bank, student):
    attempt_id = start_quiz(student, f"set:{bank.set_id}", feedback="immediate")
    shown = snapshots(app, attempt_id)
    position = next(i for i, s in enumerate(shown, 1) if s["type"] == "short")
    url = f"/quiz/attempts/{attempt_id}/items/{position}"
    response = student.post(url, data={"answer": ["Tae Yongho"], "check": "1"})
    assert response.headers["Location"] == f"{url}#feedback"  # stays to show the feedback
    page = student.get(url).data.decode()
    assert "✓</span> Right" in page
    assert "Thae Yongho (also accepted: Tae Yong-ho)" in page
    assert "Thae Yongho is his own romanisation." in page
    assert "The Korea Times" in page
    assert 'value="Tae Yongho"' in page and "disabled" in page
    assert "data-autosave" not in page

    # A second check with another answer is refused; the grade stays.
    response = student.post(url, data={"answer": ["Nobody"], "check": "1"}, follow_redirects=True)
    assert "You already checked this question" in response.data.decode()
    row = attempt_row(app, attempt_id)
    assert row["responses"][position - 1] == "Tae Yongho"
    assert row["scores"][position - 1] == 1.0

    # Checking with no answer asks for one and grades nothing.
    other = 1 if position != 1 else 2
    response = student.post(
        f"/quiz/attempts/{attempt_id}/items/{other}", data={"check": "1"}, follow_redirects=True
    )
    assert "Choose or type a whole answer before checking it." in response.data.decode()
    assert attempt_row(app, attempt_id)["scores"][other - 1] is None


def test_draws_prefer_unseen_and_missed_items(app, bank, student):
    first = start_quiz(student, f"set:{bank.set_id}")
    shown = snapshots(app, first)
    missed = set()
    for position, snapshot in enumerate(shown, 1):
        if snapshot["type"] in ("single", "cloze"):
            form = wrong_form(snapshot)
            missed.add(snapshot["item_key"])
        elif snapshot["type"] in ("multi", "numeric", "ordering", "matching"):
            form = right_form(snapshot)
        else:
            continue  # short and truefalse left unanswered: they count as unseen
        student.post(f"/quiz/attempts/{first}/items/{position}", data=form)
    student.post(f"/quiz/attempts/{first}/submit")
    second = start_quiz(student, f"set:{bank.set_id}", size=4)
    keys = {s["item_key"] for s in snapshots(app, second)}
    assert keys == missed | {"test.short.name", "test.truefalse.upr"}


def review_logs(app) -> list[tuple]:
    with app.app_context():
        rows = db.session.scalars(select(ReviewLog).order_by(ReviewLog.id))
        return [(r.memory_key, r.rating, r.source, r.attempt_item_id) for r in rows]


def test_each_graded_answer_feeds_the_memory_model_once(app, bank, student):
    attempt_id = start_quiz(student, f"set:{bank.set_id}", feedback="immediate")
    shown = snapshots(app, attempt_id)
    url = f"/quiz/attempts/{attempt_id}"
    single = next(i for i, s in enumerate(shown, 1) if s["type"] == "single")
    numeric = next(i for i, s in enumerate(shown, 1) if s["type"] == "numeric")
    student.post(f"{url}/items/{single}", data={**right_form(shown[single - 1]), "check": "1"})
    student.post(f"{url}/items/{single}", data={**right_form(shown[single - 1]), "check": "1"})
    with app.app_context():
        ids = {
            item.position: item.id
            for item in db.session.scalars(
                select(AttemptItem).where(AttemptItem.attempt_id == attempt_id)
            )
        }
    assert review_logs(app) == [("fact:defection.tae", 3, "quiz", ids[single])]  # Good
    student.post(f"{url}/items/{numeric}", data=wrong_form(shown[numeric - 1]))  # saved only
    assert len(review_logs(app)) == 1
    student.post(f"{url}/submit")
    student.post(f"{url}/submit")
    # The unanswered items are graded 0 but were never tried: they feed nothing.
    assert review_logs(app) == [
        ("fact:defection.tae", 3, "quiz", ids[single]),
        ("fact:coi.report", 1, "quiz", ids[numeric]),  # Again
    ]
    with app.app_context():
        states = db.session.execute(select(MemoryState.memory_key, MemoryState.topics)).all()
    assert sorted(states) == [("fact:coi.report", ["upr"]), ("fact:defection.tae", ["defections"])]


def test_a_missed_answer_comes_back_first_and_a_known_one_waits(app, bank, student):
    first = start_quiz(student, f"set:{bank.set_id}")
    for position, snapshot in enumerate(snapshots(app, first), 1):
        form = wrong_form(snapshot) if snapshot["type"] == "numeric" else right_form(snapshot)
        student.post(f"/quiz/attempts/{first}/items/{position}", data=form)
    student.post(f"/quiz/attempts/{first}/submit")
    for _ in range(3):
        again = start_quiz(student, f"set:{bank.set_id}", size=1)
        assert [s["item_key"] for s in snapshots(app, again)] == ["test.numeric.year"]


def test_attempt_items_keep_a_complete_snapshot(app, bank, student):
    attempt_id = start_quiz(student, f"set:{bank.set_id}")
    with app.app_context():
        item = db.session.scalar(select(AttemptItem).where(AttemptItem.attempt_id == attempt_id))
        assert set(item.snapshot) == {
            "item_key",
            "version",
            "type",
            "prompt",
            "view",
            "key",
            "explanation",
            "sources",
            "topics",
            "fact_ids",
        }


def test_posts_without_a_csrf_token_are_refused(app, bank, student):
    attempt_id = start_quiz(student, f"set:{bank.set_id}")
    shown = snapshots(app, attempt_id)
    app.config["WTF_CSRF_ENABLED"] = True
    url = f"/quiz/attempts/{attempt_id}"
    assert student.post(f"{url}/items/1", data=right_form(shown[0])).status_code == 400
    assert student.post(f"{url}/submit").status_code == 400
    row = attempt_row(app, attempt_id)
    assert row["responses"][0] is None and row["status"] is AttemptStatus.IN_PROGRESS
    page = student.get(f"{url}/items/1").data.decode()
    assert page.count('name="csrf_token"') == 2  # the answer form and the log-out button
    assert 'name="csrf_token"' in student.get(f"{url}/review").data.decode()


def test_simultaneous_submits_grade_once(app, bank, student):
    """A double click sends two submits at once: the database lets exactly one through."""
    import threading

    attempt_id = start_quiz(student, f"set:{bank.set_id}")
    shown = snapshots(app, attempt_id)
    for position, snapshot in enumerate(shown, 1):
        student.post(f"/quiz/attempts/{attempt_id}/items/{position}", data=right_form(snapshot))
    clients = [student, app.test_client()]
    AuthActions(clients[1]).login("student1")
    barrier = threading.Barrier(2)
    statuses = []

    def submit(client):
        barrier.wait()
        statuses.append(client.post(f"/quiz/attempts/{attempt_id}/submit").status_code)

    threads = [threading.Thread(target=submit, args=(c,)) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [302, 302]
    logs = review_logs(app)
    # One review per memory: the multi item has two facts, ordering and matching none.
    assert len(logs) == 9 and len({log[3] for log in logs}) == 8
    assert attempt_row(app, attempt_id)["score"] == 1.0


def test_history_pages_a_long_list_newest_first(app, bank, student):
    from quizzes.quiz.services import HISTORY_PER_PAGE

    ids = [start_quiz(student, f"set:{bank.set_id}") for _ in range(HISTORY_PER_PAGE + 2)]
    first = student.get("/quiz/history").data.decode()
    assert f"Attempts 1–{HISTORY_PER_PAGE} of {HISTORY_PER_PAGE + 2}, newest first" in first
    assert f'href="/quiz/attempts/{ids[-1]}"' in first  # the newest
    assert f'href="/quiz/attempts/{ids[0]}"' not in first
    assert 'href="/quiz/history?page=2" rel="next"' in first
    with app.app_context():
        questions = len(snapshots(app, ids[-1]))
    assert f"<td>{questions}</td>" in first  # counted without loading the items
    second = student.get("/quiz/history?page=2").data.decode()
    assert (
        f'href="/quiz/attempts/{ids[0]}"' in second and f'href="/quiz/attempts/{ids[1]}"' in second
    )
    assert "Page 2 of 2" in second and 'rel="prev"' in second and "Next page" not in second


def true_false_set(app, facts: list[str], prompt: str = "Statement {n}.") -> int:
    """A bank set of true/false items, one per entry of `facts` (the fact it asks about)."""
    from models import QuestionSet, SetStatus

    with app.app_context():
        qset = QuestionSet(title="One fact", status=SetStatus.PUBLISHED, description="")
        db.session.add(qset)
        db.session.flush()
        for position, fact in enumerate(facts):
            db.session.add(
                Item(
                    set_id=qset.id,
                    position=position,
                    key=f"fact.{position}",
                    type="truefalse",
                    prompt=prompt.format(n=position),
                    data={"answer": True},
                    explanation="",
                    sources=["A source"],
                    difficulty=0.5,
                    topics=["t"],
                    fact_ids=[fact],
                )
            )
        db.session.commit()
        return qset.id


def test_a_practice_quiz_asks_about_each_fact_once_and_says_so(app, login_as):
    """Three items on one fact and one on another: a ten-question practice quiz has two
    questions (one would give away another's answer) and says why it is short."""
    set_id = true_false_set(app, ["tae", "tae", "tae", "ri"])
    student = login_as("student1")
    response = student.post(
        "/quiz/",
        data={"source": f"set:{set_id}", "size": "10", "feedback_mode": "end"},
        follow_redirects=True,
    )
    assert "This quiz has 2 questions: all that match, with each fact asked about once" in (
        response.get_data(as_text=True)
    )
    with app.app_context():
        keys = db.session.scalars(select(AttemptItem.item_key)).all()
    assert len(keys) == 2 and "fact.3" in keys


def test_the_autosave_time_is_in_the_students_time_zone(app, bank, student):
    from models import User

    with app.app_context():
        db.session.scalar(select(User).where(User.username == "student1")).timezone = "Asia/Seoul"
        db.session.commit()
    attempt_id = start_quiz(student, f"set:{bank.set_id}")
    shown = snapshots(app, attempt_id)
    saved = student.post(
        f"/quiz/attempts/{attempt_id}/items/1",
        data=right_form(shown[0]),
        headers={"X-Requested-With": "fetch"},
    )
    assert re.fullmatch(r"\d\d:\d\d KST", saved.json["saved_at"])


def test_ticked_types_the_set_has_none_of_are_named(app, login_as):
    set_id = true_false_set(app, ["tae", "ri"])
    student = login_as("student1")
    response = student.post(
        "/quiz/",
        data={
            "source": f"set:{set_id}",
            "size": "2",
            "feedback_mode": "end",
            "item_types": ["multi", "truefalse", "matching"],
        },
        follow_redirects=True,
    )
    assert (
        "No Multiple select or Match pairs questions here: the quiz has the other types you "
        "ticked." in response.get_data(as_text=True)
    )


def test_the_review_page_shows_long_questions_far_enough_to_tell_them_apart(app, login_as):
    opening = "In November 2016, Kim Jong-un ordered North Korea's envoy to leave the room "
    set_id = true_false_set(
        app, ["a", "b"], opening + "after rejecting the report, at meeting {n} of the session."
    )
    student = login_as("student1")
    attempt_id = start_quiz(student, f"set:{set_id}")
    page = student.get(f"/quiz/attempts/{attempt_id}/review").get_data(as_text=True)
    assert "at meeting 0 of the session." in page and "at meeting 1 of the session." in page
