"""A service's OpenAPI document: every error answer documented as application/problem+json."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from pydantic import BaseModel

REF = "#/components/schemas/{model}"


def problem_json_openapi(app: FastAPI, problem: type[BaseModel]) -> Callable[[], dict[str, Any]]:
    """`app.openapi`, with FastAPI's own validation-error shapes replaced by `problem`."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = get_openapi(
                title=app.title,
                version=app.version,
                description=app.description,
                routes=app.routes,
                tags=app.openapi_tags,
            )
            _errors_as_problems(schema, problem)
            app.openapi_schema = schema
        return app.openapi_schema

    return openapi


def _errors_as_problems(schema: dict[str, Any], problem: type[BaseModel]) -> None:
    ref = {"$ref": REF.format(model=problem.__name__)}
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            for status, response in operation.get("responses", {}).items():
                if status[0] in "45":
                    response["content"] = {"application/problem+json": {"schema": ref}}
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    for unused in ("HTTPValidationError", "ValidationError"):
        components.pop(unused, None)
    if any(status[0] in "45" for status in _statuses(schema)):
        definition = problem.model_json_schema(ref_template=REF)
        components.update(definition.pop("$defs", {}))
        components[problem.__name__] = definition


def _statuses(schema: dict[str, Any]) -> list[str]:
    return [
        status
        for operations in schema.get("paths", {}).values()
        for operation in operations.values()
        for status in operation.get("responses", {})
    ]


def render(app: FastAPI) -> str:
    """The document as checked in: stable key order, readable Chinese, one trailing newline."""
    return json.dumps(app.openapi(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
