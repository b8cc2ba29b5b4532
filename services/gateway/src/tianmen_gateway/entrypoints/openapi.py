"""The OpenAPI document: every error response documented as application/problem+json."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}

TAGS = [
    {"name": "enterprises", "description": "Enterprises (registry) with safety points and credit"},
    {"name": "machines", "description": "Machines and terminal bindings (registry)"},
    {"name": "terminals", "description": "Terminals' last reported state (telemetry)"},
    {"name": "telemetry", "description": "Terminal report ingest (telemetry)"},
    {"name": "alerts", "description": "Alerts raised by telemetry rules"},
    {"name": "tips", "description": "Citizen tip-offs, 随手拍 (reports)"},
    {"name": "audit", "description": "Replay evidence: state digests"},
]


def problem_json_openapi(app: FastAPI) -> Callable[[], dict[str, Any]]:
    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = get_openapi(
                title=app.title,
                version=app.version,
                description=app.description,
                routes=app.routes,
                tags=app.openapi_tags,
            )
            _errors_as_problems(schema)
            app.openapi_schema = schema
        return app.openapi_schema

    return openapi


def _errors_as_problems(schema: dict[str, Any]) -> None:
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            for status, response in operation.get("responses", {}).items():
                if status[0] in "45":
                    response["content"] = {"application/problem+json": {"schema": PROBLEM_REF}}
    components = schema.get("components", {}).get("schemas", {})
    for unused in ("HTTPValidationError", "ValidationError"):
        components.pop(unused, None)
