"""The caseload of FORMAT.md: who receives care, the care plan, who gives care, and the rules.

One model per table row (Customer, VisitTemplate, Worker, AvailabilityRow, Preference,
TravelOverride), the caseload.yaml sections (TravelSettings, Policy, Costs) and the Caseload that
holds them. Rows keep the table order, so entry ``i`` of a tuple is data row ``i + 1`` of its CSV.
Derived views (visit instances, shifts) are computed here, once, from the validated rows.
"""

from __future__ import annotations

import datetime as dt
from functools import cached_property
from typing import Annotated, Literal

from pydantic import (
    BeforeValidator,
    Field,
    NonNegativeFloat,
    NonNegativeInt,
    PositiveFloat,
    PositiveInt,
    ValidationInfo,
    model_validator,
)
from pydantic_core import PydanticCustomError

from models.base import (
    DAYS,
    MINUTES_PER_DAY,
    DayList,
    EndTime,
    Frozen,
    Identifier,
    Labels,
    Names,
    StartTime,
    format_clock,
    lower_text,
)
from models.rota import Assignment, Pin

Gender = Annotated[Literal["female", "male", "other", ""], BeforeValidator(lower_text)]
GenderPreference = Annotated[Literal["female", "male", ""], BeforeValidator(lower_text)]
Priority = Annotated[Literal["critical", "normal", "flexible"], BeforeValidator(lower_text)]
PreferenceKind = Annotated[Literal["banned", "regular"], BeforeValidator(lower_text)]
Transport = Annotated[str, BeforeValidator(lower_text)]
Latitude = Annotated[float, Field(ge=-90, le=90, description="WGS84 latitude, degrees")]
Longitude = Annotated[float, Field(ge=-180, le=180, description="WGS84 longitude, degrees")]

DEFAULT_SPEEDS_KMH = {"car": 30.0, "bike": 14.0, "walk": 4.8, "public": 14.0}


# ----------------------------------------------------------------------------- settings


class TravelSettings(Frozen):
    """The travel model of FORMAT.md (caseload.yaml ``travel:``)."""

    detour_factor: PositiveFloat = Field(1.3, description="road km = great-circle km x this")
    speed_kmh: dict[str, PositiveFloat] = Field(
        default_factory=lambda: dict(DEFAULT_SPEEDS_KMH),
        description="speed per transport mode, km/h",
    )
    public_wait_min: NonNegativeInt = Field(
        8, description="minutes added to every public-transport leg longer than 0 km"
    )

    @model_validator(mode="before")
    @classmethod
    def _merge_speeds(cls, data):
        """Speeds given in the file add to (or replace) the default modes, keys lower-cased."""
        if isinstance(data, dict) and isinstance(data.get("speed_kmh"), dict):
            given = {str(k).strip().lower(): v for k, v in data["speed_kmh"].items()}
            data = {**data, "speed_kmh": {**DEFAULT_SPEEDS_KMH, **given}}
        return data


class Policy(Frozen):
    """Scheduling rules (caseload.yaml ``policy:``)."""

    window_before_min: NonNegativeInt = Field(
        15, description="default hard window before a visit's preferred start, minutes"
    )
    window_after_min: NonNegativeInt = Field(
        15, description="default hard window after a visit's preferred start, minutes"
    )
    punctuality_tolerance_min: NonNegativeInt = Field(
        0, description="deviation from the preferred start that costs nothing, minutes"
    )
    max_team_size: PositiveInt = Field(
        3, description="default cap on distinct workers per customer in the week"
    )
    max_shift_span_min: PositiveInt = Field(
        900, description="first visit start to last visit end of a worker's day, minutes"
    )
    min_rest_between_days_min: NonNegativeInt = Field(
        540, description="last visit end of a day to first visit start of the next, minutes"
    )


class Costs(Frozen):
    """Money (caseload.yaml ``costs:``), in ``currency``."""

    currency: str = Field("GBP", description="currency code of every amount")
    pay_per_hour: NonNegativeFloat = Field(11.50, description="worker pay per contact hour")
    travel_time_paid: bool = Field(False, description="travel time paid at pay_per_hour")
    mileage_per_km: NonNegativeFloat = Field(
        0.25, description="mileage paid per km by car or bike; 0 = not paid"
    )
    weekend_premium_pct: NonNegativeFloat = Field(
        0, description="percent added to pay for Saturday and Sunday contact time"
    )
    weekend_premium_per_hour: NonNegativeFloat = Field(
        0.50, description="flat amount added per weekend contact hour"
    )
    fee_per_hour: NonNegativeFloat = Field(
        22.00, description="what the purchaser pays per commissioned (delivered) hour"
    )


# ----------------------------------------------------------------------------- table rows


class Customer(Frozen):
    """One row of customers.csv: a person who receives care at home."""

    customer_id: Identifier = Field(description="unique customer id")
    name: str = Field("", description="display name")
    lat: Latitude
    lon: Longitude
    zone: str = Field("", description="zone id; empty = any worker may serve")
    provider: str = Field("", description="provider that must serve this customer; empty = any")
    max_team_size: PositiveInt | None = Field(
        None, description="cap on distinct workers in the week; None = policy.max_team_size"
    )
    gender_preference: GenderPreference = Field(
        "", description="only workers of this gender may visit; empty = any"
    )
    address: str = Field("", description="street address for run sheets (project extension)")


class VisitTemplate(Frozen):
    """One row of visits.csv: a visit that recurs on the listed days of the week."""

    visit_id: Identifier = Field(description="template id; instances are <visit_id>-<Day>")
    customer_id: Identifier
    days: DayList = Field(description="days the visit recurs this week")
    start: StartTime = Field(description="preferred start, minutes after midnight")
    duration_min: PositiveInt = Field(description="commissioned length, minutes")
    window_before_min: NonNegativeInt | None = Field(
        None, description="hard window before the start, minutes; None = policy default"
    )
    window_after_min: NonNegativeInt | None = Field(
        None, description="hard window after the start, minutes; None = policy default"
    )
    tolerance_min: NonNegativeInt | None = Field(
        None, description="free deviation from start, minutes; None = policy default"
    )
    workers_required: int = Field(1, ge=1, le=2, description="1, or 2 for a double-handed visit")
    skills: Labels = Field((), description="skills every worker on the visit must hold")
    priority: Priority = Field("normal", description="what is left out first when not all fits")
    type: str = Field("", description="free label: morning, lunch, tea, bed, medication, ...")
    min_gap_after_min: NonNegativeInt = Field(
        0, description="the customer's next visit starts at least this long after this ends, min"
    )
    load: NonNegativeFloat = Field(0, description="workload points, capped per shift")
    notes: str = Field("", description="tasks or notes for the run sheet (project extension)")


class Worker(Frozen):
    """One row of workers.csv: a care worker, whose every shift starts and ends at home."""

    worker_id: Identifier = Field(description="unique worker id")
    name: str = Field("", description="display name")
    lat: Latitude
    lon: Longitude
    transport: Transport = Field("car", description="mode: car, bike, walk or public")
    gender: Gender = Field("", description="female, male, other or empty")
    skills: Labels = Field((), description="skills held")
    provider: str = Field("", description="provider the worker works for")
    zones: Names = Field((), description="zones the worker may serve; empty = any")
    min_hours_week: NonNegativeFloat = Field(0, description="guaranteed hours per week")
    max_hours_week: NonNegativeFloat = Field(48, description="cap on worked hours in the week")
    max_hours_day: NonNegativeFloat = Field(10, description="cap on worked hours in a day")
    pay_per_hour: NonNegativeFloat | None = Field(
        None, description="pay per hour; None = costs.pay_per_hour"
    )
    max_load_per_shift: NonNegativeFloat | None = Field(
        None, description="cap on the summed visit load of one shift; None = no cap"
    )
    contract: str = Field(
        "", description="contract label: full-time, part-time, zero-hours (project extension)"
    )


class AvailabilityRow(Frozen):
    """One row of availability.csv: on each listed day, one home-to-home shift."""

    worker_id: Identifier
    day: DayList = Field(description="days this row applies to (one shift per day)")
    start: StartTime = Field(description="earliest leaving home, minutes after midnight")
    end: EndTime = Field(description="latest back home, minutes after midnight")

    @model_validator(mode="after")
    def _end_after_start(self):
        if self.end <= self.start:
            raise PydanticCustomError(
                "end_before_start",
                "end {end} is not after start {start}",
                {"end": format_clock(self.end), "start": format_clock(self.start), "column": "end"},
            )
        return self


class Preference(Frozen):
    """One row of preferences.csv: a ban or a named regular worker."""

    customer_id: Identifier
    worker_id: Identifier
    kind: PreferenceKind = Field(description="banned (never) or regular (preferred)")


class TravelOverride(Frozen):
    """One row of travel.csv: a directed leg that replaces the travel model."""

    from_id: Identifier = Field(description="customer or worker id")
    to_id: Identifier = Field(description="customer or worker id")
    minutes: NonNegativeInt = Field(description="travel time, minutes")
    km: NonNegativeFloat = Field(description="distance, km")
    mode: Transport = Field("", description="applies to this mode only; empty = every mode")


# ----------------------------------------------------------------------------- derived views


class VisitInstance(Frozen):
    """One visit on one day, expanded from a template with the policy defaults applied."""

    id: str = Field(description="<visit_id>-<Day>")
    template_id: str
    customer_id: str
    day: int = Field(description="day index 0 (Mon) .. 6 (Sun)")
    preferred_start: int = Field(description="preferred start, minutes from Monday 00:00")
    earliest: int = Field(description="earliest start, minutes from Monday 00:00")
    latest: int = Field(description="latest start, minutes from Monday 00:00")
    duration_min: int
    tolerance_min: int
    workers_required: int
    skills: tuple[str, ...]
    priority: str
    type: str
    min_gap_after_min: int
    load: float


class Shift(Frozen):
    """One availability row on one day: a home-to-home run."""

    id: str = Field(description="<worker_id>@<Day>#<n>, n counting the day's shifts from 1")
    worker_id: str
    day: int
    start: int = Field(description="minutes from Monday 00:00")
    end: int = Field(description="minutes from Monday 00:00")


# ----------------------------------------------------------------------------- caseload


class Caseload(Frozen):
    """A week of care to plan: the tables of FORMAT.md and caseload.yaml's settings."""

    name: str = Field("", description="display name")
    week_start: dt.date | None = Field(None, description="the Monday the week starts")
    travel: TravelSettings = Field(default_factory=TravelSettings)
    policy: Policy = Field(default_factory=Policy)
    costs: Costs = Field(default_factory=Costs)
    weights: dict[str, NonNegativeInt] = Field(
        default_factory=dict, description="objective weight overrides by term id"
    )
    customers: tuple[Customer, ...] = ()
    visits: tuple[VisitTemplate, ...] = ()
    workers: tuple[Worker, ...] = ()
    availability: tuple[AvailabilityRow, ...] = ()
    preferences: tuple[Preference, ...] = ()
    previous_rota: tuple[Assignment, ...] = Field(
        (), description="last week's rota rows (continuity, change list)"
    )
    travel_matrix: tuple[TravelOverride, ...] = Field(
        (), description="travel.csv rows overriding the travel model"
    )
    pinned: tuple[Pin, ...] = Field(
        (), description="pinned.csv rows: assignments the solver must keep (project extension)"
    )

    @model_validator(mode="after")
    def _cross_check(self, info: ValidationInfo):
        if info.context and info.context.get("skip_cross_checks"):
            return self
        from models.checks import cross_check  # cycle: checks reads Caseload's views

        errors = [f for f in cross_check(self) if f.level == "error"]
        if errors:
            listed = "".join(f"\n  {f.text(self)}" for f in errors)
            raise ValueError(f"{len(errors)} problem(s) in the caseload:{listed}")
        return self

    # -- copies ----------------------------------------------------------------------------

    def replace(self, **changes) -> Caseload:
        """A new caseload with some fields changed, validated and cross-checked again."""
        fields = {name: getattr(self, name) for name in type(self).model_fields}
        return type(self).model_validate({**fields, **changes})

    def model_copy(self, *, update=None, deep: bool = False) -> Caseload:
        """A copy without the derived views cached on this one (they may not hold for it).
        Prefer ``replace``, which also validates the changes."""
        copy = super().model_copy(update=update, deep=deep)
        for name in _CACHED_VIEWS:
            copy.__dict__.pop(name, None)
        return copy

    # -- lookups ---------------------------------------------------------------------------

    @cached_property
    def customer_by_id(self) -> dict[str, Customer]:
        return {c.customer_id: c for c in self.customers}

    @cached_property
    def worker_by_id(self) -> dict[str, Worker]:
        return {w.worker_id: w for w in self.workers}

    @cached_property
    def template_by_id(self) -> dict[str, VisitTemplate]:
        return {v.visit_id: v for v in self.visits}

    def team_cap(self, customer_id: str) -> int:
        """Distinct workers allowed for a customer in the week."""
        own = self.customer_by_id[customer_id].max_team_size
        return own if own is not None else self.policy.max_team_size

    def pay_rate(self, worker_id: str) -> float:
        """Pay per hour of a worker."""
        own = self.worker_by_id[worker_id].pay_per_hour
        return own if own is not None else self.costs.pay_per_hour

    # -- derived views -----------------------------------------------------------------------

    @cached_property
    def instances(self) -> tuple[VisitInstance, ...]:
        """Every visit instance of the week, template by template, day by day."""
        return tuple(inst for t in self.visits for inst in expand_template(t, self.policy))

    @cached_property
    def instance_by_id(self) -> dict[str, VisitInstance]:
        return {v.id: v for v in self.instances}

    @cached_property
    def shifts(self) -> tuple[Shift, ...]:
        """Every availability row expanded per day, ordered by worker, day, start."""
        raw = sorted(
            (row.worker_id, day, row.start, row.end)
            for row in self.availability
            for day in row.day
        )
        out, count = [], {}
        for worker_id, day, start, end in raw:
            n = count[(worker_id, day)] = count.get((worker_id, day), 0) + 1
            base = day * MINUTES_PER_DAY
            out.append(
                Shift(
                    id=f"{worker_id}@{DAYS[day]}#{n}",
                    worker_id=worker_id,
                    day=day,
                    start=base + start,
                    end=base + end,
                )
            )
        return tuple(out)

    @cached_property
    def banned_pairs(self) -> frozenset[tuple[str, str]]:
        """(customer_id, worker_id) pairs that must never meet."""
        return frozenset(
            (p.customer_id, p.worker_id) for p in self.preferences if p.kind == "banned"
        )

    @cached_property
    def regular_pairs(self) -> frozenset[tuple[str, str]]:
        """(customer_id, worker_id) pairs of named regular workers."""
        return frozenset(
            (p.customer_id, p.worker_id) for p in self.preferences if p.kind == "regular"
        )


_CACHED_VIEWS = tuple(
    name for name, value in vars(Caseload).items() if isinstance(value, cached_property)
)
"""Names of the views a Caseload computes once and caches on itself."""


def expand_template(template: VisitTemplate, policy: Policy) -> tuple[VisitInstance, ...]:
    """One VisitInstance per day of the template, windows and tolerance from the policy."""
    before = _default(template.window_before_min, policy.window_before_min)
    after = _default(template.window_after_min, policy.window_after_min)
    tolerance = _default(template.tolerance_min, policy.punctuality_tolerance_min)
    out = []
    for day in template.days:
        preferred = day * MINUTES_PER_DAY + template.start
        out.append(
            VisitInstance(
                id=f"{template.visit_id}-{DAYS[day]}",
                template_id=template.visit_id,
                customer_id=template.customer_id,
                day=day,
                preferred_start=preferred,
                earliest=preferred - before,
                latest=preferred + after,
                duration_min=template.duration_min,
                tolerance_min=tolerance,
                workers_required=template.workers_required,
                skills=template.skills,
                priority=template.priority,
                type=template.type,
                min_gap_after_min=template.min_gap_after_min,
                load=template.load,
            )
        )
    return tuple(out)


def _default(value: int | None, fallback: int) -> int:
    return fallback if value is None else value
