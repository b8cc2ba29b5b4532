"""Every alert telemetry can raise is a violation in safety, and every violation moves credit.

An alert rule without a safety-points entry would be dead-lettered by safety; a violation code
without a credit effect by credit. The codes are contracts (`tianmen_events.codes`), so adding
one to the enum without the entries downstream fails here, before any alert is lost.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import replace

import pytest
from tianmen_credit.adapters.models import current_model
from tianmen_credit.domain.spec import ModelSpec
from tianmen_events.codes import VIOLATIONS, AlertRule, ViolationCode
from tianmen_events.errors import DomainError
from tianmen_safety.domain.rules import RULES, PointsRules, ViolationRule
from tianmen_telemetry.domain.rules import RULES as TELEMETRY_RULES

MODEL = current_model()


def uncovered(
    alert_rules: Iterable[str],
    points: PointsRules,
    model: ModelSpec,
    violation_codes: Iterable[str] = ViolationCode,
    with_legal_basis: Collection[str] = frozenset(VIOLATIONS),
) -> list[str]:
    """What a code would fall through: each gap in words, or [] when the chain is covered."""
    codes = list(violation_codes)
    gaps = [
        f"alert rule {str(rule)!r} has no violation in {points.version}"
        for rule in alert_rules
        if rule not in points.violations
    ]
    gaps += [
        f"violation code {str(code)!r} has no credit effect in {model.version}"
        for code in codes
        if code not in model.per_violation_point
    ]
    gaps += [
        f"violation code {str(code)!r} has no legal basis"
        for code in codes
        if code not in with_legal_basis
    ]
    return gaps


def test_every_alert_rule_is_a_violation_and_every_violation_moves_credit() -> None:
    assert uncovered(AlertRule, RULES, MODEL) == []


def test_telemetry_raises_only_rules_of_the_contract() -> None:
    raised = {rule.name for rule in TELEMETRY_RULES}
    assert raised and raised <= set(AlertRule)


def test_safety_counts_alerts_only_as_violation_codes_with_a_legal_basis() -> None:
    for violation in RULES.violations.values():
        assert violation.code in VIOLATIONS
        assert violation.code.about.legal_basis.startswith("《")


def test_a_new_alert_rule_without_a_points_entry_is_reported() -> None:
    assert uncovered([*AlertRule, "overlong_work"], RULES, MODEL) == [
        f"alert rule 'overlong_work' has no violation in {RULES.version}"
    ]


def test_a_new_violation_code_without_a_credit_effect_is_reported() -> None:
    extended = [*ViolationCode, "unsafe_hoisting"]
    about = {*VIOLATIONS, "unsafe_hoisting"}
    assert uncovered(AlertRule, RULES, MODEL, extended, about) == [
        f"violation code 'unsafe_hoisting' has no credit effect in {MODEL.version}"
    ]


def test_a_points_table_missing_a_rule_is_reported() -> None:
    table = PointsRules("safety-points/test", 100, 60, 0, violations={})
    assert uncovered(AlertRule, table, MODEL) == [
        f"alert rule '{rule}' has no violation in safety-points/test" for rule in AlertRule
    ]


def test_data_quality_codes_cost_neither_points_nor_credit() -> None:
    quality = [code for code in ViolationCode if code.about.data_quality]
    assert quality, "implausible movement is a data-quality finding"
    for rule, violation in RULES.violations.items():
        if violation.code in quality:
            assert violation.points == 0, rule
    assert all(MODEL.per_violation_point[code] == 0 for code in quality)


def test_a_violation_rule_points_at_its_code() -> None:
    rule = RULES.violation_for(AlertRule.NIGHT_WORK)
    assert rule == ViolationRule(ViolationCode.NIGHT_WORK_WITHOUT_PERMIT, points=5)
    assert rule.description == "夜间违规作业 / night work outside permitted hours"


def test_a_model_without_a_codes_weight_refuses_it_naming_the_field() -> None:
    unweighted = replace(MODEL, per_violation_point={})
    code = ViolationCode.NIGHT_WORK_WITHOUT_PERMIT
    with pytest.raises(
        DomainError, match=r"'night_work_without_permit'.* has no credit effect"
    ) as no:
        unweighted.violation_rule(code, 5, str(code.about.severity))
    assert no.value.field == "code"


def test_every_violation_severity_has_a_validity_in_the_model() -> None:
    severities = {str(code.about.severity) for code in ViolationCode}
    assert severities <= MODEL.valid_days_by_severity.keys()
