"""The annealing temperature: a routing part and a continuity part, each from the plan's own
costs, each cooling at its own rate."""

from __future__ import annotations

import pytest

from models.objective import CONTINUITY_TERMS, DEFAULT_WEIGHTS, TEAM_SIZE
from scheduler.insertion import insert
from scheduler.lns import starting_temperature
from scheduler.plan import Plan
from scheduler.prepare import prepare
from tests.builders import caseload, customer, shift, visit, worker


def one_worker_at_one_customer(**fields) -> Plan:
    """W (home at 0 km) serves C1 (at 2 km) at 08:00 and 12:00 on Monday: one team member."""
    c = caseload(
        customers=[customer("C1", km=2)],
        visits=[visit("M", "C1", "08:00"), visit("L", "C1", "12:00")],
        workers=[worker("W", km=0)],
        availability=[shift("W", "07:00", "14:00")],
        **fields,
    )
    plan = Plan(prepare(c))
    for v in range(plan.inst.n_visits):
        assert insert(plan, v)
    return plan


def test_continuity_part_starts_at_three_times_the_team_cost_per_visit_ends_at_a_quarter():
    """One team member (600 points) over two visits: 300 a visit, so 900 at the start and 225
    at the end."""
    plan = one_worker_at_one_customer()
    assert DEFAULT_WEIGHTS[TEAM_SIZE] == 600
    temperature = starting_temperature(plan)
    assert temperature.continuity == pytest.approx(900)
    assert temperature.at(1.0) == pytest.approx(temperature.routing * 0.01 + 225)


def test_the_routing_part_starts_at_half_the_routing_cost_per_visit():
    plan = one_worker_at_one_customer()
    routing = plan.objective() - sum(plan.breakdown().get(t, 0) for t in CONTINUITY_TERMS)
    assert routing > 0  # travel from home to C1 and back
    temperature = starting_temperature(plan)
    assert temperature.routing == pytest.approx(0.5 * routing / 2)
    assert temperature.at(0.0) == pytest.approx(temperature.routing + temperature.continuity)


def test_a_caseload_scored_on_travel_alone_cools_to_a_hundredth():
    """As on Solomon: no continuity cost, so nothing keeps the end of the search warm."""
    plan = one_worker_at_one_customer(weights=dict.fromkeys(CONTINUITY_TERMS, 0))
    temperature = starting_temperature(plan)
    assert temperature.continuity == 0
    assert temperature.at(1.0) == pytest.approx(temperature.routing * 0.01)
    assert temperature.at(0.5) == pytest.approx(temperature.routing * 0.1)


def test_a_plan_without_cost_still_has_a_positive_temperature():
    plan = one_worker_at_one_customer(weights=dict.fromkeys(DEFAULT_WEIGHTS, 0))
    assert plan.objective() == 0
    assert starting_temperature(plan).at(1.0) > 0
