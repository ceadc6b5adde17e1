"""The admin's LTI page: the values an LMS admin copies, the registered platforms, and the
tool's keys (public parts only)."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from sqlalchemy import select

from models import LtiKey, LtiPlatform, db
from quizzes.domain.lti import KEY_GRACE
from quizzes.lti import keys, platforms, scores
from quizzes.lti.forms import PlatformForm, lines
from quizzes.lti.routes import bp
from quizzes.web import clock
from quizzes.web.decorators import admin_required
from quizzes.web.forms import EmptyForm


def base_url() -> str:
    """The address LMSs reach this app at: LTI_BASE_URL when set (behind a proxy), else
    the address this page was asked for."""
    return current_app.config.get("LTI_BASE_URL") or request.host_url


def _page(form: PlatformForm, status: int = 200):
    now = clock.now()
    signing = keys.signing_key(now)
    listed = db.session.scalars(select(LtiKey).order_by(LtiKey.created_at.desc())).all()
    body = render_template(
        "lti/admin.html",
        settings=platforms.tool_settings(base_url()),
        platforms=db.session.scalars(select(LtiPlatform).order_by(LtiPlatform.name)).all(),
        keys=[
            (key, key.kid == signing.kid, key.retired_at and now - key.retired_at < KEY_GRACE)
            for key in listed
        ],
        outbox=scores.outbox_counts(),
        form=form,
        action_form=EmptyForm(),
    )
    db.session.commit()  # a first key, made on first use
    return body, status


@bp.get("/admin")
@admin_required
def admin():
    return _page(PlatformForm())


@bp.post("/admin/platforms")
@admin_required
def add_platform():
    form = PlatformForm()
    if not form.validate_on_submit():
        return _page(form, 400)
    platform = platforms.register(
        name=form.name.data.strip(),
        issuer=form.issuer.data,
        client_id=form.client_id.data.strip(),
        deployment_ids=lines(form.deployment_ids.data),
        auth_login_url=form.auth_login_url.data,
        auth_token_url=form.auth_token_url.data,
        key_set_url=form.key_set_url.data,
        frame_origins=lines(form.frame_origins.data),
    )
    db.session.commit()
    flash(f"Registered {platform.name}.", "success")
    return redirect(url_for("lti.admin"))


@bp.post("/admin/platforms/<int:platform_id>/delete")
@admin_required
def delete_platform(platform_id: int):
    platform = db.session.get(LtiPlatform, platform_id)
    if platform is None:
        abort(404)
    if not EmptyForm().validate_on_submit():
        abort(400)
    name = platform.name
    db.session.delete(platform)
    db.session.commit()
    flash(f"Removed {name}: its launches are refused from now on.", "success")
    return redirect(url_for("lti.admin"))


@bp.post("/admin/keys/rotate")
@admin_required
def rotate_keys():
    if not EmptyForm().validate_on_submit():
        abort(400)
    key, retired = keys.rotate(clock.now())
    db.session.commit()
    flash(
        f"New signing key {key.kid[:12]}…; the old one stays published for {KEY_GRACE.days} days.",
        "success",
    )
    return redirect(url_for("lti.admin"))
