"""What coordinators and care workers see: run sheets, customer schedules, calendars, the change
list and the rota board, written from any rota folder (ours or another tool's in FORMAT.md's
format). Leaf modules: they read a caseload and a rota and never trigger a solve.

==========================  =============================================================
file                        module
==========================  =============================================================
runsheets.csv, .html        scheduler.report.runsheets: each worker's day, in order
customer_schedules.csv, .html  scheduler.report.customers: who is coming when, per customer
calendars/<worker>.ics      scheduler.report.calendars: one iCalendar file per worker
changes.csv                 scheduler.report.changes: visits whose worker or start changed
board.html                  scheduler.report.board: the self-contained rota board
==========================  =============================================================

docs/reports.md describes every output.
"""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path
from typing import Any

from models import Caseload, Rota
from scheduler.report.board import board_data, board_html
from scheduler.report.calendars import CalendarError, calendar_file_name, worker_calendars
from scheduler.report.changes import changes_csv
from scheduler.report.common import write_text
from scheduler.report.customers import customer_schedules_csv, customer_schedules_html
from scheduler.report.runsheets import runsheets_csv, runsheets_html
from scheduler.runs import build_runs
from scheduler.validate import Violation

logger = logging.getLogger(__name__)

CALENDAR_DIR = "calendars"
"""Sub-folder of the rota folder holding one .ics file per worker."""


def write_reports(
    caseload: Caseload,
    rota: Rota,
    kpis: dict[str, Any],
    out_dir: str | Path,
    *,
    violations: list[Violation] | None = None,
    stamp: dt.datetime | None = None,
) -> list[Path]:
    """Write every report into a rota folder.

    Parameters
    ----------
    caseload, rota
        The plan and its rota (not re-validated here).
    kpis
        The kpis.json figures shown on the board.
    out_dir
        The rota folder; created when missing. Existing report files are replaced.
    violations
        The validator's findings for the rota; when not empty the board is marked INVALID.
        Default None (a valid rota).
    stamp
        When the calendars are issued (their DTSTAMP). Default: now, in UTC.

    Returns
    -------
    list[Path]
        The files written. Calendars are left out (with a logged warning) when the caseload has
        no ``week_start``; .ics files of ``calendars/`` that this run did not write (workers
        without visits now) are deleted.
    """
    out = Path(out_dir)
    runs = build_runs(caseload, rota)
    texts = {
        "runsheets.csv": runsheets_csv(caseload, rota, runs),
        "runsheets.html": runsheets_html(caseload, rota, runs),
        "customer_schedules.csv": customer_schedules_csv(caseload, rota),
        "customer_schedules.html": customer_schedules_html(caseload, rota),
        "changes.csv": changes_csv(caseload, rota),
        "board.html": board_html(
            board_data(caseload, rota, kpis, violations=violations, runs=runs)),
    }
    written = [write_text(out / name, text) for name, text in texts.items()]
    return written + _write_calendars(caseload, rota, out, stamp, runs)


def _write_calendars(caseload, rota, out: Path, stamp, runs) -> list[Path]:
    stamp = stamp or dt.datetime.now(dt.UTC).replace(microsecond=0)
    try:
        calendars = worker_calendars(caseload, rota, stamp=stamp, runs=runs)
    except CalendarError as exc:
        logger.warning("no calendars written: %s", exc)
        return []
    folder = out / CALENDAR_DIR
    written = [write_text(folder / calendar_file_name(worker_id), text)
               for worker_id, text in calendars.items()]
    for stale in set(folder.glob("*.ics")) - set(written):
        stale.unlink()  # a worker with no visits now must not keep last run's calendar
    return written
