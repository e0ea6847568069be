"""Caseload -> Instance: the integer, numpy-backed view the search works on.

Times are integer minutes from Monday 00:00; visits, customers, workers and shifts get dense
indexes in caseload order; eligibility, the shifts each visit could fit alone, and the timing
relations between a customer's visits are computed once, here, and nowhere else.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np

from models import Caseload
from models.base import MINUTES_PER_DAY
from models.objective import UNASSIGNED_TERM_BY_PRIORITY, resolve_weights
from scheduler.travel import TravelMatrix, build_travel

logger = logging.getLogger(__name__)

LOAD_SCALE = 100
"""Visit loads and load caps are held as integers in hundredths of a point."""

NO_CAP = 10**9
"""Stands for "no limit" in integer cap arrays."""


@dataclass(frozen=True, eq=False)
class Instance:
    """A week to plan, as integer arrays. Index ``v`` = visit instance, ``c`` = customer,
    ``w`` = worker, ``s`` = shift (one availability row on one day), ``p`` = travel place.

    All times are integer minutes from Monday 00:00 (the Solomon adapter uses tenths of its
    own time unit instead; nothing here assumes minutes of a real clock).
    """

    weights: dict[str, int]
    # visits
    visit_ids: tuple[str, ...]
    customer: np.ndarray  # c of each visit
    day: np.ndarray
    earliest: np.ndarray  # earliest start (a pinned start, when a pin gives one)
    latest: np.ndarray  # latest start (likewise)
    preferred: np.ndarray  # preferred start
    duration: np.ndarray
    tolerance: np.ndarray  # free deviation from the preferred start
    gap_after: np.ndarray  # the customer's next visit starts at least this long after the end
    required: np.ndarray  # workers required, 1 or 2
    load: np.ndarray  # hundredths of a load point
    penalty: np.ndarray  # objective points if left unassigned
    priority_term: tuple[str, ...]  # objective term id of leaving each visit unassigned
    place: np.ndarray  # p of the visit's customer
    # customers
    customer_ids: tuple[str, ...]
    customer_place: np.ndarray  # p of each customer
    team_cap: np.ndarray
    familiar: tuple[frozenset[int], ...]  # workers of last week's team or named regulars
    # workers
    worker_ids: tuple[str, ...]
    home: np.ndarray  # p of the worker's home
    mode: np.ndarray  # index into ``modes``
    max_week: np.ndarray  # worked minutes cap in the week
    max_day: np.ndarray  # worked minutes cap per day
    guaranteed: np.ndarray  # guaranteed minutes per week
    max_load: np.ndarray  # load cap per shift, hundredths (NO_CAP = none)
    # shifts
    shift_ids: tuple[str, ...]
    shift_worker: np.ndarray
    shift_day: np.ndarray
    shift_start: np.ndarray  # leave home at or after
    shift_end: np.ndarray  # back home by
    # travel, per mode: minutes, hectometres (the mileage term's unit) and km per place pair
    modes: tuple[str, ...]
    minutes: tuple[np.ndarray, ...]
    hm: tuple[np.ndarray, ...]
    km: tuple[np.ndarray, ...]
    # rules
    max_span: int  # first start to last end of a worker's day
    min_rest: int  # last end of a day to first start of the next worked day
    eligible: np.ndarray  # (visits, workers) bool: skills, gender, ban, zone, provider
    candidates: tuple[np.ndarray, ...]  # per visit: shifts it fits alone
    precedences: tuple[tuple[int, int, int], ...]  # (u, v, delay): start v >= start u + delay
    pins: dict[int, tuple[tuple[int, int | None], ...]] = field(default_factory=dict)
    # v -> ((worker, start or None), ...): assignments that must be kept

    @property
    def n_visits(self) -> int:
        return len(self.visit_ids)

    @property
    def n_workers(self) -> int:
        return len(self.worker_ids)

    @property
    def n_shifts(self) -> int:
        return len(self.shift_ids)

    @property
    def n_customers(self) -> int:
        return len(self.customer_ids)

    def shifts_of_worker(self) -> list[list[int]]:
        """Shift indexes of each worker, in time order."""
        out: list[list[int]] = [[] for _ in range(self.n_workers)]
        for s in np.argsort(self.shift_start, kind="stable"):
            out[int(self.shift_worker[s])].append(int(s))
        return out


def prepare(caseload: Caseload, travel: TravelMatrix | None = None) -> Instance:
    """Build the Instance of a caseload (travel built here unless given)."""
    travel = travel or build_travel(caseload)
    weights = resolve_weights(caseload.weights)
    visits = caseload.instances
    customers = caseload.customers
    c_index = {c.customer_id: i for i, c in enumerate(customers)}
    w_index = {w.worker_id: i for i, w in enumerate(caseload.workers)}
    modes = tuple(sorted(travel.minutes))
    mode_index = {m: i for i, m in enumerate(modes)}

    def ints(values) -> np.ndarray:
        return np.asarray(list(values), dtype=np.int64)

    shifts = caseload.shifts
    workers = caseload.workers
    eligible = eligibility(caseload, c_index, w_index)
    pinned_starts = _pinned_starts(caseload)
    instance = Instance(
        weights=weights,
        visit_ids=tuple(v.id for v in visits),
        customer=ints(c_index[v.customer_id] for v in visits),
        day=ints(v.day for v in visits),
        earliest=ints(pinned_starts.get(v.id, v.earliest) for v in visits),
        latest=ints(pinned_starts.get(v.id, v.latest) for v in visits),
        preferred=ints(v.preferred_start for v in visits),
        duration=ints(v.duration_min for v in visits),
        tolerance=ints(v.tolerance_min for v in visits),
        gap_after=ints(v.min_gap_after_min for v in visits),
        required=ints(v.workers_required for v in visits),
        load=ints(round(v.load * LOAD_SCALE) for v in visits),
        penalty=ints(weights[UNASSIGNED_TERM_BY_PRIORITY[v.priority]] for v in visits),
        priority_term=tuple(UNASSIGNED_TERM_BY_PRIORITY[v.priority] for v in visits),
        place=ints(travel.index[v.customer_id] for v in visits),
        customer_ids=tuple(c.customer_id for c in customers),
        customer_place=ints(travel.index[c.customer_id] for c in customers),
        team_cap=ints(caseload.team_cap(c.customer_id) for c in customers),
        familiar=familiar_teams(caseload, c_index, w_index),
        worker_ids=tuple(w.worker_id for w in workers),
        home=ints(travel.index[w.worker_id] for w in workers),
        mode=ints(mode_index[w.transport] for w in workers),
        max_week=ints(round(w.max_hours_week * 60) for w in workers),
        max_day=ints(round(w.max_hours_day * 60) for w in workers),
        guaranteed=ints(round(w.min_hours_week * 60) for w in workers),
        max_load=ints(
            NO_CAP if w.max_load_per_shift is None else round(w.max_load_per_shift * LOAD_SCALE)
            for w in workers
        ),
        shift_ids=tuple(s.id for s in shifts),
        shift_worker=ints(w_index[s.worker_id] for s in shifts),
        shift_day=ints(s.day for s in shifts),
        shift_start=ints(s.start for s in shifts),
        shift_end=ints(s.end for s in shifts),
        modes=modes,
        minutes=tuple(travel.minutes[m] for m in modes),
        hm=tuple(np.rint(travel.km[m] * 10).astype(np.int32) for m in modes),
        km=tuple(travel.km[m] for m in modes),
        max_span=caseload.policy.max_shift_span_min,
        min_rest=caseload.policy.min_rest_between_days_min,
        eligible=eligible,
        candidates=(),
        precedences=(),
    )
    instance = finish(instance)
    pins = _pins(caseload, instance, w_index)
    object.__setattr__(instance, "pins", pins)
    return instance


def finish(instance: Instance) -> Instance:
    """Fill the derived fields (candidate shifts, precedences) of an Instance built from arrays."""
    object.__setattr__(instance, "candidates", candidate_shifts(instance))
    object.__setattr__(instance, "precedences", precedences(instance))
    if logger.isEnabledFor(logging.DEBUG):
        pairs = sum(len(c) for c in instance.candidates)
        logger.debug(
            "%d visits, %d workers, %d shifts, %d visit-shift candidates, %d precedences",
            instance.n_visits, instance.n_workers, instance.n_shifts, pairs,
            len(instance.precedences),
        )
    return instance


# ----------------------------------------------------------------------------- eligibility


def eligibility(caseload: Caseload, c_index: dict, w_index: dict) -> np.ndarray:
    """(visits, workers) bool: skills held, gender preference met, not banned, zone and
    provider rules kept."""
    customers, workers, visits = caseload.customers, caseload.workers, caseload.instances
    skill_bits = _bit_codes({s for v in visits for s in v.skills})
    v_skills = np.array([_mask(v.skills, skill_bits) for v in visits], dtype=np.int64)
    w_skills = np.array([_mask(w.skills, skill_bits) for w in workers], dtype=np.int64)
    skills_ok = (v_skills[:, None] & ~w_skills[None, :]) == 0

    gender_ok = np.array(
        [[not c.gender_preference or w.gender == c.gender_preference for w in workers]
         for c in customers],
        dtype=bool,
    ).reshape(len(customers), len(workers))
    zone_ok = np.array(
        [[not w.zones or not c.zone or c.zone in w.zones for w in workers] for c in customers],
        dtype=bool,
    ).reshape(len(customers), len(workers))
    provider_ok = np.array(
        [[not c.provider or w.provider == c.provider for w in workers] for c in customers],
        dtype=bool,
    ).reshape(len(customers), len(workers))
    pair_ok = gender_ok & zone_ok & provider_ok
    for customer_id, worker_id in caseload.banned_pairs:
        pair_ok[c_index[customer_id], w_index[worker_id]] = False
    v_customer = np.array([c_index[v.customer_id] for v in visits], dtype=np.int64)
    return skills_ok & pair_ok[v_customer]


def _bit_codes(labels: set[str]) -> dict[str, int]:
    if len(labels) > 62:
        raise ValueError(f"{len(labels)} distinct skills; at most 62 are supported")
    return {label: 1 << i for i, label in enumerate(sorted(labels))}


def _mask(labels, bits: dict[str, int]) -> int:
    return sum(bits.get(label, 0) for label in set(labels))


FORMER_WORKER = -1
"""Stands in a familiar set for a worker no longer in the caseload (so the set is not empty and
every current worker counts as unfamiliar)."""


def familiar_teams(caseload: Caseload, c_index: dict, w_index: dict) -> tuple[frozenset[int], ...]:
    """Per customer: workers of their previous_rota rows and their named regular workers
    (FORMER_WORKER for those who are not in this caseload)."""
    teams: list[set[int]] = [set() for _ in caseload.customers]
    pairs = {(r.customer_id, r.worker_id) for r in caseload.previous_rota}
    pairs |= caseload.regular_pairs
    for customer_id, worker_id in pairs:
        if customer_id in c_index:
            teams[c_index[customer_id]].add(w_index.get(worker_id, FORMER_WORKER))
    return tuple(frozenset(t) for t in teams)


# ----------------------------------------------------------------------------- fit and timing


def travel_out_back(inst: Instance, shifts: np.ndarray, visits: np.ndarray):
    """(shifts x visits) minutes from each shift's home to each visit, and back."""
    out = np.zeros((len(shifts), len(visits)), dtype=np.int64)
    back = np.zeros_like(out)
    homes = inst.home[inst.shift_worker[shifts]]
    modes = inst.mode[inst.shift_worker[shifts]]
    for m in np.unique(modes):
        rows = np.nonzero(modes == m)[0]
        table = inst.minutes[m]
        out[rows] = table[np.ix_(homes[rows], inst.place[visits])]
        back[rows] = table[np.ix_(inst.place[visits], homes[rows])].T
    return out, back


def candidate_shifts(inst: Instance) -> tuple[np.ndarray, ...]:
    """Per visit, the shifts whose worker is eligible and that can hold the visit alone:
    leave home at shift start, arrive by the latest start, do it, be home by shift end."""
    result: list[np.ndarray] = [np.zeros(0, dtype=np.int64)] * inst.n_visits
    for day in np.unique(inst.day):
        visits = np.nonzero(inst.day == day)[0]
        shifts = np.nonzero(inst.shift_day == day)[0]
        if len(shifts) == 0:
            continue
        out, back = travel_out_back(inst, shifts, visits)
        arrive = inst.shift_start[shifts][:, None] + out
        begin = np.maximum(arrive, inst.earliest[visits][None, :])
        finish_home = begin + inst.duration[visits][None, :] + back
        worked = out + inst.duration[visits][None, :] + back
        workers = inst.shift_worker[shifts]
        fits = (
            (arrive <= inst.latest[visits][None, :])
            & (finish_home <= inst.shift_end[shifts][:, None])
            & (worked <= inst.max_day[workers][:, None])
            & (worked <= inst.max_week[workers][:, None])
            & inst.eligible[np.ix_(visits, workers)].T
            & (inst.load[visits][None, :] <= inst.max_load[workers][:, None])
        )
        for j, v in enumerate(visits):
            result[v] = shifts[fits[:, j]]
    return tuple(result)


def precedences(inst: Instance) -> tuple[tuple[int, int, int], ...]:
    """Timing relations between a customer's visits that could bind.

    For visits u before v (by preferred start) of one customer: if u has a gap after it, v must
    start at least ``duration(u) + gap(u)`` after u starts; if either has a gap and their windows
    allow v to start no later than u, u must start strictly before v (so "the next visit" of the
    format, ordered by start, is the next one in the care plan, ties included).
    """
    gaps = inst.gap_after
    with_gap = set(inst.customer[gaps > 0].tolist())
    by_customer: dict[int, list[int]] = defaultdict(list)
    for v in np.argsort(inst.preferred, kind="stable"):
        if int(inst.customer[v]) in with_gap:
            by_customer[int(inst.customer[v])].append(int(v))
    pairs = []
    for visits in by_customer.values():
        for i, u in enumerate(visits):
            for v in visits[i + 1:]:
                if not (gaps[u] or gaps[v]):
                    continue
                delay = int(inst.duration[u] + gaps[u]) if gaps[u] else 1
                if inst.earliest[v] < inst.latest[u] + delay:
                    pairs.append((u, v, delay))
    return tuple(pairs)


def _pinned_starts(caseload: Caseload) -> dict[str, int]:
    """Visit instance id -> the start a pin keeps (minutes from Monday 00:00): the visit's
    window shrinks to it."""
    instances = caseload.instance_by_id
    return {pin.visit_id: instances[pin.visit_id].day * MINUTES_PER_DAY + pin.start
            for pin in caseload.pinned if pin.start is not None}


def _pins(caseload: Caseload, inst: Instance, w_index: dict) -> dict:
    v_index = {vid: i for i, vid in enumerate(inst.visit_ids)}
    pins: dict[int, list[tuple[int, int | None]]] = defaultdict(list)
    for pin in caseload.pinned:
        v = v_index[pin.visit_id]
        start = None if pin.start is None else int(inst.day[v]) * MINUTES_PER_DAY + pin.start
        pins[v].append((w_index[pin.worker_id], start))
    return {v: tuple(items) for v, items in pins.items()}
