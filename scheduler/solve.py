"""solve(caseload) -> Result: prepare, construct, improve, extract, validate.

A caseload small enough for one CP-SAT model is solved whole (and proven optimal when the time
allows); a larger one is improved by LNS from the constructed rota. Every rota returned has
passed the independent validator, and its objective is the validator's recomputation.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable

import numpy as np
import ortools

from models import Caseload
from models.result import Result, SolveParams
from scheduler.construct import construct
from scheduler.extract import to_rota
from scheduler.formulation import Formulation
from scheduler.formulation.scope import Scope
from scheduler.lns import Limits, Search
from scheduler.neighbourhood import apply_outcome
from scheduler.plan import Plan
from scheduler.prepare import Instance, prepare
from scheduler.travel import build_travel
from scheduler.validate import objective, validate

logger = logging.getLogger(__name__)

EXACT_ARCS = 4000
"""A caseload whose whole model has at most this many possible arcs is solved as one model."""


class EngineError(RuntimeError):
    """The engine produced a rota the validator rejects: a bug, never output."""


def solve(
    caseload: Caseload,
    params: SolveParams | None = None,
    *,
    progress: Callable[[dict], None] | None = None,
) -> Result:
    """Plan the caseload's week.

    Parameters
    ----------
    caseload
        The validated caseload.
    params
        Time limit (s), seed, CP-SAT workers, stall limit; defaults when None.
    progress
        Called with a dict of figures (elapsed_s, placed, visits, objective) as the search goes.

    Returns
    -------
    Result
        Status ``optimal`` (proven) or ``feasible``; the rota lists every visit, assigned or
        unassigned with a reason.
    """
    params = params or SolveParams()
    began = time.monotonic()
    travel = build_travel(caseload)
    inst = prepare(caseload, travel)
    plan, status, bound, first_valid_s = search_instance(inst, params, began, progress)
    rota = to_rota(plan, caseload)
    violations = validate(caseload, rota, travel=travel)
    if violations:
        listed = "\n  ".join(str(v) for v in violations[:20])
        raise EngineError(f"the engine built an invalid rota ({len(violations)}):\n  {listed}")
    total, breakdown = objective(caseload, rota, travel=travel)
    if total != plan.objective():
        logger.error("objective mismatch: engine %d, validator %d", plan.objective(), total)
    return Result(
        status=status,
        rota=rota,
        objective=total,
        bound=bound,
        breakdown=breakdown,
        solve_seconds=time.monotonic() - began,
        seed=params.seed,
        solver_version=f"ortools {ortools.__version__}",
        stats={"first_valid_s": round(first_valid_s, 3), "visits": inst.n_visits,
               "shifts": inst.n_shifts, "engine_objective": plan.objective()},
    )


def search_instance(
    inst: Instance,
    params: SolveParams,
    began: float | None = None,
    progress: Callable[[dict], None] | None = None,
) -> tuple[Plan, str, int | None, float]:
    """Construct and improve a plan of a prepared instance.

    Returns
    -------
    plan, status, bound, first_valid_s
        The best plan, ``optimal``/``feasible``, the proven lower bound (points) or None, and
        the seconds from ``began`` to the first complete (constructed) plan.
    """
    began = time.monotonic() if began is None else began
    deadline = began + params.time_limit_s
    plan = Plan(inst)
    rng = random.Random(params.seed)
    construct(plan, rng)
    first_valid_s = time.monotonic() - began
    if model_arcs(inst) <= EXACT_ARCS:
        status, bound = _solve_whole(plan, params, deadline)
        return plan, status, bound, first_valid_s
    limits = Limits(deadline=deadline, iterations=params.iterations,
                    stall_s=params.stall_s, log_every_s=params.log_every_s)
    search = Search(plan, rng, limits, seed=params.seed, progress=progress)
    search.run()
    return search.plan, "feasible", None, first_valid_s


def model_arcs(inst: Instance) -> int:
    """Possible arcs of the whole-caseload model: sum over shifts of (candidate visits)^2."""
    if inst.n_visits == 0:
        return 0
    counts = np.bincount(np.concatenate(inst.candidates), minlength=inst.n_shifts)
    return int((counts.astype(np.int64) ** 2).sum())


def _solve_whole(plan: Plan, params: SolveParams, deadline: float) -> tuple[str, int | None]:
    """One CP-SAT model of everything, hinted with the constructed rota."""
    inst = plan.inst
    scope = Scope.everything(inst)
    scope = Scope(
        shifts=scope.shifts, visits=scope.visits,
        hint_routes={s: list(plan.runs[s]) for s in range(inst.n_shifts)},
        hint_starts={v: plan.start[v] for v in range(inst.n_visits) if plan.rows[v]},
    )
    formulation = Formulation(inst, scope)
    remaining = max(0.1, deadline - time.monotonic())
    outcome = formulation.solve(time_limit_s=remaining, seed=params.seed, workers=params.workers,
                                deterministic_time=remaining if params.deterministic else None)
    if not outcome.routes:
        return "feasible", None
    constructed = plan.objective()
    apply_outcome(plan, outcome)
    if plan.objective() > constructed:
        logger.error("whole-model solution worse than its hint: %d > %d",
                     plan.objective(), constructed)
    offset = plan.objective() - outcome.objective
    logger.info("whole model: %s, objective %d, bound %d", outcome.status, plan.objective(),
                outcome.bound + offset)
    return ("optimal" if outcome.status == "optimal" else "feasible"), outcome.bound + offset
