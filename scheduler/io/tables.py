"""The caseload tables: their files, row models and required columns, and turning raw rows
(CSV cells or JSON objects) into validated row models with located problems."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
from pydantic import BaseModel, ValidationError

from models import (
    Assignment,
    AvailabilityRow,
    Customer,
    Pin,
    Preference,
    TravelOverride,
    VisitTemplate,
    Worker,
)
from scheduler.io.errors import InputProblem


@dataclass(frozen=True)
class TableSpec:
    """One caseload table: the Caseload field, its default file and its row model."""

    field: str
    file: str
    model: type[BaseModel]
    id_column: str | None = None
    optional: bool = False

    @property
    def required_columns(self) -> tuple[str, ...]:
        return tuple(name for name, f in self.model.model_fields.items() if f.is_required())


TABLES: dict[str, TableSpec] = {
    "customers": TableSpec("customers", "customers.csv", Customer, "customer_id"),
    "visits": TableSpec("visits", "visits.csv", VisitTemplate, "visit_id"),
    "workers": TableSpec("workers", "workers.csv", Worker, "worker_id"),
    "availability": TableSpec("availability", "availability.csv", AvailabilityRow),
    "preferences": TableSpec("preferences", "preferences.csv", Preference, optional=True),
    "previous_rota": TableSpec(
        "previous_rota", "previous_rota.csv", Assignment, optional=True
    ),
    "travel": TableSpec("travel_matrix", "travel.csv", TravelOverride, optional=True),
    "pinned": TableSpec("pinned", "pinned.csv", Pin, optional=True),
}
"""Table key (as in caseload.yaml ``tables:``) -> spec."""

MONEY_FIELDS = frozenset(
    {"pay_per_hour", "mileage_per_km", "weekend_premium_pct", "weekend_premium_per_hour",
     "fee_per_hour"}
)


@dataclass
class ParsedTable:
    """Row models read from one table, the row number of each, and the problems found."""

    rows: list[BaseModel] = field(default_factory=list)
    row_numbers: list[int] = field(default_factory=list)
    problems: list[InputProblem] = field(default_factory=list)
    failed_ids: set[str] = field(default_factory=set)


def read_csv_records(path: Path) -> tuple[list[str], list[dict[str, str]], list[int]]:
    """Read a CSV as stripped strings (ids like ``007`` stay intact; a BOM is ignored).

    Returns the columns, the records and each record's spreadsheet row number (the header is
    row 1, after any blank lines above it). Rows whose every cell is empty (a blank line, or
    ``,,,`` from a spreadsheet) are skipped, but still counted, so the numbers match what the
    coordinator's spreadsheet shows.
    """
    text = path.read_text(encoding="utf-8-sig")
    lines = text.splitlines()
    above = next((i for i, line in enumerate(lines) if line.strip()), len(lines))
    frame = pd.read_csv(
        io.StringIO(text), dtype=str, keep_default_na=False, skiprows=above,
        skip_blank_lines=False,
    )
    frame.columns = [str(c).strip() for c in frame.columns]
    records, row_numbers = [], []
    for i, record in enumerate(frame.to_dict("records")):
        cells = {key: str(value).strip() for key, value in record.items()}
        if any(cells.values()):
            records.append(cells)
            row_numbers.append(above + i + 2)
    return list(frame.columns), records, row_numbers


def parse_rows(
    spec: TableSpec,
    records: list[dict[str, Any]],
    columns: list[str] | None,
    file: str,
    row_number: Callable[[int], int],
) -> ParsedTable:
    """Validate each record against the table's row model; empty cells take the defaults."""
    out = ParsedTable()
    present = set(columns) if columns is not None else {k for r in records for k in r}
    missing = [c for c in spec.required_columns if c not in present]
    if missing and (columns is not None or records):  # an empty JSON list lacks no column
        hint = ""
        if columns and any(";" in c for c in columns):
            hint = " (the header holds ';': save the file as comma-separated CSV)"
        out.problems.append(
            InputProblem(file, None, ", ".join(missing), "missing_column",
                         f"missing required column(s) {', '.join(missing)}{hint}")
        )
        return out
    known = spec.model.model_fields
    for i, record in enumerate(records):
        cells = {k: v for k, v in record.items() if k in known and v not in ("", None)}
        try:
            out.rows.append(spec.model.model_validate(cells))
            out.row_numbers.append(row_number(i))
        except ValidationError as exc:
            out.problems += problems_from_validation(exc, file, row_number(i), record)
            if spec.id_column and record.get(spec.id_column):
                out.failed_ids.add(str(record[spec.id_column]).strip())
    return out


def problems_from_validation(
    exc: ValidationError, file: str, row: int | None, record: dict | None = None,
    prefix: str = "",
) -> list[InputProblem]:
    """Translate pydantic errors into located problems with a rule id and a plain message."""
    problems = []
    for error in exc.errors():
        loc = [str(part) for part in error["loc"] if not isinstance(part, int)]
        ctx = error.get("ctx") or {}
        column = str(ctx.get("column") or ".".join(loc))  # speed_kmh.car, weights.travel
        value = error.get("input")
        if record is not None and column in record:
            value = record[column]
        rule, message = _describe(error["type"], column, value, ctx, error["msg"])
        problems.append(InputProblem(file, row, prefix + column, rule, message))
    return problems


def _describe(kind: str, column: str, value: Any, ctx: dict, msg: str) -> tuple[str, str]:
    """(rule id, message) for one pydantic error type."""
    if kind == "missing":
        return "missing_value", "empty, but a value is required"
    if kind == "finite_number":
        return "finite_number", f"not a finite number: {value!r}"
    if kind in ("int_parsing", "int_from_float") and _is_number(value):
        return "not_whole", f"not a whole number: {value!r}"
    if kind in ("float_parsing", "int_parsing", "float_type", "int_type"):
        return "not_a_number", f"not a number: {value!r}"
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        return _range_problem(kind, column, value, ctx)
    if kind == "literal_error":
        return f"bad_{column or 'value'}", f"{value!r} is not one of {ctx.get('expected', '')}"
    if kind == "bool_parsing":
        return "not_a_boolean", f"not true/false: {value!r}"
    if kind.startswith("date"):
        return "bad_date", f"not a date (YYYY-MM-DD): {value!r}"
    if kind == "extra_forbidden":
        return "unknown_key", f"unknown key {column!r}"
    return kind, msg[0].lower() + msg[1:] if msg else kind


def _is_number(value: Any) -> bool:
    try:
        float(value)
    except (TypeError, ValueError):
        return False
    return True


def _range_problem(kind: str, column: str, value: Any, ctx: dict) -> tuple[str, str]:
    if column in ("lat", "lon"):
        limit = 90 if column == "lat" else 180
        return f"{column}_range", f"{value} is outside [-{limit}, {limit}]"
    if column in MONEY_FIELDS:
        return "negative_money", f"{value} is negative; money must be >= 0"
    bound = next((ctx[k] for k in ("ge", "gt", "le", "lt") if k in ctx), "")
    words = {"greater_than_equal": ">=", "greater_than": ">", "less_than_equal": "<=",
             "less_than": "<"}[kind]
    return "out_of_range", f"{value} must be {words} {bound}"
