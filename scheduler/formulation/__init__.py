"""The CP-SAT formulation of the rota, built for a scope (the whole caseload or a neighbourhood).

Constraint families live one per module with the same ``applies(ctx)`` / ``add(ctx)`` signature;
FAMILIES lists them in build order (routing before the families that use its expressions).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from ortools.sat.python import cp_model

from scheduler.formulation import coverage, hours, load, routing, team, timing
from scheduler.formulation.context import Context, PenaltyTerm
from scheduler.formulation.scope import Scope
from scheduler.formulation.variables import RotaVars
from scheduler.prepare import Instance
from scheduler.stoppable import solve_stoppable

logger = logging.getLogger(__name__)

FAMILIES = (
    # hard rules (with the soft terms that live on the same variables)
    coverage,  # required workers or unassigned (soft: priority weight)
    routing,  # runs, travel, shift bounds (soft: travel time, mileage)
    load,  # load per shift
    timing,  # min gaps, order, pins (soft: punctuality)
    team,  # team cap (soft: team size, unfamiliar, weekend unfamiliar)
    hours,  # daily/weekly caps, span, rest (soft: guaranteed hours)
)
"""Every constraint family, in build order."""

STATUS_NAMES = {
    cp_model.OPTIMAL: "optimal",
    cp_model.FEASIBLE: "feasible",
    cp_model.INFEASIBLE: "infeasible",
    cp_model.UNKNOWN: "unknown",
    cp_model.MODEL_INVALID: "invalid",
}


@dataclass(frozen=True)
class Outcome:
    """A solved formulation: status, runs of the free shifts, starts of covered visits."""

    status: str
    routes: dict[int, list[int]]
    starts: dict[int, int]
    objective: int | None
    bound: int | None
    breakdown: dict[str, int]
    seconds: float


class Formulation:
    """One CP-SAT model of a scope. Callers never see cp_model."""

    def __init__(self, inst: Instance, scope: Scope, *, max_successors: int | None = None):
        self.inst, self.scope = inst, scope
        self.model = cp_model.CpModel()
        self.vars = RotaVars(self.model, inst, scope)
        self.ctx = Context(self.model, self.vars, inst, scope, max_successors=max_successors)
        self.terms: list[PenaltyTerm] = []
        for family in FAMILIES:
            if family.applies(self.ctx):
                self.terms += family.add(self.ctx)
        self.terms = [t for t in self.terms if t.weight]
        self.model.Minimize(sum(t.weight * t.expr for t in self.terms))
        if scope.hint_routes:
            self.vars.hint(scope.hint_routes, scope.hint_starts)

    def solve(
        self,
        *,
        time_limit_s: float,
        seed: int,
        workers: int = 1,
        deterministic_time: float | None = None,
        log: bool = False,
        callback: cp_model.CpSolverSolutionCallback | None = None,
        catch_interrupt: bool = True,
    ) -> Outcome:
        """Solve within the limits; routes/starts are empty when no solution was found.

        With ``catch_interrupt`` Ctrl-C ends the solve with its best solution
        (scheduler/stoppable.py); without it, the KeyboardInterrupt reaches the caller once the
        solve returns."""
        solver = cp_model.CpSolver()
        params = solver.parameters
        params.max_time_in_seconds = time_limit_s
        if deterministic_time is not None:
            params.max_deterministic_time = deterministic_time
        params.random_seed = seed
        params.num_workers = workers
        params.log_search_progress = log
        params.catch_sigint_signal = False
        if log:
            params.log_to_stdout = False
            solver.log_callback = logger.info
        if catch_interrupt:
            status, _ = solve_stoppable(solver, self.model, callback)
        else:
            status = solver.Solve(self.model, callback)
        name = STATUS_NAMES.get(status, "unknown")
        if name == "invalid":
            raise RuntimeError(f"CP-SAT rejected the model: {self.model.Validate()}")
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return Outcome(name, {}, {}, None, None, {}, solver.WallTime())
        routes, starts = self.vars.extract(solver)
        breakdown: dict[str, int] = {}
        for term in self.terms:
            points = term.weight * int(solver.Value(term.expr))
            breakdown[term.term] = breakdown.get(term.term, 0) + points
        return Outcome(
            name, routes, starts, round(solver.ObjectiveValue()),
            round(solver.BestObjectiveBound()), breakdown, solver.WallTime(),
        )

    def unplaceable_together(self, visits: list[int], *, time_limit_s: float, seed: int = 1,
                             workers: int = 1) -> list[int] | None:
        """Some of ``visits`` that no solution covers all together (CP-SAT's infeasible core
        under the assumption that each is covered; not necessarily the smallest such set), or
        None when they can all be covered or the time ran out before CP-SAT knew. A Ctrl-C
        during the solve raises KeyboardInterrupt once CP-SAT has stopped."""
        model = self.model.clone()
        model.clear_objective()
        covered = {v: model.get_bool_var_from_proto_index(self.vars.covered[v].index)
                   for v in visits}
        model.add_assumptions(list(covered.values()))
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = time_limit_s
        solver.parameters.random_seed = seed
        solver.parameters.num_workers = workers
        # with presolve on, OR-Tools 9.15 can name a literal that is no assumption
        # (google/or-tools#5141)
        solver.parameters.cp_model_presolve = False
        status, interrupted = solve_stoppable(solver, model)
        if interrupted:
            raise KeyboardInterrupt
        if status != cp_model.INFEASIBLE:
            return None
        by_index = {literal.index: v for v, literal in covered.items()}
        core = solver.sufficient_assumptions_for_infeasibility()
        if not core or any(i not in by_index for i in core):
            return None
        return sorted(by_index[i] for i in core)

    def size(self) -> dict[str, int]:
        """Variables and constraints of the model, for logs."""
        proto = self.model.Proto()
        return {"variables": len(proto.variables), "constraints": len(proto.constraints)}
