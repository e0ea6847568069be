"""The decision variables of a formulation, created once and queried by the constraint families.

``assign[v, s]``: visit v is in shift s's run. ``start[v]``: the visit's start, shared by every
worker on it (double-handed visits start together for free). ``covered[v]``: the visit is
assigned. ``arcs[s]``: the run's sequence, as (from, to, literal) with HOME for the worker's home.
"""

from __future__ import annotations

import itertools
from collections import defaultdict

import numpy as np
from ortools.sat.python import cp_model

from scheduler.formulation.scope import Scope
from scheduler.prepare import Instance

HOME = -1
"""Stands for the worker's home as an arc end."""


class RotaVars:
    """Variables of one formulation; constraint families call its methods, never its dicts."""

    def __init__(self, model: cp_model.CpModel, inst: Instance, scope: Scope):
        self.model = model
        self._assign: dict[tuple[int, int], cp_model.IntVar] = {}
        self._by_visit: dict[int, list[int]] = defaultdict(list)
        self._by_shift: dict[int, list[int]] = defaultdict(list)
        self.start: dict[int, cp_model.IntVar] = {}
        self.start_bounds: dict[int, tuple[int, int]] = {}
        self.covered: dict[int, cp_model.IntVar] = {}
        self.arcs: dict[int, list[tuple[int, int, cp_model.IntVar]]] = defaultdict(list)
        self._create(inst, scope)

    def _create(self, inst: Instance, scope: Scope) -> None:
        free_shifts = set(scope.shifts)
        for v in scope.visits:
            partners = set(scope.fixed_workers.get(v, ()))
            for s in inst.candidates[v]:
                s = int(s)
                if s in free_shifts and int(inst.shift_worker[s]) not in partners:
                    self._assign[v, s] = self.model.NewBoolVar(f"assign[{v},{s}]")
                    self._by_visit[v].append(s)
                    self._by_shift[s].append(v)
            if v in scope.fixed_start and partners:
                lo = hi = scope.fixed_start[v]
            else:
                lo, hi = int(inst.earliest[v]), int(inst.latest[v])
            self.start[v] = self.model.NewIntVar(lo, hi, f"start[{v}]")
            self.start_bounds[v] = (lo, hi)
            self.covered[v] = self.model.NewBoolVar(f"covered[{v}]")

    # -- queries ---------------------------------------------------------------------------

    def assigned(self, v: int, s: int) -> cp_model.IntVar | None:
        """The literal of visit v in shift s, or None when v cannot go there."""
        return self._assign.get((v, s))

    def shifts_of(self, v: int) -> list[int]:
        """Free shifts that may hold visit v."""
        return self._by_visit.get(v, [])

    def visits_of(self, s: int) -> list[int]:
        """Free visits that may go in shift s."""
        return self._by_shift.get(s, [])

    def pairs(self):
        """Every (visit, shift, literal)."""
        return ((v, s, lit) for (v, s), lit in self._assign.items())

    def add_arc(self, s: int, a: int, b: int, literal: cp_model.IntVar) -> None:
        self.arcs[s].append((a, b, literal))

    # -- fixing and hints ------------------------------------------------------------------

    def fix(self, v: int, s: int, value: bool) -> None:
        """Force visit v in (or out of) shift s; for tests and pinned assignments."""
        literal = self._assign[v, s]
        self.model.Add(literal == int(value))

    def hint(self, routes: dict[int, list[int]], starts: dict[int, int]) -> None:
        """Hint a complete solution (the current rota) so the search starts from it."""
        in_shift = {(v, s) for s, route in routes.items() for v in route}
        for (v, s), literal in self._assign.items():
            self.model.AddHint(literal, (v, s) in in_shift)
        covered = {v for route in routes.values() for v in route}
        for v, literal in self.covered.items():
            self.model.AddHint(literal, v in covered)
        for v, var in self.start.items():
            if v in starts:
                self.model.AddHint(var, starts[v])
        for s, arcs in self.arcs.items():
            used = _route_arcs(routes.get(s, []))
            for a, b, literal in arcs:
                self.model.AddHint(literal, (a, b) in used)

    # -- reading a solution ----------------------------------------------------------------

    def extract(self, solver: cp_model.CpSolver) -> tuple[dict[int, list[int]], dict[int, int]]:
        """(free shift -> visits in run order, covered visit -> start) from a solved model."""
        routes: dict[int, list[int]] = {}
        for s, arcs in self.arcs.items():
            successor = {a: b for a, b, lit in arcs if a != b and solver.BooleanValue(lit)}
            route, node = [], successor.get(HOME)
            while node is not None and node != HOME:
                route.append(node)
                node = successor.get(node)
            routes[s] = route
        starts = {
            v: int(solver.Value(var)) for v, var in self.start.items()
            if solver.BooleanValue(self.covered[v])
        }
        return routes, starts


def _route_arcs(route: list[int]) -> set[tuple[int, int]]:
    """Arcs of a run, self-loops of absent visits aside."""
    if not route:
        return {(HOME, HOME)}
    nodes = [HOME, *route, HOME]
    return set(itertools.pairwise(nodes))


def as_int(value) -> int:
    """A numpy or Python integer as a Python int (CP-SAT wants plain ints)."""
    return int(value.item()) if isinstance(value, np.generic) else int(value)
