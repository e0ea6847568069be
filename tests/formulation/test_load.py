"""Load: the summed load of one shift's visits stays within the worker's cap."""

import pytest

from scheduler.formulation import load
from tests.builders import caseload, customer, shift, solve_both, visit, worker

FAMILY = load


@pytest.mark.parametrize("second_load, both", [(1, True), (1.5, False)])
def test_load_cap_per_shift(second_load, both):
    c = caseload(
        customers=[customer("C1", 1), customer("C2", 1.5)],
        visits=[visit("V1", "C1", "08:00", 30, load=2), visit("V2", "C2", "09:00", 30,
                                                            load=second_load)],
        workers=[worker("W1", 0, max_load_per_shift=3)],
        availability=[shift("W1", "07:00", "12:00")],
    )
    rows, _ = solve_both(c)
    assert len(rows) == (2 if both else 1)
