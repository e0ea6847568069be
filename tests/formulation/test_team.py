"""Team: a cap on distinct workers per customer (hard); team size, unfamiliar workers and
weekend strangers cost points (soft)."""

import pytest

from models import Assignment
from scheduler.formulation import team
from tests.builders import caseload, customer, shift, solve_both, visit, worker

FAMILY = team


def two_days(cap: int):
    # W1 works only Monday, W2 only Tuesday: serving both visits takes two workers
    return caseload(
        customers=[customer("C1", 1, max_team_size=cap)],
        visits=[visit("V1", "C1", "09:00", 30, days="Mon;Tue")],
        workers=[worker("W1", 0), worker("W2", 0.5)],
        availability=[shift("W1", "08:00", "12:00", "Mon"), shift("W2", "08:00", "12:00", "Tue")],
    )


@pytest.mark.parametrize("cap, served", [(2, 2), (1, 1)])
def test_team_cap(cap, served):
    rows, _ = solve_both(two_days(cap))
    assert len(rows) == served


def test_each_distinct_worker_costs_team_points():
    rows, result = solve_both(two_days(2))
    assert rows == {"V1-Mon": ["W1"], "V1-Tue": ["W2"]}
    assert result.breakdown["team_size"] == 2 * 600


def test_worker_outside_last_weeks_team_costs_unfamiliar_points():
    base = two_days(2)
    last_week = Assignment(visit_id="V1-Mon", customer_id="C1", worker_id="W1", day="Mon",
                           start="09:00", end="09:30")
    with_history = base.model_copy(update={"previous_rota": (last_week,)})
    _, without = solve_both(base)
    _, with_w1 = solve_both(with_history)
    assert without.breakdown["unfamiliar_worker"] == 0  # no history: nobody is unfamiliar
    assert with_w1.breakdown["unfamiliar_worker"] == 900  # W2 is not in last week's team
    assert with_w1.objective - without.objective == 900


def test_weekend_visit_by_a_weekday_stranger_costs_points():
    c = caseload(
        customers=[customer("C1", 1)],
        visits=[visit("V1", "C1", "09:00", 30, days="Fri;Sat")],
        workers=[worker("W1", 0), worker("W2", 0.5)],
        availability=[shift("W1", "08:00", "12:00", "Fri"), shift("W2", "08:00", "12:00", "Sat")],
    )
    rows, result = solve_both(c)
    assert rows == {"V1-Fri": ["W1"], "V1-Sat": ["W2"]}
    assert result.breakdown["weekend_unfamiliar"] == 300  # W2's Saturday row
