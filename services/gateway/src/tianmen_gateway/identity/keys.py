"""The built-in issuer's ES256 key pair: created once under var/ (mode 0600), never committed
(the same way as the identity key, `tianmen_runtime.identity.private_key`)."""

from __future__ import annotations

import base64
import hashlib
import json
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric import ec
from jwt.algorithms import ECAlgorithm
from tianmen_runtime import identity

PrivateKey = ec.EllipticCurvePrivateKey


def load_or_create(path: Path | None) -> PrivateKey:
    """The key at `path`, created there if absent; a fresh in-memory key when `path` is None."""
    if path is None:
        return ec.generate_private_key(ec.SECP256R1())
    return identity.private_key(path)


def public_jwk(key: PrivateKey) -> dict[str, Any]:
    """The public key as a JWK, its `kid` the RFC 7638 thumbprint."""
    jwk: dict[str, Any] = ECAlgorithm.to_jwk(key.public_key(), as_dict=True)
    members = {name: jwk[name] for name in ("crv", "kty", "x", "y")}
    digest = hashlib.sha256(json.dumps(members, separators=(",", ":")).encode()).digest()
    kid = base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")
    return {**members, "kid": kid, "alg": "ES256", "use": "sig"}
