"""Bad caseload input: every rule of FORMAT.md, and the usual ways a coordinator's spreadsheet goes
wrong, are reported at load time, all together, each naming file, row, column and rule.

Each case starts from the valid caseload of ``caseload_builder`` and breaks one thing. Rows are
numbered as a spreadsheet shows them: the header is row 1, the first data row is row 2.
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from caseload_builder import (
    JSON_FIELDS,
    TABLE_FILES,
    caseload_json,
    valid_settings,
    valid_tables,
    write_csv,
    write_folder,
)
from click.testing import CliRunner

from scheduler.cli import main
from scheduler.io import CaseloadError, CaseloadWarning, InputProblem, read_caseload

# A fault must not also raise a warning: the valid caseload raises none.
pytestmark = pytest.mark.filterwarnings("error::scheduler.io.errors.CaseloadWarning")


@dataclass
class Draft:
    """A caseload being broken: the builder's tables and settings, plus raw file overrides."""

    tables: dict[str, list[dict[str, Any]] | None] = field(default_factory=valid_tables)
    settings: dict[str, Any] = field(default_factory=valid_settings)
    files: dict[str, str | None] = field(default_factory=dict)
    """File name -> text written over the built file; None deletes it."""

    def write(self, folder: Path) -> Path:
        write_folder(folder, settings=self.settings, **self.tables)
        for name, text in self.files.items():
            if text is None:
                (folder / name).unlink()
            else:
                (folder / name).write_text(text, encoding="utf-8")
        return folder


@dataclass(frozen=True)
class Expected:
    """The problem a fault must produce: where, which rule, and a fragment of the message."""

    file: str
    row: int | None
    column: str
    rule: str
    fragment: str

    def matches(self, problem: InputProblem, file: str) -> bool:
        return (problem.file, problem.row, problem.column, problem.rule) == (
            file, self.row, self.column, self.rule
        ) and self.fragment in problem.message


Edit = Callable[[Draft], None]


def cell(table: str, index: int, column: str, value: str) -> Edit:
    """Set one cell; ``index`` 0 is spreadsheet row 2."""
    return lambda d: d.tables[table][index].__setitem__(column, value)


def append(table: str, *rows: dict[str, str]) -> Edit:
    """Add rows at the end of a table (creating an optional table)."""
    return lambda d: d.tables.setdefault(table, []).extend(dict(row) for row in rows)


def setting(dotted: str, value: Any) -> Edit:
    """Set a caseload.yaml value, e.g. ``costs.pay_per_hour``."""

    def edit(d: Draft) -> None:
        *parents, key = dotted.split(".")
        node = d.settings
        for parent in parents:
            node = node[parent]
        node[key] = value

    return edit


def drop_column(table: str, column: str) -> Edit:
    return lambda d: [row.pop(column) for row in d.tables[table]]


def no_file(table: str) -> Edit:
    return lambda d: d.tables.__setitem__(table, None)


def raw(name: str, text: str | None) -> Edit:
    return lambda d: d.files.__setitem__(name, text)


PREFERENCE = {"customer_id": "C1", "worker_id": "W1", "kind": "regular"}
TRAVEL_ROW = {"from_id": "C1", "to_id": "C2", "minutes": "6", "km": "1.9", "mode": ""}
PIN = {"visit_id": "V1-Mon", "worker_id": "W1"}

CASES = [
    # -- files and columns
    pytest.param(no_file("workers"),  # a required table is missing
                 Expected("workers.csv", None, "", "missing_file", "not found"), id="no-workers"),
    pytest.param(raw("caseload.yaml", None),  # no settings file at all
                 Expected("caseload.yaml", None, "", "missing_file", "not found"), id="no-yaml"),
    pytest.param(raw("caseload.yaml", "name: [unclosed\n"),  # not YAML
                 Expected("caseload.yaml", None, "", "bad_yaml", "not YAML"), id="bad-yaml"),
    pytest.param(drop_column("customers", "lat"),  # a required column is missing
                 Expected("customers.csv", None, "lat", "missing_column", "lat"),
                 id="no-lat-column"),
    pytest.param(cell("workers", 1, "lat", ""),  # a required cell is empty
                 Expected("workers.csv", 3, "lat", "missing_value", "empty"), id="empty-lat"),
    pytest.param(cell("visits", 1, "visit_id", ""),  # an empty identifier
                 Expected("visits.csv", 3, "visit_id", "missing_value", "empty"), id="empty-id"),
    pytest.param(cell("visits", 1, "visit_id", "V2;V4"),  # ';' in an identifier
                 Expected("visits.csv", 3, "visit_id", "bad_id", "contains ';'"),
                 id="id-semicolon"),
    # -- references and duplicates
    pytest.param(cell("visits", 1, "customer_id", "C9"),  # a visit for nobody
                 Expected("visits.csv", 3, "customer_id", "unknown_customer", "'C9'"),
                 id="unknown-customer"),
    pytest.param(cell("availability", 3, "worker_id", "W9"),  # availability of nobody
                 Expected("availability.csv", 5, "worker_id", "unknown_worker", "'W9'"),
                 id="unknown-worker"),
    pytest.param(append("preferences", {**PREFERENCE, "worker_id": "W7"}),  # ban of nobody
                 Expected("preferences.csv", 2, "worker_id", "unknown_worker", "'W7'"),
                 id="unknown-worker-preference"),
    pytest.param(append("pinned", {**PIN, "visit_id": "V1-Sat"}),  # V1 runs Mon-Fri only
                 Expected("pinned.csv", 2, "visit_id", "unknown_visit", "'V1-Sat'"),
                 id="unknown-visit-instance"),
    pytest.param(append("pinned", {**PIN, "worker_id": "W3"}),  # W3 works weekends only
                 Expected("pinned.csv", 2, "worker_id", "pin_unavailable", "availability that "
                          "day: none"), id="pin-off-duty"),
    pytest.param(append("pinned", {"visit_id": "V2-Mon", "worker_id": "W2"}),  # no medication
                 Expected("pinned.csv", 2, "worker_id", "pin_ineligible", "needs skill medication"),
                 id="pin-ineligible"),
    pytest.param(append("pinned", {**PIN, "start": "08:16"}),  # window 07:45-08:15
                 Expected("pinned.csv", 2, "start", "pin_outside_window", "07:45-08:15"),
                 id="pin-outside-window"),
    pytest.param(append("pinned", PIN, PIN),
                 Expected("pinned.csv", 3, "worker_id", "duplicate_pin", "twice"),
                 id="pin-twice"),
    pytest.param(append("pinned", PIN, {**PIN, "worker_id": "W2"}),  # V1 needs one worker
                 Expected("pinned.csv", 3, "worker_id", "too_many_pins", "needs 1"),
                 id="pin-too-many"),
    pytest.param(lambda d: (cell("customers", 0, "max_team_size", "1")(d),  # C1: one worker
                            append("pinned", PIN, {"visit_id": "V1-Tue", "worker_id": "W2"})(d)),
                 Expected("pinned.csv", 3, "worker_id", "pins_over_team_cap", "cap of 1: W1, W2"),
                 id="pins-over-team-cap"),
    pytest.param(append("customers", valid_tables()["customers"][0]),  # C1 listed twice
                 Expected("customers.csv", 5, "customer_id", "duplicate_id", "'C1'"),
                 id="duplicate-customer"),
    pytest.param(append("workers", valid_tables()["workers"][2]),  # W3 listed twice
                 Expected("workers.csv", 5, "worker_id", "duplicate_id", "'W3'"),
                 id="duplicate-worker"),
    pytest.param(append("visits", valid_tables()["visits"][0]),  # V1 listed twice
                 Expected("visits.csv", 5, "visit_id", "duplicate_id", "'V1'"),
                 id="duplicate-visit"),
    pytest.param(append("travel", TRAVEL_ROW, TRAVEL_ROW),  # the same pair twice
                 Expected("travel.csv", 3, "from_id", "duplicate_pair", "C1->C2"),
                 id="duplicate-travel-pair"),
    # -- times and days
    pytest.param(cell("visits", 1, "start", "25:00"),  # no such hour
                 Expected("visits.csv", 3, "start", "bad_time", "'25:00'"), id="hour-25"),
    pytest.param(cell("visits", 1, "start", "7:60"),  # no such minute
                 Expected("visits.csv", 3, "start", "bad_time", "'7:60'"), id="minute-60"),
    pytest.param(cell("availability", 0, "start", "8.30"),  # a decimal, not HH:MM
                 Expected("availability.csv", 2, "start", "bad_time", "not a HH:MM time"),
                 id="decimal-time"),
    pytest.param(cell("visits", 1, "start", "24:00"),  # 24:00 only as an end
                 Expected("visits.csv", 3, "start", "bad_time", "not a start time"),
                 id="start-2400"),
    pytest.param(cell("availability", 0, "end", "24:30"),  # past the end of the day
                 Expected("availability.csv", 2, "end", "bad_time", "'24:30'"), id="end-2430"),
    pytest.param(cell("availability", 0, "end", "06:00"),  # end before start (07:00)
                 Expected("availability.csv", 2, "end", "end_before_start",
                          "end 06:00 is not after start 07:00"), id="end-before-start"),
    pytest.param(cell("availability", 0, "end", "07:00"),  # an empty shift, end = start
                 Expected("availability.csv", 2, "end", "end_before_start", "07:00"),
                 id="end-equals-start"),
    pytest.param(cell("availability", 2, "start", "12:59"),  # W2's split shift meets 07:00-13:00
                 Expected("availability.csv", 4, "start", "overlapping_availability",
                          "overlaps 07:00-13:00"), id="overlapping-availability"),
    pytest.param(cell("visits", 1, "days", "Mon-Fry"),  # a typo in a day range
                 Expected("visits.csv", 3, "days", "bad_day", "'Fry'"), id="bad-day"),
    pytest.param(cell("availability", 0, "day", "Weekdays"),  # not a day list
                 Expected("availability.csv", 2, "day", "bad_day", "'Weekdays'"),
                 id="bad-availability-day"),
    pytest.param(cell("visits", 0, "start", "00:14"),  # window opens 15 min before: 23:59
                 Expected("visits.csv", 2, "window_before_min", "window_outside_day",
                          "before midnight"), id="window-before-midnight"),
    pytest.param(cell("visits", 0, "start", "23:16"),  # 23:16 + 15 + 30 min = 24:01
                 Expected("visits.csv", 2, "window_after_min", "window_outside_day",
                          "after midnight"), id="window-after-midnight"),
    pytest.param(cell("visits", 2, "window_after_min", "-5"),  # a negative window
                 Expected("visits.csv", 4, "window_after_min", "out_of_range", ">= 0"),
                 id="negative-window"),
    # -- places
    pytest.param(cell("customers", 0, "lat", "91"),  # beyond the pole
                 Expected("customers.csv", 2, "lat", "lat_range", "[-90, 90]"), id="lat-91"),
    pytest.param(cell("workers", 2, "lon", "-180.5"),  # beyond the date line
                 Expected("workers.csv", 4, "lon", "lon_range", "[-180, 180]"), id="lon-180.5"),
    pytest.param(cell("customers", 2, "lon", "0,11"),  # a decimal comma
                 Expected("customers.csv", 4, "lon", "not_a_number", "'0,11'"),
                 id="decimal-comma"),
    # -- numbers and labels
    pytest.param(cell("visits", 1, "duration_min", "thirty"),  # words for a number
                 Expected("visits.csv", 3, "duration_min", "not_a_number", "'thirty'"),
                 id="duration-words"),
    pytest.param(cell("visits", 1, "duration_min", "30.5"),  # durations are whole minutes
                 Expected("visits.csv", 3, "duration_min", "not_whole", "'30.5'"),
                 id="duration-fraction"),
    pytest.param(cell("visits", 1, "duration_min", "0"),  # an empty visit
                 Expected("visits.csv", 3, "duration_min", "out_of_range", "> 0"),
                 id="duration-zero"),
    pytest.param(cell("visits", 0, "workers_required", "3"),  # 1 or 2 only
                 Expected("visits.csv", 2, "workers_required", "out_of_range", "<= 2"),
                 id="three-workers"),
    pytest.param(cell("workers", 1, "transport", "scooter"),  # a mode with no speed
                 Expected("workers.csv", 3, "transport", "unknown_transport", "'scooter'"),
                 id="unknown-transport"),
    pytest.param(cell("workers", 2, "gender", "x"),  # female, male, other or empty
                 Expected("workers.csv", 4, "gender", "bad_gender", "'x'"), id="bad-gender"),
    pytest.param(cell("customers", 0, "gender_preference", "other"),  # female or male only
                 Expected("customers.csv", 2, "gender_preference", "bad_gender_preference",
                          "'other'"), id="bad-gender-preference"),
    pytest.param(cell("visits", 0, "priority", "urgent"),  # critical, normal or flexible
                 Expected("visits.csv", 2, "priority", "bad_priority", "'urgent'"),
                 id="bad-priority"),
    pytest.param(append("preferences", {**PREFERENCE, "kind": "liked"}),  # banned or regular
                 Expected("preferences.csv", 2, "kind", "bad_kind", "'liked'"), id="bad-kind"),
    pytest.param(cell("customers", 1, "max_team_size", "0"),  # a team of nobody
                 Expected("customers.csv", 3, "max_team_size", "out_of_range", "> 0"),
                 id="team-of-zero"),
    pytest.param(append("travel", {**TRAVEL_ROW, "minutes": "-4"}),  # negative travel time
                 Expected("travel.csv", 2, "minutes", "out_of_range", ">= 0"),
                 id="negative-travel"),
    # -- eligibility
    pytest.param(cell("visits", 2, "skills", "medication"),  # only W1 holds it; V3 needs two
                 Expected("visits.csv", 4, "workers_required", "double_handed_short",
                          "only 1 may serve"), id="double-handed-short"),
    pytest.param(cell("customers", 2, "max_team_size", "1"),  # V3 needs two together
                 Expected("visits.csv", 4, "workers_required", "team_cap_too_small",
                          "capped at 1"), id="double-handed-over-team-cap"),
    pytest.param(cell("workers", 0, "gender", "male"),  # C2 wants female workers: none left
                 Expected("customers.csv", 3, "gender_preference", "gender_unmet",
                          "no female worker"), id="gender-unmet"),
    # -- money
    pytest.param(cell("workers", 1, "pay_per_hour", "inf"),  # not a finite number
                 Expected("workers.csv", 3, "pay_per_hour", "finite_number", "'inf'"),
                 id="infinite-pay"),
    pytest.param(cell("workers", 1, "pay_per_hour", "-12.00"),  # negative pay
                 Expected("workers.csv", 3, "pay_per_hour", "negative_money", "negative"),
                 id="negative-pay"),
    pytest.param(setting("costs.mileage_per_km", -0.25),  # negative money in settings
                 Expected("caseload.yaml", None, "costs.mileage_per_km", "negative_money",
                          "negative"), id="negative-mileage"),
    pytest.param(setting("costs.fee_per_hour", "lots"),  # money must be a number
                 Expected("caseload.yaml", None, "costs.fee_per_hour", "not_a_number", "'lots'"),
                 id="fee-words"),
    # -- settings
    pytest.param(setting("week_start", "2026-11-24"),  # a Tuesday
                 Expected("caseload.yaml", None, "week_start", "not_monday", "Tuesday"),
                 id="week-start-tuesday"),
    pytest.param(setting("week_start", "next week"),  # not a date
                 Expected("caseload.yaml", None, "week_start", "bad_date", "YYYY-MM-DD"),
                 id="week-start-words"),
    pytest.param(setting("policy.window_before_min", -1),  # a negative default window
                 Expected("caseload.yaml", None, "policy.window_before_min", "out_of_range",
                          ">= 0"), id="negative-policy-window"),
    pytest.param(setting("travel.speed_kmh.car", 0),  # cars that never arrive
                 Expected("caseload.yaml", None, "travel.speed_kmh.car", "out_of_range", "> 0"),
                 id="zero-speed"),
    pytest.param(setting("policy", ["window_before_min", 15]),  # a list, not a mapping
                 Expected("caseload.yaml", None, "policy", "bad_section", "mapping"),
                 id="policy-not-mapping"),
]


def _draft(edit: Edit) -> Draft:
    draft = Draft()
    edit(draft)
    return draft


def _only_problem(error: CaseloadError) -> InputProblem:
    assert len(error.problems) == 1, str(error)
    return error.problems[0]


def test_builder_caseload_is_valid_and_quiet(tmp_path):
    # already at one limit: double-handed V3 has exactly two eligible workers (W1, W2)
    caseload = read_caseload(write_folder(tmp_path))  # warnings are errors in this module
    assert len(caseload.customers) == 3
    assert len(caseload.instances) == 5 + 7 + 2  # V1 Mon-Fri, V2 daily, V3 Sat;Sun


def test_at_least_24_distinct_cases():
    assert len({p.id for p in CASES}) == len(CASES) >= 24


@pytest.mark.parametrize(("edit", "expected"), CASES)
def test_rejects_bad_input(tmp_path, edit, expected):
    folder = _draft(edit).write(tmp_path)
    with pytest.raises(CaseloadError) as info:
        read_caseload(folder)
    problem = _only_problem(info.value)
    assert expected.matches(problem, str(folder / expected.file)), problem
    # the printed form names the same file, row and column
    where = f"{folder / expected.file}" + (f", row {expected.row}" if expected.row else "")
    assert where in str(info.value)
    assert f"[{expected.rule}]" in str(info.value)


@pytest.mark.parametrize(
    "edit",
    [
        cell("visits", 0, "start", "00:15"),  # the window opens at 00:00 exactly
        cell("visits", 0, "start", "23:15"),  # 23:15 + 15 + 30 min ends at 24:00 exactly
        cell("availability", 2, "start", "13:00"),  # W2's split shifts touch at 13:00
        cell("availability", 0, "end", "24:00"),  # 24:00 as an end
        cell("availability", 0, "end", "07:01"),  # a one-minute shift
        cell("customers", 0, "lat", "-90"),  # the south pole
        cell("customers", 0, "lon", "180"),  # the date line
        cell("workers", 0, "pay_per_hour", "0"),  # volunteers: zero is not negative
        setting("costs.mileage_per_km", 0),  # mileage not paid
        append("pinned", {**PIN, "start": "08:15"}),  # the window's last start
        lambda d: (cell("availability", 0, "end", "08:15")(d),  # W1's row holds V1 exactly
                   append("pinned", {**PIN, "start": "07:45"})(d)),
    ],
    ids=["window-at-00:00", "ends-at-24:00", "touching-shifts", "end-2400", "one-minute-shift",
         "lat-minus-90", "lon-180", "zero-pay", "zero-mileage", "pin-last-start",
         "pin-fills-availability"],
)
def test_accepts_values_at_the_limit(tmp_path, edit):
    draft = Draft()
    edit(draft)
    read_caseload(draft.write(tmp_path))  # neither an error nor (in this module) a warning


def _json_expected(expected: Expected, path: Path) -> tuple[str, int | None]:
    """The file and row a JSON caseload reports for a fault located in a folder's file."""
    if expected.file == "caseload.yaml":
        return str(path), expected.row
    table = next(key for key, name in TABLE_FILES.items() if name == expected.file)
    row = None if expected.row is None else expected.row - 1  # JSON entries count from 1
    return f"{path}:{JSON_FIELDS[table]}", row


JSON_CASES = [
    case for case in CASES
    if case.values[1].rule not in ("missing_file", "bad_yaml")  # folder-only faults
]


@pytest.mark.parametrize(("edit", "expected"), JSON_CASES)
def test_rejects_bad_json_input(tmp_path, edit, expected):
    draft = _draft(edit)
    path = tmp_path / "caseload.json"
    path.write_text(json.dumps(caseload_json(settings=draft.settings, **draft.tables)))
    with pytest.raises(CaseloadError) as info:
        read_caseload(path)
    problem = _only_problem(info.value)
    file, row = _json_expected(expected, path)
    assert Expected(file, row, expected.column, expected.rule, expected.fragment).matches(
        problem, file
    ), problem


def test_missing_folder_is_named(tmp_path):
    with pytest.raises(CaseloadError) as info:
        read_caseload(tmp_path / "no-such-caseload")
    problem = _only_problem(info.value)
    assert (problem.file, problem.rule) == (str(tmp_path / "no-such-caseload"), "missing_file")


def test_json_missing_table_is_named(tmp_path):
    path = tmp_path / "caseload.json"
    document = caseload_json()
    del document["workers"]
    path.write_text(json.dumps(document))
    with pytest.raises(CaseloadError) as info:
        read_caseload(path)
    problem = _only_problem(info.value)
    assert (problem.file, problem.column, problem.rule) == (str(path), "workers", "missing_table")


def test_every_fault_is_reported_together(tmp_path):
    draft = Draft()
    for edit in (
        cell("customers", 2, "lat", "91"),  # customers.csv row 4
        cell("visits", 0, "start", "25:00"),  # visits.csv row 2
        cell("visits", 2, "customer_id", "C9"),  # visits.csv row 4
        cell("workers", 1, "pay_per_hour", "-1"),  # workers.csv row 3
        cell("availability", 3, "end", "07:00"),  # availability.csv row 5 (start 08:00)
        setting("costs.pay_per_hour", -11.5),  # caseload.yaml
    ):
        edit(draft)
    folder = draft.write(tmp_path)
    with pytest.raises(CaseloadError) as info:
        read_caseload(folder)
    found = {(Path(p.file).name, p.row, p.column, p.rule) for p in info.value.problems}
    assert found == {
        ("customers.csv", 4, "lat", "lat_range"),
        ("visits.csv", 2, "start", "bad_time"),
        ("visits.csv", 4, "customer_id", "unknown_customer"),
        ("workers.csv", 3, "pay_per_hour", "negative_money"),
        ("availability.csv", 5, "end", "end_before_start"),
        ("caseload.yaml", None, "costs.pay_per_hour", "negative_money"),
    }
    assert str(info.value).startswith("6 problems in the input:")


def test_faults_in_one_table_are_all_reported(tmp_path):
    tables = valid_tables()
    tables["visits"][0]["start"] = "8"  # row 2
    tables["visits"][1]["days"] = "Mo"  # row 3
    tables["visits"][2]["duration_min"] = "-60"  # row 4
    with pytest.raises(CaseloadError) as info:
        read_caseload(write_folder(tmp_path, **tables))
    assert [(p.row, p.column, p.rule) for p in info.value.problems] == [
        (2, "start", "bad_time"),
        (3, "days", "bad_day"),
        (4, "duration_min", "out_of_range"),
    ]


def test_a_missing_table_is_not_blamed_on_every_reference(tmp_path):
    # Without workers.csv, every availability row names an unknown worker, and no one holds
    # a skill or a gender; only the missing file is the coordinator's problem.
    folder = write_folder(tmp_path, workers=None)
    with pytest.raises(CaseloadError) as info:
        read_caseload(folder)
    assert [p.rule for p in info.value.problems] == ["missing_file"]


def test_a_failed_worker_row_does_not_make_a_visit_unservable(tmp_path):
    # W2 is one of the two hoist workers of double-handed V3; their bad pay must not also
    # report V3 as short of workers.
    tables = valid_tables()
    tables["workers"][1]["pay_per_hour"] = "twelve"
    with pytest.raises(CaseloadError) as info:
        read_caseload(write_folder(tmp_path, **tables))
    assert [(p.row, p.rule) for p in info.value.problems] == [(3, "not_a_number")]


def test_rows_are_counted_as_the_spreadsheet_shows_them(tmp_path):
    # A blank line and a row of empty cells are rows 3 and 4 of the spreadsheet; they are
    # skipped, and the bad time below them is reported on row 6.
    folder = write_folder(tmp_path)
    lines = (folder / "visits.csv").read_text().splitlines()
    lines[2:2] = ["", ",,,,,,"]
    lines[4] = lines[4].replace("12:30", "12:3O")  # letter O, row 5 -> V2
    lines[5] = lines[5].replace("18:00", "18.00")  # row 6 -> V3
    (folder / "visits.csv").write_text("\n".join(lines) + "\n")
    with pytest.raises(CaseloadError) as info:
        read_caseload(folder)
    assert [(p.row, p.column, p.rule) for p in info.value.problems] == [
        (5, "start", "bad_time"),
        (6, "start", "bad_time"),
    ]


def test_blank_lines_above_the_header_are_counted(tmp_path):
    # the spreadsheet shows: row 1 blank, row 2 the header, V1 on row 3, V2 on row 4
    folder = write_folder(tmp_path)
    text = (folder / "visits.csv").read_text().replace("12:30", "12:77")  # V2
    (folder / "visits.csv").write_text("\n" + text)
    with pytest.raises(CaseloadError) as info:
        read_caseload(folder)
    assert [(p.row, p.column, p.rule) for p in info.value.problems] == [(4, "start", "bad_time")]


def test_a_quoted_line_break_stays_in_its_row(tmp_path):
    # A note with a line break is one spreadsheet row; the next row is still row 3.
    tables = valid_tables()
    tables["customers"][0]["notes"] = "key safe\nby the back door"
    tables["customers"][1]["lat"] = "north"
    with pytest.raises(CaseloadError) as info:
        read_caseload(write_folder(tmp_path, **tables))
    assert [(p.row, p.column) for p in info.value.problems] == [(3, "lat")]


# ----------------------------------------------------------------------------- warnings


@pytest.mark.parametrize(
    ("edit", "file", "column", "rule", "fragment"),
    [
        # a typo of a top-level key: the policy falls back to its defaults
        (setting("polcy", {"max_team_size": 2}), "caseload.yaml", "polcy", "unknown_key",
         "'polcy'"),
        # a typo inside policy:
        (setting("policy.max_team", 2), "caseload.yaml", "policy.max_team", "unknown_key",
         "policy.max_team"),
        # a table name the format does not know
        (setting("tables", {"rotas": "x.csv"}), "caseload.yaml", "tables.rotas", "unknown_key",
         "'rotas'"),
        # a weight for no objective term
        (setting("weights", {"travel": 3}), "caseload.yaml", "weights.travel",
         "unknown_weight", "'travel'"),
        # a skill a visit needs that no worker holds: the visit stays, unassignable
        (cell("visits", 0, "skills", "dementia"), "visits.csv", "skills", "skill_unheld",
         "'dementia'"),
        # skills separated by a comma: one skill nobody holds, and the reader says why
        (cell("visits", 0, "skills", "medication,hoist"), "visits.csv", "skills",
         "skill_unheld", "separated by ';', not ','"),
        # a travel.csv row about a place that does not exist
        (append("travel", {**TRAVEL_ROW, "to_id": "X1"}), "travel.csv", "to_id",
         "unknown_place", "'X1'"),
        # last week's rota names a worker who has left
        (append("previous_rota", {"visit_id": "V1-Mon", "customer_id": "C1", "worker_id": "W0",
                                  "day": "Mon", "start": "08:00", "end": "08:30",
                                  "travel_min": "4", "travel_km": "1.2"}),
         "previous_rota.csv", "worker_id", "unknown_worker", "'W0'"),
    ],
)
def test_doubtful_input_warns_and_loads(tmp_path, edit, file, column, rule, fragment):
    draft = Draft()
    edit(draft)
    folder = draft.write(tmp_path)
    with pytest.warns(CaseloadWarning) as record:
        caseload = read_caseload(folder)
    problems = [w.message.problem for w in record if isinstance(w.message, CaseloadWarning)]
    assert len(problems) == 1, [str(p) for p in problems]
    (problem,) = problems
    assert (Path(problem.file).name, problem.column, problem.rule) == (file, column, rule)
    assert fragment in problem.message
    assert len(caseload.visits) == 3


def test_an_empty_care_plan_warns_and_loads(tmp_path):
    draft = Draft()
    draft.tables["visits"] = []
    draft.files["visits.csv"] = "visit_id,customer_id,days,start,duration_min\n"
    with pytest.warns(CaseloadWarning, match="the care plan has no visits") as record:
        caseload = read_caseload(draft.write(tmp_path))
    (problem,) = [w.message.problem for w in record if isinstance(w.message, CaseloadWarning)]
    assert (Path(problem.file).name, problem.row, problem.rule) == ("visits.csv", None,
                                                                    "no_visits")
    assert caseload.instances == ()


def test_a_semicolon_separated_file_says_to_save_it_with_commas(tmp_path):
    draft = Draft()
    raw("customers.csv", "customer_id;name;lat;lon\nC1;Ada;51.5;-0.12\n")(draft)
    with pytest.raises(CaseloadError) as info:
        read_caseload(draft.write(tmp_path))
    problem = _only_problem(info.value)
    assert (problem.column, problem.rule) == ("customer_id, lat, lon", "missing_column")
    assert problem.message.endswith("save the file as comma-separated CSV)")


def test_a_file_not_in_utf8_says_to_save_it_as_utf8(tmp_path):
    folder = Draft().write(tmp_path)
    text = (folder / "customers.csv").read_text(encoding="utf-8").replace("Ada", "Zoë")
    (folder / "customers.csv").write_bytes(text.encode("latin-1"))
    with pytest.raises(CaseloadError) as info:
        read_caseload(folder)
    problem = _only_problem(info.value)
    assert (Path(problem.file).name, problem.rule) == ("customers.csv", "bad_csv")
    assert problem.message.endswith("save it as UTF-8 CSV")


def test_typo_key_does_not_apply(tmp_path):
    draft = Draft()
    del draft.settings["policy"]
    setting("polcy", {"max_team_size": 2})(draft)
    with pytest.warns(CaseloadWarning, match="polcy"):
        caseload = read_caseload(draft.write(tmp_path))
    assert caseload.policy.max_team_size == 3  # the default, not the misspelt 2


def test_unknown_csv_columns_are_accepted_silently(tmp_path):
    plain = read_caseload(write_folder(tmp_path / "plain"))
    tables = valid_tables()
    for i, row in enumerate(tables["customers"]):
        row["postcode"] = f"RV{i} 1AB"
        row["notes"] = "ring twice, wait"
    for row in tables["visits"]:
        row["funding_code"] = "LA-17"
    for row in tables["availability"]:
        row["comment"] = "agreed by phone"
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # not even a warning
        extended = read_caseload(write_folder(tmp_path / "extended", **tables))
    assert extended == plain


# ----------------------------------------------------------------------------- command line


def test_convert_bad_folder_exits_2_and_writes_nothing(tmp_path):
    draft = Draft()
    cell("visits", 1, "start", "25:00")(draft)  # visits.csv row 3
    cell("customers", 0, "lat", "95")(draft)  # customers.csv row 2
    folder = draft.write(tmp_path / "bad")
    for target in (tmp_path / "out.json", tmp_path / "out"):
        result = CliRunner().invoke(main, ["convert", str(folder), str(target)])
        assert result.exit_code == 2, result.output
        assert f"{folder / 'visits.csv'}, row 3, column start" in result.stderr
        assert "[bad_time]" in result.stderr
        assert f"{folder / 'customers.csv'}, row 2, column lat" in result.stderr
        assert "[lat_range]" in result.stderr
        assert not target.exists()
        assert "Traceback" not in result.output


def test_convert_good_folder_writes_json(tmp_path):
    folder = write_folder(tmp_path / "good")
    target = tmp_path / "caseload.json"
    result = CliRunner().invoke(main, ["convert", str(folder), str(target)])
    assert result.exit_code == 0, result.output
    assert read_caseload(target) == read_caseload(folder)


def test_write_csv_quotes_cells_like_a_spreadsheet(tmp_path):
    # the builder itself: a comma or a quote in a cell must not shift the columns
    path = write_csv(tmp_path / "t.csv", [{"a": 'say "hi", then', "b": "2"}])
    assert path.read_text() == 'a,b\n"say ""hi"", then",2\n'
