""" "Optimise my schedule" over HTTP: too few reviews is a message; enough fits the
parameters to the learner's log, shows the error before and after, and undo brings the
previous parameters back."""

from __future__ import annotations

import html

from sqlalchemy import select

from models import ReviewLog, User, db
from quizzes import memory
from quizzes.domain.srs.settings import StudySettings
from tests.domain.srs.review_simulation import simulated_log


def seed_log(app, username: str, cards: int, reviews_each: int) -> int:
    with app.app_context():
        user_id = db.session.scalar(select(User.id).where(User.username == username))
        db.session.add_all(
            ReviewLog(
                user_id=user_id,
                memory_key=review.memory_key,
                rating=review.rating,
                reviewed_at=review.reviewed_at,
                source="flashcard",
                state_after={},
                before_phase="new" if review.first else "review",
            )
            for review in simulated_log(cards, reviews_each)
        )
        db.session.commit()
        return user_id


def parameters_of(app, user_id: int) -> StudySettings:
    with app.app_context():
        return memory.load_settings(user_id)


def page_text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def test_the_settings_page_offers_the_optimiser_with_its_minimum(login_as):
    client = login_as("ola")
    page = page_text(client.get("/cards/settings"))
    assert "Optimise my schedule</button>" in page and "at least 400 reviews" in page
    assert "FSRS's default parameters" in page and "Undo the last optimisation" not in page


def test_too_few_reviews_is_a_message_and_changes_nothing(app, login_as):
    client = login_as("ola")
    user_id = seed_log(app, "ola", cards=40, reviews_each=4)
    page = page_text(client.post("/cards/settings/optimise", follow_redirects=True))
    assert "needs at least 400 reviews" in page and "your log has 120" in page
    assert parameters_of(app, user_id) == StudySettings()


def test_enough_reviews_fit_the_parameters_show_the_errors_and_undo_restores(app, login_as):
    client = login_as("ola")
    user_id = seed_log(app, "ola", cards=150, reviews_each=6)
    defaults = StudySettings().parameters
    page = page_text(client.post("/cards/settings/optimise", follow_redirects=True))
    fitted = parameters_of(app, user_id)
    assert fitted.parameters != defaults and fitted.previous_parameters == defaults
    assert "Schedule optimised. On your 750 reviews the error went from log loss" in page
    assert "parameters fitted to your own reviews" in page
    assert "Undo the last optimisation" in page
    # The page shows the numbers of that log: before and after, the after smaller.
    from quizzes.domain.srs.optimise import optimise

    with app.app_context():
        result = optimise(memory.logged_reviews(user_id, 20_000), StudySettings())
    assert (
        f"log loss {result.before.log_loss:.4f} to {result.after.log_loss:.4f} and RMSE "
        f"{result.before.rmse:.2%} to {result.after.rmse:.2%}" in page
    )
    assert result.after.log_loss < result.before.log_loss

    page = page_text(client.post("/cards/settings/optimise/undo", follow_redirects=True))
    assert "Your previous parameters are back." in page
    restored = parameters_of(app, user_id)
    assert restored.parameters == defaults and restored.previous_parameters == ()
    assert "Undo the last optimisation" not in page
    # Nothing left to undo: a message, nothing changed.
    page = page_text(client.post("/cards/settings/optimise/undo", follow_redirects=True))
    assert "There is no optimisation to undo." in page
    assert parameters_of(app, user_id) == restored


def test_saving_the_settings_form_keeps_fitted_parameters(app, login_as):
    client = login_as("ola")
    user_id = seed_log(app, "ola", cards=150, reviews_each=6)
    client.post("/cards/settings/optimise")
    fitted = parameters_of(app, user_id)
    form = {
        "desired_retention": "0.85",
        "new_per_day": "10",
        "reviews_per_day": "100",
        "learning_steps": "1m 10m",
        "relearning_steps": "10m",
        "timezone": "UTC",
        "day_start_hour": "4",
    }
    assert client.post("/cards/settings", data=form).status_code == 302
    saved = parameters_of(app, user_id)
    assert saved.desired_retention == 0.85
    assert (saved.parameters, saved.previous_parameters) == (
        fitted.parameters,
        fitted.previous_parameters,
    )
