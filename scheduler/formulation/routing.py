"""Routing: each free shift is one home-to-home run (a circuit over home and its visits), with
travel between consecutive visits and from/to home inside the shift; travel is soft-costed.

Arcs exist only between time-compatible visits (u can precede v only if its earliest end plus
the travel reaches v by v's latest start), optionally pruned to the nearest successors.
"""

from __future__ import annotations

import itertools

from ortools.sat.python import cp_model

from models.objective import MILEAGE, TRAVEL_TIME
from scheduler.formulation.context import Context, PenaltyTerm
from scheduler.formulation.variables import HOME

ID = "routing"


def applies(ctx: Context) -> bool:
    return bool(ctx.scope.shifts)


def add(ctx: Context) -> list[PenaltyTerm]:
    minutes, hectometres = [], []
    for s in ctx.scope.shifts:
        travel, distance = _shift_circuit(ctx, s)
        minutes += travel
        hectometres += distance
    return [
        PenaltyTerm(TRAVEL_TIME, cp_model.LinearExpr.WeightedSum(*_split(minutes)),
                    ctx.inst.weights[TRAVEL_TIME]),
        PenaltyTerm(MILEAGE, cp_model.LinearExpr.WeightedSum(*_split(hectometres)),
                    ctx.inst.weights[MILEAGE]),
    ]


def _split(pairs):
    return [p[0] for p in pairs], [p[1] for p in pairs]


def _shift_circuit(ctx: Context, s: int):
    """Add shift s's circuit and timing; return its (arc, minutes) and (arc, 100 m) terms."""
    inst, model, vars_ = ctx.inst, ctx.model, ctx.vars
    visits = vars_.visits_of(s)
    node = {HOME: 0, **{v: i + 1 for i, v in enumerate(visits)}}
    empty = model.NewBoolVar(f"empty[{s}]")
    ctx.shift_empty[s] = empty
    arcs = [(0, 0, empty)]
    vars_.add_arc(s, HOME, HOME, empty)
    travel, distance = [], []
    shift_start, shift_end = int(inst.shift_start[s]), int(inst.shift_end[s])
    for v in visits:
        present = vars_.assigned(v, s)
        model.AddImplication(empty, present.Not())
        arcs.append((node[v], node[v], present.Not()))
        start, duration = vars_.start[v], int(inst.duration[v])
        out = model.NewBoolVar(f"arc[{s},home,{v}]")
        model.Add(start >= shift_start + ctx.minutes(s, HOME, v)).OnlyEnforceIf(out)
        back = model.NewBoolVar(f"arc[{s},{v},home]")
        model.Add(start + duration + ctx.minutes(s, v, HOME) <= shift_end).OnlyEnforceIf(back)
        for a, b, literal in ((HOME, v, out), (v, HOME, back)):
            arcs.append((node[a], node[b], literal))
            vars_.add_arc(s, a, b, literal)
            travel.append((literal, ctx.minutes(s, a, b)))
            distance.append((literal, ctx.hectometres(s, a, b)))
    for u, v in _successor_pairs(ctx, s, visits):
        literal = model.NewBoolVar(f"arc[{s},{u},{v}]")
        gap = int(inst.duration[u]) + ctx.minutes(s, u, v)
        model.Add(vars_.start[v] >= vars_.start[u] + gap).OnlyEnforceIf(literal)
        arcs.append((node[u], node[v], literal))
        vars_.add_arc(s, u, v, literal)
        travel.append((literal, ctx.minutes(s, u, v)))
        distance.append((literal, ctx.hectometres(s, u, v)))
    model.AddCircuit(arcs)
    shift_travel = cp_model.LinearExpr.WeightedSum(*_split(travel)) if travel else 0
    ctx.shift_travel[s] = shift_travel
    ctx.shift_contact[s] = cp_model.LinearExpr.WeightedSum(
        [vars_.assigned(v, s) for v in visits], [int(inst.duration[v]) for v in visits]
    ) if visits else 0
    return travel, distance


def _successor_pairs(ctx: Context, s: int, visits: list[int]) -> list[tuple[int, int]]:
    """(u, v) pairs of shift s's visits where u can precede v, nearest successors first."""
    inst = ctx.inst
    route = ctx.scope.hint_routes.get(s, [])
    kept = set(itertools.pairwise(route))  # the current run stays reachable, so the hint holds
    pairs = []
    for u in visits:
        reach = []
        for v in visits:
            if u == v:
                continue
            travel = ctx.minutes(s, u, v)
            bounds = ctx.vars.start_bounds
            if bounds[u][0] + int(inst.duration[u]) + travel <= bounds[v][1]:
                reach.append((travel, v))
        reach.sort()
        if ctx.max_successors is not None:
            reach = [(t, v) for i, (t, v) in enumerate(reach)
                     if i < ctx.max_successors or (u, v) in kept]
        pairs += [(u, v) for _, v in reach]
    return pairs
