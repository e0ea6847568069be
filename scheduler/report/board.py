"""The rota board: one self-contained HTML page (inline CSS, JS and SVG; no network; opens from
disk) showing the week as a coordinator works with it.

``board_data`` gathers everything the page shows as plain JSON-ready data; ``board_html`` embeds
it in the page (``<script type="application/json" id="board-data">``) next to a small vanilla
script (scheduler/report/board_assets.py) that draws:

- a day-by-day Gantt chart with one lane per worker: availability as pale bands, visits as blocks
  coloured by customer or by visit type, travel as thin bars before each visit (and home after
  the last), double-handed visits outlined and linked across lanes, unassigned visits in a lane
  of their own;
- the KPI panel, the unassigned list with reasons, the change list (by customer: who to phone;
  by worker: gained, lost, moved), a customer view (who comes when), a map of a worker's runs
  for a day drawn from coordinates, and charts: workload per worker (contact, travel, waiting),
  demand against staffed capacity by hour of day, and continuity (distinct workers per customer);
- a red INVALID banner listing the validator's findings when the rota breaks a rule.
"""

from __future__ import annotations

import json
from html import escape
from typing import Any

from models import DAYS, MINUTES_PER_DAY, Caseload, Rota
from scheduler.report.board_assets import BOARD_CSS, BOARD_JS
from scheduler.report.changes import change_list, change_rows, changes_by_worker
from scheduler.report.common import day_label, visit_lines
from scheduler.report.plots import continuity_distribution, demand_by_hour, workload_by_worker
from scheduler.runs import Run, build_runs
from scheduler.validate import Violation

CONTENT_SECURITY_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:"
)
"""Inline styles and scripts only: the page can fetch nothing, from the network or the disk."""

MAX_VIOLATIONS_LISTED = 200
"""Violations embedded in the page; the banner states the full count."""


def board_data(
    caseload: Caseload,
    rota: Rota,
    kpis: dict[str, Any],
    *,
    violations: list[Violation] | None = None,
    runs: tuple[Run, ...] | None = None,
) -> dict[str, Any]:
    """Everything the board shows, as JSON-serialisable data.

    Parameters
    ----------
    caseload, rota
        The plan and its rota.
    kpis
        The kpis.json figures.
    violations
        The validator's findings; None or empty = a valid rota.
    runs
        ``build_runs(caseload, rota)`` when the caller has it.

    Returns
    -------
    dict[str, Any]
        Keys ``meta``, ``workers``, ``customers``, ``visits``, ``stops``, ``unassigned``,
        ``kpis``, ``changes``, ``changesByWorker``, ``plots``. Times are minutes after midnight
        of the row's day, durations minutes, legs minutes and km.
    """
    runs = runs if runs is not None else build_runs(caseload, rota)
    violations = violations or []
    return {
        "meta": _meta(caseload, violations),
        "workers": _workers(caseload),
        "customers": _customers(caseload),
        "visits": _visits(caseload),
        "stops": _stops(caseload, rota, runs),
        "unassigned": _unassigned(caseload, rota),
        "kpis": kpis,
        **_changes(caseload, rota),
        "plots": {
            "workload": workload_by_worker(caseload, runs),
            "demand": demand_by_hour(caseload, runs),
            "continuity": continuity_distribution(caseload, runs),
        },
    }


def _meta(caseload: Caseload, violations: list[Violation]) -> dict[str, Any]:
    return {
        "title": caseload.name or "Rota",
        "weekStart": caseload.week_start.isoformat() if caseload.week_start else None,
        "days": [day_label(caseload, d) for d in range(7)],
        "dayNames": list(DAYS),
        "currency": caseload.costs.currency,
        "valid": not violations,
        "violationCount": len(violations),
        "violations": [{"rule": v.rule, "text": v.text(), "visit": v.entities.get("visit"),
                        "worker": v.entities.get("worker")}
                       for v in violations[:MAX_VIOLATIONS_LISTED]],
        "hasPrevious": bool(caseload.previous_rota),
    }


def _workers(caseload: Caseload) -> list[dict[str, Any]]:
    shifts: dict[str, list[list[int]]] = {w.worker_id: [] for w in caseload.workers}
    for s in caseload.shifts:
        base = s.day * MINUTES_PER_DAY
        shifts[s.worker_id].append([s.day, s.start - base, s.end - base])
    return [{"id": w.worker_id, "name": w.name, "transport": w.transport, "lat": w.lat,
             "lon": w.lon, "skills": list(w.skills), "shifts": shifts[w.worker_id]}
            for w in caseload.workers]


def _customers(caseload: Caseload) -> list[dict[str, Any]]:
    return [{"id": c.customer_id, "name": c.name, "address": c.address, "zone": c.zone,
             "lat": c.lat, "lon": c.lon, "cap": caseload.team_cap(c.customer_id)}
            for c in caseload.customers]


def _visits(caseload: Caseload) -> dict[str, dict[str, Any]]:
    out = {}
    for v in caseload.instances:
        template = caseload.template_by_id[v.template_id]
        out[v.id] = {"c": v.customer_id, "day": v.day,
                     "pref": v.preferred_start - v.day * MINUTES_PER_DAY,
                     "dur": v.duration_min, "req": v.workers_required, "type": v.type,
                     "priority": v.priority, "skills": list(v.skills), "notes": template.notes}
    return out


def _stops(caseload: Caseload, rota: Rota, runs: tuple[Run, ...]) -> list[dict[str, Any]]:
    return [{"v": line.visit_id, "w": line.worker_id, "c": line.customer_id, "day": line.day,
             "s": line.start, "e": line.end, "tm": line.travel_min,
             "tk": round(line.travel_km, 2), "hm": line.home_min,
             "hk": None if line.home_km is None else round(line.home_km, 2),
             "run": line.run, "order": line.order, "partners": list(line.partners),
             "ok": line.in_shift}
            for line in visit_lines(caseload, rota, runs)]


def _unassigned(caseload: Caseload, rota: Rota) -> list[dict[str, Any]]:
    rows = []
    for u in sorted(rota.unassigned, key=lambda u: (u.day, u.start, u.customer_id, u.visit_id)):
        instance = caseload.instance_by_id.get(u.visit_id)
        rows.append({"v": u.visit_id, "c": u.customer_id, "day": u.day, "s": u.start,
                     "dur": instance.duration_min if instance else 0,
                     "priority": instance.priority if instance else "",
                     "type": instance.type if instance else "", "reason": u.reason})
    return rows


def _changes(caseload: Caseload, rota: Rota) -> dict[str, Any]:
    changes = change_list(caseload, rota)
    by_worker = {
        worker_id: {kind: [c.visit_id for c in items] for kind, items in groups.items()}
        for worker_id, groups in changes_by_worker(changes).items()
    }
    return {"changes": change_rows(caseload, changes), "changesByWorker": by_worker}


def board_html(data: dict[str, Any]) -> str:
    """The board page for ``board_data(...)``: one HTML document, no external resources.

    A Content-Security-Policy forbids every network request, so the page works offline and
    leaks nothing; the data is embedded as JSON (``<``, ``>`` and ``&`` escaped).
    """
    payload = (json.dumps(data, separators=(",", ":"), ensure_ascii=False)
               .replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))
    title = escape(data["meta"]["title"])
    return BOARD_TEMPLATE.format(title=title, csp=CONTENT_SECURITY_POLICY, css=BOARD_CSS,
                                 data=payload, js=BOARD_JS)


BOARD_TEMPLATE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="{csp}">
<link rel="icon" href="data:,">
<title>{title}: rota board</title>
<style>{css}</style>
</head>
<body>
<header id="top"><h1 id="title">{title}</h1><div id="subtitle"></div></header>
<div id="invalid" hidden></div>
<nav id="nav"></nav>
<main id="board"><noscript>This board needs JavaScript to draw the rota.</noscript></main>
<pre id="board-errors" hidden></pre>
<script id="board-data" type="application/json">{data}</script>
<script>{js}</script>
</body></html>
"""
"""The page; ``{css}``, ``{js}`` and ``{data}`` are filled in by ``board_html``."""
