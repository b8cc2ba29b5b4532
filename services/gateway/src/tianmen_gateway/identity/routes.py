"""The built-in issuer's endpoints: its JWKS and a login for the seeded demo users."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field
from tianmen_runtime.http import problems

from tianmen_gateway.identity.authenticate import Identity, Refused, unauthenticated

router = APIRouter(tags=["auth"])


class Login(BaseModel):
    username: str = Field(max_length=100, examples=["city"])
    password: str = Field(max_length=200, examples=["tianmen-dev"])


class TokenOut(BaseModel):
    access_token: str
    token_type: str = "Bearer"  # noqa: S105 - the OAuth 2 token type, not a secret
    expires_in: int = Field(description="Seconds")


def _issuer(request: Request) -> Any:
    identity: Identity = request.app.state.identity
    if identity.issuer is None:
        raise Refused(404, "Not found", "tokens come from the configured identity provider")
    return identity.issuer


@router.post(
    "/api/v1/auth/token",
    response_model=TokenOut,
    summary="Log in as a demo user (built-in issuer, local use only)",
    responses=problems(401, 404, 422, 429),
)
def issue_token(login: Login, request: Request) -> TokenOut:
    issuer = _issuer(request)
    client = request.client.host if request.client else "unknown"
    request.app.state.login_rate_limit.check(f"{client}:{login.username}")
    user = issuer.login(login.username, login.password)
    if user is None:
        raise unauthenticated("unknown user or wrong password")
    ttl = int(issuer.ttl.total_seconds())
    return TokenOut(access_token=issuer.token_for(user, datetime.now(UTC)), expires_in=ttl)


@router.get(
    "/.well-known/jwks.json",
    summary="The built-in issuer's public keys (JWKS)",
    responses=problems(404),
)
def get_jwks(request: Request) -> dict[str, Any]:
    jwks: dict[str, Any] = _issuer(request).jwks()
    return jwks
