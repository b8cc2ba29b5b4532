"""Custom resources checked against their operators' own schemas, fetched from npm.

Strimzi (Kafka, KafkaNodePool, KafkaTopic), CloudNativePG (Cluster, ScheduledBackup) and the
Prometheus Operator (PodMonitor, ServiceMonitor, PrometheusRule) are checked with the
`@kubernetes-models/*` packages, generated from each operator's released CRDs / API types and
pinned in `libs/devkit/crds/package-lock.json`. `npm ci` fetches them into `.cache/crds` once
(as Maven fetches the Kafka jars); `check.mjs` runs their schema validators and TypeScript's
excess-property check, which refuses an undeclared field as `kubectl apply` does.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from tianmen_devkit.paths import repo_root

GROUPS = frozenset({"kafka.strimzi.io", "postgresql.cnpg.io", "monitoring.coreos.com"})
_SOURCE = Path(__file__).resolve().parents[3] / "crds"
_FILES = ("package.json", "package-lock.json", "check.mjs")
_TIMEOUT_S = 600


class CrdSetupError(RuntimeError):
    """Node/npm missing, or the schema packages could not be fetched."""


def is_custom(o: dict[str, Any]) -> bool:
    return str(o.get("apiVersion", "")).split("/")[0] in GROUPS


def cache_dir() -> Path:
    return repo_root() / ".cache" / "crds"


def _source() -> Path:
    return _SOURCE if (_SOURCE / "check.mjs").is_file() else repo_root() / "libs/devkit/crds"


def _fingerprint() -> str:
    return "".join((_source() / name).read_text(encoding="utf-8") for name in _FILES)


def ensure() -> Path:
    """`npm ci` the pinned packages into `.cache/crds` unless already there; return it."""
    target, marker = cache_dir(), cache_dir() / ".fetched"
    if marker.is_file() and marker.read_text(encoding="utf-8") == _fingerprint():
        return target
    npm = shutil.which("npm")
    if npm is None or shutil.which("node") is None:
        raise CrdSetupError("node and npm are needed to fetch the CRD schemas: `make node`")
    target.mkdir(parents=True, exist_ok=True)
    for name in _FILES:
        shutil.copyfile(_source() / name, target / name)
    argv = [npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"]
    done = subprocess.run(argv, cwd=target, capture_output=True, text=True, timeout=_TIMEOUT_S)
    if done.returncode != 0:
        raise CrdSetupError(f"npm ci in {target} failed:\n{done.stderr[-2000:]}")
    marker.write_text(_fingerprint(), encoding="utf-8")
    return target


def problems(objects: list[dict[str, Any]]) -> Iterator[str]:
    """One line per problem, `<Kind> <name>: <what>`, for the custom resources given."""
    custom = [o for o in objects if is_custom(o)]
    if not custom:
        return
    where = ensure()
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        json.dump(custom, handle)
    try:
        argv = ["node", str(where / "check.mjs"), handle.name]
        done = subprocess.run(argv, capture_output=True, text=True, timeout=_TIMEOUT_S)
    finally:
        os.unlink(handle.name)
    if done.returncode != 0:
        raise CrdSetupError(f"check.mjs failed:\n{done.stderr[-2000:]}")
    for found in json.loads(done.stdout):
        index, message = found["index"], found["message"]
        owner = custom[index] if index >= 0 else None
        yield f"{owner['kind']} {owner['metadata']['name']}: {message}" if owner else message
