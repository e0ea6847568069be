"""LNS operators on hand-built plans whose best move is known."""

from __future__ import annotations

import random
import time

from scheduler.insertion import insert
from scheduler.lns import Limits, Search, unassigned
from scheduler.plan import Plan
from scheduler.prepare import prepare
from tests.builders import caseload, customer, shift, visit, worker


def test_a_critical_visit_takes_the_place_of_a_normal_one():
    """One worker, two overlapping visits: the normal one placed, the critical one out. Making
    room for the critical visit leaves the normal one out, and is kept (the objective falls by
    the difference of their priorities)."""
    c = caseload(
        customers=[customer("C1", km=1), customer("C2", km=2)],
        visits=[visit("N", "C1", "08:00", 60, priority="normal"),
                visit("K", "C2", "08:30", 60, priority="critical")],
        workers=[worker("W", km=0)],
        availability=[shift("W", "07:00", "12:00")],
    )
    plan = Plan(prepare(c))
    normal, critical = plan.inst.visit_ids.index("N-Mon"), plan.inst.visit_ids.index("K-Mon")
    assert insert(plan, normal)
    before = plan.objective()
    search = Search(plan, random.Random(1), Limits(deadline=time.monotonic() + 10), seed=1)
    unassigned(search)
    assert plan.is_assigned(critical) and not plan.is_assigned(normal)
    assert plan.objective() < before
