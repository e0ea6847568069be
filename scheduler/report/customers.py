"""Customer schedules: who is coming when this week, per customer (for the letter or the call).

One row per visit instance of the care plan, assigned or not, ordered by customer (caseload
order), day and start. An assigned visit shows the arrival and departure the rota plans and the
workers by name; an unassigned one shows its preferred time and ``status`` ``not arranged``.
``new_workers`` names the workers the customer has not had before (not in last week's rota and
not a named regular), only for customers with such a history. The HTML page prints one customer
per page.
"""

from __future__ import annotations

from collections import defaultdict
from html import escape

from models import DAYS, MINUTES_PER_DAY, Caseload, Rota
from scheduler.report.common import (
    clock,
    csv_text,
    customer_place,
    day_date,
    day_label,
    html_page,
    worker_name,
)

SCHEDULE_COLUMNS = (
    "customer_id", "customer_name", "address", "day", "date", "start", "end", "visit_id",
    "type", "workers", "worker_ids", "new_workers", "status",
)
"""Columns of customer_schedules.csv, in order (times HH:MM)."""

ASSIGNED, NOT_ARRANGED = "planned", "not arranged"
"""Values of the ``status`` column."""


def customer_schedule_rows(caseload: Caseload, rota: Rota) -> list[dict]:
    """One dict per visit instance, keyed by ``SCHEDULE_COLUMNS`` (see the module docstring)."""
    rows_by_visit: dict[str, list] = defaultdict(list)
    for row in rota.assignments:
        if row.worker_id in caseload.worker_by_id:
            rows_by_visit[row.visit_id].append(row)
    familiar = familiar_workers(caseload)
    order = {c.customer_id: i for i, c in enumerate(caseload.customers)}
    out = []
    for instance in caseload.instances:
        rows = rows_by_visit.get(instance.id, [])
        day_minute = instance.preferred_start - instance.day * MINUTES_PER_DAY
        start = min((r.start for r in rows), default=day_minute)
        end = max((r.end for r in rows), default=day_minute + instance.duration_min)
        workers = sorted({r.worker_id for r in rows})
        known = familiar.get(instance.customer_id, set())
        date = day_date(caseload, instance.day)
        out.append({
            "customer_id": instance.customer_id,
            "customer_name": caseload.customer_by_id[instance.customer_id].name,
            "address": customer_place(caseload, instance.customer_id),
            "day": DAYS[instance.day],
            "date": "" if date is None else date.isoformat(),
            "start": clock(start),
            "end": clock(end),
            "visit_id": instance.id,
            "type": instance.type,
            "workers": " and ".join(worker_name(caseload, w) for w in workers),
            "worker_ids": ";".join(workers),
            "new_workers": ";".join(w for w in workers if known and w not in known),
            "status": ASSIGNED if rows else NOT_ARRANGED,
            "_sort": (order[instance.customer_id], instance.day, start, instance.id),
        })
    out.sort(key=lambda row: row.pop("_sort"))
    return out


def familiar_workers(caseload: Caseload) -> dict[str, set[str]]:
    """Customer id -> workers of last week's rota and named regulars (customers with any)."""
    known: dict[str, set[str]] = defaultdict(set)
    for row in caseload.previous_rota:
        known[row.customer_id].add(row.worker_id)
    for customer_id, worker_id in caseload.regular_pairs:
        known[customer_id].add(worker_id)
    return dict(known)


def customer_schedules_csv(caseload: Caseload, rota: Rota) -> str:
    """customer_schedules.csv as text."""
    return csv_text(customer_schedule_rows(caseload, rota), SCHEDULE_COLUMNS)


# ----------------------------------------------------------------------------- HTML


LETTER_CSS = """
body { font: 15px/1.45 system-ui, sans-serif; margin: 16px; color: #111; }
section.letter { border: 1px solid #bbb; border-radius: 6px; padding: 12px 16px; margin: 0 0 18px; }
section.letter h2 { font-size: 18px; margin: 0 0 2px; }
p.address { margin: 0 0 10px; color: #444; }
table { border-collapse: collapse; min-width: 60%; }
th, td { border-bottom: 1px solid #ddd; padding: 4px 8px; text-align: left; }
th { background: #f1f1f1; }
td.pending { color: #a00; font-weight: 600; }
@page { size: A4; margin: 15mm; }
@media print {
  body { margin: 0; }
  section.letter { border: none; padding: 0; break-after: page; page-break-after: always; }
  section.letter:last-child { break-after: auto; page-break-after: auto; }
}
"""


def customer_schedules_html(caseload: Caseload, rota: Rota) -> str:
    """A printable page: per customer, the week's visits with times and workers' names."""
    by_customer: dict[str, list[dict]] = defaultdict(list)
    for row in customer_schedule_rows(caseload, rota):
        by_customer[row["customer_id"]].append(row)
    week = _week_text(caseload)
    sections = [_letter(caseload, customer_id, rows, week)
                for customer_id, rows in by_customer.items()]
    title = f"Customer schedules: {caseload.name}" if caseload.name else "Customer schedules"
    body = "\n".join(sections) or "<p>No visits in this caseload.</p>"
    return html_page(title, LETTER_CSS, f"<h1>{escape(title)}</h1>\n{body}")


def _week_text(caseload: Caseload) -> str:
    if caseload.week_start is None:
        return "this week"
    start = caseload.week_start
    return f"the week starting Monday {start.day} {start:%B %Y}"


def _letter(caseload: Caseload, customer_id: str, rows: list[dict], week: str) -> str:
    customer = caseload.customer_by_id[customer_id]
    workers = {w for row in rows for w in row["worker_ids"].split(";") if w}
    lines = "".join(_letter_row(caseload, row) for row in rows)
    count = f"{len(workers)} care worker{'s' if len(workers) != 1 else ''}"
    return (
        f"<section class=\"letter\" data-customer=\"{escape(customer_id)}\">"
        f"<h2>{escape(customer.name or customer_id)} ({escape(customer_id)})</h2>"
        f"<p class=\"address\">{escape(customer_place(caseload, customer_id))}</p>"
        f"<p>Your visits for {escape(week)}, from {count}:</p>"
        "<table><thead><tr><th>Day</th><th>Time</th><th>Who is coming</th><th>Visit</th>"
        f"</tr></thead><tbody>{lines}</tbody></table></section>"
    )


def _letter_row(caseload: Caseload, row: dict) -> str:
    """One visit of the letter: day, time, who (workers new to the customer marked)."""
    new = set(row["new_workers"].split(";"))
    who = " and ".join(worker_name(caseload, w) + (" (new to you)" if w in new else "")
                       for w in row["worker_ids"].split(";") if w)
    css = "" if who else " class=\"pending\""
    day = day_label(caseload, DAYS.index(row["day"]))
    return (f"<tr><td>{escape(day)}</td><td>{row['start']}-{row['end']}</td>"
            f"<td{css}>{escape(who or 'to be confirmed')}</td>"
            f"<td>{escape(row['type'])}</td></tr>")
