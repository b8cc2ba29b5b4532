"""Bulk import over HTTP: CSV and XLSX, a per-row report, a rerun that creates nothing."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from fastapi.testclient import TestClient
from openpyxl import Workbook
from tianmen_runtime.service import Service

from .support import USCC, assert_problem, written

HEADER = [
    "uscc",
    "enterprise_name",
    "kind",
    "brand",
    "model",
    "serial_number",
    "engine_number",
    "rated_power_kw",
    "jurisdiction_code",
]
GOOD = [USCC, "天门建机", "excavator", "三一", "SY215C", "S0001", "E0001", "110", "429006107"]


def as_csv(*rows: list[str]) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows([HEADER, *rows])
    return out.getvalue().encode("utf-8-sig")


def as_xlsx(*rows: Sequence[object]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in [HEADER, *rows]:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def post(client: TestClient, content: bytes) -> dict[str, object]:
    response = client.post("/imports/machines", content=content)
    assert response.status_code == 200, response.text
    return dict(response.json())


def test_a_csv_import_reports_each_refused_row_with_its_column(client: TestClient) -> None:
    rows = [
        GOOD,
        [*GOOD[:5], "S0002", "E0002", "lots", "429006107"],
        [*GOOD[:2], "spaceship", *GOOD[3:5], "S0003", "E0003", "", ""],
        [*GOOD[:5], "S0004", "e-0001", "", ""],  # the engine number of row 2, written otherwise
        [*GOOD[:5], "S0005", "", "", "429006999"],
    ]
    report = post(client, as_csv(*rows))
    assert (report["rows"], report["created"], report["unchanged"]) == (5, 1, 0)
    assert [(r["row"], r["column"]) for r in report["refused"]] == [  # type: ignore[attr-defined]
        (3, "rated_power_kw"),
        (4, "kind"),
        (5, "engine_number"),
        (6, "jurisdiction_code"),
    ]


def test_rerunning_the_same_xlsx_creates_nothing_twice(
    client: TestClient, service: Service
) -> None:
    content = as_xlsx(GOOD, [*GOOD[:5], "S0002", "E0002", 75.5, ""])
    first = post(client, content)
    assert (first["created"], first["refused"]) == (2, [])
    before = written(service)
    again = post(client, content)
    assert (again["created"], again["unchanged"], again["refused"]) == (0, 2, [])
    assert written(service) == before
    found = client.get("/machines/search", params={"jurisdiction_code": "429006-ST04"}).json()
    # The second row names no jurisdiction: its machine takes its enterprise's (row 1's).
    assert sorted(m["serial_number"] for m in found["items"]) == ["S0001", "S0002"]


def test_a_file_without_the_required_columns_is_refused_whole(
    client: TestClient, service: Service
) -> None:
    before = written(service)
    assert_problem(client.post("/imports/machines", content=b"brand,model\nSANY,SY\n"), 422, "file")
    assert written(service) == before
