"""The validator: the hand-made valid rota of small_week.py, then one mutation per rule.

Each mutation changes the rota (or one cell of the caseload) as little as possible so that
exactly one rule breaks; where a rule has a limit, the case at the limit is valid and one minute
(or unit) beyond it is not. The same table is replayed through shared/tools/check_rota.py, the
independent referee, which must report the same rules.
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from referee import load_checker
from small_week import (
    PREFERENCES,
    change_row,
    drop_row,
    make_caseload,
    make_rota,
)

from models import Caseload, Rota, UnassignedVisit
from scheduler.io import read_rota, write_caseload, write_rota
from scheduler.validate import (
    RULE_IDS,
    InvalidRotaError,
    Violation,
    assert_valid,
    objective,
    report_text,
    validate,
)

MAIN = Path(__file__).resolve().parents[1]


def rules(caseload: Caseload, rota: Rota) -> set[str]:
    return {v.rule for v in validate(caseload, rota)}


# ----------------------------------------------------------------------------- the valid rota


def test_validate_never_imports_ortools():
    code = "import scheduler.validate, sys; assert 'ortools' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True, cwd=MAIN)


def test_hand_made_rota_is_valid():
    assert validate(make_caseload(), make_rota()) == []
    assert_valid(make_caseload(), make_rota())


def test_objective_of_hand_made_rota():
    total, breakdown = objective(make_caseload(), make_rota())
    assert breakdown == {
        "unassigned_critical": 0,
        "unassigned_normal": 0,
        "unassigned_flexible": 20_000,  # V6-Sat (flexible) x 20,000
        # C1 {W1, W2} + C2 {W1} + C3 {W1, W2, W3} = 6 workers x 600
        "team_size": 3_600,
        # familiar: C1 {W1, W2} (last week), C2 {W3} (last week), C3 {W2} (regular);
        # unfamiliar: W1 at C2, W1 and W3 at C3 = 3 x 900
        "unfamiliar_worker": 2_700,
        # legs: W1 Mon 10+5+7+20 = 42, W1 Sat 10+6+20 = 36, W2 Mon 8+8 + 12+12 = 40,
        # W2 Sat 8+8 = 16, W3 Sat 25+25 = 50; 184 min x 10
        "travel_time": 1_840,
        # 100 m per leg: W1 Mon 40+20+28+80 = 168, W1 Sat 40+24+80 = 144,
        # W2 Mon 20+20+30+30 = 100, W2 Sat 20+20 = 40, W3 20+20 = 40; 492 x 1
        "mileage": 492,
        # V4-Mon starts 17:40, preferred 17:00, tolerance 30: 10 min x 10
        "punctuality": 100,
        # W3 guaranteed 600 min, worked 60 contact + 50 travel = 110: 490 min x 3
        "guaranteed_hours": 1_470,
        # V5-Sat by W3, who has no weekday row at C3: 1 row x 300
        "weekend_unfamiliar": 300,
    }
    assert total == 30_502


def test_objective_weights_come_from_the_caseload():
    caseload = make_caseload().model_copy(update={"weights": {"travel_time": 1}})
    total, breakdown = objective(caseload, make_rota())
    assert breakdown["travel_time"] == 184
    assert total == 30_502 - 1_840 + 184


def test_assert_valid_lists_every_violation():
    rota = change_row(make_rota(), "V4-Mon", "W2", start="18:01", end="18:32")
    with pytest.raises(InvalidRotaError) as caught:
        assert_valid(make_caseload(), rota)
    assert {v.rule for v in caught.value.violations} == {"time_window", "duration"}
    assert "time_window" in str(caught.value) and "duration" in str(caught.value)


# ----------------------------------------------------------------------------- one rule each

Edit = Callable[[Rota], Rota]


def same(rota: Rota) -> Rota:
    return rota


def move(visit_id: str, worker_id: str, start: str, end: str) -> Edit:
    return lambda rota: change_row(rota, visit_id, worker_id, start=start, end=end)


def move_both(visit_id: str, start: str, end: str) -> Edit:
    return lambda rota: move(visit_id, "W2", start, end)(move(visit_id, "W1", start, end)(rota))


def cell(visit_id: str, worker_id: str, /, **changes) -> Edit:
    return lambda rota: change_row(rota, visit_id, worker_id, **changes)


def unassigned(**changes) -> Edit:
    def edit(rota: Rota) -> Rota:
        row = UnassignedVisit.model_validate({**rota.unassigned[0].model_dump(), **changes})
        return rota.model_copy(update={"unassigned": (row,)})

    return edit


def add_unassigned(visit_id: str) -> Edit:
    extra = UnassignedVisit(visit_id=visit_id, customer_id="C2", day="Sat", start="09:00",
                            reason="test")
    return lambda rota: rota.model_copy(update={"unassigned": (*rota.unassigned, extra)})


CASES: list[tuple[str, dict, Edit, set[str]]] = [
    # -- coverage and ids
    ("coverage: unassigned row dropped", {}, lambda r: drop_row(r, "V6-Sat"), {"coverage"}),
    ("coverage: one worker of a double-handed visit dropped", {},
     lambda r: drop_row(r, "V3-Mon", "W2"), {"coverage"}),
    ("distinct_workers: W1 twice on V3-Mon", {},
     cell("V3-Mon", "W2", worker_id="W1", travel_min=7, travel_km=2.8), {"distinct_workers"}),
    ("distinct_workers: the repeated row's leg is checked too", {},
     cell("V3-Mon", "W2", worker_id="W1"), {"distinct_workers", "travel_recorded"}),
    ("unknown_id: worker W9", {}, cell("V3-Mon", "W2", worker_id="W9"), {"unknown_id"}),
    ("unknown_id: unassigned instance V9-Sat", {}, add_unassigned("V9-Sat"), {"unknown_id"}),
    ("row_consistency: day", {}, cell("V4-Mon", "W2", day="Tue"), {"row_consistency"}),
    ("row_consistency: customer", {}, cell("V4-Mon", "W2", customer_id="C2"),
     {"row_consistency"}),
    ("row_consistency: unassigned start", {}, unassigned(start="09:05"), {"row_consistency"}),
    ("unassigned_reason: blank", {}, unassigned(reason=" "), {"unassigned_reason"}),
    # -- one visit: window [16:00, 18:00] of V4-Mon, [07:45, 08:15] of V1-Sat
    ("time_window: start at the latest", {}, move("V4-Mon", "W2", "18:00", "18:30"), set()),
    ("time_window: a minute late", {}, move("V4-Mon", "W2", "18:01", "18:31"), {"time_window"}),
    ("time_window: start at the earliest", {}, move("V1-Sat", "W1", "07:45", "08:15"), set()),
    ("time_window: a minute early", {}, move("V1-Sat", "W1", "07:44", "08:14"), {"time_window"}),
    ("duration: a minute long", {}, cell("V4-Mon", "W2", end="18:11"), {"duration"}),
    ("duration: a minute short", {}, cell("V4-Mon", "W2", end="18:09"), {"duration"}),
    ("double_handed_sync: W2 a minute later", {}, move("V3-Sat", "W2", "12:01", "13:01"),
     {"double_handed_sync"}),
    # -- runs: W2's second Mon shift opens 16:30, 12 min from home
    ("travel_from_home: exactly enough", {}, move("V4-Mon", "W2", "16:42", "17:12"), set()),
    ("travel_from_home: a minute short", {}, move("V4-Mon", "W2", "16:41", "17:11"),
     {"travel_from_home"}),
    ("travel_from_home: W3 a minute short", {}, move("V5-Sat", "W3", "09:59", "10:59"),
     {"travel_from_home"}),
    ("availability: starts before the shift", {}, move("V4-Mon", "W2", "16:29", "16:59"),
     {"availability"}),
    # V1-Mon ends 08:30, C1 -> C2 is 5 min
    ("travel_between: exactly enough", {}, move("V2-Mon", "W1", "08:35", "09:20"), set()),
    ("travel_between: a minute short", {}, move("V2-Mon", "W1", "08:34", "09:19"),
     {"travel_between"}),
    ("travel_between: touching, no travel", {}, move("V2-Mon", "W1", "08:30", "09:15"),
     {"travel_between"}),
    ("overlap: a minute into the previous visit", {}, move("V2-Mon", "W1", "08:29", "09:14"),
     {"overlap"}),
    # W2's first Mon shift ends 13:08 = V3-Mon end 13:00 + 8 min home
    ("travel_to_home: a minute over", {}, move_both("V3-Mon", "12:01", "13:01"),
     {"travel_to_home"}),
    # V4-Mon's modelled leg is 12 min / 3.0 km; tolerance 1 min / 0.05 km
    ("travel_recorded: a minute over, tolerated", {}, cell("V4-Mon", "W2", travel_min=13), set()),
    ("travel_recorded: two minutes over", {}, cell("V4-Mon", "W2", travel_min=14),
     {"travel_recorded"}),
    ("travel_recorded: a minute under, tolerated", {}, cell("V4-Mon", "W2", travel_min=11),
     set()),
    ("travel_recorded: two minutes under", {}, cell("V4-Mon", "W2", travel_min=10),
     {"travel_recorded"}),
    ("travel_recorded: 0.05 km over, tolerated", {}, cell("V4-Mon", "W2", travel_km=3.05),
     set()),
    ("travel_recorded: 0.06 km over", {}, cell("V4-Mon", "W2", travel_km=3.06),
     {"travel_recorded"}),
    # -- eligibility (one caseload cell each)
    ("skills: V5 needs hoist, W3 lacks it", {"visits": {"V5": {"skills": "hoist"}}}, same,
     {"skills"}),
    ("gender: C1 wants female, W2 is male", {"customers": {"C1": {"gender_preference": "female"}}},
     same, {"gender"}),
    ("ban: C1 bans W2", {"preferences": [*PREFERENCES, ("C1", "W2", "banned")]}, same, {"ban"}),
    ("zone: W2 serves Z1 and Z2", {"workers": {"W2": {"zones": "Z1;Z2"}}}, same, set()),
    ("zone: W2 serves Z2 only, C1 is Z1", {"workers": {"W2": {"zones": "Z2"}}}, same, {"zone"}),
    ("provider: C3 and W3 both P1",
     {"customers": {"C3": {"provider": "P1"}}, "workers": {"W3": {"provider": "P1"}}}, same,
     set()),
    ("provider: C3 P1, W3 none", {"customers": {"C3": {"provider": "P1"}}}, same, {"provider"}),
    # -- customers: V1-Mon ends 08:30, C1's next visit V4-Mon starts 17:40 (550 min later)
    ("min_gap: exactly 550", {"visits": {"V1": {"min_gap_after_min": 550}}}, same, set()),
    ("min_gap: 551", {"visits": {"V1": {"min_gap_after_min": 551}}}, same, {"min_gap"}),
    ("team_size: C3 capped at 2", {"customers": {"C3": {"max_team_size": 2}}}, same,
     {"team_size"}),
    # -- workers: W1's Mon shift carries loads 2 + 1 + 2 = 5
    ("max_load_per_shift: 4.9", {"workers": {"W1": {"max_load_per_shift": 4.9}}}, same,
     {"max_load_per_shift"}),
    # W1 Mon worked = 30 + 45 + 60 contact + 42 travel = 177 min
    ("hours_day: exactly at the cap", {"workers": {"W1": {"max_hours_day": 177 / 60}}}, same,
     set()),
    ("hours_day: a minute over", {"workers": {"W1": {"max_hours_day": 176 / 60}}}, same,
     {"hours_day"}),
    # W1 week = 177 (Mon) + 90 + 36 (Sat) = 303 min
    ("hours_week: exactly at the cap", {"workers": {"W1": {"max_hours_week": 303 / 60}}}, same,
     set()),
    ("hours_week: a minute over", {"workers": {"W1": {"max_hours_week": 302 / 60}}}, same,
     {"hours_week"}),
    # W2 Mon runs 12:00 to 18:10 = 370 min (the longest day)
    ("span: exactly 370", {"policy": {"max_shift_span_min": 370}}, same, set()),
    ("span: 369", {"policy": {"max_shift_span_min": 369}}, same, {"span"}),
    # W2 ends Mon 18:10 and starts Sat 12:00: 5 x 1440 + 720 - 1090 = 6830 min rest
    ("rest: exactly 6830", {"policy": {"min_rest_between_days_min": 6830}}, same, set()),
    ("rest: 6831", {"policy": {"min_rest_between_days_min": 6831}}, same, {"rest"}),
    # -- pinned (project extension)
    ("pinned: start moved", {"pinned": [{"visit_id": "V1-Mon", "worker_id": "W1",
                                         "start": "08:01"}]}, same, {"pinned"}),
    ("pinned: another worker", {"pinned": [{"visit_id": "V5-Sat", "worker_id": "W1"}]}, same,
     {"pinned"}),
]


@pytest.mark.parametrize(
    ("changes", "edit", "expected"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_one_rule_breaks(changes, edit, expected):
    assert rules(make_caseload(**changes), edit(make_rota())) == expected


def test_every_rule_has_a_breaking_case():
    covered = {rule for *_, expected in CASES for rule in expected}
    assert covered == set(RULE_IDS)


REFEREE_RULES = set(RULE_IDS) - {"pinned"}
"""Rules check_rota.py checks too (it knows nothing of pins)."""


@pytest.mark.parametrize(
    ("changes", "edit", "expected"),
    [case[1:] for case in CASES if not case[3] - REFEREE_RULES],
    ids=[case[0] for case in CASES if not case[3] - REFEREE_RULES],
)
def test_referee_reports_the_same_rules(tmp_path, changes, edit, expected):
    referee = load_checker()
    caseload, rota = make_caseload(**changes), edit(make_rota())
    write_caseload(caseload, tmp_path / "caseload")
    write_rota(rota, tmp_path / "rota")
    report = referee.check_paths(tmp_path / "caseload", tmp_path / "rota")
    assert report.rules() == expected == rules(caseload, rota)


# ----------------------------------------------------------------------------- violations


def test_violation_names_entities_and_amount():
    rota = change_row(make_rota(), "V4-Mon", "W2", start="18:05", end="18:35")
    [violation] = validate(make_caseload(), rota)
    assert violation == Violation(
        "time_window",
        violation.message,
        {"visit": "V4-Mon", "worker": "W2"},
        5,  # 18:05 against the latest start 18:00
        "min",
    )
    assert "late by 5 min" in violation.message


def test_a_bad_row_is_named_by_its_spreadsheet_row(tmp_path):
    rota = cell("V3-Mon", "W2", worker_id="W9")(make_rota())
    write_rota(rota, tmp_path / "rota")
    lines = (tmp_path / "rota" / "rota.csv").read_text().splitlines()
    row = next(n for n, line in enumerate(lines, start=1) if ",W9," in line)  # header = 1
    [violation] = [v for v in validate(make_caseload(), read_rota(tmp_path / "rota").rota)
                   if v.rule == "unknown_id"]
    assert violation.entities == {"worker": "W9", "row": f"rota.csv:{row}"}


def test_check_names_a_bad_row_by_its_spreadsheet_row_after_blank_lines(tmp_path):
    from click.testing import CliRunner

    from scheduler.cli import main

    rota = cell("V3-Mon", "W2", worker_id="W9")(make_rota())
    caseload_dir, rota_dir = _write(tmp_path, make_caseload(), rota)
    path = Path(rota_dir) / "rota.csv"
    lines = path.read_text().splitlines()
    path.write_text("\n".join([lines[0], "", ",,,,,,,", *lines[1:]]) + "\n")  # a hand edit
    row = next(n for n, line in enumerate(path.read_text().splitlines(), start=1)
               if ",W9," in line)
    result = CliRunner().invoke(main, ["check", caseload_dir, rota_dir])
    assert result.exit_code == 1, result.output
    assert f"row=rota.csv:{row}" in result.output
    assert f"row=rota.csv:{row - 2}" not in result.output


def test_report_text_groups_by_rule_and_ends_with_summary():
    caseload = make_caseload(customers={"C3": {"max_team_size": 2}})
    rota = change_row(make_rota(), "V4-Mon", "W2", start="18:01", end="18:31")
    violations = validate(caseload, rota)
    total, breakdown = objective(caseload, rota)
    lines = report_text(violations, total, breakdown).splitlines()
    assert lines[0] == "time_window (1)"
    assert "team_size (1)" in lines
    assert lines[-1] == f"INVALID 2 violations (time_window=1, team_size=1) objective={total}"
    valid = report_text([], 7, {"travel_time": 7}).splitlines()
    assert valid[-1] == "VALID objective=7"


def test_validate_is_fast_on_a_week_of_2500_visits():
    caseload, rota = _large_week(customers=360, workers=60)
    assert len(caseload.instances) == 2520
    validate(caseload, rota)  # warm the caseload's cached views
    started = time.perf_counter()
    validate(caseload, rota)
    objective(caseload, rota)
    assert time.perf_counter() - started < 1.0


def _large_week(customers: int, workers: int) -> tuple[Caseload, Rota]:
    """360 customers with one daily visit each, 60 workers with a 07:00-22:00 day."""
    caseload = Caseload.model_validate({
        "customers": [{"customer_id": f"C{i}", "lat": 51.4 + i % 19 / 100,
                       "lon": -0.2 + i // 19 / 100} for i in range(customers)],
        "workers": [{"worker_id": f"W{j}", "lat": 51.45, "lon": -0.1 + j / 1000}
                    for j in range(workers)],
        "visits": [{"visit_id": f"V{i}", "customer_id": f"C{i}", "days": "daily",
                    "start": f"{8 + i % 12:02d}:{i % 4 * 15:02d}", "duration_min": 30}
                   for i in range(customers)],
        "availability": [{"worker_id": f"W{j}", "day": "daily", "start": "07:00",
                          "end": "22:00"} for j in range(workers)],
    })
    rows = [
        {"visit_id": v.id, "customer_id": v.customer_id, "worker_id": f"W{i % workers}",
         "day": v.day, "start": v.preferred_start % 1440,
         "end": v.preferred_start % 1440 + v.duration_min}
        for i, v in enumerate(caseload.instances)
    ]
    return caseload, Rota.model_validate({"assignments": rows})


# ----------------------------------------------------------------------------- rota check


def _write(tmp_path: Path, caseload: Caseload, rota: Rota) -> tuple[str, str]:
    write_caseload(caseload, tmp_path / "caseload")
    write_rota(rota, tmp_path / "rota")
    return str(tmp_path / "caseload"), str(tmp_path / "rota")


def test_cli_check_valid_rota(tmp_path):
    from click.testing import CliRunner

    from scheduler.cli import main

    result = CliRunner().invoke(main, ["check", *_write(tmp_path, make_caseload(), make_rota())])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert "objective 30502" in lines
    assert any(line.split() == ["travel_time", "1840"] for line in lines)
    assert lines[-1] == "VALID objective=30502"


def test_cli_check_reports_violations_by_rule(tmp_path):
    from click.testing import CliRunner

    from scheduler.cli import main

    rota = change_row(make_rota(), "V4-Mon", "W2", start="18:01", end="18:31")
    result = CliRunner().invoke(main, ["check", *_write(tmp_path, make_caseload(), rota)])
    assert result.exit_code == 1
    assert "time_window (1)" in result.output.splitlines()
    assert result.output.splitlines()[-1].startswith("INVALID 1 violation (time_window=1)")


def test_cli_check_unreadable_input_exits_2(tmp_path):
    from click.testing import CliRunner

    from scheduler.cli import main

    caseload_dir, _ = _write(tmp_path, make_caseload(), make_rota())
    result = CliRunner().invoke(main, ["check", caseload_dir, str(tmp_path / "missing")])
    assert result.exit_code == 2
    assert "file not found" in result.output
