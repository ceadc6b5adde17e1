"""`flask lti ...`: register platforms, show the settings for an LMS admin, rotate the
tool's keys, send queued scores and sync a class roster."""

from __future__ import annotations

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from models import LtiCourse, LtiKey, LtiPlatform, db
from quizzes.domain.lti import KEY_GRACE, origin_of
from quizzes.lti import keys, platforms, roster, scores
from quizzes.web import clock


@click.group(help="LTI 1.3: connect Quizdeck to Moodle, Canvas and other LMSs (docs/LMS.md).")
def lti() -> None:
    pass


def _url(ctx, param, value: str) -> str:
    if value is not None and origin_of(value) is None:
        raise click.BadParameter("give a full web address (https://...)")
    return value


@lti.command("add-platform")
@click.option("--name", required=True, help="A name for you, e.g. 'School Moodle'.")
@click.option("--issuer", required=True, callback=_url, help="Platform ID (iss).")
@click.option("--client-id", required=True)
@click.option("--deployment-id", "deployment_ids", multiple=True, required=True)
@click.option("--login-url", required=True, callback=_url, help="Authentication request URL.")
@click.option("--token-url", required=True, callback=_url, help="Access token URL.")
@click.option("--jwks-url", required=True, callback=_url, help="Platform public keyset URL.")
@click.option("--frame-origin", "frame_origins", multiple=True, callback=None)
@with_appcontext
def add_platform(
    name, issuer, client_id, deployment_ids, login_url, token_url, jwks_url, frame_origins
) -> None:
    """Register an LMS (or add deployment ids to one registered with this issuer and client)."""
    for origin in frame_origins:
        _url(None, None, origin)
    platform = platforms.register(
        name=name,
        issuer=issuer,
        client_id=client_id,
        deployment_ids=list(deployment_ids),
        auth_login_url=login_url,
        auth_token_url=token_url,
        key_set_url=jwks_url,
        frame_origins=list(frame_origins),
    )
    db.session.commit()
    click.echo(f"Platform {platform.id}: {platform.name} ({platform.issuer}, {platform.client_id})")


@lti.command("platforms")
@with_appcontext
def list_platforms() -> None:
    """List the registered LMSs."""
    for platform in db.session.scalars(select(LtiPlatform).order_by(LtiPlatform.id)):
        deployments = ", ".join(d.deployment_id for d in platform.deployments)
        click.echo(
            f"{platform.id}\t{platform.name}\t{platform.issuer}\tclient {platform.client_id}"
            f"\tdeployments {deployments}"
        )


@lti.command("remove-platform")
@click.argument("platform_id", type=click.IntRange(min=1))
@with_appcontext
def remove_platform(platform_id: int) -> None:
    """Remove a registration: its launches are refused from then on."""
    platform = db.session.get(LtiPlatform, platform_id)
    if platform is None:
        raise click.ClickException(f"No platform {platform_id}.")
    db.session.delete(platform)
    db.session.commit()
    click.echo(f"Removed platform {platform_id}.")


@lti.command("settings")
@click.option("--base-url", help="Where LMSs reach this app (default: LTI_BASE_URL).")
@with_appcontext
def settings(base_url: str | None) -> None:
    """Print what an LMS admin copies into the LMS."""
    from flask import current_app

    base = base_url or current_app.config.get("LTI_BASE_URL")
    if not base or origin_of(base) is None:
        raise click.ClickException("Give --base-url https://your.host (or set LTI_BASE_URL).")
    for label, value in platforms.tool_settings(base).items():
        click.echo(f"{label}: {value}")


@lti.command("keys")
@with_appcontext
def list_keys() -> None:
    """List the tool's keys (ids and dates; private keys are never shown)."""
    now = clock.now()
    signing = keys.signing_key(now)
    db.session.commit()
    for key in db.session.scalars(select(LtiKey).order_by(LtiKey.created_at.desc())):
        if key.kid == signing.kid:
            state = "signing"
        elif key.retired_at and now - key.retired_at < KEY_GRACE:
            state = f"retired {key.retired_at:%Y-%m-%d %H:%M}, still published"
        else:
            state = "retired, no longer published"
        click.echo(f"{key.kid}\t{key.created_at:%Y-%m-%d %H:%M}\t{state}")


@lti.command("rotate-keys")
@with_appcontext
def rotate_keys() -> None:
    """Make a new signing key; the old one stays in /lti/jwks for the grace period."""
    key, retired = keys.rotate(clock.now())
    db.session.commit()
    click.echo(f"Signing key now {key.kid}; retired {', '.join(retired) or 'none'}.")


@lti.command("push")
@with_appcontext
def push() -> None:
    """Send queued scores to LMS gradebooks (run it every minute from cron or a timer)."""
    counts = scores.push(clock.now())
    platforms.forget_expired()  # launch data past its lifetime (nonces, states, claims)
    db.session.commit()
    click.echo(
        f"sent {counts['sent']}, failed {counts['failed']} (retried later), "
        f"superseded {counts['superseded']}"
    )


@lti.command("roster")
@click.argument("class_id", type=click.IntRange(min=1))
@with_appcontext
def sync_roster(class_id: int) -> None:
    """Sync a class's students from its LMS course (Names and Role Provisioning)."""
    course = db.session.scalar(select(LtiCourse).where(LtiCourse.class_id == class_id))
    if course is None:
        raise click.ClickException(f"Class {class_id} did not come from an LMS course.")
    try:
        change = roster.sync(course)
    except roster.RosterUnavailable as problem:
        db.session.rollback()
        raise click.ClickException(str(problem)) from problem
    db.session.commit()
    click.echo(f"{change.members} students; {change.added} added, {change.removed} removed.")
