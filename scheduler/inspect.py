"""What is in a caseload: counts, care hours, capacity against demand by hour, and warnings.

``summarise(caseload)`` computes the figures (pure: no printing, no files); ``render(summary)``
turns them into the text ``rota inspect`` prints. Hours are worker-hours: a double-handed hour
counts twice. A visit's demand is spread over its hard window (a third each at the earliest,
preferred and latest start) and leaves travel out, so the utilisation figures are a lower
bound on how busy the workers will be.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import asdict, dataclass

from models import Caseload, Shift, VisitInstance
from models.base import DAYS, MINUTES_PER_DAY
from scheduler.travel import TravelMatrix, build_travel

HOURS = tuple(range(6, 24))
"""Clock hours reported in the capacity table (06:00-07:00 ... 23:00-24:00)."""

HOURS_BANDS = ((0, 1), (1, 4), (4, 10), (10, 20), (20, 35), (35, 10**6))
"""Weekly hours per customer (with the customer, a double-handed hour once), [lo, hi)."""

MAX_LISTED = 5
"""Ids listed per warning before "and N more"."""


# ----------------------------------------------------------------------------- eligibility


def eligible_workers(
    caseload: Caseload, *, ignore_skills: bool = False
) -> dict[str, tuple[str, ...]]:
    """Visit template id -> ids of the workers who may ever serve it (FORMAT.md rules).

    Skills (unless ``ignore_skills``), the customer's gender preference, bans, zones and the
    provider rule; availability is not considered here (see ``fits_shift``).
    """
    by_key: dict[tuple, tuple[str, ...]] = {}
    out = {}
    for template in caseload.visits:
        customer = caseload.customer_by_id.get(template.customer_id)
        if customer is None:
            out[template.visit_id] = ()
            continue
        skills = frozenset(() if ignore_skills else template.skills)
        key = (customer.zone, customer.provider, customer.gender_preference, skills)
        if key not in by_key:
            by_key[key] = tuple(
                w.worker_id for w in caseload.workers if _may_serve(w, customer, skills)
            )
        out[template.visit_id] = tuple(
            w for w in by_key[key] if (customer.customer_id, w) not in caseload.banned_pairs
        )
    return out


def _may_serve(worker, customer, skills: frozenset[str]) -> bool:
    if not skills <= set(worker.skills):
        return False
    if customer.gender_preference and worker.gender != customer.gender_preference:
        return False
    if worker.zones and customer.zone and customer.zone not in worker.zones:
        return False
    return not customer.provider or worker.provider == customer.provider


def shifts_by_worker_day(caseload: Caseload) -> dict[tuple[str, int], list[Shift]]:
    """(worker id, day index) -> that day's shifts, in start order."""
    out: dict[tuple[str, int], list[Shift]] = defaultdict(list)
    for shift in caseload.shifts:
        out[(shift.worker_id, shift.day)].append(shift)
    return dict(out)


def fits_shift(shift: Shift, visit: VisitInstance, out_min: int = 0, back_min: int = 0) -> bool:
    """Whether the visit could lie inside the shift at some start in its window, with
    ``out_min`` to travel from home before it and ``back_min`` to get home after it."""
    return (
        shift.day == visit.day
        and shift.start + out_min <= visit.latest
        and shift.end >= visit.earliest + visit.duration_min + back_min
    )


@dataclass(frozen=True)
class HomeLegs:
    """Travel minutes between each worker's home and each customer, by the worker's own
    transport (the travel model of FORMAT.md, travel.csv overrides included)."""

    minutes: dict[str, list[list[int]]]
    index: dict[str, int]
    mode: dict[str, str]

    @classmethod
    def of(cls, caseload: Caseload, travel: TravelMatrix | None = None) -> HomeLegs:
        travel = travel or build_travel(caseload)
        return cls(
            {mode: m.tolist() for mode, m in travel.minutes.items()},
            travel.index,
            {w.worker_id: w.transport for w in caseload.workers},
        )

    def legs(self, worker_id: str, customer_id: str) -> tuple[int, int]:
        """(minutes from home to the customer, minutes back)."""
        table = self.minutes[self.mode[worker_id]]
        home, there = self.index[worker_id], self.index[customer_id]
        return table[home][there], table[there][home]


def reachable_workers(
    caseload: Caseload, candidates: dict[str, tuple[str, ...]], legs: HomeLegs
) -> dict[str, list[str]]:
    """Visit instance id -> the candidate workers (of its template) with a shift that can hold
    it, the legs from and to home included (as ``fits_shift``)."""
    shifts: dict[tuple[str, int], list[tuple[int, int]]] = defaultdict(list)
    for shift in caseload.shifts:
        shifts[(shift.worker_id, shift.day)].append((shift.start, shift.end))
    by_template = defaultdict(list)
    for visit in caseload.instances:
        by_template[visit.template_id].append(visit)
    out: dict[str, list[str]] = {visit.id: [] for visit in caseload.instances}
    for template_id, visits in by_template.items():
        customer_id = visits[0].customer_id
        for worker_id in candidates[template_id]:
            out_min, back_min = legs.legs(worker_id, customer_id)
            for v in visits:
                leave_by = v.latest - out_min
                home_by = v.earliest + v.duration_min + back_min
                if any(start <= leave_by and end >= home_by
                       for start, end in shifts.get((worker_id, v.day), ())):
                    out[v.id].append(worker_id)
    return out


# ----------------------------------------------------------------------------- summary


@dataclass(frozen=True)
class HourLoad:
    """One clock hour, averaged over a set of days: worker-hours demanded and available."""

    hour: int
    demand_h: float
    capacity_h: float

    @property
    def utilisation(self) -> float | None:
        return self.demand_h / self.capacity_h if self.capacity_h else None


@dataclass(frozen=True)
class Peak:
    """The (day, hour) with the highest demand / capacity."""

    day: str
    hour: int
    demand_h: float
    capacity_h: float


@dataclass(frozen=True)
class Summary:
    """The figures of a caseload; ``to_dict()`` gives them as plain JSON-ready values."""

    name: str
    week_start: str
    customers: int
    customers_by_zone: dict[str, int]
    customers_by_provider: dict[str, int]
    gender_preferences: dict[str, int]
    workers: int
    workers_by_contract: dict[str, int]
    workers_by_transport: dict[str, int]
    workers_by_gender: dict[str, int]
    workers_by_provider: dict[str, int]
    skills_held: dict[str, int]
    templates: int
    instances: int
    instances_by_day: dict[str, int]
    instances_by_type: dict[str, int]
    instances_by_priority: dict[str, int]
    care_hours: float
    customer_hours: float
    customers_by_hours: dict[str, int]
    double_handed: int
    double_handed_share: float
    available_hours: float
    weekend_availability_ratio: float | None
    split_shift_days: int
    guaranteed_hours: float
    weekday_hours: tuple[HourLoad, ...]
    weekend_hours: tuple[HourLoad, ...]
    peak: Peak | None
    preferences: dict[str, int]
    previous_rota_rows: int
    warnings: tuple[str, ...]

    def to_dict(self) -> dict:
        return asdict(self)

    def one_line(self) -> str:
        """``60 customers, 18 workers, 623 visits (12.4 % double-handed), 301.5 care hours``."""
        return (
            f"{self.customers} customers, {self.workers} workers, {self.instances} visits "
            f"({100 * self.double_handed_share:.1f} % double-handed), "
            f"{self.care_hours:.1f} care hours, {len(self.warnings)} warning(s)"
        )


def summarise(caseload: Caseload) -> Summary:
    """Every figure ``rota inspect`` shows, computed from the caseload alone."""
    instances = caseload.instances
    demand, capacity = demand_grid(caseload), capacity_grid(caseload)
    double = sum(1 for v in instances if v.workers_required > 1)
    return Summary(
        name=caseload.name,
        week_start=str(caseload.week_start or ""),
        customers=len(caseload.customers),
        customers_by_zone=_count(c.zone or "-" for c in caseload.customers),
        customers_by_provider=_count(c.provider or "-" for c in caseload.customers),
        gender_preferences=_count(
            c.gender_preference for c in caseload.customers if c.gender_preference
        ),
        workers=len(caseload.workers),
        workers_by_contract=_count(w.contract or "-" for w in caseload.workers),
        workers_by_transport=_count(w.transport for w in caseload.workers),
        workers_by_gender=_count(w.gender or "-" for w in caseload.workers),
        workers_by_provider=_count(w.provider or "-" for w in caseload.workers),
        skills_held=_count(s for w in caseload.workers for s in w.skills),
        templates=len(caseload.visits),
        instances=len(instances),
        instances_by_day={DAYS[d]: n for d, n in sorted(Counter(v.day for v in instances).items())},
        instances_by_type=_count(v.type or "-" for v in instances),
        instances_by_priority=_count(v.priority for v in instances),
        care_hours=round(sum(v.duration_min * v.workers_required for v in instances) / 60, 2),
        customer_hours=round(sum(v.duration_min for v in instances) / 60, 2),
        customers_by_hours=hours_bands(caseload),
        double_handed=double,
        double_handed_share=round(double / len(instances), 4) if instances else 0.0,
        available_hours=round(sum(s.end - s.start for s in caseload.shifts) / 60, 2),
        weekend_availability_ratio=weekend_ratio(caseload),
        split_shift_days=sum(
            1 for n in Counter((s.worker_id, s.day) for s in caseload.shifts).values() if n > 1
        ),
        guaranteed_hours=round(sum(w.min_hours_week for w in caseload.workers), 2),
        weekday_hours=hour_loads(demand, capacity, range(5)),
        weekend_hours=hour_loads(demand, capacity, (5, 6)),
        peak=peak(demand, capacity),
        preferences=_count(p.kind for p in caseload.preferences),
        previous_rota_rows=len(caseload.previous_rota),
        warnings=tuple(warnings(caseload, demand, capacity)),
    )


def _count(items) -> dict[str, int]:
    """Counts, largest first, then by name."""
    return dict(sorted(Counter(items).items(), key=lambda kv: (-kv[1], kv[0])))


def hours_bands(caseload: Caseload) -> dict[str, int]:
    """Customers per band of weekly hours with them (``0-1 h``, ``1-4 h``, ... ``35+ h``)."""
    hours = Counter({c.customer_id: 0.0 for c in caseload.customers})
    for v in caseload.instances:
        hours[v.customer_id] += v.duration_min / 60
    out = {}
    for low, high in HOURS_BANDS:
        label = f"{low}+ h" if high > 10**5 else f"{low}-{high} h"
        out[label] = sum(1 for h in hours.values() if low <= h < high)
    return out


def weekend_ratio(caseload: Caseload) -> float | None:
    """Mean available hours per weekend day / mean per weekday; None without weekday hours."""
    per_day = Counter()
    for shift in caseload.shifts:
        per_day[shift.day] += shift.end - shift.start
    weekday = sum(per_day[d] for d in range(5)) / 5
    weekend = (per_day[5] + per_day[6]) / 2
    return round(weekend / weekday, 3) if weekday else None


# ----------------------------------------------------------------------------- by hour


def demand_grid(caseload: Caseload) -> list[list[float]]:
    """Visit worker-minutes per (day, clock hour), each visit spread evenly over three starts:
    the earliest, the preferred and the latest of its hard window."""
    grid = [[0.0] * 24 for _ in range(7)]
    for v in caseload.instances:
        base = v.day * MINUTES_PER_DAY
        for start in (v.earliest - base, v.preferred_start - base, v.latest - base):
            _spread(grid[v.day], start, start + v.duration_min, v.workers_required / 3)
    return grid


def capacity_grid(caseload: Caseload) -> list[list[float]]:
    """Available worker-minutes per (day, clock hour)."""
    grid = [[0.0] * 24 for _ in range(7)]
    for s in caseload.shifts:
        base = s.day * MINUTES_PER_DAY
        _spread(grid[s.day], s.start - base, s.end - base, 1)
    return grid


def _spread(row: list[float], start: int, end: int, weight: float) -> None:
    for hour in range(max(0, start // 60), min(24, (end - 1) // 60 + 1)):
        overlap = min(end, hour * 60 + 60) - max(start, hour * 60)
        if overlap > 0:
            row[hour] += weight * overlap


def hour_loads(demand, capacity, days) -> tuple[HourLoad, ...]:
    """Per clock hour in ``HOURS``: mean worker-hours per day over ``days``."""
    days = tuple(days)
    return tuple(
        HourLoad(
            hour,
            round(sum(demand[d][hour] for d in days) / len(days) / 60, 2),
            round(sum(capacity[d][hour] for d in days) / len(days) / 60, 2),
        )
        for hour in HOURS
    )


def peak(demand, capacity) -> Peak | None:
    """The busiest (day, hour) by demand / capacity (demand without capacity first)."""
    cells = [(d, h) for d in range(7) for h in range(24) if demand[d][h] > 0]
    if not cells:
        return None

    def load(cell):
        d, h = cell
        return demand[d][h] / capacity[d][h] if capacity[d][h] else float("inf")

    d, h = max(cells, key=load)
    return Peak(DAYS[d], h, round(demand[d][h] / 60, 2), round(capacity[d][h] / 60, 2))


# ----------------------------------------------------------------------------- warnings


def warnings(caseload: Caseload, demand, capacity) -> list[str]:
    """Things that will stop visits being covered, in plain words."""
    out = []
    short = short_instances(caseload)
    for reason, ids in short.items():
        out.append(f"{len(ids)} visit(s) {reason}: {_listed(ids)}")
    over = [
        f"{DAYS[d]} {h:02d}:00" for d in range(7) for h in range(24)
        if demand[d][h] > capacity[d][h]
    ]
    if over:
        out.append(f"demand exceeds available worker time in {len(over)} hour(s): {_listed(over)}")
    idle = sorted(set(caseload.worker_by_id) - {s.worker_id for s in caseload.shifts})
    if idle:
        out.append(f"{len(idle)} worker(s) without availability: {_listed(idle)}")
    silent = sorted(set(caseload.customer_by_id) - {v.customer_id for v in caseload.visits})
    if silent:
        out.append(f"{len(silent)} customer(s) without visits: {_listed(silent)}")
    unknown = sorted({r.visit_id for r in caseload.previous_rota} - set(caseload.instance_by_id))
    if unknown:
        out.append(f"previous rota names {len(unknown)} unknown visit(s): {_listed(unknown)}")
    return out


def short_instances(caseload: Caseload) -> dict[str, list[str]]:
    """Visit instances without enough eligible workers, by reason."""
    eligible = eligible_workers(caseload)
    reachable = reachable_workers(caseload, eligible, HomeLegs.of(caseload))
    out: dict[str, list[str]] = defaultdict(list)
    for v in caseload.instances:
        if len(eligible[v.template_id]) < v.workers_required:
            out["have too few eligible workers (skills, gender, bans, zone)"].append(v.id)
        elif len(reachable[v.id]) < v.workers_required:
            out["have too few eligible workers whose shift can hold them (travel from and "
                "to home included)"].append(v.id)
    return dict(out)


def _listed(items: list[str]) -> str:
    shown = ", ".join(items[:MAX_LISTED])
    return shown + (f" and {len(items) - MAX_LISTED} more" if len(items) > MAX_LISTED else "")


# ----------------------------------------------------------------------------- text


def render(summary: Summary) -> str:
    """The summary as the text ``rota inspect`` prints."""
    s = summary
    title = s.name or "caseload"
    if s.week_start and s.week_start not in title:
        title += f" (week of {s.week_start})"
    lines = [title, ""]
    lines += _section("customers", s.customers, {
        "zone": s.customers_by_zone, "provider": s.customers_by_provider,
        "gender pref.": s.gender_preferences, "weekly hours": s.customers_by_hours,
    })
    lines += _section("workers", s.workers, {
        "contract": s.workers_by_contract, "transport": s.workers_by_transport,
        "gender": s.workers_by_gender, "provider": s.workers_by_provider,
        "skills": s.skills_held,
    })
    lines += _section("visits", f"{s.instances} instances of {s.templates} templates", {
        "by day": s.instances_by_day, "by type": s.instances_by_type,
        "by priority": s.instances_by_priority,
    })
    per_customer = s.care_hours / s.customers if s.customers else 0.0
    lines += [
        f"care hours     {s.care_hours:.1f} worker-hours a week (a double-handed hour counts "
        f"twice), {per_customer:.1f} per customer; {s.customer_hours:.1f} h with customers",
        f"double-handed  {s.double_handed} instances ({100 * s.double_handed_share:.1f} %)",
        f"availability   {s.available_hours:.1f} worker-hours; a weekend day has "
        + _ratio(s.weekend_availability_ratio) + f" of a weekday's; {s.split_shift_days} "
        f"split-shift days; {s.guaranteed_hours:.1f} guaranteed hours",
        f"preferences    {_counts(s.preferences) or 'none'}; previous rota "
        f"{s.previous_rota_rows} rows",
        "",
        "capacity vs demand by hour: worker-hours per day; demand spread over each visit's "
        "window, travel not included",
        "  hour    Mon-Fri demand  available   use    Sat-Sun demand  available   use",
    ]
    for wd, we in zip(s.weekday_hours, s.weekend_hours):
        lines.append(
            f"  {wd.hour:02d}:00  {wd.demand_h:15.1f}  {wd.capacity_h:9.1f}  {_pct(wd):>4}"
            f"  {we.demand_h:16.1f}  {we.capacity_h:9.1f}  {_pct(we):>4}"
        )
    if s.peak:
        p = s.peak
        use = f"{100 * p.demand_h / p.capacity_h:.0f} %" if p.capacity_h else "no capacity"
        lines.append(
            f"  busiest hour: {p.day} {p.hour:02d}:00-{p.hour + 1:02d}:00, {p.demand_h:.1f} of "
            f"{p.capacity_h:.1f} worker-hours ({use})"
        )
    lines.append("")
    lines += [f"warning: {w}" for w in s.warnings] or ["warnings: none"]
    return "\n".join(lines)


def _section(label: str, headline, parts: dict[str, dict[str, int]]) -> list[str]:
    """A headline and one indented line per non-trivial breakdown."""
    lines = [f"{label:<15}{headline}"]
    for name, counts in parts.items():
        if counts and set(counts) != {"-"}:
            lines.append(f"  {name:<13}{_counts(counts)}")
    return lines


def _counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{key} {value}" for key, value in counts.items() if value)


def _ratio(value: float | None) -> str:
    return "-" if value is None else f"{100 * value:.0f} %"


def _pct(load: HourLoad) -> str:
    use = load.utilisation
    return "-" if use is None else f"{100 * use:.0f}%"
