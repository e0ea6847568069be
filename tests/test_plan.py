"""The working plan: nested transactions undo exactly their own changes."""

import random

from scheduler.construct import construct
from scheduler.insertion import remove
from scheduler.io import read_caseload
from scheduler.plan import Plan
from scheduler.prepare import prepare
from tests.test_tiny import TINY


def tiny_plan() -> Plan:
    plan = Plan(prepare(read_caseload(TINY)))
    construct(plan, random.Random(1))
    return plan


def test_inner_rollback_keeps_the_outer_changes_and_outer_rollback_undoes_all():
    plan = tiny_plan()
    original = plan.copy_state(), plan.objective()
    plan.begin()
    remove(plan, 0)  # V1 out
    after_outer = plan.copy_state(), plan.objective()
    plan.begin()
    remove(plan, 1)  # V2 out
    plan.rollback()  # V2 back
    assert (plan.copy_state(), plan.objective()) == after_outer
    plan.begin()
    remove(plan, 2)
    plan.commit()  # kept inside the outer transaction
    plan.rollback()  # the outer one undoes V1 and V3 removals alike
    assert (plan.copy_state(), plan.objective()) == original


def test_rollback_restores_totals_exactly():
    plan = tiny_plan()
    totals = dict(plan.totals), plan.unassigned_points, sorted(plan.waiting)
    plan.begin()
    for v in range(plan.inst.n_visits):
        remove(plan, v)
    plan.rollback()
    assert (dict(plan.totals), plan.unassigned_points, sorted(plan.waiting)) == totals
