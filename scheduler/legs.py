"""A time-limited search in one process, with the teams re-formed between its legs.

The cooperative search (scheduler/parallel.py) re-forms the week's teams between legs while a
visit that a full team keeps out is left out (scheduler/reform.py); without that, such visits
mostly stay out. A caseload searched by one process (each independent part of a caseload, or
``--workers 1``) gets the same here: after a first leg of a LEGS-th of the time, while such a
visit is left out and the time left holds a reform and another leg, CP-SAT re-forms the teams
on one thread, in the smaller model around the visits left out (``reform.free_visits``; for
REFORM_SHARE of the time, at most REFORM_MAX_S seconds, ending once settled), then the search
goes on from the re-formed plan. No reform follows while the very visits left out at the last
one still are (as in scheduler/parallel.py), and the team operators wait for a reform only in
a leg that one may follow. The legs follow one annealing schedule and carry the operator
weights over; the best plan found is kept. A leg that starts with no such visit left out runs
to the end; so does the whole search of a caseload where none can ever be (no double-handed
visit, no customer with more visits than their team cap), or where the reform's time is too
short for its model (SECONDS_PER_FREE_VISIT: for the fewest visits any reform frees, the week
of one customer; then, before each reform, for the model as it stands).
"""

from __future__ import annotations

import itertools
import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace

import numpy as np

from scheduler.lns import Limits, OperatorStats, Search, log_operators, starting_temperature
from scheduler.plan import Plan
from scheduler.prepare import Instance
from scheduler.reform import (
    SECONDS_PER_FREE_VISIT,
    free_visits,
    reform_teams,
    reform_would_act,
    team_bound_waiting,
)

logger = logging.getLogger(__name__)

LEGS = 4
"""A leg lasts a LEGS-th of the search at least (the last one takes what is left)."""

REFORM_SHARE = 0.25
"""A reform's share of the search's time."""

REFORM_MAX_S = 30.0
"""A reform's CP-SAT seconds, at most."""

def search_in_legs(
    plan: Plan,
    rng: random.Random,
    limits: Limits,
    seed: int,
    progress: Callable[[dict], None] | None = None,
) -> Plan:
    """Improve ``plan`` until ``limits.deadline`` (see the module docstring); return the best
    plan found (Ctrl-C stops at the best so far)."""
    began = time.monotonic()
    total = max(1e-9, limits.deadline - began)
    leg_s, reform_s = total / LEGS, min(REFORM_MAX_S, REFORM_SHARE * total)
    weeks = _reformable_weeks(plan.inst)
    may_reform = len(weeks) > 0 and int(weeks.min()) * SECONDS_PER_FREE_VISIT <= reform_s
    limits = replace(limits, began=began, temperature=starting_temperature(plan))
    record = _Record(plan.objective(), plan.copy_state())

    def reform_fits(at: float) -> bool:
        """Whether a reform and a leg after it fit between ``at`` and the deadline."""
        return may_reform and limits.deadline - at >= reform_s + leg_s

    reformed_out: frozenset[int] = frozenset()  # the visits left out at the last reform
    try:
        for leg in itertools.count():
            now = time.monotonic()
            if (leg and reform_fits(now) and reform_would_act(plan, reformed_out)
                    and _model_fits(plan, reform_s)):
                reformed_out = frozenset(plan.waiting)
                if _reformed(plan, reform_s, seed + leg):
                    break
                now = time.monotonic()
            end = now + leg_s if may_reform and team_bound_waiting(plan) else limits.deadline
            if limits.deadline - end < leg_s:
                end = limits.deadline
            cooling = ((now - began) / total, min(1.0, (end - began) / total))
            leg_limits = replace(limits, deadline=end, cooling=cooling,
                                 reform_ahead=reform_fits(end), reformed_out=reformed_out)
            search = Search(plan, rng, leg_limits, seed=seed, progress=progress,
                            start_weights=record.weights, iteration=record.iterations)
            search.run()
            plan = search.plan
            record.add(search)
            if search.interrupted or end >= limits.deadline:
                break
    except KeyboardInterrupt:  # between legs, or while a reform's solution was applied
        logger.warning("interrupted: keeping the best rota found so far")
        plan = Plan(plan.inst)
    log_operators(record.totals)
    if plan.objective() != record.best_objective:
        plan.restore(record.best_state)
    return plan


@dataclass
class _Record:
    """What the legs so far leave to the next and to the end: the best plan, the operator
    weights and iterations to go on from, and the operators' totals for the log."""

    best_objective: int
    best_state: tuple
    weights: dict[str, float] | None = None
    iterations: int = 0
    totals: dict[str, OperatorStats] = field(default_factory=dict)

    def add(self, search: Search) -> None:
        """Take in a finished leg."""
        if search.best_objective < self.best_objective:
            self.best_objective, self.best_state = search.best_objective, search.best_state
        self.weights = {name: stat.weight for name, stat in search.stats.items()}
        self.iterations = search.iteration
        for name, stat in search.stats.items():
            self.totals.setdefault(name, OperatorStats()).add(stat)


def could_leave_team_bound(inst: Instance) -> bool:
    """Whether a visit that a reform acts on could ever be left out: the caseload has a
    double-handed visit, or a customer with more visits than their team cap."""
    return len(_reformable_weeks(inst)) > 0


def _reformable_weeks(inst: Instance) -> np.ndarray:
    """The visits in the week of each customer a reform could free (a reform frees one such
    week at least): those with double-handed visits or more visits than their team cap."""
    visits = np.bincount(inst.customer, minlength=inst.n_customers)
    double_handed = np.bincount(inst.customer[inst.required > 1], minlength=inst.n_customers)
    return visits[(double_handed > 0) | (visits > inst.team_cap)]


def _model_fits(plan: Plan, reform_s: float) -> bool:
    """Whether the smaller model around the visits left out (``reform.free_visits``) has
    SECONDS_PER_FREE_VISIT a visit in ``reform_s``."""
    return len(free_visits(plan, around_waiting=True)) * SECONDS_PER_FREE_VISIT <= reform_s


def _reformed(plan: Plan, time_limit_s: float, seed: int) -> bool:
    """Re-form the teams of ``plan`` (one CP-SAT thread, the smaller model, ending once
    settled); whether Ctrl-C stopped it."""
    if reform_teams(plan, time_limit_s, seed, workers=1, around_waiting=True).interrupted:
        logger.warning("interrupted: keeping the best rota found so far")
        return True
    return False
