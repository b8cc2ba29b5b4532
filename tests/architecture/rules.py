"""The architecture, as checks over the source: each returns its violations, [] when none.

A `Module` is one source file with its dotted name; every check reads it with `ast`, so nothing
is imported or run. The checks are what STYLE.md and DESIGN.md promise:

- a service's `domain/` imports only the standard library's pure parts, `tianmen_events` and
  its own domain package, and never reads a clock or a source of randomness;
- no service imports another service's package (they talk only through Kafka topics);
- no service, nor `libs/runtime` or `libs/events`, imports the dev kit `tianmen_devkit`.
"""

from __future__ import annotations

import ast
import importlib.util
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

IMPURE_STDLIB = frozenset(
    {
        "asyncio", "http", "io", "logging", "multiprocessing", "os", "pathlib", "random",
        "secrets", "shutil", "signal", "socket", "sqlite3", "subprocess", "sys", "tempfile",
        "threading", "time", "urllib.request",
    }
)  # fmt: skip
"""Standard library modules that reach the clock, randomness, the OS or the network."""

CLOCK_ATTRS = frozenset({"now", "utcnow", "today"})
"""Methods that read the clock on whatever they are called (`datetime.now`, `date.today`)."""

IMPURE_CALLS = frozenset(
    {
        "time.time", "time.time_ns", "time.monotonic", "time.perf_counter",
        "uuid.uuid1", "uuid.uuid4", "uuid1", "uuid4", "getenv", "urandom",
    }
)  # fmt: skip
IMPURE_CALL_ROOTS = frozenset({"os", "random", "secrets"})


@dataclass(frozen=True)
class Module:
    path: Path
    name: str  # dotted: tianmen_safety.domain.rules
    is_package: bool = False

    @cached_property
    def tree(self) -> ast.Module:
        return ast.parse(self.path.read_text(encoding="utf-8"), str(self.path))

    def imports(self) -> Iterator[str]:
        """Every module this one imports, relative imports resolved to absolute names."""
        package = self.name if self.is_package else self.name.rpartition(".")[0]
        for node in ast.walk(self.tree):
            if isinstance(node, ast.Import):
                yield from (alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                base = "." * node.level + (node.module or "")
                base = importlib.util.resolve_name(base, package) if node.level else base
                if node.module:
                    yield base
                else:  # `from .. import bootstrap` imports the module tianmen_x.bootstrap
                    yield from (f"{base}.{alias.name}" for alias in node.names)

    def calls(self) -> Iterator[str]:
        """The dotted name of everything called by name (`datetime.now`, `uuid4`, `os.getenv`)."""
        for node in ast.walk(self.tree):
            if isinstance(node, ast.Call) and (name := _dotted(node.func)):
                yield name


def modules_below(src: Path, package_dir: Path) -> list[Module]:
    """Every module of `package_dir`, named relative to the source root `src`."""
    found = []
    for path in sorted(package_dir.rglob("*.py")):
        parts = path.relative_to(src).with_suffix("").parts
        is_package = parts[-1] == "__init__"
        name = ".".join(parts[:-1] if is_package else parts)
        found.append(Module(path, name, is_package))
    return found


def impure_imports(domain: Iterable[Module], own_domain: str) -> list[str]:
    """Imports of a domain that are neither pure stdlib, `tianmen_events` nor its own domain."""
    return [
        f"{module.name} imports {name}"
        for module in domain
        for name in module.imports()
        if not _pure(name, own_domain)
    ]


def clock_or_randomness(domain: Iterable[Module]) -> list[str]:
    return [
        f"{module.name} calls {call}"
        for module in domain
        for call in module.calls()
        if _impure_call(call)
    ]


def foreign_imports(modules: Iterable[Module], forbidden: Iterable[str]) -> list[str]:
    """Imports of any package in `forbidden` (a root package name: `tianmen_devkit`)."""
    roots = frozenset(forbidden)
    return [
        f"{module.name} imports {name}"
        for module in modules
        for name in module.imports()
        if name.split(".")[0] in roots
    ]


def _pure(name: str, own_domain: str) -> bool:
    if _within(name, "tianmen_events") or _within(name, own_domain) or name == "__future__":
        return True
    root = name.split(".")[0]
    return root in sys.stdlib_module_names and not any(_within(name, m) for m in IMPURE_STDLIB)


def _impure_call(call: str) -> bool:
    parts = call.split(".")
    return (
        parts[-1] in CLOCK_ATTRS
        or call in IMPURE_CALLS
        or ".".join(parts[-2:]) in IMPURE_CALLS
        or parts[0] in IMPURE_CALL_ROOTS
    )


def _within(name: str, package: str) -> bool:
    return name == package or name.startswith(f"{package}.")


def _dotted(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        base = _dotted(node.value)
        return f"{base}.{node.attr}" if base else node.attr
    return None
