"""How the LNS picks its next operator: time shares by improvement per second, so a slow
operator is called less often for the same share; operators for left-out visits only while
a visit is left out."""

from __future__ import annotations

import random
import time
from collections import Counter
from pathlib import Path
from unittest import mock

from models.objective import UNASSIGNED_CRITICAL
from scheduler.construct import construct
from scheduler.formulation import Outcome
from scheduler.insertion import insert as _insert
from scheduler.insertion import remove
from scheduler.io import read_caseload
from scheduler.lns import (
    BUDGET_SUBSOLVE_WALL_S,
    FOR_CRITICAL_VISITS,
    FOR_SETTLED_TEAMS,
    FOR_WAITING_VISITS,
    SUBSOLVE_S,
    Limits,
    Search,
    _rebuild_exactly,
)
from scheduler.plan import Plan
from scheduler.prepare import prepare

TINY = Path(__file__).resolve().parents[1] / "data" / "samples" / "tiny"


def search_of_tiny(reform_ahead: bool = False) -> Search:
    plan = Plan(prepare(read_caseload(TINY)))
    construct(plan, random.Random(1))
    limits = Limits(deadline=time.monotonic() + 60, reform_ahead=reform_ahead)
    return Search(plan, random.Random(1), limits, seed=1)


def choices(search: Search, n: int) -> Counter:
    """n picks with the weights as they stand (iteration 1 never triggers a reweighing)."""
    search.iteration = 1
    return Counter(search._choose() for _ in range(n))


def test_equal_weights_give_a_slow_operator_calls_in_inverse_proportion_to_its_cost():
    search = search_of_tiny()
    for name, stat in search.stats.items():
        stat.weight, stat.calls, stat.total_seconds = 1.0, 100, 0.1  # 1 ms a call
    search.stats["exact_day"].total_seconds = 50.0  # 0.5 s a call: 500 times slower
    counts = choices(search, 20_000)
    fast = [counts[n] for n in search.operators
            if n != "exact_day" and n not in FOR_WAITING_VISITS]
    assert counts["exact_day"] < 0.01 * min(fast)
    assert min(fast) > 0.5 * max(fast)  # equal weights, equal cost: about equal calls


def test_a_higher_rate_buys_a_larger_time_share():
    search = search_of_tiny()
    for stat in search.stats.values():
        stat.weight, stat.calls, stat.total_seconds = 1.0, 100, 0.1
    search.stats["day_cluster"].weight = 10.0
    counts = choices(search, 20_000)
    assert counts["day_cluster"] > 5 * counts["related_customers"]


def test_operators_for_left_out_visits_wait_until_a_visit_is_left_out():
    search = search_of_tiny()
    assert search.plan.unassigned_points == 0  # tiny: construction places everything
    assert not FOR_WAITING_VISITS & set(choices(search, 5_000))


def test_team_reshaping_operators_wait_while_a_double_handed_visit_is_left_out():
    search = search_of_tiny(reform_ahead=True)
    assert set(choices(search, 5_000)) >= FOR_SETTLED_TEAMS  # tiny: everything placed
    remove(search.plan, search.plan.inst.visit_ids.index("V3-Mon"))  # hoist, two workers
    assert not FOR_SETTLED_TEAMS & set(choices(search, 5_000))


def test_team_reshaping_operators_wait_for_a_reform_only_if_one_may_come():
    search = search_of_tiny(reform_ahead=False)
    remove(search.plan, search.plan.inst.visit_ids.index("V3-Mon"))
    assert set(choices(search, 5_000)) >= FOR_SETTLED_TEAMS


def test_team_reshaping_operators_wait_only_for_a_reform_that_the_visits_out_allow():
    """No reform follows while exactly the visits left out at the last one are out
    (scheduler/parallel.py), so the team operators run then; with any other visits out a
    reform may come, and they wait."""
    search = search_of_tiny(reform_ahead=True)
    plan, inst = search.plan, search.plan.inst
    v3 = inst.visit_ids.index("V3-Mon")  # hoist, two workers
    remove(plan, v3)
    search.limits.reformed_out = frozenset({v3})
    assert set(choices(search, 5_000)) >= FOR_SETTLED_TEAMS
    search.limits.reformed_out = frozenset({v3, inst.visit_ids.index("V4-Mon")})
    assert not FOR_SETTLED_TEAMS & set(choices(search, 5_000))


def test_team_reshaping_operators_wait_while_a_full_team_keeps_a_visit_out():
    """C4's V4 (anyone may take it) is left out; C4's team is V7's worker. With C4's cap of
    three, re-forming the teams has nothing to do, so they are chosen; with a cap of one, the
    full team keeps V4 out while others could come, so they wait."""
    search = search_of_tiny(reform_ahead=True)
    plan, inst = search.plan, search.plan.inst
    v4 = inst.visit_ids.index("V4-Mon")
    c4 = int(inst.customer[v4])
    remove(plan, v4)
    assert len(plan.team[c4]) == 1 and len(plan.tables.candidate_workers[v4]) == 3
    assert set(choices(search, 5_000)) >= FOR_SETTLED_TEAMS
    inst.team_cap[c4] = 1  # the visits left out are the same: the choice must still see it
    assert not FOR_SETTLED_TEAMS & set(choices(search, 5_000))


def test_operators_for_critical_visits_wait_until_a_critical_one_is_left_out():
    search = search_of_tiny()
    plan, inst = search.plan, search.plan.inst
    normal = next(v for v in range(inst.n_visits) if inst.priority_term[v] != UNASSIGNED_CRITICAL)
    remove(plan, normal)
    chosen = set(choices(search, 5_000))
    assert "unassigned" in chosen and not FOR_CRITICAL_VISITS & chosen
    critical = next(v for v in range(inst.n_visits)
                    if inst.priority_term[v] == UNASSIGNED_CRITICAL)
    remove(plan, critical)
    assert set(choices(search, 5_000)) >= FOR_CRITICAL_VISITS


def test_an_iteration_budget_gives_the_same_rota_whatever_the_timing():
    """Under an iteration budget the choice uses nominal seconds per call, not measured ones, so
    a slower second run (another process competing) makes the same choices."""
    from models.result import SolveParams
    from scheduler.generate import generate
    from scheduler.solve import solve

    c = generate("S", "mixed", 3)
    params = SolveParams(time_limit_s=60, seed=2, workers=1, iterations=400)
    first = solve(c, params)
    with mock.patch("scheduler.lns.insert", side_effect=_slow_insert):
        second = solve(c, params)
    assert first.rota.assignments == second.rota.assignments
    assert first.objective == second.objective


def _slow_insert(*args, **kwargs):
    time.sleep(0.0002)
    return _insert(*args, **kwargs)


def test_a_search_says_when_the_clock_and_not_its_iteration_budget_ended_it(caplog):
    search = search_of_tiny()
    search.limits = Limits(deadline=time.monotonic() + 0.3, iterations=10**9, log_every_s=None)
    search.run()
    assert 0 < search.iteration < 10**9
    assert f"after {search.iteration} of {10**9} iterations" in caplog.text

    caplog.clear()
    search = search_of_tiny()
    search.limits = Limits(deadline=time.monotonic() + 60, iterations=50, log_every_s=None)
    search.run()
    assert search.iteration == 50 and "iterations: another" not in caplog.text


def test_under_an_iteration_budget_only_the_deterministic_limit_ends_a_cp_sat_move():
    """A loaded machine must not cut a CP-SAT neighbourhood short, or the moves would differ."""
    walls, nothing_found = {}, Outcome("unknown", {}, {}, None, None, {}, 0.0)
    for budget in (None, 100):
        search = search_of_tiny()
        search.limits = Limits(deadline=time.monotonic() + 60, iterations=budget)
        with mock.patch("scheduler.lns.solve_scope", return_value=nothing_found) as solve:
            _rebuild_exactly(search, [0], [])
        walls[budget] = solve.call_args.kwargs
    assert walls[None]["time_limit_s"] == 4 * SUBSOLVE_S
    assert walls[100]["time_limit_s"] == BUDGET_SUBSOLVE_WALL_S
    assert walls[None]["deterministic_time"] == walls[100]["deterministic_time"] == SUBSOLVE_S
