"""A neighbourhood of a Plan as a formulation Scope: the chosen shifts are freed (their runs are
rebuilt by CP-SAT), and everything else is summarised as fixed context; the solution is written
back into the Plan."""

from __future__ import annotations

from collections import defaultdict

from models.base import WEEKEND
from scheduler.formulation import Formulation, Outcome
from scheduler.formulation.scope import Scope
from scheduler.plan import Plan


def scope_of(plan: Plan, shifts: list[int], extra_visits: list[int] = ()) -> Scope:
    """Free ``shifts`` and their visits plus ``extra_visits`` (unassigned ones to try)."""
    inst = plan.inst
    free = set(shifts)
    visits = sorted({v for s in shifts for v in plan.runs[s]} | set(extra_visits))
    fixed_workers, fixed_start = {}, {}
    for v in visits:
        outside = [int(inst.shift_worker[s]) for s in plan.rows[v] if s not in free]
        if outside:
            fixed_workers[v] = tuple(outside)
            fixed_start[v] = plan.start[v]
        for u, _ in plan.tables.before[v] + plan.tables.after[v]:
            if plan.rows[u] and not (set(plan.rows[u]) & free) and u not in fixed_start:
                fixed_start[u] = plan.start[u]
    return Scope(
        shifts=tuple(sorted(free)),
        visits=tuple(visits),
        fixed_workers=fixed_workers,
        fixed_start=fixed_start,
        team_rows=_team_outside(plan, free, visits),
        worked_week=_worked_outside(plan, free, by_day=False),
        worked_day=_worked_outside(plan, free, by_day=True),
        day_bounds=_bounds_outside(plan, free),
        hint_routes={s: list(plan.runs[s]) for s in free},
        hint_starts={v: plan.start[v] for v in visits if plan.rows[v]},
    )


def _team_outside(plan: Plan, free: set[int], visits: list[int]):
    """customer -> worker -> (weekday rows, weekend rows) not in the free shifts."""
    inst = plan.inst
    inside = defaultdict(lambda: [0, 0])
    for s in free:
        w = int(inst.shift_worker[s])
        for v in plan.runs[s]:
            inside[(int(inst.customer[v]), w)][1 if int(inst.day[v]) in WEEKEND else 0] += 1
    out = {}
    for c in {int(inst.customer[v]) for v in visits}:
        rows = {}
        for w, (weekday, weekend) in plan.team[c].items():
            a, b = inside.get((c, w), (0, 0))
            if weekday - a or weekend - b:
                rows[w] = (weekday - a, weekend - b)
        out[c] = rows
    return out


def _worked_outside(plan: Plan, free: set[int], by_day: bool):
    inst = plan.inst
    out = {}
    for s in free:
        w, day = int(inst.shift_worker[s]), int(inst.shift_day[s])
        key = (w, day) if by_day else w
        if key not in out:
            out[key] = plan.worked_day[(w, day)] if by_day else plan.worked_week[w]
        out[key] -= plan.info[s].travel + plan.info[s].contact
    return out


def _bounds_outside(plan: Plan, free: set[int]):
    """(worker, day) -> (first start, last end) of runs outside the scope, for the days of the
    free shifts and the days either side (rest between days)."""
    inst = plan.inst
    out = {}
    for s in free:
        w, day = int(inst.shift_worker[s]), int(inst.shift_day[s])
        for d in (day - 1, day, day + 1):
            runs = [
                x for x in plan.worker_day_shifts.get((w, d), ())
                if x not in free and plan.runs[x]
            ]
            if runs:
                out[(w, d)] = (
                    min(plan.info[x].first for x in runs), max(plan.info[x].last for x in runs)
                )
    return out


def apply_outcome(plan: Plan, outcome: Outcome) -> None:
    """Write a solved scope's runs and starts into the plan (emptied runs first, so visits
    that move between runs never sit in two at once)."""
    for s in outcome.routes:
        plan.set_run(s, [], [])
    for s, route in outcome.routes.items():
        if route:
            plan.set_run(s, route, [outcome.starts[v] for v in route])


def solve_scope(plan: Plan, scope: Scope, *, time_limit_s: float, seed: int,
                max_successors: int | None = 10, workers: int = 1,
                deterministic_time: float | None = None) -> Outcome:
    """Build and solve the formulation of a scope of the plan."""
    formulation = Formulation(plan.inst, scope, max_successors=max_successors)
    return formulation.solve(time_limit_s=time_limit_s, seed=seed, workers=workers,
                             deterministic_time=deterministic_time, catch_interrupt=False)
