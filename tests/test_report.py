"""Reports (scheduler.report) and explanations (scheduler.explain) on hand-made rotas.

The tiny sample (data/samples/tiny) with its hand-checked optimal rota, written out below, is
the fixture of most tests: Alice (W1) does Ada's two medication visits, Ben (W2) works a split
shift (Don and Cath in the morning, Don and Cath again in the evening), Cara (W3) does Bill's
visits; Ben and Cara share Cath's double-handed hoist transfer V3-Mon at 09:00.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pytest
from click.testing import CliRunner

from models import Assignment, Caseload, Rota, UnassignedVisit
from scheduler.cli import main
from scheduler.explain import (
    eligibility_blockers,
    explain_visit,
    explanation_text,
    plan_from_rota,
    rota_explanation_text,
    unassigned_reason,
)
from scheduler.io import read_caseload, write_caseload, write_rota
from scheduler.kpi import compute_kpis
from scheduler.report import write_reports
from scheduler.report.calendars import CalendarError, fold, worker_calendars
from scheduler.report.changes import change_list, changes_by_worker, changes_csv
from scheduler.report.customers import customer_schedule_rows, customer_schedules_html
from scheduler.report.runsheets import (
    RUNSHEET_COLUMNS,
    runsheet_rows,
    runsheets_csv,
    runsheets_html,
)
from scheduler.validate import objective, validate

TINY = Path(__file__).resolve().parent.parent / "data" / "samples" / "tiny"
STAMP = dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.UTC)

TINY_ROWS = [  # visit, customer, worker, start, end, travel_min, travel_km (all on Monday)
    ("V1-Mon", "C1", "W1", "07:59", "08:29", 1, 0.289),
    ("V5-Mon", "C1", "W1", "12:29", "12:59", 0, 0.0),
    ("V4-Mon", "C4", "W2", "08:00", "08:30", 1, 0.289),
    ("V3-Mon", "C3", "W2", "09:00", "09:30", 2, 0.578),
    ("V7-Mon", "C4", "W2", "17:30", "18:00", 1, 0.289),
    ("V8-Mon", "C3", "W2", "18:30", "19:00", 2, 0.578),
    ("V2-Mon", "C2", "W3", "08:00", "08:45", 2, 0.867),
    ("V3-Mon", "C3", "W3", "09:00", "09:30", 3, 1.156),
    ("V6-Mon", "C2", "W3", "12:00", "12:30", 3, 1.156),
]


def row(visit_id, customer_id, worker_id, start, end, travel_min=0, travel_km=0.0, day="Mon"):
    return Assignment(visit_id=visit_id, customer_id=customer_id, worker_id=worker_id, day=day,
                      start=start, end=end, travel_min=travel_min, travel_km=travel_km)


@pytest.fixture(scope="module")
def tiny() -> Caseload:
    return read_caseload(TINY)


@pytest.fixture(scope="module")
def tiny_rota() -> Rota:
    return Rota(assignments=tuple(row(*r) for r in TINY_ROWS))


def test_the_hand_made_rota_is_valid(tiny, tiny_rota):
    assert validate(tiny, tiny_rota) == []
    assert objective(tiny, tiny_rota)[0] == 3324  # data/samples/tiny/README.md


def without_visit(rota: Rota, visit_id: str, reason: str = "nobody free") -> Rota:
    """The rota with every row of a visit moved to unassigned.csv."""
    rows = [r for r in rota.assignments if r.visit_id == visit_id]
    left = UnassignedVisit(visit_id=visit_id, customer_id=rows[0].customer_id, day=rows[0].day,
                           start=rows[0].start, reason=reason)
    return Rota(assignments=tuple(r for r in rota.assignments if r.visit_id != visit_id),
                unassigned=(*rota.unassigned, left))


# ----------------------------------------------------------------------------- run sheets


def test_run_sheet_rows_follow_each_workers_day(tiny, tiny_rota):
    rows = runsheet_rows(tiny, tiny_rota)
    ben = [r for r in rows if r["worker_id"] == "W2"]
    assert [r["customer_name"] for r in ben] == ["Don Lee", "Cath Hill", "Don Lee", "Cath Hill"]
    assert [(r["run"], r["order"]) for r in ben] == [(1, 1), (1, 2), (2, 3), (2, 4)]
    assert [r["then_home_min"] for r in ben] == ["", 2, "", 2]  # the end of each run
    first = ben[0]
    assert (first["start"], first["end"], first["duration_min"]) == ("08:00", "08:30", 30)
    assert (first["travel_min"], first["travel_km"]) == (1, 0.29)
    assert first["address"] == "9 Church Street"
    assert (first["type"], first["tasks"]) == ("morning", "get up and breakfast")
    assert first["date"] == "2026-11-23" and first["day"] == "Mon"


def test_run_sheet_notes_name_the_other_worker_of_a_double_handed_visit(tiny, tiny_rota):
    notes = {(r["worker_id"], r["visit_id"]): r["notes"] for r in runsheet_rows(tiny, tiny_rota)}
    assert notes[("W2", "V3-Mon")].startswith("double-handed with Cara Wood (W3)")
    assert notes[("W3", "V3-Mon")].startswith("double-handed with Ben Shaw (W2)")
    assert "needs hoist" in notes[("W2", "V3-Mon")]
    assert notes[("W2", "V4-Mon")] == ""


def test_run_sheets_csv_and_html(tiny, tiny_rota):
    table = list(csv.DictReader(io.StringIO(runsheets_csv(tiny, tiny_rota))))
    assert tuple(table[0]) == RUNSHEET_COLUMNS
    assert len(table) == len(TINY_ROWS)
    page = runsheets_html(tiny, tiny_rota)
    assert page.count('<section class="sheet"') == 3  # one per worker-day
    assert "break-after: page" in page and "@media print" in page
    assert "Ben Shaw (W2) \u00b7 Mon 23 Nov" in page and "07:00-10:30, 17:00-20:00" in page


# ----------------------------------------------------------------------------- customer schedules


def test_customer_schedule_lists_who_comes_when(tiny, tiny_rota):
    rows = customer_schedule_rows(tiny, without_visit(tiny_rota, "V8-Mon"))
    assert [r["customer_id"] for r in rows] == ["C1", "C1", "C2", "C2", "C3", "C3", "C4", "C4"]
    cath = [r for r in rows if r["customer_id"] == "C3"]
    assert (cath[0]["start"], cath[0]["workers"], cath[0]["status"]) == (
        "09:00", "Ben Shaw and Cara Wood", "planned")
    assert (cath[1]["visit_id"], cath[1]["start"], cath[1]["workers"], cath[1]["status"]) == (
        "V8-Mon", "18:30", "", "not arranged")
    ada = [r for r in rows if r["customer_id"] == "C1"]
    assert ada[0]["new_workers"] == ""  # Alice is Ada's named regular
    page = customer_schedules_html(tiny, without_visit(tiny_rota, "V8-Mon"))
    assert page.count('<section class="letter"') == 4 and "to be confirmed" in page


# ----------------------------------------------------------------------------- calendars


def unfold(text: str) -> list[str]:
    """RFC 5545 content lines of a calendar: CRLF-separated, continuation lines joined."""
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")
    return text[:-2].replace("\r\n ", "").split("\r\n")


def events(text: str) -> list[dict[str, str]]:
    """Each VEVENT as {property name with parameters: value}."""
    out, current = [], None
    for line in unfold(text):
        if line == "BEGIN:VEVENT":
            current = {}
        elif line == "END:VEVENT":
            out.append(current)
            current = None
        elif current is not None:
            name, _, value = line.partition(":")
            current[name] = value
    return out


def test_calendar_has_one_event_per_visit_with_local_times(tiny, tiny_rota):
    calendars = worker_calendars(tiny, tiny_rota, stamp=STAMP)
    assert sorted(calendars) == ["W1", "W2", "W3"]
    ben = events(calendars["W2"])
    assert len(ben) == 4
    don = next(e for e in ben if e["UID"].startswith("V4-Mon"))
    assert don["DTSTART;TZID=Europe/London"] == "20261123T080000"
    assert don["DTEND;TZID=Europe/London"] == "20261123T083000"
    assert don["SUMMARY"] == "Don Lee - morning"
    assert don["LOCATION"] == "9 Church Street"
    assert don["DTSTAMP"] == "20261120T090000Z"
    assert don["UID"] == "V4-Mon.W2.20261123@homecare-rota"
    assert len({e["UID"] for e in ben}) == 4
    assert "BEGIN:VTIMEZONE" in calendars["W2"] and "TZID:Europe/London" in calendars["W2"]


def test_calendar_escapes_text_and_folds_long_lines(tiny, tiny_rota):
    cara = worker_calendars(tiny, tiny_rota, stamp=STAMP)["W3"]
    assert all(len(line.encode()) <= 75 for line in cara.split("\r\n"))
    bill = next(e for e in events(cara) if e["UID"].startswith("V2-Mon"))
    assert r"Tasks: wash\, dress\, breakfast\n" in bill["DESCRIPTION"]
    assert any(line.startswith(" ") for line in cara.split("\r\n"))  # a folded DESCRIPTION


def test_fold_never_splits_a_character_and_unfolds_to_the_original():
    line = "DESCRIPTION:" + "café crème, " * 20
    folded = fold(line)
    pieces = folded.split("\r\n")
    assert len(pieces) > 1
    assert all(len(p.encode("utf-8")) <= 75 for p in pieces)
    assert all(p.startswith(" ") for p in pieces[1:])
    assert folded.replace("\r\n ", "") == line


def test_calendar_floating_times_and_missing_week_start(tiny, tiny_rota):
    floating = worker_calendars(tiny, tiny_rota, stamp=STAMP, floating=True)["W1"]
    assert "DTSTART:20261123T075900" in floating and "VTIMEZONE" not in floating
    undated = tiny.model_copy(update={"week_start": None})
    with pytest.raises(CalendarError):
        worker_calendars(undated, tiny_rota, stamp=STAMP)


# ----------------------------------------------------------------------------- change list


@pytest.fixture(scope="module")
def tiny_with_previous(tiny) -> Caseload:
    previous = [
        row("V1-Mon", "C1", "W1", "07:59", "08:29"),  # unchanged
        row("V2-Mon", "C2", "W1", "08:00", "08:45"),  # worker: W1 -> W3
        row("V4-Mon", "C4", "W2", "08:10", "08:40"),  # time: 08:10 -> 08:00
        row("V6-Mon", "C2", "W1", "12:15", "12:45"),  # worker and time
        row("V9-Mon", "C4", "W2", "20:00", "20:30"),  # no longer in the care plan
    ]
    data = tiny.model_dump()
    data["previous_rota"] = [r.model_dump() for r in previous]
    return Caseload.model_validate(data)


def test_change_list_finds_changed_workers_and_starts(tiny_with_previous, tiny_rota):
    changes = {c.visit_id: c for c in change_list(tiny_with_previous, tiny_rota)}
    assert "V1-Mon" not in changes
    assert changes["V2-Mon"].change == "worker"
    assert (changes["V2-Mon"].before_workers, changes["V2-Mon"].after_workers) == (
        ("W1",), ("W3",))
    assert changes["V4-Mon"].change == "time"
    assert (changes["V4-Mon"].before_start, changes["V4-Mon"].after_start) == (490, 480)
    assert changes["V6-Mon"].change == "worker and time"
    assert changes["V9-Mon"].change == "removed"
    assert changes["V3-Mon"].change == "new"  # not in last week's rota
    changed = [c for c in changes.values() if c.change != "new"]
    kpis = compute_kpis(tiny_with_previous, tiny_rota)
    assert len(changed) == kpis["changes_vs_previous"] == 4


def test_change_list_by_worker_and_as_csv(tiny_with_previous, tiny_rota):
    changes = change_list(tiny_with_previous, tiny_rota)
    by_worker = changes_by_worker(changes)
    assert [c.visit_id for c in by_worker["W1"]["lost"]] == ["V2-Mon", "V6-Mon"]
    assert "V2-Mon" in [c.visit_id for c in by_worker["W3"]["gained"]]
    assert [c.visit_id for c in by_worker["W2"]["moved"]] == ["V4-Mon"]
    table = list(csv.DictReader(io.StringIO(changes_csv(tiny_with_previous, tiny_rota))))
    don = next(r for r in table if r["visit_id"] == "V4-Mon")
    assert don == {"customer_id": "C4", "customer_name": "Don Lee", "visit_id": "V4-Mon",
                   "day": "Mon", "before_workers": "W2", "before_start": "08:10",
                   "after_workers": "W2", "after_start": "08:00", "moved_min": "-10",
                   "change": "time"}
    assert next(r for r in table if r["visit_id"] == "V9-Mon")["moved_min"] == ""  # removed
    assert [r["customer_id"] for r in table] == sorted(r["customer_id"] for r in table)


def test_no_previous_rota_means_no_changes(tiny, tiny_rota):
    assert change_list(tiny, tiny_rota) == []
    assert changes_csv(tiny, tiny_rota).splitlines()[0].startswith("customer_id,")


# ----------------------------------------------------------------------------- write_reports


def test_write_reports_writes_every_output(tmp_path, tiny, tiny_rota):
    (tmp_path / "calendars").mkdir()
    (tmp_path / "calendars" / "W9.ics").write_text("stale")  # a worker with no visits now
    written = write_reports(tiny, tiny_rota, compute_kpis(tiny, tiny_rota), tmp_path,
                            stamp=STAMP)
    names = {p.relative_to(tmp_path).as_posix() for p in written}
    assert names == {"runsheets.csv", "runsheets.html", "customer_schedules.csv",
                     "customer_schedules.html", "changes.csv", "board.html",
                     "calendars/W1.ics", "calendars/W2.ics", "calendars/W3.ics"}
    assert not (tmp_path / "calendars" / "W9.ics").exists()
    board = (tmp_path / "board.html").read_text(encoding="utf-8")
    assert 'id="board-data"' in board and "http://" not in board.replace(
        "http://www.w3.org/2000/svg", "")


# ----------------------------------------------------------------------------- explain


def explain_caseload() -> Caseload:
    """X (C1, Mon 09:00, 30 min, medication) is unassigned; each of four workers is kept from it
    by exactly one rule: WS lacks the skill, WA works only in the afternoon, WT is not in C1's
    full team (cap 1: WO), and WO is busy at Z (C2, 09:00-10:00). Every leg is 5 min, 1 km."""
    places = ["C1", "C2", "WS", "WA", "WT", "WO"]
    worker = {"lat": 51.5, "lon": -0.12, "transport": "car"}
    return Caseload.model_validate({
        "name": "explain",
        "week_start": "2026-11-23",
        "customers": [
            {"customer_id": "C1", "name": "Ann", "lat": 51.501, "lon": -0.12, "max_team_size": 1},
            {"customer_id": "C2", "name": "Bob", "lat": 51.502, "lon": -0.12},
        ],
        "workers": [
            {"worker_id": "WS", **worker},
            {"worker_id": "WA", **worker, "skills": "medication"},
            {"worker_id": "WT", **worker, "skills": "medication"},
            {"worker_id": "WO", **worker, "skills": "medication"},
        ],
        "visits": [
            {"visit_id": "X", "customer_id": "C1", "days": "Mon", "start": "09:00",
             "duration_min": 30, "skills": "medication"},
            {"visit_id": "Y", "customer_id": "C1", "days": "Mon", "start": "12:00",
             "duration_min": 30},
            {"visit_id": "Z", "customer_id": "C2", "days": "Mon", "start": "09:00",
             "duration_min": 60},
        ],
        "availability": [
            {"worker_id": w, "day": "Mon", "start": "07:00", "end": "18:00"}
            for w in ("WS", "WT", "WO")
        ] + [{"worker_id": "WA", "day": "Mon", "start": "13:00", "end": "18:00"}],
        "travel_matrix": [{"from_id": a, "to_id": b, "minutes": 5, "km": 1.0}
                          for a in places for b in places if a != b],
    })


def explain_rota() -> Rota:
    return Rota(
        assignments=(row("Z-Mon", "C2", "WO", "09:00", "10:00", 5, 1.0),
                     row("Y-Mon", "C1", "WO", "12:00", "12:30", 5, 1.0)),
        unassigned=(UnassignedVisit(visit_id="X-Mon", customer_id="C1", day="Mon",
                                    start="09:00", reason="recorded reason"),),
    )


def test_explain_names_the_blocker_of_each_worker():
    caseload, rota = explain_caseload(), explain_rota()
    assert validate(caseload, rota) == []
    explanation = explain_visit(caseload, rota, "X-Mon")
    assert explanation.status == "unassigned"
    assert explanation.recorded_reason == "recorded reason"
    checks = {c.worker_id: c for c in explanation.checks}
    rules = {w: [b.rule for b in c.blockers] for w, c in checks.items()}
    assert rules == {"WS": ["skill"], "WA": ["availability"], "WT": ["team_cap"],
                     "WO": ["overlap"]}
    assert checks["WS"].blockers[0].message == "lacks medication"
    assert "13:00-18:00" in checks["WA"].blockers[0].message
    assert "WO" in checks["WT"].blockers[0].message  # the full team is named
    assert checks["WO"].blockers[0].visits == ("Z-Mon",)
    assert "Z-Mon (C2) 09:00-10:00" in checks["WO"].blockers[0].message
    assert not any(c.free for c in explanation.checks)


def test_unassigned_reason_at_the_team_cap_says_what_each_member_is_doing():
    caseload, rota = explain_caseload(), explain_rota()
    plan = plan_from_rota(caseload, rota)
    reason = unassigned_reason(plan, plan.inst.visit_ids.index("X-Mon"))
    assert reason == ("team cap reached: C1 already has 1 worker (WO), its cap, and the visit "
                      "needs 1: WO is at Z-Mon (C2) 09:00-10:00; 1 other worker on duty then is "
                      "outside the team")


def test_unassigned_reason_at_the_team_cap_names_members_off_duty_and_free():
    data = explain_caseload().model_dump()
    data["availability"][2].update(start="11:00")  # WO: Mon 11:00-18:00, not at 09:00
    off = Caseload.model_validate(data)
    rota = Rota(assignments=(row("Z-Mon", "C2", "WT", "09:00", "10:00", 5, 1.0),
                             row("Y-Mon", "C1", "WO", "12:00", "12:30", 5, 1.0)),
                unassigned=explain_rota().unassigned)
    assert validate(off, rota) == []
    plan = plan_from_rota(off, rota)
    assert unassigned_reason(plan, plan.inst.visit_ids.index("X-Mon")) == (
        "team cap reached: C1 already has 1 worker (WO), its cap, and the visit needs 1: "
        "WO is not available Mon 08:45-09:45; 1 other worker on duty then is outside the "
        "team")
    free = Rota(assignments=(row("Y-Mon", "C1", "WO", "12:00", "12:30", 5, 1.0),),
                unassigned=explain_rota().unassigned)
    plan = plan_from_rota(explain_caseload(), free)
    assert "the visit needs 1: WO is free;" in unassigned_reason(
        plan, plan.inst.visit_ids.index("X-Mon"))


def test_explain_an_assigned_visit_lists_its_worker_and_who_else_is_free():
    caseload, rota = explain_caseload(), explain_rota()
    explanation = explain_visit(caseload, rota, "Z-Mon")
    checks = {c.worker_id: c for c in explanation.checks}
    assert explanation.status == "assigned" and explanation.workers == ("WO",)
    assert checks["WO"].assigned and checks["WO"].start == 540
    assert checks["WT"].free and checks["WT"].start == 540
    assert [b.rule for b in checks["WA"].blockers] == ["availability"]
    text = explanation_text(caseload, explanation)
    assert "free to take it now: WS, WT" in text


def test_eligibility_blockers_name_gender_ban_zone_and_provider(tiny):
    data = tiny.model_dump()
    data["customers"][0].update(zone="Z1", provider="P1")
    data["workers"][1].update(zones="Z2")
    data["preferences"] = [*data["preferences"],
                           {"customer_id": "C1", "worker_id": "W2", "kind": "banned"}]
    caseload = Caseload.model_validate(data)
    ben = caseload.worker_by_id["W2"]
    blockers = eligibility_blockers(caseload, caseload.instance_by_id["V1-Mon"], ben)
    assert [b.rule for b in blockers] == ["skill", "gender", "ban", "zone", "provider"]


def test_plan_from_rota_reproduces_the_objective(tiny, tiny_rota):
    plan = plan_from_rota(tiny, tiny_rota)
    assert plan.objective() == objective(tiny, tiny_rota)[0]
    assert plan.unassigned_visits() == []


def test_rota_explanation_lists_terms_and_unassigned_visits():
    text = rota_explanation_text(explain_caseload(), explain_rota())
    assert "unassigned_normal" in text and "travel_time" in text
    assert "X-Mon C1 Mon 09:00 [normal]: recorded reason" in text
    assert "analysis:" in text  # the engine's own reason differs from the recorded one


# ----------------------------------------------------------------------------- CLI


def rota_folder(tmp_path: Path, caseload: Caseload, rota: Rota, *, with_caseload: bool) -> Path:
    folder = tmp_path / "rota"
    write_rota(rota, folder)
    if with_caseload:
        write_caseload(caseload, folder / "caseload.json")
    return folder


def test_cli_report_without_a_caseload_is_an_error_and_writes_nothing(tmp_path, tiny,
                                                                      tiny_rota):
    folder = rota_folder(tmp_path, tiny, tiny_rota, with_caseload=False)
    before = sorted(p.name for p in folder.iterdir())
    result = CliRunner().invoke(main, ["report", str(folder)])
    assert result.exit_code == 2
    assert "--caseload" in result.output
    assert sorted(p.name for p in folder.iterdir()) == before


def test_cli_report_writes_the_reports_and_kpis(tmp_path, tiny, tiny_rota):
    folder = rota_folder(tmp_path, tiny, tiny_rota, with_caseload=False)
    result = CliRunner().invoke(main, ["report", str(folder), "--caseload", str(TINY)])
    assert result.exit_code == 0, result.output
    for name in ("board.html", "runsheets.csv", "customer_schedules.csv", "changes.csv",
                 "kpis.json", "calendars/W2.ics"):
        assert (folder / name).is_file(), name


def test_cli_report_marks_an_invalid_rota(tmp_path, tiny, tiny_rota):
    late = Rota(assignments=tuple(
        r.model_copy(update={"start": 1140, "end": 1170}) if r.visit_id == "V8-Mon" else r
        for r in tiny_rota.assignments))
    folder = rota_folder(tmp_path, tiny, late, with_caseload=True)
    result = CliRunner().invoke(main, ["report", str(folder)])
    assert result.exit_code == 1
    assert "INVALID" in result.output and "time_window" in result.output
    assert '"valid":false' in (folder / "board.html").read_text(encoding="utf-8")


def test_cli_explain_a_visit_and_the_whole_rota(tmp_path):
    folder = rota_folder(tmp_path, explain_caseload(), explain_rota(), with_caseload=True)
    result = CliRunner().invoke(main, ["explain", str(folder), "--visit", "X-Mon"])
    assert result.exit_code == 0, result.output
    assert "skill: lacks medication" in result.output
    assert "overlap: at Z-Mon (C2) 09:00-10:00" in result.output
    whole = CliRunner().invoke(main, ["explain", str(folder / "caseload.json"),
                                      "--rota", str(folder)])
    assert whole.exit_code == 0 and "objective" in whole.output and "X-Mon" in whole.output


def test_cli_explain_needs_a_rota_and_a_known_visit(tmp_path):
    folder = rota_folder(tmp_path, explain_caseload(), explain_rota(), with_caseload=True)
    missing = CliRunner().invoke(main, ["explain", str(folder / "caseload.json"),
                                        "--rota", str(tmp_path / "nowhere")])
    assert missing.exit_code == 2 and "rota solve" in missing.output
    unknown = CliRunner().invoke(main, ["explain", str(folder), "--visit", "X-Tue"])
    assert unknown.exit_code == 2 and "X-Mon" in unknown.output
