"""Continuity: at most max_team_size distinct workers per customer in the week (hard); each
distinct worker costs, more when unfamiliar (not last week's team nor a named regular), and a
weekend visit by a worker who never visits that customer on a weekday costs too (soft)."""

from __future__ import annotations

from collections import defaultdict

from models.base import WEEKEND
from models.objective import TEAM_SIZE, UNFAMILIAR_WORKER, WEEKEND_UNFAMILIAR
from scheduler.formulation.context import Context, PenaltyTerm

ID = "team"


def applies(ctx: Context) -> bool:
    return bool(ctx.scope.visits)


def add(ctx: Context) -> list[PenaltyTerm]:
    literals = _literals_by_customer_worker(ctx)
    team_terms, unfamiliar_terms, weekend_terms = [], [], []
    for c, by_worker in literals.items():
        members = _members(ctx, c, by_worker)
        team_terms += members.values()
        if ctx.inst.familiar[c]:
            unfamiliar_terms += [m for w, m in members.items() if w not in ctx.inst.familiar[c]]
        if ctx.inst.weights[WEEKEND_UNFAMILIAR]:
            weekend_terms += _weekend_unfamiliar(ctx, c, by_worker)
    weights = ctx.inst.weights
    return [
        PenaltyTerm(TEAM_SIZE, sum(team_terms), weights[TEAM_SIZE]),
        PenaltyTerm(UNFAMILIAR_WORKER, sum(unfamiliar_terms), weights[UNFAMILIAR_WORKER]),
        PenaltyTerm(WEEKEND_UNFAMILIAR, sum(weekend_terms), weights[WEEKEND_UNFAMILIAR]),
    ]


def _literals_by_customer_worker(ctx: Context) -> dict[int, dict[int, list[tuple[int, object]]]]:
    """customer -> worker -> [(day, assign literal)] over the free visits."""
    out: dict[int, dict[int, list]] = defaultdict(lambda: defaultdict(list))
    inst = ctx.inst
    for v, s, literal in ctx.vars.pairs():
        out[int(inst.customer[v])][int(inst.shift_worker[s])].append((int(inst.day[v]), literal))
    return out


def _members(ctx: Context, c: int, by_worker: dict) -> dict[int, object]:
    """team[c, w] for workers not already serving c outside the scope; caps the team."""
    model = ctx.model
    fixed = {w for w, rows in ctx.scope.team_rows.get(c, {}).items() if sum(rows)}
    members = {}
    for w, items in by_worker.items():
        if w in fixed:
            continue
        member = model.NewBoolVar(f"team[{c},{w}]")
        for _, literal in items:
            model.AddImplication(literal, member)
        members[w] = member
    cap = int(ctx.inst.team_cap[c]) - len(fixed)
    if len(members) > cap:
        model.Add(sum(members.values()) <= cap)
    return members


def _weekend_unfamiliar(ctx: Context, c: int, by_worker: dict) -> list:
    """Weekend rows of worker w with customer c, costed unless w has a weekday row with c."""
    model, terms = ctx.model, []
    outside = ctx.scope.team_rows.get(c, {})
    for w, items in by_worker.items():
        weekend = [lit for day, lit in items if day in WEEKEND]
        fixed_weekday, fixed_weekend = outside.get(w, (0, 0))
        if fixed_weekday or not (weekend or fixed_weekend):
            continue
        weekday = [lit for day, lit in items if day not in WEEKEND]
        familiar = model.NewBoolVar(f"weekday_familiar[{c},{w}]")
        model.Add(familiar <= sum(weekday))
        for literal in weekend:
            unfamiliar = model.NewBoolVar(f"weekend_unfamiliar[{c},{w}]")
            model.Add(unfamiliar >= literal - familiar)
            terms.append(unfamiliar)
        if fixed_weekend:
            terms.append(fixed_weekend * (1 - familiar))
    return terms
