"""The cooperative search on two cores: its rotas pass the validator and improve on the
constructed rota; Ctrl-C stops a search (one process or two) with the best rota written."""

from __future__ import annotations

import logging
import random
import re
import time
from functools import partial
from itertools import pairwise
from pathlib import Path

import pytest

from models.result import SolveParams
from scheduler import parallel
from scheduler.construct import construct
from scheduler.extract import to_rota
from scheduler.generate import generate
from scheduler.io import read_caseload, read_rota, write_caseload
from scheduler.lns import Limits, Temperature
from scheduler.plan import Plan
from scheduler.prepare import prepare
from scheduler.solve import solve
from scheduler.validate import objective, validate
from tests.builders import caseload, customer, shift, solve_heuristic, visit, worker
from tests.child import rota_with_ctrl_c


def two_process_search_is_valid_and_better(time_limit_s: float) -> None:
    """Solve generated S seed 1 on two processes: the rota passes the validator, its objective
    is the validator's, and it is better than the constructed one."""
    c = generate("S", "mixed", 1)
    result = solve(c, SolveParams(time_limit_s=time_limit_s, seed=1, workers=2))
    assert validate(c, result.rota) == []
    assert objective(c, result.rota)[0] == result.objective == result.stats["engine_objective"]
    _, constructed = solve_heuristic(c)
    assert result.objective < constructed.objective()


def test_two_process_search_returns_a_valid_better_rota():
    two_process_search_is_valid_and_better(8)


def test_two_process_search_reports_progress_at_the_interval_asked():
    """Progress comes every log_every_s with the best any process has found so far, not once
    per leg (legs here are 3 s)."""
    c = generate("S", "mixed", 1)
    seen = []
    result = solve(c, SolveParams(time_limit_s=6, seed=1, workers=2, log_every_s=0.5),
                   progress=seen.append)
    times = [info["elapsed_s"] for info in seen]
    assert len(seen) >= 10
    assert max(b - a for a, b in pairwise(times)) < 1.5
    objectives = [info["objective"] for info in seen]
    assert objectives == sorted(objectives, reverse=True)
    assert objectives[-1] == result.stats["engine_objective"]
    assert len(set(objectives[1:-1])) > 2  # improvements show up within legs


def test_a_process_on_its_own_line_starts_from_its_own_construction():
    inst = prepare(generate("S", "mixed", 1))
    constructed = Plan(inst)
    construct(constructed, random.Random(5))
    parallel._set_up_process(inst, parallel._Scoreboard(1, inst).values)
    no_steps = Limits(deadline=time.monotonic() + 60, iterations=0, log_every_s=None)
    objective_, state, _ = parallel._leg(None, 5, no_steps, None, 0)
    assert (objective_, state) == (constructed.objective(), constructed.copy_state())


def test_a_reformed_line_places_what_the_team_cap_kept_out():
    """The stuck plan of tests/test_reform.py: the second process's line, re-formed, has the
    double-handed visit the team cap kept out placed; a line with none left out is kept."""
    from tests.test_reform import stuck_case

    _, plan, _, _ = stuck_case()
    stuck = parallel._Line(plan.copy_state(), {"day_cluster": 2.0})
    reformed, interrupted = parallel._reformed(plan, stuck, seed=1, workers=2)
    assert not interrupted
    assert parallel._unassigned_count(plan.inst, stuck.state[0]) == 1
    assert parallel._unassigned_count(plan.inst, reformed.state[0]) == 0
    assert reformed.weights == stuck.weights
    assert parallel._reformed(plan, reformed, seed=1, workers=2) == (reformed, False)


def test_the_line_re_formed_is_the_second_unless_only_another_has_a_visit_out():
    """The second process's line is re-formed while a double-handed visit is out there;
    when it has none, another line that has one is (its 150 s on its own would otherwise end
    behind a complete line); when none has, none is."""
    from tests.test_reform import stuck_case

    _, plan, _, _ = stuck_case()
    stuck = parallel._Line(plan.copy_state())
    complete, _ = parallel._reformed(plan, stuck, seed=1, workers=2)
    to_construct = parallel._Line(None)
    assert parallel._line_to_reform(plan, [stuck, stuck]) == 1
    assert parallel._line_to_reform(plan, [complete, stuck]) == 1
    assert parallel._line_to_reform(plan, [stuck, complete]) == 0
    assert parallel._line_to_reform(plan, [stuck, to_construct]) == 0
    assert parallel._line_to_reform(plan, [complete, complete, stuck]) == 2
    assert parallel._line_to_reform(plan, [complete, complete]) is None


def test_a_short_search_re_forms_again_only_when_other_visits_are_left_out(monkeypatch):
    """In a short search a reform may follow another's leg, but not while the very visits
    left out at the last reform still are: D-Tue, which the pinned S-Mon keeps out for good,
    is re-formed once in twelve legs."""
    from tests.test_reform import stuck_case

    _, plan, _, _ = stuck_case(pinned=True)
    for name in ("MIN_LEG_S", "MAX_LEG_S"):
        monkeypatch.setattr(parallel, name, 0.5)
    reformed = []
    monkeypatch.setattr(parallel, "_reformed",
                        lambda plan, line, *_, **__: (reformed.append(line) or line, False))
    limits = Limits(deadline=time.monotonic() + 6, log_every_s=None)
    result = parallel.cooperative_search(plan, 2, 1, limits)
    assert len(result.unassigned_visits()) == 1
    assert len(reformed) == 1


def test_the_team_operators_run_once_a_reform_left_the_same_visits_out(monkeypatch, caplog):
    """D-Tue needs two workers and only W1 works Tuesday, so it is out for good. With a
    reform always ahead, familiar_member waits while it is out, but only until the reform
    that left it out: no reform follows while the same visits are out."""
    c = caseload(customers=[customer("A", km=1)],
                 visits=[visit("D", "A", "18:00", days="Mon;Tue", workers_required=2)],
                 workers=[worker("W1"), worker("W2")],
                 availability=[shift("W1", "17:00", "20:00", day="Mon-Tue"),
                               shift("W2", "17:00", "20:00")])
    plan = Plan(prepare(c))
    construct(plan, random.Random(1))
    assert [plan.inst.visit_ids[v] for v in plan.waiting] == ["D-Tue"]
    for name in ("MIN_LEG_S", "MAX_LEG_S"):
        monkeypatch.setattr(parallel, name, 0.5)
    monkeypatch.setattr(parallel, "_reform_may_follow", lambda *_: True)
    monkeypatch.setattr(parallel, "_reformed", lambda plan, line, *_, **__: (line, False))
    caplog.set_level(logging.INFO, logger="scheduler.lns.operators")
    parallel.cooperative_search(plan, 2, 1, Limits(deadline=time.monotonic() + 3,
                                                   log_every_s=None))
    calls = re.search(r"familiar_member +calls +(\d+)", caplog.text)
    assert calls and int(calls.group(1)) > 100


def test_ctrl_c_during_a_reform_ends_the_search_with_the_best_rota(monkeypatch, caplog):
    """The coordinator re-forms between legs; when Ctrl-C stops that, no leg follows and the
    best rota so far comes back (here the plan after one short leg)."""
    from tests.test_reform import stuck_case

    c, plan, _, _ = stuck_case()
    before = plan.objective()
    monkeypatch.setattr(parallel, "MAX_LEG_S", 1.0)
    monkeypatch.setattr(parallel, "_line_to_reform", lambda plan, lines: 1)
    monkeypatch.setattr(parallel, "_reformed", lambda plan, line, *_, **__: (line, True))
    began = time.monotonic()
    limits = Limits(deadline=began + 120, log_every_s=None)
    result = parallel.cooperative_search(plan, 2, 1, limits)
    assert time.monotonic() - began < 30
    assert "interrupted" in caplog.text
    assert result.objective() <= before
    assert validate(c, to_rota(result, c)) == []


def test_the_leg_after_a_reform_is_long_enough_for_a_search():
    schedule = parallel._Schedule(started=0.0, deadline=300.0, temperature=Temperature(1.0, 0.0))
    assert schedule.leg(20.0).deadline == 40.0  # an eighth of 300 s, at most 20 s
    assert schedule.leg(50.0, parallel.REFORM_SEARCH_S).deadline == 70.0
    assert schedule.leg(290.0, parallel.REFORM_SEARCH_S).deadline == 300.0  # never past it


def test_a_long_search_on_own_lines_first_returns_a_valid_better_rota(monkeypatch):
    monkeypatch.setattr(parallel, "ON_OWN_MIN_S", 1.0)  # 8 s: 4 s on own lines, then together
    two_process_search_is_valid_and_better(8)


@pytest.mark.parametrize("workers", ["1", "2"])
def test_ctrl_c_stops_the_search_with_the_best_rota_written(tmp_path: Path, workers: str):
    """Also a guard that no CP-SAT solve leaves SIGINT unhandled (its own handler, when
    enabled, restores the default on exit and Ctrl-C would then kill the process)."""
    caseload = tmp_path / "s.json"
    write_caseload(generate("S", "mixed", 2), caseload)
    out = tmp_path / "rota"
    done, seconds = rota_with_ctrl_c(["solve", str(caseload), "--out", str(out),
                                      "--time-limit", "120", "--workers", workers], after_s=8)
    assert done.returncode == 0, done.stderr[-2000:]
    assert seconds < 40
    assert "interrupted" in done.stderr
    rota = read_rota(out).rota
    assert validate(read_caseload(caseload), rota) == []


def test_ctrl_c_in_a_caseload_of_parts_stops_the_parts_not_started_yet_too(tmp_path: Path):
    """shire is three parts, two searched at a time for up to 120 s: after Ctrl-C the third,
    not started yet, is searched for half a second instead of its share (about 35 s)."""
    out = tmp_path / "rota"
    shire = Path(__file__).parent.parent / "data" / "samples" / "shire"
    done, seconds = rota_with_ctrl_c(["solve", str(shire), "--out", str(out),
                                      "--time-limit", "120"], after_s=6)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "3 independent parts" in done.stderr
    assert seconds < 20
    rota = read_rota(out).rota
    caseload = read_caseload(shire)
    assert validate(caseload, rota) == []
    listed = {a.visit_id for a in rota.assignments} | {u.visit_id for u in rota.unassigned}
    assert len(listed) == len(caseload.instances) == 588


def test_a_short_phase_re_forms_only_a_model_small_enough_for_its_time():
    """With room for REFORM_S and REFORM_SEARCH_S, a leg may re-form the smaller model around
    the visits left out, whatever the sizes. In a shorter phase a first reform needs
    SECONDS_PER_FREE_VISIT a freed visit and a quarter of the search after it: the full
    model if it fits (riverside's 145 freed visits at 30 s), else the smaller one (L's 504
    visits do not fit, its 100 do), which then gets all the room but half the search, its
    seconds a visit at least. A second one, right after the first one's leg, needs half the
    seconds a visit and an eighth of the search, and gets all the room but that eighth. The
    leg lasts an eighth of the search after the reform."""
    long = (parallel.REFORM_S, parallel.REFORM_SEARCH_S, True)
    assert parallel._reform_times((504, 100), 50.0, 300.0) == long
    assert parallel._reform_times((145, 22), 50.0, 300.0) == long
    assert parallel._reform_times(None, 50.0, 300.0) == long
    assert parallel._reform_times(None, 49.9, 300.0) is None
    assert parallel._reform_times((145, 22), 26.0, 30.0) == pytest.approx((7.25, 3.75, False))
    assert parallel._reform_times((504, 100), 26.0, 30.0) == pytest.approx((11.0, 3.75, True))
    assert parallel._reform_times((504, 100), 12.5, 30.0) == pytest.approx((5.0, 3.75, True))
    assert parallel._reform_times((504, 100), 12.4, 30.0) is None
    second = partial(parallel._reform_times, follow_up=True)
    assert second((504, 100), 12.4, 30.0) == pytest.approx((8.65, 3.75, True))
    assert second((504, 100), 6.25, 30.0) == pytest.approx((2.5, 3.75, True))
    assert second((504, 100), 6.2, 30.0) is None
    assert parallel._reform_times((1000, 100), 49.0, 40.0) == pytest.approx((29.0, 5.0, True))


def test_a_reform_follows_another_s_leg_only_in_a_short_phase():
    """Never in the first leg; right after a reform's leg only with less room than REFORM_S
    and REFORM_SEARCH_S left in the phase."""
    room = parallel.REFORM_S + parallel.REFORM_SEARCH_S
    assert not parallel._may_reform(0, after_reform=False, room_s=10.0)
    assert parallel._may_reform(1, after_reform=False, room_s=room)
    assert not parallel._may_reform(2, after_reform=True, room_s=room)
    assert parallel._may_reform(2, after_reform=True, room_s=room - 0.1)


def test_the_team_operators_wait_only_in_a_leg_that_a_reform_may_follow():
    """A 300 s search on its own lines until 150 s: every leg ending with 50 s left, in its
    phase or in the next, may be followed by a full reform; one ending with less only by a
    model small enough. In a 30 s search 504 freed visits never fit, 145 do until 15.25 s
    (7.25 s of CP-SAT and 7.5 s of search after it)."""
    long = parallel._Schedule(started=0.0, deadline=300.0, temperature=Temperature(1.0, 0.0))
    assert parallel._reform_may_follow(100.0, 150.0, long, free=504)
    assert parallel._reform_may_follow(140.0, 150.0, long, free=504)  # in the second phase
    assert parallel._reform_may_follow(250.0, 150.0, long, free=504)
    assert not parallel._reform_may_follow(250.1, 150.0, long, free=504)
    assert not parallel._reform_may_follow(240.0, 260.0, long, free=504)  # 20 s, then 40 s
    short = parallel._Schedule(started=0.0, deadline=30.0, temperature=Temperature(1.0, 0.0))
    assert not parallel._reform_may_follow(3.75, 0.0, short, free=504)
    assert parallel._reform_may_follow(15.25, 0.0, short, free=145)
    assert not parallel._reform_may_follow(15.3, 0.0, short, free=145)
