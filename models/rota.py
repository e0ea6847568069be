"""A rota of FORMAT.md: rota.csv rows (Assignment) and unassigned.csv rows (UnassignedVisit)."""

from __future__ import annotations

from pydantic import Field, NonNegativeFloat, NonNegativeInt

from models.base import Day, EndTime, Frozen, Identifier, StartTime


class Assignment(Frozen):
    """One rota.csv row: one worker at one visit instance (a double-handed visit has two)."""

    visit_id: Identifier = Field(description="visit instance id, <template>-<Day>")
    customer_id: Identifier
    worker_id: Identifier
    day: Day
    start: StartTime = Field(description="arrival, minutes after midnight of the day")
    end: EndTime = Field(description="departure, minutes after midnight of the day")
    travel_min: NonNegativeInt = Field(0, description="minutes of the leg that brought the worker")
    travel_km: NonNegativeFloat = Field(0.0, description="km of the leg that brought the worker")


class UnassignedVisit(Frozen):
    """One unassigned.csv row: a visit instance left out, and why."""

    visit_id: Identifier
    customer_id: Identifier
    day: Day
    start: StartTime = Field(description="the visit's preferred start, minutes after midnight")
    reason: str = Field(min_length=1, description="why, in words a coordinator understands")


class Pin(Frozen):
    """One row of pinned.csv (project extension): keep this worker on this visit instance."""

    visit_id: Identifier = Field(description="visit instance id, <template>-<Day>")
    worker_id: Identifier
    start: StartTime | None = Field(None, description="keep this start too; None = any in window")


class Rota(Frozen):
    """The plan for the week: every visit instance assigned or listed as unassigned."""

    assignments: tuple[Assignment, ...] = ()
    unassigned: tuple[UnassignedVisit, ...] = ()
