"""Load: the summed load of one shift's visits stays within the worker's per-shift cap."""

from __future__ import annotations

from scheduler.formulation.context import Context, PenaltyTerm
from scheduler.prepare import NO_CAP

ID = "load"


def applies(ctx: Context) -> bool:
    workers = ctx.inst.shift_worker[list(ctx.scope.shifts)]
    return bool(len(workers)) and bool((ctx.inst.max_load[workers] < NO_CAP).any())


def add(ctx: Context) -> list[PenaltyTerm]:
    inst = ctx.inst
    for s in ctx.scope.shifts:
        cap = int(inst.max_load[inst.shift_worker[s]])
        visits = [v for v in ctx.vars.visits_of(s) if inst.load[v] > 0]
        if cap < NO_CAP and sum(int(inst.load[v]) for v in visits) > cap:
            ctx.model.Add(
                sum(int(inst.load[v]) * ctx.vars.assigned(v, s) for v in visits) <= cap
            )
    return []
