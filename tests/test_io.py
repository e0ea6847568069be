"""Reading and writing caseloads and rotas: round trips, the format's spellings, and agreement with
the independent checker (shared/tools/check_rota.py) on what a caseload means."""

from __future__ import annotations

import csv
import json
import warnings
from pathlib import Path

import pytest
from caseload_builder import caseload_json, valid_tables, write_folder
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from referee import load_checker

from models import DAYS, Assignment, Caseload, Rota, UnassignedVisit
from models.base import format_days, parse_days
from scheduler.cli import main
from scheduler.io import CaseloadError, read_caseload, read_rota, write_caseload, write_rota

# A hand-made caseload with every optional table and column, ids with leading zeros, every
# spelling of days and times the format allows, and settings that differ from the defaults.
FULL = {
    "caseload.yaml": """\
name: Riverside, week of 2026-11-23
week_start: 2026-11-23
travel:
  detour_factor: 1.25
  speed_kmh: {car: 32, bike: 15, walk: 5, public: 12, scooter: 20}
  public_wait_min: 6
policy:
  window_before_min: 20
  window_after_min: 10
  punctuality_tolerance_min: 5
  max_team_size: 4
  max_shift_span_min: 840
  min_rest_between_days_min: 660
costs:
  currency: EUR
  pay_per_hour: 12.25
  travel_time_paid: true
  mileage_per_km: 0.3
  weekend_premium_pct: 10
  weekend_premium_per_hour: 0.75
  fee_per_hour: 24.5
weights:
  travel_time: 3
  team_size: 50
""",
    "customers.csv": """\
customer_id,name,lat,lon,zone,provider,max_team_size,gender_preference,address
007,Ada Lovelace,51.5007,-0.1246,Z1,ACME,2,Female,"1 Mill Lane, Riverside"
C2,Bert,51.51,-0.1,Z2,,,,
C3,Cyd,51.52,-0.11,,,,male,
""",
    "visits.csv": """\
visit_id,customer_id,days,start,duration_min,window_before_min,window_after_min,tolerance_min,\
workers_required,skills,priority,type,min_gap_after_min,load,notes
V12,007,Mon;Wed,7:30,45,0,30,0,1,medication,critical,morning,180,1.5,Meds from the blister pack
V13,007,Mon-Fri,12:00,30,,,,,,,lunch,,,
V20,C2,daily,18:00,60,,,60,2,Hoist,normal,bed,,3,
V30,C3,Sat-Mon,09:00,30,,,,,,flexible,social,,,
""",
    "workers.csv": """\
worker_id,name,lat,lon,transport,gender,skills,provider,zones,min_hours_week,max_hours_week,\
max_hours_day,pay_per_hour,max_load_per_shift,contract
W1,Wendy,51.505,-0.115,car,female,medication;hoist,ACME,Z1;Z2,20,40,9,13.5,6,full-time
W2,Will,51.515,-0.105,bike,male,hoist,,Z2,,,,,,zero-hours
W3,Pat,51.52,-0.12,public,other,,,,,,,,,
0042,Sam,51.49,-0.13,scooter,Male,Hoist;Dementia,ACME,,0,30.5,8,12,,part-time
""",
    "availability.csv": """\
worker_id,day,start,end
W1,Mon-Fri,07:00,13:00
W1,Mon-Fri,16:30,22:00
W2,daily,6:00,24:00
W3,Sat;Sun,08:00,20:00
0042,Sat-Mon,07:00,19:00
""",
    "preferences.csv": """\
customer_id,worker_id,kind
007,W1,regular
C3,W2,banned
C2,W1,Regular
""",
    "previous_rota.csv": """\
visit_id,customer_id,worker_id,day,start,end,travel_min,travel_km
V12-Mon,007,W1,Mon,07:30,08:15,4,1.234
V20-Sun,C2,0042,Sun,18:05,19:05,0,0
""",
    "travel.csv": """\
from_id,to_id,minutes,km,mode
W1,007,7,2.5,
007,C2,9,3.1,car
007,C2,12,3.1,
""",
    "pinned.csv": """\
visit_id,worker_id,start
V12-Mon,W1,07:35
V20-Sat,0042,
""",
}


def write_full(folder: Path, **replace: str) -> Path:
    """Write the FULL caseload (files in ``replace`` swapped) and return the folder."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in {**FULL, **replace}.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.fixture
def full(tmp_path) -> Caseload:
    """The FULL caseload, read without a warning."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return read_caseload(write_full(tmp_path / "full"))


# ----------------------------------------------------------------------------- reading


def test_full_caseload_reads_the_format_spellings(full):
    visits = full.template_by_id
    assert visits["V12"].days == (0, 2)  # Mon;Wed
    assert visits["V13"].days == (0, 1, 2, 3, 4)  # Mon-Fri
    assert visits["V20"].days == tuple(range(7))  # daily
    assert visits["V30"].days == (0, 5, 6)  # Sat-Mon wraps over Sunday
    assert visits["V12"].start == 7 * 60 + 30  # 7:30 without a leading zero
    assert visits["V20"].skills == ("hoist",)  # skills are case-insensitive
    assert full.availability[2].start == 6 * 60  # 6:00
    assert full.availability[2].end == 1440  # 24:00 as an end
    assert [c.customer_id for c in full.customers] == ["007", "C2", "C3"]  # not 7
    assert full.workers[3].worker_id == "0042"
    assert full.workers[3].gender == "male"  # Male
    assert full.workers[3].skills == ("dementia", "hoist")
    assert full.customers[0].gender_preference == "female"
    assert full.customers[0].address == "1 Mill Lane, Riverside"
    assert full.preferences[2].kind == "regular"  # Regular
    assert full.travel.speed_kmh["scooter"] == 20
    assert full.costs.currency == "EUR" and full.costs.travel_time_paid is True
    assert full.weights == {"travel_time": 3, "team_size": 50}
    assert str(full.week_start) == "2026-11-23"
    assert [p.start for p in full.pinned] == [7 * 60 + 35, None]
    assert [(r.mode, r.minutes) for r in full.travel_matrix] == [("", 7), ("car", 9), ("", 12)]


def test_visit_templates_expand_into_instances(full):
    ids = [v.id for v in full.instances]
    assert ids == (
        ["V12-Mon", "V12-Wed"]
        + [f"V13-{d}" for d in DAYS[:5]]
        + [f"V20-{d}" for d in DAYS]
        + ["V30-Mon", "V30-Sat", "V30-Sun"]
    )
    v12_wed = full.instance_by_id["V12-Wed"]
    # Wed 07:30 = 2 x 1440 + 450 = 3330; the visit's own window: 0 before, 30 after
    assert (v12_wed.preferred_start, v12_wed.earliest, v12_wed.latest) == (3330, 3330, 3360)
    assert (v12_wed.day, v12_wed.tolerance_min, v12_wed.priority) == (2, 0, "critical")
    v13_tue = full.instance_by_id["V13-Tue"]
    # Tue 12:00 = 1440 + 720 = 2160; the policy's window: 20 before, 10 after; tolerance 5
    assert (v13_tue.preferred_start, v13_tue.earliest, v13_tue.latest) == (2160, 2140, 2170)
    assert (v13_tue.tolerance_min, v13_tue.workers_required, v13_tue.priority) == (5, 1, "normal")
    v20_sun = full.instance_by_id["V20-Sun"]
    # Sun 18:00 = 6 x 1440 + 1080 = 9720; tolerance overridden to 60
    assert (v20_sun.preferred_start, v20_sun.earliest, v20_sun.latest) == (9720, 9700, 9730)
    assert (v20_sun.tolerance_min, v20_sun.workers_required, v20_sun.load) == (60, 2, 3.0)
    assert full.instance_by_id["V12-Mon"].min_gap_after_min == 180


def test_availability_expands_into_shifts(full):
    shifts = {s.id: (s.start, s.end) for s in full.shifts}
    assert shifts["W1@Mon#1"] == (420, 780)  # 07:00-13:00
    assert shifts["W1@Mon#2"] == (990, 1320)  # 16:30-22:00, the split shift's second half
    assert shifts["W2@Sun#1"] == (6 * 1440 + 360, 7 * 1440)  # 06:00-24:00 on Sunday
    assert [s for s in shifts if s.startswith("0042@")] == ["0042@Mon#1", "0042@Sat#1",
                                                            "0042@Sun#1"]
    assert len(shifts) == 2 * 5 + 7 + 2 + 3


def test_yaml_path_reads_like_its_folder(tmp_path, full):
    assert read_caseload(tmp_path / "full" / "caseload.yaml") == full


def test_tables_may_be_renamed(tmp_path):
    renames = {"customers": "people.csv", "visits": "care plan.csv", "workers": "staff.csv",
               "availability": "rota-hours.csv", "preferences": "likes.csv",
               "travel": "matrix.csv"}
    folder = tmp_path / "renamed"
    folder.mkdir()
    text = FULL["caseload.yaml"] + "tables:\n" + "".join(
        f"  {key}: {name}\n" for key, name in renames.items()
    )
    (folder / "caseload.yaml").write_text(text)
    default = {"customers": "customers.csv", "visits": "visits.csv", "workers": "workers.csv",
               "availability": "availability.csv", "preferences": "preferences.csv",
               "travel": "travel.csv"}
    for key, name in renames.items():
        (folder / name).write_text(FULL[default[key]])
    for name in ("previous_rota.csv", "pinned.csv"):
        (folder / name).write_text(FULL[name])
    assert read_caseload(folder) == read_caseload(write_full(tmp_path / "reference"))


def test_renamed_table_is_looked_up_under_its_new_name(tmp_path):
    folder = write_full(tmp_path / "f", **{
        "caseload.yaml": FULL["caseload.yaml"] + "tables: {workers: staff.csv}\n"
    })
    with pytest.raises(CaseloadError) as info:
        read_caseload(folder)  # workers.csv exists, staff.csv does not
    assert [(Path(p.file).name, p.rule) for p in info.value.problems] == [
        ("staff.csv", "missing_file")
    ]


def test_bom_prefixed_csv_reads_like_plain(tmp_path, full):
    # Excel's "CSV UTF-8" puts a byte order mark before the first column name
    folder = write_full(tmp_path / "bom")
    for name in ("customers.csv", "visits.csv", "workers.csv", "availability.csv"):
        path = folder / name
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert read_caseload(folder) == full


def test_windows_line_endings_and_padded_cells(tmp_path, full):
    folder = write_full(tmp_path / "crlf")
    path = folder / "availability.csv"
    padded = [",".join(f" {c} " for c in line.split(",")) for line in FULL[path.name].splitlines()]
    path.write_bytes(("\r\n".join(padded) + "\r\n").encode())
    assert read_caseload(folder) == full


def test_leading_zero_ids_stay_strings(tmp_path):
    tables = valid_tables()
    tables["customers"][0]["customer_id"] = "007"
    tables["customers"][1]["customer_id"] = "7"  # a different customer
    tables["visits"][0]["customer_id"] = "007"
    tables["visits"][1]["customer_id"] = "7"
    tables["workers"][0]["worker_id"] = "0001"
    tables["availability"][0]["worker_id"] = "0001"
    caseload = read_caseload(write_folder(tmp_path / "in", **tables))
    assert list(caseload.customer_by_id)[:2] == ["007", "7"]
    assert caseload.visits[0].customer_id == "007"
    assert caseload.worker_by_id["0001"].name == "Wendy"
    write_caseload(caseload, tmp_path / "out")
    write_caseload(caseload, tmp_path / "out.json")
    for path in (tmp_path / "out", tmp_path / "out.json"):
        assert read_caseload(path) == caseload
    assert "007," in (tmp_path / "out" / "customers.csv").read_text()
    assert '"customer_id": "007"' in (tmp_path / "out.json").read_text()


# ----------------------------------------------------------------------------- round trips


def test_folder_round_trip_is_identical(tmp_path, full):
    write_caseload(full, tmp_path / "once")
    again = read_caseload(tmp_path / "once")
    assert again == full
    write_caseload(again, tmp_path / "twice")
    for path in sorted((tmp_path / "once").iterdir()):
        assert (tmp_path / "twice" / path.name).read_text() == path.read_text(), path.name
    written = {p.name for p in (tmp_path / "once").iterdir()}
    assert written == set(FULL)


def test_json_round_trip_is_identical(tmp_path, full):
    write_caseload(full, tmp_path / "caseload.json")
    from_json = read_caseload(tmp_path / "caseload.json")
    assert from_json == full
    write_caseload(from_json, tmp_path / "back")  # JSON -> folder -> model
    assert read_caseload(tmp_path / "back") == full


def test_json_reads_like_the_folder(tmp_path):
    # the builder's JSON form (cells as strings) and its folder are the same caseload
    path = tmp_path / "caseload.json"
    path.write_text(json.dumps(caseload_json()))
    assert read_caseload(path) == read_caseload(write_folder(tmp_path / "folder"))


def test_json_empty_optional_tables_are_accepted(tmp_path):
    document = caseload_json()
    document |= {"preferences": [], "travel_matrix": [], "previous_rota": [], "pinned": []}
    path = tmp_path / "caseload.json"
    path.write_text(json.dumps(document))
    assert read_caseload(path) == read_caseload(write_folder(tmp_path / "folder"))


def test_a_caseload_written_over_another_leaves_none_of_its_tables(tmp_path, full):
    folder = tmp_path / "caseload"
    write_caseload(full, folder)  # every optional table
    (folder / "README.md").write_text("notes\n")
    plain = read_caseload(write_folder(tmp_path / "plain"))  # required tables only
    removed = write_caseload(plain, folder)
    assert sorted(removed) == ["pinned.csv", "preferences.csv", "previous_rota.csv",
                               "travel.csv"]
    assert read_caseload(folder) == plain
    assert (folder / "README.md").read_text() == "notes\n"


def test_convert_says_which_old_tables_it_removed(tmp_path, full):
    write_caseload(full, tmp_path / "target")
    source = write_folder(tmp_path / "plain")
    result = CliRunner().invoke(main, ["convert", str(source), str(tmp_path / "target")])
    assert result.exit_code == 0, result.output
    assert "removed preferences.csv, previous_rota.csv, travel.csv, pinned.csv" in result.output
    assert read_caseload(tmp_path / "target") == read_caseload(source)


def test_written_json_leaves_out_empty_optional_tables(tmp_path):
    caseload = read_caseload(write_folder(tmp_path / "folder"))
    write_caseload(caseload, tmp_path / "caseload.json")
    document = json.loads((tmp_path / "caseload.json").read_text())
    assert {"customers", "visits", "workers", "availability"} <= set(document)
    assert not {"preferences", "previous_rota", "travel_matrix", "pinned"} & set(document)
    assert document["travel"]["detour_factor"] == 1.3  # travel settings, not the matrix


def test_days_written_read_back_for_every_day_set():
    for mask in range(1, 128):
        days = tuple(d for d in range(7) if mask >> d & 1)
        assert parse_days(format_days(days)) == days, format_days(days)


_clock = st.integers(60, 21 * 60).map(lambda m: f"{m // 60}:{m % 60:02d}")  # H:MM, 1:00-21:00
_days = st.sets(st.sampled_from(DAYS), min_size=1).map(";".join)


@settings(max_examples=25, deadline=None)
@given(
    visits=st.lists(
        st.fixed_dictionaries({
            "days": _days,
            "start": _clock,
            "duration_min": st.integers(1, 120).map(str),
            "window_before_min": st.sampled_from(["", "0", "5"]),
            "tolerance_min": st.sampled_from(["", "0", "60"]),
            "skills": st.sampled_from(["", "hoist", "Medication;hoist"]),
            "priority": st.sampled_from(["", "critical", "flexible"]),
            "load": st.sampled_from(["", "0.5", "2"]),
        }),
        min_size=1, max_size=5,
    ),
    lat=st.floats(-89.9, 89.9, allow_nan=False),
)
def test_round_trip_property(tmp_path_factory, visits, lat):
    # any valid care plan survives folder -> model -> folder -> model (starts lie in
    # 1:00-21:00 and visits last up to 2 h, so every window stays inside the day)
    tables = valid_tables()
    tables["customers"][0]["lat"] = repr(lat)
    tables["visits"] = [
        {"visit_id": f"V{i}", "customer_id": "C1", "window_after_min": "0", **v}
        for i, v in enumerate(visits)
    ]
    folder = tmp_path_factory.mktemp("prop")
    caseload = read_caseload(write_folder(folder / "in", **tables))
    write_caseload(caseload, folder / "out")
    assert read_caseload(folder / "out") == caseload


# ----------------------------------------------------------------------------- the checker


def test_checker_reads_our_json_and_folder(tmp_path, full):
    checker = load_checker()
    write_caseload(full, tmp_path / "caseload.json")
    write_caseload(full, tmp_path / "folder")
    ours = {v.id: (v.customer_id, v.preferred_start, v.earliest, v.latest, v.duration_min,
                   v.workers_required, frozenset(v.skills)) for v in full.instances}
    shifts = sorted((s.worker_id, s.day, s.start, s.end) for s in full.shifts)
    for path in (tmp_path / "caseload.json", tmp_path / "folder"):
        theirs = checker.load_caseload(path)
        assert {v.id: (v.customer_id, v.preferred_start, v.earliest, v.latest, v.duration,
                       v.workers_required, v.skills) for v in theirs.visits.values()} == ours
        assert sorted((s.worker_id, s.day, s.start, s.end)
                      for day_shifts in theirs.shifts.values() for s in day_shifts) == shifts
        assert theirs.bans == {("C3", "W2")}
        assert set(theirs.customers) == {"007", "C2", "C3"}
        assert theirs.workers["0042"].transport == "scooter"
        assert theirs.travel.speeds["scooter"] == 20
        # travel.csv: the car row wins over the unmoded row for a car, not for a bike
        a, b = theirs.customers["007"].place, theirs.customers["C2"].place
        assert (theirs.travel.leg(a, b, "car").minutes, theirs.travel.leg(a, b, "bike").minutes) \
            == (9, 12)


def test_checker_reads_the_builder_json(tmp_path):
    checker = load_checker()
    caseload = read_caseload(write_folder(tmp_path / "folder"))
    write_caseload(caseload, tmp_path / "caseload.json")
    theirs = checker.load_caseload(tmp_path / "caseload.json")
    assert set(theirs.visits) == {v.id for v in caseload.instances}


# ----------------------------------------------------------------------------- rotas


def _row(visit, worker, day, start, end, travel_min=0, travel_km=0.0, customer="C1"):
    return Assignment(visit_id=f"{visit}-{day}", customer_id=customer, worker_id=worker, day=day,
                      start=start, end=end, travel_min=travel_min, travel_km=travel_km)


def test_rota_round_trip_and_row_order(tmp_path):
    shuffled = (
        _row("V5", "W2", "Sun", "09:00", "09:30", 12, 4.125),
        _row("V1", "W10", "Tue", "08:00", "08:30"),
        _row("V2", "W2", "Mon", "18:00", "24:00", 3, 0.9),
        _row("V3", "W2", "Mon", "7:05", "07:35", 11, 3.333),
        _row("V4", "W10", "Fri", "08:00", "08:45"),
        _row("V6", "W2", "Thu", "12:00", "12:30"),
        _row("V1", "W1", "Tue", "08:00", "08:30"),  # double-handed with W10
    )
    unassigned = (
        UnassignedVisit(visit_id="V9-Sat", customer_id="C2", day="Sat", start="10:00",
                        reason="no worker with skill hoist is available"),
        UnassignedVisit(visit_id="V8-Mon", customer_id="C1", day="Mon", start="19:00",
                        reason="outside every shift"),
    )
    kpis = {"visits_total": 9, "travel_km": 8.358}
    write_rota(Rota(assignments=shuffled, unassigned=unassigned), tmp_path, kpis)
    with (tmp_path / "rota.csv").open() as stream:
        rows = list(csv.DictReader(stream))
    assert list(rows[0]) == ["visit_id", "customer_id", "worker_id", "day", "start", "end",
                             "travel_min", "travel_km"]
    # grouped by worker; within a worker by day Mon..Sun (not alphabetical: Fri < Tue and
    # Sun < Thu in the alphabet), then by start (07:05 before 18:00)
    assert [(r["worker_id"], r["visit_id"], r["start"]) for r in rows] == [
        ("W1", "V1-Tue", "08:00"),
        ("W10", "V1-Tue", "08:00"),
        ("W10", "V4-Fri", "08:00"),
        ("W2", "V3-Mon", "07:05"),
        ("W2", "V2-Mon", "18:00"),
        ("W2", "V6-Thu", "12:00"),
        ("W2", "V5-Sun", "09:00"),
    ]
    assert rows[4]["end"] == "24:00"
    with (tmp_path / "unassigned.csv").open() as stream:
        assert [r["visit_id"] for r in csv.DictReader(stream)] == ["V8-Mon", "V9-Sat"]
    rota, read_kpis, _ = read_rota(tmp_path)
    assert read_kpis == kpis
    assert sorted(rota.assignments, key=repr) == sorted(shuffled, key=repr)
    assert sorted(rota.unassigned, key=repr) == sorted(unassigned, key=repr)
    write_rota(rota, tmp_path / "again", read_kpis)
    for name in ("rota.csv", "unassigned.csv", "kpis.json"):
        assert (tmp_path / "again" / name).read_text() == (tmp_path / name).read_text()


def test_rota_travel_km_is_written_to_the_metre(tmp_path):
    write_rota(Rota(assignments=(_row("V1", "W1", "Mon", "08:00", "08:30", 5, 1.23456),)),
               tmp_path)
    rota, kpis, _ = read_rota(tmp_path)
    assert rota.assignments[0].travel_km == 1.235
    assert kpis is None


def test_rota_without_kpis_or_rows(tmp_path):
    write_rota(Rota(), tmp_path)
    assert read_rota(tmp_path)[:2] == (Rota(), None)
    assert not (tmp_path / "kpis.json").exists()


def test_previous_rota_is_read_like_a_rota(tmp_path, full):
    # previous_rota.csv is last week's rota.csv: the same rows, the same model
    write_rota(Rota(assignments=full.previous_rota), tmp_path)
    rota = read_rota(tmp_path).rota
    assert set(rota.assignments) == set(full.previous_rota)
