"""Putting a visit into the rota and taking it out: the moves construction and repair share.

``options`` estimates, for every shift and position a visit could go in, the objective change
in points (travel, mileage, team, punctuality, guaranteed hours) and the window its start
could take there, from each run's cached earliest/latest starts: O(1) per position. ``insert``
tries the best options exactly (re-timing the run and checking every rule) until one holds;
a double-handed visit takes the best pair of options of two workers whose windows overlap.
"""

from __future__ import annotations

import random
from bisect import bisect_left
from typing import NamedTuple

from models.objective import (
    GUARANTEED_HOURS,
    MILEAGE,
    PUNCTUALITY,
    TEAM_SIZE,
    TRAVEL_TIME,
    UNFAMILIAR_WORKER,
    WEEKEND_UNFAMILIAR,
)
from scheduler.plan import Plan

TRIES = 6
"""Options tried exactly (in estimated cost order) before a visit is declared unplaceable."""

PAIR_POOL = 30
"""Cheapest single-worker options considered when pairing up a double-handed visit."""


class Option(NamedTuple):
    """Visit at position ``pos`` of shift ``s``: estimated cost (points), start window."""

    cost: int
    s: int
    pos: int
    lo: int
    hi: int


def options(
    plan: Plan,
    v: int,
    shifts=None,
    noise: random.Random | None = None,
    ignore_team: bool = False,
) -> list[Option]:
    """Every feasible-looking place for visit v, cheapest first; ``noise`` blurs the costs;
    ``ignore_team`` lists places the customer's team cap would rule out too."""
    inst, tables = plan.inst, plan.tables
    weights = inst.weights
    w_travel, w_mileage = weights[TRAVEL_TIME], weights[MILEAGE]
    w_punctual, w_guaranteed = weights[PUNCTUALITY], weights[GUARANTEED_HOURS]
    lo_v, hi_v = plan.windows(v, set(), {})
    duration, place = tables.duration[v], tables.place[v]
    punctual_from = tables.punctual_from[v]
    preferred, tolerance = tables.preferred[v], tables.tolerance[v]
    taken = set(plan.workers_of(v))
    c = tables.customer[v]
    team = plan.team[c]
    team_full = not ignore_team and len(team) >= int(inst.team_cap[c])
    places, durations = tables.place, tables.duration
    worker_cost: dict[int, int] = {}
    out: list[Option] = []
    for s in tables.candidates[v] if shifts is None else shifts:
        w = tables.shift_worker[s]
        if w in taken or (team_full and w not in team) or not plan.load_allows(s, v):
            continue
        day = tables.shift_day[s]
        worked_week = plan.worked_week[w]
        room = tables.max_day[w] - plan.worked_day[(w, day)]
        if room > tables.max_week[w] - worked_week:
            room = tables.max_week[w] - worked_week
        room -= duration
        if room < 0:
            continue
        shortfall = tables.guaranteed[w] - worked_week
        run = plan.runs[s]
        earliest, latest = plan.slack(s)
        minutes, hm, home = tables.minutes[w], tables.hm[w], tables.home[w]
        shift_start, shift_end = tables.shift_start[s], tables.shift_end[s]
        # latest starts rise along a run: before this position v could not end in time
        for i in range(bisect_left(latest, lo_v + duration), len(run) + 1):
            if i:
                prev = run[i - 1]
                a, depart = places[prev], earliest[i - 1] + durations[prev]
            else:
                a, depart = home, shift_start
            # comparisons rather than max() and min() calls: the search's hottest loop
            lo = depart + minutes[a][place]
            if lo < lo_v:
                lo = lo_v
            if lo > hi_v:
                break
            if i < len(run):
                b = places[run[i]]
                hi = latest[i] - minutes[place][b] - duration
            else:
                b = home
                hi = shift_end - minutes[place][home] - duration
            if hi > hi_v:
                hi = hi_v
            if lo > hi:
                continue
            extra = minutes[a][place] + minutes[place][b] - minutes[a][b]
            if extra > room:
                continue
            start = lo if lo > punctual_from else punctual_from
            if start > hi:
                start = hi
            late = abs(start - preferred) - tolerance
            if w not in worker_cost:
                worker_cost[w] = team_cost(plan, v, w) + foresight_cost(plan, v, w)
            cost = (
                worker_cost[w]
                + w_travel * extra
                + w_mileage * (hm[a][place] + hm[place][b] - hm[a][b])
                + (w_punctual * late if late > 0 else 0)
                - (w_guaranteed * (shortfall if shortfall < duration + extra else duration + extra)
                   if shortfall > 0 else 0)
            )
            if noise is not None:
                cost = int(cost * (0.8 + 0.4 * noise.random()))
            out.append(Option(cost, s, i, lo, hi))
    out.sort()
    return out


def team_cost(plan: Plan, v: int, w: int) -> int:
    """Points that worker w taking visit v adds to the continuity terms."""
    inst, tables = plan.inst, plan.tables
    weights = inst.weights
    c = tables.customer[v]
    rows = plan.team[c].get(w)
    cost = 0
    if rows is None:
        cost += weights[TEAM_SIZE]
        familiar = inst.familiar[c]
        if familiar and w not in familiar:
            cost += weights[UNFAMILIAR_WORKER]
        rows = (0, 0)
    if tables.weekend[v]:
        if rows[0] == 0:
            cost += weights[WEEKEND_UNFAMILIAR]
    elif rows[0] == 0 and rows[1]:
        cost -= weights[WEEKEND_UNFAMILIAR] * rows[1]
    return cost


def foresight_cost(plan: Plan, v: int, w: int) -> int:
    """When worker w would take the last free place in visit v's customer's team: half the
    unassigned points of the customer's other waiting visits that the team could then not
    serve (nobody in it is ever available for them)."""
    inst, tables = plan.inst, plan.tables
    c = tables.customer[v]
    team = plan.team[c]
    if w in team or int(inst.team_cap[c]) - len(team) != 1:
        return 0
    members = set(team) | {w}
    return sum(
        tables.penalty[u] // 2
        for u in plan.visits_of_customer[c]
        if u != v and not plan.rows[u] and not (tables.candidate_workers[u] & members)
    )


def difficulty(plan: Plan, v: int) -> tuple[int, int, int]:
    """Sort key, hardest visit first: fewest workers able to take it, double-handed,
    higher priority."""
    inst = plan.inst
    return (len(plan.tables.candidate_workers[v]), -int(inst.required[v]), -int(inst.penalty[v]))


def insert(plan: Plan, v: int, noise: random.Random | None = None, shifts=None) -> bool:
    """Place visit v (all its workers) at the cheapest place that keeps every rule."""
    found = options(plan, v, shifts, noise)
    if plan.inst.required[v] - len(plan.rows[v]) > 1:
        return _insert_pair(plan, v, found)
    for option in found[:TRIES]:
        run = plan.runs[option.s]
        if plan.try_run(option.s, [*run[:option.pos], v, *run[option.pos:]]):
            return True
    return False


def insert_with_partners(plan: Plan, v: int) -> bool:
    """Insert v first and then its customer's visits it has a timing relation with (which are
    taken out for this); undone unless all of them fit again."""
    tables = plan.tables
    partners = sorted({u for u, _ in tables.before[v] + tables.after[v] if plan.rows[u]})
    if not partners:
        return False
    plan.begin()
    for u in partners:
        remove(plan, u)
    if insert(plan, v) and all(insert(plan, u) for u in partners):
        plan.commit()
        return True
    plan.rollback()
    return False


def _insert_pair(plan: Plan, v: int, found: list[Option]) -> bool:
    """Two workers for a double-handed visit, starting together."""
    tables = plan.tables
    pool = found[:PAIR_POOL]
    pairs = []
    for i, a in enumerate(pool):
        wa = tables.shift_worker[a.s]
        for b in pool[i + 1:]:
            if tables.shift_worker[b.s] == wa:
                continue
            lo, hi = max(a.lo, b.lo), min(a.hi, b.hi)
            if lo <= hi:
                pairs.append((a.cost + b.cost, a, b, min(max(lo, tables.punctual_from[v]), hi)))
    pairs.sort(key=lambda p: p[0])
    for _, a, b, start in pairs[:TRIES]:
        run_a = plan.runs[a.s]
        if not plan.try_run(a.s, [*run_a[:a.pos], v, *run_a[a.pos:]], {v: start}):
            continue
        run_b = plan.runs[b.s]
        if plan.try_run(b.s, [*run_b[:b.pos], v, *run_b[b.pos:]]):
            return True
        remove_from_run(plan, v, a.s)
    return False


def remove(plan: Plan, v: int) -> None:
    """Take visit v out of every run it is in (the runs are re-timed)."""
    for s in list(plan.rows[v]):
        remove_from_run(plan, v, s)


def remove_from_run(plan: Plan, v: int, s: int) -> None:
    """Take visit v out of shift s's run. If the rest cannot be re-timed without it (only with
    a travel.csv that breaks the triangle inequality), the whole run is emptied."""
    run = [u for u in plan.runs[s] if u != v]
    starts = plan.schedule(s, run)
    if starts is not None:
        plan.set_run(s, run, starts)
        return
    plan.set_run(s, [], [])
    for u in run:
        remove(plan, u)
