"""The tiny sample: the solver proves the rota documented in data/samples/tiny/README.md optimal,
and a brute force that shares no code with the engine confirms nothing is cheaper."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from models import Assignment, Rota
from models.checks import static_eligible
from models.result import SolveParams
from scheduler.io import read_caseload
from scheduler.solve import solve
from scheduler.travel import build_travel
from scheduler.validate import objective, validate

TINY = Path(__file__).resolve().parents[1] / "data" / "samples" / "tiny"

DOCUMENTED = {  # (visit, worker) -> (start, end), as the README's table
    ("V1-Mon", "W1"): ("07:59", "08:29"),
    ("V5-Mon", "W1"): ("12:29", "12:59"),
    ("V4-Mon", "W2"): ("08:00", "08:30"),
    ("V3-Mon", "W2"): ("09:00", "09:30"),
    ("V7-Mon", "W2"): ("17:30", "18:00"),
    ("V8-Mon", "W2"): ("18:30", "19:00"),
    ("V2-Mon", "W3"): ("08:00", "08:45"),
    ("V3-Mon", "W3"): ("09:00", "09:30"),
    ("V6-Mon", "W3"): ("12:00", "12:30"),
}
OPTIMUM = 3324  # 3,000 team + 220 travel + 84 mileage + 20 punctuality


@pytest.fixture(scope="module")
def tiny():
    return read_caseload(TINY)


def test_solver_proves_the_documented_rota_optimal(tiny):
    result = solve(tiny, SolveParams(time_limit_s=30, seed=1, workers=1, deterministic=True))
    assert result.status == "optimal"
    assert result.objective == result.bound == OPTIMUM
    got = {(a.visit_id, a.worker_id): (_hhmm(a.start), _hhmm(a.end))
           for a in result.rota.assignments}
    assert got == DOCUMENTED
    assert result.rota.unassigned == ()
    assert result.breakdown["team_size"] == 3000
    assert result.breakdown["travel_time"] == 220
    assert result.breakdown["mileage"] == 84
    assert result.breakdown["punctuality"] == 20


def test_documented_rota_is_valid_and_costs_the_optimum(tiny):
    rota = _with_legs(tiny, [_row(tiny, v, w, s, e) for (v, w), (s, e) in DOCUMENTED.items()])
    assert validate(tiny, rota) == []
    assert objective(tiny, rota)[0] == OPTIMUM


def test_no_other_assignment_of_workers_is_cheaper(tiny):
    """Every way to staff the eight visits (eligible workers whose shift covers the window):
    its cost with every visit at its preferred start is a lower bound (punctuality >= 0). The
    only assignments whose bound does not exceed the optimum are the documented one and one in
    which no start times work at all."""
    cheap = []
    for staffing in _staffings(tiny):
        rows = [_row(tiny, v.id, w, _hhmm(v.preferred_start % 1440),
                     _hhmm(v.preferred_start % 1440 + v.duration_min))
                for v, workers in staffing for w in workers]
        bound = objective(tiny, Rota(assignments=tuple(rows)))[0]
        if bound <= OPTIMUM:
            cheap.append(staffing)
    documented = {(v, w) for v, w in DOCUMENTED}
    for staffing in cheap:
        pairs = {(v.id, w) for v, workers in staffing for w in workers}
        if pairs != documented:
            assert not _timing_exists(tiny, staffing), sorted(pairs)
    assert any({(v.id, w) for v, ws in s for w in ws} == documented for s in cheap)


def _staffings(c):
    """Every assignment of eligible, available, distinct workers to the visits."""
    shifts = c.shifts

    def choices(v):
        template = c.template_by_id[v.template_id]
        able = [w.worker_id for w in c.workers if static_eligible(c, template, w)
                and any(s.worker_id == w.worker_id and s.start <= v.latest
                        and v.earliest + v.duration_min <= s.end for s in shifts)]
        return list(itertools.combinations(able, v.workers_required))

    visits = c.instances
    for combo in itertools.product(*(choices(v) for v in visits)):
        yield list(zip(visits, combo))


def _timing_exists(c, staffing) -> bool:
    """Whether some start times (every minute of each window) fit each worker's runs into
    their shifts with the modelled travel: a relaxation (double-handed visits are not tied
    together), so False proves no valid rota has this staffing."""
    travel = build_travel(c)
    for shift, visits in _runs(c, staffing).items():
        windows = [range(v.earliest, v.latest + 1) for v in visits]
        if not any(_fits(travel, shift, visits, starts) for starts in itertools.product(*windows)):
            return False
    return True


def _runs(c, staffing):
    """Shift -> its visits in preferred order (in tiny each window lies in one shift)."""
    runs = {}
    for v, workers in staffing:
        for w in workers:
            shift = next(s for s in c.shifts if s.worker_id == w and s.start <= v.latest
                         and v.earliest + v.duration_min <= s.end)
            runs.setdefault(shift, []).append(v)
    for visits in runs.values():
        visits.sort(key=lambda v: v.preferred_start)
    return runs


def _fits(travel, shift, visits, starts) -> bool:
    def leg(a, b):
        return int(travel.minutes["car"][travel.index[a], travel.index[b]])

    here, free_at = shift.worker_id, shift.start
    for v, start in zip(visits, starts):
        if free_at + leg(here, v.customer_id) > start:
            return False
        here, free_at = v.customer_id, start + v.duration_min
    return free_at + leg(here, shift.worker_id) <= shift.end


def _with_legs(c, rows: list[Assignment]) -> Rota:
    """Rows with their travel_min/travel_km filled from the travel model, run by run."""
    travel = build_travel(c)
    out = []
    for shift in c.shifts:
        run = sorted((r for r in rows if r.worker_id == shift.worker_id
                      and shift.start <= r.day * 1440 + r.start < shift.end),
                     key=lambda r: r.start)
        here = shift.worker_id
        for r in run:
            i, j = travel.index[here], travel.index[r.customer_id]
            out.append(r.model_copy(update={"travel_min": int(travel.minutes["car"][i, j]),
                                            "travel_km": round(float(travel.km["car"][i, j]), 3)}))
            here = r.customer_id
    return Rota(assignments=tuple(out))


def _row(c, visit_id: str, worker_id: str, start: str, end: str) -> Assignment:
    v = c.instance_by_id[visit_id]
    return Assignment(visit_id=visit_id, customer_id=v.customer_id, worker_id=worker_id,
                      day=v.day, start=start, end=end)


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"
