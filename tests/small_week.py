"""A hand-made week and a valid rota for it, small enough to check every figure by hand.

Used by test_validate.py and test_kpi.py. Travel comes from travel.csv overrides (both
directions, every mode), so every leg is a round number:

=========  ========  ========  ========  ========  ========  ========
leg        C1        C2        C3        W1 home   W2 home   W3 home
=========  ========  ========  ========  ========  ========  ========
C1         0         5/2.0     6/2.4     10/4.0    12/3.0    30/2.4
C2         5/2.0     0         7/2.8     15/6.0    10/2.5    20/1.6
C3         6/2.4     7/2.8     0         20/8.0    8/2.0     25/2.0
=========  ========  ========  ========  ========  ========  ========

(minutes/km). Customers: C1 (zone Z1, provider P1), C2 (zone Z1, wants female workers),
C3 (no zone, max team 3, W2 is its named regular). Workers: W1 (female, car, medication;hoist,
zones Z1, provider P1, 12.00/h, load cap 5), W2 (male, bike, hoist, provider P1), W3 (female,
walk, zones Z2, guaranteed 10 h/week), W4 (male, car, no availability: a worker who is off).
C2 bans W2.

Visits (instances): V1-Mon, V1-Sat (C1 08:00 30 min, medication, load 2, min gap 240);
V2-Mon (C2 09:00 45 min, window -45/+15, load 1); V3-Mon, V3-Sat (C3 12:00 60 min,
double-handed, hoist, load 2); V4-Mon (C1 17:00 30 min, window +-60, tolerance 30);
V5-Sat (C3 10:00 60 min); V6-Sat (C2 09:00 30 min, flexible: left unassigned).

Availability: W1 Mon 07:00-14:00, Sat 07:30-13:30; W2 Mon 11:00-13:08 and 16:30-20:00 (a split
shift), Sat 11:00-14:00; W3 Sat 09:35-12:00.

The valid rota (start-end, recorded leg):

- W1 Mon: V1 08:00-08:30 (10/4.0 from home), V2 09:00-09:45 (5/2.0), V3 12:00-13:00 (7/2.8),
  home 20/8.0 -> back 13:20 <= 14:00.
- W1 Sat: V1 08:00-08:30 (10/4.0), V3 12:00-13:00 (6/2.4), home 20/8.0 -> 13:20 <= 13:30.
- W2 Mon: V3 12:00-13:00 (8/2.0), home 8/2.0 -> 13:08 = shift end (tight); then V4 17:40-18:10
  (12/3.0), home 12/3.0 -> 18:22.
- W2 Sat: V3 12:00-13:00 (8/2.0), home 8/2.0 -> 13:08.
- W3 Sat: V5 10:00-11:00 (25/2.0; 09:35 + 25 = 10:00, tight), home 25/2.0 -> 11:25.
- unassigned: V6-Sat.

Several limits sit exactly at the rota's values so a one-minute change breaks them: W2's
first Mon shift ends when W2 gets home, W3's shift starts exactly the leg before V5.
"""

from __future__ import annotations

from typing import Any

from models import Assignment, Caseload, Rota, UnassignedVisit

LEGS: dict[tuple[str, str], tuple[int, float]] = {
    ("C1", "C2"): (5, 2.0),
    ("C1", "C3"): (6, 2.4),
    ("C2", "C3"): (7, 2.8),
    ("W1", "C1"): (10, 4.0),
    ("W1", "C2"): (15, 6.0),
    ("W1", "C3"): (20, 8.0),
    ("W2", "C1"): (12, 3.0),
    ("W2", "C2"): (10, 2.5),
    ("W2", "C3"): (8, 2.0),
    ("W3", "C1"): (30, 2.4),
    ("W3", "C2"): (20, 1.6),
    ("W3", "C3"): (25, 2.0),
}
"""Symmetric legs (minutes, km), written to travel.csv in both directions."""

CUSTOMERS: dict[str, dict[str, Any]] = {
    "C1": {"lat": 51.500, "lon": -0.120, "zone": "Z1", "provider": "P1"},
    "C2": {"lat": 51.510, "lon": -0.100, "zone": "Z1", "gender_preference": "female"},
    "C3": {"lat": 51.520, "lon": -0.110, "max_team_size": 3},
}

WORKERS: dict[str, dict[str, Any]] = {
    "W1": {"lat": 51.505, "lon": -0.115, "transport": "car", "gender": "female",
           "skills": "medication;hoist", "zones": "Z1", "provider": "P1", "pay_per_hour": 12.0,
           "max_load_per_shift": 5},
    "W2": {"lat": 51.515, "lon": -0.105, "transport": "bike", "gender": "male",
           "skills": "hoist", "provider": "P1"},
    "W3": {"lat": 51.525, "lon": -0.125, "transport": "walk", "gender": "female",
           "zones": "Z2", "min_hours_week": 10},
    "W4": {"lat": 51.530, "lon": -0.130, "transport": "car", "gender": "male"},
}

VISITS: dict[str, dict[str, Any]] = {
    "V1": {"customer_id": "C1", "days": "Mon;Sat", "start": "08:00", "duration_min": 30,
           "skills": "medication", "load": 2, "min_gap_after_min": 240},
    "V2": {"customer_id": "C2", "days": "Mon", "start": "09:00", "duration_min": 45,
           "window_before_min": 45, "load": 1},
    "V3": {"customer_id": "C3", "days": "Mon;Sat", "start": "12:00", "duration_min": 60,
           "workers_required": 2, "skills": "hoist", "load": 2},
    "V4": {"customer_id": "C1", "days": "Mon", "start": "17:00", "duration_min": 30,
           "window_before_min": 60, "window_after_min": 60, "tolerance_min": 30},
    "V5": {"customer_id": "C3", "days": "Sat", "start": "10:00", "duration_min": 60},
    "V6": {"customer_id": "C2", "days": "Sat", "start": "09:00", "duration_min": 30,
           "priority": "flexible"},
}

AVAILABILITY: list[tuple[str, str, str, str]] = [
    ("W1", "Mon", "07:00", "14:00"),
    ("W1", "Sat", "07:30", "13:30"),
    ("W2", "Mon", "11:00", "13:08"),
    ("W2", "Mon", "16:30", "20:00"),
    ("W2", "Sat", "11:00", "14:00"),
    ("W3", "Sat", "09:35", "12:00"),
]

PREFERENCES = [("C2", "W2", "banned"), ("C3", "W2", "regular")]

PREVIOUS = [
    ("V1-Mon", "C1", "W1", "Mon", "08:00", "08:30"),  # unchanged this week
    ("V2-Mon", "C2", "W3", "Mon", "09:00", "09:45"),  # worker changes to W1
    ("V4-Mon", "C1", "W2", "Mon", "17:10", "17:40"),  # start changes to 17:40
    ("V6-Sat", "C2", "W3", "Sat", "09:00", "09:30"),  # unassigned this week
]

PINS = [{"visit_id": "V1-Mon", "worker_id": "W1", "start": "08:00"},
        {"visit_id": "V3-Sat", "worker_id": "W2"}]

ROWS = [  # visit, customer, worker, day, start, end, travel_min, travel_km
    ("V1-Mon", "C1", "W1", "Mon", "08:00", "08:30", 10, 4.0),
    ("V2-Mon", "C2", "W1", "Mon", "09:00", "09:45", 5, 2.0),
    ("V3-Mon", "C3", "W1", "Mon", "12:00", "13:00", 7, 2.8),
    ("V1-Sat", "C1", "W1", "Sat", "08:00", "08:30", 10, 4.0),
    ("V3-Sat", "C3", "W1", "Sat", "12:00", "13:00", 6, 2.4),
    ("V3-Mon", "C3", "W2", "Mon", "12:00", "13:00", 8, 2.0),
    ("V4-Mon", "C1", "W2", "Mon", "17:40", "18:10", 12, 3.0),
    ("V3-Sat", "C3", "W2", "Sat", "12:00", "13:00", 8, 2.0),
    ("V5-Sat", "C3", "W3", "Sat", "10:00", "11:00", 25, 2.0),
]

UNASSIGNED = [("V6-Sat", "C2", "Sat", "09:00", "no female worker free at 09:00")]


def make_caseload(
    *,
    customers: dict[str, dict[str, Any]] | None = None,
    workers: dict[str, dict[str, Any]] | None = None,
    visits: dict[str, dict[str, Any]] | None = None,
    policy: dict[str, Any] | None = None,
    costs: dict[str, Any] | None = None,
    preferences: list[tuple[str, str, str]] | None = None,
    pinned: list[dict[str, Any]] | None = None,
    previous: list[tuple[str, ...]] | None = None,
) -> Caseload:
    """The small week, with field overrides per entity id (merged into the rows above).

    ``customers={"C1": {"gender_preference": "female"}}`` changes one cell; ``preferences``,
    ``pinned`` and ``previous`` replace their whole table.
    """
    def rows(base: dict[str, dict], changes: dict | None, key: str) -> list[dict]:
        changes = changes or {}
        return [{key: id_, **fields, **changes.get(id_, {})} for id_, fields in base.items()]

    return Caseload.model_validate({
        "name": "small week",
        "policy": {"max_team_size": 3, **(policy or {})},
        "costs": {"pay_per_hour": 11.5, "travel_time_paid": False, "mileage_per_km": 0.25,
                  "weekend_premium_pct": 10, "weekend_premium_per_hour": 0.5,
                  "fee_per_hour": 22.0, **(costs or {})},
        "customers": rows(CUSTOMERS, customers, "customer_id"),
        "workers": rows(WORKERS, workers, "worker_id"),
        "visits": rows(VISITS, visits, "visit_id"),
        "availability": [dict(zip(("worker_id", "day", "start", "end"), a, strict=True))
                         for a in AVAILABILITY],
        "preferences": [dict(zip(("customer_id", "worker_id", "kind"), p, strict=True))
                        for p in (PREFERENCES if preferences is None else preferences)],
        "previous_rota": [_assignment(*r) for r in (PREVIOUS if previous is None else previous)],
        "travel_matrix": [{"from_id": a, "to_id": b, "minutes": m, "km": km}
                          for (p, q), (m, km) in LEGS.items() for a, b in ((p, q), (q, p))],
        "pinned": PINS if pinned is None else pinned,
    })


def _assignment(visit_id, customer_id, worker_id, day, start, end, travel_min=0, travel_km=0.0):
    return Assignment(visit_id=visit_id, customer_id=customer_id, worker_id=worker_id, day=day,
                      start=start, end=end, travel_min=travel_min, travel_km=travel_km)


def make_rota() -> Rota:
    """The valid rota of the module docstring."""
    return Rota(
        assignments=tuple(_assignment(*row) for row in ROWS),
        unassigned=tuple(
            UnassignedVisit(visit_id=v, customer_id=c, day=d, start=s, reason=r)
            for v, c, d, s, r in UNASSIGNED
        ),
    )


def change_row(rota: Rota, visit_id: str, worker_id: str, /, **changes: Any) -> Rota:
    """The rota with the (visit, worker) row's fields changed (clock times as ``HH:MM``)."""
    rows = []
    for row in rota.assignments:
        if (row.visit_id, row.worker_id) == (visit_id, worker_id):
            row = Assignment.model_validate({**row.model_dump(), **changes})
        rows.append(row)
    return rota.model_copy(update={"assignments": tuple(rows)})


def drop_row(rota: Rota, visit_id: str, worker_id: str | None = None) -> Rota:
    """The rota without the (visit, worker) row, or without the visit's unassigned row."""
    if worker_id is None:
        kept = tuple(u for u in rota.unassigned if u.visit_id != visit_id)
        return rota.model_copy(update={"unassigned": kept})
    kept_rows = tuple(
        r for r in rota.assignments if (r.visit_id, r.worker_id) != (visit_id, worker_id)
    )
    return rota.model_copy(update={"assignments": kept_rows})
