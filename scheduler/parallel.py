"""Cooperative LNS on several CPU cores: every process searches from the same best plan for one
leg (a few seconds) with its own seed; the best plan any of them found is where all of them
start the next leg. The annealing schedule runs across the legs as in one search.

Used for a caseload that is one part (independent parts already run one per core) when more
than one worker is allowed and the search is time-limited; an iteration budget keeps the
single-process search, which is deterministic.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor

from scheduler.lns import Limits, OperatorStats, Search, log_operators, starting_temperature
from scheduler.plan import Plan
from scheduler.prepare import Instance

logger = logging.getLogger(__name__)

LEGS = 8
"""Legs a search is cut into (each leg at least MIN_LEG_S, at most MAX_LEG_S seconds)."""

MIN_LEG_S = 3.0
MAX_LEG_S = 20.0

_process_plan: dict[str, Plan] = {}
"""The plan each worker process searches (built once per process)."""


def cooperative_search(
    plan: Plan,
    processes: int,
    seed: int,
    limits: Limits,
    progress: Callable[[dict], None] | None = None,
) -> Plan:
    """Improve ``plan`` with ``processes`` searches in parallel until ``limits.deadline`` or a
    stall of ``limits.stall_s``; return the best plan (Ctrl-C stops at the best so far)."""
    started = time.monotonic()
    total_s = max(1e-9, limits.deadline - started)
    leg_s = min(MAX_LEG_S, max(MIN_LEG_S, total_s / LEGS))
    temperature0 = starting_temperature(plan)
    best_objective, best_state = plan.objective(), plan.copy_state()
    weights, totals, iterations = None, {}, 0
    last_gain = started
    _report(plan, best_objective, 0.0, iterations, progress)
    with ProcessPoolExecutor(processes, initializer=_start_process, initargs=(plan.inst,)) as pool:
        leg = 0
        while time.monotonic() < limits.deadline - 0.5:
            now = time.monotonic()
            leg_end = min(limits.deadline, now + leg_s)
            cooling = ((now - started) / total_s, min(1.0, (leg_end - started) / total_s))
            futures = [
                pool.submit(_leg, best_state, seed * 1009 + leg * processes + k,
                            Limits(deadline=leg_end, log_every_s=None, cooling=cooling,
                                   temperature0=temperature0), weights)
                for k in range(processes)
            ]
            results, interrupted = _gather(futures)
            leg += 1
            for objective, state, stats in results:
                iterations += sum(s.calls for s in stats.values())
                _add_stats(totals, stats)
                if objective < best_objective:
                    best_objective, best_state = objective, state
                    weights = {name: s.weight for name, s in stats.items()}
                    last_gain = time.monotonic()
            _report(plan, best_objective, time.monotonic() - started, iterations, progress,
                    best_state)
            stalled = limits.stall_s is not None and time.monotonic() - last_gain >= limits.stall_s
            if interrupted or stalled:
                break
    plan.restore(best_state)
    log_operators(totals)
    return plan


def _start_process(inst: Instance) -> None:
    _process_plan["plan"] = Plan(inst)


def _leg(state, seed: int, limits: Limits, weights: dict[str, float] | None):
    """One leg in a worker process: (best objective, best state, operator statistics)."""
    plan = _process_plan["plan"]
    plan.restore(state)
    search = Search(plan, random.Random(seed), limits, seed=seed, start_weights=weights)
    search.run()
    return search.best_objective, search.best_state, search.stats


def _gather(futures) -> tuple[list, bool]:
    """The legs' results, and whether Ctrl-C was pressed (each process then returns its best
    so far; one cut off mid-change is left out)."""
    results, interrupted = [], False
    for future in futures:
        while True:
            try:
                results.append(future.result())
                break
            except KeyboardInterrupt:
                interrupted = True
            except Exception as error:  # noqa: BLE001 - a process killed by Ctrl-C
                if not interrupted:
                    raise
                logger.warning("a search process stopped without a result: %s", error)
                break
    return results, interrupted


def _add_stats(totals: dict[str, OperatorStats], stats: dict[str, OperatorStats]) -> None:
    for name, stat in stats.items():
        total = totals.setdefault(name, OperatorStats())
        total.calls += stat.calls
        total.accepted += stat.accepted
        total.improved += stat.improved
        total.total_seconds += stat.total_seconds


def _report(plan: Plan, objective: int, elapsed: float, iterations: int, progress,
            state=None) -> None:
    inst = plan.inst
    runs = state[0] if state is not None else plan.runs
    info = {"elapsed_s": round(elapsed, 1), "iterations": iterations,
            "placed": inst.n_visits - _unassigned_count(inst, runs), "visits": inst.n_visits,
            "objective": objective}
    logger.info("lns %6.1fs  it %6d  placed %d/%d  objective %d", info["elapsed_s"],
                info["iterations"], info["placed"], info["visits"], info["objective"])
    if progress:
        progress(info)


def _unassigned_count(inst: Instance, runs) -> int:
    """Visits without all the workers they need in these runs."""
    rows = [0] * inst.n_visits
    for run in runs:
        for v in run:
            rows[v] += 1
    return sum(1 for v in range(inst.n_visits) if rows[v] < int(inst.required[v]))
