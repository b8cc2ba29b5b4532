"""domain/ imports only the standard library's pure parts and tianmen_events."""

from __future__ import annotations

import ast
from pathlib import Path

DOMAIN = Path(__file__).parents[2] / "src" / "tianmen_reports" / "domain"
ALLOWED_ROOTS = {
    "__future__",
    "collections",
    "dataclasses",
    "datetime",
    "enum",
    "re",
    "typing",
    "urllib",
    "tianmen_events",
    "tianmen_reports",
}
FORBIDDEN_NAMES = {"now", "utcnow", "today", "uuid4", "time"}


def _imports(tree: ast.AST) -> list[tuple[str, list[str]]]:
    found: list[tuple[str, list[str]]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend((alias.name, []) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.append((node.module, [alias.name for alias in node.names]))
    return found


def test_domain_modules_exist() -> None:
    assert len(list(DOMAIN.glob("*.py"))) >= 3


def test_domain_imports_nothing_impure() -> None:
    for path in DOMAIN.glob("*.py"):
        tree = ast.parse(path.read_text())
        for module, names in _imports(tree):
            assert module.split(".")[0] in ALLOWED_ROOTS, f"{path.name} imports {module}"
            if module.startswith("tianmen_reports"):
                assert module.startswith("tianmen_reports.domain"), f"{path.name}: {module}"
            assert not FORBIDDEN_NAMES & set(names), f"{path.name} imports {names}"


def test_domain_never_reads_the_clock() -> None:
    for path in DOMAIN.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Attribute):
                assert node.attr not in {"now", "utcnow", "today", "uuid4"}, path.name
