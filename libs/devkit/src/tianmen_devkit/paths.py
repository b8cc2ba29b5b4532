"""Where the repository and the Kafka jar cache live."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

CACHE_ENV = "TIANMEN_KAFKA_CACHE"
_KAFKA_DIR = Path(__file__).resolve().parents[2] / "kafka"


class RepoRootNotFoundError(RuntimeError):
    """No enclosing repository was found."""


def _is_workspace_root(path: Path) -> bool:
    pyproject = path / "pyproject.toml"
    if not pyproject.is_file():
        return False
    try:
        data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError):
        return False
    return "workspace" in data.get("tool", {}).get("uv", {})


def _find_root(start: Path) -> Path | None:
    for candidate in (start, *start.parents):
        if _is_workspace_root(candidate) or (candidate / ".git").exists():
            return candidate
    return None


def repo_root(start: Path | None = None) -> Path:
    """The repo root: first dir upwards with a uv-workspace pyproject or a `.git`.

    Searches from `start` if given, else from this package's location, then the cwd.
    """
    starts = [start] if start is not None else [Path(__file__).resolve().parent, Path.cwd()]
    for origin in starts:
        found = _find_root(origin.resolve())
        if found is not None:
            return found
    raise RepoRootNotFoundError(f"no repository root above {starts}; set {CACHE_ENV}")


def kafka_cache_root() -> Path:
    """Root of the jar cache: `$TIANMEN_KAFKA_CACHE` or `<repo>/.cache/kafka`."""
    override = os.environ.get(CACHE_ENV)
    if override:
        return Path(override).expanduser().resolve()
    return repo_root() / ".cache" / "kafka"


def kafka_resource_dir() -> Path:
    """`libs/devkit/kafka`: the pom and log4j2 configs."""
    if (_KAFKA_DIR / "pom.xml").is_file():
        return _KAFKA_DIR
    return repo_root() / "libs" / "devkit" / "kafka"
