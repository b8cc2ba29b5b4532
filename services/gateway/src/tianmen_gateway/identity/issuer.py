"""The built-in issuer for local use: signs ES256 tokens for the seeded demo users."""

from __future__ import annotations

import hmac
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import jwt

from tianmen_gateway.identity.demo_users import DemoUser
from tianmen_gateway.identity.keys import PrivateKey, public_jwk
from tianmen_gateway.identity.verifier import ClaimNames


@dataclass(frozen=True)
class Issuer:
    key: PrivateKey
    issuer: str
    audience: str
    ttl: timedelta
    users: dict[str, DemoUser]
    password: str
    claims: ClaimNames = field(default_factory=ClaimNames)

    def jwks(self) -> dict[str, Any]:
        return {"keys": [public_jwk(self.key)]}

    def login(self, username: str, password: str) -> DemoUser | None:
        """The user if the password is theirs (compared in constant time), else None."""
        user = self.users.get(username)
        matches = hmac.compare_digest(password.encode(), self.password.encode())
        return user if user is not None and matches else None

    def token_for(self, user: DemoUser, now: datetime) -> str:
        claims: dict[str, Any] = {
            "iss": self.issuer,
            "aud": self.audience,
            "sub": user.username,
            "iat": now,
            "exp": now + self.ttl,
            self.claims.role: user.role.value,
        }
        if user.jurisdiction:
            claims[self.claims.jurisdiction] = user.jurisdiction
        if user.enterprise_id:
            claims[self.claims.enterprise_id] = user.enterprise_id
        kid = public_jwk(self.key)["kid"]
        return jwt.encode(claims, self.key, algorithm="ES256", headers={"kid": kid})
