"""Properties of the whole pipeline on random small caseloads (Hypothesis): every rota the
solver returns passes the validator, and the validator's objective equals the engine's."""

from __future__ import annotations

from unittest import mock

from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st

from models import AvailabilityRow, Caseload, Customer, Policy, Preference, VisitTemplate, Worker
from models.result import SolveParams
from scheduler import solve as solve_module
from scheduler.bound import week_bounds
from scheduler.solve import solve
from scheduler.validate import objective, validate
from tests.builders import at

SHIFT_PATTERNS = (("07:00", "13:00"), ("16:00", "22:00"), ("08:00", "18:00"), ("06:30", "10:00"))


@st.composite
def caseloads(draw, max_workers: int = 3) -> Caseload:
    n_customers = draw(st.integers(1, 4))
    n_workers = draw(st.integers(1, max_workers))
    customers = [
        Customer(customer_id=f"C{i}", lat=at(draw(st.floats(0, 8))), lon=-1.25,
                 max_team_size=draw(st.sampled_from([None, 1, 2])))
        for i in range(n_customers)
    ]
    workers = [
        Worker(worker_id=f"W{i}", lat=at(draw(st.floats(0, 8))), lon=-1.25,
               skills=draw(st.sampled_from(["", "hoist", "medication;hoist"])),
               max_hours_day=draw(st.sampled_from([3, 6, 10])),
               min_hours_week=draw(st.sampled_from([0, 0, 2])))
        for i in range(n_workers)
    ]
    availability = []
    for i in range(n_workers):
        for pattern in draw(st.lists(st.sampled_from(SHIFT_PATTERNS), min_size=1, max_size=2,
                                     unique=True)):
            availability.append(AvailabilityRow(worker_id=f"W{i}", day=draw(
                st.sampled_from(["Mon;Tue", "Mon;Tue", "Mon", "Tue"])), start=pattern[0],
                end=pattern[1]))
    visits = []
    for i in range(draw(st.integers(1, 6))):
        start = draw(st.integers(7 * 4, 20 * 4)) * 15
        skills = draw(st.sampled_from(["", "", "hoist"]))
        able = sum(1 for w in workers if skills in w.skills)
        visits.append(VisitTemplate(
            visit_id=f"V{i}", customer_id=f"C{draw(st.integers(0, n_customers - 1))}",
            days=draw(st.sampled_from(["Mon", "Tue", "Mon;Tue"])),
            start=f"{start // 60:02d}:{start % 60:02d}",
            duration_min=draw(st.sampled_from([15, 30, 45, 60])),
            workers_required=draw(st.sampled_from([1, 1, 1, 2])) if able >= 2 else 1,
            skills=skills,
            priority=draw(st.sampled_from(["normal", "critical", "flexible"])),
            min_gap_after_min=draw(st.sampled_from([0, 0, 60])),
            tolerance_min=draw(st.sampled_from([None, 0, 10])),
        ))
    policy = Policy(window_before_min=draw(st.sampled_from([0, 15, 30])),
                    window_after_min=draw(st.sampled_from([0, 15, 30])))
    try:
        c = Caseload(customers=customers, workers=workers, availability=availability,
                     visits=visits, policy=policy)
    except ValueError:
        assume(False)  # e.g. a double-handed visit fewer than two workers may do
    return c


@st.composite
def team_caseloads(draw) -> Caseload:
    """Small teams under pressure: 2-3 nearby customers with team caps of 2 or 3 and 2-4
    visits each, many double-handed and critical, in the mornings or evenings of Monday and
    Tuesday; 4-6 workers, most with a hoist, some of them a customer's named regulars. The
    team operators' swaps, merges and hand-overs act on such weeks (the reform does not run in
    a search with an iteration budget)."""
    n_customers = draw(st.integers(2, 3))
    n_workers = draw(st.integers(4, 6))
    customers = [Customer(customer_id=f"C{i}", lat=at(draw(st.floats(0, 3))), lon=-1.25,
                          max_team_size=draw(st.sampled_from([2, 3])))
                 for i in range(n_customers)]
    workers = [Worker(worker_id=f"W{i}", lat=at(draw(st.floats(0, 3))), lon=-1.25,
                      skills=draw(st.sampled_from(["hoist", "hoist", ""])))
               for i in range(n_workers)]
    availability = [
        AvailabilityRow(worker_id=f"W{i}", day=draw(st.sampled_from(["Mon;Tue", "Mon", "Tue"])),
                        start=start, end=end)
        for i in range(n_workers)
        for start, end in draw(st.lists(st.sampled_from(SHIFT_PATTERNS[:2]), min_size=1,
                                        max_size=2, unique=True))
    ]
    able = sum(1 for w in workers if "hoist" in w.skills)
    visits = []
    for i in range(n_customers):
        for k in range(draw(st.integers(2, 4))):
            start = draw(st.sampled_from([7 * 60, 8 * 60, 9 * 60, 17 * 60, 19 * 60, 20 * 60]))
            start += draw(st.sampled_from([0, 15, 30]))
            double = able >= 2 and draw(st.booleans())
            visits.append(VisitTemplate(
                visit_id=f"V{i}{k}", customer_id=f"C{i}",
                days=draw(st.sampled_from(["Mon", "Tue", "Mon;Tue"])),
                start=f"{start // 60:02d}:{start % 60:02d}",
                duration_min=draw(st.sampled_from([30, 45])),
                workers_required=2 if double else 1, skills="hoist" if double else "",
                priority=draw(st.sampled_from(["critical", "normal"]))))
    regulars = [Preference(customer_id=f"C{i}", worker_id=f"W{w}", kind="regular")
                for i in range(n_customers)
                for w in draw(st.sets(st.integers(0, n_workers - 1), max_size=2))]
    try:
        return Caseload(customers=customers, workers=workers, availability=availability,
                        visits=visits, preferences=regulars,
                        policy=Policy(window_before_min=15, window_after_min=15))
    except ValueError:
        assume(False)


def check(c: Caseload, params: SolveParams) -> float:
    """Solve and check the rota; return the share of visits placed."""
    result = solve(c, params)
    assert validate(c, result.rota) == []
    assert objective(c, result.rota)[0] == result.objective == result.stats["engine_objective"]
    placed = {a.visit_id for a in result.rota.assignments}
    left = {u.visit_id for u in result.rota.unassigned}
    assert placed | left == {v.id for v in c.instances} and not placed & left
    return len(placed) / len(c.instances)


def record_placed(share: float) -> None:
    event(f"placed {round(4 * share) * 25} %")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(caseloads())
def test_whole_model_rotas_are_valid(c):
    record_placed(check(c, SolveParams(time_limit_s=20, seed=1, workers=1, deterministic=True)))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(caseloads(), st.integers(0, 3))
def test_lns_rotas_are_valid(c, seed):
    with mock.patch.object(solve_module, "EXACT_ARCS", -1):
        record_placed(check(c, SolveParams(time_limit_s=20, seed=seed, workers=1, iterations=40)))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(caseloads(max_workers=5), st.integers(0, 3))
def test_lns_rotas_are_valid_after_many_moves_with_more_workers(c, seed):
    """More workers than above (teams to swap, double-handed pairs to split) and more moves."""
    with mock.patch.object(solve_module, "EXACT_ARCS", -1):
        record_placed(check(c, SolveParams(time_limit_s=20, seed=seed, workers=1,
                                           iterations=600)))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(team_caseloads(), st.integers(0, 3))
def test_lns_rotas_are_valid_when_small_teams_must_change(c, seed):
    with mock.patch.object(solve_module, "EXACT_ARCS", -1):
        record_placed(check(c, SolveParams(time_limit_s=20, seed=seed, workers=1,
                                           iterations=600)))


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(caseloads())
def test_same_seed_same_rota(c):
    params = SolveParams(time_limit_s=20, seed=3, workers=1, iterations=30)
    with mock.patch.object(solve_module, "EXACT_ARCS", -1):
        first, second = solve(c, params), solve(c, params)
    assert first.rota == second.rota
    assert first.objective == second.objective


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(caseloads())
def test_no_rota_leaves_fewer_visits_out_on_a_day_than_the_bound(c):
    result = solve(c, SolveParams(time_limit_s=20, seed=1, workers=1, deterministic=True))
    for day_bound in week_bounds(c, time_limit_s=10):
        left_out = sum(1 for u in result.rota.unassigned if u.day == day_bound.day)
        event(f"bound {min(day_bound.at_least, 2)}")
        assert 0 <= day_bound.at_least <= left_out <= day_bound.visits
        assert day_bound.at_least <= day_bound.found
        out = {u.visit_id for u in result.rota.unassigned if u.day == day_bound.day}
        for conflict in day_bound.conflicts:  # a valid rota leaves one of each set out
            assert out & {label.split()[0] for label in conflict}


def test_caseload_with_nobody_to_do_the_visits():
    c = Caseload(customers=[Customer(customer_id="C1", lat=51.75, lon=-1.25)],
                 visits=[VisitTemplate(visit_id="V1", customer_id="C1", days="Mon-Fri",
                                       start="09:00", duration_min=30)])
    result = solve(c, SolveParams(time_limit_s=5, seed=1))
    assert result.rota.assignments == ()
    assert len(result.rota.unassigned) == 5
    assert all("may serve" in u.reason for u in result.rota.unassigned)


def test_caseload_with_no_visits():
    c = Caseload(workers=[Worker(worker_id="W1", lat=51.75, lon=-1.25, min_hours_week=10)],
                 availability=[AvailabilityRow(worker_id="W1", day="Mon", start="08:00",
                                               end="12:00")])
    result = solve(c, SolveParams(time_limit_s=5, seed=1))
    assert result.rota == result.rota.model_copy() and result.rota.assignments == ()
    assert result.breakdown["guaranteed_hours"] == 3 * 600  # 10 h owed, nothing to do


def test_customer_whose_previous_worker_left_counts_every_worker_unfamiliar():
    from models import Assignment
    from tests.builders import caseload, customer, shift, visit, worker

    c = caseload([customer("C1")], [visit("V1", "C1", "09:00")], [worker("W1")],
                 [shift("W1", "07:00", "13:00")],
                 previous_rota=(Assignment(visit_id="V1-Mon", customer_id="C1", worker_id="WX",
                                           day="Mon", start="09:00", end="09:30"),))
    result = solve(c, SolveParams(time_limit_s=5, seed=1, workers=1))
    assert result.breakdown["unfamiliar_worker"] == 900  # W1 is new to C1: WX has left
    assert result.objective == result.stats["engine_objective"]


def test_visits_at_the_same_preferred_time_keep_a_strict_order_around_a_gap():
    """Found by Hypothesis: three visits of one customer preferred at 07:00, the last with a
    60-minute gap after it; equal starts made the validator's "next visit" the wrong one."""
    from tests.builders import caseload, customer, shift, visit, worker

    c = caseload(
        [customer("C0"), customer("C1"), customer("C2")],
        [visit("V0", "C0", "07:00", 45, tolerance_min=10), visit("V1", "C0", "07:00", 15),
         visit("V2", "C0", "07:00", 15, min_gap_after_min=60)],
        [worker("W0", 1, max_hours_day=3), worker("W1", 1, max_hours_day=3),
         worker("W2", 0, max_hours_day=3, min_hours_week=2)],
        [shift(w, "07:00", "13:00", "Mon;Tue") for w in ("W0", "W1", "W2")],
        policy=Policy(window_before_min=0, window_after_min=15),
    )
    check(c, SolveParams(time_limit_s=20, seed=1, workers=1, deterministic=True))
