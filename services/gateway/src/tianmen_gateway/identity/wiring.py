"""Builds the gateway's identity from settings: the verifier, and the built-in issuer if used."""

from __future__ import annotations

from datetime import timedelta

from tianmen_gateway.config import Settings
from tianmen_gateway.identity import keys
from tianmen_gateway.identity.authenticate import Identity
from tianmen_gateway.identity.demo_users import demo_users
from tianmen_gateway.identity.issuer import Issuer
from tianmen_gateway.identity.remembered import RememberedTokens
from tianmen_gateway.identity.verifier import (
    ClaimNames,
    KeySource,
    RemoteKeys,
    StaticKeys,
    TokenVerifier,
)


def build_identity(settings: Settings) -> Identity:
    claims = ClaimNames(
        settings.auth_role_claim, settings.auth_jurisdiction_claim, settings.auth_enterprise_claim
    )
    issuer = None if settings.auth_jwks_url else _issuer(settings, claims)
    source: KeySource = (
        RemoteKeys(settings.auth_jwks_url, settings.upstream_connect_timeout_s)
        if settings.auth_jwks_url
        else StaticKeys(issuer.jwks() if issuer else {"keys": []})
    )
    verifier = TokenVerifier(
        source, settings.auth_issuer, settings.auth_audience, settings.auth_leeway_s, claims
    )
    return Identity(verifier, issuer, RememberedTokens(verifier))


def _issuer(settings: Settings, claims: ClaimNames) -> Issuer:
    return Issuer(
        key=keys.load_or_create(settings.auth_key_file),
        issuer=settings.auth_issuer,
        audience=settings.auth_audience,
        ttl=timedelta(seconds=settings.auth_token_ttl_s),
        users=demo_users(),
        password=settings.demo_password.get_secret_value(),
        claims=claims,
    )
