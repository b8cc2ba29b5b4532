"""The service's edge as deployed: it verifies the gateway's identity, and a test signs as the
gateway would for the staff member who decides (`As`)."""

from __future__ import annotations

from collections.abc import Generator
from datetime import UTC, datetime
from pathlib import Path

import httpx
from fastapi import FastAPI
from tianmen_runtime import identity
from tianmen_runtime.identity_edge import require_identity


def verifying(app: FastAPI, key_file: Path) -> FastAPI:
    require_identity(app, identity.public_key(key_file))
    return app


class As(httpx.Auth):
    """The identity the gateway signs for `subject` (signed at each request: 60 s tokens)."""

    def __init__(self, key_file: Path, subject: str, role: str = "township_staff") -> None:
        self.key_file = key_file
        self.key = identity.private_key(key_file)
        self.who = identity.Actor(subject, role)

    def but(self, subject: str) -> As:
        """The same gateway's signature for someone else."""
        return As(self.key_file, subject, self.who.role)

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers[identity.HEADER] = identity.sign(self.key, self.who, datetime.now(UTC))
        yield request
