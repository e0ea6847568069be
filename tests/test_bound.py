"""The fewest visits any rota must leave out, day by day (scheduler/bound.py): a boundary
pair, the relaxation's direction (never above what a valid rota achieves), and the command."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from ortools.sat.python import cp_model

from models.base import DAYS
from models.result import SolveParams
from scheduler import bound
from scheduler.bound import DayBound, bound_day, bounds_text, day_caseload, week_bounds
from scheduler.cli import main
from scheduler.formulation import Formulation
from scheduler.formulation.scope import Scope
from scheduler.generate import generate
from scheduler.io import write_caseload, write_rota
from scheduler.prepare import prepare
from scheduler.solve import solve
from tests.builders import caseload, customer, shift, visit, worker
from tests.child import rota_with_ctrl_c


def two_at_nine(workers: int, customers: str = "AB"):
    """Customers (two by default) 1 km apart who each need a 30-minute visit at exactly 09:00
    on Monday, and ``workers`` workers free 08:00-12:00."""
    return caseload(
        customers=[customer(name, km=i) for i, name in enumerate(customers)],
        visits=[visit(f"V{name}", name, "09:00") for name in customers],
        workers=[worker(f"W{i}") for i in range(1, workers + 1)],
        availability=[shift(f"W{i}", "08:00", "12:00") for i in range(1, workers + 1)],
    )


def test_one_worker_for_two_visits_at_the_same_time_must_leave_one_out():
    assert bound_day(two_at_nine(1), 0, time_limit_s=10) == DayBound(
        0, 2, 1, 1, conflicts=(("VA-Mon (A 09:00)", "VB-Mon (B 09:00)"),))


def test_cp_sat_names_the_visits_that_cannot_all_be_placed_together():
    for workers, expected in ((1, [0, 1]), (2, None)):
        inst = prepare(day_caseload(two_at_nine(workers), 0))
        formulation = Formulation(inst, Scope.everything(inst))
        assert formulation.unplaceable_together([0, 1], time_limit_s=10) == expected


def test_a_ctrl_c_in_the_core_solve_is_raised_once_cp_sat_has_stopped(monkeypatch):
    monkeypatch.setattr("scheduler.formulation.solve_stoppable",
                        lambda solver, model: (cp_model.UNKNOWN, True))
    inst = prepare(day_caseload(two_at_nine(1), 0))
    with pytest.raises(KeyboardInterrupt):
        Formulation(inst, Scope.everything(inst)).unplaceable_together([0, 1], time_limit_s=10)


def test_the_sets_named_are_only_the_visits_that_clash():
    """Three visits at 09:00: with one worker any two of them clash, so the set named is a
    pair (the third fits alone); with two workers only all three clash."""
    one = bound_day(two_at_nine(1, customers="ABC"), 0, time_limit_s=10)
    two = bound_day(two_at_nine(2, customers="ABC"), 0, time_limit_s=10)
    assert (one.at_least, [len(conflict) for conflict in one.conflicts]) == (2, [2])
    assert (two.at_least, [len(conflict) for conflict in two.conflicts]) == (1, [3])


def test_a_core_with_a_visit_it_does_not_need_is_cut_down(monkeypatch):
    """CP-SAT's cores need not be the smallest: one that names a visit more than the clash
    (here, every visit of the day the first time) is cut down to the clash."""
    cores, exact = [], Formulation.unplaceable_together

    def loose(self, visits, **solve):
        core = exact(self, visits, **solve)
        cores.append(core)
        return sorted(visits) if len(cores) == 1 and core else core

    monkeypatch.setattr(Formulation, "unplaceable_together", loose)
    c = two_at_nine(1)
    c = c.model_copy(update={"visits": (*c.visits, visit("VL", "A", "11:00"))})
    found = bound_day(c, 0, time_limit_s=10)
    assert found.conflicts == (("VA-Mon (A 09:00)", "VB-Mon (B 09:00)"),)


def test_ctrl_c_while_sets_are_cut_down_keeps_the_set_found(monkeypatch):
    """A Ctrl-C in the first test of the cutting down: the day keeps its proven bound and the
    set as CP-SAT named it (here, loosely, every visit of the day), and asks nothing more."""
    calls, exact = [], Formulation.unplaceable_together

    def stopped(self, visits, **solve):
        calls.append(visits)
        if len(calls) > 1:
            raise KeyboardInterrupt
        return sorted(visits) if exact(self, visits, **solve) else None

    monkeypatch.setattr(Formulation, "unplaceable_together", stopped)
    found = bound_day(two_at_nine(1, customers="ABC"), 0, time_limit_s=10)
    assert found.at_least == 2 and len(calls) == 2
    assert found.conflicts == (("VA-Mon (A 09:00)", "VB-Mon (B 09:00)", "VC-Mon (C 09:00)"),)


def test_a_visit_whose_removal_leaves_a_clash_is_dropped_and_one_not_tested_kept():
    """Only 1 and 3 clash: the others go, each tested once; a test that runs out of time
    (None, as when the rest fit) keeps its visit."""
    def clash(visits):
        return [1, 3] if {1, 3} <= set(visits) else None

    assert bound._irreducible([0, 1, 2, 3, 4], clash) == [1, 3]
    assert bound._irreducible([0, 1, 3], lambda visits: None) == [0, 1, 3]


def test_two_workers_for_two_visits_at_the_same_time_leave_none_out():
    assert bound_day(two_at_nine(2), 0, time_limit_s=10) == DayBound(0, 2, 0, 0)


def test_a_day_nobody_works_must_leave_every_visit_out():
    c = caseload([customer("A")], [visit("V", "A", "09:00", days="Mon;Tue")], [worker("W1")],
                 [shift("W1", "08:00", "12:00", day="Mon")])
    assert [(b.day, b.at_least, b.exact) for b in week_bounds(c, 10)] == [(0, 0, True),
                                                                         (1, 1, True)]


def test_the_bound_is_a_relaxation_a_team_cap_across_days_is_not_seen():
    """A's team cap is 1, and only W1 works on Monday, only W2 on Tuesday: every rota leaves
    one of A's two visits out, but each day alone can place its visit. The bound says 0 and
    never more than a valid rota leaves out."""
    c = caseload([customer("A", max_team_size=1)],
                 [visit("V", "A", "09:00", days="Mon;Tue")], [worker("W1"), worker("W2")],
                 [shift("W1", "08:00", "12:00", day="Mon"),
                  shift("W2", "08:00", "12:00", day="Tue")])
    result = solve(c, SolveParams(time_limit_s=10, seed=1, workers=1))
    assert len(result.rota.unassigned) == 1
    assert sum(b.at_least for b in week_bounds(c, 10)) == 0


def test_a_day_too_large_to_model_proves_nothing(monkeypatch):
    monkeypatch.setattr(bound, "MAX_ARCS", 0)
    found = bound_day(two_at_nine(1), 0, time_limit_s=10)
    assert (found.at_least, found.found, found.exact) == (0, 1, False)
    assert "not modelled" in found.note


def test_a_day_alone_keeps_its_visits_only_and_counts_each_left_out_once():
    c = day_caseload(caseload([customer("A")], [visit("V", "A", "09:00", days="Mon;Wed")],
                              [worker("W1")], [shift("W1", "08:00", "12:00", day="Mon-Sun")]),
                     2)
    assert [v.id for v in c.instances] == ["V-Wed"]
    assert {term: weight for term, weight in c.weights.items() if weight} == {
        "unassigned_critical": 1, "unassigned_normal": 1, "unassigned_flexible": 1}


def test_the_text_says_whether_a_rota_places_as_many_as_any_can():
    bounds = [DayBound(0, 10, 0, 0), DayBound(5, 6, 1, 1)]
    assert "as many as any rota can" in bounds_text(bounds, {5: 1}, "r")
    assert "at most 2 more could be placed" in bounds_text(bounds, {0: 1, 5: 2}, "r")
    assert "No rota can place more than 15 of the 16 visits" in bounds_text(bounds)
    assert "Not settled" not in bounds_text(bounds)
    assert "Not settled: Tue" in bounds_text([*bounds, DayBound(1, 9, 0, 2, "time limit")])
    clash = DayBound(5, 6, 1, 1, conflicts=(("V1-Sat (C1 16:30)", "V2-Sat (C2 16:30)"),))
    assert "Sat: no rota places all of V1-Sat (C1 16:30), V2-Sat (C2 16:30)." in bounds_text(
        [clash])


def test_the_command_sets_a_rota_against_the_bound(tmp_path):
    c = two_at_nine(1)
    write_caseload(c, tmp_path / "case")
    result = solve(c, SolveParams(time_limit_s=10, seed=1, workers=1))
    write_rota(result.rota, tmp_path / "rota")
    run = CliRunner().invoke(main, ["bound", str(tmp_path / "case"), "--rota",
                                    str(tmp_path / "rota"), "--time-limit", "10"])
    assert run.exit_code == 0, run.output
    assert "No rota can place more than 1 of the 2 visits" in run.output
    assert "places 1: as many as any rota can" in run.output


def test_solve_points_to_the_bound_when_it_leaves_visits_out(tmp_path):
    write_caseload(two_at_nine(1), tmp_path / "case")
    run = CliRunner().invoke(main, ["solve", str(tmp_path / "case"), "--out",
                                    str(tmp_path / "rota"), "--time-limit", "5"])
    assert run.exit_code == 0, run.output
    assert "1 visit left out" in run.output
    assert f"rota bound {tmp_path / 'case'} --rota {tmp_path / 'rota'}" in run.output


def test_the_command_refuses_a_missing_rota_folder(tmp_path):
    write_caseload(two_at_nine(1), tmp_path / "case")
    run = CliRunner().invoke(main, ["bound", str(tmp_path / "case"), "--rota",
                                    str(tmp_path / "none")])
    assert run.exit_code == 2
    assert "rota.csv" in run.output


def test_riverside_must_leave_a_saturday_and_a_sunday_visit_out():
    """The README's sample: no rota places more than 519 of its 521 visits (its rota at the
    default 60 s leaves exactly V0043's Saturday and Sunday visits out)."""
    from scheduler.cli import DEFAULT_CASELOAD
    from scheduler.io import read_caseload

    bounds = week_bounds(read_caseload(DEFAULT_CASELOAD), time_limit_s=30, workers=2)
    assert [(b.day, b.at_least) for b in bounds if b.at_least] == [(5, 1), (6, 1)]
    assert all(b.exact for b in bounds)
    for day in bounds[5:]:  # a set of that day's visits each, more than one visit in it
        (conflict,) = day.conflicts
        assert len(conflict) > 1 and all(DAYS[day.day] in label for label in conflict)


def test_ctrl_c_keeps_the_days_done_and_lists_the_rest_as_proving_nothing(monkeypatch):
    c = caseload([customer("A")], [visit("V", "A", "09:00", days="Mon;Tue;Wed")],
                 [worker("W1")], [shift("W1", "08:00", "12:00", day="Mon")])
    real = bound.bound_day

    def ctrl_c_on_tuesday(caseload, day, *args):
        if day == 1:
            raise KeyboardInterrupt
        return real(caseload, day, *args)

    monkeypatch.setattr(bound, "bound_day", ctrl_c_on_tuesday)
    found = week_bounds(c, 10)
    assert [(b.day, b.at_least, b.found) for b in found] == [(0, 0, 0), (1, 0, 1), (2, 0, 1)]
    assert all("stopped by Ctrl-C" in b.note for b in found[1:])


def test_ctrl_c_ends_the_command_with_the_days_done(tmp_path: Path):
    """Generated M, seed 3: Monday settles at once, Tuesday's model runs for its 60 s when
    Ctrl-C comes 8 s in; the table comes at once, Tuesday stopped, the days after not tried."""
    write_caseload(generate("M", "mixed", 3), tmp_path / "m.json")
    done, seconds = rota_with_ctrl_c(["bound", str(tmp_path / "m.json"), "--time-limit", "60"],
                                     after_s=8)
    assert done.returncode == 0, done.stderr[-2000:]
    assert seconds < 20
    assert "Tue     137  at least 0 (bound)" in done.stdout
    assert "not tried: stopped by Ctrl-C" in done.stdout


def test_the_bound_runs_in_a_thread_too():
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(1) as pool:
        found = pool.submit(week_bounds, two_at_nine(1), 10).result()
    assert [(b.day, b.at_least) for b in found] == [(0, 1)]


def test_a_best_bound_below_zero_from_cp_sat_counts_as_zero(monkeypatch):
    """CP-SAT returned -1 as its best bound on a day of the M ladder stopped by its time limit;
    no objective is below 0, so neither is a bound."""
    import dataclasses

    from scheduler import solve as solve_module

    class LowBound(solve_module.Formulation):
        def solve(self, **kwargs):
            return dataclasses.replace(super().solve(**kwargs), bound=-1)

    monkeypatch.setattr(solve_module, "Formulation", LowBound)
    assert bound_day(two_at_nine(1), 0, time_limit_s=10).at_least == 0


def test_a_visit_that_cannot_be_placed_at_all_is_a_conflict_of_its_own():
    """Found by the property test: OR-Tools 9.15's presolve named a literal that was no
    assumption (google/or-tools#5141). A double-handed 07:00 visit with one worker free then,
    beside two 07:00 visits for that worker."""
    c = caseload(
        customers=[customer("A")],
        visits=[visit("V0", "A", "07:00", 15), visit("V1", "A", "07:00", 15),
                visit("V2", "A", "07:00", 15, workers_required=2, skills="hoist")],
        workers=[worker("W0", skills="hoist"), worker("W1", skills="hoist")],
        availability=[shift("W0", "07:00", "13:00"), shift("W1", "16:00", "22:00")],
    )
    found = bound_day(c, 0, time_limit_s=10)
    assert (found.at_least, found.exact) == (2, True)
    assert sorted(found.conflicts) == [("V0-Mon (A 07:00)", "V1-Mon (A 07:00)"),
                                       ("V2-Mon (A 07:00)",)]


def test_a_day_not_settled_names_no_conflicts(monkeypatch):
    """After a time limit or a Ctrl-C in the day's model, no more CP-SAT is run for the
    conflicting sets."""
    monkeypatch.setattr(bound, "solve_whole", lambda plan, params, deadline: ("feasible", 1))
    found = bound_day(two_at_nine(1), 0, time_limit_s=10)
    assert (found.at_least, found.conflicts) == (1, ())
    assert "time limit" in found.note
