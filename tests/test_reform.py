"""Re-forming the teams (scheduler/reform.py) on a hand-built plan whose best change is
known."""

from __future__ import annotations

import time

from ortools.sat.python import cp_model

from models import Pin
from scheduler.construct import place_pins
from scheduler.extract import to_rota
from scheduler.insertion import insert
from scheduler.plan import Plan
from scheduler.prepare import prepare
from scheduler.reform import (
    Reform,
    _place,
    _place_making_room,
    _Settling,
    free_visits,
    reform_teams,
    team_bound_waiting,
)
from scheduler.validate import validate
from tests.builders import banned, caseload, customer, shift, visit, worker
from tests.child import run_python


def stuck_case(pinned: bool = False, mornings: bool = False):
    """A's double-handed visit D (team cap 2) on Monday and Tuesday at 18:00; B's visit S on
    Monday at 18:00. W1 and W3 work both evenings, W2 Monday only. The plan has D-Mon with W1
    and W2 and S with W3, so D-Tue is left out: W2 is off and the cap keeps W3 away. The
    one complete rota: A's team W1 and W3, S with W2. With ``mornings``, F's double-handed
    visit M on Monday and Tuesday at 09:00 too, done by W1 and W3 on morning shifts: a
    double-handed customer far in time of day from D. Returns (caseload, plan, visit index,
    worker index)."""
    morning_visits = [visit("M", "F", "09:00", 30, days="Mon;Tue", workers_required=2)]
    morning_shifts = [shift(w, "08:00", "10:00", day="Mon-Tue") for w in ("W1", "W3")]
    c = caseload(
        customers=[customer("A", km=1, max_team_size=2), customer("B", km=1.5)]
        + [customer("F", km=2)] * mornings,
        visits=[visit("D", "A", "18:00", 30, days="Mon;Tue", workers_required=2),
                visit("S", "B", "18:00", 30)] + morning_visits * mornings,
        workers=[worker("W1"), worker("W2"), worker("W3")],
        availability=[shift("W1", "17:00", "20:00", day="Mon-Tue"),
                      shift("W2", "17:00", "20:00"),
                      shift("W3", "17:00", "20:00", day="Mon-Tue")] + morning_shifts * mornings,
        pinned=(Pin(visit_id="S-Mon", worker_id="W3"),) if pinned else (),
    )
    plan = Plan(prepare(c))
    visit_at, worker_at = _indices(plan)
    assert insert(plan, visit_at["D-Mon"], shifts=_shifts_of(plan, 0, "W1", "W2"))
    assert insert(plan, visit_at["S-Mon"], shifts=_shifts_of(plan, 0, "W3"))
    assert not insert(plan, visit_at["D-Tue"])
    for day, visit_id in enumerate(["M-Mon", "M-Tue"] * mornings):
        assert insert(plan, visit_at[visit_id], shifts=_shifts_of(plan, day, "W1", "W3"))
    return c, plan, visit_at, worker_at


def _indices(plan: Plan) -> tuple[dict[str, int], dict[str, int]]:
    """Visit index by visit id, worker index by worker id."""
    inst = plan.inst
    return ({visit_id: v for v, visit_id in enumerate(inst.visit_ids)},
            {worker_id: w for w, worker_id in enumerate(inst.worker_ids)})


def _shifts_of(plan: Plan, day: int, *workers: str) -> list[int]:
    """The shifts of these workers on this day (0 = Monday)."""
    inst = plan.inst
    return [s for s in range(inst.n_shifts) if inst.shift_day[s] == day
            and inst.worker_ids[inst.shift_worker[s]] in workers]


def stranded_case():
    """As in stuck_case, A's double-handed D-Tue is kept out by the cap (team W1 and W2, and
    W2 works Monday only). A new member could be W3 or W4, who work both evenings:
    - W3 has B's visit S on Monday and Tuesday at 18:00, and W5 (banned by A) could take it;
    - W4 has E's visit U on Monday at 18:00, and E's cap of 1 (W4 also does E's Tuesday
      morning visit) leaves it no other worker.
    Taking one visit out (U) looks cheaper than two (S twice), but U would be stranded.
    Returns (caseload, plan, visit index, worker index)."""
    c = caseload(
        customers=[customer("A", km=1, max_team_size=2), customer("B", km=1.5, max_team_size=3),
                   customer("E", km=2, max_team_size=1)],
        visits=[visit("D", "A", "18:00", 30, days="Mon;Tue", workers_required=2),
                visit("S", "B", "18:00", 30, days="Mon;Tue"),
                visit("U", "E", "18:00", 30), visit("U2", "E", "09:00", 30, days="Tue")],
        workers=[worker(w) for w in ("W1", "W2", "W3", "W4", "W5")],
        availability=[shift("W1", "17:00", "20:00", day="Mon-Tue"),
                      shift("W2", "17:00", "20:00"),
                      shift("W3", "17:00", "20:00", day="Mon-Tue"),
                      shift("W4", "17:00", "20:00", day="Mon-Tue"),
                      shift("W4", "08:00", "10:00", day="Tue"),
                      shift("W5", "17:00", "20:00", day="Mon-Tue")],
        preferences=[banned("A", "W5")],
    )
    plan = Plan(prepare(c))
    visit_at, worker_at = _indices(plan)
    assert insert(plan, visit_at["D-Mon"], shifts=_shifts_of(plan, 0, "W1", "W2"))
    assert insert(plan, visit_at["S-Mon"], shifts=_shifts_of(plan, 0, "W3"))
    assert insert(plan, visit_at["S-Tue"], shifts=_shifts_of(plan, 1, "W3"))
    assert insert(plan, visit_at["U-Mon"], shifts=_shifts_of(plan, 0, "W4"))
    assert insert(plan, visit_at["U2-Tue"], shifts=_shifts_of(plan, 1, "W4"))
    assert not insert(plan, visit_at["D-Tue"])
    return c, plan, visit_at, worker_at


def test_reforming_the_team_places_the_visit_the_cap_kept_out():
    c, plan, visit_at, worker_at = stuck_case()
    before = plan.objective()
    reform = reform_teams(plan, time_limit_s=10, seed=1)
    assert plan.unassigned_visits() == []
    assert sorted(plan.workers_of(visit_at["D-Tue"])) == [worker_at["W1"], worker_at["W3"]]
    assert sorted(plan.workers_of(visit_at["D-Mon"])) == [worker_at["W1"], worker_at["W3"]]
    assert plan.workers_of(visit_at["S-Mon"]) == [worker_at["W2"]]
    assert (reform.changed, reform.taken_out, reform.left_out) == (2, 1, 0)
    assert plan.objective() < before
    assert validate(c, to_rota(plan, c)) == []


def test_a_single_handed_visit_a_full_team_keeps_out_is_placed_by_a_new_team():
    """A's team cap is 1. W1 has A's Monday visit; on Tuesday only W2 works, so A's Tuesday
    visit is left out. The one complete rota: W2 takes both."""
    c = caseload(
        customers=[customer("A", km=1, max_team_size=1)],
        visits=[visit("A1", "A", "09:00", 30, days="Mon;Tue")],
        workers=[worker("W1"), worker("W2")],
        availability=[shift("W1", "08:00", "10:00"), shift("W2", "08:00", "10:00", day="Mon-Tue")],
    )
    plan = Plan(prepare(c))
    visit_at, worker_at = _indices(plan)
    assert insert(plan, visit_at["A1-Mon"], shifts=_shifts_of(plan, 0, "W1"))
    assert not insert(plan, visit_at["A1-Tue"])
    reform = reform_teams(plan, time_limit_s=10, seed=1)
    assert plan.unassigned_visits() == []
    assert plan.workers_of(visit_at["A1-Mon"]) == [worker_at["W2"]]
    assert plan.workers_of(visit_at["A1-Tue"]) == [worker_at["W2"]]
    assert (reform.changed, reform.left_out) == (2, 0)
    assert validate(c, to_rota(plan, c)) == []


def test_the_smaller_model_frees_only_the_customers_with_a_visit_left_out():
    """stranded_case: A's D-Tue is left out; B and E have no double-handed visit, so both
    models free A's two visits. With another double-handed customer F whose visits are all
    placed, the full model frees F's too and the smaller one does not."""
    _, plan, visit_at, _ = stranded_case()
    a_visits = [visit_at["D-Mon"], visit_at["D-Tue"]]
    assert sorted(free_visits(plan)) == sorted(free_visits(plan, around_waiting=True)) == a_visits
    c = caseload(
        customers=[customer("A", km=1, max_team_size=2), customer("F", km=2)],
        visits=[visit("D", "A", "18:00", 30, days="Mon;Tue", workers_required=2),
                visit("H", "F", "09:00", 30, workers_required=2)],
        workers=[worker("W1"), worker("W2"), worker("W3")],
        availability=[shift("W1", "08:00", "20:00", day="Mon-Tue"),
                      shift("W2", "08:00", "20:00"),
                      shift("W3", "08:00", "12:00")],
    )
    plan = Plan(prepare(c))
    visit_at, _ = _indices(plan)
    assert insert(plan, visit_at["H-Mon"])
    assert insert(plan, visit_at["D-Mon"], shifts=_shifts_of(plan, 0, "W1", "W2"))
    assert not insert(plan, visit_at["D-Tue"])
    assert sorted(free_visits(plan)) == sorted(visit_at[v] for v in ("D-Mon", "D-Tue", "H-Mon"))
    assert sorted(free_visits(plan, around_waiting=True)) == [visit_at["D-Mon"], visit_at["D-Tue"]]


def test_the_smaller_model_frees_other_double_handed_visits_near_one_left_out():
    """A's double-handed D-Tue (18:00-18:30) is left out. F's double-handed visits on
    Wednesday at 18:55 (ends 19:25) and at 17:05 come within NEAR_MIN (30 min) of it in time
    of day; at 19:00 and at 17:00 they do not. F's single-handed visit at 18:00 is not
    freed, and neither are the visits of F's that are not near."""
    c = caseload(
        customers=[customer("A", km=1, max_team_size=2), customer("F", km=2, max_team_size=4)],
        visits=[visit("D", "A", "18:00", 30, days="Mon;Tue", workers_required=2),
                *(visit(name, "F", at, 30, days="Wed", workers_required=2)
                  for name, at in (("G1", "18:55"), ("G2", "19:00"), ("G3", "17:05"),
                                   ("G4", "17:00"))),
                visit("M", "F", "18:00", 15, days="Thu")],
        workers=[worker("W1"), worker("W2"), worker("W3"), worker("W4")],
        availability=[shift("W1", "16:00", "22:00", day="Mon-Thu"),
                      shift("W2", "16:00", "22:00", day="Mon;Wed;Thu"),
                      shift("W3", "16:00", "22:00", day="Wed"),
                      shift("W4", "16:00", "22:00", day="Wed")],
    )
    plan = Plan(prepare(c))
    visit_at, _ = _indices(plan)
    assert insert(plan, visit_at["D-Mon"], shifts=_shifts_of(plan, 0, "W1", "W2"))
    for name in ("G1-Wed", "G2-Wed", "G3-Wed", "G4-Wed", "M-Thu"):
        assert insert(plan, visit_at[name]), name
    assert plan.unassigned_visits() == [visit_at["D-Tue"]]
    assert sorted(free_visits(plan, around_waiting=True)) == sorted(
        visit_at[v] for v in ("D-Mon", "D-Tue", "G1-Wed", "G3-Wed"))


def test_the_smaller_model_keeps_the_fixed_members_of_a_partly_freed_team_within_its_cap():
    """A (cap 2) has D at 18:00 on Monday and Tuesday, two workers each; only W1 and W2 work
    on Monday, so they are A's team. On Tuesday they are at F's double-handed G (18:00), so
    D-Tue is left out. F (cap 3) also has M on Tuesday morning (pinned to W5) and N on
    Wednesday morning (W1; W3 could take it). The smaller model frees D and G only. G can
    go to W3 and W4, but F would then have four members while N stays with W1, so N must
    move to W3: the one complete rota."""
    c = caseload(
        customers=[customer("A", km=1, max_team_size=2), customer("F", km=2, max_team_size=3)],
        visits=[visit("D", "A", "18:00", 30, days="Mon;Tue", workers_required=2),
                visit("G", "F", "18:00", 30, days="Tue", workers_required=2),
                visit("M", "F", "09:00", 30, days="Tue"),
                visit("N", "F", "09:00", 30, days="Wed")],
        workers=[worker(w) for w in ("W1", "W2", "W3", "W4", "W5")],
        availability=[shift("W1", "17:00", "20:00", day="Mon-Tue"),
                      shift("W1", "08:00", "10:00", day="Wed"),
                      shift("W2", "17:00", "20:00", day="Mon-Tue"),
                      shift("W3", "17:00", "20:00", day="Tue"),
                      shift("W3", "08:00", "10:00", day="Wed"),
                      shift("W4", "17:00", "20:00", day="Tue"),
                      shift("W5", "08:00", "10:00", day="Tue")],
        pinned=(Pin(visit_id="M-Tue", worker_id="W5"),),
    )
    plan = Plan(prepare(c))
    place_pins(plan)
    visit_at, worker_at = _indices(plan)
    assert insert(plan, visit_at["D-Mon"], shifts=_shifts_of(plan, 0, "W1", "W2"))
    assert insert(plan, visit_at["G-Tue"], shifts=_shifts_of(plan, 1, "W1", "W2"))
    assert insert(plan, visit_at["N-Wed"], shifts=_shifts_of(plan, 2, "W1"))
    assert plan.unassigned_visits() == [visit_at["D-Tue"]]
    assert sorted(free_visits(plan, around_waiting=True)) == sorted(
        visit_at[v] for v in ("D-Mon", "D-Tue", "G-Tue"))
    reform_teams(plan, time_limit_s=10, seed=1, around_waiting=True)
    assert plan.unassigned_visits() == []
    assert sorted(plan.workers_of(visit_at["G-Tue"])) == [worker_at["W3"], worker_at["W4"]]
    assert plan.workers_of(visit_at["N-Wed"]) == [worker_at["W3"]]
    assert validate(c, to_rota(plan, c)) == []


def test_the_settling_clock_runs_only_after_a_solution_that_places_every_free_visit():
    """``_Settling`` (the early stop of a smaller model's solve): two 'placed' variables of
    which a constraint allows one only keep the clock at 0; without it, it runs."""
    for both_allowed in (False, True):
        m = cp_model.CpModel()
        placed = [m.new_bool_var(""), m.new_bool_var("")]
        if not both_allowed:
            m.add(sum(placed) <= 1)
        m.maximize(sum(placed))
        settling = _Settling(placed)
        assert cp_model.CpSolver().solve(m, settling) == cp_model.OPTIMAL
        time.sleep(0.01)
        assert (settling.quiet_s() > 0) == both_allowed


def test_a_full_team_starts_no_reform_when_nobody_outside_it_could_come():
    """A's team cap is 1 and W1 has A's Monday visit; on Tuesday W1 is at B's pinned visit
    when A's visit is due, and W2, who could take it, is banned by A: a new team cannot help."""
    c = caseload(
        customers=[customer("A", km=1, max_team_size=1), customer("B", km=1.5)],
        visits=[visit("A1", "A", "09:00", 30, days="Mon;Tue", window_before_min=0,
                      window_after_min=0),
                visit("B1", "B", "08:30", 60, days="Tue", window_before_min=0,
                      window_after_min=0)],
        workers=[worker("W1"), worker("W2")],
        availability=[shift("W1", "08:00", "11:00", day="Mon-Tue"),
                      shift("W2", "08:00", "11:00", day="Mon-Tue")],
        preferences=[banned("A", "W2")],
        pinned=(Pin(visit_id="B1-Tue", worker_id="W1"),),
    )
    plan = Plan(prepare(c))
    place_pins(plan)
    visit_at, _ = _indices(plan)
    assert insert(plan, visit_at["A1-Mon"])
    assert not insert(plan, visit_at["A1-Tue"])
    assert not team_bound_waiting(plan)
    state = plan.copy_state()
    assert reform_teams(plan, time_limit_s=10, seed=1) == Reform()
    assert plan.copy_state() == state
    # the same plan without the ban: W2 could come, so a reform may help
    unbanned = Plan(prepare(c.model_copy(update={"preferences": ()})))
    place_pins(unbanned)
    assert insert(unbanned, visit_at["A1-Mon"], shifts=_shifts_of(unbanned, 0, "W1"))
    assert not insert(unbanned, visit_at["A1-Tue"])
    assert team_bound_waiting(unbanned)


def test_the_reform_takes_out_visits_that_can_go_elsewhere_rather_than_one_that_cannot():
    c, plan, visit_at, worker_at = stranded_case()
    reform = reform_teams(plan, time_limit_s=10, seed=1)
    assert plan.unassigned_visits() == []
    assert sorted(plan.workers_of(visit_at["D-Tue"])) == [worker_at["W1"], worker_at["W3"]]
    assert plan.workers_of(visit_at["U-Mon"]) == [worker_at["W4"]]
    assert reform.taken_out == 2
    assert validate(c, to_rota(plan, c)) == []


def test_a_pinned_visit_is_never_taken_out_to_make_room():
    c, plan, visit_at, worker_at = stuck_case(pinned=True)
    state = plan.copy_state()
    reform = reform_teams(plan, time_limit_s=10, seed=1)
    assert reform.taken_out == 0
    assert plan.workers_of(visit_at["S-Mon"]) == [worker_at["W3"]]
    assert plan.unassigned_visits() == [visit_at["D-Tue"]]
    assert plan.copy_state() == state
    assert validate(c, to_rota(plan, c)) == []


def test_a_double_handed_visit_the_first_run_re_times_starts_there_in_both_runs():
    """The model would start D at 10:00, but W1 is at B's visit until 10:10: W1's run takes
    D later, and W2's run must take it at that time too, not at 10:00."""
    c = caseload(
        customers=[customer("A", km=1), customer("B", km=1.5)],
        visits=[visit("D", "A", "10:15", 30, workers_required=2, window_before_min=15,
                      window_after_min=15),
                visit("X", "B", "09:40", 30)],
        workers=[worker("W1"), worker("W2")],
        availability=[shift("W1", "09:00", "12:00"), shift("W2", "09:00", "12:00")],
    )
    plan = Plan(prepare(c))
    visit_at, _ = _indices(plan)
    d = visit_at["D-Mon"]
    [w1], [w2] = _shifts_of(plan, 0, "W1"), _shifts_of(plan, 0, "W2")
    assert w1 < w2  # W1's run takes D first
    assert insert(plan, visit_at["X-Mon"], shifts=[w1])
    assert _place(plan, d, {w1, w2}, start=10 * 60)
    assert plan.start[d] > 10 * 60 + 10
    assert validate(c, to_rota(plan, c)) == []


def week_cap_case(pinned: bool = False):
    """A's double-handed D on Tuesday at 18:00 for 30 minutes; B's X on Monday at 18:00 for 45.
    W1 (60 minutes a week at most) does X; W3 works Monday evening, W2 Tuesday evening. D with
    W1 and W2 puts W1's week at 75 minutes, unless X goes to W3. Returns (caseload, plan,
    visit index, worker index)."""
    c = caseload(
        customers=[customer("A"), customer("B")],
        visits=[visit("D", "A", "18:00", 30, days="Tue", workers_required=2),
                visit("X", "B", "18:00", 45)],
        workers=[worker("W1", max_hours_week=1.0), worker("W2"), worker("W3")],
        availability=[shift("W1", "17:00", "20:00", day="Mon-Tue"),
                      shift("W2", "17:00", "20:00", day="Tue"),
                      shift("W3", "17:00", "20:00")],
        pinned=(Pin(visit_id="X-Mon", worker_id="W1"),) if pinned else (),
    )
    plan = Plan(prepare(c))
    visit_at, worker_at = _indices(plan)
    assert insert(plan, visit_at["X-Mon"], shifts=_shifts_of(plan, 0, "W1"))
    return c, plan, visit_at, worker_at


def test_a_visit_its_workers_week_refuses_is_placed_once_a_visit_on_another_day_makes_room():
    c, plan, visit_at, worker_at = week_cap_case()
    d, x, tuesday = visit_at["D-Tue"], visit_at["X-Mon"], set(_shifts_of(plan, 1, "W1", "W2"))
    assert not _place(plan, d, tuesday, start=18 * 60)
    assert _place_making_room(plan, d, tuesday, 18 * 60, free={d}) == [x]
    assert sorted(plan.workers_of(d)) == [worker_at["W1"], worker_at["W2"]]
    assert insert(plan, x)
    assert plan.workers_of(x) == [worker_at["W3"]]
    assert validate(c, to_rota(plan, c)) == []


def test_no_room_is_made_from_a_pinned_visit():
    _, plan, visit_at, _ = week_cap_case(pinned=True)
    d, tuesday = visit_at["D-Tue"], set(_shifts_of(plan, 1, "W1", "W2"))
    state = plan.copy_state()
    assert _place_making_room(plan, d, tuesday, 18 * 60, free={d}) is None
    assert plan.copy_state() == state


def test_the_reform_makes_room_in_a_week_its_model_does_not_count():
    """stuck_case, with W3 at most 90 minutes a week and E's X on Wednesday at 09:00 for 30
    (W3 or W4 can take it): the model's team for A, W1 and W3, puts W3's week over 90
    minutes with the travel, so X goes to W4 for D-Tue."""
    c, _, _, _ = stuck_case()
    c = c.model_copy(update={
        "customers": [*c.customers, customer("E", km=2)],
        "visits": [*c.visits, visit("X", "E", "09:00", 30, days="Wed")],
        "workers": [c.workers[0], c.workers[1], worker("W3", max_hours_week=1.5), worker("W4")],
        "availability": [*c.availability, shift("W3", "08:00", "10:00", day="Wed"),
                         shift("W4", "08:00", "10:00", day="Wed")],
    })
    plan = Plan(prepare(c))
    visit_at, worker_at = _indices(plan)
    assert insert(plan, visit_at["D-Mon"], shifts=_shifts_of(plan, 0, "W1", "W2"))
    assert insert(plan, visit_at["S-Mon"], shifts=_shifts_of(plan, 0, "W3"))
    assert insert(plan, visit_at["X-Wed"], shifts=_shifts_of(plan, 2, "W3"))
    reform = reform_teams(plan, time_limit_s=10, seed=1)
    assert plan.unassigned_visits() == []
    assert sorted(plan.workers_of(visit_at["D-Tue"])) == [worker_at["W1"], worker_at["W3"]]
    assert plan.workers_of(visit_at["X-Wed"]) == [worker_at["W4"]]
    assert (reform.taken_out, reform.left_out) == (2, 0)
    assert validate(c, to_rota(plan, c)) == []


def test_ctrl_c_is_still_handled_by_python_after_a_reform():
    """After a reform, Ctrl-C still raises KeyboardInterrupt (in a child process: were SIGINT
    left unhandled, it would kill it)."""
    script = (
        "import os, signal\n"
        "from tests.test_reform import stuck_case\n"
        "from scheduler.reform import reform_teams\n"
        "_, plan, _, _ = stuck_case()\n"
        "reform_teams(plan, time_limit_s=10, seed=1)\n"
        "try:\n"
        "    os.kill(os.getpid(), signal.SIGINT)\n"
        "except KeyboardInterrupt:\n"
        "    print('handled')\n"
    )
    done = run_python(script)
    assert (done.returncode, done.stdout.strip()) == (0, "handled"), done.stderr[-2000:]


def test_ctrl_c_during_the_model_leaves_the_plan_as_it_was():
    """On the L benchmark's constructed rota the model runs its full minute unless stopped;
    Ctrl-C 3 s into the solve stops it within seconds, the reform reports it, and the plan is
    unchanged."""
    script = (
        "import os, random, signal, threading, time\n"
        "from scheduler.construct import construct\n"
        "from scheduler.io import read_caseload\n"
        "from scheduler.plan import Plan\n"
        "from scheduler.prepare import prepare\n"
        "from scheduler.reform import reform_teams\n"
        "plan = Plan(prepare(read_caseload('benchmarks/instances/ladder-L-7.json')))\n"
        "construct(plan, random.Random(1))\n"
        "state = plan.copy_state()\n"
        "press = threading.Timer(3, os.kill, (os.getpid(), signal.SIGINT))\n"
        "def solving():\n"
        "    if not press.is_alive() and not press.finished.is_set():\n"
        "        press.start()\n"
        "        solving.began = time.monotonic()\n"
        "reform = reform_teams(plan, time_limit_s=60, seed=1,\n"
        "                                    while_waiting=solving)\n"
        "print(reform.interrupted, plan.copy_state() == state,\n"
        "      time.monotonic() - solving.began < 10)\n"
    )
    done = run_python(script)
    assert done.stdout.split() == ["True", "True", "True"], done.stderr[-2000:]
