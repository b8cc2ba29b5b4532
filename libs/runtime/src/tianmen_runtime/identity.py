"""Who gave a command, as the gateway vouches for it: a short-lived ES256 token per service call.

The gateway signs `{sub, role}` with its identity key (`IDENTITY_KEY_FILE`); every service's
HTTP edge verifies it with the public half before anything else runs, so a request straight to
a service's port without it is 401, and sets `actor` for the request, which the event store
writes into every event the request appends (`ce_actor`, `ce_actorrole`). The key file may hold
the private key (the gateway; locally, everyone: created under var/ on first use) or only the
public key (the services, in a deployment).
"""

from __future__ import annotations

import os
import tempfile
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

HEADER = "x-tianmen-identity"
ISSUER, AUDIENCE = "urn:tianmen:gateway", "urn:tianmen:services"
LIFETIME = timedelta(seconds=60)


@dataclass(frozen=True)
class Actor:
    subject: str
    role: str


actor: ContextVar[Actor | None] = ContextVar("actor", default=None)
"""The verified caller of the request being handled (None: no request, e.g. a consumer)."""


class Unverified(Exception):
    """No identity, or one the gateway did not sign (or no longer valid)."""


def private_key(path: Path) -> ec.EllipticCurvePrivateKey:
    """The signing key at `path`, created there (mode 0600) if absent."""
    if not path.exists():
        _create(path)
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, ec.EllipticCurvePrivateKey):
        raise ValueError(f"{path} is not an EC private key")
    return key


def public_key(path: Path) -> ec.EllipticCurvePublicKey:
    """The verifying key: `path` holds a public key, or a private one (created if absent)."""
    pem = path.read_bytes() if path.exists() else b""
    if b"PUBLIC KEY" in pem:
        key = serialization.load_pem_public_key(pem)
        if not isinstance(key, ec.EllipticCurvePublicKey):
            raise ValueError(f"{path} is not an EC public key")
        return key
    return private_key(path).public_key()


def sign(key: ec.EllipticCurvePrivateKey, who: Actor, now: datetime) -> str:
    claims: dict[str, Any] = {"sub": who.subject, "role": who.role, "iss": ISSUER}
    claims |= {"aud": AUDIENCE, "iat": now, "exp": now + LIFETIME}
    return jwt.encode(claims, key, algorithm="ES256")


LEEWAY_S = 5


def verify(key: ec.EllipticCurvePublicKey, token: str | None) -> Actor:
    return verify_until(key, token)[0]


def verify_until(key: ec.EllipticCurvePublicKey, token: str | None) -> tuple[Actor, float]:
    """The actor, and until when (epoch seconds, with the leeway) the identity is valid."""
    if not token:
        raise Unverified("no identity: services answer only requests the gateway vouches for")
    try:
        claims = jwt.decode(
            token,
            key,
            algorithms=["ES256"],
            audience=AUDIENCE,
            issuer=ISSUER,
            options={"require": ["exp", "iss", "aud", "sub"]},
            leeway=LEEWAY_S,
        )
    except jwt.InvalidTokenError as exc:
        raise Unverified(f"identity not accepted: {exc}") from exc
    return Actor(str(claims["sub"]), str(claims.get("role", ""))), float(claims["exp"]) + LEEWAY_S


def _create(path: Path) -> None:
    """Write the key whole, then link it in place: a process racing us reads all or nothing."""
    path.parent.mkdir(parents=True, exist_ok=True)
    pem = ec.generate_private_key(ec.SECP256R1()).private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    fd, scratch = tempfile.mkstemp(dir=path.parent, prefix=".identity-")
    try:
        with os.fdopen(fd, "wb") as file:
            file.write(pem)
        os.link(scratch, path)
    except FileExistsError:
        pass  # another process created it first: use theirs
    finally:
        os.unlink(scratch)
