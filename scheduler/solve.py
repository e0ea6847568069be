"""solve(caseload) -> Result: prepare, construct, improve, extract, validate.

A caseload small enough for one CP-SAT model is solved whole (and proven optimal when the time
allows); a larger one is improved by LNS from the constructed rota. Every rota returned has
passed the independent validator, and its objective is the validator's recomputation.
"""

from __future__ import annotations

import logging
import math
import multiprocessing
import random
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace

import numpy as np
import ortools

from models import Caseload
from models.result import Result, SolveParams
from scheduler.components import merge, split
from scheduler.construct import construct, unkept_pins
from scheduler.extract import to_rota
from scheduler.formulation import Formulation
from scheduler.formulation.scope import Scope
from scheduler.legs import search_in_legs
from scheduler.lns import Limits, Search, log_operators
from scheduler.neighbourhood import apply_outcome
from scheduler.parallel import cooperative_search
from scheduler.plan import Plan
from scheduler.prepare import Instance, prepare
from scheduler.travel import build_travel
from scheduler.validate import objective, validate

logger = logging.getLogger(__name__)

EXACT_ARCS = 4000
"""A caseload whose whole model has at most this many possible arcs is solved as one model."""


class EngineError(RuntimeError):
    """The engine produced a rota the validator rejects: a bug, never output."""


class PinError(Exception):
    """Pins that cannot all be kept; ``unkept`` lists (visit id, worker id, why)."""

    def __init__(self, unkept: list[tuple[str, str, str]]):
        self.unkept = unkept
        super().__init__(unkept)

    def messages(self) -> list[str]:
        """One sentence per pin not kept."""
        return [f"{v} cannot be kept with {w}: {why}" for v, w, why in self.unkept]

    def __str__(self) -> str:
        return "; ".join(self.messages())


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

    Raises
    ------
    PinError
        Pins that cannot all be kept.
    """
    params = params or SolveParams()
    parts = split(caseload)
    if len(parts) > 1:
        return _solve_parts(caseload, parts, params)
    return _solve_one(caseload, params, progress)


def _solve_one(
    caseload: Caseload, params: SolveParams, progress: Callable[[dict], None] | None = None
) -> Result:
    """Solve a caseload as one problem."""
    began = time.monotonic()
    travel = build_travel(caseload)
    inst = prepare(caseload, travel)
    plan, status, bound, first_valid_s = search_instance(inst, params, began, progress)
    rota = to_rota(plan, caseload)
    total, breakdown = _checked_objective(caseload, rota, travel)
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
               "shifts": inst.n_shifts, "engine_objective": plan.objective(), "parts": 1},
    )


def _solve_parts(caseload: Caseload, parts: list[Caseload], params: SolveParams) -> Result:
    """Solve independent parts in parallel processes (one CPU thread each) and merge them.

    With more parts than workers, each part gets a share of the time limit by its number of
    visits, largest first, and no part runs past the overall deadline.
    """
    began = time.monotonic()
    deadline = began + params.time_limit_s * 0.97
    sizes = [len(p.instances) for p in parts]
    slots = min(params.workers, len(parts))
    shares = [min(params.time_limit_s, params.time_limit_s * slots * n / max(1, sum(sizes)))
              for n in sizes]
    logger.info("%d independent parts (%s visits), %d at a time", len(parts),
                ", ".join(map(str, sizes)), slots)
    stop_at = multiprocessing.Value("d", math.inf, lock=False)
    with ProcessPoolExecutor(max_workers=slots, initializer=_share_stop,
                             initargs=(stop_at,)) as pool:
        futures = [
            pool.submit(_solve_part, part, params.model_copy(
                update={"time_limit_s": share, "workers": 1}), deadline)
            for part, share in zip(parts, shares)
        ]
        try:
            results = [f.result() for f in futures]
        except KeyboardInterrupt:  # running parts stop at their best on the same Ctrl-C;
            stop_at.value = time.monotonic()  # those not started yet get half a second
            results = [f.result() for f in futures]
    rota = merge([r.rota for r in results])
    total, breakdown = _checked_objective(caseload, rota, build_travel(caseload))
    bounds = [r.bound for r in results]
    return Result(
        status="optimal" if all(r.status == "optimal" for r in results) else "feasible",
        rota=rota,
        objective=total,
        bound=sum(bounds) if None not in bounds else None,
        breakdown=breakdown,
        solve_seconds=time.monotonic() - began,
        seed=params.seed,
        solver_version=results[0].solver_version,
        stats={
            "first_valid_s": round(max(r.stats["first_valid_s"] for r in results), 3),
            "visits": sum(sizes),
            "shifts": sum(r.stats["shifts"] for r in results),
            "engine_objective": sum(r.stats["engine_objective"] for r in results),
            "parts": len(parts),
        },
    )


_stop_at = None
"""In a worker process of ``_solve_parts``: the shared time.monotonic() of a Ctrl-C (inf: none
yet)."""


def _share_stop(stop_at) -> None:
    global _stop_at
    _stop_at = stop_at


def _solve_part(part: Caseload, params: SolveParams, deadline: float) -> Result:
    """One part in a worker process: its share of the time, but never past the deadline
    (time.monotonic() is the same clock in every process of the machine), nor more than half a
    second when it starts after a Ctrl-C."""
    if _stop_at is not None:
        deadline = min(deadline, _stop_at.value)
    remaining = max(0.5, deadline - time.monotonic())
    limit = min(params.time_limit_s, remaining)
    return _solve_one(part, params.model_copy(update={"time_limit_s": limit}))


def _checked_objective(caseload: Caseload, rota, travel) -> tuple[int, dict[str, int]]:
    """The validator's objective of a rota, after checking it: an invalid rota is a bug."""
    violations = validate(caseload, rota, travel=travel)
    if violations:
        listed = "\n  ".join(str(v) for v in violations[:20])
        raise EngineError(f"the engine built an invalid rota ({len(violations)}):\n  {listed}")
    return objective(caseload, rota, travel=travel)


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
    unkept = unkept_pins(plan)
    if unkept:
        raise PinError([(inst.visit_ids[v], inst.worker_ids[w], why) for v, w, why in unkept])
    first_valid_s = time.monotonic() - began
    if not any(len(c) for c in inst.candidates):
        return plan, "optimal", plan.objective(), first_valid_s  # nothing can be placed
    if model_arcs(inst) <= EXACT_ARCS:
        status, bound = solve_whole(plan, params, deadline)
        return plan, status, bound, first_valid_s
    limits = Limits(deadline=deadline, iterations=params.iterations,
                    stall_s=params.stall_s, log_every_s=params.log_every_s)
    if params.workers > 1 and params.iterations is None:
        plan = cooperative_search(plan, params.workers, params.seed, limits, progress)
        return plan, "feasible", None, first_valid_s
    if params.iterations is None and params.stall_s is None:
        plan = search_in_legs(plan, rng, limits, params.seed, progress)
        return plan, "feasible", None, first_valid_s
    search = Search(plan, rng, limits, seed=params.seed, progress=progress)
    search.run()
    log_operators(search.stats)
    return search.plan, "feasible", None, first_valid_s


def model_arcs(inst: Instance) -> int:
    """Possible arcs of the whole-caseload model: sum over shifts of (candidate visits)^2."""
    if inst.n_visits == 0:
        return 0
    counts = np.bincount(np.concatenate(inst.candidates), minlength=inst.n_shifts)
    return int((counts.astype(np.int64) ** 2).sum())


def solve_whole(plan: Plan, params: SolveParams, deadline: float) -> tuple[str, int | None]:
    """One CP-SAT model of everything, hinted with the plan (constructed), until ``deadline``
    (time.monotonic()): (``optimal``/``feasible``, the proven lower bound in points or None).
    The plan becomes the model's solution when that is better."""
    inst = plan.inst
    scope = replace(
        Scope.everything(inst),
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
    plan.begin()
    apply_outcome(plan, outcome)
    if plan.objective() > constructed:  # stopped before reaching its hint: keep the hint
        plan.rollback()
        return "feasible", None
    plan.commit()
    # every objective term is a count of points, so no bound is below 0 (CP-SAT's best bound
    # came back as -1 on a day of 130 visits stopped by its time limit)
    bound = max(0, outcome.bound + plan.objective() - outcome.objective)
    logger.info("whole model: %s, objective %d, bound %d", outcome.status, plan.objective(),
                bound)
    return ("optimal" if outcome.status == "optimal" else "feasible"), bound
