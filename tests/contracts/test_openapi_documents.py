"""The checked-in OpenAPI documents are what the services serve, and the gateway publishes the
services' own schemas, not copies that can drift."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tools import openapi

SERVICES = ("registry", "telemetry", "safety", "credit", "reports")


@pytest.fixture(scope="module")
def documents() -> dict[str, dict[str, Any]]:
    return {name: json.loads(text) for name, text in openapi.documents().items()}


def test_every_checked_in_document_is_current() -> None:
    assert openapi.stale() == [], "run `make openapi` and commit docs/openapi/"


def test_a_stale_or_missing_document_is_named(tmp_path: Path) -> None:
    for name, text in openapi.documents().items():
        (tmp_path / f"{name}.json").write_text(text, encoding="utf-8")
    safety = tmp_path / "safety.json"
    safety.write_text(safety.read_text(encoding="utf-8").replace("balance", "points"))
    (tmp_path / "credit.json").unlink()
    assert openapi.stale(tmp_path) == ["safety", "credit"]


def test_the_gateway_publishes_each_schema_exactly_as_its_owner_does(
    documents: dict[str, dict[str, Any]],
) -> None:
    published = documents["gateway"]["components"]["schemas"]
    shared = 0
    for name in SERVICES:
        for schema_name, schema in documents[name]["components"]["schemas"].items():
            if schema_name in published:
                shared += 1
                assert published[schema_name] == schema, f"{schema_name} drifted from {name}"
    assert shared >= 15  # the gateway serves the services' contracts, not its own


def test_every_error_everywhere_is_the_one_problem(documents: dict[str, dict[str, Any]]) -> None:
    problems = {json.dumps(d["components"]["schemas"]["Problem"]) for d in documents.values()}
    assert len(problems) == 1
    for name, document in documents.items():
        for path, operations in document["paths"].items():
            for operation in operations.values():
                for status, response in operation["responses"].items():
                    if status[0] in "45":
                        assert list(response["content"]) == ["application/problem+json"], (
                            name,
                            path,
                            status,
                        )
