"""`make k8s-validate`: build every overlay with kustomize and check what it would apply.

Every object against the Kubernetes schemas (kubernetes-validate, strict), custom resources
against their operators' own schemas fetched from npm (`crds`);
the KafkaTopics against `tianmen_events.topics`; every container command run with ``--help``
in this environment; every Deployment against `policies`.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import kubernetes_validate
import yaml

from tianmen_devkit.k8s import crds, kafka, policies
from tianmen_devkit.k8s.suite import load_all

Obj = dict[str, Any]
KUBERNETES_VERSION = "1.33.0"


def kustomize() -> list[str]:
    for candidate in (Path(".tools/bin/kustomize"), shutil.which("kustomize")):
        if candidate and Path(candidate).exists():
            return [str(candidate), "build"]
    return ["kubectl", "kustomize"]  # kubectl's built-in kustomize, if that is all there is


def build(overlay: Path) -> list[Obj]:
    built = subprocess.run([*kustomize(), str(overlay)], capture_output=True, text=True, check=True)
    return [o for o in yaml.safe_load_all(built.stdout) if o]


def _name(o: Obj) -> str:
    return f"{o['kind']} {o['metadata']['name']}"


def schema_problems(objects: list[Obj]) -> Iterator[str]:
    for o in objects:
        if crds.is_custom(o):
            continue
        try:
            kubernetes_validate.validate(o, KUBERNETES_VERSION, strict=True)
        except kubernetes_validate.ValidationError as error:
            yield f"{_name(o)}: {error.message}"
        except kubernetes_validate.SchemaNotFoundError:
            yield f"{_name(o)}: no schema for {o['apiVersion']} {o['kind']}"
    yield from crds.problems(objects)


def topic_problems(objects: list[Obj]) -> Iterator[str]:
    consumers = [spec.name for spec in load_all() if "worker" in spec.roles]
    expected = {t.name: t.partitions for t in kafka.all_topics(consumers)}
    declared = {
        o["spec"]["topicName"]: o["spec"]["partitions"]
        for o in objects
        if o["kind"] == "KafkaTopic"
    }
    if declared != expected:
        missing, extra = sorted(expected.keys() - declared), sorted(declared.keys() - expected)
        yield f"KafkaTopics differ from tianmen_events.topics: missing {missing}, extra {extra}, declared {declared}"


def commands(objects: list[Obj]) -> set[tuple[str, ...]]:
    found: set[tuple[str, ...]] = set()
    for o in objects:
        spec = o.get("spec", {})
        pod = spec.get("template", spec.get("jobTemplate", {}).get("spec", {}).get("template", {}))
        for c in [
            *pod.get("spec", {}).get("containers", []),
            *pod.get("spec", {}).get("initContainers", []),
        ]:
            found.add(tuple(c["command"][:4]))  # python -m <package> <subcommand>
    return found


def command_problems(found: set[tuple[str, ...]]) -> Iterator[str]:
    """Each ``python -m <module> <subcommand>`` run with ``--help``: one process per module."""
    by_module: dict[str, list[str]] = {}
    for command in sorted(found):
        if command[:2] != ("python", "-m"):
            yield f"command {' '.join(command)} is not python -m <module> <subcommand>"
            continue
        by_module.setdefault(command[2], []).append(command[3])

    def run(module: str) -> str | None:
        argv = [sys.executable, "-m", "tianmen_devkit.k8s.help_check", module, *by_module[module]]
        done = subprocess.run(argv, capture_output=True, text=True, check=False, timeout=300)
        return None if done.returncode == 0 else f"{module}: {done.stderr[-600:]}"

    with ThreadPoolExecutor(max_workers=2) as pool:
        yield from (p for p in pool.map(run, sorted(by_module)) if p)


def overlay_problems(objects: list[Obj]) -> Iterator[str]:
    yield from schema_problems(objects)
    yield from topic_problems(objects)
    yield from policies.problems(objects)


def main(overlays: list[Path]) -> int:
    failures, found = 0, set()
    for overlay in overlays:
        objects = build(overlay)
        for problem in overlay_problems(objects):
            failures += 1
            print(f"{overlay}: {problem}")
        found |= commands(objects)
    for problem in command_problems(found):
        failures += 1
        print(problem)
    print(
        f"k8s-validate: {len(overlays)} overlays, {len(found)} container commands, {failures} problems"
    )
    return 1 if failures else 0
