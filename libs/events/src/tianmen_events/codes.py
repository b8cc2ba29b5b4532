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
    # Found by verifying a citizen's tip (tianmen_events.reports.TIP_VIOLATIONS):
    UNLICENSED_OPERATOR = "unlicensed_operator"
    UNSAFE_HOISTING_MACHINERY = "unsafe_hoisting_machinery"
    CONSTRUCTION_DUST = "construction_dust"
    UNSAFE_OPERATION = "unsafe_operation"

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
    ViolationCode.UNLICENSED_OPERATOR: ViolationInfo(
        legal_basis="《建设工程安全生产管理条例》第二十五条（特种作业人员须取得特种作业操作资格证书后方可上岗）",
        zh="无证操作工程机械",
        en="machinery operated without the operator's certificate",
        severity=Severity.SERIOUS,
    ),
    ViolationCode.UNSAFE_HOISTING_MACHINERY: ViolationInfo(
        legal_basis="《建设工程安全生产管理条例》第三十五条（施工起重机械使用前须组织验收）",
        zh="起重机械存在安全隐患",
        en="hoisting machinery in unsafe condition",
        severity=Severity.GRAVE,
    ),
    ViolationCode.CONSTRUCTION_DUST: ViolationInfo(
        legal_basis="《中华人民共和国大气污染防治法》第六十九条（施工单位应当采取扬尘污染防治措施）",
        zh="施工扬尘未防治",
        en="construction dust not controlled",
        severity=Severity.MINOR,
    ),
    ViolationCode.UNSAFE_OPERATION: ViolationInfo(
        legal_basis="《中华人民共和国安全生产法》第四十一条（生产经营单位应当排查治理事故隐患）",
        zh="违规作业或事故隐患（群众举报核实）",
        en="unsafe operation or hazard (verified citizen tip)",
        severity=Severity.SERIOUS,
    ),
}


def wire_enum(codes: type[StrEnum], description: str) -> WithJsonSchema:
    """The JSON Schema of a code field: a string with its legal values, inline (no `$ref`),
    so a field that was a plain string keeps its shape and stays compatible."""
    values = [code.value for code in codes]
    return WithJsonSchema({"type": "string", "enum": values, "description": description})
