"""Reading a register from CSV or XLSX: header row, then one dict per row with its number."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

from openpyxl import load_workbook
from tianmen_events.errors import DomainError

Row = tuple[int, dict[str, str]]  # (row number as the user sees it, column -> text)
XLSX_MAGIC = b"PK\x03\x04"


def rows(content: bytes) -> Iterator[Row]:
    """XLSX when the file is a zip (what .xlsx is), else UTF-8 CSV (a BOM is allowed)."""
    return _xlsx(content) if content.startswith(XLSX_MAGIC) else _csv(content)


def _csv(content: bytes) -> Iterator[Row]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DomainError("a CSV file must be UTF-8", field="file") from exc
    reader = csv.reader(io.StringIO(text))
    header = [name.strip() for name in next(reader, [])]
    for number, values in enumerate(reader, start=2):
        if any(value.strip() for value in values):
            yield number, dict(zip(header, (value.strip() for value in values), strict=False))


def _xlsx(content: bytes) -> Iterator[Row]:
    book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    sheet = book.worksheets[0]
    cells = sheet.iter_rows(values_only=True)
    header = [_text(value) for value in next(cells, ())]
    for number, values in enumerate(cells, start=2):
        texts = [_text(value) for value in values]
        if any(texts):
            yield number, dict(zip(header, texts, strict=False))
    book.close()


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()
