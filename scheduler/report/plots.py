"""The figures behind the board's charts: workload per worker, demand against staffed capacity by
hour of day, and continuity (distinct workers per customer). Pure data; the board draws them.

Hours are worker-hours (a double-handed hour counts twice), minutes are whole minutes.
"""

from __future__ import annotations

from collections import Counter

from models import MINUTES_PER_DAY, Caseload
from scheduler.runs import Run, teams

HOURS_PER_DAY = 24


def workload_by_worker(caseload: Caseload, runs: tuple[Run, ...]) -> list[dict]:
    """Per worker (caseload order, every worker): the week's minutes with customers, travelling
    and waiting, against what they are available for and their hour caps.

    ``wait_min`` is the time inside runs that is neither contact nor travel: from leaving home
    (first arrival - first leg) to getting back (last departure + leg home). Keys: ``worker_id``,
    ``name``, ``contact_min``, ``travel_min``, ``wait_min``, ``available_min`` (availability
    rows), ``guaranteed_min`` (min_hours_week), ``max_week_min`` (max_hours_week).
    """
    totals = {w.worker_id: Counter() for w in caseload.workers}
    for run in runs:
        tally = totals[run.worker.worker_id]
        tally["contact_min"] += run.contact_min
        tally["travel_min"] += run.travel_min
        tally["wait_min"] += _wait_min(run)
    for shift in caseload.shifts:
        totals[shift.worker_id]["available_min"] += shift.end - shift.start
    return [
        {
            "worker_id": w.worker_id,
            "name": w.name,
            "contact_min": totals[w.worker_id]["contact_min"],
            "travel_min": totals[w.worker_id]["travel_min"],
            "wait_min": totals[w.worker_id]["wait_min"],
            "available_min": totals[w.worker_id]["available_min"],
            "guaranteed_min": round(w.min_hours_week * 60),
            "max_week_min": round(w.max_hours_week * 60),
        }
        for w in caseload.workers
    ]


def _wait_min(run: Run) -> int:
    if not run.stops:
        return 0
    away = (run.stops[-1].end + run.leg_home.minutes) - (run.stops[0].start - run.legs[0].minutes)
    return max(0, away - run.contact_min - run.travel_min)


def demand_by_hour(caseload: Caseload, runs: tuple[Run, ...]) -> list[dict[str, list[float]]]:
    """Per day (Mon..Sun), per clock hour 0..23: worker-hours commissioned, available, planned.

    ``demand``: every visit instance (assigned or not) at its preferred start, x its workers
    required; ``capacity``: the availability rows; ``planned``: the rota's contact time. Each
    list has 24 floats (hours, rounded to 3 decimals).
    """
    days = [{key: [0.0] * HOURS_PER_DAY for key in ("demand", "capacity", "planned")}
            for _ in range(7)]
    for instance in caseload.instances:
        start = instance.preferred_start
        _spread(days, "demand", start, start + instance.duration_min, instance.workers_required)
    for shift in caseload.shifts:
        _spread(days, "capacity", shift.start, shift.end, 1)
    for run in runs:
        for stop in run.stops:
            _spread(days, "planned", stop.start, stop.end, 1)
    for day in days:
        for key, values in day.items():
            day[key] = [round(v, 3) for v in values]
    return days


def _spread(days: list[dict], key: str, start: int, end: int, weight: int) -> None:
    """Add ``weight`` x the minutes of [start, end) (week minutes) to each hour they cover."""
    minute = start
    while minute < end:
        day, of_day = divmod(minute, MINUTES_PER_DAY)
        hour_end = min(end, minute - of_day % 60 + 60)
        if day < 7:
            days[day][key][of_day // 60] += weight * (hour_end - minute) / 60
        minute = hour_end


def continuity_distribution(caseload: Caseload, runs: tuple[Run, ...]) -> list[dict]:
    """How many customers see 0, 1, 2, ... distinct workers in the week.

    Over customers with at least one visit instance in the plan (0 = none of their visits is
    assigned). Keys: ``workers`` (distinct workers), ``customers`` (how many customers);
    ``workers`` runs from the smallest to the largest value seen, gaps included.
    """
    with_visits = {instance.customer_id for instance in caseload.instances}
    customer_teams = teams(runs)
    sizes = Counter(len(customer_teams.get(c, ())) for c in with_visits)
    if not sizes:
        return []
    return [{"workers": n, "customers": sizes.get(n, 0)}
            for n in range(min(sizes), max(sizes) + 1)]
