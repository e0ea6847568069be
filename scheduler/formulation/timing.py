"""Timing between a customer's visits (min_gap_after_min and their order), pinned assignments,
and punctuality (soft: minutes from the preferred start beyond the tolerance)."""

from __future__ import annotations

from models.objective import PUNCTUALITY
from scheduler.formulation.context import Context, PenaltyTerm

ID = "timing"


def applies(ctx: Context) -> bool:
    return bool(ctx.scope.visits)


def add(ctx: Context) -> list[PenaltyTerm]:
    _precedences(ctx)
    _pins(ctx)
    return _punctuality(ctx)


def _precedences(ctx: Context) -> None:
    """start v >= start u + delay whenever both are assigned (fixed ones at their start)."""
    vars_, model, scope = ctx.vars, ctx.model, ctx.scope
    free = set(scope.visits)
    for u, v, delay in ctx.inst.precedences:
        if u in free and v in free:
            model.Add(vars_.start[v] >= vars_.start[u] + delay).OnlyEnforceIf(
                [vars_.covered[u], vars_.covered[v]]
            )
        elif u in free and v in scope.fixed_start:
            model.Add(vars_.start[u] + delay <= scope.fixed_start[v]).OnlyEnforceIf(
                vars_.covered[u]
            )
        elif v in free and u in scope.fixed_start:
            model.Add(vars_.start[v] >= scope.fixed_start[u] + delay).OnlyEnforceIf(
                vars_.covered[v]
            )


def _pins(ctx: Context) -> None:
    """A pinned visit keeps its worker (in one of that worker's shifts) and its start if given."""
    inst, vars_, model = ctx.inst, ctx.vars, ctx.model
    for v in ctx.scope.visits:
        for worker, start in inst.pins.get(v, ()):
            literals = [
                vars_.assigned(v, s) for s in vars_.shifts_of(v)
                if int(inst.shift_worker[s]) == worker
            ]
            model.Add(sum(literals) == 1)
            if start is not None:
                model.Add(vars_.start[v] == start)


def _punctuality(ctx: Context) -> list[PenaltyTerm]:
    inst, vars_, model = ctx.inst, ctx.vars, ctx.model
    weight = inst.weights[PUNCTUALITY]
    if not weight:
        return []
    deviations = []
    for v in ctx.scope.visits:
        preferred, tolerance = int(inst.preferred[v]), int(inst.tolerance[v])
        lo, hi = int(inst.earliest[v]), int(inst.latest[v])
        worst = max(0, max(preferred - lo, hi - preferred) - tolerance)
        if worst == 0:
            continue
        deviation = model.NewIntVar(0, worst, f"late_or_early[{v}]")
        model.Add(deviation >= vars_.start[v] - preferred - tolerance)
        model.Add(deviation >= preferred - tolerance - vars_.start[v])
        deviations.append(deviation)
    return [PenaltyTerm(PUNCTUALITY, sum(deviations), weight)] if deviations else []
