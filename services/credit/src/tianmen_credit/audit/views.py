"""JSON views of audit answers: what the CLI prints, the API returns and a bundle claims."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from tianmen_credit.domain.asof import AsOf
from tianmen_credit.domain.facts import Fact
from tianmen_credit.domain.standing import Change, Contribution, Standing
from tianmen_credit.domain.whatif import GradeChange

View = dict[str, Any]


def contribution_view(c: Contribution) -> View:
    return {**asdict(c), "at": c.at.isoformat(), "expires_at": c.expires_at.isoformat()}


def standing_view(s: Standing) -> View:
    return {
        "enterprise_id": s.enterprise_id,
        "at": s.at.isoformat(),
        "score": s.score,
        "grade": s.grade,
        "procurement_restricted": s.restricted,
        "model_version": s.model_version,
        "base_score": s.base_score,
        "contributions": [contribution_view(c) for c in s.contributions],
    }


def fact_view(f: Fact) -> View:
    return {**asdict(f), "at": f.at.isoformat(), "recorded_at": f.recorded_at.isoformat()}


def as_of_view(answer: AsOf) -> View:
    return {
        "known_then": standing_view(answer.known_then),
        "now_known": standing_view(answer.now_known),
        "late": [fact_view(f) for f in answer.late],
    }


def change_view(c: Change) -> View:
    return {**asdict(c), "at": c.at.isoformat()}


def grade_change_view(g: GradeChange) -> View:
    return {
        "enterprise_id": g.enterprise_id,
        "current": {"score": g.current.score, "grade": g.current.grade},
        "candidate": {"score": g.candidate.score, "grade": g.candidate.grade},
        "why": [
            {"current": a and contribution_view(a), "candidate": b and contribution_view(b)}
            for a, b in g.why
        ],
    }


def canonical_view(view: View) -> str:
    return json.dumps(view, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
