"""Reading and writing a rota folder of FORMAT.md: rota.csv, unassigned.csv, kpis.json."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, NamedTuple

import pandas as pd

from models import Assignment, Rota, UnassignedVisit
from scheduler.io.errors import CaseloadError, InputProblem
from scheduler.io.files import write_text
from scheduler.io.tables import TableSpec, parse_rows, read_csv_records

ROTA_FILE = "rota.csv"
UNASSIGNED_FILE = "unassigned.csv"
KPIS_FILE = "kpis.json"
ROTA_COLUMNS = tuple(Assignment.model_fields)
UNASSIGNED_COLUMNS = tuple(UnassignedVisit.model_fields)


def sorted_assignments(assignments: tuple[Assignment, ...] | list[Assignment]) -> list[Assignment]:
    """Rows grouped by worker, then by day (Mon..Sun) and start, as FORMAT.md orders rota.csv."""
    return sorted(assignments, key=lambda a: (a.worker_id, a.day, a.start, a.visit_id))


def rota_frames(rota: Rota) -> tuple[pd.DataFrame, pd.DataFrame]:
    """rota.csv and unassigned.csv as data frames, in file order."""
    rows = [a.model_dump(mode="json") for a in sorted_assignments(rota.assignments)]
    for row in rows:
        row["travel_km"] = round(row["travel_km"], 3)
    unassigned = sorted(
        rota.unassigned, key=lambda u: (u.day, u.start, u.customer_id, u.visit_id)
    )
    return (
        pd.DataFrame(rows, columns=list(ROTA_COLUMNS)),
        pd.DataFrame([u.model_dump(mode="json") for u in unassigned],
                     columns=list(UNASSIGNED_COLUMNS)),
    )


def write_rota(rota: Rota, folder: str | Path, kpis: dict[str, Any] | None = None) -> None:
    """Write rota.csv, unassigned.csv and (if given) kpis.json, each file atomically."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    rows, unassigned = rota_frames(rota)
    write_text(folder / ROTA_FILE, rows.to_csv(index=False))
    write_text(folder / UNASSIGNED_FILE, unassigned.to_csv(index=False))
    if kpis is not None:
        write_text(folder / KPIS_FILE, json.dumps(kpis, indent=1) + "\n")


class RotaFolder(NamedTuple):
    """A rota folder as read: the rota, its kpis.json (None when absent) and the spreadsheet
    row number of each data row of rota.csv and unassigned.csv, by file name (blank lines a
    hand edit may have left are skipped but counted)."""

    rota: Rota
    kpis: dict[str, Any] | None
    row_numbers: dict[str, list[int]]


def read_rota(folder: str | Path) -> RotaFolder:
    """Read a rota folder (ours or another tool's) and its kpis.json if present.

    Raises
    ------
    CaseloadError
        With every problem found in rota.csv and unassigned.csv.
    """
    folder = Path(folder)
    problems: list[InputProblem] = []
    tables = {}
    row_numbers = {}
    for name, model in ((ROTA_FILE, Assignment), (UNASSIGNED_FILE, UnassignedVisit)):
        path = folder / name
        if not path.is_file():
            problems.append(InputProblem(str(path), None, "", "missing_file", "file not found"))
            continue
        columns, records, row_numbers[name] = read_csv_records(path)
        parsed = parse_rows(TableSpec(name, name, model), records, columns, str(path),
                            row_numbers[name].__getitem__)
        problems += parsed.problems
        tables[name] = tuple(parsed.rows)
    kpis = None
    kpi_path = folder / KPIS_FILE
    if kpi_path.is_file():
        try:
            kpis = json.loads(kpi_path.read_text(encoding="utf-8"))
        except ValueError as exc:
            problems.append(InputProblem(str(kpi_path), None, "", "bad_json", f"not JSON: {exc}"))
    if problems:
        raise CaseloadError(problems)
    rota = Rota(assignments=tables[ROTA_FILE], unassigned=tables[UNASSIGNED_FILE])
    return RotaFolder(rota, kpis, row_numbers)
