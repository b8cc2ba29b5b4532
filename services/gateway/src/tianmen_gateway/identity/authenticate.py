"""The caller's bearer token, verified into a Principal; every failure a 401 problem."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import Request
from tianmen_runtime.http import FieldError

from tianmen_gateway.identity.issuer import Issuer
from tianmen_gateway.identity.principal import Principal
from tianmen_gateway.identity.remembered import RememberedTokens
from tianmen_gateway.identity.verifier import InvalidToken, KeysUnavailable, TokenVerifier


class Refused(Exception):
    """An answer the edge gives instead of the route's: 401, 403, 404 or 503."""

    def __init__(
        self,
        status: int,
        title: str,
        detail: str,
        headers: dict[str, str] | None = None,
        errors: list[FieldError] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status, self.title, self.detail = status, title, detail
        self.headers = headers or {}
        self.errors = errors or []


@dataclass(frozen=True)
class Identity:
    verifier: TokenVerifier
    issuer: Issuer | None
    """The built-in issuer, when no identity provider is configured."""
    tokens: RememberedTokens


def unauthenticated(detail: str, error: str | None = None) -> Refused:
    challenge = f'Bearer error="{error}"' if error else "Bearer"
    headers = {"WWW-Authenticate": challenge}
    return Refused(401, "Unauthenticated", detail, headers)


async def authenticate(request: Request) -> Principal:
    identity: Identity = request.app.state.identity
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise unauthenticated("send `Authorization: Bearer <token>`")
    try:
        return await identity.tokens.principal(token.strip())
    except InvalidToken as exc:
        raise unauthenticated(f"the token is not accepted: {exc}", "invalid_token") from exc
    except KeysUnavailable as exc:
        raise Refused(503, "Identity provider unavailable", str(exc), {"Retry-After": "5"}) from exc
