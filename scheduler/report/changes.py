"""The change list: visits whose worker(s) or start differ from last week's rota (who to phone).

Visits are matched by instance id (``V12-Mon``) between ``caseload.previous_rota`` and the rota.
A visit's *workers* are the distinct worker ids of its rows and its *start* the earliest row's
start (minutes after midnight), as kpis.json's ``changes_vs_previous`` reads them. ``change``:

- ``worker``: other workers, same start; ``time``: same workers, other start;
  ``worker and time``: both;
- ``unassigned``: in last week's rota, with no row now;
- ``removed``: in last week's rota, and no longer in this week's care plan;
- ``new``: rows now, none last week (a new visit, or one left out last week).

Without a previous rota there is nothing to compare, so the list is empty. The rows other than
``new`` are exactly the visits ``changes_vs_previous`` counts.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from models import DAYS, Assignment, Caseload, Rota
from scheduler.report.common import clock, csv_text, customer_name, worker_name

CHANGE_COLUMNS = (
    "customer_id", "customer_name", "visit_id", "day", "before_workers", "before_start",
    "after_workers", "after_start", "moved_min", "change",
)
"""Columns of changes.csv (workers ``;``-separated ids, starts HH:MM, ``moved_min`` the start's
shift in minutes, + later, empty unless the visit has a start both weeks)."""


@dataclass(frozen=True)
class Change:
    """One visit whose plan differs from last week's.

    Attributes
    ----------
    visit_id, customer_id
        The visit instance and its customer.
    day
        Day index 0 (Mon) .. 6 (Sun).
    before_workers, after_workers
        Sorted worker ids last week and now (empty when there were / are none).
    before_start, after_start
        Earliest row start, minutes after midnight; None when there were / are no rows.
    change
        ``worker``, ``time``, ``worker and time``, ``unassigned``, ``removed`` or ``new``.
    """

    visit_id: str
    customer_id: str
    day: int
    before_workers: tuple[str, ...]
    before_start: int | None
    after_workers: tuple[str, ...]
    after_start: int | None
    change: str

    @property
    def moved_min(self) -> int | None:
        """Minutes the start moved (+ later); None unless it has a start both weeks."""
        if self.before_start is None or self.after_start is None:
            return None
        return self.after_start - self.before_start


def change_list(caseload: Caseload, rota: Rota) -> list[Change]:
    """Every changed visit, ordered by customer id, day, start and visit id.

    Returns an empty list when the caseload has no previous rota.
    """
    if not caseload.previous_rota:
        return []
    before = _plan(caseload.previous_rota)
    after = _plan(rota.assignments)
    changes = []
    for visit_id in sorted(before.keys() | after.keys()):
        kind = _kind(before.get(visit_id), after.get(visit_id))
        if kind == "unassigned" and visit_id not in caseload.instance_by_id:
            kind = "removed"
        if kind:
            changes.append(_change(caseload, visit_id, before, after, kind))
    changes.sort(key=lambda c: (c.customer_id, c.day, _start(c), c.visit_id))
    return changes


def _start(change: Change) -> int:
    return change.after_start if change.after_start is not None else change.before_start or 0


def _plan(rows: tuple[Assignment, ...]) -> dict[str, tuple[tuple[str, ...], int, Assignment]]:
    """Visit id -> (sorted worker ids, earliest start, one row)."""
    workers: dict[str, set[str]] = defaultdict(set)
    first: dict[str, Assignment] = {}
    for row in rows:
        workers[row.visit_id].add(row.worker_id)
        if row.visit_id not in first or row.start < first[row.visit_id].start:
            first[row.visit_id] = row
    return {v: (tuple(sorted(workers[v])), first[v].start, first[v]) for v in workers}


def _kind(before, after) -> str:
    if after is None:
        return "unassigned"
    if before is None:
        return "new"
    worker, time = before[0] != after[0], before[1] != after[1]
    return "worker and time" if worker and time else "worker" if worker else "time" if time else ""


def _change(caseload: Caseload, visit_id: str, before: dict, after: dict, kind: str) -> Change:
    instance = caseload.instance_by_id.get(visit_id)
    row = (after.get(visit_id) or before[visit_id])[2]
    old, new = before.get(visit_id), after.get(visit_id)
    return Change(
        visit_id=visit_id,
        customer_id=instance.customer_id if instance else row.customer_id,
        day=instance.day if instance else row.day,
        before_workers=old[0] if old else (),
        before_start=old[1] if old else None,
        after_workers=new[0] if new else (),
        after_start=new[1] if new else None,
        change=kind,
    )


def change_rows(caseload: Caseload, changes: list[Change]) -> list[dict]:
    """Changes as dicts keyed by ``CHANGE_COLUMNS``."""
    return [{
        "customer_id": c.customer_id,
        "customer_name": customer_name(caseload, c.customer_id),
        "visit_id": c.visit_id,
        "day": DAYS[c.day],
        "before_workers": ";".join(c.before_workers),
        "before_start": clock(c.before_start),
        "after_workers": ";".join(c.after_workers),
        "after_start": clock(c.after_start),
        "moved_min": "" if c.moved_min is None else f"{c.moved_min:+d}",
        "change": c.change,
    } for c in changes]


def changes_csv(caseload: Caseload, rota: Rota) -> str:
    """changes.csv as text (header only when nothing changed or there is no previous rota)."""
    return csv_text(change_rows(caseload, change_list(caseload, rota)), CHANGE_COLUMNS)


def changes_by_customer(changes: list[Change]) -> dict[str, list[Change]]:
    """Customer id -> their changed visits (the phone list), customers in id order."""
    out: dict[str, list[Change]] = defaultdict(list)
    for change in changes:
        out[change.customer_id].append(change)
    return dict(sorted(out.items()))


def changes_by_worker(changes: list[Change]) -> dict[str, dict[str, list[Change]]]:
    """Worker id -> ``{"gained": [...], "lost": [...], "moved": [...]}``.

    *gained*: visits the worker has now and did not have; *lost*: the reverse; *moved*: visits
    the worker keeps at another start. Workers in id order; empty groups are kept as [].
    """
    out: dict[str, dict[str, list[Change]]] = defaultdict(
        lambda: {"gained": [], "lost": [], "moved": []})
    for change in changes:
        before, after = set(change.before_workers), set(change.after_workers)
        for worker_id in after - before:
            out[worker_id]["gained"].append(change)
        for worker_id in before - after:
            out[worker_id]["lost"].append(change)
        if change.before_start != change.after_start:
            for worker_id in before & after:
                out[worker_id]["moved"].append(change)
    return dict(sorted(out.items()))


def change_text(caseload: Caseload, change: Change) -> str:
    """One line: ``Mon V1-Mon: Alice Moss 08:00 -> Cara Wood 08:15 (worker and time)``."""
    def side(workers: tuple[str, ...], start: int | None) -> str:
        if not workers:
            return "not arranged"
        names = " and ".join(worker_name(caseload, w) for w in workers)
        return f"{names} {clock(start)}"

    return (f"{DAYS[change.day]} {change.visit_id}: "
            f"{side(change.before_workers, change.before_start)} -> "
            f"{side(change.after_workers, change.after_start)} ({change.change})")
