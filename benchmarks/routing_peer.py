"""The routing peer: the week planned with OR-Tools routing (``pywrapcp``), no continuity rule.

``routing_rota(caseload, time_limit_s, seed) -> Rota`` is what a capable developer builds with
OR-Tools' vehicle routing library for home care, as most published examples do it: each worker
shift is a vehicle, each visit a node with a time window, and the objective is travel.

What the model holds
--------------------
- **Vehicles**: one per worker shift (one availability row on one day), starting and ending at
  the worker's home, leaving no earlier than the row's start and home by its end.
- **Nodes**: one per visit instance, two for a double-handed one; the homes as depots.
- **Travel** per the worker's transport mode: one transit matrix per mode (service time at
  the origin + the modelled leg, integer minutes of ``scheduler.travel``), assigned per vehicle.
- **Time dimension** with waiting (slack): each visit's start in its hard window.
- **Eligibility** (skills, gender preference, bans, zone, provider, and a shift that can hold
  the window with travel from and to home) through ``SetAllowedVehiclesForIndex`` (or, where
  OR-Tools' Python binding rejects it, the equivalent domain of the node's vehicle variable:
  see :func:`_allow_vehicles`). A visit no shift can hold is unassigned before the search.
- **Pins** (``caseload.pinned``): the pinned worker's shifts only, at the pinned start when
  given, with a drop penalty ``PIN_PENALTY_FACTOR`` times the usual.
- **Double-handed visits**: their two nodes have equal start
  (``CumulVar(a) == CumulVar(b)``) and, when both are served, different vehicles.
- **Dropping**: every node is in its own disjunction with the project's priority weight for
  an unassigned visit (a double-handed visit's weight split over its two nodes).
- **Daily hours** per vehicle: a second dimension of worked time (contact + travel, no
  waiting) capped at the worker's ``max_hours_day``.
- **Load cap** per shift, as a capacity dimension, when a worker has ``max_load_per_shift``.
- **Objective**, in the project's weights (``models.objective``): travel minutes x the
  travel-time weight + hectometres x the mileage weight on every arc, the unassigned-visit
  penalties, and punctuality as soft bounds on each visit's start around its preferred start
  (the tolerance free, then the punctuality weight per minute). Nothing for continuity, team
  size, familiar workers or guaranteed hours: that is the point of the comparison.

Search, in two phases: first every block gets its first solution (PARALLEL_CHEAPEST_INSERTION,
no local search; measured on an L day, PATH_CHEAPEST_ARC and AUTOMATIC were 3x faster to
it but left a third of the visits out, LOCAL_CHEAPEST_INSERTION was like PARALLEL), which
gives the time to a first valid rota; then GUIDED_LOCAL_SEARCH improves each block from its
first solution, the time left before the limit shared among the blocks in proportion to
their nodes. When the first solutions alone take longer than the limit (possible at XL), the
call overruns the limit by that much and the report's wall time says so. OR-Tools routing
takes no seed; ``seed`` is accepted for a uniform signature.

Decomposition (exact): a vehicle is a worker shift on one day, so no route crosses days, and
a visit can only go to a vehicle its eligibility allows. The week therefore splits into
independent blocks, one per day and per connected group of (visit, eligible worker) pairs
(for zoned caseloads, roughly one per provider). Each block is its own routing model. The
rules that link blocks are not in the routing model at all, so nothing is lost by splitting;
the one model for the week would be the same problem, only slower to search.

What is not modelled, and enforced afterwards
---------------------------------------------
The team cap per customer, weekly hours, the day's span and daily hours across a split shift's
two rows, rest between days, and medication spacing (``min_gap_after_min``) are not routing
constraints. After the search, offending visits are dropped into unassigned with a reason
starting ``routing post-check:``, in this order until none is left: half-served double-handed
visits, medication spacing, team cap (the customer keeps the workers whose visits weigh most
by the priority weights: one critical visit weighs as much as ten normal ones), daily hours,
span, weekly hours, rest; where a rule names several visits, the one dropped is the lowest
priority, then the latest. Dropping a visit only shortens its run's travel (the travel
model is a metric up to rounding), and the final rota is checked with
``scheduler.validate.validate``; any remaining offender is dropped too. So the output is always
valid, and the figures show what ignoring those rules in the search costs.
"""

from __future__ import annotations

import itertools
import logging
import time
from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np

from models import MINUTES_PER_DAY, Assignment, Caseload, Rota, UnassignedVisit, VisitInstance
from models.caseload import Shift
from models.checks import static_eligible
from models.objective import (
    MILEAGE,
    PUNCTUALITY,
    TRAVEL_TIME,
    UNASSIGNED_TERM_BY_PRIORITY,
    resolve_weights,
)
from scheduler.travel import TravelMatrix, build_travel
from scheduler.validate import validate

logger = logging.getLogger(__name__)

FIRST_SOLUTION = "PARALLEL_CHEAPEST_INSERTION"
"""OR-Tools first solution strategy (see the module docstring)."""

MIN_BLOCK_SECONDS = 0.2
"""Least local search time given to a block, seconds."""

PIN_PENALTY_FACTOR = 100
"""A pinned visit's drop penalty is its priority's weight times this."""

FIRST_SOLUTION_CAP_S = 120.0
"""Longest wait for one block's first solution, seconds (or the time limit, if longer)."""

LOAD_SCALE = 1000
"""Visit loads are floats; the load dimension counts thousandths."""

PRIORITY_RANK = {"critical": 0, "normal": 1, "flexible": 2}


@dataclass
class RoutingOutcome:
    """The rota and how the search went.

    ``stats``: ``blocks``; ``nodes`` (visit nodes); ``first_solution_s`` (from the call to
    every block's first solution, plus the post-check: the time to a first valid rota);
    ``routed_visits`` (visits in the routes before the post-check); ``postfix_s``;
    ``dropped_by_postfix`` and ``dropped_by_postfix_rule`` (visits the post-check unassigned,
    by rule); ``dropped_by_search_nodes`` (nodes the search left out); ``no_eligible_shift``;
    ``no_solution_blocks``; ``wall_s``.
    """

    rota: Rota
    stats: dict = field(default_factory=dict)


@dataclass
class _Block:
    day: int
    visits: list[VisitInstance]
    shifts: list[Shift]
    allowed: dict[str, list[int]]
    """Visit id -> indexes into ``shifts`` of the vehicles that may serve it."""


class _Data:
    """The caseload in the shape the model needs: places, legs, eligibility."""

    def __init__(self, caseload: Caseload, travel: TravelMatrix) -> None:
        self.c = caseload
        self.travel = travel
        self.place_index = travel.index  # customer or worker id -> row of the travel matrix
        self.weights = resolve_weights(caseload.weights)
        self.shifts_by_day: dict[int, list[Shift]] = defaultdict(list)
        for shift in caseload.shifts:
            self.shifts_by_day[shift.day].append(shift)
        self.eligible = self._eligible_workers()
        self.pins: dict[str, list] = defaultdict(list)
        for pin in caseload.pinned:
            self.pins[pin.visit_id].append(pin)

    def _eligible_workers(self) -> dict[str, set[str]]:
        """Template id -> ids of workers who may serve it (skills, gender, bans, zone,
        provider)."""
        return {
            template.visit_id: {
                w.worker_id for w in self.c.workers if static_eligible(self.c, template, w)
            }
            for template in self.c.visits
        }

    def leg(self, mode: str, a: int, b: int) -> int:
        return int(self.travel.minutes[mode][a, b])

    def can_hold(self, shift: Shift, v: VisitInstance) -> bool:
        """The shift can hold the visit alone: window, travel from and to home, daily hours."""
        worker = self.c.worker_by_id[shift.worker_id]
        home, place = self.place_index[worker.worker_id], self.place_index[v.customer_id]
        there, back = self.leg(worker.transport, home, place), self.leg(worker.transport, place,
                                                                        home)
        start = max(v.earliest, shift.start + there)
        return (start <= v.latest and start + v.duration_min + back <= shift.end
                and there + v.duration_min + back <= worker.max_hours_day * 60)

    def blocks(self) -> tuple[list[_Block], dict[str, str]]:
        """Independent blocks (see the module docstring) and visits no vehicle can take."""
        impossible: dict[str, str] = {}
        by_day: dict[int, list[VisitInstance]] = defaultdict(list)
        for v in self.c.instances:
            by_day[v.day].append(v)
        out = []
        for day in sorted(by_day):
            shifts = self.shifts_by_day.get(day, [])
            allowed: dict[str, list[int]] = {}
            for v in by_day[day]:
                ok = self.eligible[v.template_id]
                allowed[v.id] = [k for k, s in enumerate(shifts)
                                 if s.worker_id in ok and self.can_hold(s, v)]
                workers = {shifts[k].worker_id for k in allowed[v.id]}
                if len(workers) < v.workers_required:
                    impossible[v.id] = ("routing: no eligible worker shift can hold the window "
                                        "with travel from and to home")
            visits = [v for v in by_day[day] if v.id not in impossible]
            out.extend(_components(day, visits, shifts, allowed))
        return out, impossible


def _components(day, visits, shifts, allowed) -> list[_Block]:
    """Split a day into groups of visits and shifts linked by eligibility (union-find)."""
    parent = list(range(len(shifts)))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for v in visits:
        ks = allowed[v.id]
        for k in ks[1:]:
            parent[find(k)] = find(ks[0])
    groups: dict[int, list[VisitInstance]] = defaultdict(list)
    for v in visits:
        groups[find(allowed[v.id][0])].append(v)
    out = []
    for _, group in sorted(groups.items(), key=lambda item: item[0]):
        members = sorted({k for v in group for k in allowed[v.id]})
        position = {k: i for i, k in enumerate(members)}
        out.append(_Block(
            day=day, visits=group, shifts=[shifts[k] for k in members],
            allowed={v.id: [position[k] for k in allowed[v.id]] for v in group}))
    return out


# ----------------------------------------------------------------------------- one block


class _BlockModel:
    """The routing model of one block: build it, find a first solution, improve it."""

    def __init__(self, data: _Data, block: _Block) -> None:
        from ortools.constraint_solver import pywrapcp

        began = time.perf_counter()
        self.block = block
        c, weights = data.c, data.weights
        # nodes: homes first (one per worker of the block), then visit nodes
        workers = sorted({s.worker_id for s in block.shifts})
        home_node = {w: i for i, w in enumerate(workers)}
        node_place = [data.place_index[w] for w in workers]
        node_visit: list[VisitInstance | None] = [None] * len(workers)
        pairs = []
        for v in block.visits:
            first = len(node_place)
            for _ in range(v.workers_required):
                node_place.append(data.place_index[v.customer_id])
                node_visit.append(v)
            if v.workers_required == 2:
                pairs.append((first, first + 1))
        n = len(node_place)
        service = np.array([0 if v is None else v.duration_min for v in node_visit], dtype=np.int64)
        starts = [home_node[s.worker_id] for s in block.shifts]
        manager = pywrapcp.RoutingIndexManager(n, len(block.shifts), starts, starts)
        routing = pywrapcp.RoutingModel(manager)
        solver = routing.solver()

        places = np.array(node_place)
        modes = sorted({c.worker_by_id[s.worker_id].transport for s in block.shifts})
        time_cb, cost_cb = {}, {}
        for mode in modes:
            minutes = data.travel.minutes[mode][np.ix_(places, places)].astype(np.int64)
            hecto = np.rint(data.travel.km[mode][np.ix_(places, places)] * 10).astype(np.int64)
            cost = weights[TRAVEL_TIME] * minutes + weights[MILEAGE] * hecto
            time_cb[mode] = routing.RegisterTransitMatrix((minutes + service[:, None]).tolist())
            cost_cb[mode] = routing.RegisterTransitMatrix(cost.tolist())
        vehicle_mode = [c.worker_by_id[s.worker_id].transport for s in block.shifts]
        for k, mode in enumerate(vehicle_mode):
            routing.SetArcCostEvaluatorOfVehicle(cost_cb[mode], k)

        horizon = 7 * MINUTES_PER_DAY
        evaluators = [time_cb[m] for m in vehicle_mode]
        routing.AddDimensionWithVehicleTransits(evaluators, horizon, horizon, False, "time")
        time_dim = routing.GetDimensionOrDie("time")
        caps = [int(c.worker_by_id[s.worker_id].max_hours_day * 60) for s in block.shifts]
        routing.AddDimensionWithVehicleTransitAndCapacity(evaluators, 0, caps, True, "work")
        if any(c.worker_by_id[s.worker_id].max_load_per_shift is not None for s in block.shifts):
            loads = [0 if v is None else round(v.load * LOAD_SCALE) for v in node_visit]
            load_cb = routing.RegisterUnaryTransitVector(loads)
            big = sum(loads) + 1
            load_caps = []
            for s in block.shifts:
                cap = c.worker_by_id[s.worker_id].max_load_per_shift
                load_caps.append(big if cap is None else int(cap * LOAD_SCALE + 1e-6))
            routing.AddDimensionWithVehicleCapacity(load_cb, 0, load_caps, True, "load")
        for k, s in enumerate(block.shifts):
            time_dim.CumulVar(routing.Start(k)).SetRange(s.start, s.end)
            time_dim.CumulVar(routing.End(k)).SetRange(s.start, s.end)

        punctuality = weights[PUNCTUALITY]
        second = {b for _, b in pairs}
        for node in range(len(workers), n):
            v = node_visit[node]
            index = manager.NodeToIndex(node)
            time_dim.CumulVar(index).SetRange(v.earliest, v.latest)
            allowed = block.allowed[v.id]
            penalty = weights[UNASSIGNED_TERM_BY_PRIORITY[v.priority]]
            pins = data.pins.get(v.id, [])
            if pins:  # pinned: the pinned worker(s) on the first node(s), at the pinned start
                penalty *= PIN_PENALTY_FACTOR
                j = 1 if node in second else 0  # which of the visit's nodes this is
                if j < len(pins):
                    allowed = [k for k in allowed
                               if block.shifts[k].worker_id == pins[j].worker_id]
                for pin in pins:
                    if pin.start is not None:
                        at = v.day * MINUTES_PER_DAY + pin.start
                        time_dim.CumulVar(index).SetRange(at, at)
            _allow_vehicles(routing, allowed, index)
            routing.AddDisjunction([index], -(-penalty // v.workers_required))
            if punctuality and node not in second:
                lo, hi = v.preferred_start - v.tolerance_min, v.preferred_start + v.tolerance_min
                if lo > v.earliest:
                    time_dim.SetCumulVarSoftLowerBound(index, lo, punctuality)
                if hi < v.latest:
                    time_dim.SetCumulVarSoftUpperBound(index, hi, punctuality)
        for a, b in pairs:
            ia, ib = manager.NodeToIndex(a), manager.NodeToIndex(b)
            solver.Add(time_dim.CumulVar(ia) == time_dim.CumulVar(ib))
            different = solver.IsDifferentVar(routing.VehicleVar(ia), routing.VehicleVar(ib))
            solver.Add(different + 1 >= routing.ActiveVar(ia) + routing.ActiveVar(ib))
        self.routing, self.manager, self.time_dim = routing, manager, time_dim
        self.node_visit, self.visit_nodes = node_visit, n - len(workers)
        self.solution = None
        self.status = "not solved"
        self.build_s = time.perf_counter() - began
        self.first_s: float | None = None

    def _params(self, seconds: float, first_only: bool):
        from ortools.constraint_solver import pywrapcp, routing_enums_pb2

        params = pywrapcp.DefaultRoutingSearchParameters()
        params.first_solution_strategy = getattr(
            routing_enums_pb2.FirstSolutionStrategy, FIRST_SOLUTION)
        if first_only:
            params.solution_limit = 1
        else:
            params.local_search_metaheuristic = (
                routing_enums_pb2.LocalSearchMetaheuristic.GUIDED_LOCAL_SEARCH)
        params.time_limit.FromMilliseconds(max(1, round(seconds * 1000)))
        params.log_search = False
        return params

    def _status(self) -> str:
        from ortools.constraint_solver import routing_enums_pb2

        try:
            return routing_enums_pb2.RoutingSearchStatus.Value.Name(self.routing.status())
        except (AttributeError, ValueError):
            return str(self.routing.status())

    def first(self, cap_s: float) -> None:
        """The first solution (FIRST_SOLUTION, no local search), within ``cap_s`` seconds."""
        began = time.perf_counter()
        self.solution = self.routing.SolveWithParameters(self._params(cap_s, first_only=True))
        self.status = self._status()
        if self.solution is not None:
            self.first_s = time.perf_counter() - began

    def improve(self, budget_s: float) -> None:
        """Guided local search from the first solution for ``budget_s`` seconds."""
        if self.solution is None or budget_s <= 0:
            return
        better = self.routing.SolveFromAssignmentWithParameters(
            self.solution, self._params(max(MIN_BLOCK_SECONDS, budget_s), first_only=False))
        self.status = self._status()
        if better is not None:
            self.solution = better

    def routes(self) -> tuple[dict[str, list[tuple[str, int]]], int]:
        """Shift id -> [(visit id, start week minute)] in route order; nodes left out."""
        routing, solution = self.routing, self.solution
        if solution is None:
            return {}, self.visit_nodes
        out: dict[str, list[tuple[str, int]]] = {}
        served = 0
        for k, shift in enumerate(self.block.shifts):
            index = solution.Value(routing.NextVar(routing.Start(k)))
            route = []
            while not routing.IsEnd(index):
                node = self.manager.IndexToNode(index)
                start = solution.Min(self.time_dim.CumulVar(index))  # set by the cumul optimiser
                route.append((self.node_visit[node].id, start))
                index = solution.Value(routing.NextVar(index))
            if route:
                out[shift.id] = route
                served += len(route)
        return out, self.visit_nodes - served


def _allow_vehicles(routing, vehicles: list[int], index: int) -> None:
    """``SetAllowedVehiclesForIndex``, or the vehicle variable's domain where the binding fails.

    The SWIG binding of OR-Tools 9.15 rejects every Python sequence for this method's
    ``absl::Span<const int>`` argument (TypeError). Restricting the node's vehicle variable to
    the allowed vehicles (and -1, unperformed) is the equivalent constraint; the routing
    heuristics then learn it by propagation rather than up front.
    """
    try:
        routing.SetAllowedVehiclesForIndex(vehicles, index)
    except TypeError:
        routing.VehicleVar(index).SetValues([-1, *vehicles])


# ----------------------------------------------------------------------------- post-check


class _Week:
    """The routed week as editable runs, with the rules routing did not model."""

    def __init__(self, data: _Data, routes: dict[str, list[tuple[str, int]]]) -> None:
        self.data = data
        self.c = data.c
        self.shift_by_id = {s.id: s for s in self.c.shifts}
        self.routes = {sid: list(r) for sid, r in routes.items()}
        self.dropped: dict[str, str] = {}
        self.dropped_rule: dict[str, str] = {}

    def drop(self, visit_id: str, rule: str, reason: str) -> None:
        """Unassign a visit (every worker's row of it) for a rule routing did not model."""
        if visit_id in self.dropped:
            return
        self.dropped[visit_id] = f"routing post-check: {reason}"
        self.dropped_rule[visit_id] = rule
        for sid in list(self.routes):
            self.routes[sid] = [(v, t) for v, t in self.routes[sid] if v != visit_id]

    # -- views --------------------------------------------------------------------------

    def rows(self) -> list[tuple[str, str, int, int]]:
        """(shift id, visit id, start, end) of every routed visit row."""
        inst = self.c.instance_by_id
        return [(sid, v, t, t + inst[v].duration_min)
                for sid, route in self.routes.items() for v, t in route]

    def run_worked(self, sid: str) -> int:
        route = self.routes.get(sid, [])
        if not route:
            return 0
        shift = self.shift_by_id[sid]
        worker = self.c.worker_by_id[shift.worker_id]
        home = self.data.place_index[worker.worker_id]
        path = [home, *(self.data.place_index[self.c.instance_by_id[v].customer_id]
                        for v, _ in route), home]
        travel = sum(self.data.leg(worker.transport, a, b) for a, b in itertools.pairwise(path))
        return travel + sum(self.c.instance_by_id[v].duration_min for v, _ in route)

    def by_worker_day(self) -> dict[tuple[str, int], list[tuple[str, int, int, str]]]:
        """(worker, day) -> [(visit id, start, end, shift id)] in start order."""
        out: dict[tuple[str, int], list] = defaultdict(list)
        for sid, v, t, e in self.rows():
            shift = self.shift_by_id[sid]
            out[(shift.worker_id, shift.day)].append((v, t, e, sid))
        for items in out.values():
            items.sort(key=lambda x: (x[1], x[2], x[0]))
        return out

    def _weakest(self, visit_ids) -> str:
        """The visit to drop first: not pinned, lowest priority, then latest start, then id."""
        inst = self.c.instance_by_id
        return max(visit_ids, key=lambda v: (v not in self.data.pins,
                                             PRIORITY_RANK.get(inst[v].priority, 1),
                                             inst[v].preferred_start, v))

    # -- rules ----------------------------------------------------------------------------

    def fix_half_pairs(self) -> bool:
        counts: dict[str, int] = defaultdict(int)
        for _, v, _, _ in self.rows():
            counts[v] += 1
        changed = False
        for v, k in counts.items():
            if k < self.c.instance_by_id[v].workers_required:
                self.drop(v, "double_handed", "only one of the two workers of a "
                          "double-handed visit was routed")
                changed = True
        return changed

    def fix_min_gap(self) -> bool:
        inst = self.c.instance_by_id
        times: dict[str, tuple[int, int]] = {}
        for _, v, t, e in self.rows():
            old = times.get(v, (t, e))
            times[v] = (min(old[0], t), max(old[1], e))
        by_customer: dict[str, list] = defaultdict(list)
        for v, (t, e) in times.items():
            by_customer[inst[v].customer_id].append((t, e, v))
        changed = False
        for items in by_customer.values():
            items.sort()
            for (_, e, u), (t2, _, w) in itertools.pairwise(items):
                gap = inst[u].min_gap_after_min
                if gap and e + gap > t2:
                    self.drop(self._weakest([u, w]), "min_gap",
                              f"medication spacing of {gap} min after {u} not kept")
                    changed = True
                    break
        return changed

    def fix_team_cap(self) -> bool:
        inst = self.c.instance_by_id
        visits: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        for sid, v, _, _ in self.rows():
            visits[inst[v].customer_id][self.shift_by_id[sid].worker_id].append(v)
        changed = False
        for customer_id, by_worker in visits.items():
            cap = self.c.team_cap(customer_id)
            if len(by_worker) <= cap:
                continue
            pinned = {p.worker_id for vs in by_worker.values() for v in vs
                      for p in self.data.pins.get(v, ())}
            weights = self.data.weights

            def worth(w: str) -> int:  # what unassigning all of w's visits would cost
                return sum(weights[UNASSIGNED_TERM_BY_PRIORITY[inst[v].priority]]
                           for v in by_worker[w])

            keep = sorted(by_worker, key=lambda w: (w not in pinned, -worth(w), w))[:cap]
            for w, vs in by_worker.items():
                if w not in keep:
                    for v in vs:
                        self.drop(v, "team_size", f"team cap {cap} of {customer_id} (kept "
                                  f"the workers whose visits weigh most)")
            changed = True
        return changed

    def fix_worker_days(self) -> bool:
        """Daily hours over the day's rows, span, then weekly hours and rest."""
        c, policy = self.c, self.c.policy
        changed = False
        days = self.by_worker_day()
        for (wid, _day), items in days.items():
            worker = c.worker_by_id[wid]
            worked = sum(self.run_worked(sid) for sid in {x[3] for x in items})
            if worked > worker.max_hours_day * 60 + 1e-9:
                self.drop(self._weakest([x[0] for x in items]), "hours_day",
                          "daily hours cap across the day's rows")
                changed = True
                continue
            if items[-1][2] - items[0][1] > policy.max_shift_span_min:
                victim = self._weakest([items[0][0], items[-1][0]])
                self.drop(victim, "span", "the day's span is over the policy")
                changed = True
        if changed:
            return True
        by_worker: dict[str, list] = defaultdict(list)
        for (wid, day), items in days.items():
            by_worker[wid].append((day, items))
        for wid, day_items in by_worker.items():
            worker = c.worker_by_id[wid]
            worked = sum(self.run_worked(sid) for _, items in day_items
                         for sid in {x[3] for x in items})
            if worked > worker.max_hours_week * 60 + 1e-9:
                self.drop(self._weakest([x[0] for _, items in day_items for x in items]),
                          "hours_week", "weekly hours cap")
                changed = True
                continue
            day_items.sort()
            for (_, a), (_, b) in itertools.pairwise(day_items):
                if b[0][1] - a[-1][2] < policy.min_rest_between_days_min:
                    self.drop(self._weakest([a[-1][0], b[0][0]]), "rest",
                              "rest between days")
                    changed = True
                    break
        return changed

    def enforce(self) -> None:
        for rule in (self.fix_half_pairs, self.fix_min_gap, self.fix_team_cap,
                     self.fix_worker_days):
            while rule():
                self.fix_half_pairs()

    # -- output ---------------------------------------------------------------------------

    def rota(self, impossible: dict[str, str]) -> Rota:
        c, data = self.c, self.data
        rows = []
        for sid, route in self.routes.items():
            shift = self.shift_by_id[sid]
            worker = c.worker_by_id[shift.worker_id]
            here = data.place_index[worker.worker_id]
            base = shift.day * MINUTES_PER_DAY
            for v, t in route:
                instance = c.instance_by_id[v]
                there = data.place_index[instance.customer_id]
                rows.append(Assignment(
                    visit_id=v, customer_id=instance.customer_id, worker_id=worker.worker_id,
                    day=shift.day, start=t - base, end=t - base + instance.duration_min,
                    travel_min=data.leg(worker.transport, here, there),
                    travel_km=round(float(data.travel.km[worker.transport][here, there]), 3)))
                here = there
        routed = {r.visit_id for r in rows}
        unassigned = []
        for v in c.instances:
            if v.id in routed:
                continue
            reason = (impossible.get(v.id) or self.dropped.get(v.id)
                      or "routing: left out by the search (drop penalty cheaper than serving)")
            unassigned.append(UnassignedVisit(
                visit_id=v.id, customer_id=v.customer_id, day=v.day,
                start=v.preferred_start - v.day * MINUTES_PER_DAY, reason=reason))
        return Rota(assignments=tuple(rows), unassigned=tuple(unassigned))


# ----------------------------------------------------------------------------- entry points


def routing_solve(
    caseload: Caseload, time_limit_s: float, seed: int, *, travel: TravelMatrix | None = None
) -> RoutingOutcome:
    """Plan the week with OR-Tools routing, then enforce the rules it did not model.

    Parameters
    ----------
    caseload
        The validated caseload.
    time_limit_s
        Search time shared by the blocks, seconds (model building comes on top).
    seed
        Ignored (OR-Tools routing takes none); kept for the peers' common signature.
    travel
        The caseload's travel matrix; built when None.

    Returns
    -------
    RoutingOutcome
        A rota that passes ``scheduler.validate.validate``, and search statistics.
    """
    del seed
    began = time.perf_counter()
    travel = travel if travel is not None else build_travel(caseload)
    data = _Data(caseload, travel)
    blocks, impossible = data.blocks()
    deadline = began + time_limit_s
    models = []
    for block in blocks:  # phase 1: every block's model and first solution
        model = _BlockModel(data, block)
        model.first(max(FIRST_SOLUTION_CAP_S, time_limit_s))
        if model.solution is None:
            logger.warning("routing: no first solution for a block of day %d (%s)", block.day,
                           model.status)
        models.append(model)
    first_solution_s = time.perf_counter() - began
    remaining = sum(m.visit_nodes for m in models)
    for model in models:  # phase 2: guided local search, the time left shared by size
        budget = (deadline - time.perf_counter()) * model.visit_nodes / max(1, remaining)
        remaining -= model.visit_nodes
        model.improve(budget)
    routes: dict[str, list[tuple[str, int]]] = {}
    dropped_by_search = 0
    for model in models:
        block_routes, left_out = model.routes()
        routes.update(block_routes)
        dropped_by_search += left_out
    no_solution = sum(m.solution is None for m in models)
    routed = len({v for route in routes.values() for v, _ in route})
    fixed_began = time.perf_counter()
    week = _Week(data, routes)
    week.enforce()
    rota = week.rota(impossible)
    violations = validate(caseload, rota, travel=travel)
    rounds = 0
    while violations and rounds < 1000:  # the last resort: drop what the validator names
        rounds += 1
        named = [v.entities.get("visit") for v in violations if v.entities.get("visit")]
        if not named:
            break
        for visit_id in dict.fromkeys(named):
            week.drop(visit_id, "validator", f"validator: {violations[0].rule}")
        week.fix_half_pairs()
        rota = week.rota(impossible)
        violations = validate(caseload, rota, travel=travel)
    if violations:
        raise RuntimeError(f"routing peer: invalid rota after the post-check: {violations[:5]}")
    postfix_s = time.perf_counter() - fixed_began
    by_rule: dict[str, int] = defaultdict(int)
    for rule in week.dropped_rule.values():
        by_rule[rule] += 1
    stats = {
        "blocks": len(blocks),
        "nodes": sum(m.visit_nodes for m in models),
        "first_solution_s": round(first_solution_s + postfix_s, 3),
        "routed_visits": routed,
        "postfix_s": round(postfix_s, 3),
        "dropped_by_postfix": len(week.dropped),
        "dropped_by_postfix_rule": dict(by_rule),
        "dropped_by_search_nodes": dropped_by_search,
        "no_eligible_shift": len(impossible),
        "no_solution_blocks": no_solution,
        "wall_s": round(time.perf_counter() - began, 3),
    }
    return RoutingOutcome(rota, stats)


def routing_rota(caseload: Caseload, time_limit_s: float, seed: int) -> Rota:
    """The routing peer's rota (see :func:`routing_solve`)."""
    return routing_solve(caseload, time_limit_s, seed).rota
