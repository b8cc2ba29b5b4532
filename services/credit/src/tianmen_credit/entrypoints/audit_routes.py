"""The auditor's API: as-of and what-if over the log, read into memory (live state untouched)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Body, Query
from tianmen_runtime.http import problems
from tianmen_runtime.log_reader import Logged
from tianmen_runtime.service import Service

from tianmen_credit.adapters.models import current_model
from tianmen_credit.audit import answers
from tianmen_credit.audit.history import read_history
from tianmen_credit.domain.spec import ModelSpec
from tianmen_credit.entrypoints.audit_schemas import AsOfView, WhatIfView

At = Annotated[
    datetime | None,
    Query(description="The moment, in event time (default: the latest event time in the log)"),
]
KnownAt = Annotated[datetime | None, Query(description="What was recorded by then (default: at)")]
LogTime = Annotated[datetime | None, Query(description="Default: the latest event time in the log")]
CandidateModel = Annotated[dict[str, Any], Body(description="A candidate model, as data")]


def audit_router(service: Service) -> APIRouter:
    router = APIRouter(prefix="/audit")

    def history() -> list[Logged]:
        return read_history(service.settings.kafka_bootstrap_servers)

    @router.get("/enterprises/{enterprise_id}/as-of", responses=problems(422))
    def as_of(enterprise_id: str, at: At = None, known_at: KnownAt = None) -> AsOfView:
        """Standing as known then, as now known, and the facts that arrived late, explained."""
        logged = history()
        moment = at or answers.latest_time(logged) or datetime.min.replace(tzinfo=UTC)
        answer = answers.as_of_answer(logged, current_model(), enterprise_id, moment, known_at)
        return AsOfView.model_validate(answer)

    @router.post("/what-if", responses=problems(422))
    def what_if(model: CandidateModel, at: LogTime = None) -> WhatIfView:
        """Who would change grade under the candidate model, and the effects that differ."""
        candidate = ModelSpec.from_dict(model)
        answer = answers.what_if_answer(history(), current_model(), candidate, at)
        return WhatIfView.model_validate(answer)

    return router
