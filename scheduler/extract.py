"""Plan -> Rota: one rota.csv row per (visit, worker) with the leg that brought the worker, and
one unassigned.csv row per visit left out, with its reason."""

from __future__ import annotations

from models import Assignment, Caseload, Rota, UnassignedVisit
from models.base import MINUTES_PER_DAY
from scheduler.explain import unassigned_reason
from scheduler.plan import Plan


def to_rota(plan: Plan, caseload: Caseload) -> Rota:
    """The plan as a rota of FORMAT.md (rows in no particular order; writers sort them)."""
    inst = plan.inst
    rows = []
    for s, run in enumerate(plan.runs):
        if not run:
            continue
        w = int(inst.shift_worker[s])
        mode = int(inst.mode[w])
        minutes, km = inst.minutes[mode], inst.km[mode]
        here = int(inst.home[w])
        for v in run:
            there = int(inst.place[v])
            start = plan.start[v] - int(inst.day[v]) * MINUTES_PER_DAY
            rows.append(
                Assignment(
                    visit_id=inst.visit_ids[v],
                    customer_id=inst.customer_ids[int(inst.customer[v])],
                    worker_id=inst.worker_ids[w],
                    day=int(inst.day[v]),
                    start=start,
                    end=start + int(inst.duration[v]),
                    travel_min=int(minutes[here, there]),
                    travel_km=round(float(km[here, there]), 3),
                )
            )
            here = there
    by_id = caseload.instance_by_id
    unassigned = []
    for v in plan.unassigned_visits():
        visit = by_id[inst.visit_ids[v]]
        unassigned.append(
            UnassignedVisit(
                visit_id=visit.id,
                customer_id=visit.customer_id,
                day=visit.day,
                start=visit.preferred_start - visit.day * MINUTES_PER_DAY,
                reason=unassigned_reason(plan, v),
            )
        )
    return Rota(assignments=tuple(rows), unassigned=tuple(unassigned))
