"""Routing: each shift is one home-to-home run with the modelled travel; travel is costed."""

import pytest

from scheduler.formulation import routing
from tests.builders import caseload, customer, shift, solve_both, visit, worker
from tests.formulation.conftest_helpers import hhmm, minutes

FAMILY = routing

SHIFT_START = 7 * 60
SHIFT_END = 12 * 60


def one_visit(start: int):
    c = caseload(
        customers=[customer("C1", 3)],
        visits=[visit("V1", "C1", hhmm(start), 30)],
        workers=[worker("W1", 0)],
        availability=[shift("W1", hhmm(SHIFT_START), hhmm(SHIFT_END))],
    )
    return c, minutes(c, "W1", "C1")


@pytest.mark.parametrize("late_by, placed", [(0, True), (-1, False)])
def test_first_visit_waits_for_the_travel_from_home(late_by, placed):
    c, travel = one_visit(SHIFT_START)
    c, _ = one_visit(SHIFT_START + travel + late_by)  # exact window: start = this
    rows, _ = solve_both(c)
    assert bool(rows) is placed


@pytest.mark.parametrize("early_by, placed", [(0, True), (-1, False)])
def test_last_visit_leaves_time_to_get_home(early_by, placed):
    c, travel = one_visit(SHIFT_START)
    c, _ = one_visit(SHIFT_END - travel - 30 - early_by)
    rows, _ = solve_both(c)
    assert bool(rows) is placed


@pytest.mark.parametrize("slack, both", [(0, True), (-1, False)])
def test_consecutive_visits_leave_time_for_the_travel_between(slack, both):
    base = caseload(customers=[customer("C1", 1), customer("C2", 4)], visits=[], workers=[],
                    availability=[])
    between = minutes(base, "C1", "C2")
    c = caseload(
        customers=[customer("C1", 1), customer("C2", 4)],
        visits=[visit("V1", "C1", "08:00", 30), visit("V2", "C2", hhmm(510 + between + slack), 30)],
        workers=[worker("W1", 0)],
        availability=[shift("W1", "07:00", "12:00")],
    )
    rows, _ = solve_both(c)
    assert len(rows) == (2 if both else 1)


def test_the_nearer_worker_is_chosen_when_all_else_is_equal():
    c = caseload(
        customers=[customer("C1", 5)],
        visits=[visit("V1", "C1", "09:00", 30)],
        workers=[worker("FAR", 0), worker("NEAR", 4)],
        availability=[shift("FAR", "08:00", "12:00"), shift("NEAR", "08:00", "12:00")],
    )
    rows, result = solve_both(c)
    assert rows == {"V1-Mon": ["NEAR"]}
    travel = minutes(c, "NEAR", "C1") + minutes(c, "C1", "NEAR")
    assert result.breakdown["travel_time"] == 10 * travel  # 10 points a minute, both legs
