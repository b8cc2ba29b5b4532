"""Campaign checklists as versioned data: the major-hazard criteria for hoisting machinery of
the national standard for building and municipal works (《房屋市政工程生产安全重大事故隐患判定
标准（2022版）》, 建质规〔2022〕2号, article 9: 起重机械及吊装工程). A campaign names the version
it works to; a later edition is a new version, the old one kept for the campaigns that used it.
The items paraphrase the standard's article; check the wording against the published text.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ChecklistItem:
    code: str
    zh: str
    en: str


HOISTING_MAJOR_HAZARDS_2022 = (
    ChecklistItem(
        "9.1",
        "塔式起重机、施工升降机、物料提升机等起重机械设备未经验收合格即投入使用，或未按规定办理使用登记",
        "Put to use before passing acceptance, or not registered for use as required",
    ),
    ChecklistItem(
        "9.2",
        "塔式起重机独立起升高度、附着间距和最高附着以上的最大悬高及垂直度不符合规范要求",
        "Tower crane free-standing height, tie spacing, cantilever above the top tie or "
        "verticality outside the specification",
    ),
    ChecklistItem(
        "9.3",
        "施工升降机附着间距和最高附着以上的最大悬高及垂直度不符合规范要求",
        "Construction hoist tie spacing, cantilever above the top tie or verticality outside "
        "the specification",
    ),
    ChecklistItem(
        "9.4",
        "起重机械安装、拆卸、顶升加节以及附着前未对结构件、顶升机构和附着装置以及高强度螺栓、"
        "销轴、定位板等连接件及安全装置进行检查",
        "Structure, climbing gear, ties, high-strength bolts, pins and safety devices not "
        "checked before erecting, dismantling, climbing or tying",
    ),
    ChecklistItem(
        "9.5",
        "建筑起重机械的安全装置不齐全、失效或者被违规拆除、破坏",
        "Safety devices missing, failed, or removed or defeated",
    ),
    ChecklistItem(
        "9.6",
        "施工升降机防坠安全器超过定期检验有效期，标准节连接螺栓缺失或失效",
        "Hoist fall-arrest device past its periodic test, or mast-section bolts missing or failed",
    ),
    ChecklistItem(
        "9.7",
        "建筑起重机械的地基基础承载力和变形不满足设计要求",
        "Foundation bearing capacity or settlement not meeting the design",
    ),
)

CHECKLISTS: dict[str, tuple[ChecklistItem, ...]] = {
    "hoisting-major-hazards/2022": HOISTING_MAJOR_HAZARDS_2022,
}
CURRENT = "hoisting-major-hazards/2022"
