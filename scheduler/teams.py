"""Team planning: which workers a customer's visits should go to, before they are placed.

A customer's team must cover every visit of their week (a double-handed visit needs two members
able to come) within the team cap. Placing visits one by one picks members for the first visits
and can leave the later ones (evenings, weekends) with nobody in the team able to come; choosing
the team first, from who is able to take which visit, avoids that.
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from scheduler.insertion import options
from scheduler.plan import Plan

FAMILIAR_BONUS = 2.0
"""How much more a worker of last week's team (or a named regular) is worth as a team member,
for the same visit minutes covered."""

COVER_POINTS = 1000
"""Points per visit minute covered by a team member able to take it (exact team choice)."""

SPARE_POINTS = 20
"""Points per visit minute with one member more than it needs able to take it: a spare, so a
busy member need not leave the visit out (exact team choice)."""

COVER_TIME_S = 0.2
"""Deterministic time limit of one exact team choice (CP-SAT's deterministic seconds; the
models are small and usually solved to optimality in milliseconds)."""


def available_minutes(inst) -> list[float]:
    """Minutes each worker could work in the week: availability, capped by max hours."""
    total = [0.0] * inst.n_workers
    for s in range(inst.n_shifts):
        total[int(inst.shift_worker[s])] += float(inst.shift_end[s] - inst.shift_start[s])
    return [max(1.0, min(t, float(inst.max_week[w]))) for w, t in enumerate(total)]


def able_workers(plan: Plan, c: int) -> dict[int, frozenset[int]]:
    """For each waiting visit of customer c, the workers who could take it in the plan as it
    stands (some run has room for it), team cap aside."""
    inst = plan.inst
    return {
        v: frozenset(int(inst.shift_worker[o.s]) for o in options(plan, v, ignore_team=True))
        for v in plan.visits_of_customer[c] if not plan.is_assigned(v)
    }


def planned_team(
    plan: Plan,
    c: int,
    able: dict[int, frozenset[int]],
    commitment: list[float],
    capacity: list[float],
) -> list[int]:
    """The workers customer c's visits should go to.

    The current team first, then, one at a time, the worker covering most of the still-uncovered
    visit minutes, preferring last week's team and named regulars (FAMILIAR_BONUS), workers less
    committed (``commitment`` / ``capacity``, minutes) and living nearer. If that greedy choice
    reaches the team cap with a visit still short of able members, the team is chosen exactly
    instead (``covering_team``). ``able[v]`` holds the workers able to take visit v. Each new
    member's share of the minutes is added to their commitment.
    """
    inst = plan.inst
    visits = [v for v in plan.visits_of_customer[c] if v in able]
    current = list(plan.team[c])
    pool = set().union(*(able[v] for v in visits)) - set(current) if visits else set()
    if not pool:
        return current
    preference = _preference(plan, c, visits, able, pool, commitment, capacity)
    cap = int(inst.team_cap[c])
    team = _greedy_team(plan, visits, able, current, cap, preference)
    if _short_visits(plan, visits, able, team):
        team = current + covering_team(plan, visits, able, current, cap, preference)
    _commit(plan, visits, able, team, commitment)
    return team


def _preference(plan, c, visits, able, pool, commitment, capacity) -> dict[int, float]:
    """Per candidate worker: visit minutes they are able to take, scaled by their spare
    capacity, familiarity (FAMILIAR_BONUS) and nearness (halved at 30 minutes from home)."""
    inst, duration = plan.inst, plan.tables.duration
    home_minutes = inst.minutes[0][inst.home, inst.customer_place[c]]
    out = {}
    for w in sorted(pool):
        minutes = sum(duration[v] for v in visits if w in able[v])
        spare = max(0.05, 1.0 - commitment[w] / capacity[w])
        bonus = FAMILIAR_BONUS if w in inst.familiar[c] else 1.0
        out[w] = minutes * spare * bonus / (1.0 + float(home_minutes[w]) / 30.0)
    return out


def _greedy_team(plan, visits, able, current, cap, preference) -> list[int]:
    """Add, while under the cap, the worker whose preference per able minute times the
    still-uncovered minutes they are able to take is highest."""
    inst, duration = plan.inst, plan.tables.duration
    team = list(current)
    deficit = {v: int(inst.required[v]) - len(able[v] & set(team)) for v in visits}
    per_minute = {
        w: p / max(1, sum(duration[v] for v in visits if w in able[v]))
        for w, p in preference.items()
    }

    def gain(w: int) -> float:
        return per_minute[w] * sum(duration[v] for v in visits if deficit[v] > 0 and w in able[v])

    candidates = set(preference)
    while len(team) < cap and candidates and any(d > 0 for d in deficit.values()):
        best = max(sorted(candidates), key=gain)
        if gain(best) <= 0:
            break
        team.append(best)
        candidates.discard(best)
        for v in visits:
            deficit[v] -= best in able[v]
    return team


def _short_visits(plan, visits, able, team) -> list[int]:
    """Visits fewer team members are able to take than they need."""
    members = set(team)
    return [v for v in visits if len(able[v] & members) < int(plan.inst.required[v])]


def _commit(plan, visits, able, team, commitment) -> None:
    """Add to each member's commitment their share of the visit minutes they are needed for
    (members in team order, each visit split between the members it needs)."""
    inst, duration = plan.inst, plan.tables.duration
    deficit = {v: int(inst.required[v]) for v in visits}
    for w in team:
        for v in visits:
            if w in able[v] and deficit[v] > 0:
                deficit[v] -= 1
                commitment[w] += duration[v] / max(1, int(inst.required[v]))


def covering_team(
    plan: Plan,
    visits: list[int],
    able: dict[int, frozenset[int]],
    fixed: list[int],
    cap: int,
    preference: dict[int, float],
) -> list[int]:
    """The new members (beyond ``fixed``) that, with the fixed ones, cover the most visit
    minutes (a double-handed visit needs two members able to take it), then give the most
    visits a spare member, then have the highest ``preference``; at most ``cap`` in all.
    A small CP-SAT model, solved within COVER_TIME_S; no members when it finds nothing."""
    inst, duration = plan.inst, plan.tables.duration
    model = cp_model.CpModel()
    member = {w: model.new_bool_var(f"member_{w}") for w in sorted(preference)}
    model.add(sum(member.values()) <= cap - len(fixed))
    points = []
    for v in visits:
        need = int(inst.required[v])
        able_count = sum(member[w] for w in able[v] if w in member) + len(set(fixed) & able[v])
        covered = model.new_int_var(0, need, f"covered_{v}")
        spare = model.new_bool_var(f"spare_{v}")
        model.add(covered <= able_count)
        model.add(able_count >= need + 1).only_enforce_if(spare)
        minutes = int(duration[v])
        points += [COVER_POINTS * minutes * covered, SPARE_POINTS * minutes * spare]
    scale = max(preference.values(), default=1.0) or 1.0
    points += [int(100 * preference[w] / scale) * x for w, x in member.items()]
    model.maximize(sum(points))
    solver = cp_model.CpSolver()
    solver.parameters.max_deterministic_time = COVER_TIME_S  # the same answer under any load
    solver.parameters.max_time_in_seconds = 10 * COVER_TIME_S
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = 0
    solver.parameters.catch_sigint_signal = False  # CP-SAT would leave Ctrl-C unhandled
    if solver.solve(model) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return []
    return [w for w, x in member.items() if solver.value(x)]
