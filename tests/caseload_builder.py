"""Write small, valid caseload folders from Python rows, so a test can break exactly one cell.

The default caseload (``valid_tables()`` and ``valid_settings()``) is small enough to check by
hand and passes every rule of FORMAT.md without a warning:

- customers C1 (zone Z1), C2 (zone Z1, wants female workers), C3 (no zone);
- workers W1 (female, car, medication;hoist, zones Z1), W2 (male, bike, hoist),
  W3 (other, public transport, no skills);
- visits V1 (C1, Mon-Fri 08:00, 30 min), V2 (C2, daily 12:30, 45 min, medication),
  V3 (C3, Sat;Sun 18:00, 60 min, double-handed, hoist: W1 and W2 may serve it);
- availability: W1 Mon-Fri 07:00-14:00; W2 a split shift daily 07:00-13:00 and 16:30-22:00;
  W3 Sat-Sun 08:00-20:00.

Row ``i`` of a table list is spreadsheet row ``i + 2`` of its CSV (the header is row 1).

Typical use::

    tables = valid_tables()
    tables["visits"][1]["start"] = "25:00"     # visits.csv row 3
    write_folder(tmp_path, **tables)
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import yaml

TABLE_FILES = {
    "customers": "customers.csv",
    "visits": "visits.csv",
    "workers": "workers.csv",
    "availability": "availability.csv",
    "preferences": "preferences.csv",
    "previous_rota": "previous_rota.csv",
    "travel": "travel.csv",
    "pinned": "pinned.csv",
}
"""Table key (as caseload.yaml ``tables:`` names it) -> default file name (FORMAT.md)."""

JSON_FIELDS = {key: key for key in TABLE_FILES} | {"travel": "travel_matrix"}
"""Table key -> list name in the caseload JSON file (``travel`` holds the model settings)."""

_SETTINGS: dict[str, Any] = {
    "name": "Builder test week",
    "week_start": "2026-11-23",
    "travel": {
        "detour_factor": 1.3,
        "speed_kmh": {"car": 30, "bike": 14, "walk": 4.8, "public": 14},
        "public_wait_min": 8,
    },
    "policy": {
        "window_before_min": 15,
        "window_after_min": 15,
        "punctuality_tolerance_min": 0,
        "max_team_size": 3,
        "max_shift_span_min": 900,
        "min_rest_between_days_min": 540,
    },
    "costs": {
        "currency": "GBP",
        "pay_per_hour": 11.5,
        "travel_time_paid": False,
        "mileage_per_km": 0.25,
        "weekend_premium_pct": 0,
        "weekend_premium_per_hour": 0.5,
        "fee_per_hour": 22.0,
    },
}

_TABLES: dict[str, list[dict[str, str]]] = {
    "customers": [
        {"customer_id": "C1", "name": "Ada", "lat": "51.500", "lon": "-0.120", "zone": "Z1",
         "gender_preference": ""},
        {"customer_id": "C2", "name": "Bert", "lat": "51.510", "lon": "-0.100", "zone": "Z1",
         "gender_preference": "female"},
        {"customer_id": "C3", "name": "Cyd", "lat": "51.520", "lon": "-0.110", "zone": "",
         "gender_preference": ""},
    ],
    "visits": [
        {"visit_id": "V1", "customer_id": "C1", "days": "Mon-Fri", "start": "08:00",
         "duration_min": "30", "workers_required": "", "skills": ""},
        {"visit_id": "V2", "customer_id": "C2", "days": "daily", "start": "12:30",
         "duration_min": "45", "workers_required": "", "skills": "medication"},
        {"visit_id": "V3", "customer_id": "C3", "days": "Sat;Sun", "start": "18:00",
         "duration_min": "60", "workers_required": "2", "skills": "hoist"},
    ],
    "workers": [
        {"worker_id": "W1", "name": "Wendy", "lat": "51.505", "lon": "-0.115", "transport": "car",
         "gender": "female", "skills": "medication;hoist", "zones": "Z1", "pay_per_hour": ""},
        {"worker_id": "W2", "name": "Will", "lat": "51.515", "lon": "-0.105", "transport": "bike",
         "gender": "male", "skills": "hoist", "zones": "", "pay_per_hour": "12.00"},
        {"worker_id": "W3", "name": "Pat", "lat": "51.520", "lon": "-0.120",
         "transport": "public", "gender": "other", "skills": "", "zones": "", "pay_per_hour": ""},
    ],
    "availability": [
        {"worker_id": "W1", "day": "Mon-Fri", "start": "07:00", "end": "14:00"},
        {"worker_id": "W2", "day": "daily", "start": "07:00", "end": "13:00"},
        {"worker_id": "W2", "day": "daily", "start": "16:30", "end": "22:00"},
        {"worker_id": "W3", "day": "Sat-Sun", "start": "08:00", "end": "20:00"},
    ],
}


def valid_settings() -> dict[str, Any]:
    """caseload.yaml of the default caseload, as a fresh dict."""
    return copy.deepcopy(_SETTINGS)


def valid_tables() -> dict[str, list[dict[str, str]]]:
    """The four required tables of the default caseload, as fresh lists of row dicts."""
    return copy.deepcopy(_TABLES)


def write_csv(path: Path, rows: list[dict[str, Any]], columns: list[str] | None = None) -> Path:
    """Write rows as CSV; columns default to every key in first-seen order.

    Cells are written as given (no quoting beyond what a comma or quote in a cell needs), so a
    test controls the exact text a coordinator's export would hold.
    """
    if columns is None:
        columns = list(dict.fromkeys(key for row in rows for key in row))
    lines = [",".join(_quote(c) for c in columns)]
    lines += [",".join(_quote(str(row.get(c, ""))) for c in columns) for row in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _quote(cell: str) -> str:
    if any(ch in cell for ch in ',"\n'):
        return '"' + cell.replace('"', '""') + '"'
    return cell


def write_folder(
    folder: Path,
    *,
    settings: dict[str, Any] | None = None,
    **tables: list[dict[str, Any]] | None,
) -> Path:
    """Write a caseload folder: caseload.yaml plus one CSV per table; returns ``folder``.

    Parameters
    ----------
    folder
        Where to write (created if needed).
    settings
        caseload.yaml content. Default ``valid_settings()``.
    **tables
        Rows per table key (``customers``, ``visits``, ..., ``travel``, ``pinned``). The four
        required tables default to ``valid_tables()``; optional tables are written only when
        given; ``None`` writes no file (to test a missing file). A table's file name follows
        ``settings["tables"]`` when that renames it.
    """
    unknown = set(tables) - set(TABLE_FILES)
    if unknown:
        raise TypeError(f"unknown table(s) {sorted(unknown)}")
    folder.mkdir(parents=True, exist_ok=True)
    settings = valid_settings() if settings is None else settings
    (folder / "caseload.yaml").write_text(yaml.safe_dump(settings, sort_keys=False),
                                          encoding="utf-8")
    names = {**TABLE_FILES, **(settings.get("tables") or {})}
    rows_by_table = {**valid_tables(), **tables}
    for key, rows in rows_by_table.items():
        if rows is None:
            continue
        write_csv(folder / names[key], rows)
    return folder


def caseload_json(
    *, settings: dict[str, Any] | None = None, **tables: list[dict[str, Any]] | None
) -> dict[str, Any]:
    """The caseload JSON document of the same content: settings plus one list per table.

    Cells stay the strings a CSV would hold; empty cells are left out of the row objects.
    """
    doc = valid_settings() if settings is None else copy.deepcopy(settings)
    for key, rows in {**valid_tables(), **tables}.items():
        if rows is not None:
            doc[JSON_FIELDS[key]] = [{k: v for k, v in row.items() if v != ""} for row in rows]
    return doc


def write_json(path: Path, **kwargs: Any) -> Path:
    """Write ``caseload_json(**kwargs)`` to ``path``; returns ``path``."""
    path.write_text(json.dumps(caseload_json(**kwargs), indent=1), encoding="utf-8")
    return path
