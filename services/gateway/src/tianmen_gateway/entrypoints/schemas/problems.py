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
    503: "The owning service is unreachable, not ready, or could not confirm the write; "
    "`service` names it, `detail` says whether anything may have been written, `Retry-After` "
    "when to try again. A request that was not delivered wrote nothing; retrying the same "
    "request is always safe (commands are refused as duplicates, reports deduplicated by id)",
    504: "The owning service did not answer within the gateway's timeout (10 s; every service "
    "settles its own writes within 7 s, so this is rare): a command may have been applied, and "
    "retrying it is safe; `Retry-After` says when",
}


def problems(*codes: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses` for these error statuses, plus the gateway's own 502/503/504."""
    return {
        code: {"model": Problem, "description": _MEANING[code]} for code in (*codes, 502, 503, 504)
    }
