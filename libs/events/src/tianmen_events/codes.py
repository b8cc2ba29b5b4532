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
    CONTINUOUS_WORK = "continuous_work"
    TERMINAL_SILENT_AND_MOVED = "terminal_silent_and_moved"
    TAMPER_ALARM = "tamper_alarm"
    IMPLAUSIBLE_MOVEMENT = "implausible_movement"
    FUEL_DROP_WHILE_PARKED = "fuel_drop_while_parked"
    WORK_IN_RESTRICTED_ZONE = "work_in_restricted_zone"
    STOPPED_MACHINE_WORKING = "stopped_machine_working"
    WORK_OUTSIDE_SITE = "work_outside_site"
    SUSPECTED_ILLEGAL_MODIFICATION = "suspected_illegal_modification"
    FUEL_USE_ANOMALY = "fuel_use_anomaly"


class Severity(StrEnum):
    MINOR = "minor"
    SERIOUS = "serious"
    GRAVE = "grave"


class ViolationCode(StrEnum):
    """What safety records a violation as (`ViolationRecorded.code`)."""

    NIGHT_WORK_WITHOUT_PERMIT = "night_work_without_permit"
    CONTINUOUS_WORK_BEYOND_LIMIT = "continuous_work_beyond_limit"
    SUSPECTED_TERMINAL_TAMPERING = "suspected_terminal_tampering"
    IMPLAUSIBLE_POSITION_DATA = "implausible_position_data"
    FUEL_LEVEL_ANOMALY = "fuel_level_anomaly"
    WORK_IN_RESTRICTED_ZONE = "work_in_restricted_zone"
    STOPPED_MACHINE_WORKING = "stopped_machine_working"
    WORK_OUTSIDE_SITE = "work_outside_site"
    SUSPECTED_ILLEGAL_MODIFICATION = "suspected_illegal_modification"
    # Found by verifying a citizen's tip (tianmen_events.reports.TIP_VIOLATIONS):
    UNLICENSED_OPERATOR = "unlicensed_operator"
    UNSAFE_HOISTING_MACHINERY = "unsafe_hoisting_machinery"
    CONSTRUCTION_DUST = "construction_dust"
    UNSAFE_OPERATION = "unsafe_operation"
    # Found at an inspection (a hazard filed naming the inspection):
    MAJOR_HAZARD_FOUND_AT_INSPECTION = "major_hazard_found_at_inspection"
    HAZARD_FOUND_AT_INSPECTION = "hazard_found_at_inspection"

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
    # A data-quality finding about a terminal's data, not an enterprise's conduct: safety makes
    # no violation of it, whatever its points table says.
    data_quality: bool = False

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
    ViolationCode.CONTINUOUS_WORK_BEYOND_LIMIT: ViolationInfo(
        legal_basis=(
            "《建筑机械使用安全技术规程》（JGJ 33-2012）总则（机械操作人员不得疲劳作业）；"
            "《中华人民共和国安全生产法》（生产经营单位应保障从业人员安全作业）"
        ),
        zh="连续作业超时",
        en="continuous work beyond the permitted limit",
        severity=Severity.MINOR,
    ),
    ViolationCode.SUSPECTED_TERMINAL_TAMPERING: ViolationInfo(
        legal_basis=(
            "《中华人民共和国大气污染防治法》（非道路移动机械监督管理）；"
            "本市工程机械管理规定（监控终端应保持正常在线，不得擅自拆除、断电或屏蔽）"
        ),
        zh="疑似破坏监控终端",
        en="suspected tampering with the monitoring terminal",
        severity=Severity.GRAVE,
    ),
    ViolationCode.IMPLAUSIBLE_POSITION_DATA: ViolationInfo(
        legal_basis=(
            "《道路运输车辆卫星定位系统 车载终端技术要求》（JT/T 794）定位数据有效性；"
            "数据质量问题，不计违规"
        ),
        zh="定位数据异常",
        en="implausible position data (data quality, not a violation)",
        severity=Severity.MINOR,
        data_quality=True,
    ),
    ViolationCode.WORK_IN_RESTRICTED_ZONE: ViolationInfo(
        legal_basis=(
            "《中华人民共和国水污染防治法》（饮用水水源保护区内禁止从事可能污染水源的活动）；"
            "《中华人民共和国噪声污染防治法》（噪声敏感建筑物集中区域施工管理）"
        ),
        zh="限制区域内作业",
        en="working inside a restricted zone (school, water source)",
        severity=Severity.GRAVE,
    ),
    ViolationCode.STOPPED_MACHINE_WORKING: ViolationInfo(
        legal_basis=(
            "《中华人民共和国特种设备安全法》（禁止使用未经检验、检验不合格或已报废的设备）；"
            "《建设工程安全生产管理条例》（施工起重机械应当经检验合格后方可使用）"
        ),
        zh="停用或注销机械作业",
        en="a suspended (stop-use) or deregistered machine working",
        severity=Severity.GRAVE,
    ),
    ViolationCode.WORK_OUTSIDE_SITE: ViolationInfo(
        legal_basis=(
            "《中华人民共和国大气污染防治法》（非道路移动机械使用登记管理，机械在登记的施工现场作业）；工程机械作业场所登记（以登记的 GeoJSON 边界为准）"
        ),
        zh="登记工地范围外作业",
        en="working outside the enterprise's registered work sites",
        severity=Severity.SERIOUS,
    ),
    ViolationCode.FUEL_LEVEL_ANOMALY: ViolationInfo(
        legal_basis=(
            "《道路运输车辆卫星定位系统 车载终端技术要求》（JT/T 794）附加信息（油量）；"
            "疑似盗油或油量传感器异常，提示车主核查，不计违规"
        ),
        zh="停机油量异常下降",
        en="fuel level dropped while parked (theft or sensor fault; not a violation)",
        severity=Severity.MINOR,
        data_quality=True,
    ),
    ViolationCode.SUSPECTED_ILLEGAL_MODIFICATION: ViolationInfo(
        legal_basis=(
            "《中华人民共和国大气污染防治法》（非道路移动机械不得擅自改装、更换发动机或污染控制装置）；"
            "非道路移动机械使用登记（发动机编号以登记为准）"
        ),
        zh="疑似非法改装（发动机与登记不符）",
        en="suspected illegal modification (engine differs from the register)",
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
    ViolationCode.MAJOR_HAZARD_FOUND_AT_INSPECTION: ViolationInfo(
        legal_basis=(
            "《中华人民共和国安全生产法》第一百零二条（未采取措施消除事故隐患）；"
            "《房屋市政工程生产安全重大事故隐患判定标准（2022版）》（建质规〔2022〕2号）"
            "第九条（起重机械及吊装工程）"
        ),
        zh="检查发现重大事故隐患（停用整改）",
        en="major hazard found at an inspection (machine stopped)",
        severity=Severity.GRAVE,
    ),
    ViolationCode.HAZARD_FOUND_AT_INSPECTION: ViolationInfo(
        legal_basis=("《中华人民共和国安全生产法》第四十一条（生产经营单位应当排查治理事故隐患）"),
        zh="检查发现一般事故隐患（限期整改）",
        en="hazard found at an inspection (ordered rectified)",
        severity=Severity.MINOR,
    ),
}


def wire_enum(codes: type[StrEnum], description: str) -> WithJsonSchema:
    """The JSON Schema of a code field: a string with its legal values, inline (no `$ref`),
    so a field that was a plain string keeps its shape and stays compatible."""
    values = [code.value for code in codes]
    return WithJsonSchema({"type": "string", "enum": values, "description": description})
