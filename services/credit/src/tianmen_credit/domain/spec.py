"""The credit model as versioned data: what each kind of fact does to the score, for how long.

A model is a JSON document (`ModelSpec.from_json`), so a candidate version can be tried on
history (what-if) and shipped inside an audit bundle; every effect it causes names its version.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from tianmen_events.errors import DomainError


@dataclass(frozen=True)
class Rule:
    """One kind of fact's effect on the score and how many days it stays in force."""

    effect: int
    valid_days: int


@dataclass(frozen=True)
class ModelSpec:
    version: str
    base_score: int
    bands: tuple[tuple[str, int], ...]  # (grade, minimum score), highest first
    restricted_grades: tuple[str, ...]  # procurement is restricted at these grades
    per_violation_point: Mapping[str, int]  # by violation code, times the violation's points
    valid_days_by_severity: Mapping[str, int]  # how long a violation counts: minor/serious/grave
    rules: Mapping[str, Rule]  # by fact kind: deductions (< 0) and additions (> 0)
    repair_restores_percent: int = 50  # of a deduction, once its repair is approved
    floor: int = 0
    ceiling: int = 120
    labels: Mapping[str, tuple[str, str]] = field(default_factory=dict)  # kind -> (zh, en)

    def grade(self, score: int) -> str:
        return next((g for g, low in self.bands if score >= low), self.bands[-1][0])

    def restricted(self, grade: str) -> bool:
        return grade in self.restricted_grades

    def clamp(self, score: int) -> int:
        return max(self.floor, min(self.ceiling, score))

    def rule(self, kind: str) -> Rule | None:
        return self.rules.get(kind)

    def __post_init__(self) -> None:
        # Not a field (not in `to_dict`, equality or the JSON): a violation's rule, built once
        # per (code, points, severity) instead of twice a violation counted.
        object.__setattr__(self, "_violation_rules", {})

    def violation_rule(self, code: str, points: int, severity: str) -> Rule:
        known: dict[tuple[str, int, str], Rule] = self._violation_rules  # type: ignore[attr-defined]
        rule = known.get((code, points, severity))
        if rule is None:
            rule = known[code, points, severity] = self._violation_rule(code, points, severity)
        return rule

    def _violation_rule(self, code: str, points: int, severity: str) -> Rule:
        try:
            per_point = self.per_violation_point[code]
            days = self.valid_days_by_severity[severity]
        except KeyError as missing:
            raise DomainError(
                f"violation {code!r} ({severity}) has no credit effect in {self.version}: "
                f"{missing} is not in the model",
                field="code",
            ) from None
        return Rule(per_point * points, days)

    def label(self, kind: str) -> tuple[str, str]:
        return self.labels.get(kind, (kind, kind))

    def to_dict(self) -> dict[str, Any]:
        body = asdict(self)
        body["bands"] = [list(b) for b in self.bands]
        body["restricted_grades"] = list(self.restricted_grades)
        body["per_violation_point"] = dict(self.per_violation_point)
        body["valid_days_by_severity"] = dict(self.valid_days_by_severity)
        body["rules"] = {k: asdict(v) for k, v in self.rules.items()}
        body["labels"] = {k: list(v) for k, v in self.labels.items()}
        return body

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, sort_keys=True, separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str) -> ModelSpec:
        try:
            body = json.loads(text)
        except ValueError as exc:
            raise DomainError(f"not a credit model: {exc}", field="model") from None
        return cls.from_dict(body)

    @classmethod
    def from_dict(cls, body: Any) -> ModelSpec:
        try:
            return cls._from_dict(body)
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise DomainError(
                f"not a credit model: {type(exc).__name__} {exc}", field="model"
            ) from None

    @classmethod
    def _from_dict(cls, body: dict[str, Any]) -> ModelSpec:
        bands = tuple((str(g), int(low)) for g, low in body["bands"])
        if not bands or [low for _, low in bands] != sorted(
            (low for _, low in bands), reverse=True
        ):
            raise DomainError("bands must be ordered highest first", field="bands")
        return cls(
            version=str(body["version"]),
            base_score=int(body["base_score"]),
            bands=bands,
            restricted_grades=tuple(body["restricted_grades"]),
            per_violation_point={str(k): int(v) for k, v in body["per_violation_point"].items()},
            valid_days_by_severity={
                str(k): int(v) for k, v in body["valid_days_by_severity"].items()
            },
            rules={
                k: Rule(int(v["effect"]), int(v["valid_days"])) for k, v in body["rules"].items()
            },
            repair_restores_percent=int(body.get("repair_restores_percent", 50)),
            floor=int(body.get("floor", 0)),
            ceiling=int(body.get("ceiling", 120)),
            labels={k: (str(v[0]), str(v[1])) for k, v in body.get("labels", {}).items()},
        )
