"""Objective terms: stable ids, what each counts, and the default integer weights.

The objective of a rota is ``sum(weight[id] * quantity[id])``. The engine and the independent
validator both compute it from these definitions; caseload.yaml ``weights:`` overrides any weight
by id. Weights are points per unit; one minute of travel is 10 points, so the other weights read
as "worth this many tenths of a travel minute".

Quantities, exactly (a *run* is one worker's visits inside one availability row on one day,
in start order; its *legs* are home -> first, each consecutive pair, last -> home, each from
the travel model with the worker's transport mode; a double-handed visit is one row per worker):

- ``unassigned_<priority>``: visit instances in unassigned.csv with that priority.
- ``team_size``: over customers, the number of distinct workers in their rota rows.
- ``unfamiliar_worker``: over customers whose *familiar set* is not empty (the workers of their
  rows in previous_rota.csv, plus their ``regular`` workers in preferences.csv), the number of
  distinct workers in their rota rows who are not in that set.
- ``travel_time``: the minutes of every leg of every run.
- ``mileage``: ``hectometres(km)`` of every leg of every run (each leg rounded on its own).
- ``punctuality``: over assigned visit instances (once per instance, not per row),
  ``max(0, |start - preferred start| - tolerance)`` in minutes.
- ``guaranteed_hours``: over workers, ``max(0, round(min_hours_week x 60) - worked)``, where
  worked = contact minutes of their rows + minutes of all their legs.
- ``weekend_unfamiliar``: rota rows on Saturday or Sunday whose worker has no weekday row with
  the same customer this week.
"""

from __future__ import annotations

from typing import NamedTuple


class Term(NamedTuple):
    """One objective term: its id, default weight and the unit its quantity is counted in."""

    id: str
    weight: int
    unit: str
    meaning: str


UNASSIGNED_CRITICAL = "unassigned_critical"
UNASSIGNED_NORMAL = "unassigned_normal"
UNASSIGNED_FLEXIBLE = "unassigned_flexible"
TEAM_SIZE = "team_size"
UNFAMILIAR_WORKER = "unfamiliar_worker"
TRAVEL_TIME = "travel_time"
MILEAGE = "mileage"
PUNCTUALITY = "punctuality"
GUARANTEED_HOURS = "guaranteed_hours"
WEEKEND_UNFAMILIAR = "weekend_unfamiliar"

TERMS: tuple[Term, ...] = (
    Term(UNASSIGNED_CRITICAL, 1_000_000, "visit", "critical visit instance left unassigned"),
    Term(UNASSIGNED_NORMAL, 100_000, "visit", "normal visit instance left unassigned"),
    Term(UNASSIGNED_FLEXIBLE, 20_000, "visit", "flexible visit instance left unassigned"),
    Term(TEAM_SIZE, 600, "worker", "distinct worker serving a customer in the week"),
    Term(
        UNFAMILIAR_WORKER,
        900,
        "worker",
        "distinct worker of a customer who is neither in last week's team nor a named regular "
        "(only for customers with a previous rota or named regulars)",
    ),
    Term(TRAVEL_TIME, 10, "minute", "travel minute, legs from and to home included"),
    Term(MILEAGE, 1, "100 m", "travel distance, each leg rounded to 100 m"),
    Term(PUNCTUALITY, 10, "minute", "start deviation from the preferred start beyond tolerance"),
    Term(GUARANTEED_HOURS, 3, "minute", "guaranteed weekly time not filled with worked time"),
    Term(
        WEEKEND_UNFAMILIAR,
        300,
        "row",
        "weekend visit row by a worker who visits that customer on no weekday this week",
    ),
)

TERM_IDS: tuple[str, ...] = tuple(t.id for t in TERMS)
CONTINUITY_TERMS: tuple[str, ...] = (TEAM_SIZE, UNFAMILIAR_WORKER, WEEKEND_UNFAMILIAR)
"""The terms that count who serves a customer, not how the runs go (in the order of
``Plan._pair_points``)."""
DEFAULT_WEIGHTS: dict[str, int] = {t.id: t.weight for t in TERMS}

UNASSIGNED_TERM_BY_PRIORITY = {
    "critical": UNASSIGNED_CRITICAL,
    "normal": UNASSIGNED_NORMAL,
    "flexible": UNASSIGNED_FLEXIBLE,
}


def resolve_weights(overrides: dict[str, int] | None = None) -> dict[str, int]:
    """Default weights with the known ids of ``overrides`` applied (unknown ids are ignored)."""
    weights = dict(DEFAULT_WEIGHTS)
    for key, value in (overrides or {}).items():
        if key in weights:
            weights[key] = int(value)
    return weights


def hectometres(km: float) -> int:
    """A leg's distance in whole 100 m units, as the mileage term counts it."""
    return round(km * 10)
