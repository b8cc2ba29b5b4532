"""The domain imports only the standard library's pure parts and the event contracts."""

from __future__ import annotations

import ast
from pathlib import Path

import tianmen_credit.domain

ALLOWED = {"__future__", "collections", "dataclasses", "typing", "tianmen_events", "tianmen_credit"}
CLOCK_CALLS = {"now", "utcnow", "today"}


def _modules() -> list[Path]:
    return sorted(Path(tianmen_credit.domain.__file__).parent.glob("*.py"))


def _imports(tree: ast.AST) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_domain_imports_nothing_impure() -> None:
    assert len(_modules()) >= 3
    for path in _modules():
        impure = _imports(ast.parse(path.read_text())) - ALLOWED
        assert not impure, f"{path.name} imports {impure}"


def test_domain_never_reads_the_clock() -> None:
    for path in _modules():
        calls = {
            node.attr
            for node in ast.walk(ast.parse(path.read_text()))
            if isinstance(node, ast.Attribute) and node.attr in CLOCK_CALLS
        }
        assert not calls, f"{path.name} reads the clock via {calls}"
