import json
import shutil
from pathlib import Path

import pytest
from tianmen_events.catalog import classes
from tianmen_events.credit import CreditScoreChanged
from tianmen_events.registry import EnterpriseRegistered, MachineRegistered
from tianmen_events.schema_export import (
    SCHEMA_DIR,
    BreakingChange,
    breaking_changes,
    check,
    export,
    render,
    schema_of,
)
from tianmen_events.telemetry import AlertRaised


def test_checked_in_schemas_match_the_models() -> None:
    assert check() == []


def test_wire_types_name_their_producer_and_topic() -> None:
    for wire_type, cls in classes().items():
        _, service, name = wire_type.split(".")
        assert name == name.lower() and " " not in name
        assert cls.topic.startswith(f"{service}.")


def _copy(tmp_path: Path) -> Path:
    root = tmp_path / "schemas"
    shutil.copytree(SCHEMA_DIR, root)
    return root


def test_removed_field_without_new_version_is_reported_as_breaking(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    path = root / EnterpriseRegistered.type / f"v{EnterpriseRegistered.version}.json"
    stored = json.loads(path.read_text())
    stored["properties"]["legacy_code"] = {"type": "string", "title": "Legacy Code"}
    path.write_text(render(stored))
    problems = check(root)
    assert any("breaking" in p and "legacy_code" in p for p in problems), problems


def test_additive_optional_field_is_drift_not_breaking() -> None:
    old = schema_of(EnterpriseRegistered)
    new = json.loads(json.dumps(old))
    new["properties"]["phone"] = {"anyOf": [{"type": "string"}, {"type": "null"}]}
    assert breaking_changes(old, new) == []
    new["required"] = [*new["required"], "phone"]
    assert breaking_changes(old, new) == ["new required field 'phone'"]


def test_old_version_without_upcaster_is_reported(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    stale = root / "tianmen.safety.points_deducted" / "v0.json"
    stale.write_text("{}")
    assert any("v0 is stored but has no upcaster" in p for p in check(root))


def test_breaking_change_inside_a_nested_definition_is_reported() -> None:
    old = schema_of(CreditScoreChanged)
    new = json.loads(json.dumps(old))
    del new["$defs"]["CreditReason"]["properties"]["delta"]
    assert "field 'CreditReason.delta' removed" in breaking_changes(old, new)


def test_removed_enum_value_is_breaking() -> None:
    old = schema_of(MachineRegistered)
    new = json.loads(json.dumps(old))
    new["$defs"]["MachineKind"]["enum"].remove("tower_crane")
    assert "'MachineKind' lost value 'tower_crane'" in breaking_changes(old, new)


def test_removed_value_of_an_inline_code_field_is_breaking() -> None:
    old = schema_of(AlertRaised)
    new = json.loads(json.dumps(old))
    new["properties"]["rule"]["enum"].remove("night_work")
    assert "'rule' lost value 'night_work'" in breaking_changes(old, new)


def test_a_code_field_that_accepts_any_string_again_is_compatible() -> None:
    old = schema_of(AlertRaised)
    new = json.loads(json.dumps(old))
    del new["properties"]["rule"]["enum"]
    assert breaking_changes(old, new) == []


def test_export_refuses_to_rewrite_a_version_with_a_breaking_change(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    path = root / EnterpriseRegistered.type / f"v{EnterpriseRegistered.version}.json"
    stored = json.loads(path.read_text())
    stored["properties"]["legacy_code"] = {"type": "string"}
    path.write_text(render(stored))
    with pytest.raises(BreakingChange, match="legacy_code"):
        export(root)
    assert "legacy_code" in path.read_text()
