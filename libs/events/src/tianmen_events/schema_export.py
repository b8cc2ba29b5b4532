"""Export the JSON Schema of every event and check the checked-in copies.

``python -m tianmen_events.schema_export export`` writes ``libs/events/schemas/<type>/v<N>.json``;
``check`` fails when the export drifted, when a change is breaking without a new version, or
when an older checked-in version has no upcaster to the current one.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from tianmen_events.base import DomainEvent
from tianmen_events.catalog import classes, has_upcaster

SCHEMA_DIR = Path(__file__).resolve().parents[2] / "schemas"
Schema = dict[str, Any]


def schema_of(cls: type[DomainEvent]) -> Schema:
    schema = cls.model_json_schema()
    schema["$id"] = f"urn:tianmen:event:{cls.type}:v{cls.version}"
    schema["x-wire-type"] = cls.type
    schema["x-version"] = cls.version
    schema["x-topic"] = cls.topic
    schema["x-subject"] = cls.subject
    return schema


def path_of(cls: type[DomainEvent], root: Path = SCHEMA_DIR) -> Path:
    return root / cls.type / f"v{cls.version}.json"


def render(schema: Schema) -> str:
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


class BreakingChange(Exception):
    """A model changed in a way old payloads cannot follow, under an already exported version."""


def export(root: Path = SCHEMA_DIR) -> list[Path]:
    """Write every event's schema; refuse to overwrite a stored version with a breaking change."""
    written = []
    for cls in classes().values():
        path, schema = path_of(cls, root), schema_of(cls)
        if path.exists():
            breaking = breaking_changes(json.loads(path.read_text(encoding="utf-8")), schema)
            if breaking:
                raise BreakingChange(
                    f"{cls.type} v{cls.version}: {'; '.join(breaking)}: "
                    "bump the version and add an upcaster instead of rewriting this one"
                )
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(render(schema), encoding="utf-8")
        written.append(path)
    return written


def breaking_changes(old: Schema, new: Schema) -> list[str]:
    """What a reader of `old` payloads would trip over in `new`: removed or retyped fields,
    new required fields and removed enum values, at the top level and in every definition."""
    problems = _object_changes("", old, new)
    new_defs = new.get("$defs", {})
    for name, old_def in old.get("$defs", {}).items():
        if name not in new_defs:
            problems.append(f"definition {name!r} removed")
        else:
            problems += _object_changes(f"{name}.", old_def, new_defs[name])
    return problems


def _object_changes(prefix: str, old: Schema, new: Schema) -> list[str]:
    old_props, new_props = old.get("properties", {}), new.get("properties", {})
    problems = [f"field {prefix + name!r} removed" for name in old_props if name not in new_props]
    problems += [
        f"field {prefix + name!r} changed type"
        for name in old_props
        if name in new_props and _shape(old_props[name]) != _shape(new_props[name])
    ]
    added_required = set(new.get("required", [])) - set(old.get("required", []))
    problems += [f"new required field {prefix + name!r}" for name in sorted(added_required)]
    problems += _lost_values(prefix.rstrip("."), old, new)
    for name in sorted(old_props.keys() & new_props.keys()):
        problems += _lost_values(prefix + name, old_props[name], new_props[name])
    return problems


def _lost_values(where: str, old: Schema, new: Schema) -> list[str]:
    """Enum values a reader of `old` payloads may meet that `new` refuses; none if `new` has
    no enum (the field takes any value of its type)."""
    if "enum" not in new:
        return []
    return [
        f"{where!r} lost value {value!r}"
        for value in old.get("enum", [])
        if value not in new["enum"]
    ]


def _shape(prop: Schema) -> Any:
    return {k: v for k, v in prop.items() if k in ("type", "anyOf", "$ref", "items", "format")}


def check(root: Path = SCHEMA_DIR) -> list[str]:
    problems: list[str] = []
    for cls in classes().values():
        problems += _check_one(cls, root)
    return problems


def _check_one(cls: type[DomainEvent], root: Path) -> list[str]:
    current, path = schema_of(cls), path_of(cls, root)
    problems: list[str] = []
    if not path.exists():
        problems.append(f"{cls.type} v{cls.version}: schema not exported ({path.name} missing)")
    else:
        stored = json.loads(path.read_text(encoding="utf-8"))
        if stored != current:
            breaking = breaking_changes(stored, current)
            hint = f"breaking ({'; '.join(breaking)}): bump the version and add an upcaster"
            problems.append(
                f"{cls.type} v{cls.version}: " + (hint if breaking else "export drifted: re-export")
            )
    for older in sorted((root / cls.type).glob("v*.json")):
        version = int(older.stem[1:])
        if version < cls.version and not has_upcaster(cls.type, version):
            problems.append(
                f"{cls.type}: v{version} is stored but has no upcaster to v{version + 1}"
            )
    return problems


def main(argv: list[str]) -> int:
    if argv[:1] == ["export"]:
        try:
            paths = export()
        except BreakingChange as exc:
            print(exc, file=sys.stderr)
            return 1
        for path in paths:
            print(path)
        return 0
    problems = check()
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
