"""The independent validator: every validity rule of FORMAT.md, and the objective, recomputed.

``validate(caseload, rota)`` returns one ``Violation`` per broken rule instance (an empty list
means the rota is valid); ``objective(caseload, rota)`` recomputes the weighted objective from the
term definitions in models/objective.py; ``assert_valid`` raises with every violation listed.
Every rota the program writes passes through here, so it never imports ortools (a test asserts
it) and it is linear in the rota's size.

Rule ids (the same as shared/tools/check_rota.py where the rule is the same) and their readings:

- ``unknown_id``: a row names a visit instance, worker or customer the caseload lacks.
- ``row_consistency``: a row's customer or day disagrees with its instance; an unassigned row's
  start is not the instance's preferred start.
- ``unassigned_reason``: an unassigned row with a blank reason.
- ``coverage``: an instance is in neither file, in both, twice in unassigned.csv, or in rota.csv
  a number of times other than ``workers_required``.
- ``distinct_workers``: one worker twice on the same instance.
- ``time_window``: a row's start outside [earliest, latest] (both inclusive).
- ``duration``: a row's end is not start + duration_min.
- ``double_handed_sync``: the rows of one instance differ in start or end.
- ``availability``: a row inside none of the worker's availability rows of that day.
- ``overlap``: two rows of one worker overlap in time (touching is fine).
- ``travel_from_home``: first start < shift start + leg from home.
- ``travel_between``: next start < previous end + leg (not repeated for overlapping rows).
- ``travel_to_home``: last end + leg home > shift end.
- ``travel_recorded``: a row's travel_min/travel_km differ from the modelled leg that brought
  the worker by more than 1 min / 0.05 km.
- ``skills``, ``gender``, ``ban``, ``zone``, ``provider``: eligibility of the worker for the
  customer (zone: a worker with zones serves only customers with no zone or a listed zone;
  provider: a customer's provider must equal the worker's).
- ``min_gap``: the customer's next assigned instance in time (double-handed counts once, from
  its earliest start to its latest end) starts before this one's end + min_gap_after_min.
- ``team_size``: more distinct workers for a customer than ``Caseload.team_cap``.
- ``max_load_per_shift``: summed ``load`` of one availability row's visits over the cap.
- ``hours_day``, ``hours_week``: worked minutes (contact + every leg of every run, home legs and
  pseudo-runs included) over ``max_hours_* x 60`` (caps inclusive).
- ``span``: first start to last end of a worker's day over ``policy.max_shift_span_min``.
- ``rest``: between consecutive worked days of the week, last end to next first start under
  ``policy.min_rest_between_days_min``.
- ``pinned``: a pin of caseload.pinned without a row of that worker (and that start, if given).

Runs, stops and legs are those of scheduler.runs: rows count through their instance (its day
and customer); rows with unknown ids are left out of the schedule, and a repeated (worker,
instance) row is not costed (only its recorded leg is checked).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from itertools import pairwise

from models import DAYS, MINUTES_PER_DAY, Assignment, Caseload, Rota, UnassignedVisit
from models.base import format_clock, format_week_time
from models.objective import (
    GUARANTEED_HOURS,
    MILEAGE,
    PUNCTUALITY,
    TEAM_SIZE,
    TERM_IDS,
    TRAVEL_TIME,
    UNASSIGNED_TERM_BY_PRIORITY,
    UNFAMILIAR_WORKER,
    WEEKEND_UNFAMILIAR,
    hectometres,
    resolve_weights,
)
from scheduler.io.rota_io import ROTA_FILE, UNASSIGNED_FILE
from scheduler.runs import (
    Run,
    Stop,
    build_runs,
    instance_starts,
    shifts_by_worker_day,
    teams,
    weekend_stops,
    worked_min_by_worker,
)
from scheduler.travel import TravelMatrix

FIRST_ROW = 2
"""The row number of a rota file's first data row, as a spreadsheet shows it (the header is
row 1), as in every input error; the referee, check_rota.py, counts data rows from 1."""

TRAVEL_MIN_TOLERANCE = 1
"""Minutes a row's recorded travel_min may differ from the modelled leg."""

TRAVEL_KM_TOLERANCE = 0.05
"""Km a row's recorded travel_km may differ from the modelled leg."""

EPSILON = 1e-9
"""Float slack on comparisons of hours, loads and km, so float noise never fails a rota."""


@dataclass(frozen=True)
class Violation:
    """One broken rule.

    Attributes
    ----------
    rule
        Rule id (see the module docstring), e.g. ``time_window``.
    message
        What is wrong, in a coordinator's words.
    entities
        The ids involved: ``visit``, ``worker``, ``customer``, ``day``, ``row`` ...
    amount
        Magnitude (minutes late, km off, workers over the cap ...); None when not a quantity.
    unit
        Unit of ``amount``: ``min``, ``km``, ``rows``, ``workers``, ``points`` ...
    """

    rule: str
    message: str
    entities: dict[str, str] = field(default_factory=dict, hash=False)
    amount: float | None = None
    unit: str = ""

    def text(self) -> str:
        ids = " ".join(f"{key}={value}" for key, value in self.entities.items())
        return f"{ids}  {self.message}" if ids else self.message


class InvalidRotaError(Exception):
    """A rota breaks the rules; ``violations`` lists every broken rule."""

    def __init__(self, violations: list[Violation]):
        self.violations = violations
        lines = [f"{len(violations)} violation(s):"]
        lines += [f"  {v.rule}: {v.text()}" for v in violations]
        super().__init__("\n".join(lines))


# ----------------------------------------------------------------------------- context


@dataclass
class _Context:
    """What every rule reads: the inputs, the runs and per-instance row lookups."""

    caseload: Caseload
    rota: Rota
    runs: tuple[Run, ...]
    row_numbers: dict[str, list[int]] = field(default_factory=dict)

    def numbered(self, file: str) -> Iterator[tuple[str, Assignment | UnassignedVisit]]:
        """``(where, row)`` for each row of rota.csv or unassigned.csv; ``where`` is
        ``file:row number`` (the numbers read from the file, or counted from FIRST_ROW)."""
        rows = self.rota.assignments if file == ROTA_FILE else self.rota.unassigned
        numbers = self.row_numbers.get(file) or range(FIRST_ROW, FIRST_ROW + len(rows))
        return ((f"{file}:{n}", row) for n, row in zip(numbers, rows, strict=True))

    @cached_property
    def rows_by_visit(self) -> dict[str, list[Assignment]]:
        out: dict[str, list[Assignment]] = defaultdict(list)
        for row in self.rota.assignments:
            out[row.visit_id].append(row)
        return out

    @cached_property
    def unassigned_by_visit(self) -> dict[str, list[UnassignedVisit]]:
        out: dict[str, list[UnassignedVisit]] = defaultdict(list)
        for row in self.rota.unassigned:
            out[row.visit_id].append(row)
        return out

    @cached_property
    def stops(self) -> list[Stop]:
        return [stop for run in self.runs for stop in run.stops]

    @cached_property
    def day_bounds(self) -> dict[str, dict[int, tuple[int, int]]]:
        """Worker id -> day -> (first start, last end) over all the day's runs, week minutes."""
        out: dict[str, dict[int, tuple[int, int]]] = defaultdict(dict)
        for run in self.runs:
            days = out[run.worker.worker_id]
            first, last = run.stops[0].start, max(s.end for s in run.stops)
            old = days.get(run.day, (first, last))
            days[run.day] = (min(old[0], first), max(old[1], last))
        return out


def _ids(stop: Stop, **more: str) -> dict[str, str]:
    return {"visit": stop.visit_id, "worker": stop.worker_id, "customer": stop.customer_id, **more}


def _span(start: int, end: int) -> str:
    """``Mon 08:00-08:30`` for two week minutes of one day."""
    day_base = start // MINUTES_PER_DAY * MINUTES_PER_DAY
    return f"{format_week_time(start)}-{format_clock(end - day_base)}"


# ----------------------------------------------------------------------------- rota files


def _check_unknown_id(ctx: _Context) -> Iterator[Violation]:
    c = ctx.caseload
    for where, row in ctx.numbered(ROTA_FILE):
        if row.visit_id not in c.instance_by_id:
            yield Violation("unknown_id", f"no visit instance {row.visit_id!r}",
                            {"visit": row.visit_id, "row": where})
        if row.worker_id not in c.worker_by_id:
            yield Violation("unknown_id", f"no worker {row.worker_id!r}",
                            {"worker": row.worker_id, "row": where})
        if row.customer_id not in c.customer_by_id:
            yield Violation("unknown_id", f"no customer {row.customer_id!r}",
                            {"customer": row.customer_id, "row": where})
    for where, row in ctx.numbered(UNASSIGNED_FILE):
        if row.visit_id not in c.instance_by_id:
            yield Violation("unknown_id", f"no visit instance {row.visit_id!r}",
                            {"visit": row.visit_id, "row": where})
        if row.customer_id not in c.customer_by_id:
            yield Violation("unknown_id", f"no customer {row.customer_id!r}",
                            {"customer": row.customer_id, "row": where})


def _check_row_consistency(ctx: _Context) -> Iterator[Violation]:
    c = ctx.caseload
    rows = [*ctx.numbered(ROTA_FILE), *ctx.numbered(UNASSIGNED_FILE)]
    for where, row in rows:
        instance = c.instance_by_id.get(row.visit_id)
        if instance is None:
            continue
        ids = {"visit": row.visit_id, "row": where}
        if row.customer_id in c.customer_by_id and row.customer_id != instance.customer_id:
            yield Violation("row_consistency",
                            f"customer {row.customer_id} but the visit is for "
                            f"{instance.customer_id}", ids)
        if row.day != instance.day:
            yield Violation("row_consistency",
                            f"day {DAYS[row.day]} but the instance is on {DAYS[instance.day]}",
                            ids)
        preferred = instance.preferred_start - instance.day * MINUTES_PER_DAY
        if isinstance(row, UnassignedVisit) and row.start != preferred:
            yield Violation("row_consistency",
                            f"start {format_clock(row.start)} but the preferred start is "
                            f"{format_clock(preferred)}", ids)


def _check_unassigned_reason(ctx: _Context) -> Iterator[Violation]:
    for where, row in ctx.numbered(UNASSIGNED_FILE):
        if not row.reason.strip():
            yield Violation("unassigned_reason", "no reason given",
                            {"visit": row.visit_id, "row": where})


def _check_coverage(ctx: _Context) -> Iterator[Violation]:
    for instance in ctx.caseload.instances:
        rows = len(ctx.rows_by_visit.get(instance.id, ()))
        listed = len(ctx.unassigned_by_visit.get(instance.id, ()))
        ids = {"visit": instance.id, "customer": instance.customer_id}
        if rows == 0 and listed == 0:
            yield Violation("coverage", "in neither rota.csv nor unassigned.csv", ids, 1, "visits")
        elif rows and listed:
            yield Violation("coverage", f"in rota.csv ({rows} rows) and in unassigned.csv",
                            ids, listed, "rows")
        elif listed > 1:
            yield Violation("coverage", f"listed {listed} times in unassigned.csv",
                            ids, listed - 1, "rows")
        elif rows and rows != instance.workers_required:
            yield Violation("coverage",
                            f"{rows} rota rows, workers_required {instance.workers_required}",
                            ids, abs(rows - instance.workers_required), "rows")


def _check_distinct_workers(ctx: _Context) -> Iterator[Violation]:
    for visit_id, rows in ctx.rows_by_visit.items():
        for worker_id, count in Counter(r.worker_id for r in rows).items():
            if count > 1:
                yield Violation("distinct_workers", f"worker on the visit {count} times",
                                {"visit": visit_id, "worker": worker_id}, count - 1, "rows")


# ----------------------------------------------------------------------------- one visit


def _known_rows(ctx: _Context) -> Iterator[tuple[Assignment, int, int]]:
    """Rows of known instances with their (start, end) in week minutes."""
    for row in ctx.rota.assignments:
        instance = ctx.caseload.instance_by_id.get(row.visit_id)
        if instance is not None:
            base = instance.day * MINUTES_PER_DAY
            yield row, base + row.start, base + row.end


def _check_time_window(ctx: _Context) -> Iterator[Violation]:
    for row, start, _ in _known_rows(ctx):
        v = ctx.caseload.instance_by_id[row.visit_id]
        early, late = v.earliest - start, start - v.latest
        if early > 0 or late > 0:
            word, by = ("early", early) if early > 0 else ("late", late)
            yield Violation(
                "time_window",
                f"{word} by {by} min: starts {format_week_time(start)}, window "
                f"{format_clock(v.earliest % MINUTES_PER_DAY)}-"
                f"{format_clock(v.latest % MINUTES_PER_DAY)}",
                {"visit": v.id, "worker": row.worker_id}, by, "min")


def _check_duration(ctx: _Context) -> Iterator[Violation]:
    for row, start, end in _known_rows(ctx):
        duration = ctx.caseload.instance_by_id[row.visit_id].duration_min
        if end - start != duration:
            yield Violation("duration", f"lasts {end - start} min, commissioned {duration} min",
                            {"visit": row.visit_id, "worker": row.worker_id},
                            end - start - duration, "min")


def _check_double_handed_sync(ctx: _Context) -> Iterator[Violation]:
    for visit_id, rows in ctx.rows_by_visit.items():
        if len(rows) < 2 or visit_id not in ctx.caseload.instance_by_id:
            continue
        starts, ends = {r.start for r in rows}, {r.end for r in rows}
        if len(starts) > 1 or len(ends) > 1:
            times = ", ".join(f"{r.worker_id} {format_clock(r.start)}-{format_clock(r.end)}"
                              for r in rows)
            spread = max(max(starts) - min(starts), max(ends) - min(ends))
            yield Violation("double_handed_sync", f"workers not together: {times}",
                            {"visit": visit_id}, spread, "min")


# ----------------------------------------------------------------------------- runs


def _shift_runs(ctx: _Context) -> Iterator[Run]:
    return (run for run in ctx.runs if run.in_shift)


def _check_availability(ctx: _Context) -> Iterator[Violation]:
    shifts = shifts_by_worker_day(ctx.caseload)
    for run in ctx.runs:
        if run.in_shift:
            continue
        day_shifts = shifts.get((run.worker.worker_id, run.day), [])
        listed = ", ".join(_span(s.start, s.end) for s in day_shifts) or "none"
        for stop in run.stops:
            outside = min(
                (max(0, s.start - stop.start) + max(0, stop.end - s.end) for s in day_shifts),
                default=stop.contact_min,
            )
            yield Violation("availability",
                            f"{_span(stop.start, stop.end)} is inside no availability row "
                            f"({listed})", _ids(stop), outside, "min")


def _check_overlap(ctx: _Context) -> Iterator[Violation]:
    by_worker: dict[str, list[Stop]] = defaultdict(list)
    for stop in ctx.stops:
        by_worker[stop.worker_id].append(stop)
    for stops in by_worker.values():
        stops.sort(key=lambda s: (s.start, s.end, s.visit_id))
        latest: Stop | None = None  # the stop with the latest end so far
        for stop in stops:
            if latest is not None and stop.start < latest.end:
                yield Violation("overlap",
                                f"{_span(stop.start, stop.end)} overlaps {latest.visit_id} "
                                f"{_span(latest.start, latest.end)}",
                                _ids(stop, overlaps=latest.visit_id),
                                min(latest.end, stop.end) - stop.start, "min")
            if latest is None or stop.end > latest.end:
                latest = stop


def _check_travel_from_home(ctx: _Context) -> Iterator[Violation]:
    for run in _shift_runs(ctx):
        first, leg = run.stops[0], run.legs[0]
        short = run.shift.start + leg.minutes - first.start
        if short > 0:
            yield Violation("travel_from_home",
                            f"shift starts {format_clock(run.shift.start % MINUTES_PER_DAY)}, "
                            f"{leg.minutes} min from home, visit starts "
                            f"{format_clock(first.start % MINUTES_PER_DAY)}: short by {short} min",
                            _ids(first), short, "min")


def _check_travel_between(ctx: _Context) -> Iterator[Violation]:
    for run in _shift_runs(ctx):
        for (a, b), leg in zip(pairwise(run.stops), run.legs[1:-1], strict=True):
            short = a.end + leg.minutes - b.start
            if b.start >= a.end and short > 0:  # overlapping stops are `overlap`'s
                yield Violation("travel_between",
                                f"{a.visit_id} ends {format_clock(a.end % MINUTES_PER_DAY)}, "
                                f"{leg.minutes} min travel, starts "
                                f"{format_clock(b.start % MINUTES_PER_DAY)}: short by {short} min",
                                _ids(b, previous=a.visit_id), short, "min")


def _check_travel_to_home(ctx: _Context) -> Iterator[Violation]:
    for run in _shift_runs(ctx):
        last = run.stops[-1]
        over = last.end + run.leg_home.minutes - run.shift.end
        if over > 0:
            yield Violation("travel_to_home",
                            f"ends {format_clock(last.end % MINUTES_PER_DAY)}, "
                            f"{run.leg_home.minutes} min home, shift ends "
                            f"{format_clock(run.shift.end % MINUTES_PER_DAY)}: "
                            f"over by {over} min", _ids(last), over, "min")


def _check_travel_recorded(ctx: _Context) -> Iterator[Violation]:
    for run in ctx.runs:
        for stop, leg in zip(run.stops, run.legs, strict=False):
            for row in (stop.row, *stop.repeats):
                off_min = abs(row.travel_min - leg.minutes)
                off_km = abs(row.travel_km - leg.km)
                bad_min = off_min > TRAVEL_MIN_TOLERANCE
                if bad_min or off_km > TRAVEL_KM_TOLERANCE + EPSILON:
                    yield Violation("travel_recorded",
                                    f"recorded {row.travel_min} min / {row.travel_km:.2f} km, "
                                    f"modelled {leg.minutes} min / {leg.km:.2f} km",
                                    _ids(stop), off_min if bad_min else round(off_km, 3),
                                    "min" if bad_min else "km")


# ----------------------------------------------------------------------------- eligibility


def _check_skills(ctx: _Context) -> Iterator[Violation]:
    for stop in ctx.stops:
        worker = ctx.caseload.worker_by_id[stop.worker_id]
        missing = sorted(set(stop.instance.skills) - set(worker.skills))
        if missing:
            yield Violation("skills", f"lacks {', '.join(missing)}", _ids(stop),
                            len(missing), "skills")


def _check_gender(ctx: _Context) -> Iterator[Violation]:
    for stop in ctx.stops:
        wanted = ctx.caseload.customer_by_id[stop.customer_id].gender_preference
        gender = ctx.caseload.worker_by_id[stop.worker_id].gender
        if wanted and gender != wanted:
            yield Violation("gender", f"customer accepts {wanted} workers only; worker is "
                            f"{gender or 'unstated'}", _ids(stop))


def _check_ban(ctx: _Context) -> Iterator[Violation]:
    banned = ctx.caseload.banned_pairs
    for stop in ctx.stops:
        if (stop.customer_id, stop.worker_id) in banned:
            yield Violation("ban", "the customer banned this worker", _ids(stop))


def _check_zone(ctx: _Context) -> Iterator[Violation]:
    for stop in ctx.stops:
        zone = ctx.caseload.customer_by_id[stop.customer_id].zone
        zones = ctx.caseload.worker_by_id[stop.worker_id].zones
        if zones and zone and zone not in zones:
            yield Violation("zone", f"customer zone {zone} is not in the worker's zones "
                            f"{';'.join(zones)}", _ids(stop))


def _check_provider(ctx: _Context) -> Iterator[Violation]:
    for stop in ctx.stops:
        wanted = ctx.caseload.customer_by_id[stop.customer_id].provider
        provider = ctx.caseload.worker_by_id[stop.worker_id].provider
        if wanted and provider != wanted:
            yield Violation("provider", f"customer must be served by {wanted}; worker is with "
                            f"{provider or 'no provider'}", _ids(stop))


# ----------------------------------------------------------------------------- customers


def _check_min_gap(ctx: _Context) -> Iterator[Violation]:
    times: dict[str, tuple[int, int]] = {}
    for row, start, end in _known_rows(ctx):
        old = times.get(row.visit_id, (start, end))
        times[row.visit_id] = (min(old[0], start), max(old[1], end))
    by_customer: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
    instances = ctx.caseload.instance_by_id
    for visit_id, (start, end) in times.items():
        by_customer[instances[visit_id].customer_id].append((start, end, visit_id))
    for customer_id, items in by_customer.items():
        items.sort()
        for (_, end, visit_id), (next_start, _, next_id) in pairwise(items):
            short = end + instances[visit_id].min_gap_after_min - next_start
            if instances[visit_id].min_gap_after_min and short > 0:
                yield Violation("min_gap",
                                f"{visit_id} ends {format_week_time(end)}, the next visit "
                                f"{next_id} starts {format_week_time(next_start)}: "
                                f"{instances[visit_id].min_gap_after_min} min gap needed, "
                                f"short by {short} min",
                                {"visit": visit_id, "customer": customer_id, "next": next_id},
                                short, "min")


def _check_team_size(ctx: _Context) -> Iterator[Violation]:
    for customer_id, team in sorted(teams(ctx.runs).items()):
        cap = ctx.caseload.team_cap(customer_id)
        if len(team) > cap:
            yield Violation("team_size",
                            f"{len(team)} distinct workers ({', '.join(sorted(team))}), cap {cap}",
                            {"customer": customer_id}, len(team) - cap, "workers")


# ----------------------------------------------------------------------------- workers


def _check_max_load(ctx: _Context) -> Iterator[Violation]:
    for run in _shift_runs(ctx):
        cap = run.worker.max_load_per_shift
        load = sum(stop.instance.load for stop in run.stops)
        if cap is not None and load > cap + EPSILON:
            yield Violation("max_load_per_shift", f"load {load:g} over the cap {cap:g}",
                            {"worker": run.worker.worker_id, "day": DAYS[run.day],
                             "shift": _span(run.shift.start, run.shift.end)},
                            load - cap, "points")


def _check_hours_day(ctx: _Context) -> Iterator[Violation]:
    worked: dict[tuple[str, int], int] = defaultdict(int)
    for run in ctx.runs:
        worked[(run.worker.worker_id, run.day)] += run.worked_min
    for (worker_id, day), minutes in sorted(worked.items()):
        cap = ctx.caseload.worker_by_id[worker_id].max_hours_day * 60
        if minutes > cap + EPSILON:
            yield Violation("hours_day", f"worked {minutes} min, cap {cap:g} min",
                            {"worker": worker_id, "day": DAYS[day]}, minutes - cap, "min")


def _check_hours_week(ctx: _Context) -> Iterator[Violation]:
    for worker_id, minutes in sorted(worked_min_by_worker(ctx.runs).items()):
        cap = ctx.caseload.worker_by_id[worker_id].max_hours_week * 60
        if minutes > cap + EPSILON:
            yield Violation("hours_week", f"worked {minutes} min, cap {cap:g} min",
                            {"worker": worker_id}, minutes - cap, "min")


def _check_span(ctx: _Context) -> Iterator[Violation]:
    limit = ctx.caseload.policy.max_shift_span_min
    for worker_id, days in sorted(ctx.day_bounds.items()):
        for day, (first, last) in sorted(days.items()):
            if last - first > limit:
                yield Violation("span", f"{_span(first, last)} spans {last - first} min, "
                                f"max {limit}", {"worker": worker_id, "day": DAYS[day]},
                                last - first - limit, "min")


def _check_rest(ctx: _Context) -> Iterator[Violation]:
    need = ctx.caseload.policy.min_rest_between_days_min
    for worker_id, days in sorted(ctx.day_bounds.items()):
        for (day, (_, end)), (next_day, (start, _)) in pairwise(sorted(days.items())):
            if start - end < need:
                yield Violation("rest", f"{format_week_time(end)} to {format_week_time(start)} "
                                f"is {start - end} min, needs {need}",
                                {"worker": worker_id, "day": f"{DAYS[day]}->{DAYS[next_day]}"},
                                need - (start - end), "min")


def _check_pinned(ctx: _Context) -> Iterator[Violation]:
    for pin in ctx.caseload.pinned:
        rows = [r for r in ctx.rows_by_visit.get(pin.visit_id, ()) if r.worker_id == pin.worker_id]
        ids = {"visit": pin.visit_id, "worker": pin.worker_id}
        if not rows:
            yield Violation("pinned", "pinned worker not on the visit", ids)
        elif pin.start is not None and all(r.start != pin.start for r in rows):
            yield Violation("pinned", f"pinned at {format_clock(pin.start)}, starts "
                            f"{format_clock(rows[0].start)}", ids,
                            abs(rows[0].start - pin.start), "min")


RULES: tuple[tuple[str, Callable[[_Context], Iterator[Violation]]], ...] = (
    ("unknown_id", _check_unknown_id),
    ("row_consistency", _check_row_consistency),
    ("unassigned_reason", _check_unassigned_reason),
    ("coverage", _check_coverage),
    ("distinct_workers", _check_distinct_workers),
    ("time_window", _check_time_window),
    ("duration", _check_duration),
    ("double_handed_sync", _check_double_handed_sync),
    ("availability", _check_availability),
    ("overlap", _check_overlap),
    ("travel_from_home", _check_travel_from_home),
    ("travel_between", _check_travel_between),
    ("travel_to_home", _check_travel_to_home),
    ("travel_recorded", _check_travel_recorded),
    ("skills", _check_skills),
    ("gender", _check_gender),
    ("ban", _check_ban),
    ("zone", _check_zone),
    ("provider", _check_provider),
    ("min_gap", _check_min_gap),
    ("team_size", _check_team_size),
    ("max_load_per_shift", _check_max_load),
    ("hours_day", _check_hours_day),
    ("hours_week", _check_hours_week),
    ("span", _check_span),
    ("rest", _check_rest),
    ("pinned", _check_pinned),
)
"""Every rule, in report order: (rule id, check)."""

RULE_IDS: tuple[str, ...] = tuple(rule_id for rule_id, _ in RULES)


# ----------------------------------------------------------------------------- public API


def validate(
    caseload: Caseload,
    rota: Rota,
    *,
    travel: TravelMatrix | None = None,
    runs: tuple[Run, ...] | None = None,
    row_numbers: dict[str, list[int]] | None = None,
) -> list[Violation]:
    """Every violation of FORMAT.md's validity rules (and of pinned assignments).

    Parameters
    ----------
    caseload, rota
        What to check.
    travel
        The caseload's travel matrix; built when None.
    runs
        ``build_runs(caseload, rota, travel)`` when the caller has it already.
    row_numbers
        ``read_rota(folder).row_numbers`` for a rota read from files that may hold blank lines;
        otherwise rows are numbered in order from FIRST_ROW.

    Returns
    -------
    list[Violation]
        In rule order (``RULE_IDS``); empty when the rota is valid.
    """
    runs = runs if runs is not None else build_runs(caseload, rota, travel)
    ctx = _Context(caseload, rota, runs, row_numbers or {})
    return [violation for _, check in RULES for violation in check(ctx)]


def assert_valid(caseload: Caseload, rota: Rota, *, travel: TravelMatrix | None = None) -> None:
    """Raise ``InvalidRotaError`` listing every violation unless the rota is valid."""
    violations = validate(caseload, rota, travel=travel)
    if violations:
        raise InvalidRotaError(violations)


def objective_quantities(
    caseload: Caseload, rota: Rota, runs: tuple[Run, ...]
) -> dict[str, int]:
    """Unweighted quantity of every objective term (models/objective.py), by term id.

    Units: visits, workers, minutes, 100 m and rows, as ``models.objective.TERMS`` states.
    Rows are the runs' stops (known instance and worker, a repeated row once); an instance
    listed twice in unassigned.csv counts once; an instance's start is its earliest row's.
    """
    out = dict.fromkeys(TERM_IDS, 0)
    for visit_id in {u.visit_id for u in rota.unassigned}:
        instance = caseload.instance_by_id.get(visit_id)
        if instance is not None:
            out[UNASSIGNED_TERM_BY_PRIORITY[instance.priority]] += 1
    customer_teams = teams(runs)
    out[TEAM_SIZE] = sum(len(team) for team in customer_teams.values())
    out[UNFAMILIAR_WORKER] = _unfamiliar_workers(caseload, customer_teams)
    legs = [leg for run in runs for leg in run.legs]
    out[TRAVEL_TIME] = sum(leg.minutes for leg in legs)
    out[MILEAGE] = sum(hectometres(leg.km) for leg in legs)
    out[PUNCTUALITY] = _punctuality(caseload, rota)
    worked = worked_min_by_worker(runs)
    out[GUARANTEED_HOURS] = sum(
        max(0, round(w.min_hours_week * 60) - worked.get(w.worker_id, 0)) for w in caseload.workers
    )
    out[WEEKEND_UNFAMILIAR] = len(weekend_stops(runs)[1])
    return out


def _unfamiliar_workers(caseload: Caseload, customer_teams: dict[str, set[str]]) -> int:
    familiar: dict[str, set[str]] = defaultdict(set)
    for row in caseload.previous_rota:
        familiar[row.customer_id].add(row.worker_id)
    for customer_id, worker_id in caseload.regular_pairs:
        familiar[customer_id].add(worker_id)
    return sum(
        len(team - familiar[customer_id])
        for customer_id, team in customer_teams.items()
        if familiar.get(customer_id)
    )


def _punctuality(caseload: Caseload, rota: Rota) -> int:
    total = 0
    for visit_id, start in instance_starts(caseload, rota).items():
        instance = caseload.instance_by_id[visit_id]
        total += max(0, abs(start - instance.preferred_start) - instance.tolerance_min)
    return total


def objective(
    caseload: Caseload,
    rota: Rota,
    *,
    travel: TravelMatrix | None = None,
    runs: tuple[Run, ...] | None = None,
) -> tuple[int, dict[str, int]]:
    """The rota's objective, recomputed from the term definitions of models/objective.py.

    Weights are ``resolve_weights(caseload.weights)``.

    Returns
    -------
    tuple[int, dict[str, int]]
        Total points and the weighted points of every term id (zeros included).
    """
    runs = runs if runs is not None else build_runs(caseload, rota, travel)
    weights = resolve_weights(caseload.weights)
    quantities = objective_quantities(caseload, rota, runs)
    breakdown = {term: weights[term] * quantity for term, quantity in quantities.items()}
    return sum(breakdown.values()), breakdown


def report_text(violations: list[Violation], total: int, breakdown: dict[str, int]) -> str:
    """Violations grouped by rule, the objective with its breakdown, and a summary last line.

    The last line reads ``VALID objective=N`` or ``INVALID k violations (rule=n, ...)
    objective=N``.
    """
    by_rule: dict[str, list[Violation]] = defaultdict(list)
    for violation in violations:
        by_rule[violation.rule].append(violation)
    lines = []
    for rule_id, group in by_rule.items():
        lines.append(f"{rule_id} ({len(group)})")
        lines += [f"  {v.text()}" for v in group]
    lines.append(f"objective {total}")
    lines += [f"  {term:<22} {points:>10}" for term, points in breakdown.items()]
    if not violations:
        lines.append(f"VALID objective={total}")
    else:
        counts = ", ".join(f"{rule_id}={len(group)}" for rule_id, group in by_rule.items())
        lines.append(f"INVALID {len(violations)} violation{'s' if len(violations) != 1 else ''} "
                     f"({counts}) objective={total}")
    return "\n".join(lines)
