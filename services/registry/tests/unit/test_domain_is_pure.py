"""The domain imports only the standard library's pure parts and the event contracts."""

from __future__ import annotations

import ast
from pathlib import Path

import tianmen_registry.domain

ALLOWED = {"__future__", "collections", "dataclasses", "enum", "re", "typing", "tianmen_events"}
DOMAIN = Path(tianmen_registry.domain.__file__).parent


def _imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


def test_domain_imports_nothing_impure() -> None:
    modules = sorted(DOMAIN.glob("*.py"))
    assert len(modules) >= 4
    for path in modules:
        impure = {
            name
            for name in _imports(path)
            if name.split(".")[0] not in ALLOWED and not name.startswith("tianmen_registry.domain")
        }
        assert not impure, f"{path.name} imports {impure}"
