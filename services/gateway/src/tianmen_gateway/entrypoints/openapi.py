"""The OpenAPI document's tags, and the problem+json answers every gateway route may give."""

from __future__ import annotations

import re
from typing import Any

from fastapi import FastAPI
from tianmen_runtime import http

from tianmen_gateway.identity.enforce import operations
from tianmen_gateway.identity.rules import RULES, Rule, Scope

TAGS = [
    {"name": "enterprises", "description": "Enterprises (registry) with safety points and credit"},
    {"name": "machines", "description": "Machines and terminal bindings (registry)"},
    {"name": "mortgages", "description": "Equipment loans on machines (registry)"},
    {"name": "applications", "description": "The online service counter (registry)"},
    {"name": "sites", "description": "Work sites, night-work permits, restricted zones (registry)"},
    {"name": "verify", "description": "Public verification of a registration number (no token)"},
    {"name": "terminals", "description": "Terminals' last reported state (telemetry)"},
    {"name": "telemetry", "description": "Terminal report ingest (telemetry)"},
    {"name": "alerts", "description": "Alerts raised by telemetry rules"},
    {"name": "jurisdictions", "description": "Jurisdiction boundaries for maps (registry)"},
    {"name": "tips", "description": "Citizen tip-offs, 随手拍 (reports)"},
    {
        "name": "open311",
        "description": "Tips for civic-reporting clients: Open311 GeoReport v2 (reports)",
    },
    {"name": "cases", "description": "The enforcement desk: alert and tip cases (safety)"},
    {"name": "audit", "description": "Replay evidence: state digests"},
    {"name": "auth", "description": "The built-in token issuer (local use; else the city's IdP)"},
]

MEANING = {
    "400": "The body is not UTF-8, or its JSON nests too deep; `errors` names `body`",
    "413": "The body is larger than the gateway accepts (refused before it is read)",
    "415": "The body is not application/json",
    "429": "Too many requests from this caller; `Retry-After` says when to try again",
    "401": "No bearer token, or one that is not accepted (`WWW-Authenticate: Bearer`)",
    "403": "The caller's role may not use this operation",
    "404": "Not found, or not in the caller's scope (the answer is the same)",
    "409": "Conflicts with what exists, or the first request with this Idempotency-Key still runs",
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


BEARER = {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
PROBLEM = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}


def with_edge_answers(app: FastAPI) -> None:
    """The app's OpenAPI with the bearer scheme, the 401/403/404 each operation's rule can
    give, and the 400/413/415 the body guard gives an operation that takes a body."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        document = build()
        document["components"].setdefault("securitySchemes", {"bearer": BEARER})
        for name, operation in operations(document).items():
            rule = RULES.get(name)
            if rule is not None and rule.scope is not Scope.PUBLIC:
                optional: list[dict[str, list[str]]] = (
                    [{}] if rule.scope is Scope.ANONYMOUS_ALLOWED else []
                )
                operation["security"] = [{"bearer": []}, *optional]
            body = (400, 413, 415) if "requestBody" in operation else ()
            keyed = any(p["name"] == "Idempotency-Key" for p in operation.get("parameters", []))
            body = (*body, 409, 422) if keyed else body
            for status in (*_statuses(rule), *body):
                answer = {"description": MEANING[str(status)], "content": PROBLEM}
                operation["responses"].setdefault(str(status), answer)
        return document

    app.openapi = openapi  # type: ignore[method-assign]


def _statuses(rule: Rule | None) -> tuple[int, ...]:
    if rule is None or rule.scope is Scope.PUBLIC:
        return ()
    if rule.scope.name.endswith(("PATH", "IN_BODY")) and rule.scope is not Scope.USCC_IN_BODY:
        return (401, 403, 404, 429)
    return (401, 403, 429)


def allowed_methods(document: dict[str, Any], path: str) -> list[str]:
    """Every method the document declares for the path (Starlette's 405 names only one route's)."""
    for template, methods in document.get("paths", {}).items():
        if re.fullmatch(re.sub(r"\{[^}]+\}", "[^/]+", template), path):
            return sorted(method.upper() for method in methods)
    return []
