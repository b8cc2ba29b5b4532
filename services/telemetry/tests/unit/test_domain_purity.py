"""The domain stays pure: no I/O, frameworks, clocks or randomness (replay must agree)."""

from __future__ import annotations

import ast
from pathlib import Path

import tianmen_telemetry.domain

DOMAIN = Path(tianmen_telemetry.domain.__file__).parent
ALLOWED_ROOTS = {
    "__future__",
    "collections",
    "dataclasses",
    "datetime",
    "enum",
    "functools",
    "typing",
    "zoneinfo",
    "tianmen_events",
    "tianmen_telemetry",
}
FORBIDDEN_CALLS = {"now", "utcnow", "today", "time_ns", "uuid4", "random"}


def _imports(tree: ast.AST) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    return names


def _calls(tree: ast.AST) -> set[str]:
    return {
        node.func.attr
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
    }


def test_domain_imports_only_the_stdlib_it_needs_and_the_contracts() -> None:
    for path in DOMAIN.rglob("*.py"):
        impure = _imports(ast.parse(path.read_text())) - ALLOWED_ROOTS
        assert not impure, f"{path.name} imports {impure}"


def test_domain_reads_no_clock() -> None:
    for path in DOMAIN.rglob("*.py"):
        used = _calls(ast.parse(path.read_text())) & FORBIDDEN_CALLS
        assert not used, f"{path.name} calls {used}"
