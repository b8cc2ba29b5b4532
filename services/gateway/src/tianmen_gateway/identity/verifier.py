"""Bearer token verification: pinned algorithms, required claims, keys by `kid` from a JWKS."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

import jwt

from tianmen_gateway.identity.principal import Principal, Role

ALGORITHMS = ("RS256", "ES256")
"""The only algorithms accepted: never `none`, never an HMAC a public key could be used for."""
REQUIRED = ["exp", "iss", "aud", "sub"]


class InvalidToken(Exception):
    """Not a token this gateway accepts (401)."""


class KeysUnavailable(Exception):
    """The identity provider's JWKS cannot be fetched (503)."""


class KeySource(Protocol):
    def key_for(self, kid: str) -> jwt.PyJWK: ...


class StaticKeys:
    """Keys of a JWKS held in memory: the built-in issuer's."""

    def __init__(self, jwks: Mapping[str, Any]) -> None:
        self._keys = {key["kid"]: jwt.PyJWK(dict(key)) for key in jwks["keys"]}

    def key_for(self, kid: str) -> jwt.PyJWK:
        try:
            return self._keys[kid]
        except KeyError:
            raise InvalidToken(f"unknown key id {kid!r}") from None


class RemoteKeys:
    """Keys of an identity provider's JWKS URL (Keycloak: …/realms/<realm>/protocol/openid-connect/certs)."""

    def __init__(self, url: str, timeout_s: float) -> None:
        self._client = jwt.PyJWKClient(url, cache_keys=True, lifespan=300, timeout=timeout_s)

    def key_for(self, kid: str) -> jwt.PyJWK:
        try:
            return self._client.get_signing_key(kid)
        except jwt.PyJWKClientConnectionError as exc:
            raise KeysUnavailable(str(exc)) from exc
        except jwt.PyJWKClientError as exc:
            raise InvalidToken(str(exc)) from exc


@dataclass(frozen=True)
class ClaimNames:
    role: str = "tianmen_role"
    jurisdiction: str = "jurisdiction"
    enterprise_id: str = "enterprise_id"


@dataclass(frozen=True)
class TokenVerifier:
    keys: KeySource
    issuer: str
    audience: str
    leeway_s: float = 30
    claims: ClaimNames = field(default_factory=ClaimNames)

    def verify(self, token: str) -> Principal:
        return self.verify_until(token)[0]

    def verify_until(self, token: str) -> tuple[Principal, float]:
        """The principal, and until when (epoch seconds, with the leeway) the token is valid."""
        try:
            header = jwt.get_unverified_header(token)
            if header.get("alg") not in ALGORITHMS:
                raise InvalidToken(f"algorithm {header.get('alg')!r} is not accepted")
            key = self.keys.key_for(str(header.get("kid", "")))
            payload = jwt.decode(
                token,
                key,
                algorithms=list(ALGORITHMS),
                audience=self.audience,
                issuer=self.issuer,
                leeway=self.leeway_s,
                options={"require": REQUIRED},
            )
        except jwt.PyJWTError as exc:
            raise InvalidToken(str(exc)) from exc
        return self._principal(payload), float(payload["exp"]) + self.leeway_s

    def _principal(self, payload: Mapping[str, Any]) -> Principal:
        try:
            role = Role(str(payload.get(self.claims.role)))
        except ValueError:
            raise InvalidToken(f"claim {self.claims.role!r} names no role") from None
        return Principal(
            subject=str(payload["sub"]),
            role=role,
            jurisdiction=_text(payload.get(self.claims.jurisdiction)),
            enterprise_id=_text(payload.get(self.claims.enterprise_id)),
        )


def _text(value: object) -> str | None:
    return str(value) if isinstance(value, str | int) and str(value) else None
