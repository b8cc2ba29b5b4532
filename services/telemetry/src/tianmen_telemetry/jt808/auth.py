"""Auth codes: derived from the terminal id with the platform's secret, so every instance of
the server issues and checks the same code without storing it (and a restart keeps it)."""

from __future__ import annotations

import hashlib
import hmac

CODE_LENGTH = 16


def auth_code(secret: bytes, terminal_id: str) -> str:
    digest = hmac.new(secret, terminal_id.encode("ascii"), hashlib.sha256).hexdigest()
    return digest[:CODE_LENGTH].upper()


def is_valid(secret: bytes, terminal_id: str, code: str) -> bool:
    return hmac.compare_digest(auth_code(secret, terminal_id), code)
