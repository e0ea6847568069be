"""Peer VRPTW solvers behind one signature: ``solve_X(instance, time_limit_s, seed) -> PeerResult``.

Every peer gets the same integer data: the DIMACS arc lengths in tenths as both distance and
travel time, service times and windows in tenths (see :mod:`benchmarks.vrptw`), one vehicle type
with the instance's capacity and fleet limit, every vehicle out of and back to the depot inside
the depot's window. Each peer runs single-threaded. Solutions are returned as routes of customer
numbers and judged by :func:`benchmarks.vrptw.check_solution`, never by the peer's own figures.

- OR-Tools routing (``pywrapcp``): PATH_CHEAPEST_ARC then GUIDED_LOCAL_SEARCH until the time
  limit. It has no seed: the search is deterministic apart from where the clock stops it.
- PyVRP: its default hybrid genetic search with ``MaxRuntime(time_limit_s)`` and ``seed``.
- VROOM (``pyvroom``): exploration level 5, one thread. VROOM's search ends on its own when its
  exploration level is exhausted, usually well before the limit; the time limit is passed as
  its ``timeout`` (an upper bound; pyvroom 1.15 honours it, an older one without the parameter
  runs unbounded and the note says so) and ``seconds`` reports the time it actually took. It
  has no seed.

A peer whose package is missing or fails to import raises :class:`PeerUnavailable`; the runner
skips it with that message.
"""

from __future__ import annotations

import inspect
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from importlib import metadata

from benchmarks.vrptw import VrptwInstance

EXPLORATION_LEVEL = 5
"""VROOM's exploration level (1..5); 5 is its most thorough search."""


class PeerUnavailable(RuntimeError):
    """A peer cannot run here (package missing or broken); the message says why."""


@dataclass(frozen=True)
class PeerResult:
    """What a solver returned.

    ``routes`` holds one list of customer numbers (``1..n``, depot excluded) per used vehicle,
    empty when no solution was found; ``seconds`` is the wall time of the whole call (model
    building included); ``status`` is ``"solution"`` or ``"no solution"``; ``note`` carries the
    solver's own status word or other detail for the report.
    """

    routes: list[list[int]]
    seconds: float
    status: str
    note: str = ""


SolveFunction = Callable[[VrptwInstance, float, int], PeerResult]
"""The signature every solver in the suite shares: ``(instance, time_limit_s, seed)``."""


def package_version(distribution: str) -> str:
    """Installed version of a distribution, or ``"not installed"``."""
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return "not installed"


def _routes_or_status(routes: list[list[int]], start: float, note: str) -> PeerResult:
    routes = [r for r in routes if r]
    status = "solution" if routes else "no solution"
    return PeerResult(routes=routes, seconds=time.perf_counter() - start, status=status, note=note)


# --------------------------------------------------------------------------------------------
# OR-Tools routing

def drop_penalty(instance: VrptwInstance) -> int:
    """Penalty for leaving a customer out in the OR-Tools model: 100 times the length of a tour
    made of ``num_nodes`` longest arcs, so serving a customer always beats dropping it."""
    return 100 * int(instance.dist.max()) * instance.num_nodes


def solve_ortools(
    instance: VrptwInstance,
    time_limit_s: float,
    seed: int,
    *,
    first_solution: str = "PATH_CHEAPEST_ARC",
    allow_drops: bool = True,
) -> PeerResult:
    """OR-Tools routing: PATH_CHEAPEST_ARC + GUIDED_LOCAL_SEARCH for ``time_limit_s`` seconds.

    Arc cost is the tenths matrix. A time dimension (transit = service at the origin + travel)
    with slack for waiting holds every node's window, the vehicles' start and end inside the
    depot's window; a capacity dimension caps the load; the model has ``instance.vehicles``
    vehicles. ``seed`` is ignored: OR-Tools routing takes none.

    With ``allow_drops`` (default) every customer sits in a disjunction with a penalty far above
    any route's length (:func:`drop_penalty`). Without it PATH_CHEAPEST_ARC often finds no first
    solution on tight windows (R101 at 10 s and RC101 at 5 s ended ``ROUTING_FAIL_TIMEOUT``
    here) and the whole limit is lost; with it a first solution always exists and guided local
    search then inserts the dropped customers. A customer still dropped at the limit is simply
    missing from the routes, so the shared checker reports the solution infeasible.
    ``allow_drops=False`` is the strict model; ``first_solution`` names another
    ``FirstSolutionStrategy`` value.
    """
    try:
        from ortools.constraint_solver import pywrapcp, routing_enums_pb2
    except ImportError as exc:  # pragma: no cover - ortools is a core dependency
        raise PeerUnavailable(f"ortools not importable: {exc}") from exc
    del seed
    start = time.perf_counter()
    n = instance.num_nodes
    dist = instance.dist
    horizon = int(instance.due[0])

    manager = pywrapcp.RoutingIndexManager(n, instance.vehicles, 0)
    routing = pywrapcp.RoutingModel(manager)

    dist_cb = routing.RegisterTransitMatrix(dist.tolist())
    routing.SetArcCostEvaluatorOfAllVehicles(dist_cb)

    time_matrix = dist + instance.service[:, None]  # leave i after serving it, then travel
    time_cb = routing.RegisterTransitMatrix(time_matrix.tolist())
    routing.AddDimension(time_cb, horizon, horizon, False, "Time")
    time_dim = routing.GetDimensionOrDie("Time")
    for node in range(1, n):
        index = manager.NodeToIndex(node)
        time_dim.CumulVar(index).SetRange(int(instance.ready[node]), int(instance.due[node]))
    for v in range(instance.vehicles):
        time_dim.CumulVar(routing.Start(v)).SetRange(int(instance.ready[0]), horizon)
        time_dim.CumulVar(routing.End(v)).SetRange(int(instance.ready[0]), horizon)

    if allow_drops:
        penalty = drop_penalty(instance)
        for node in range(1, n):
            routing.AddDisjunction([manager.NodeToIndex(node)], penalty)

    demand_cb = routing.RegisterUnaryTransitVector([int(d) for d in instance.demands])
    routing.AddDimensionWithVehicleCapacity(
        demand_cb, 0, [instance.capacity] * instance.vehicles, True, "Capacity")

    params = pywrapcp.DefaultRoutingSearchParameters()
    params.first_solution_strategy = getattr(
        routing_enums_pb2.FirstSolutionStrategy, first_solution)
    params.local_search_metaheuristic = (
        routing_enums_pb2.LocalSearchMetaheuristic.GUIDED_LOCAL_SEARCH)
    params.time_limit.FromMilliseconds(max(1, round(time_limit_s * 1000)))
    params.log_search = False

    assignment = routing.SolveWithParameters(params)
    try:
        note = routing_enums_pb2.RoutingSearchStatus.Value.Name(routing.status())
    except (AttributeError, ValueError):
        note = str(routing.status())
    routes: list[list[int]] = []
    if assignment is not None:
        for v in range(instance.vehicles):
            route = []
            index = assignment.Value(routing.NextVar(routing.Start(v)))
            while not routing.IsEnd(index):
                route.append(manager.IndexToNode(index))
                index = assignment.Value(routing.NextVar(index))
            routes.append(route)
        dropped = instance.num_customers - sum(len(r) for r in routes)
        if dropped:
            note += f"; {dropped} dropped"
    return _routes_or_status(routes, start, note)


# --------------------------------------------------------------------------------------------
# PyVRP

def solve_pyvrp(instance: VrptwInstance, time_limit_s: float, seed: int) -> PeerResult:
    """PyVRP's hybrid genetic search with ``MaxRuntime(time_limit_s)`` and the given ``seed``.

    One depot with the depot's window, one vehicle type (``instance.vehicles`` available,
    capacity, window), one client per customer (delivery = demand, service, window), and every
    edge with distance = duration = the tenths matrix.
    """
    try:
        from pyvrp import Model
        from pyvrp.stop import MaxRuntime
    except ImportError as exc:
        raise PeerUnavailable(f"pyvrp not importable ({exc}); install the 'bench' extra") from exc
    start = time.perf_counter()
    model = Model()
    locations = [model.add_location(float(x), float(y)) for x, y in instance.coordinates]
    ready, due = instance.ready, instance.due
    depot = model.add_depot(locations[0], tw_early=int(ready[0]), tw_late=int(due[0]))
    model.add_vehicle_type(
        num_available=instance.vehicles,
        capacity=instance.capacity,
        start_depot=depot,
        end_depot=depot,
        tw_early=int(ready[0]),
        tw_late=int(due[0]),
    )
    for node in range(1, instance.num_nodes):
        model.add_client(
            locations[node],
            delivery=int(instance.demands[node]),
            service_duration=int(instance.service[node]),
            tw_early=int(ready[node]),
            tw_late=int(due[node]),
            name=str(node),
        )
    dist = instance.dist
    for i, frm in enumerate(locations):
        for j, to in enumerate(locations):
            if i != j:
                d = int(dist[i, j])
                model.add_edge(frm, to, distance=d, duration=d)

    result = model.solve(stop=MaxRuntime(time_limit_s), seed=seed, display=False,
                         collect_stats=False)
    # A route iterates over its scheduled activities (depots included); a client activity's
    # ``idx`` counts clients only, in the order added, so client k is customer k + 1.
    routes = [[activity.idx + 1 for activity in route if activity.is_client()]
              for route in result.best.routes()]
    note = "feasible" if result.is_feasible() else "infeasible (by PyVRP)"
    return _routes_or_status(routes, start, note)


# --------------------------------------------------------------------------------------------
# VROOM

def solve_vroom(instance: VrptwInstance, time_limit_s: float, seed: int) -> PeerResult:
    """VROOM via pyvroom: exploration level 5, one thread, the time limit as its timeout.

    Vehicles start and end at the depot (matrix index 0) with the capacity and the depot's
    window; jobs carry the service time, a delivery of their demand and their window; the
    duration and cost matrices are the tenths matrix. ``seed`` is ignored: VROOM takes none.
    VROOM usually stops by itself before the limit; ``seconds`` is the time it took.
    """
    try:
        import vroom
    except ImportError as exc:
        raise PeerUnavailable(
            f"pyvroom not importable ({exc}); install the 'bench' extra") from exc
    del seed
    start = time.perf_counter()
    matrix = instance.dist.astype("uint32")
    problem = vroom.Input()
    problem.set_durations_matrix(profile="car", matrix_input=matrix)
    problem.set_costs_matrix(profile="car", matrix_input=matrix)
    depot_window = vroom.TimeWindow(int(instance.ready[0]), int(instance.due[0]))
    for v in range(instance.vehicles):
        problem.add_vehicle(vroom.Vehicle(
            id=v, start=0, end=0, profile="car", capacity=[instance.capacity],
            time_window=depot_window))
    for node in range(1, instance.num_nodes):
        problem.add_job(vroom.Job(
            id=node, location=node, default_service=int(instance.service[node]),
            delivery=[int(instance.demands[node])],
            time_windows=[vroom.TimeWindow(int(instance.ready[node]), int(instance.due[node]))]))

    options: dict[str, object] = {"exploration_level": EXPLORATION_LEVEL, "nb_threads": 1}
    has_timeout = "timeout" in inspect.signature(problem.solve).parameters
    if has_timeout and math.isfinite(time_limit_s):
        options["timeout"] = timedelta(seconds=time_limit_s)
    solution = problem.solve(**options)
    elapsed = time.perf_counter() - start
    table = solution.routes
    routes: list[list[int]] = []
    jobs = table[table["type"] == "job"]
    for _, group in jobs.groupby("vehicle_id", sort=True):
        routes.append([int(job) for job in group["id"]])
    unassigned = instance.num_customers - sum(len(r) for r in routes)
    if not has_timeout:
        stopped = "no timeout in this pyvroom: ran unbounded"
    elif elapsed >= 0.98 * time_limit_s:
        stopped = "stopped at the time limit"
    else:
        stopped = "stopped by itself"
    note = f"{stopped}; {unassigned} unassigned" if unassigned else stopped
    return _routes_or_status(routes, start, note)


PEERS: dict[str, SolveFunction] = {
    "ortools": solve_ortools,
    "pyvrp": solve_pyvrp,
    "vroom": solve_vroom,
}
"""Peer name (as used on the command line and in the results) -> solve function."""

PEER_PACKAGES = {"ortools": "ortools", "pyvrp": "pyvrp", "vroom": "pyvroom"}
"""Peer name -> the distribution whose version the report records."""
