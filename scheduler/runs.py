"""A rota's worker runs: each worker's day cut into home-to-home runs, with the modelled legs.

A *run* is the rota rows of one worker inside one availability row (shift) on one day, in start
order. Its legs are home -> first visit, each consecutive pair, last visit -> home, each taken
from the travel model (scheduler.travel) for the worker's transport mode. A row belongs to the
availability row that contains its whole [start, end]. The rows of a worker's day that lie inside
no availability row form one extra *pseudo-run* (``shift is None``): it breaks the availability
rule, but its contact time and legs are still costed, so hours and travel figures stay honest.

Conventions shared by the validator, the objective and the KPIs:

- a row counts through its visit *instance*: the day, the customer and the place come from the
  instance, not from the row's own ``day``/``customer_id`` cells (a disagreement is reported as
  ``row_consistency`` by the validator);
- rows naming an unknown visit instance or worker are left out (reported as ``unknown_id``);
- a second row of the same worker on the same instance is kept on the first one's stop as a
  *repeat* (``distinct_workers``): its recorded leg is still checked, but it is never costed.

Pure: numpy through scheduler.travel, no ortools.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from itertools import pairwise

from models import MINUTES_PER_DAY, Assignment, Caseload, Rota, Shift, VisitInstance, Worker
from scheduler.travel import TravelMatrix, build_travel

WEEKEND_DAYS = frozenset({5, 6})
"""Day indexes of Saturday and Sunday."""


@dataclass(frozen=True)
class Leg:
    """One modelled leg: whole minutes and km."""

    minutes: int
    km: float


@dataclass(frozen=True)
class Stop:
    """One worker at one visit instance: the rota row and its times in week minutes."""

    row: Assignment
    instance: VisitInstance
    start: int
    """Arrival, minutes from Monday 00:00 (instance day x 1440 + the row's start)."""
    end: int
    """Departure, minutes from Monday 00:00."""
    repeats: tuple[Assignment, ...] = ()
    """Further rows of the same worker on the same instance (broken rows, not costed)."""

    @property
    def visit_id(self) -> str:
        return self.instance.id

    @property
    def customer_id(self) -> str:
        return self.instance.customer_id

    @property
    def worker_id(self) -> str:
        return self.row.worker_id

    @property
    def contact_min(self) -> int:
        """Minutes at the visit (end - start)."""
        return self.end - self.start

    @property
    def weekend(self) -> bool:
        return self.instance.day in WEEKEND_DAYS


@dataclass(frozen=True)
class Run:
    """One home-to-home run: the stops of one shift, or of no shift (a pseudo-run)."""

    worker: Worker
    day: int
    shift: Shift | None
    """The availability row; None for the pseudo-run of stops inside no availability row."""
    stops: tuple[Stop, ...]
    legs: tuple[Leg, ...]
    """``len(stops) + 1`` legs: ``legs[i]`` brings the worker to ``stops[i]``; the last is home."""

    @property
    def in_shift(self) -> bool:
        """False for the pseudo-run (stops outside every availability row)."""
        return self.shift is not None

    @property
    def leg_home(self) -> Leg:
        return self.legs[-1]

    @property
    def travel_min(self) -> int:
        """Minutes of every leg, home legs included."""
        return sum(leg.minutes for leg in self.legs)

    @property
    def travel_km(self) -> float:
        """Km of every leg, home legs included."""
        return sum(leg.km for leg in self.legs)

    @property
    def contact_min(self) -> int:
        return sum(stop.contact_min for stop in self.stops)

    @property
    def worked_min(self) -> int:
        """Contact + travel minutes (waiting is not worked time)."""
        return self.contact_min + self.travel_min


def shifts_by_worker_day(caseload: Caseload) -> dict[tuple[str, int], list[Shift]]:
    """(worker id, day) -> that day's availability rows, by start."""
    out: dict[tuple[str, int], list[Shift]] = defaultdict(list)
    for shift in caseload.shifts:  # already ordered by worker, day, start
        out[(shift.worker_id, shift.day)].append(shift)
    return dict(out)


def build_runs(
    caseload: Caseload, rota: Rota, travel: TravelMatrix | None = None
) -> tuple[Run, ...]:
    """Every run of the rota, ordered by worker id, day, then shift (pseudo-run last).

    Parameters
    ----------
    caseload
        The caseload the rota plans.
    rota
        The rota; rows with an unknown instance or worker, and repeated (worker, instance)
        rows, are left out.
    travel
        The caseload's travel matrix (``build_travel(caseload)``); built when None.

    Returns
    -------
    tuple[Run, ...]
        Runs with their stops in start order and their modelled legs (minutes, km).
    """
    travel = travel if travel is not None else build_travel(caseload)
    places = _place_positions(caseload)
    shifts = shifts_by_worker_day(caseload)
    runs: list[Run] = []
    for (worker_id, day), stops in sorted(_stops_by_worker_day(caseload, rota).items()):
        worker = caseload.worker_by_id[worker_id]
        stops.sort(key=lambda s: (s.start, s.end, s.visit_id))
        for shift, group in _group_by_shift(stops, shifts.get((worker_id, day), [])):
            legs = _legs(worker, group, travel, places)
            runs.append(Run(worker, day, shift, tuple(group), legs))
    return tuple(runs)


def _stops_by_worker_day(caseload: Caseload, rota: Rota) -> dict[tuple[str, int], list[Stop]]:
    instances, workers = caseload.instance_by_id, caseload.worker_by_id
    rows: dict[tuple[str, str], list[Assignment]] = defaultdict(list)
    for row in rota.assignments:
        if row.visit_id in instances and row.worker_id in workers:
            rows[(row.worker_id, row.visit_id)].append(row)
    out: dict[tuple[str, int], list[Stop]] = defaultdict(list)
    for (worker_id, visit_id), (row, *repeats) in rows.items():
        instance = instances[visit_id]
        base = instance.day * MINUTES_PER_DAY
        stop = Stop(row, instance, base + row.start, base + row.end, tuple(repeats))
        out[(worker_id, instance.day)].append(stop)
    return out


def _group_by_shift(
    stops: list[Stop], shifts: list[Shift]
) -> list[tuple[Shift | None, list[Stop]]]:
    """Stops (in start order) -> (shift, its stops) in shift order, then (None, the rest)."""
    outside = len(shifts)
    groups: list[list[Stop]] = [[] for _ in range(outside + 1)]
    for stop in stops:
        index = next(
            (i for i, s in enumerate(shifts) if s.start <= stop.start and stop.end <= s.end),
            outside,
        )
        groups[index].append(stop)
    return [(shift, group) for shift, group in zip([*shifts, None], groups) if group]


def _place_positions(caseload: Caseload) -> tuple[dict[str, int], dict[str, int]]:
    """Matrix positions of customers and worker homes (customers first, as build_travel)."""
    customers = {c.customer_id: i for i, c in enumerate(caseload.customers)}
    offset = len(caseload.customers)
    workers = {w.worker_id: offset + j for j, w in enumerate(caseload.workers)}
    return customers, workers


def _legs(
    worker: Worker,
    stops: list[Stop],
    travel: TravelMatrix,
    places: tuple[dict[str, int], dict[str, int]],
) -> tuple[Leg, ...]:
    customers, workers = places
    minutes, km = travel.minutes[worker.transport], travel.km[worker.transport]
    home = workers[worker.worker_id]
    path = [home, *(customers[s.customer_id] for s in stops), home]
    return tuple(Leg(int(minutes[a, b]), float(km[a, b])) for a, b in pairwise(path))


# ----------------------------------------------------------------------------- aggregates


def worked_min_by_worker(runs: tuple[Run, ...]) -> dict[str, int]:
    """Worker id -> worked minutes in the week (contact + every leg); workers with runs only."""
    out: dict[str, int] = defaultdict(int)
    for run in runs:
        out[run.worker.worker_id] += run.worked_min
    return dict(out)


def teams(runs: tuple[Run, ...]) -> dict[str, set[str]]:
    """Customer id -> the distinct workers of their rows (customers with a row only)."""
    out: dict[str, set[str]] = defaultdict(set)
    for run in runs:
        for stop in run.stops:
            out[stop.customer_id].add(stop.worker_id)
    return dict(out)


def weekend_stops(runs: tuple[Run, ...]) -> tuple[list[Stop], list[Stop]]:
    """(familiar, unfamiliar) weekend stops: familiar when the worker has a weekday row with
    the same customer this week."""
    stops = [stop for run in runs for stop in run.stops]
    weekday_pairs = {(s.worker_id, s.customer_id) for s in stops if not s.weekend}
    familiar, unfamiliar = [], []
    for stop in stops:
        if stop.weekend:
            known = (stop.worker_id, stop.customer_id) in weekday_pairs
            (familiar if known else unfamiliar).append(stop)
    return familiar, unfamiliar


def instance_starts(caseload: Caseload, rota: Rota) -> dict[str, int]:
    """Assigned instance id -> its start in week minutes (the earliest of its rows' starts).

    An instance is *assigned* when it has at least one rota row (any worker id).
    """
    instances = caseload.instance_by_id
    out: dict[str, int] = {}
    for row in rota.assignments:
        instance = instances.get(row.visit_id)
        if instance is not None:
            start = instance.day * MINUTES_PER_DAY + row.start
            out[row.visit_id] = min(start, out.get(row.visit_id, start))
    return out
