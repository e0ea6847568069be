"""Shared pieces of the reports: the visit lines of every worker's day, names, dates, files.

A *visit line* is one rota row as a worker experiences it: where it sits in the worker's day
(run and order), the leg that brought the worker (as rota.csv records it), the leg home after
the last visit of a run (modelled, scheduler.runs), and who else is on a double-handed visit.
Lines come from ``scheduler.runs.build_runs``, so rows naming an unknown visit or worker are left
out and a row counts on its visit instance's day (the validator reports any disagreement).

Pure: no solve, no ortools; only ``write_text`` touches the disk.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import defaultdict
from dataclasses import dataclass
from html import escape

from models import DAYS, MINUTES_PER_DAY, Caseload, Rota
from models.base import format_clock
from scheduler.io.files import write_text as write_text
from scheduler.runs import Run, build_runs


@dataclass(frozen=True)
class VisitLine:
    """One worker at one visit, placed in the worker's day.

    Attributes
    ----------
    worker_id, visit_id, customer_id
        Ids of the row (the customer is the visit instance's).
    day
        Day index, 0 (Mon) to 6 (Sun).
    run
        Which run of the worker's day, 1 for the first; 2 and more on a split shift.
    order
        Position in the worker's day, 1 for the first visit.
    start, end
        Arrival and departure, minutes after midnight.
    travel_min, travel_km
        The leg that brought the worker here (rota.csv's travel_min and travel_km), minutes, km.
    home_min, home_km
        The modelled leg home after this visit when it is the last of its run; None otherwise.
    partners
        The other workers on this visit (double-handed), by id.
    in_shift
        False when the row lies inside none of the worker's availability rows (an invalid row,
        still shown so a coordinator can see it).
    """

    worker_id: str
    visit_id: str
    customer_id: str
    day: int
    run: int
    order: int
    start: int
    end: int
    travel_min: int
    travel_km: float
    home_min: int | None
    home_km: float | None
    partners: tuple[str, ...]
    in_shift: bool

    @property
    def duration_min(self) -> int:
        """Minutes at the visit (end - start)."""
        return self.end - self.start

    @property
    def week_start(self) -> int:
        """Arrival in minutes from Monday 00:00."""
        return self.day * MINUTES_PER_DAY + self.start


def visit_lines(
    caseload: Caseload, rota: Rota, runs: tuple[Run, ...] | None = None
) -> list[VisitLine]:
    """Every rota row as a visit line, ordered by worker id, day and start.

    Parameters
    ----------
    caseload, rota
        The plan and its rota.
    runs
        ``build_runs(caseload, rota)`` when the caller has it already.

    Returns
    -------
    list[VisitLine]
        One line per known (worker, visit instance) row.
    """
    runs = runs if runs is not None else build_runs(caseload, rota)
    crews = visit_crews(rota)
    lines: list[VisitLine] = []
    run_number: dict[tuple[str, int], int] = defaultdict(int)
    order: dict[tuple[str, int], int] = defaultdict(int)
    for run in runs:
        key = (run.worker.worker_id, run.day)
        run_number[key] += 1
        last = len(run.stops) - 1
        for i, stop in enumerate(run.stops):
            order[key] += 1
            home = run.leg_home if i == last else None
            lines.append(VisitLine(
                worker_id=stop.worker_id, visit_id=stop.visit_id, customer_id=stop.customer_id,
                day=run.day, run=run_number[key], order=order[key],
                start=stop.start - run.day * MINUTES_PER_DAY,
                end=stop.end - run.day * MINUTES_PER_DAY,
                travel_min=stop.row.travel_min, travel_km=stop.row.travel_km,
                home_min=None if home is None else home.minutes,
                home_km=None if home is None else home.km,
                partners=tuple(w for w in crews.get(stop.visit_id, ()) if w != stop.worker_id),
                in_shift=run.in_shift,
            ))
    return lines


def visit_crews(rota: Rota) -> dict[str, tuple[str, ...]]:
    """Visit instance id -> the distinct worker ids of its rows, sorted."""
    crews: dict[str, set[str]] = defaultdict(set)
    for row in rota.assignments:
        crews[row.visit_id].add(row.worker_id)
    return {visit_id: tuple(sorted(workers)) for visit_id, workers in crews.items()}


def lines_by_worker_day(lines: list[VisitLine]) -> dict[tuple[str, int], list[VisitLine]]:
    """(worker id, day) -> that day's lines in order, keys in worker then day order."""
    out: dict[tuple[str, int], list[VisitLine]] = defaultdict(list)
    for line in lines:
        out[(line.worker_id, line.day)].append(line)
    return dict(sorted(out.items()))


# ----------------------------------------------------------------------------- names and dates


def worker_name(caseload: Caseload, worker_id: str) -> str:
    """A worker's display name, or the id when the name is blank or the worker unknown."""
    worker = caseload.worker_by_id.get(worker_id)
    return worker.name if worker is not None and worker.name else worker_id


def customer_name(caseload: Caseload, customer_id: str) -> str:
    """A customer's display name, or the id when the name is blank or the customer unknown."""
    customer = caseload.customer_by_id.get(customer_id)
    return customer.name if customer is not None and customer.name else customer_id


def customer_place(caseload: Caseload, customer_id: str) -> str:
    """A customer's address, or ``lat, lon`` (degrees, 5 decimals) when there is none."""
    customer = caseload.customer_by_id.get(customer_id)
    if customer is None:
        return ""
    return customer.address or f"{customer.lat:.5f}, {customer.lon:.5f}"


def day_date(caseload: Caseload, day: int) -> dt.date | None:
    """The calendar date of a day index, from ``week_start``; None without a week_start."""
    if caseload.week_start is None:
        return None
    return caseload.week_start + dt.timedelta(days=day)


def day_label(caseload: Caseload, day: int) -> str:
    """``Mon 23 Nov`` (``Mon`` when the caseload has no week_start)."""
    date = day_date(caseload, day)
    return DAYS[day] if date is None else f"{DAYS[day]} {date.day} {date:%b}"


def clock(minutes: int | None) -> str:
    """Minutes after midnight -> ``HH:MM``; ``""`` for None."""
    return "" if minutes is None else format_clock(minutes)


def hours_text(minutes: int) -> str:
    """Minutes -> ``3h05`` (``45 min`` below an hour)."""
    if minutes < 60:
        return f"{minutes} min"
    return f"{minutes // 60}h{minutes % 60:02d}"


# ----------------------------------------------------------------------------- files


def html_page(title: str, css: str, body: str) -> str:
    """A standalone HTML document (no external resources)."""
    return (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        f"<title>{escape(title)}</title><link rel=\"icon\" href=\"data:,\">"
        f"<style>{css}</style></head>\n<body>\n{body}\n</body></html>\n"
    )


def csv_text(rows: list[dict], columns: tuple[str, ...]) -> str:
    """Rows (dicts keyed by column) as CSV text with a header; missing cells are empty."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(columns), lineterminator="\n",
                            extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()
