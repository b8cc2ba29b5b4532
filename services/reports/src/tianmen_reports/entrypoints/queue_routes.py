"""The staff tips queue (`/staff/tips`): tips in the states asked for, oldest first, each as
staff see it (where it lies and the current stage's deadline, never who reported it)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from tianmen_runtime.pages import DEFAULT_LIMIT, Cursor, Limit, Page, decode_cursor
from tianmen_runtime.service import Service
from tianmen_runtime.unit_of_work import unit_of_work

from tianmen_reports.adapters import tip_index
from tianmen_reports.domain.tip import TipStatus
from tianmen_reports.domain.workflow import OPEN
from tianmen_reports.entrypoints.schemas.staff import StaffTipView
from tianmen_reports.service_layer.workflow import load_tip

WAITING = tuple(sorted(status.value for status in OPEN))


def queue_router(service: Service) -> APIRouter:
    router = APIRouter()

    @router.get("/staff/tips", summary="Tips by state, oldest first (default: still open)")
    def list_tips(
        status: Annotated[list[TipStatus] | None, Query()] = None,
        cursor: Cursor = None,
        limit: Limit = DEFAULT_LIMIT,
    ) -> Page[StaffTipView]:
        statuses = tuple(s.value for s in status) if status else WAITING
        key = decode_cursor(cursor, (str, str)) if cursor else None
        with unit_of_work(service.engine, service.source) as uow:
            ids, after = tip_index.page(uow.conn, statuses, key, limit)
            tips = [StaffTipView.of(load_tip(uow, tip_id)[0]) for tip_id in ids]
        return Page[StaffTipView](items=tips, next_cursor=after)

    return router
