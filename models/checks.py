"""Cross-table checks of a caseload: references, duplicates, overlaps, windows, eligibility.

``cross_check`` returns findings that name the table, the entry index and the column, so the
reader can turn them into "file, row, column" messages; the Caseload model runs the same checks
when it is built in code. Field-level rules (types, ranges, HH:MM) live on the row models.
"""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from models.base import DAYS, MINUTES_PER_DAY, format_clock
from models.objective import TERM_IDS

if TYPE_CHECKING:
    from models.caseload import Caseload, VisitTemplate, Worker

SUSPICIOUS_VISIT_MIN = 240
"""A visit longer than this (minutes) is legal but warned about."""


@dataclass(frozen=True)
class Finding:
    """One problem in the input: where (table, entry index, column), which rule, what."""

    table: str
    index: int | None
    column: str
    rule: str
    message: str
    level: Literal["error", "warning"] = "error"
    ref: str = ""
    """The unknown id, for findings about references."""

    def text(self, caseload: Caseload | None = None) -> str:
        """"visits entry 20 (V0020), workers_required: message [rule]": the entry's position
        counts from 1, and its id is named when ``caseload`` is given."""
        where = self.table
        if self.index is not None:
            where += f" entry {self.index + 1}"
            ident = _entry_id(caseload, self.table, self.index) if caseload else ""
            where += f" ({ident})" if ident else ""
        column = f", {self.column}" if self.column else ""
        return f"{where}{column}: {self.message} [{self.rule}]"


def _entry_id(caseload: Caseload, table: str, index: int) -> str:
    """The first id column of entry ``index`` of a table ("" when it has none)."""
    rows = getattr(caseload, "travel_matrix" if table == "travel" else table, None)
    if not rows or index >= len(rows):
        return ""
    row = rows[index]
    return next((str(getattr(row, name)) for name in type(row).model_fields
                 if name.endswith("_id")), "")


def cross_check(caseload: Caseload) -> list[Finding]:
    """Every cross-table problem of the caseload, errors and warnings, in table order."""
    checks = (
        _settings,
        _duplicates,
        _references,
        _transport_modes,
        _availability_overlaps,
        _visit_windows,
        _eligibility,
        _travel_matrix,
        _pins,
    )
    return [finding for check in checks for finding in check(caseload)]


def _settings(c: Caseload) -> Iterator[Finding]:
    if c.week_start is not None and c.week_start.weekday() != 0:
        yield Finding(
            "caseload.yaml", None, "week_start", "not_monday",
            f"week_start {c.week_start} is a {c.week_start.strftime('%A')}, not a Monday",
        )
    for key in c.weights:
        if key not in TERM_IDS:
            yield Finding(
                "caseload.yaml", None, f"weights.{key}", "unknown_weight",
                f"no objective term {key!r} (known: {', '.join(TERM_IDS)})", "warning",
            )


def _duplicates(c: Caseload) -> Iterator[Finding]:
    tables = (
        ("customers", "customer_id", c.customers),
        ("visits", "visit_id", c.visits),
        ("workers", "worker_id", c.workers),
    )
    for table, column, rows in tables:
        seen: dict[str, int] = {}
        for i, row in enumerate(rows):
            key = getattr(row, column)
            if key in seen:
                yield Finding(table, i, column, "duplicate_id", f"duplicate id {key!r}")
            seen.setdefault(key, i)
    pairs: dict[tuple[str, str], str] = {}
    for i, p in enumerate(c.preferences):
        before = pairs.get((p.customer_id, p.worker_id))
        if before is not None:
            rule = "duplicate_preference" if before == p.kind else "conflicting_preference"
            yield Finding(
                "preferences", i, "kind", rule,
                f"{p.customer_id}-{p.worker_id} is listed again ({before}, then {p.kind})",
            )
        pairs.setdefault((p.customer_id, p.worker_id), p.kind)


def _references(c: Caseload) -> Iterator[Finding]:
    customers, workers = c.customer_by_id, c.worker_by_id
    for i, v in enumerate(c.visits):
        if v.customer_id not in customers:
            yield _unknown("visits", i, "customer_id", "customer", v.customer_id)
    for i, a in enumerate(c.availability):
        if a.worker_id not in workers:
            yield _unknown("availability", i, "worker_id", "worker", a.worker_id)
    for i, p in enumerate(c.preferences):
        if p.customer_id not in customers:
            yield _unknown("preferences", i, "customer_id", "customer", p.customer_id)
        if p.worker_id not in workers:
            yield _unknown("preferences", i, "worker_id", "worker", p.worker_id)
    for i, row in enumerate(c.previous_rota):
        if row.worker_id not in workers:
            yield _unknown("previous_rota", i, "worker_id", "worker", row.worker_id, "warning")
        if row.customer_id not in customers:
            yield _unknown("previous_rota", i, "customer_id", "customer", row.customer_id,
                           "warning")


def _unknown(table, index, column, kind, value, level="error") -> Finding:
    return Finding(
        table, index, column, f"unknown_{kind}", f"unknown {kind} {value!r}", level, ref=value
    )


def _transport_modes(c: Caseload) -> Iterator[Finding]:
    modes = c.travel.speed_kmh
    for i, w in enumerate(c.workers):
        if w.transport not in modes:
            yield Finding(
                "workers", i, "transport", "unknown_transport",
                f"mode {w.transport!r} has no speed in travel.speed_kmh"
                f" ({', '.join(sorted(modes))})",
            )


def _availability_overlaps(c: Caseload) -> Iterator[Finding]:
    by_worker_day: dict[tuple[str, int], list[tuple[int, int, int]]] = defaultdict(list)
    for i, a in enumerate(c.availability):
        for day in a.day:
            by_worker_day[(a.worker_id, day)].append((a.start, a.end, i))
    reported: set[int] = set()
    for (worker_id, day), rows in by_worker_day.items():
        rows.sort()
        for (s1, e1, _), (s2, e2, i2) in itertools.pairwise(rows):
            if s2 < e1 and i2 not in reported:
                reported.add(i2)
                yield Finding(
                    "availability", i2, "start", "overlapping_availability",
                    f"{worker_id} on {DAYS[day]}: {format_clock(s2)}-{format_clock(e2)} overlaps "
                    f"{format_clock(s1)}-{format_clock(e1)} (split shifts must not overlap)",
                )


def _visit_windows(c: Caseload) -> Iterator[Finding]:
    policy = c.policy
    for i, v in enumerate(c.visits):
        before = policy.window_before_min if v.window_before_min is None else v.window_before_min
        after = policy.window_after_min if v.window_after_min is None else v.window_after_min
        if v.start - before < 0:
            yield Finding(
                "visits", i, "window_before_min", "window_outside_day",
                f"window opens {before} min before {format_clock(v.start)}, before midnight "
                "(nothing may cross midnight)",
            )
        if v.start + after + v.duration_min > MINUTES_PER_DAY:
            yield Finding(
                "visits", i, "window_after_min", "window_outside_day",
                f"a {v.duration_min} min visit starting up to {after} min after "
                f"{format_clock(v.start)} ends after midnight (nothing may cross midnight)",
            )
        if v.duration_min > SUSPICIOUS_VISIT_MIN:
            yield Finding(
                "visits", i, "duration_min", "long_visit",
                f"{v.duration_min} min is an unusually long visit", "warning",
            )


def _eligibility(c: Caseload) -> Iterator[Finding]:
    if not c.visits:
        yield Finding("visits", None, "", "no_visits",
                      "the care plan has no visits: the rota will be empty", "warning")
    held = {skill for w in c.workers for skill in w.skills}
    genders = Counter(w.gender for w in c.workers)
    for i, v in enumerate(c.visits):
        for skill in v.skills:
            if skill not in held:
                hint = " (skills are separated by ';', not ',')" if "," in skill else ""
                yield Finding(
                    "visits", i, "skills", "skill_unheld",
                    f"no worker holds skill {skill!r}; the visit cannot be assigned{hint}",
                    "warning",
                )
    for i, cu in enumerate(c.customers):
        if cu.gender_preference and not genders[cu.gender_preference]:
            yield Finding(
                "customers", i, "gender_preference", "gender_unmet",
                f"no {cu.gender_preference} worker in the caseload",
            )
    for i, v in enumerate(c.visits):
        if v.workers_required > 1 and v.customer_id in c.customer_by_id:
            cap = c.team_cap(v.customer_id)
            if cap < v.workers_required:
                yield Finding(
                    "visits", i, "workers_required", "team_cap_too_small",
                    f"needs {v.workers_required} workers together but {v.customer_id}'s team "
                    f"is capped at {cap} (max_team_size)",
                )
            eligible = sum(1 for w in c.workers if static_eligible(c, v, w))
            if eligible < v.workers_required:
                yield Finding(
                    "visits", i, "workers_required", "double_handed_short",
                    f"needs {v.workers_required} workers but only {eligible} may serve "
                    f"{v.customer_id} with skills {';'.join(v.skills) or 'none'}",
                )


def static_eligible(c: Caseload, visit: VisitTemplate, worker: Worker) -> bool:
    """Whether a worker may ever serve a visit: skills, gender, ban, zone and provider rules."""
    return not ineligibility(c, visit, worker)


def ineligibility(c: Caseload, visit: VisitTemplate, worker: Worker) -> str:
    """Why a worker may never serve a visit (skills, gender, ban, zone, provider); "" if they
    may."""
    customer = c.customer_by_id[visit.customer_id]
    missing = sorted(set(visit.skills) - set(worker.skills))
    if missing:
        return f"the visit needs skill {', '.join(missing)}"
    if customer.gender_preference and worker.gender != customer.gender_preference:
        return f"{customer.customer_id} asks for a {customer.gender_preference} worker"
    if (customer.customer_id, worker.worker_id) in c.banned_pairs:
        return f"{customer.customer_id} has banned {worker.worker_id}"
    if worker.zones and customer.zone and customer.zone not in worker.zones:
        return f"{customer.customer_id} is in zone {customer.zone}, outside their zones"
    if customer.provider and worker.provider != customer.provider:
        return f"{customer.customer_id}'s provider is {customer.provider}"
    return ""


def _travel_matrix(c: Caseload) -> Iterator[Finding]:
    if not c.travel_matrix:
        return
    clash = sorted(set(c.customer_by_id) & set(c.worker_by_id))
    if clash:
        yield Finding(
            "travel", None, "from_id", "ambiguous_id",
            f"ids {', '.join(clash[:5])} name both a customer and a worker, so travel rows "
            "cannot tell them apart",
        )
    known = set(c.customer_by_id) | set(c.worker_by_id)
    seen: set[tuple[str, str, str]] = set()
    for i, row in enumerate(c.travel_matrix):
        for column in ("from_id", "to_id"):
            if getattr(row, column) not in known:
                yield Finding(
                    "travel", i, column, "unknown_place",
                    f"{getattr(row, column)!r} is neither a customer nor a worker; row ignored",
                    "warning",
                )
        key = (row.from_id, row.to_id, row.mode)
        if key in seen:
            yield Finding(
                "travel", i, "from_id", "duplicate_pair",
                f"pair {row.from_id}->{row.to_id} (mode {row.mode or 'any'}) listed twice",
            )
        seen.add(key)


def _pins(c: Caseload) -> Iterator[Finding]:
    """Each pin names a visit and a worker who may serve it, is available then, and (with a
    start) starts inside the window; a visit's pins agree with each other."""
    instances = c.instance_by_id
    by_visit: dict[str, list[int]] = defaultdict(list)
    shifts: dict[tuple[str, int], list] = defaultdict(list)
    for shift in c.shifts:
        shifts[(shift.worker_id, shift.day)].append(shift)
    for i, pin in enumerate(c.pinned):
        visit = instances.get(pin.visit_id)
        if visit is None:
            yield Finding(
                "pinned", i, "visit_id", "unknown_visit",
                f"no visit instance {pin.visit_id!r} (ids are <visit_id>-<Day>)",
            )
        if pin.worker_id not in c.worker_by_id:
            yield _unknown("pinned", i, "worker_id", "worker", pin.worker_id)
        elif visit is not None:
            yield from _pin_keepable(c, i, visit, shifts[(pin.worker_id, visit.day)])
            by_visit[pin.visit_id].append(i)
    for visit_id, rows in by_visit.items():
        yield from _pins_agree(c, visit_id, rows)
    yield from _pins_within_team_caps(c, by_visit)


def _pins_within_team_caps(c: Caseload, by_visit: dict[str, list[int]]) -> Iterator[Finding]:
    """The workers pinned to a customer's visits fit in the customer's team cap."""
    pinned: dict[str, list[str]] = defaultdict(list)
    for visit_id, rows in sorted(by_visit.items(), key=lambda item: item[1][0]):
        customer_id = c.instance_by_id[visit_id].customer_id
        for i in rows:
            worker_id = c.pinned[i].worker_id
            if worker_id in pinned[customer_id]:
                continue
            pinned[customer_id].append(worker_id)
            cap = c.team_cap(customer_id)
            if len(pinned[customer_id]) == cap + 1:
                yield Finding(
                    "pinned", i, "worker_id", "pins_over_team_cap",
                    f"the pins give {customer_id} more workers than its team cap of {cap}: "
                    f"{', '.join(pinned[customer_id])}",
                )


def _pin_keepable(c: Caseload, i: int, visit, rows: list) -> Iterator[Finding]:
    """Pin i can be kept on its own: the worker may serve the customer, the start (if given)
    is inside the visit's window, and one of ``rows`` (the worker's shifts that day) holds the
    visit (travel from home aside)."""
    pin = c.pinned[i]
    worker = c.worker_by_id[pin.worker_id]
    why_not = ineligibility(c, c.template_by_id[visit.template_id], worker)
    if why_not:
        yield Finding("pinned", i, "worker_id", "pin_ineligible",
                      f"{pin.worker_id} may not serve {pin.visit_id}: {why_not}")
        return
    earliest, latest = visit.earliest, visit.latest
    if pin.start is not None:
        start = visit.day * MINUTES_PER_DAY + pin.start
        if not earliest <= start <= latest:
            yield Finding(
                "pinned", i, "start", "pin_outside_window",
                f"{format_clock(pin.start)} is outside {pin.visit_id}'s start window "
                f"{format_clock(earliest)}-{format_clock(latest)}",
            )
            return
        earliest = latest = start
    if not any(max(s.start, earliest) <= latest
               and max(s.start, earliest) + visit.duration_min <= s.end for s in rows):
        held = ", ".join(f"{format_clock(s.start)}-{format_clock(s.end)}" for s in rows)
        yield Finding(
            "pinned", i, "worker_id", "pin_unavailable",
            f"{pin.worker_id} is not available for {pin.visit_id} (a {visit.duration_min} min "
            f"visit starting {format_clock(earliest)}-{format_clock(latest)}); their "
            f"availability that day: {held or 'none'}",
        )


def _pins_agree(c: Caseload, visit_id: str, rows: list[int]) -> Iterator[Finding]:
    """A visit's pins: no worker twice, no more workers than it needs, one start."""
    needed = c.instance_by_id[visit_id].workers_required
    seen: set[str] = set()
    starts: set[int] = set()
    for i in rows:
        pin = c.pinned[i]
        if pin.worker_id in seen:
            yield Finding("pinned", i, "worker_id", "duplicate_pin",
                          f"{pin.worker_id} is pinned to {visit_id} twice")
            continue
        seen.add(pin.worker_id)
        if len(seen) > needed:
            yield Finding("pinned", i, "worker_id", "too_many_pins",
                          f"{visit_id} needs {needed} worker(s); {len(seen)} are pinned to it")
        if pin.start is not None:
            starts.add(pin.start)
            if len(starts) > 1:
                yield Finding("pinned", i, "start", "pins_disagree",
                              f"{visit_id}'s workers start together; its pins give "
                              f"{' and '.join(format_clock(t) for t in sorted(starts))}")
