"""The first rota: pinned assignments, then every visit by best insertion, hardest first.

Customers are taken one at a time, those with the fewest options first (double-handed, critical,
rare skills, narrow windows). Each customer first gets a planned team (last week's workers and
named regulars, then whoever covers most of their visits), and their visits go to the team's
runs where they fit, elsewhere (within the team cap) where they do not. Feasible by
construction: every insertion is checked.
"""

from __future__ import annotations

import logging
import random

from scheduler.insertion import difficulty, insert, insert_with_partners, options
from scheduler.plan import Plan
from scheduler.teams import able_workers, available_minutes, planned_team

logger = logging.getLogger(__name__)


def construct(plan: Plan, rng: random.Random) -> None:
    """Fill an empty plan; visits that fit nowhere stay unassigned.

    (A first pass over every customer's critical visits was tried: it fragments teams and left
    twice as many visits unassigned after 30 s of search on the L benchmark.)
    """
    inst = plan.inst
    place_pins(plan)
    commitment = [0.0] * inst.n_workers
    _place_by_customer(plan, construction_order(plan, rng), commitment, available_minutes(inst))
    logger.info(
        "construction: %d of %d visits placed, objective %d",
        inst.n_visits - len(plan.unassigned_visits()), inst.n_visits, plan.objective(),
    )


def _place_by_customer(plan: Plan, visits: list[int], commitment, capacity) -> None:
    """Insert visits (grouped by customer) within each customer's planned team where they fit,
    anywhere the team cap allows where they do not."""
    inst = plan.inst
    team: list[int] = []
    customer = None
    for v in visits:
        c = int(inst.customer[v])
        if c != customer:
            customer = c
            team = planned_team(plan, c, able_workers(plan, c), commitment, capacity)
        if plan.is_assigned(v):
            continue
        within = [s for s in inst.candidates[v] if int(inst.shift_worker[s]) in team]
        if not insert(plan, v, shifts=within) and not insert(plan, v):
            insert_with_partners(plan, v)


def place_pins(plan: Plan) -> None:
    """Put pinned visits with their workers (and starts) before anything else."""
    inst = plan.inst
    for v, pins in sorted(inst.pins.items()):
        for worker, start in pins:
            shifts = [s for s in inst.candidates[v] if int(inst.shift_worker[s]) == worker]
            for option in options(plan, v, shifts):
                at = start if start is not None else min(
                    max(option.lo, plan.tables.punctual_from[v]), option.hi
                )
                if not option.lo <= at <= option.hi:
                    continue
                run = plan.runs[option.s]
                new_run = [*run[:option.pos], v, *run[option.pos:]]
                if plan.try_run(option.s, new_run, {v: at}):
                    break


def unkept_pins(plan: Plan) -> list[tuple[int, int, str]]:
    """(visit, worker, why) for each pin the plan does not keep: the pinned worker could not
    be put on the visit (the reader has already checked skills, bans, windows and
    availability rows, so what is left is travel, hours or another pin in the way)."""
    inst = plan.inst
    out = []
    for v, pins in sorted(inst.pins.items()):
        for worker, _ in pins:
            if worker in plan.workers_of(v):
                continue
            if not any(int(inst.shift_worker[s]) == worker for s in inst.candidates[v]):
                why = ("they cannot get there from home, do it and get back within any of their "
                       "availability rows that day")
            else:
                why = ("it does not fit beside their other pinned visits that day within their "
                       "hours")
            out.append((v, worker, why))
    return out


def construction_order(plan: Plan, rng: random.Random) -> list[int]:
    """Visits grouped by customer, customers hardest first; within a customer, the visits
    fewest workers can take first (so scarce evening and weekend workers join the team early),
    then by time."""
    inst = plan.inst
    by_customer = {c: visits for c, visits in enumerate(plan.visits_of_customer) if visits}

    def customer_key(c: int):
        hardest = min(difficulty(plan, v) for v in by_customer[c])
        return (hardest, -len(by_customer[c]), rng.random())

    order = []
    for c in sorted(by_customer, key=customer_key):
        order += sorted(by_customer[c], key=lambda v: (difficulty(plan, v), int(inst.preferred[v])))
    return order
