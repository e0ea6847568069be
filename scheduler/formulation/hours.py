"""Working time: daily and weekly caps on worked minutes (contact + travel), the daily span
(first start to last end), rest between consecutive days (hard); guaranteed hours not filled
(soft). A rule is only added where the worker's availability lets it bind."""

from __future__ import annotations

from collections import defaultdict

from ortools.sat.python import cp_model

from models.objective import GUARANTEED_HOURS
from scheduler.formulation.context import Context, PenaltyTerm
from scheduler.formulation.variables import HOME

ID = "hours"


def applies(ctx: Context) -> bool:
    return bool(ctx.scope.shifts)


def add(ctx: Context) -> list[PenaltyTerm]:
    by_worker_day = _free_shifts_by_worker_day(ctx)
    bounds = _RunBounds(ctx)
    _daily_caps(ctx, by_worker_day)
    _weekly_caps(ctx, by_worker_day)
    _span(ctx, by_worker_day, bounds)
    _rest(ctx, by_worker_day, bounds)
    return _guaranteed(ctx, by_worker_day)


def _free_shifts_by_worker_day(ctx: Context) -> dict[int, dict[int, list[int]]]:
    inst = ctx.inst
    out: dict[int, dict[int, list[int]]] = defaultdict(lambda: defaultdict(list))
    for s in sorted(ctx.scope.shifts, key=lambda s: int(inst.shift_start[s])):
        out[int(inst.shift_worker[s])][int(inst.shift_day[s])].append(s)
    return out


def _length(ctx: Context, shifts: list[int]) -> int:
    return sum(int(ctx.inst.shift_end[s] - ctx.inst.shift_start[s]) for s in shifts)


def _daily_caps(ctx: Context, by_worker_day) -> None:
    for w, days in by_worker_day.items():
        cap = int(ctx.inst.max_day[w])
        for day, shifts in days.items():
            fixed = ctx.scope.worked_day.get((w, day), 0)
            if fixed + _length(ctx, shifts) > cap:
                ctx.model.Add(sum(ctx.worked(s) for s in shifts) + fixed <= cap)


def _weekly_caps(ctx: Context, by_worker_day) -> None:
    for w, days in by_worker_day.items():
        shifts = [s for day_shifts in days.values() for s in day_shifts]
        fixed = ctx.scope.worked_week.get(w, 0)
        cap = int(ctx.inst.max_week[w])
        if fixed + _length(ctx, shifts) > cap:
            ctx.model.Add(sum(ctx.worked(s) for s in shifts) + fixed <= cap)


class _RunBounds:
    """first[s] / last[s]: start of the first and end of the last visit of a free run, made on
    demand (only span and rest need them)."""

    def __init__(self, ctx: Context):
        self.ctx = ctx
        self._first: dict[int, cp_model.IntVar] = {}
        self._last: dict[int, cp_model.IntVar] = {}

    def first(self, s: int) -> cp_model.IntVar:
        if s not in self._first:
            self._make(s)
        return self._first[s]

    def last(self, s: int) -> cp_model.IntVar:
        if s not in self._last:
            self._make(s)
        return self._last[s]

    def used(self, s: int):
        return self.ctx.shift_empty[s].Not()

    def _make(self, s: int) -> None:
        ctx, inst = self.ctx, self.ctx.inst
        lo, hi = int(inst.shift_start[s]), int(inst.shift_end[s])
        first = ctx.model.NewIntVar(lo, hi, f"first[{s}]")
        last = ctx.model.NewIntVar(lo, hi, f"last[{s}]")
        for a, b, literal in ctx.vars.arcs[s]:
            if a == HOME and b != HOME:
                ctx.model.Add(first == ctx.vars.start[b]).OnlyEnforceIf(literal)
            elif b == HOME and a != HOME:
                end = ctx.vars.start[a] + int(inst.duration[a])
                ctx.model.Add(last == end).OnlyEnforceIf(literal)
        self._first[s], self._last[s] = first, last


def _span(ctx: Context, by_worker_day, bounds: _RunBounds) -> None:
    """Last end minus first start over a worker's day <= max_span (fixed runs included)."""
    inst, model, limit = ctx.inst, ctx.model, ctx.inst.max_span
    for w, days in by_worker_day.items():
        for day, shifts in days.items():
            fixed = ctx.scope.day_bounds.get((w, day))
            lo = min([int(inst.shift_start[s]) for s in shifts] + ([fixed[0]] if fixed else []))
            hi = max([int(inst.shift_end[s]) for s in shifts] + ([fixed[1]] if fixed else []))
            if hi - lo <= limit:
                continue
            for i, early in enumerate(shifts):
                for late in shifts[i:]:
                    model.Add(bounds.last(late) - bounds.first(early) <= limit).OnlyEnforceIf(
                        [bounds.used(early), bounds.used(late)]
                    )
            if fixed:
                for s in shifts:
                    model.Add(bounds.last(s) - fixed[0] <= limit).OnlyEnforceIf(bounds.used(s))
                    model.Add(fixed[1] - bounds.first(s) <= limit).OnlyEnforceIf(bounds.used(s))


def _rest(ctx: Context, by_worker_day, bounds: _RunBounds) -> None:
    """First start of a day minus last end of the day before >= min_rest, where both worked."""
    inst, model, need = ctx.inst, ctx.model, ctx.inst.min_rest
    for w, days in by_worker_day.items():
        for day in sorted(set(days) | {d + 1 for d in days}):
            before, after = days.get(day - 1, []), days.get(day, [])
            fixed_before = ctx.scope.day_bounds.get((w, day - 1))
            fixed_after = ctx.scope.day_bounds.get((w, day))
            latest_end = [int(inst.shift_end[s]) for s in before]
            latest_end += [fixed_before[1]] if fixed_before else []
            earliest_start = [int(inst.shift_start[s]) for s in after]
            earliest_start += [fixed_after[0]] if fixed_after else []
            if not latest_end or not earliest_start:
                continue
            if min(earliest_start) - max(latest_end) >= need:
                continue
            for a in before:
                for b in after:
                    model.Add(bounds.first(b) - bounds.last(a) >= need).OnlyEnforceIf(
                        [bounds.used(a), bounds.used(b)]
                    )
                if fixed_after:
                    model.Add(fixed_after[0] - bounds.last(a) >= need).OnlyEnforceIf(
                        bounds.used(a)
                    )
            if fixed_before:
                for b in after:
                    model.Add(bounds.first(b) - fixed_before[1] >= need).OnlyEnforceIf(
                        bounds.used(b)
                    )


def _guaranteed(ctx: Context, by_worker_day) -> list[PenaltyTerm]:
    inst, weight = ctx.inst, ctx.inst.weights[GUARANTEED_HOURS]
    if not weight:
        return []
    shortfalls = []
    for w, days in by_worker_day.items():
        owed = int(inst.guaranteed[w]) - ctx.scope.worked_week.get(w, 0)
        if owed <= 0:
            continue
        shifts = [s for day_shifts in days.values() for s in day_shifts]
        short = ctx.model.NewIntVar(0, owed, f"guaranteed_short[{w}]")
        ctx.model.Add(short >= owed - sum(ctx.worked(s) for s in shifts))
        shortfalls.append(short)
    return [PenaltyTerm(GUARANTEED_HOURS, sum(shortfalls), weight)] if shortfalls else []
