""" "Optimise my schedule" on the study settings page: fit the FSRS parameters to the
learner's own review log (quizzes.domain.srs.optimise), and undo the last fit. Both are
POSTs with CSRF; the fit reads at most MAX_REVIEWS reviews and runs in the request
(well under a second at that cap: docs/OPTIMISE.md)."""

from __future__ import annotations

from dataclasses import replace

from flask import flash, redirect, url_for
from flask_login import current_user

from models import db
from quizzes import memory
from quizzes.cards.routes import bp
from quizzes.domain.srs.optimise import MAX_REVIEWS, TooFewReviews, optimise
from quizzes.web.forms import EmptyForm


@bp.post("/settings/optimise")
def optimise_schedule():
    if not EmptyForm().validate_on_submit():
        flash("The form expired: press “Optimise my schedule” again.", "error")
        return redirect(url_for("cards.settings"))
    current = memory.load_settings(current_user.id)
    try:
        result = optimise(memory.logged_reviews(current_user.id, MAX_REVIEWS), current)
    except TooFewReviews as too_few:
        flash(str(too_few), "error")
        return redirect(url_for("cards.settings"))
    errors = (
        f"On your {result.reviews:,} reviews the error went from log loss "
        f"{result.before.log_loss:.4f} to {result.after.log_loss:.4f} and RMSE "
        f"{result.before.rmse:.2%} to {result.after.rmse:.2%}"
    )
    if not result.better:
        flash(f"Your parameters already fit your reviews best: kept. ({errors}.)", "success")
        return redirect(url_for("cards.settings"))
    try:
        fitted = replace(
            current, parameters=result.parameters, previous_parameters=current.parameters
        )
    except ValueError:
        flash("The fitted parameters are out of FSRS's range: your schedule is unchanged.", "error")
        return redirect(url_for("cards.settings"))
    memory.save_settings(current_user.id, fitted)
    db.session.commit()
    flash(f"Schedule optimised. {errors}. “Undo” brings the previous parameters back.", "success")
    return redirect(url_for("cards.settings"))


@bp.post("/settings/optimise/undo")
def undo_optimise():
    current = memory.load_settings(current_user.id)
    if not EmptyForm().validate_on_submit() or not current.previous_parameters:
        flash("There is no optimisation to undo.", "error")
        return redirect(url_for("cards.settings"))
    memory.save_settings(
        current_user.id,
        replace(current, parameters=current.previous_parameters, previous_parameters=()),
    )
    db.session.commit()
    flash("Your previous parameters are back.", "success")
    return redirect(url_for("cards.settings"))
