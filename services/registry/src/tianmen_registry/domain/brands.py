"""One brand, however it is written: Chinese or Latin, full-width or not, any case."""

from __future__ import annotations

import unicodedata

# Chinese name or Latin alias -> the brand's key. Editable: add a line per brand and spelling.
ALIASES: dict[str, str] = {
    "三一": "sany", "三一重工": "sany", "sany": "sany",
    "徐工": "xcmg", "徐工集团": "xcmg", "xcmg": "xcmg",
    "柳工": "liugong", "liugong": "liugong",
    "中联": "zoomlion", "中联重科": "zoomlion", "zoomlion": "zoomlion",
    "山推": "shantui", "shantui": "shantui",
    "卡特彼勒": "caterpillar", "卡特": "caterpillar", "cat": "caterpillar",
    "caterpillar": "caterpillar",
    "小松": "komatsu", "komatsu": "komatsu",
    "日立": "hitachi", "日立建机": "hitachi", "hitachi": "hitachi",
    "沃尔沃": "volvo", "volvo": "volvo",
    "斗山": "doosan", "doosan": "doosan", "develon": "doosan",
    "临工": "sdlg", "山东临工": "sdlg", "sdlg": "sdlg", "lingong": "sdlg",
    "龙工": "lonking", "lonking": "lonking",
    "山河智能": "sunward", "sunward": "sunward",
    "玉柴": "yuchai", "yuchai": "yuchai",
    "利勃海尔": "liebherr", "liebherr": "liebherr",
    "神钢": "kobelco", "kobelco": "kobelco",
    "现代": "hyundai", "hyundai": "hyundai",
    "久保田": "kubota", "kubota": "kubota",
    "杭叉": "hangcha", "hangcha": "hangcha",
    "合力": "heli", "heli": "heli",
}  # fmt: skip


def brand_key(brand: str) -> str:
    """The brand's key: NFKC (full-width folds), casefold, inner spaces gone, then aliases."""
    folded = "".join(unicodedata.normalize("NFKC", brand).casefold().split())
    return ALIASES.get(folded, folded)
