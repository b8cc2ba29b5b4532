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
    {"name": "auth", "description": "The built-in token issuer (local use; else the city's IdP)"},
]

MEANING = {
    "400": "The body is not UTF-8, or its JSON nests too deep; `errors` names `body`",
    "413": "The body is larger than the gateway accepts (refused before it is read)",
    "415": "The body is not application/json",
    "401": "No bearer token, or one that is not accepted (`WWW-Authenticate: Bearer`)",
    "403": "The caller's role may not use this operation",
    "404": "Not found, or not in the caller's scope (the answer is the same)",
    "409": "Conflicts with what exists",
    "422": "Invalid request; `errors` names the fields",
    "502": "The owning service failed or answered outside its contract",
    "503": "The owning service is unreachable or not ready; `service` names it",
    "504": "The owning service did not answer in time",
}


def problems(*codes: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses` for these error statuses, plus the gateway's own 502/503/504."""
    return http.problems(*codes, 502, 503, 504, **MEANING)
