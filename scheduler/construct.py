"""The first rota: pinned assignments, then every visit by best insertion, hardest first.

Customers are taken one at a time, those with the fewest options first (double-handed, critical,
rare skills, narrow windows), and each customer's visits are placed together: once a worker
serves a customer, the team cost steers the customer's other visits to the same worker, so
regular teams form as the rota is built. Feasible by construction: every insertion is checked.
"""

from __future__ import annotations

import logging
import random
from collections import defaultdict

from scheduler.insertion import insert, insert_with_partners, options
from scheduler.plan import Plan

logger = logging.getLogger(__name__)


def construct(plan: Plan, rng: random.Random) -> None:
    """Fill an empty plan; visits that fit nowhere stay unassigned."""
    place_pins(plan)
    for v in construction_order(plan, rng):
        if not plan.is_assigned(v) and not insert(plan, v):
            insert_with_partners(plan, v)
    logger.info(
        "construction: %d of %d visits placed, objective %d",
        plan.inst.n_visits - len(plan.unassigned_visits()), plan.inst.n_visits, plan.objective(),
    )


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
                new_run = run[: option.pos] + [v] + run[option.pos:]
                if plan.try_run(option.s, new_run, {v: at}):
                    break


def construction_order(plan: Plan, rng: random.Random) -> list[int]:
    """Visits grouped by customer; customers hardest first; within a customer, double-handed
    and critical visits first, then by time."""
    inst = plan.inst
    by_customer: dict[int, list[int]] = defaultdict(list)
    for v in range(inst.n_visits):
        by_customer[int(inst.customer[v])].append(v)

    def visit_key(v: int):
        return (-int(inst.required[v]), -int(inst.penalty[v]), len(inst.candidates[v]),
                int(inst.preferred[v]))

    def customer_key(c: int):
        visits = by_customer[c]
        fewest = min(len(inst.candidates[v]) for v in visits)
        return (-max(int(inst.required[v]) for v in visits), fewest, -len(visits), rng.random())

    order = []
    for c in sorted(by_customer, key=customer_key):
        order += sorted(by_customer[c], key=visit_key)
    return order
