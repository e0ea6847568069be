"""Working time: daily and weekly caps, daily span, rest between days (hard); guaranteed hours
(soft)."""

import pytest

from models import Policy
from scheduler.formulation import hours
from tests.builders import caseload, customer, shift, solve_both, visit, worker
from tests.formulation.conftest_helpers import minutes

FAMILY = hours


def with_cap(max_hours_day=10.0, max_hours_week=48.0):
    c = caseload(
        customers=[customer("C1", 3)],
        visits=[visit("V1", "C1", "09:00", 60)],
        workers=[worker("W1", 0, max_hours_day=max_hours_day, max_hours_week=max_hours_week)],
        availability=[shift("W1", "07:00", "12:00")],
    )
    return c, 60 + minutes(c, "W1", "C1") + minutes(c, "C1", "W1")


@pytest.mark.parametrize("spare, placed", [(0, True), (-1, False)])
def test_daily_hours_cap_counts_travel(spare, placed):
    _, worked = with_cap()
    c, _ = with_cap(max_hours_day=(worked + spare) / 60)
    rows, _ = solve_both(c)
    assert bool(rows) is placed


@pytest.mark.parametrize("spare, placed", [(0, True), (-1, False)])
def test_weekly_hours_cap(spare, placed):
    _, worked = with_cap()
    c, _ = with_cap(max_hours_week=(worked + spare) / 60)
    rows, _ = solve_both(c)
    assert bool(rows) is placed


@pytest.mark.parametrize("span, both", [(900, True), (899, False)])
def test_daily_span(span, both):
    # visits 07:30-08:00 and 22:00-22:30 of one worker's split shift: a 900-minute day
    c = caseload(
        customers=[customer("C1", 0)],
        visits=[visit("V1", "C1", "07:30", 30), visit("V2", "C1", "22:00", 30)],
        workers=[worker("W1", 0)],
        availability=[shift("W1", "07:00", "09:00"), shift("W1", "21:00", "23:00")],
        policy=Policy(window_before_min=0, window_after_min=0, max_shift_span_min=span),
    )
    rows, _ = solve_both(c)
    assert len(rows) == (2 if both else 1)


@pytest.mark.parametrize("rest, both", [(540, True), (541, False)])
def test_rest_between_days(rest, both):
    # Monday's visit ends 22:00, Tuesday's starts 07:00: 540 minutes of rest
    c = caseload(
        customers=[customer("C1", 0)],
        visits=[visit("V1", "C1", "21:30", 30, days="Mon"), visit("V2", "C1", "07:00", 30,
                                                                 days="Tue")],
        workers=[worker("W1", 0)],
        availability=[shift("W1", "20:00", "23:00", "Mon"), shift("W1", "06:00", "09:00", "Tue")],
        policy=Policy(window_before_min=0, window_after_min=0, min_rest_between_days_min=rest),
    )
    rows, _ = solve_both(c)
    assert len(rows) == (2 if both else 1)


def test_unfilled_guaranteed_hours_cost_points():
    c = caseload(
        customers=[customer("C1", 0)],
        visits=[visit("V1", "C1", "09:00", 60)],
        workers=[worker("W1", 0, min_hours_week=2)],
        availability=[shift("W1", "08:00", "12:00")],
    )
    rows, result = solve_both(c)
    assert rows == {"V1-Mon": ["W1"]}
    assert result.breakdown["guaranteed_hours"] == 3 * 60  # 120 owed - 60 worked, x 3 points
