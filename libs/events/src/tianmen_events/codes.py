"""Alert rule and violation codes: the words telemetry, safety and credit must agree on.

Telemetry raises alerts under an `AlertRule`; safety counts each as a `ViolationCode` with
points; credit scores each violation code. The values are wire values: never rename one (add a
new member instead), or stored events stop decoding.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from pydantic import WithJsonSchema


class AlertRule(StrEnum):
    """A rule telemetry can raise an alert under (`AlertRaised.rule`)."""

    NIGHT_WORK = "night_work"


class Severity(StrEnum):
    MINOR = "minor"
    SERIOUS = "serious"
    GRAVE = "grave"


class ViolationCode(StrEnum):
    """What safety records a violation as (`ViolationRecorded.code`)."""

    NIGHT_WORK_WITHOUT_PERMIT = "night_work_without_permit"

    @property
    def about(self) -> ViolationInfo:
        return VIOLATIONS[self]


@dataclass(frozen=True)
class ViolationInfo:
    """Why a violation code is one: the regulation it rests on, in words an enterprise reads."""

    legal_basis: str
    zh: str
    en: str
    severity: Severity

    @property
    def description(self) -> str:
        return f"{self.zh} / {self.en}"


VIOLATIONS: dict[ViolationCode, ViolationInfo] = {
    ViolationCode.NIGHT_WORK_WITHOUT_PERMIT: ViolationInfo(
        legal_basis=(
            "《中华人民共和国噪声污染防治法》第四十三条（噪声敏感建筑物集中区域禁止夜间施工作业，"
            "连续施工须取得证明并公告）、第八十八条（夜间指22:00至次日6:00）"
        ),
        zh="夜间违规作业",
        en="night work outside permitted hours",
        severity=Severity.SERIOUS,
    ),
}


def wire_enum(codes: type[StrEnum], description: str) -> WithJsonSchema:
    """The JSON Schema of a code field: a string with its legal values, inline (no `$ref`),
    so a field that was a plain string keeps its shape and stays compatible."""
    values = [code.value for code in codes]
    return WithJsonSchema({"type": "string", "enum": values, "description": description})
