"""Tiny caseloads built in code for engine tests, and helpers to solve them both ways.

Places sit on one north-south street (longitude -1.25). Latitude steps of 0.0069 deg are 1 km
of road (111.195 km/deg x 1.3 detour ~ 144.55 km/deg), i.e. 2 minutes by car at 30 km/h, so
travel times are easy to read: ``at(km)`` gives the latitude ``km`` road-km north of 51.75.
"""

from __future__ import annotations

import random

from models import (
    AvailabilityRow,
    Caseload,
    Customer,
    Policy,
    Preference,
    VisitTemplate,
    Worker,
)
from models.result import SolveParams
from scheduler.construct import construct
from scheduler.extract import to_rota
from scheduler.plan import Plan
from scheduler.prepare import prepare
from scheduler.solve import solve
from scheduler.validate import objective, validate

KM_PER_DEGREE = 111.19508 * 1.3
BASE_LAT = 51.75


def at(km: float) -> float:
    """Latitude ``km`` road-km north of the base point (longitude -1.25)."""
    return BASE_LAT + km / KM_PER_DEGREE


def customer(cid: str, km: float = 0.0, **fields) -> Customer:
    return Customer(customer_id=cid, lat=at(km), lon=-1.25, **fields)


def worker(wid: str, km: float = 0.0, **fields) -> Worker:
    return Worker(worker_id=wid, lat=at(km), lon=-1.25, **fields)


def visit(vid: str, cid: str, start: str, minutes: int = 30, days: str = "Mon", **fields):
    return VisitTemplate(visit_id=vid, customer_id=cid, days=days, start=start,
                         duration_min=minutes, **fields)


def shift(wid: str, start: str, end: str, day: str = "Mon") -> AvailabilityRow:
    return AvailabilityRow(worker_id=wid, day=day, start=start, end=end)


def banned(cid: str, wid: str) -> Preference:
    return Preference(customer_id=cid, worker_id=wid, kind="banned")


def regular(cid: str, wid: str) -> Preference:
    return Preference(customer_id=cid, worker_id=wid, kind="regular")


def caseload(customers, visits, workers, availability, **fields) -> Caseload:
    """A caseload with the policy's windows set to exact times unless given."""
    policy = fields.pop("policy", Policy(window_before_min=0, window_after_min=0))
    return Caseload(customers=customers, visits=visits, workers=workers,
                    availability=availability, policy=policy, **fields)


def solve_heuristic(c: Caseload):
    """Construction alone, checked by the validator: (rota, plan)."""
    inst = prepare(c)
    plan = Plan(inst)
    construct(plan, random.Random(1))
    rota = to_rota(plan, c)
    assert validate(c, rota) == []
    assert objective(c, rota)[0] == plan.objective()
    return rota, plan


def solve_both(c: Caseload):
    """Solve with the public solve() (a tiny caseload is one CP-SAT model, proven optimal)
    and with construction alone; both rotas must pass the validator and construction can be
    no better. Returns (visit id -> sorted workers, Result) of the optimal rota."""
    result = solve(c, SolveParams(time_limit_s=30, seed=1, workers=1, deterministic=True))
    assert result.status == "optimal"
    assert validate(c, result.rota) == []
    _, plan = solve_heuristic(c)
    assert plan.objective() >= result.objective
    rows: dict[str, list[str]] = {}
    for a in result.rota.assignments:
        rows.setdefault(a.visit_id, []).append(a.worker_id)
    return {k: sorted(w) for k, w in rows.items()}, result
