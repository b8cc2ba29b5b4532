"""The problem+json error body (RFC 9457) every service and the gateway answer with."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel


class FieldError(BaseModel):
    field: str
    message: str


class Problem(BaseModel):
    type: str
    title: str
    status: int
    detail: str
    errors: list[FieldError] = []
    service: str | None = None


_MEANING = {
    404: "Not found",
    409: "Conflicts with what exists",
    422: "Invalid request; `errors` names the fields",
    502: "The owning service failed",
    503: "The owning service is unreachable or not ready; `service` names it",
    504: "The owning service did not answer in time",
}


def problems(*codes: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses` for these error statuses, plus the gateway's own 502/503/504."""
    return {
        code: {"model": Problem, "description": _MEANING[code]} for code in (*codes, 502, 503, 504)
    }
