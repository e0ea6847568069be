"""Run sheets: what each care worker does each day, in order, as CSV and as a printable page.

One row per visit: time, customer, address and zone, the visit's type and tasks (visits.csv
``type`` and ``notes``), duration, the leg before it (minutes, km, as rota.csv records it) and
notes (double-handed: with whom; skills needed; critical visits; rows outside availability).
The last visit of each run also carries the leg home (modelled). The HTML page has one section
per worker-day and starts each on a new printed page.
"""

from __future__ import annotations

from html import escape

from models import DAYS, MINUTES_PER_DAY, Caseload, Rota, Shift
from scheduler.report.common import (
    VisitLine,
    clock,
    csv_text,
    customer_name,
    customer_place,
    day_date,
    day_label,
    hours_text,
    html_page,
    lines_by_worker_day,
    visit_lines,
    worker_name,
)
from scheduler.runs import Run, shifts_by_worker_day

RUNSHEET_COLUMNS = (
    "worker_id", "worker_name", "day", "date", "run", "order", "visit_id", "start", "end",
    "duration_min",
    "customer_id", "customer_name", "address", "zone", "type", "tasks", "travel_min",
    "travel_km", "notes", "then_home_min", "then_home_km",
)
"""Columns of runsheets.csv, in order (times HH:MM, durations and legs in minutes and km)."""

SEP = " \u00b7 "
"""Separator between the facts of one line on the printed sheet (a middle dot)."""


def runsheet_rows(
    caseload: Caseload, rota: Rota, runs: tuple[Run, ...] | None = None
) -> list[dict]:
    """One dict per visit row of the rota, keyed by ``RUNSHEET_COLUMNS``.

    Rows are ordered by worker id, day and start. ``run`` numbers a worker's runs of the day
    (2 = the second part of a split shift); ``then_home_*`` is filled on a run's last visit only.
    """
    return [_row(caseload, line) for line in visit_lines(caseload, rota, runs)]


def _row(caseload: Caseload, line: VisitLine) -> dict:
    instance = caseload.instance_by_id[line.visit_id]
    template = caseload.template_by_id[instance.template_id]
    customer = caseload.customer_by_id[line.customer_id]
    date = day_date(caseload, line.day)
    return {
        "worker_id": line.worker_id,
        "worker_name": worker_name(caseload, line.worker_id),
        "day": DAYS[line.day],
        "date": "" if date is None else date.isoformat(),
        "run": line.run,
        "order": line.order,
        "visit_id": line.visit_id,
        "start": clock(line.start),
        "end": clock(line.end),
        "duration_min": line.duration_min,
        "customer_id": line.customer_id,
        "customer_name": customer.name,
        "address": customer_place(caseload, line.customer_id),
        "zone": customer.zone,
        "type": template.type,
        "tasks": template.notes,
        "travel_min": line.travel_min,
        "travel_km": round(line.travel_km, 2),
        "notes": "; ".join(visit_notes(caseload, line)),
        "then_home_min": "" if line.home_min is None else line.home_min,
        "then_home_km": "" if line.home_km is None else round(line.home_km, 2),
    }


def visit_notes(caseload: Caseload, line: VisitLine) -> list[str]:
    """What the worker should know beyond time and place, most important first."""
    instance = caseload.instance_by_id[line.visit_id]
    notes = []
    if line.partners:
        names = " and ".join(f"{worker_name(caseload, w)} ({w})" for w in line.partners)
        notes.append(f"double-handed with {names}")
    elif instance.workers_required > 1:
        notes.append("double-handed: second worker not assigned")
    if instance.skills:
        notes.append("needs " + ", ".join(instance.skills))
    if instance.priority == "critical":
        notes.append("critical visit")
    if not line.in_shift:
        notes.append("outside your availability: check with the office")
    return notes


def runsheets_csv(caseload: Caseload, rota: Rota, runs: tuple[Run, ...] | None = None) -> str:
    """runsheets.csv as text (header + one row per visit row)."""
    return csv_text(runsheet_rows(caseload, rota, runs), RUNSHEET_COLUMNS)


# ----------------------------------------------------------------------------- HTML


SHEET_CSS = """
body { font: 14px/1.35 system-ui, sans-serif; margin: 16px; color: #111; }
h1 { font-size: 20px; margin: 0 0 12px; }
section.sheet { border: 1px solid #bbb; border-radius: 6px; padding: 10px 14px; margin: 0 0 18px; }
section.sheet h2 { font-size: 17px; margin: 0 0 4px; }
p.meta { margin: 0 0 8px; color: #444; }
table { border-collapse: collapse; width: 100%; }
th, td { border-bottom: 1px solid #ddd; padding: 4px 6px; text-align: left; vertical-align: top; }
th { background: #f1f1f1; font-weight: 600; }
td.num { text-align: right; white-space: nowrap; }
td.time { white-space: nowrap; font-weight: 600; }
tr.home td { color: #555; font-style: italic; background: #fafafa; }
.warn { color: #a00; font-weight: 600; }
@page { size: A4; margin: 12mm; }
@media print {
  body { margin: 0; font-size: 12px; }
  section.sheet { border: none; padding: 0; margin: 0;
    break-after: page; page-break-after: always; }
  section.sheet:last-child { break-after: auto; page-break-after: auto; }
  tr { break-inside: avoid; page-break-inside: avoid; }
}
"""


def runsheets_html(caseload: Caseload, rota: Rota, runs: tuple[Run, ...] | None = None) -> str:
    """A printable page of run sheets: one section (one printed page) per worker-day."""
    days = lines_by_worker_day(visit_lines(caseload, rota, runs))
    shifts = shifts_by_worker_day(caseload)
    sections = [_sheet(caseload, key, lines, shifts.get(key, [])) for key, lines in days.items()]
    title = f"Run sheets: {caseload.name}" if caseload.name else "Run sheets"
    body = "\n".join(sections) or "<p>No visits in this rota.</p>"
    return html_page(title, SHEET_CSS, f"<h1>{escape(title)}</h1>\n{body}")


def _sheet(
    caseload: Caseload, key: tuple[str, int], lines: list[VisitLine], shifts: list[Shift]
) -> str:
    worker_id, day = key
    worker = caseload.worker_by_id[worker_id]
    base = day * MINUTES_PER_DAY
    hours = ", ".join(f"{clock(s.start - base)}-{clock(s.end - base)}" for s in shifts) or "none"
    contact = sum(line.duration_min for line in lines)
    travel = sum(line.travel_min + (line.home_min or 0) for line in lines)
    km = sum(line.travel_km + (line.home_km or 0.0) for line in lines)
    visits = f"{len(lines)} visit{'s' if len(lines) != 1 else ''}"
    meta = SEP.join((f"Available {hours}", visits, f"with customers {hours_text(contact)}",
                     f"travel {hours_text(travel)}, {km:.1f} km", f"by {worker.transport}"))
    rows = "\n".join(_sheet_rows(caseload, lines))
    heading = f"{worker_name(caseload, worker_id)} ({worker_id}){SEP}{day_label(caseload, day)}"
    return (
        f"<section class=\"sheet\" data-worker=\"{escape(worker_id)}\" data-day=\"{day}\">"
        f"<h2>{escape(heading)}</h2><p class=\"meta\">{escape(meta)}</p>\n<table>"
        "<thead><tr><th>Time</th><th>Customer</th><th>Address / zone</th><th>Tasks</th>"
        "<th>Minutes</th><th>Travel before</th><th>Notes</th></tr></thead>\n"
        f"<tbody>\n{rows}\n</tbody></table></section>"
    )


def _sheet_rows(caseload: Caseload, lines: list[VisitLine]) -> list[str]:
    out = []
    for line in lines:
        row = _row(caseload, line)
        place = row["address"] + (f"{SEP}zone {row['zone']}" if row["zone"] else "")
        tasks = SEP.join(dict.fromkeys(t for t in (row["type"], row["tasks"]) if t))
        notes = row["notes"]
        warn = " class=\"warn\"" if not line.in_shift else ""
        out.append(
            f"<tr><td class=\"time\">{row['start']}-{row['end']}</td>"
            f"<td>{escape(customer_name(caseload, line.customer_id))} "
            f"({escape(line.customer_id)})</td><td>{escape(place)}</td>"
            f"<td>{escape(tasks)}</td><td class=\"num\">{line.duration_min}</td>"
            f"<td class=\"num\">{line.travel_min} min, {line.travel_km:.1f} km</td>"
            f"<td{warn}>{escape(notes)}</td></tr>"
        )
        if line.home_min is not None:
            out.append(
                f"<tr class=\"home\"><td></td><td colspan=\"4\">back home</td>"
                f"<td class=\"num\">{line.home_min} min, {line.home_km:.1f} km</td>"
                "<td></td></tr>"
            )
    return out
