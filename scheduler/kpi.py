"""The figures of kpis.json (FORMAT.md), recomputed from a caseload and a rota.

Runs, stops and legs are those of scheduler.runs (a row counts through its visit instance; rows
with unknown ids and repeated (worker, instance) rows are left out; rows inside no availability
row still count, as a pseudo-run). A *row* below is such a stop. Hours are worker-hours: a
double-handed hour counts twice. Floats are rounded to 4 decimals. Every key:

- ``visits_total``: visit instances of the week.
- ``visits_assigned``: instances with at least one rota row; ``visits_unassigned`` the rest.
- ``care_hours_delivered``: contact hours (end - start) summed over rows.
- ``travel_hours``, ``travel_km``: every leg of every run, home legs included.
- ``travel_share``: travel hours / (travel + contact hours); 0.0 when both are 0.
- ``mean_distinct_workers_per_customer``, ``max_distinct_workers_per_customer``: distinct
  workers per customer, over customers with at least one row (0.0 / 0 when none).
- ``continuity_pct``: pooled over customers, the share (0-100) of rows done by each customer's
  (up to) 3 most frequent workers; 0.0 when there are no rows.
- ``weekend_familiar_pct``: share (0-100) of Saturday/Sunday rows whose worker also has a
  weekday row with that customer this week; null when there are no weekend rows.
- ``punctuality_mean_abs_dev_min``: mean over assigned instances (once per instance, from its
  earliest row start) of |start - preferred start|, minutes; null when none is assigned.
- ``workers_used``: workers with at least one row.
- ``split_shift_days``: worker-days with rows in 2 or more different availability rows.
- ``utilisation_pct``: worked hours / hours of every worker's availability rows x 100 (worked =
  contact + every leg; waiting is not worked); null when there is no availability.
- ``paid_idle_hours``: over all workers, max(0, min_hours_week - worked hours).
- ``pay_total``: over all workers, rate x contact hours, + rate x travel hours when
  ``costs.travel_time_paid``, + weekend premium (weekend_premium_pct % of rate per weekend
  contact hour + weekend_premium_per_hour per weekend contact hour), + rate x paid idle hours;
  rate = ``Caseload.pay_rate``.
- ``mileage_total``: km of the legs of workers travelling by car or bike x mileage_per_km.
- ``fee_total``: care_hours_delivered x fee_per_hour.
- ``margin``: fee_total - pay_total - mileage_total.
- ``effective_hourly_pay_mean``, ``effective_hourly_pay_min``: over workers used, pay /
  (contact + travel hours). FORMAT.md writes "(contact + unpaid travel)"; with unpaid travel
  that is the same, and with paid travel its literal reading would set paid travel pay against
  contact hours only, so every travel hour is counted. Null when no worker is used.
- ``changes_vs_previous``: over the visit ids of previous_rota.csv, those whose set of workers
  or start (earliest row) differs now; an id unassigned (or absent) now counts as changed;
  0 without a previous rota.
- ``solve_seconds``, ``objective``, ``bound``: as given; ``objective`` is recomputed
  (scheduler.validate.objective) when not given.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from models import Caseload, Rota
from scheduler.runs import (
    Run,
    Stop,
    build_runs,
    instance_starts,
    teams,
    weekend_stops,
    worked_min_by_worker,
)
from scheduler.travel import TravelMatrix
from scheduler.validate import objective as recompute_objective

DECIMALS = 4
"""Decimal places of the float figures in kpis.json."""

MILEAGE_MODES = frozenset({"car", "bike"})
"""Transport modes whose km are paid as mileage (FORMAT.md costs.mileage_per_km)."""

CONTINUITY_TOP = 3
"""How many of a customer's most frequent workers count for continuity_pct."""


def compute_kpis(
    caseload: Caseload,
    rota: Rota,
    *,
    solve_seconds: float = 0.0,
    objective: int | None = None,
    bound: int | None = None,
    travel: TravelMatrix | None = None,
    runs: tuple[Run, ...] | None = None,
) -> dict[str, Any]:
    """Every kpis.json figure of FORMAT.md (definitions in the module docstring).

    Parameters
    ----------
    caseload, rota
        The plan and the rota to measure.
    solve_seconds
        Wall-clock time of the solve, seconds. Default 0.0.
    objective
        The rota's objective, points; recomputed when None.
    bound
        Best proven lower bound of the objective, points; None when unknown.
    travel, runs
        The caseload's travel matrix and the rota's runs when the caller has them.

    Returns
    -------
    dict[str, Any]
        Plain JSON-serialisable values (int, float, None), in FORMAT.md's order.
    """
    runs = runs if runs is not None else build_runs(caseload, rota, travel)
    if objective is None:
        objective = recompute_objective(caseload, rota, runs=runs)[0]
    figures = {
        **_volume(caseload, rota, runs),
        **_team(runs),
        **_quality(caseload, rota, runs),
        **_workforce(caseload, runs),
        **_money(caseload, runs),
        "changes_vs_previous": changes_vs_previous(caseload, rota),
        "solve_seconds": float(solve_seconds),
        "objective": objective,
        "bound": bound,
    }
    return {key: _rounded(value) for key, value in figures.items()}


def _rounded(value: Any) -> Any:
    return round(value, DECIMALS) if isinstance(value, float) else value


def _volume(caseload: Caseload, rota: Rota, runs: tuple[Run, ...]) -> dict[str, Any]:
    assigned = len(instance_starts(caseload, rota))
    contact_h = sum(run.contact_min for run in runs) / 60
    travel_h = sum(run.travel_min for run in runs) / 60
    return {
        "visits_total": len(caseload.instances),
        "visits_assigned": assigned,
        "visits_unassigned": len(caseload.instances) - assigned,
        "care_hours_delivered": contact_h,
        "travel_hours": travel_h,
        "travel_km": float(sum(run.travel_km for run in runs)),
        "travel_share": _ratio(travel_h, travel_h + contact_h, empty=0.0),
    }


def _team(runs: tuple[Run, ...]) -> dict[str, Any]:
    sizes = [len(team) for team in teams(runs).values()]
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for run in runs:
        for stop in run.stops:
            counts[stop.customer_id][stop.worker_id] += 1
    rows = sum(sum(c.values()) for c in counts.values())
    top = sum(n for c in counts.values() for _, n in c.most_common(CONTINUITY_TOP))
    familiar, unfamiliar = weekend_stops(runs)
    weekend = len(familiar) + len(unfamiliar)
    return {
        "mean_distinct_workers_per_customer": _ratio(sum(sizes), len(sizes), empty=0.0),
        "max_distinct_workers_per_customer": max(sizes, default=0),
        "continuity_pct": _ratio(100 * top, rows, empty=0.0),
        "weekend_familiar_pct": _ratio(100 * len(familiar), weekend, empty=None),
    }


def _quality(caseload: Caseload, rota: Rota, runs: tuple[Run, ...]) -> dict[str, Any]:
    starts = instance_starts(caseload, rota)
    deviation = sum(
        abs(start - caseload.instance_by_id[visit_id].preferred_start)
        for visit_id, start in starts.items()
    )
    return {
        "punctuality_mean_abs_dev_min": _ratio(deviation, len(starts), empty=None),
        "workers_used": len({run.worker.worker_id for run in runs}),
        "split_shift_days": _split_shift_days(runs),
    }


def _split_shift_days(runs: tuple[Run, ...]) -> int:
    shifts_used: Counter[tuple[str, int]] = Counter(
        (run.worker.worker_id, run.day) for run in runs if run.in_shift
    )
    return sum(1 for n in shifts_used.values() if n >= 2)


def _workforce(caseload: Caseload, runs: tuple[Run, ...]) -> dict[str, Any]:
    worked_h = sum(run.worked_min for run in runs) / 60
    available_h = sum(s.end - s.start for s in caseload.shifts) / 60
    return {
        "utilisation_pct": _ratio(100 * worked_h, available_h, empty=None),
        "paid_idle_hours": sum(_idle_hours(caseload, runs).values()),
    }


def _idle_hours(caseload: Caseload, runs: tuple[Run, ...]) -> dict[str, float]:
    """Worker id -> guaranteed hours not filled with worked time (every worker)."""
    worked = worked_min_by_worker(runs)
    return {
        w.worker_id: max(0.0, w.min_hours_week - worked.get(w.worker_id, 0) / 60)
        for w in caseload.workers
    }


def _pay_by_worker(
    caseload: Caseload, hours: tuple[dict[str, float], ...], idle: dict[str, float]
) -> dict[str, float]:
    """Worker id -> pay for the week, every worker (money in ``costs.currency``).

    rate x contact hours, + rate x travel hours if travel time is paid, + the weekend premium
    per weekend contact hour, + rate x paid idle hours.
    """
    costs = caseload.costs
    contact, travel, weekend = hours
    pay = {}
    for worker_id, idle_h in idle.items():
        rate = caseload.pay_rate(worker_id)
        premium = rate * costs.weekend_premium_pct / 100 + costs.weekend_premium_per_hour
        paid_h = contact.get(worker_id, 0.0) + idle_h
        if costs.travel_time_paid:
            paid_h += travel.get(worker_id, 0.0)
        pay[worker_id] = rate * paid_h + premium * weekend.get(worker_id, 0.0)
    return pay


def _hours_by_worker(
    runs: tuple[Run, ...],
) -> tuple[dict[str, float], dict[str, float], dict[str, float]]:
    """(contact, travel, weekend contact) hours per worker id; missing workers read 0."""
    contact: dict[str, float] = defaultdict(float)
    travel: dict[str, float] = defaultdict(float)
    weekend: dict[str, float] = defaultdict(float)
    for run in runs:
        worker_id = run.worker.worker_id
        contact[worker_id] += run.contact_min / 60
        travel[worker_id] += run.travel_min / 60
        weekend[worker_id] += sum(_weekend_min(s) for s in run.stops) / 60
    return dict(contact), dict(travel), dict(weekend)


def _weekend_min(stop: Stop) -> int:
    return stop.contact_min if stop.weekend else 0


def effective_hourly_pay(caseload: Caseload, runs: tuple[Run, ...]) -> dict[str, float]:
    """Worker id -> the week's pay / (contact + travel hours), for every worker with a row.

    The per-worker figures behind ``effective_hourly_pay_mean`` and ``_min`` (money per hour,
    unrounded), in the order workers first appear in ``runs``.
    """
    contact, travel, weekend = _hours_by_worker(runs)
    pay = _pay_by_worker(caseload, (contact, travel, weekend), _idle_hours(caseload, runs))
    return {w: pay[w] / (contact[w] + travel[w]) for w in contact if contact[w] + travel[w] > 0}


def _money(caseload: Caseload, runs: tuple[Run, ...]) -> dict[str, Any]:
    costs = caseload.costs
    contact, travel, weekend = _hours_by_worker(runs)
    pay = _pay_by_worker(caseload, (contact, travel, weekend), _idle_hours(caseload, runs))
    mileage_km = sum(run.travel_km for run in runs if run.worker.transport in MILEAGE_MODES)
    mileage = mileage_km * costs.mileage_per_km
    fee = sum(run.contact_min for run in runs) / 60 * costs.fee_per_hour
    effective = list(effective_hourly_pay(caseload, runs).values())
    return {
        "pay_total": float(sum(pay.values())),
        "mileage_total": float(mileage),
        "fee_total": float(fee),
        "margin": float(fee - sum(pay.values()) - mileage),
        "effective_hourly_pay_mean": _ratio(sum(effective), len(effective), empty=None),
        "effective_hourly_pay_min": min(effective, default=None),
    }


def changes_vs_previous(caseload: Caseload, rota: Rota) -> int:
    """Visit ids of previous_rota.csv whose worker set or start differs in ``rota``.

    The start of an id is its earliest row's start (minutes after midnight); an id without a
    row now counts as changed. 0 without a previous rota.
    """
    before, now = _plan_by_visit(caseload.previous_rota), _plan_by_visit(rota.assignments)
    return sum(1 for visit_id, plan in before.items() if now.get(visit_id) != plan)


def _plan_by_visit(rows) -> dict[str, tuple[frozenset[str], int]]:
    """Visit id -> (its workers, its earliest start in minutes after midnight)."""
    workers: dict[str, set[str]] = defaultdict(set)
    starts: dict[str, int] = {}
    for row in rows:
        workers[row.visit_id].add(row.worker_id)
        starts[row.visit_id] = min(row.start, starts.get(row.visit_id, row.start))
    return {visit_id: (frozenset(ws), starts[visit_id]) for visit_id, ws in workers.items()}


def _ratio(numerator: float, denominator: float, *, empty: float | None) -> float | None:
    """numerator / denominator as a float, or ``empty`` when the denominator is 0."""
    return float(numerator / denominator) if denominator else empty
