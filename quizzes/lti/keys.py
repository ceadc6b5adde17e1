"""The tool's RS256 signing keys, kept in the database; the private half never leaves it."""

from __future__ import annotations

import json
from datetime import datetime

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from jwcrypto.jwk import JWK
from sqlalchemy import select

from models import LtiKey, db
from quizzes.domain import lti as domain


def _records() -> list[domain.KeyRecord]:
    return [
        domain.KeyRecord(key.kid, key.public_jwk, key.created_at, key.retired_at)
        for key in db.session.scalars(select(LtiKey))
    ]


def new_key(now: datetime) -> LtiKey:
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    public = JWK.from_pem(pem.encode())
    public_jwk = json.loads(public.export_public())
    kid = public.thumbprint()  # RFC 7638: the same key always gets the same kid
    key = LtiKey(kid=kid, private_pem=pem, public_jwk=public_jwk, created_at=now)
    db.session.add(key)
    db.session.flush()
    return key


def signing_key(now: datetime) -> LtiKey:
    """The key that signs now; made on first use, so a fresh install needs no setup step."""
    record = domain.signing_key(_records())
    if record is None:
        return new_key(now)
    return db.session.scalar(select(LtiKey).where(LtiKey.kid == record.kid))


def rotate(now: datetime) -> tuple[LtiKey, list[str]]:
    """A new signing key; the old ones are retired (still published for KEY_GRACE)."""
    retired = []
    for key in db.session.scalars(select(LtiKey).where(LtiKey.retired_at.is_(None))):
        key.retired_at = now
        retired.append(key.kid)
    return new_key(now), retired


def jwks(now: datetime) -> dict:
    signing_key(now)  # a fresh install publishes its first key before any launch
    return {"keys": domain.published_keys(_records(), now)}


def public_pem(key: LtiKey) -> str:
    return JWK.from_json(json.dumps(key.public_jwk)).export_to_pem().decode()
