"""Worker runs of the hand-made rota (small_week.py): grouping, order, legs, pseudo-runs."""

from __future__ import annotations

from small_week import change_row, make_caseload, make_rota

from models import Assignment
from scheduler.runs import Leg, build_runs


def summary(runs):
    return [
        (run.worker.worker_id, run.day, run.shift.id if run.shift else None,
         [s.visit_id for s in run.stops])
        for run in runs
    ]


def test_runs_follow_availability_rows():
    runs = build_runs(make_caseload(), make_rota())
    assert summary(runs) == [
        ("W1", 0, "W1@Mon#1", ["V1-Mon", "V2-Mon", "V3-Mon"]),
        ("W1", 5, "W1@Sat#1", ["V1-Sat", "V3-Sat"]),
        ("W2", 0, "W2@Mon#1", ["V3-Mon"]),  # the split shift: two runs on Monday
        ("W2", 0, "W2@Mon#2", ["V4-Mon"]),
        ("W2", 5, "W2@Sat#1", ["V3-Sat"]),
        ("W3", 5, "W3@Sat#1", ["V5-Sat"]),
    ]


def test_legs_home_between_and_home():
    first = build_runs(make_caseload(), make_rota())[0]
    # W1 home -> C1 -> C2 -> C3 -> home
    assert first.legs == (Leg(10, 4.0), Leg(5, 2.0), Leg(7, 2.8), Leg(20, 8.0))
    assert first.travel_min == 42
    assert first.travel_km == 16.8
    assert first.contact_min == 135  # 30 + 45 + 60
    assert first.worked_min == 177
    assert first.stops[1].start == 9 * 60  # Monday 09:00 in week minutes


def test_rows_inside_no_availability_row_form_a_pseudo_run():
    rota = change_row(make_rota(), "V4-Mon", "W2", start="16:29", end="16:59")
    runs = build_runs(make_caseload(), rota)
    pseudo = [run for run in runs if not run.in_shift]
    assert summary(pseudo) == [("W2", 0, None, ["V4-Mon"])]
    assert pseudo[0].legs == (Leg(12, 3.0), Leg(12, 3.0))


def test_rows_with_unknown_ids_are_left_out_and_repeats_kept_aside():
    rota = make_rota()
    stray = Assignment(visit_id="V9-Mon", customer_id="C1", worker_id="W1", day="Mon",
                       start="10:00", end="10:30")
    repeat = rota.assignments[0]  # W1 at V1-Mon once more
    rota = rota.model_copy(update={"assignments": (*rota.assignments, stray, repeat)})
    runs = build_runs(make_caseload(), rota)
    assert [s.visit_id for s in runs[0].stops] == ["V1-Mon", "V2-Mon", "V3-Mon"]
    assert runs[0].stops[0].repeats == (repeat,)
    assert runs[0].contact_min == 135  # the repeat is not costed


def test_row_counts_on_its_instance_day():
    rota = change_row(make_rota(), "V4-Mon", "W2", day="Tue")
    runs = build_runs(make_caseload(), rota)
    assert ("W2", 0, "W2@Mon#2", ["V4-Mon"]) in summary(runs)
