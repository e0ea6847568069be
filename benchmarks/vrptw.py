"""VRPTW instances in exact integer tenths, and one checker that re-costs every solution.

Convention (DIMACS, as used by the distance-only best-known solutions of PyVRP, HGS and CVRPLIB):

- every arc length is the Euclidean distance truncated to one decimal, ``floor(10 * d) / 10``;
  that length is also the travel time;
- service times count in the windows: service at a customer starts at
  ``max(arrival, ready)`` and must start no later than ``due``; waiting is allowed;
- each vehicle leaves the depot (node 0) no earlier than the depot's ready time and is back no
  later than the depot's due time;
- at most ``vehicles`` routes; each route's total demand is at most ``capacity``;
- the objective is the total distance.

All times and lengths here are integers in **tenths** of the instance's unit (``dist``, ``ready``,
``due``, ``service``), so feasibility and cost are exact integer arithmetic; demands and capacity
stay in the instance's own units. ``CheckResult.distance`` converts back to units.

This module imports neither OR-Tools nor any peer: it is the independent judge of every solver.
"""

from __future__ import annotations

import csv
import math
import os
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

SCALE = 10
"""Integer units per instance unit: lengths and times are held in tenths."""

BKS_FILE = "bks_distance_dimacs.csv"
"""Name of the distance-only best-known-solution table in the Solomon data folder."""

CLASSES = ("C1", "C2", "R1", "R2", "RC1", "RC2")
"""Solomon's six instance classes, in report order."""

_CLASS_RE = re.compile(r"^([A-Za-z]+)(\d)")


def instance_class(name: str) -> str:
    """The Solomon class of an instance name: ``"RC101"`` -> ``"RC1"``, ``"C205"`` -> ``"C2"``.

    Names that do not follow the pattern are returned upper-cased, unchanged.
    """
    match = _CLASS_RE.match(name)
    if match is None:
        return name.upper()
    return match.group(1).upper() + match.group(2)


def _readonly(array: np.ndarray) -> np.ndarray:
    array.flags.writeable = False
    return array


def _to_tenths(values: Sequence[float], what: str) -> np.ndarray:
    """Scale times given in instance units to integer tenths, refusing finer resolution."""
    scaled = np.asarray(values, dtype=float) * SCALE
    rounded = np.rint(scaled)
    if not np.allclose(scaled, rounded, rtol=0.0, atol=1e-6):
        raise ValueError(f"{what} has values finer than one tenth; cannot convert exactly.")
    return rounded.astype(np.int64)


def dimacs_distances(coordinates: np.ndarray) -> np.ndarray:
    """All-pairs arc lengths in tenths, ``floor(10 * euclid)``, as an ``int64`` matrix.

    With integer coordinates (all of Solomon's) the floor is exact: ``isqrt(100 * (dx^2 + dy^2))``.
    Otherwise it is ``floor(10 * hypot)`` in floating point.
    """
    coords = np.asarray(coordinates, dtype=float)
    n = len(coords)
    if np.all(coords == np.rint(coords)):
        ints = np.rint(coords).astype(np.int64)
        dx = ints[:, None, 0] - ints[None, :, 0]
        dy = ints[:, None, 1] - ints[None, :, 1]
        squared = (SCALE * SCALE) * (dx * dx + dy * dy)
        dist = np.fromiter(
            (math.isqrt(int(v)) for v in squared.ravel()), dtype=np.int64, count=n * n
        ).reshape(n, n)
    else:
        diff = coords[:, None, :] - coords[None, :, :]
        dist = np.floor(SCALE * np.hypot(diff[..., 0], diff[..., 1])).astype(np.int64)
    return dist


@dataclass(frozen=True, eq=False)
class VrptwInstance:
    """A VRPTW instance with node 0 the depot and nodes ``1..n`` the customers.

    Arrays are read-only numpy arrays indexed by node. ``dist``, ``ready``, ``due`` and
    ``service`` are integers in tenths (see the module docstring); ``demands`` and ``capacity``
    are in the instance's load units. Build one with :meth:`from_units` or :func:`read_solomon`.
    """

    name: str
    coordinates: np.ndarray = field(repr=False)
    """(n+1, 2) float coordinates, depot first."""
    demands: np.ndarray = field(repr=False)
    """(n+1,) integer demand per node; the depot's is 0."""
    capacity: int
    """Load cap of every vehicle (one worker shift), in demand units."""
    vehicles: int
    """Fleet limit: the most routes a solution may use."""
    ready: np.ndarray = field(repr=False)
    """(n+1,) earliest service start, tenths; ``ready[0]`` is the earliest departure."""
    due: np.ndarray = field(repr=False)
    """(n+1,) latest service start, tenths; ``due[0]`` is the latest return to the depot."""
    service: np.ndarray = field(repr=False)
    """(n+1,) service duration, tenths."""
    dist: np.ndarray = field(repr=False)
    """(n+1, n+1) DIMACS arc length and travel time, ``floor(10 * euclid)``, tenths."""

    @classmethod
    def from_units(
        cls,
        name: str,
        coordinates: Sequence[Sequence[float]],
        demands: Sequence[int],
        capacity: int,
        vehicles: int,
        ready: Sequence[float],
        due: Sequence[float],
        service: Sequence[float],
    ) -> VrptwInstance:
        """Build an instance from values in the instance's own units (as in Solomon's files).

        Times are multiplied by 10 into integer tenths and the DIMACS distance matrix is
        computed from the coordinates.

        Raises
        ------
        ValueError
            When array lengths differ, there is no customer, a time is finer than one tenth, or
            a window is empty.
        """
        coords = np.asarray(coordinates, dtype=float)
        n = len(coords)
        if coords.ndim != 2 or coords.shape[1] != 2 or n < 2:
            raise ValueError(f"{name}: need (n+1, 2) coordinates with at least one customer.")
        for what, values in (("demands", demands), ("ready", ready), ("due", due),
                             ("service", service)):
            if len(values) != n:
                raise ValueError(f"{name}: {what} has {len(values)} values for {n} nodes.")
        demand_arr = np.asarray(demands, dtype=np.int64)
        ready_t = _to_tenths(ready, f"{name}: ready")
        due_t = _to_tenths(due, f"{name}: due")
        service_t = _to_tenths(service, f"{name}: service")
        empty = np.flatnonzero(ready_t > due_t)
        if empty.size:
            raise ValueError(f"{name}: node {int(empty[0])} has ready time after its due time.")
        return cls(
            name=name,
            coordinates=_readonly(coords.copy()),
            demands=_readonly(demand_arr),
            capacity=int(capacity),
            vehicles=int(vehicles),
            ready=_readonly(ready_t),
            due=_readonly(due_t),
            service=_readonly(service_t),
            dist=_readonly(dimacs_distances(coords)),
        )

    @property
    def num_customers(self) -> int:
        """Number of customers (nodes ``1..n``)."""
        return len(self.coordinates) - 1

    @property
    def num_nodes(self) -> int:
        """Number of nodes, depot included."""
        return len(self.coordinates)

    @property
    def instance_class(self) -> str:
        """Solomon class of the instance (``"RC1"`` for RC101), see :func:`instance_class`."""
        return instance_class(self.name)


def read_solomon(path: str | os.PathLike[str]) -> VrptwInstance:
    """Read an instance in Solomon's text format (name line, VEHICLE and CUSTOMER sections).

    The customer section holds one row per node, depot first: number, x, y, demand, ready time,
    due date, service time. Blank lines and headers are skipped.

    Raises
    ------
    ValueError
        When the vehicle line or the customer rows are missing or malformed; the message names
        the file and line.
    """
    path = Path(path)
    lines = path.read_text().splitlines()
    name = next((line.strip() for line in lines if line.strip()), path.stem)
    vehicles = capacity = None
    rows: list[list[float]] = []
    section = None
    for lineno, raw in enumerate(lines, start=1):
        line = raw.strip()
        upper = line.upper()
        if upper.startswith("VEHICLE"):
            section = "vehicle"
            continue
        if upper.startswith("CUSTOMER"):
            section = "customer"
            continue
        tokens = line.split()
        if not tokens or not _is_number(tokens[0]):
            continue
        if section == "vehicle" and vehicles is None:
            if len(tokens) != 2:
                raise ValueError(f"{path}:{lineno}: expected 'NUMBER CAPACITY', got {line!r}.")
            vehicles, capacity = int(tokens[0]), int(tokens[1])
        elif section == "customer":
            if len(tokens) != 7 or not all(_is_number(t) for t in tokens):
                raise ValueError(f"{path}:{lineno}: expected 7 numbers per customer row, "
                                 f"got {line!r}.")
            rows.append([float(t) for t in tokens])
    if vehicles is None or capacity is None:
        raise ValueError(f"{path}: no VEHICLE section with 'NUMBER CAPACITY'.")
    if not rows:
        raise ValueError(f"{path}: no CUSTOMER rows.")
    numbers = [int(r[0]) for r in rows]
    if numbers != list(range(len(rows))):
        raise ValueError(f"{path}: customer numbers must run 0..{len(rows) - 1} in order.")
    table = np.asarray(rows)
    demand_col = table[:, 3]
    if not np.all(demand_col == np.rint(demand_col)):
        raise ValueError(f"{path}: demands must be integers.")
    return VrptwInstance.from_units(
        name=name,
        coordinates=table[:, 1:3],
        demands=demand_col.astype(np.int64),
        capacity=capacity,
        vehicles=vehicles,
        ready=table[:, 4],
        due=table[:, 5],
        service=table[:, 6],
    )


def _is_number(token: str) -> bool:
    try:
        float(token)
    except ValueError:
        return False
    return True


def read_solution(path: str | os.PathLike[str]) -> tuple[list[list[int]], float | None]:
    """Read a CVRPLIB solution file (``Route #k: c1 c2 ...`` lines and ``Cost x``).

    Returns the routes as lists of customer numbers and the stated cost (``None`` if absent).
    """
    routes: list[list[int]] = []
    cost = None
    for raw in Path(path).read_text().splitlines():
        line = raw.strip()
        if line.lower().startswith("route"):
            _, _, visits = line.partition(":")
            routes.append([int(token) for token in visits.split()])
        elif line.lower().startswith("cost"):
            cost = float(line.split()[1])
    return routes, cost


@dataclass(frozen=True)
class Bks:
    """A best-known solution's figures: routes used and total distance (instance units)."""

    vehicles: int
    distance: float


def read_bks(path: str | os.PathLike[str]) -> dict[str, Bks]:
    """Read a BKS table with columns ``instance, vehicles, distance`` (others ignored).

    Returns a mapping from instance name to :class:`Bks`.
    """
    result: dict[str, Bks] = {}
    with Path(path).open(newline="") as handle:
        for row in csv.DictReader(handle):
            result[row["instance"].strip()] = Bks(int(row["vehicles"]), float(row["distance"]))
    return result


# --------------------------------------------------------------------------------------------
# The shared checker

CAPACITY = "capacity"
TIME_WINDOW = "time_window"
DEPOT_RETURN = "depot_return"
MISSING = "missing"
DUPLICATE = "duplicate"
UNKNOWN_NODE = "unknown_node"
FLEET = "fleet"
VIOLATION_KINDS = (CAPACITY, TIME_WINDOW, DEPOT_RETURN, MISSING, DUPLICATE, UNKNOWN_NODE, FLEET)
"""Every kind of violation :func:`check_solution` reports."""


@dataclass(frozen=True)
class Violation:
    """One broken rule: its kind (see ``VIOLATION_KINDS``), a message, where, and by how much.

    ``route`` is the 0-based position in the list given to the checker (``None`` when the rule
    concerns the whole solution), ``customer`` the node concerned (or ``None``), ``amount`` the
    excess: load units for capacity, tenths of time for windows, a count otherwise.
    """

    kind: str
    message: str
    route: int | None = None
    customer: int | None = None
    amount: int = 0


@dataclass(frozen=True)
class CheckResult:
    """What :func:`check_solution` found.

    ``distance`` is the total DIMACS distance in instance units (``distance_tenths / 10``);
    ``routes`` counts non-empty routes; ``feasible`` is true exactly when ``violations`` is empty.
    """

    feasible: bool
    distance: float
    routes: int
    violations: tuple[Violation, ...]
    distance_tenths: int

    def kinds(self) -> set[str]:
        """The set of violation kinds found."""
        return {v.kind for v in self.violations}


def check_solution(instance: VrptwInstance, routes: Sequence[Sequence[int]]) -> CheckResult:
    """Re-cost a solution and check every rule of the DIMACS VRPTW convention.

    Parameters
    ----------
    instance
        The instance.
    routes
        One sequence of customer numbers (``1..n``, depot excluded) per vehicle, in visiting
        order. Empty routes are allowed and ignored.

    Returns
    -------
    CheckResult
        Total distance (units and tenths), number of non-empty routes, and every violation:
        capacity exceeded; service started after a customer's due time (waiting before ``ready``
        is allowed); back at the depot after its due time; a customer missing or served more
        than once; a node number that is not a customer; more routes than vehicles.
    """
    n = instance.num_customers
    dist, ready, due, service = instance.dist, instance.ready, instance.due, instance.service
    demands = instance.demands
    violations: list[Violation] = []
    total = 0
    used = 0
    seen: Counter[int] = Counter()

    for r, route in enumerate(routes):
        nodes = [int(c) for c in route]
        if not nodes:
            continue
        used += 1
        bad = [c for c in nodes if not 1 <= c <= n]
        for c in bad:
            violations.append(Violation(UNKNOWN_NODE, f"route {r}: node {c} is not a customer "
                                        f"(1..{n}).", route=r, customer=c, amount=1))
        if bad:
            continue
        seen.update(nodes)

        load = int(sum(int(demands[c]) for c in nodes))
        if load > instance.capacity:
            violations.append(Violation(
                CAPACITY, f"route {r}: load {load} exceeds capacity {instance.capacity}.",
                route=r, amount=load - instance.capacity))

        prev = 0
        start = int(ready[0])  # service start at the previous node (departure from the depot)
        for c in nodes:
            leg = int(dist[prev, c])
            total += leg
            arrival = start + int(service[prev]) + leg
            start = max(arrival, int(ready[c]))
            if start > due[c]:
                late = start - int(due[c])
                violations.append(Violation(
                    TIME_WINDOW, f"route {r}: customer {c} served at {start / SCALE:g}, after its "
                    f"due time {due[c] / SCALE:g} ({late / SCALE:g} late).",
                    route=r, customer=c, amount=late))
            prev = c
        leg = int(dist[prev, 0])
        total += leg
        back = start + int(service[prev]) + leg
        if back > due[0]:
            violations.append(Violation(
                DEPOT_RETURN, f"route {r}: back at the depot at {back / SCALE:g}, after its due "
                f"time {due[0] / SCALE:g}.", route=r, amount=back - int(due[0])))

    for c in range(1, n + 1):
        count = seen.get(c, 0)
        if count == 0:
            violations.append(Violation(MISSING, f"customer {c} is not served.", customer=c,
                                        amount=1))
        elif count > 1:
            violations.append(Violation(DUPLICATE, f"customer {c} is served {count} times.",
                                        customer=c, amount=count - 1))
    if used > instance.vehicles:
        violations.append(Violation(FLEET, f"{used} routes used, fleet limit is "
                                    f"{instance.vehicles}.", amount=used - instance.vehicles))

    return CheckResult(
        feasible=not violations,
        distance=total / SCALE,
        routes=used,
        violations=tuple(violations),
        distance_tenths=total,
    )


# --------------------------------------------------------------------------------------------
# Where the data lives

def default_solomon_dir() -> Path | None:
    """The shared Solomon data folder, or ``None`` if it cannot be found.

    Looks at ``$SOLOMON_DIR``, then ``shared/benchdata/solomon`` beside the repository (as laid
    out for developers and CI), then ``/work/shared/benchdata/solomon``.
    """
    candidates = []
    if os.environ.get("SOLOMON_DIR"):
        candidates.append(Path(os.environ["SOLOMON_DIR"]))
    repo = Path(__file__).resolve().parents[1]
    candidates.append(repo.parent / "shared" / "benchdata" / "solomon")
    candidates.append(Path("/work/shared/benchdata/solomon"))
    for candidate in candidates:
        if instance_files(candidate):
            return candidate
    return None


def instance_files(folder: str | os.PathLike[str]) -> list[Path]:
    """Solomon ``*.txt`` instance files in ``folder`` or its ``instances/`` subfolder, sorted."""
    folder = Path(folder)
    for where in (folder, folder / "instances"):
        files = sorted(where.glob("*.txt")) if where.is_dir() else []
        if files:
            return files
    return []


def find_bks_file(folder: str | os.PathLike[str]) -> Path | None:
    """The BKS table for an instance folder: in it, or in its parent (for ``instances/``)."""
    folder = Path(folder)
    for where in (folder, folder.parent):
        if (where / BKS_FILE).is_file():
            return where / BKS_FILE
    return None
