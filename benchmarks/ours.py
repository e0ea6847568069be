"""Adapter from a Solomon VRPTW instance to this project's engine: ``solve_ours``.

Why an Instance and not a caseload folder: FORMAT.md's day is 1,440 minutes and nothing
crosses midnight, while Solomon horizons run to 3,390 time units with travel times in tenths
(DIMACS). So the adapter builds the engine's integer ``Instance`` directly, with one engine
"minute" = one tenth of a Solomon time unit, and calls ``scheduler.solve.search_instance``: the
same construction, LNS and CP-SAT neighbourhoods the CLI's ``solve`` runs, from the same point
on (``prepare`` is the only step skipped, and ``finish`` computes its derived fields).

Mapping: one worker per vehicle, living at the depot, with one shift [ready(0), due(0)] and a
per-shift load cap of the vehicle capacity; one customer and one visit per Solomon customer,
duration = service time, start window [ready, due], load = demand. Travel time and distance
are the DIMACS matrix in tenths. Weights: travel 1 per tenth, every other term 0, an unserved
customer 10^9. The runner re-costs and checks the routes with the shared checker.
"""

from __future__ import annotations

import time

import numpy as np

from benchmarks.peers import PeerResult
from benchmarks.vrptw import VrptwInstance
from models.objective import TERM_IDS, TRAVEL_TIME, UNASSIGNED_NORMAL
from models.result import SolveParams
from scheduler.prepare import NO_CAP, Instance, finish
from scheduler.solve import search_instance

UNSERVED = 10**9
"""Points for a customer left unserved: far above any route length."""


def engine_instance(vrptw: VrptwInstance) -> Instance:
    """The Solomon instance as the engine's integer Instance (see the module docstring)."""
    n = len(vrptw.demands) - 1
    k = vrptw.vehicles
    customers = np.arange(1, n + 1)
    dist = np.asarray(vrptw.dist, dtype=np.int32)
    weights = dict.fromkeys(TERM_IDS, 0)
    weights.update({TRAVEL_TIME: 1, UNASSIGNED_NORMAL: UNSERVED})

    def ints(values) -> np.ndarray:
        return np.asarray(values, dtype=np.int64)

    inst = Instance(
        weights=weights,
        visit_ids=tuple(str(c) for c in customers),
        customer=ints(range(n)),
        day=np.zeros(n, dtype=np.int64),
        earliest=ints(vrptw.ready[1:]),
        latest=ints(vrptw.due[1:]),
        preferred=ints(vrptw.ready[1:]),
        duration=ints(vrptw.service[1:]),
        tolerance=np.zeros(n, dtype=np.int64),
        gap_after=np.zeros(n, dtype=np.int64),
        required=np.ones(n, dtype=np.int64),
        load=ints(vrptw.demands[1:]),
        penalty=np.full(n, UNSERVED, dtype=np.int64),
        priority_term=(UNASSIGNED_NORMAL,) * n,
        place=ints(customers),
        customer_ids=tuple(str(c) for c in customers),
        customer_place=ints(customers),
        team_cap=np.full(n, k, dtype=np.int64),
        familiar=(frozenset(),) * n,
        worker_ids=tuple(f"vehicle{i + 1}" for i in range(k)),
        home=np.zeros(k, dtype=np.int64),
        mode=np.zeros(k, dtype=np.int64),
        max_week=np.full(k, NO_CAP, dtype=np.int64),
        max_day=np.full(k, NO_CAP, dtype=np.int64),
        guaranteed=np.zeros(k, dtype=np.int64),
        max_load=np.full(k, int(vrptw.capacity), dtype=np.int64),
        shift_ids=tuple(f"vehicle{i + 1}" for i in range(k)),
        shift_worker=ints(range(k)),
        shift_day=np.zeros(k, dtype=np.int64),
        shift_start=np.full(k, int(vrptw.ready[0]), dtype=np.int64),
        shift_end=np.full(k, int(vrptw.due[0]), dtype=np.int64),
        modes=("dimacs",),
        minutes=(dist,),
        hm=(np.zeros_like(dist),),
        km=(dist / 10.0,),
        max_span=NO_CAP,
        min_rest=0,
        eligible=np.ones((n, k), dtype=bool),
        candidates=(),
        precedences=(),
    )
    return finish(inst)


def solve_ours(instance: VrptwInstance, time_limit_s: float, seed: int) -> PeerResult:
    """Solve a VRPTW instance with this project's engine on one CPU thread."""
    began = time.perf_counter()
    inst = engine_instance(instance)
    params = SolveParams(time_limit_s=time_limit_s, seed=seed, workers=1)
    plan, status, _, _ = search_instance(inst, params, time.monotonic())
    routes = [[v + 1 for v in run] for run in plan.runs if run]
    return PeerResult(
        routes=routes,
        seconds=time.perf_counter() - began,
        status="solution" if routes else "no solution",
        note=status,
    )
