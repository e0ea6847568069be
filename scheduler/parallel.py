"""Cooperative LNS on several CPU cores: every process searches from the same best plan for one
leg (a few seconds) with its own seed; the best plan any of them found is where all of them
start the next leg. The annealing schedule runs across the legs as in one search.

Used for a caseload that is one part (independent parts already run one per core) when more
than one worker is allowed and the search is time-limited; an iteration budget keeps the
single-process search, which is deterministic.
"""

from __future__ import annotations

import itertools
import logging
import random
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

from scheduler.lns import Limits, OperatorStats, Search, log_operators, starting_temperature
from scheduler.plan import Plan
from scheduler.prepare import Instance

logger = logging.getLogger(__name__)

LEGS = 8
"""Legs a search is cut into (each leg at least MIN_LEG_S, at most MAX_LEG_S seconds); with
2 processes on L at 30 s, 8 legs left 3.7 visits unassigned on average, 4 legs 5.0, 15 legs
4.7 (3 seeds each)."""

MIN_LEG_S = 3.0
MAX_LEG_S = 20.0

_process_plan: dict[str, Plan] = {}
"""The plan each worker process searches (built once per process)."""


@dataclass
class _Best:
    """The best plan found so far, with the operator weights of the search that found it."""

    objective: int
    state: tuple
    found_at: float
    weights: dict[str, float] | None = None


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
    schedule = _Schedule(started, limits.deadline, starting_temperature(plan))
    best = _Best(plan.objective(), plan.copy_state(), found_at=started)
    totals: dict[str, OperatorStats] = {}
    _report(plan, best, started, totals, progress)
    try:
        with ProcessPoolExecutor(processes, initializer=_start_process,
                                 initargs=(plan.inst,)) as pool:
            for leg in itertools.count():
                now = time.monotonic()
                stalled = limits.stall_s is not None and now - best.found_at >= limits.stall_s
                if now >= limits.deadline - 0.5 or stalled:
                    break
                leg_limits = schedule.leg(now)
                futures = [
                    pool.submit(_leg, best.state, seed * 1009 + leg * processes + k, leg_limits,
                                best.weights)
                    for k in range(processes)
                ]
                results, interrupted = _gather(futures)
                _absorb(best, totals, results)
                _report(plan, best, started, totals, progress)
                if interrupted:
                    break
    except KeyboardInterrupt:  # between legs
        logger.warning("interrupted: keeping the best rota found so far")
    plan.restore(best.state)
    log_operators(totals)
    return plan


@dataclass
class _Schedule:
    """Cuts the time from ``started`` to ``deadline`` (time.monotonic()) into legs of about a
    LEGS-th of it, and gives each the part of one annealing schedule it covers."""

    started: float
    deadline: float
    temperature0: float

    def leg(self, now: float) -> Limits:
        total = max(1e-9, self.deadline - self.started)
        end = min(self.deadline, now + min(MAX_LEG_S, max(MIN_LEG_S, total / LEGS)))
        cooling = ((now - self.started) / total, min(1.0, (end - self.started) / total))
        return Limits(deadline=end, log_every_s=None, cooling=cooling,
                      temperature0=self.temperature0)


def _absorb(best: _Best, totals: dict[str, OperatorStats], results) -> None:
    """Keep the best of a leg's results and add up the operators' statistics."""
    for objective, state, stats in results:
        for name, stat in stats.items():
            total = totals.setdefault(name, OperatorStats())
            total.calls += stat.calls
            total.accepted += stat.accepted
            total.improved += stat.improved
            total.total_seconds += stat.total_seconds
        if objective < best.objective:
            best.objective, best.state, best.found_at = objective, state, time.monotonic()
            best.weights = {name: stat.weight for name, stat in stats.items()}


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
            except Exception as error:  # a process killed by Ctrl-C
                if not interrupted:
                    raise
                logger.warning("a search process stopped without a result: %s", error)
                break
    return results, interrupted


def _report(plan: Plan, best: _Best, started: float, totals, progress) -> None:
    inst = plan.inst
    info = {"elapsed_s": round(time.monotonic() - started, 1),
            "iterations": sum(stat.calls for stat in totals.values()),
            "placed": inst.n_visits - _unassigned_count(inst, best.state[0]),
            "visits": inst.n_visits, "objective": best.objective}
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
