"""Given track points, the machines that passed within R metres of a tip around its time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tianmen_reports.domain.evidence import EvidenceRules, TrackPoint, nearby_machines

AT = datetime(2026, 5, 12, 23, 30, tzinfo=UTC)
TIP = (30.6600, 113.1600)
RULES = EvidenceRules(radius_m=300, window=timedelta(hours=1))


def point(machine: str, dlat: float, minutes: int, working: bool = True) -> TrackPoint:
    return TrackPoint(
        machine, f"ent-{machine}", AT + timedelta(minutes=minutes), TIP[0] + dlat, TIP[1], working
    )


def test_machines_near_in_place_and_time_are_shown_nearest_first_with_their_enterprise() -> None:
    points = [
        point("far-pass", 0.0020, -10),  # ~222 m
        point("close", 0.0005, 20),  # ~56 m
        point("close", 0.0001, 50, working=False),  # ~11 m: its nearest approach
        point("too-far", 0.0040, 0),  # ~445 m
        point("too-early", 0.0, -61),
        point("too-late", 0.0, 61),
    ]
    found = nearby_machines(*TIP, AT, points, RULES)
    assert [(m.machine_id, m.enterprise_id) for m in found] == [
        ("close", "ent-close"),
        ("far-pass", "ent-far-pass"),
    ]
    close = found[0]
    assert (close.points, close.working, close.closest_at) == (2, True, AT + timedelta(minutes=50))
    assert 10 < close.closest_m < 12


def test_no_points_no_evidence() -> None:
    assert nearby_machines(*TIP, AT, [], RULES) == []
