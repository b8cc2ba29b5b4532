"""The OpenAPI document's tags, and the problem+json answers every gateway route may give."""

from __future__ import annotations

from typing import Any

from tianmen_runtime import http

TAGS = [
    {"name": "enterprises", "description": "Enterprises (registry) with safety points and credit"},
    {"name": "machines", "description": "Machines and terminal bindings (registry)"},
    {"name": "terminals", "description": "Terminals' last reported state (telemetry)"},
    {"name": "telemetry", "description": "Terminal report ingest (telemetry)"},
    {"name": "alerts", "description": "Alerts raised by telemetry rules"},
    {"name": "tips", "description": "Citizen tip-offs, 随手拍 (reports)"},
    {"name": "audit", "description": "Replay evidence: state digests"},
]

MEANING = {
    "404": "Not found",
    "409": "Conflicts with what exists",
    "422": "Invalid request; `errors` names the fields",
    "502": "The owning service failed or answered outside its contract",
    "503": "The owning service is unreachable, not ready, or could not confirm the write; "
    "`service` names it, `detail` says whether anything may have been written, `Retry-After` "
    "when to try again. A request that was not delivered wrote nothing; retrying the same "
    "request is always safe (commands are refused as duplicates, reports deduplicated by id)",
    "504": "The owning service did not answer within the gateway's timeout (10 s; every service "
    "settles its own writes within 7 s, so this is rare): a command may have been applied, and "
    "retrying it is safe; `Retry-After` says when",
}


def problems(*codes: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses` for these error statuses, plus the gateway's own 502/503/504."""
    return http.problems(*codes, 502, 503, 504, **MEANING)
