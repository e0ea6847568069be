"""Reading and writing a caseload: a folder (caseload.yaml + CSV tables) or one JSON file.

Every problem of the input is collected and raised together as a CaseloadError naming file,
row, column and rule; legal but doubtful input gives CaseloadWarning. The JSON file is the
Caseload model dump: caseload.yaml's keys plus one list of row objects per table, with the CSV
column names (``travel`` holds the model settings, ``travel_matrix`` the travel.csv rows).
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path
from typing import Any

import pandas as pd
import yaml
from pydantic import BaseModel, ValidationError

from models import Caseload, Costs, Policy, TravelSettings
from models.checks import Finding, cross_check
from scheduler.io.errors import CaseloadError, CaseloadWarning, InputProblem
from scheduler.io.files import write_text
from scheduler.io.tables import (
    TABLES,
    ParsedTable,
    TableSpec,
    parse_rows,
    problems_from_validation,
    read_csv_records,
)

YAML_FILE = "caseload.yaml"
SECTIONS: dict[str, type[BaseModel]] = {
    "travel": TravelSettings,
    "policy": Policy,
    "costs": Costs,
}
TOP_LEVEL_KEYS = frozenset({"name", "week_start", "weights", "tables", *SECTIONS})


class _Collector:
    """Problems and warnings gathered while reading one caseload."""

    def __init__(self) -> None:
        self.problems: list[InputProblem] = []
        self.warnings: list[InputProblem] = []

    def warn(self, problem: InputProblem) -> None:
        self.warnings.append(problem)


# ----------------------------------------------------------------------------- reading


def read_caseload(path: str | Path) -> Caseload:
    """Read a caseload folder, its caseload.yaml, or a caseload JSON file.

    Raises
    ------
    CaseloadError
        With every problem found (file, row, column, rule, message).
    """
    path = Path(path)
    if path.is_file() and path.suffix.lower() == ".json":
        return _read_json(path)
    if path.is_file() and path.suffix.lower() in (".yaml", ".yml"):
        return _read_folder(path.parent, path)
    if path.is_dir():
        return _read_folder(path, path / YAML_FILE)
    raise CaseloadError(
        [InputProblem(str(path), None, "", "missing_file", "caseload folder or file not found")]
    )


def locate_entry(path: str | Path, key: str, index: int) -> tuple[str, int]:
    """(file, row) of entry ``index`` of table ``key`` in a caseload that has been read
    without errors: the spreadsheet row in the table's CSV file, or the position (from 1) in
    the JSON file's list."""
    path = Path(path)
    if path.is_file() and path.suffix.lower() == ".json":
        return f"{path}:{TABLES[key].field}", index + 1
    folder, yaml_path = (path, path / YAML_FILE) if path.is_dir() else (path.parent, path)
    found = _Collector()
    csv_path = folder / _table_names(_read_yaml(yaml_path, found), yaml_path, found)[key]
    return str(csv_path), read_csv_records(csv_path)[2][index]


def _read_folder(folder: Path, yaml_path: Path) -> Caseload:
    found = _Collector()
    config = _read_yaml(yaml_path, found)
    names = _table_names(config, yaml_path, found)
    parsed: dict[str, ParsedTable] = {}
    files: dict[str, str] = {}
    for key, spec in TABLES.items():
        path = folder / names[key]
        files[key] = str(path)
        if not path.is_file():
            if not spec.optional:
                found.problems.append(
                    InputProblem(str(path), None, "", "missing_file", "required file not found")
                )
            continue
        try:
            columns, records, row_numbers = read_csv_records(path)
        except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
            hint = "; save it as UTF-8 CSV" if isinstance(exc, UnicodeDecodeError) else ""
            found.problems.append(
                InputProblem(str(path), None, "", "bad_csv", f"cannot read as CSV: {exc}{hint}")
            )
            continue
        parsed[key] = parse_rows(spec, records, columns, str(path), row_numbers.__getitem__)
    return _assemble(config, str(yaml_path), parsed, files, found)


def _read_yaml(path: Path, found: _Collector) -> dict:
    if not path.is_file():
        found.problems.append(InputProblem(str(path), None, "", "missing_file", "file not found"))
        return {}
    try:
        config = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        found.problems.append(InputProblem(str(path), None, "", "bad_yaml", f"not YAML: {exc}"))
        return {}
    if not isinstance(config, dict):
        found.problems.append(
            InputProblem(str(path), None, "", "bad_yaml", "expected a mapping of settings")
        )
        return {}
    return config


def _table_names(config: dict, yaml_path: Path, found: _Collector) -> dict[str, str]:
    names = {key: spec.file for key, spec in TABLES.items()}
    given = config.get("tables") or {}
    if not isinstance(given, dict):
        found.problems.append(
            InputProblem(str(yaml_path), None, "tables", "bad_tables",
                         "'tables' must map a table name to a file name")
        )
        return names
    for key, value in given.items():
        if key in TABLES:
            names[key] = str(value)
        else:
            found.warn(InputProblem(str(yaml_path), None, f"tables.{key}", "unknown_key",
                                    f"unknown table {key!r} (known: {', '.join(TABLES)})"))
    return names


def _read_json(path: Path) -> Caseload:
    found = _Collector()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise CaseloadError([InputProblem(str(path), None, "", "bad_json", f"not JSON: {exc}")])
    if not isinstance(data, dict):
        raise CaseloadError(
            [InputProblem(str(path), None, "", "bad_json", "expected a JSON object")]
        )
    parsed: dict[str, ParsedTable] = {}
    files: dict[str, str] = {}
    for key, spec in TABLES.items():
        files[key] = f"{path}:{spec.field}"
        records = data.get(spec.field)
        if records is None:
            if not spec.optional:
                found.problems.append(
                    InputProblem(str(path), None, spec.field, "missing_table",
                                 f"no {spec.field!r} list")
                )
            continue
        if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
            found.problems.append(
                InputProblem(str(path), None, spec.field, "bad_json",
                             f"{spec.field!r} must be a list of row objects")
            )
            continue
        parsed[key] = parse_rows(spec, records, None, files[key], lambda i: i + 1)
    config = {k: v for k, v in data.items() if k not in {s.field for s in TABLES.values()}}
    return _assemble(config, str(path), parsed, files, found)


def _assemble(
    config: dict,
    config_file: str,
    parsed: dict[str, ParsedTable],
    files: dict[str, str],
    found: _Collector,
) -> Caseload:
    """Settings + parsed tables -> a cross-checked Caseload, or CaseloadError with all problems."""
    settings = _parse_settings(config, config_file, found)
    for table in parsed.values():
        found.problems += table.problems
    data: dict[str, Any] = dict(settings)
    for key, table in parsed.items():
        data[TABLES[key].field] = tuple(table.rows)
    caseload = Caseload.model_validate(data, context={"skip_cross_checks": True})
    failed_ids = {i for table in parsed.values() for i in table.failed_ids}
    unsure = _unsure_rules(parsed)
    for finding in cross_check(caseload):
        if finding.ref and finding.ref in failed_ids:
            continue  # the referenced row has its own problem already
        if finding.rule in unsure:
            continue  # it compares against a table that has problems of its own
        problem = _locate(finding, config_file, parsed, files)
        if finding.level == "error":
            found.problems.append(problem)
        else:
            found.warn(problem)
    for problem in found.warnings:
        warnings.warn(CaseloadWarning(problem), stacklevel=3)
    if found.problems:
        raise CaseloadError(sorted(found.problems, key=lambda p: (p.file, p.row or 0)))
    return caseload


DEPENDENT_RULES: dict[str, frozenset[str]] = {
    "customers": frozenset({"unknown_customer", "unknown_place", "pin_ineligible"}),
    "workers": frozenset(
        {"unknown_worker", "unknown_place", "skill_unheld", "gender_unmet", "double_handed_short",
         "pin_ineligible"}
    ),
    "visits": frozenset({"unknown_visit", "no_visits"}),
    "availability": frozenset({"pin_unavailable"}),
}
"""Cross-check rules that compare against a whole table, by that table's key."""

ROW_DEPENDENT_RULES = frozenset(
    {"skill_unheld", "gender_unmet", "double_handed_short", "unknown_visit", "pin_ineligible",
     "pin_unavailable", "no_visits"}
)
"""Of those, the rules a single failed row can falsify (the worker who holds the skill, an
instance of the template whose row failed); unknown ids are matched against failed ids instead."""


def _unsure_rules(parsed: dict[str, ParsedTable]) -> set[str]:
    """Cross-check rules not to report, because a table they compare against has problems.

    A table that could not be read at all (missing file or column) would make every reference to
    it fail; a table with a failed row makes eligibility findings unreliable. Those findings would
    bury the real problem, so they wait until it is fixed.
    """
    unsure: set[str] = set()
    for key, rules in DEPENDENT_RULES.items():
        table = parsed.get(key)
        if table is None or any(p.row is None for p in table.problems):
            unsure |= rules
        elif table.problems:
            unsure |= rules & ROW_DEPENDENT_RULES
    return unsure


def _parse_settings(config: dict, config_file: str, found: _Collector) -> dict[str, Any]:
    """The validated top-level settings; unknown keys are warned about by name and ignored."""
    out: dict[str, Any] = {}
    for key in config:
        if key not in TOP_LEVEL_KEYS:
            found.warn(InputProblem(config_file, None, str(key), "unknown_key",
                                    f"unknown key {key!r}; ignored"))
    for key, model in SECTIONS.items():
        section = config.get(key)
        if section is None:
            continue
        if not isinstance(section, dict):
            found.problems.append(InputProblem(config_file, None, key, "bad_section",
                                               f"{key!r} must be a mapping"))
            continue
        known = {k: v for k, v in section.items() if k in model.model_fields}
        for unknown in sorted(set(section) - set(known), key=str):
            found.warn(InputProblem(config_file, None, f"{key}.{unknown}", "unknown_key",
                                    f"unknown key {key}.{unknown}; ignored"))
        try:
            out[key] = model.model_validate(known)
        except ValidationError as exc:
            found.problems += problems_from_validation(exc, config_file, None, prefix=f"{key}.")
    for key in ("name", "week_start", "weights"):
        if config.get(key) is not None:
            out[key] = config[key]
    try:  # name, week_start and weights are checked through the Caseload model
        Caseload.model_validate(
            {k: out[k] for k in ("name", "week_start", "weights") if k in out},
            context={"skip_cross_checks": True},
        )
    except ValidationError as exc:
        found.problems += problems_from_validation(exc, config_file, None)
        for key in ("name", "week_start", "weights"):
            out.pop(key, None)
    return out


def _locate(
    finding: Finding, config_file: str, parsed: dict[str, ParsedTable], files: dict[str, str]
) -> InputProblem:
    """A cross-check finding (table, entry index) -> file and row number."""
    key = next((k for k, spec in TABLES.items() if finding.table in (k, spec.field)), None)
    if key is None:
        return InputProblem(config_file, None, finding.column, finding.rule, finding.message)
    row = None
    if finding.index is not None and key in parsed:
        row = parsed[key].row_numbers[finding.index]
    return InputProblem(files[key], row, finding.column, finding.rule, finding.message)


# ----------------------------------------------------------------------------- writing


def write_caseload(caseload: Caseload, path: str | Path) -> list[str]:
    """Write a caseload as a folder (caseload.yaml + CSVs) or, for a ``.json`` path, one file.

    Empty optional tables are left out in both forms, as a folder leaves out their files. A
    folder that already held a caseload holds only the new one afterwards: the table files it
    does not have are removed (other files stay). Returns the names of the files removed.
    """
    path = Path(path)
    if path.suffix.lower() == ".json":
        empty = {s.field for s in TABLES.values() if s.optional and not getattr(caseload, s.field)}
        write_text(path, caseload.model_dump_json(indent=1, exclude=empty) + "\n")
        return []
    path.mkdir(parents=True, exist_ok=True)
    dump = caseload.model_dump(mode="json")
    settings = {key: dump[key] for key in ("name", "week_start", *SECTIONS)}
    if caseload.week_start is not None:
        settings["week_start"] = caseload.week_start  # a YAML date, not a string
    if caseload.weights:
        settings["weights"] = dump["weights"]
    write_text(path / YAML_FILE, yaml.safe_dump(settings, sort_keys=False))
    removed = []
    for spec in TABLES.values():
        rows = dump[spec.field]
        if rows or not spec.optional:
            write_text(path / spec.file, _csv_text(spec, rows))
        elif (path / spec.file).is_file():
            (path / spec.file).unlink()
            removed.append(spec.file)
    return removed


def _csv_text(spec: TableSpec, rows: list[dict]) -> str:
    """Rows as CSV text; optional columns that are empty in every row are left out."""
    columns = [
        name
        for name in spec.model.model_fields
        if name in spec.required_columns or any(r.get(name) not in (None, "") for r in rows)
    ]
    cells = [[_cell(row.get(name)) for name in columns] for row in rows]
    return pd.DataFrame(cells, columns=columns, dtype=str).to_csv(index=False)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
