"""Coverage: each visit gets exactly its required number of distinct workers, or none (soft:
an unassigned visit costs its priority's weight)."""

from __future__ import annotations

from collections import defaultdict

from scheduler.formulation.context import Context, PenaltyTerm

ID = "coverage"


def applies(ctx: Context) -> bool:
    return bool(ctx.scope.visits)


def add(ctx: Context) -> list[PenaltyTerm]:
    inst, vars_, model = ctx.inst, ctx.vars, ctx.model
    by_term: dict[str, list] = defaultdict(list)
    for v in ctx.scope.visits:
        fixed = len(ctx.scope.fixed_workers.get(v, ()))
        need = int(inst.required[v]) - fixed
        literals = [vars_.assigned(v, s) for s in vars_.shifts_of(v)]
        model.Add(sum(literals) == need * vars_.covered[v])
        if fixed or v in inst.pins:
            model.Add(vars_.covered[v] == 1)
        _distinct_workers(ctx, v)
        by_term[inst.priority_term[v]].append((v, int(inst.penalty[v])))
    return [
        PenaltyTerm(term, sum(1 - vars_.covered[v] for v, _ in items), items[0][1])
        for term, items in by_term.items()
    ]


def _distinct_workers(ctx: Context, v: int) -> None:
    """A worker with two shifts that day may take the visit in one of them only."""
    per_worker = defaultdict(list)
    for s in ctx.vars.shifts_of(v):
        per_worker[int(ctx.inst.shift_worker[s])].append(ctx.vars.assigned(v, s))
    for literals in per_worker.values():
        if len(literals) > 1:
            ctx.model.AddAtMostOne(literals)
