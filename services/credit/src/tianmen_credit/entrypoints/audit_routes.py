"""The auditor's API: as-of and what-if over the log, read into memory (live state untouched)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Body, Query
from tianmen_runtime.http import problems
from tianmen_runtime.log_reader import Logged
from tianmen_runtime.service import Service

from tianmen_credit.adapters.models import current_model
from tianmen_credit.audit import answers
from tianmen_credit.audit.history import read_history
from tianmen_credit.domain.spec import ModelSpec

At = Annotated[datetime, Query(description="The moment, in event time")]
KnownAt = Annotated[datetime | None, Query(description="What was recorded by then (default: at)")]
LogTime = Annotated[datetime | None, Query(description="Default: the latest event time in the log")]
CandidateModel = Annotated[dict[str, Any], Body(description="A candidate model, as data")]


def audit_router(service: Service) -> APIRouter:
    router = APIRouter(prefix="/audit")

    def history() -> list[Logged]:
        return read_history(service.settings.kafka_bootstrap_servers)

    @router.get("/enterprises/{enterprise_id}/as-of", responses=problems(422))
    def as_of(enterprise_id: str, at: At, known_at: KnownAt = None) -> dict[str, Any]:
        """Standing as known then, as now known, and the facts that arrived late, explained."""
        return answers.as_of_answer(history(), current_model(), enterprise_id, at, known_at)

    @router.post("/what-if", responses=problems(422))
    def what_if(model: CandidateModel, at: LogTime = None) -> dict[str, Any]:
        """Who would change grade under the candidate model, and the effects that differ."""
        candidate = ModelSpec.from_dict(model)
        return answers.what_if_answer(history(), current_model(), candidate, at)

    return router
