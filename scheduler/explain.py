"""Why a visit is unassigned, in words a coordinator can act on.

The first reason that applies wins: no worker may do it at all (skills, gender preference,
provider, zone, bans); no eligible worker's run covers its window with travel; the customer's
team is full and none of its members is free; or capacity is exhausted then (the competing
visits are named).
"""

from __future__ import annotations

from models.base import format_clock, format_week_time
from scheduler.plan import Plan

NAMED = 3
"""Workers named in a capacity reason."""


def unassigned_reason(plan: Plan, v: int) -> str:
    """One sentence on why visit v is not in the rota."""
    inst = plan.inst
    need = int(inst.required[v])
    eligible = [int(w) for w in inst.eligible[v].nonzero()[0]]
    when = _window(plan, v)
    if len(eligible) < need:
        return _no_eligible(plan, v, eligible)
    workers_with_shift = {int(inst.shift_worker[s]) for s in inst.candidates[v]}
    if len(workers_with_shift) < need:
        names = ", ".join(inst.worker_ids[w] for w in eligible[:5])
        return (
            f"window too narrow for any eligible worker's run: none of {names} is available "
            f"{when} with travel from home and back"
        )
    c = int(inst.customer[v])
    team = plan.team[c]
    if len(team) >= int(inst.team_cap[c]) and not any(w in team for w in workers_with_shift):
        members = ", ".join(sorted(inst.worker_ids[w] for w in team))
        return (
            f"team cap reached: {inst.customer_ids[c]} already has {len(team)} workers "
            f"({members}) and none of them is available {when}"
        )
    blocks = [b for b in dict.fromkeys(_blocker(plan, v, int(s)) for s in inst.candidates[v]) if b]
    named = "; ".join(blocks[:NAMED])
    if len(blocks) > NAMED:
        named += f"; and {len(blocks) - NAMED} more"
    return f"capacity exhausted {when}: {named or 'no run has room with travel'}"


def _window(plan: Plan, v: int) -> str:
    inst = plan.inst
    lo, hi = int(inst.earliest[v]), int(inst.latest[v])
    end = hi + int(inst.duration[v])
    return f"{format_week_time(lo)}-{format_clock(end % 1440)}"


def _no_eligible(plan: Plan, v: int, eligible: list[int]) -> str:
    inst = plan.inst
    need = int(inst.required[v])
    c = inst.customer_ids[int(inst.customer[v])]
    if eligible:
        names = ", ".join(inst.worker_ids[w] for w in eligible)
        return (
            f"needs {need} workers but only {names} may serve {c} "
            "(skills, gender preference, zone, provider and bans considered)"
        )
    return (
        f"no worker may serve {c} on this visit: none meets its skills, the customer's gender "
        "preference, zone, provider and bans together"
    )


def _blocker(plan: Plan, v: int, s: int) -> str:
    """What stops shift s's worker from taking visit v."""
    inst = plan.inst
    w = int(inst.shift_worker[s])
    name = inst.worker_ids[w]
    if w in plan.workers_of(v):
        return ""
    if not plan.team_allows(v, w):
        return f"{name} would exceed {inst.customer_ids[int(inst.customer[v])]}'s team cap"
    if not plan.load_allows(s, v):
        return f"{name}'s run is at its load cap"
    lo = int(inst.earliest[v])
    hi = int(inst.latest[v]) + int(inst.duration[v])
    busy = [
        u for u in plan.runs[s]
        if plan.start[u] < hi and plan.start[u] + int(inst.duration[u]) > lo
    ]
    if busy:
        u = busy[0]
        return (
            f"{name} is at {inst.visit_ids[u]} ({inst.customer_ids[int(inst.customer[u])]}) "
            f"{format_clock(plan.start[u] % 1440)}-"
            f"{format_clock((plan.start[u] + int(inst.duration[u])) % 1440)}"
        )
    day = int(inst.shift_day[s])
    if plan.worked_day[(w, day)] + int(inst.duration[v]) > inst.max_day[w]:
        return f"{name} would exceed max hours that day"
    if plan.worked_week[w] + int(inst.duration[v]) > inst.max_week[w]:
        return f"{name} would exceed max hours in the week"
    return f"{name}'s neighbouring visits leave no time for the travel"
