"""Coverage: a visit gets all its required workers or none; priorities decide what is left."""

from scheduler.formulation import coverage
from tests.builders import caseload, customer, shift, solve_both, visit, worker

FAMILY = coverage


def double_handed(second_worker_until: str):
    return caseload(
        customers=[customer("C1", 2)],
        visits=[visit("V1", "C1", "09:00", 30, workers_required=2, skills="hoist")],
        workers=[worker("W1", 0, skills="hoist"), worker("W2", 1, skills="hoist")],
        availability=[shift("W1", "08:00", "12:00"), shift("W2", "08:00", second_worker_until)],
    )


def test_double_handed_visit_gets_two_distinct_workers():
    rows, _ = solve_both(double_handed("12:00"))
    assert rows == {"V1-Mon": ["W1", "W2"]}


def test_double_handed_visit_with_one_worker_free_is_left_out_whole():
    # W2 must be home by 09:20: too early to stay the 30 minutes
    rows, _ = solve_both(double_handed("09:20"))
    assert rows == {}


def test_critical_visit_is_kept_over_a_normal_one():
    c = caseload(
        customers=[customer("C1", 1), customer("C2", 1.2)],
        visits=[visit("V1", "C1", "09:00", 60, priority="normal"),
                visit("V2", "C2", "09:00", 60, priority="critical")],
        workers=[worker("W1", 0)],
        availability=[shift("W1", "08:00", "12:00")],
    )
    rows, _ = solve_both(c)
    assert rows == {"V2-Mon": ["W1"]}
