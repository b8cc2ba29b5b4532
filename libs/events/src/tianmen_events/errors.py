"""The shared kernel's refusal: a command or event that is invalid against current state."""

from __future__ import annotations


class DomainError(Exception):
    """Raised by `decide` to refuse. `field` names the input at fault, `status` the HTTP answer."""

    status = 422
    code = "invalid"

    def __init__(self, detail: str, *, field: str | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.field = field


class NotFound(DomainError):
    status = 404
    code = "not-found"


class Conflict(DomainError):
    status = 409
    code = "conflict"
