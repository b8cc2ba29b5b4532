"""Unified Social Credit Code (统一社会信用代码), GB 32100-2015.

Eighteen characters from `CHARSET` (digits and capitals without I, O, Z, S, V):

====== =====================================================================
1      registration-authority code (登记管理部门代码)
2      entity-type code within that authority (机构类别代码)
3-8    administrative division code of the registering authority (GB/T 2260), digits
9-17   organization code (主体标识码, GB 11714-1997): 8 characters and, at 17, its check character
18     check character over characters 1-17 (ISO 7064 MOD 31-3)
====== =====================================================================
"""

from __future__ import annotations

from collections.abc import Mapping

from tianmen_events.errors import DomainError

LENGTH = 18
CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = tuple(pow(3, i, 31) for i in range(17))
ORGANIZATION_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
DIVISION = slice(2, 8)
ORGANIZATION_BODY = slice(8, 16)

# Registration authority -> its entity types, as assigned under GB 32100-2015.
ENTITY_TYPES: Mapping[str, str] = {
    "1": "1239",  # 机构编制: 机关, 事业单位, 中央编办直管群众团体, 其他
    "2": "19",  # 外交: 外国常驻新闻机构, 其他
    "3": "123459",  # 司法行政: 律所, 公证处, 基层法律服务所, 司法鉴定机构, 仲裁委员会, 其他
    "4": "19",  # 文化: 外国在华文化中心, 其他
    "5": "1239",  # 民政: 社会团体, 民办非企业单位, 基金会, 其他
    "6": "129",  # 旅游: 外国及港澳台旅游部门常驻代表机构, 其他
    "7": "129",  # 宗教: 宗教活动场所, 宗教院校, 其他
    "8": "19",  # 工会: 基层工会, 其他
    "9": "1239",  # 工商 (市场监管): 企业, 个体工商户, 农民专业合作社, 其他 (in some tables)
    "A": "19",  # 中央军委改革和编制办公室: 军队事业单位, 其他
    "N": "1239",  # 农业: 组级, 村级, 乡镇级集体经济组织, 其他
    "Y": "1",  # 其他
}


class InvalidUscc(DomainError):
    """The code breaks GB 32100-2015; `detail` says where."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail, field="uscc")


def validate_uscc(raw: str) -> str:
    """The code in canonical form (trimmed, upper case), or `InvalidUscc` naming the fault."""
    code = raw.strip().upper()
    if len(code) != LENGTH:
        raise InvalidUscc(f"a USCC has {LENGTH} characters, got {len(code)}")
    _check_characters(code)
    _check_authority(code)
    _expect(code, 17, organization_check_character(code[ORGANIZATION_BODY]), "organization-code ")
    _expect(code, 18, check_character(code[:17]), "")
    return code


def division_code(uscc: str) -> str:
    """Characters 3-8: the administrative division of the registering authority."""
    return uscc[DIVISION]


def check_character(prefix: str) -> str:
    """Character 18 for the first 17 characters: (31 - sum(value * 3^i mod 31) mod 31) mod 31."""
    total = sum(CHARSET.index(char) * weight for char, weight in zip(prefix, WEIGHTS, strict=True))
    return CHARSET[(31 - total % 31) % 31]


def organization_check_character(body: str) -> str:
    """Character 17: the GB 11714-1997 check over the organization code's 8 body characters."""
    total = sum(int(char, 36) * w for char, w in zip(body, ORGANIZATION_WEIGHTS, strict=True))
    value = 11 - total % 11
    return {10: "X", 11: "0"}.get(value, str(value))


def with_check_character(prefix: str) -> str:
    """Complete the first 16 (or 17) characters into a valid USCC, e.g. for test data.

    Both check characters are computed: character 17 (the organization code's) and 18. A 17th
    character given is a placeholder and is replaced. Raises `InvalidUscc` if the rest is wrong.
    """
    if len(prefix) not in (16, 17):
        raise InvalidUscc(f"expected the first 16 or 17 characters, got {len(prefix)}")
    head = prefix[:16].upper()
    _check_characters(head)
    _check_authority(head)
    head += organization_check_character(head[ORGANIZATION_BODY])
    return head + check_character(head)


def _check_characters(code: str) -> None:
    for position, char in enumerate(code, start=1):
        if char not in CHARSET:
            raise InvalidUscc(f"illegal character {char!r} at position {position}")
        if position in range(3, 9) and not char.isdigit():
            raise InvalidUscc(
                f"illegal character {char!r} at position {position}: "
                "the division code (positions 3-8) is digits"
            )


def _check_authority(code: str) -> None:
    authority, entity_type = code[0], code[1]
    if authority not in ENTITY_TYPES:
        raise InvalidUscc(f"unknown registration-authority code {authority!r} at position 1")
    if entity_type not in ENTITY_TYPES[authority]:
        raise InvalidUscc(
            f"unknown entity-type code {entity_type!r} at position 2 "
            f"for registration authority {authority!r}"
        )


def _expect(code: str, position: int, expected: str, what: str) -> None:
    if code[position - 1] != expected:
        raise InvalidUscc(
            f"wrong {what}check character at position {position}: "
            f"expected {expected}, got {code[position - 1]}"
        )
