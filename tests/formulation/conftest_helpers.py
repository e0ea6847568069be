"""Shared by the family tests: travel minutes between two places of a caseload."""

from scheduler.travel import build_travel


def minutes(caseload, a: str, b: str, mode: str = "car") -> int:
    """Modelled travel minutes from place a to place b (customer or worker ids)."""
    travel = build_travel(caseload, {mode})
    return int(travel.minutes[mode][travel.index[a], travel.index[b]])


def hhmm(total: int) -> str:
    return f"{total // 60:02d}:{total % 60:02d}"
