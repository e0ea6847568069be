"""Where a visit may go: ``options`` lists every position of a run it fits, from the first
one it can end in time for, including one that ends exactly when the next visit starts."""

import random

import pytest

from scheduler.construct import construct
from scheduler.insertion import options, remove
from scheduler.plan import Plan
from scheduler.prepare import prepare
from tests.builders import caseload, customer, shift, visit, worker

RUN = ("08:00", "10:00", "12:00", "14:00")


def plan_with_probe(start: str, spread_min: int = 0) -> tuple[Plan, int]:
    """W1's Monday run holds four 30-minute visits at RUN's times (everyone at one address, so
    no travel); the probe visit (``spread_min`` either side of ``start``) is taken out."""
    visits = [visit(f"V{i}", f"C{i}", t) for i, t in enumerate(RUN)]
    visits.append(visit("P", "CP", start, window_before_min=spread_min,
                        window_after_min=spread_min))
    customers = [customer(f"C{i}") for i in range(len(RUN))] + [customer("CP")]
    c = caseload(customers, visits, [worker("W1")], [shift("W1", "07:00", "18:00")])
    plan = Plan(prepare(c))
    construct(plan, random.Random(1))
    probe = plan.inst.visit_ids.index("P-Mon")
    remove(plan, probe)
    assert plan.runs[0] == [0, 1, 2, 3]
    return plan, probe


@pytest.mark.parametrize(
    ("start", "positions"),
    [
        ("07:15", [0]),  # before the first visit
        ("13:30", [3]),  # ends at 14:00, when the last visit starts
        ("13:31", []),  # one minute too late for that gap, too early for the end
        ("15:00", [4]),  # after the last visit
    ],
)
def test_a_visit_with_a_fixed_start_fits_only_its_own_gap(start, positions):
    plan, probe = plan_with_probe(start)
    assert [o.pos for o in options(plan, probe)] == positions


def test_a_visit_free_all_day_may_go_in_every_gap():
    plan, probe = plan_with_probe("12:30", spread_min=330)  # 07:00 to 18:00
    assert sorted(o.pos for o in options(plan, probe)) == [0, 1, 2, 3, 4]
