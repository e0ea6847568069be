"""Timing: min_gap_after_min between a customer's visits, pinned visits, punctuality."""

import pytest

from models import Pin, Policy
from scheduler.formulation import timing
from tests.builders import caseload, customer, shift, solve_both, visit, worker

FAMILY = timing


@pytest.mark.parametrize("second_start, both", [("09:30", True), ("09:29", False)])
def test_min_gap_after_a_visit(second_start, both):
    # V1 08:00-08:30 needs 60 min before the customer's next visit: 09:30 at the earliest
    c = caseload(
        customers=[customer("C1", 1)],
        visits=[visit("V1", "C1", "08:00", 30, min_gap_after_min=60),
                visit("V2", "C1", second_start, 30)],
        workers=[worker("W1", 0)],
        availability=[shift("W1", "07:00", "12:00")],
    )
    rows, _ = solve_both(c)
    assert len(rows) == (2 if both else 1)


def test_pinned_worker_is_kept_even_when_another_is_cheaper():
    c = caseload(
        customers=[customer("C1", 5)],
        visits=[visit("V1", "C1", "09:00", 30)],
        workers=[worker("NEAR", 5), worker("FAR", 0)],
        availability=[shift("NEAR", "08:00", "12:00"), shift("FAR", "08:00", "12:00")],
        pinned=[Pin(visit_id="V1-Mon", worker_id="FAR")],
    )
    rows, _ = solve_both(c)
    assert rows == {"V1-Mon": ["FAR"]}


def test_late_start_costs_punctuality_beyond_the_tolerance():
    # Preferred 08:00, window to 08:30, tolerance 5; the shift starts 08:20 and the
    # customer lives where the worker does, so the visit starts 08:20: 20 - 5 = 15 minutes
    c = caseload(
        customers=[customer("C1", 0)],
        visits=[visit("V1", "C1", "08:00", 30, tolerance_min=5)],
        workers=[worker("W1", 0)],
        availability=[shift("W1", "08:20", "12:00")],
        policy=Policy(window_before_min=30, window_after_min=30),
    )
    rows, result = solve_both(c)
    assert rows == {"V1-Mon": ["W1"]}
    assert result.breakdown["punctuality"] == 10 * 15  # 15 minutes x 10 points
    assert result.objective == 600 + 10 * 15  # one team member, no travel
