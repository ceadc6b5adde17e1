"""pylti1p3's view of this app: registrations from the lti_platforms table, the launch data
kept in the database, and the signing key of the moment."""

from __future__ import annotations

from datetime import timedelta

from pylti1p3.deployment import Deployment
from pylti1p3.launch_data_storage.base import LaunchDataStorage
from pylti1p3.registration import Registration
from pylti1p3.tool_config.abstract import ToolConfAbstract
from sqlalchemy import delete, select

from models import LtiDeployment, LtiLaunchValue, LtiPlatform, db
from quizzes.lti import keys
from quizzes.web import clock

LAUNCH_DATA_LIFETIME = 2 * 60 * 60  # seconds: a deep-linking page may stay open a while


def registration_of(platform: LtiPlatform) -> Registration:
    key = keys.signing_key(clock.now())
    return (
        Registration()
        .set_issuer(platform.issuer)
        .set_client_id(platform.client_id)
        .set_auth_login_url(platform.auth_login_url)
        .set_auth_token_url(platform.auth_token_url)
        .set_key_set_url(platform.key_set_url)
        .set_tool_private_key(key.private_pem)
        .set_tool_public_key(keys.public_pem(key))
    )


def find_platform(issuer: str | None, client_id: str | None) -> LtiPlatform | None:
    if not issuer:
        return None
    query = select(LtiPlatform).where(LtiPlatform.issuer == issuer)
    if client_id:
        query = query.where(LtiPlatform.client_id == client_id)
    found = db.session.scalars(query.order_by(LtiPlatform.id).limit(2)).all()
    # Without a client id, an issuer registered twice is ambiguous: refuse rather than guess.
    return found[0] if len(found) == 1 else None


class ToolConf(ToolConfAbstract):
    """Every issuer may hold several client ids (one per registration)."""

    def check_iss_has_one_client(self, iss: str) -> bool:
        return False

    def check_iss_has_many_clients(self, iss: str) -> bool:
        return True

    def find_registration_by_issuer(self, iss, *args, **kwargs):
        platform = find_platform(iss, None)
        return registration_of(platform) if platform else None

    def find_registration_by_params(self, iss, client_id, *args, **kwargs):
        platform = find_platform(iss, client_id)
        return registration_of(platform) if platform else None

    def find_deployment(self, iss, deployment_id):
        return self.find_deployment_by_params(iss, deployment_id, None)

    def find_deployment_by_params(self, iss, deployment_id, client_id, *args, **kwargs):
        platform = find_platform(iss, client_id)
        if platform is None or not deployment_id:
            return None
        known = db.session.scalar(
            select(LtiDeployment.id).where(
                LtiDeployment.platform_id == platform.id,
                LtiDeployment.deployment_id == deployment_id,
            )
        )
        return Deployment().set_deployment_id(deployment_id) if known else None


class DatabaseLaunchData(LaunchDataStorage):
    """pylti1p3's launch storage in the lti_launch_values table. Keys are random (nonces,
    states, launch ids), so no session cookie is needed to keep browsers apart: the launch
    works when the LMS frame's third-party cookies are blocked. A nonce is removed when it is
    checked, so it is good for one launch only."""

    _session_cookie_name = ""  # no cookie: see above

    def can_set_keys_expiration(self) -> bool:
        return True

    def _live(self, key: str) -> LtiLaunchValue | None:
        row = db.session.get(LtiLaunchValue, self._prepare_key(key))
        if row is None or row.expires_at <= clock.now():
            return None
        return row

    def get_value(self, key: str):
        row = self._live(key)
        return row.value if row else None

    def set_value(self, key: str, value, exp: int | None = None) -> None:
        expires = clock.now() + timedelta(seconds=exp or LAUNCH_DATA_LIFETIME)
        db.session.merge(
            LtiLaunchValue(key=self._prepare_key(key), value=value, expires_at=expires)
        )
        db.session.flush()

    def check_value(self, key: str) -> bool:
        row = self._live(key)
        if row is None:
            return False
        if "-nonce-" in key:
            db.session.delete(row)
            db.session.flush()
        return True


def forget_expired() -> int:
    result = db.session.execute(
        delete(LtiLaunchValue).where(LtiLaunchValue.expires_at <= clock.now())
    )
    return result.rowcount or 0


def register(
    *,
    name: str,
    issuer: str,
    client_id: str,
    deployment_ids: list[str],
    auth_login_url: str,
    auth_token_url: str,
    key_set_url: str,
    frame_origins: list[str] | None = None,
) -> LtiPlatform:
    """Add a platform, or update the one with this issuer and client id (deployments are
    added to those it has). Flushes."""
    platform = db.session.scalar(
        select(LtiPlatform).where(LtiPlatform.issuer == issuer, LtiPlatform.client_id == client_id)
    )
    if platform is None:
        platform = LtiPlatform(issuer=issuer, client_id=client_id)
        db.session.add(platform)
    platform.name = name
    platform.auth_login_url = auth_login_url
    platform.auth_token_url = auth_token_url
    platform.key_set_url = key_set_url
    platform.frame_origins = " ".join(frame_origins or [])
    db.session.flush()
    known = {deployment.deployment_id for deployment in platform.deployments}
    for deployment_id in deployment_ids:
        if deployment_id not in known:
            platform.deployments.append(LtiDeployment(deployment_id=deployment_id))
            known.add(deployment_id)
    db.session.flush()
    return platform


def framing_urls(platform: LtiPlatform) -> list[str]:
    """The pages that may hold this app in a frame: the LMS itself (its issuer and login
    page) and any address the admin added."""
    return [platform.issuer, platform.auth_login_url, *platform.frame_origins.split()]


def tool_settings(base_url: str) -> dict[str, str]:
    """What an LMS admin copies into the LMS, in the order LMS forms ask for them."""
    base = base_url.rstrip("/")
    return {
        "Tool URL / Target link URI / Redirect URI": f"{base}/lti/launch",
        "Initiate login URL / OpenID Connect Initiation Url": f"{base}/lti/login",
        "Public keyset URL / JWK Set URL": f"{base}/lti/jwks",
        "Deep Linking URL / Content selection URL": f"{base}/lti/launch",
        "Domain": base.split("://", 1)[-1],
    }
