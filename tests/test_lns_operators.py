"""LNS operators on hand-built plans whose best move is known."""

from __future__ import annotations

import random
import time

from models import Pin
from models.objective import UNFAMILIAR_WORKER
from scheduler.insertion import insert
from scheduler.lns import (
    Limits,
    Search,
    _members_lacking,
    _placed_at_random,
    critical_swap,
    familiar_member,
    merge_member,
    shed_member,
    unassigned,
)
from scheduler.plan import Plan
from scheduler.prepare import prepare
from tests.builders import banned, caseload, customer, regular, shift, visit, worker


def test_a_critical_visit_takes_the_place_of_a_normal_one():
    """One worker, two overlapping visits: the normal one placed, the critical one out. Making
    room for the critical visit leaves the normal one out, and is kept (the objective falls by
    the difference of their priorities)."""
    c = caseload(
        customers=[customer("C1", km=1), customer("C2", km=2)],
        visits=[visit("N", "C1", "08:00", 60, priority="normal"),
                visit("K", "C2", "08:30", 60, priority="critical")],
        workers=[worker("W", km=0)],
        availability=[shift("W", "07:00", "12:00")],
    )
    plan = Plan(prepare(c))
    normal, critical = plan.inst.visit_ids.index("N-Mon"), plan.inst.visit_ids.index("K-Mon")
    assert insert(plan, normal)
    before = plan.objective()
    search = Search(plan, random.Random(1), Limits(deadline=time.monotonic() + 10), seed=1)
    unassigned(search)
    assert plan.is_assigned(critical) and not plan.is_assigned(normal)
    assert plan.objective() < before


def full_team_case(newcomer_busy: bool):
    """C1's team (cap 1) is A, who works weekdays and has C1's Monday and Tuesday visits; the
    critical Saturday visit K only B can take. With ``newcomer_busy``, B is at C2's Saturday
    visit O at the same time (nobody else can take it). Returns the plan after a critical
    swap, its objective before, and the visit index by id."""
    others = [visit("O", "C2", "09:00", 30, days="Sat", priority="normal")] if newcomer_busy else []
    c = caseload(
        customers=[customer("C1", km=1, max_team_size=1), customer("C2", km=1)],
        visits=[visit("N", "C1", "09:00", 30, days="Mon;Tue", priority="normal"),
                visit("K", "C1", "09:00", 30, days="Sat", priority="critical"), *others],
        workers=[worker("A", km=0), worker("B", km=0)],
        availability=[shift("A", "08:00", "12:00", day="Mon-Fri"),
                      shift("B", "08:00", "12:00", day="Sat")],
    )
    plan = Plan(prepare(c))
    index = {visit_id: v for v, visit_id in enumerate(plan.inst.visit_ids)}
    for name in ("N-Mon", "N-Tue", *(["O-Sat"] if newcomer_busy else [])):
        assert insert(plan, index[name])
    assert not insert(plan, index["K-Sat"])  # the team is full, or B is busy
    before = plan.objective()
    critical_swap(Search(plan, random.Random(1), Limits(deadline=time.monotonic() + 10), seed=1))
    return plan, before, index


def test_a_critical_visit_blocked_by_a_full_team_gets_a_new_member():
    """Swapping A for B places K and leaves the two normal visits out (B does not work
    weekdays): 1,000,000 points against 200,000, kept."""
    plan, before, index = full_team_case(newcomer_busy=False)
    assert plan.workers_of(index["K-Sat"]) == [plan.inst.worker_ids.index("B")]
    assert plan.unassigned_visits() == [index["N-Mon"], index["N-Tue"]]
    assert plan.objective() < before


def test_a_critical_swap_clears_the_newcomers_run_when_need_be():
    """B takes K; O is left out with C1's two normal visits."""
    plan, before, index = full_team_case(newcomer_busy=True)
    assert plan.workers_of(index["K-Sat"]) == [plan.inst.worker_ids.index("B")]
    assert plan.unassigned_visits() == sorted(index[n] for n in ("N-Mon", "N-Tue", "O-Sat"))
    assert plan.objective() < before


def double_handed_team_case(team_cap: int):
    """C1's critical double-handed visit D on Monday and Tuesday at 09:00 and its visit S on
    Monday at 11:00. A and C work both days, B Monday only. The plan has D-Mon with A and B
    and S with A, so with a team cap of 2 D-Tue is left out: A can come, but C would be a
    third member. Returns the plan, the visit index by id and the worker index by id."""
    c = caseload(
        customers=[customer("C1", km=1, max_team_size=team_cap)],
        visits=[visit("D", "C1", "09:00", 30, days="Mon;Tue", workers_required=2,
                      priority="critical"),
                visit("S", "C1", "11:00", 30)],
        workers=[worker("A"), worker("B"), worker("C")],
        availability=[shift("A", "08:00", "12:00", day="Mon-Tue"), shift("B", "08:00", "12:00"),
                      shift("C", "08:00", "12:00", day="Mon-Tue")],
    )
    plan = Plan(prepare(c))
    inst = plan.inst
    index = {visit_id: v for v, visit_id in enumerate(inst.visit_ids)}
    by_worker = {w: [s for s in range(inst.n_shifts) if inst.worker_ids[inst.shift_worker[s]] == w
                     and inst.shift_day[s] == 0] for w in "ABC"}
    assert insert(plan, index["D-Mon"], shifts=by_worker["A"] + by_worker["B"])
    assert insert(plan, index["S-Mon"], shifts=by_worker["A"])
    return plan, index, {w: inst.worker_ids.index(w) for w in "ABC"}


def test_a_double_handed_visit_lacks_a_worker_only_when_the_team_is_full():
    plan, index, _ = double_handed_team_case(team_cap=2)
    assert not insert(plan, index["D-Tue"])
    assert _members_lacking(plan, index["D-Tue"]) == 1  # A can come; no room for C
    plan, index, _ = double_handed_team_case(team_cap=3)
    assert _members_lacking(plan, index["D-Tue"]) == 0  # room for C


def test_a_critical_swap_places_a_double_handed_visit_one_member_could_take():
    """B, with the fewest of C1's visits, is released; C joins for D-Tue and takes B's place
    on D-Mon: every visit placed, the team A and C."""
    plan, index, worker = double_handed_team_case(team_cap=2)
    assert not insert(plan, index["D-Tue"])
    before = plan.objective()
    critical_swap(Search(plan, random.Random(1), Limits(deadline=time.monotonic() + 10), seed=1))
    assert plan.unassigned_visits() == []
    for visit_id in ("D-Mon", "D-Tue"):
        assert sorted(plan.workers_of(index[visit_id])) == [worker["A"], worker["C"]]
    assert plan.objective() < before


def test_a_swap_for_two_members_whose_visits_are_all_together():
    """C1's team (cap 2) is A and B, together at its double-handed Monday visit D; its
    critical double-handed Tuesday visit K only C and E can take, so both members must go.
    Releasing A takes D out whole, and B with it: the team is empty before a second release
    (that once raised IndexError). C and E take K."""
    c = caseload(
        customers=[customer("C1", km=1, max_team_size=2)],
        visits=[visit("D", "C1", "09:00", 30, workers_required=2),
                visit("K", "C1", "09:00", 30, days="Tue", workers_required=2,
                      priority="critical")],
        workers=[worker(w) for w in ("A", "B", "C", "E")],
        availability=[shift("A", "08:00", "12:00"), shift("B", "08:00", "12:00"),
                      shift("C", "08:00", "12:00", day="Tue"),
                      shift("E", "08:00", "12:00", day="Tue")],
    )
    plan = Plan(prepare(c))
    index = {visit_id: v for v, visit_id in enumerate(plan.inst.visit_ids)}
    assert insert(plan, index["D-Mon"])
    assert not insert(plan, index["K-Tue"])
    assert _members_lacking(plan, index["K-Tue"]) == 2
    critical_swap(Search(plan, random.Random(1), Limits(deadline=time.monotonic() + 10), seed=1))
    workers = plan.inst.worker_ids
    assert sorted(workers[w] for w in plan.workers_of(index["K-Tue"])) == ["C", "E"]
    assert plan.unassigned_visits() == [index["D-Mon"]]


def held_by_a_full_team(b_banned_at_c1: bool):
    """V (C2, Monday 09:00) only A may take (B is banned there), and A is at C1's visit X then;
    C1's team (cap 1) is A, who has its Tuesday visit Y too. B works both days and could take
    X and Y unless ``b_banned_at_c1``. Returns the plan after an ``unassigned`` call, its
    objective before and the visit index by id."""
    c = caseload(
        customers=[customer("C1", max_team_size=1), customer("C2")],
        visits=[visit("X", "C1", "09:00", 30), visit("Y", "C1", "09:00", 30, days="Tue"),
                visit("V", "C2", "09:00", 30)],
        workers=[worker("A"), worker("B")],
        availability=[shift(w, "08:00", "12:00", day="Mon-Tue") for w in "AB"],
        preferences=[banned("C2", "B"), *([banned("C1", "B")] if b_banned_at_c1 else [])],
    )
    plan, index, worker_of, _ = plan_with_indexes(c)
    a_shifts = plan.inst.shifts_of_worker()[worker_of["A"]]
    for name in ("X-Mon", "Y-Tue"):
        assert insert(plan, index[name], shifts=a_shifts)
    assert not insert(plan, index["V-Mon"])
    before = plan.objective()
    unassigned(Search(plan, random.Random(1), Limits(deadline=time.monotonic() + 10), seed=1))
    return plan, before, index


def test_a_visit_in_the_way_whose_full_team_cannot_take_it_back_gets_a_member_swapped():
    """A takes V; X then has no place in C1's full team, so B is swapped in for A there and
    takes X and Y: every visit placed."""
    plan, before, index = held_by_a_full_team(b_banned_at_c1=False)
    b = plan.inst.worker_ids.index("B")
    assert plan.unassigned_visits() == []
    assert plan.workers_of(index["X-Mon"]) == plan.workers_of(index["Y-Tue"]) == [b]
    assert plan.objective() < before


def test_a_member_swap_that_cannot_place_the_visit_in_the_way_is_undone():
    """With B banned at C1 too, nobody can take X in A's stead: the plan stays as it was."""
    plan, before, index = held_by_a_full_team(b_banned_at_c1=True)
    assert plan.unassigned_visits() == [index["V-Mon"]]
    assert plan.objective() == before


def full_week_case(b_days: str):
    """A (2 hours a week) has C1's Tuesday and Wednesday visits, an hour each, and is the only
    worker on Monday, when C2's visit V waits; B works ``b_days``. Returns the plan after an
    ``unassigned`` call, its objective before, the visit index and the worker index by id."""
    c = caseload(
        customers=[customer("C1"), customer("C2")],
        visits=[visit("T", "C1", "09:00", 60, days="Tue;Wed"), visit("V", "C2", "09:00", 30)],
        workers=[worker("A", max_hours_week=2), worker("B")],
        availability=[shift("A", "08:00", "12:00", day="Mon-Wed"),
                      shift("B", "08:00", "12:00", day=b_days)],
    )
    plan, index, worker_of, _ = plan_with_indexes(c)
    for name in ("T-Tue", "T-Wed"):
        assert insert(plan, index[name], shifts=plan.inst.shifts_of_worker()[worker_of["A"]])
    assert not insert(plan, index["V-Mon"])  # A's week is full
    before = plan.objective()
    unassigned(Search(plan, random.Random(1), Limits(deadline=time.monotonic() + 10), seed=1))
    return plan, before, index, worker_of


def test_a_worker_whose_week_is_full_hands_visits_on_other_days_over_for_a_visit_left_out():
    """B works Tuesday and Wednesday: A's visits there go to B and A takes V."""
    plan, before, index, worker_of = full_week_case(b_days="Tue-Wed")
    assert plan.unassigned_visits() == []
    assert plan.workers_of(index["V-Mon"]) == [worker_of["A"]]
    assert plan.objective() < before


def test_a_full_week_nobody_can_relieve_stays_as_it_was():
    """B works Thursday only: nobody can take A's visits, so V stays out and nothing changes."""
    plan, before, index, _ = full_week_case(b_days="Thu")
    assert plan.unassigned_visits() == [index["V-Mon"]]
    assert plan.objective() == before


def test_a_random_placed_visit_is_one_with_a_worker_even_when_few_are():
    """Ten visits, one placed: the draws over all visits mostly miss, and the listing after
    them still finds it; with none placed there is none to give."""
    c = caseload(
        customers=[customer("C1", km=1)],
        visits=[visit(f"V{h}", "C1", f"{h:02d}:00", 30) for h in range(8, 18)],
        workers=[worker("W", km=0)],
        availability=[shift("W", "07:00", "19:00")],
    )
    plan = Plan(prepare(c))
    assert _placed_at_random(plan, random.Random(1)) is None
    placed = plan.inst.visit_ids.index("V12-Mon")
    assert insert(plan, placed)
    assert {_placed_at_random(plan, random.Random(seed)) for seed in range(50)} == {placed}


def two_member_team(second_at: str):
    """C1's Monday visits at 09:00 and at ``second_at``, 30 minutes each, one in A's run and
    one in B's (both free 08:00-12:00): a team of two. Returns the plan and its objective."""
    c = caseload(
        customers=[customer("C1", km=1)],
        visits=[visit("V1", "C1", "09:00", 30), visit("V2", "C1", second_at, 30)],
        workers=[worker("A", km=0), worker("B", km=0)],
        availability=[shift("A", "08:00", "12:00"), shift("B", "08:00", "12:00")],
    )
    plan = Plan(prepare(c))
    index = {visit_id: v for v, visit_id in enumerate(plan.inst.visit_ids)}
    a, b = (plan.inst.worker_ids.index(name) for name in "AB")
    shift_of = {int(plan.inst.shift_worker[s]): s for s in range(plan.inst.n_shifts)}
    assert insert(plan, index["V1-Mon"], shifts=[shift_of[a]])
    assert insert(plan, index["V2-Mon"], shifts=[shift_of[b]])
    return plan, plan.objective()


def test_a_member_whose_visit_the_rest_of_the_team_can_take_is_shed():
    """V2 at 11:00 fits in A's run after V1: one member less (600 points) and one round trip
    from home less (60 points of travel minutes, 20 of mileage)."""
    plan, before = two_member_team("11:00")
    shed_member(Search(plan, random.Random(1), Limits(deadline=time.monotonic() + 10), seed=1))
    assert len(plan.team[0]) == 1 and not plan.waiting
    assert (plan.breakdown()["team_size"], before - plan.objective()) == (600, 680)


def test_a_member_the_team_cannot_do_without_leaves_a_visit_out_to_be_rolled_back():
    """V2 at 09:00 too: nobody but the leaving member can take the released visit, so the
    move leaves it out (and the search's acceptance rolls that back)."""
    plan, before = two_member_team("09:00")
    shed_member(Search(plan, random.Random(1), Limits(deadline=time.monotonic() + 10), seed=1))
    assert len(plan.team[0]) == 1 and len(plan.waiting) == 1
    assert plan.objective() > before


def plan_with_indexes(c):
    """An empty plan of caseload c, with the visit index by id, the worker index by id and
    each worker's shift (one shift each in these cases)."""
    plan = Plan(prepare(c))
    inst = plan.inst
    index = {visit_id: v for v, visit_id in enumerate(inst.visit_ids)}
    worker_of = {name: w for w, name in enumerate(inst.worker_ids)}
    shift_of = {int(inst.shift_worker[s]): s for s in range(inst.n_shifts)}
    return plan, index, worker_of, shift_of


def stranger_at_the_familiar_workers_time(familiar_free_at: str, double_handed: bool = False,
                                          pinned: tuple[Pin, ...] = ()):
    """C1's Monday visit V at 09:00 is in S's run; F, C1's named regular, is at C2's visit O at
    09:00 if free then (anyone may take O). F is free ``familiar_free_at`` (its shift). With
    ``double_handed``, V needs two workers and P, C1's other regular, is S's partner there.
    ``pinned`` pins are locked in the search.
    Everyone lives and works at one place, so travel costs nothing. Returns the plan after a
    familiar_member move, its objective before, the visit index by id and the worker index by
    id."""
    c = caseload(
        customers=[customer("C1"), customer("C2")],
        visits=[visit("V", "C1", "09:00", workers_required=1 + double_handed),
                visit("O", "C2", "09:00")],
        workers=[worker("S"), worker("F"), worker("P")],
        availability=[shift("S", "08:00", "12:00"), shift("F", *familiar_free_at.split("-")),
                      *([shift("P", "08:00", "12:00")] if double_handed else [])],
        preferences=[regular("C1", "F"), regular("C1", "P")],
        pinned=pinned,
    )
    plan, index, worker_of, shift_of = plan_with_indexes(c)
    pair = ["S", "P"] if double_handed else ["S"]
    assert insert(plan, index["V-Mon"], shifts=[shift_of[worker_of[w]] for w in pair])
    insert(plan, index["O-Mon"], shifts=[shift_of[worker_of["F"]]])  # if F is free at 09:00
    before = plan.objective()
    familiar_member(Search(plan, random.Random(1), Limits(deadline=time.monotonic() + 10),
                           seed=1))
    return plan, before, index, worker_of


def test_a_familiar_worker_busy_elsewhere_takes_over_from_a_stranger():
    """F's O is cleared for V and goes to S: the same travel, the same team sizes, and C1's
    unfamiliar member gone (900 points)."""
    plan, before, index, worker_of = stranger_at_the_familiar_workers_time("08:00-12:00")
    assert plan.workers_of(index["V-Mon"]) == [worker_of["F"]]
    assert plan.workers_of(index["O-Mon"]) == [worker_of["S"]]
    assert before - plan.objective() == plan.inst.weights[UNFAMILIAR_WORKER] == 900


def test_a_familiar_worker_without_a_shift_at_the_visit_is_not_brought_in():
    """F works 10:00-12:00 only (and O is left out): nothing to hand over, the plan stays as
    it was."""
    plan, before, index, worker_of = stranger_at_the_familiar_workers_time("10:00-12:00")
    assert plan.workers_of(index["V-Mon"]) == [worker_of["S"]]
    assert plan.objective() == before


def test_a_familiar_worker_takes_over_from_a_stranger_beside_the_other_worker():
    """V is double-handed, S and P: taken out whole, it is paired up again with F (whose
    run was cleared) and P, at 09:00; O goes to S."""
    plan, before, index, worker_of = stranger_at_the_familiar_workers_time(
        "08:00-12:00", double_handed=True)
    assert sorted(plan.workers_of(index["V-Mon"])) == sorted([worker_of["F"], worker_of["P"]])
    assert plan.workers_of(index["O-Mon"]) == [worker_of["S"]]
    assert before - plan.objective() == 900
    assert plan.start[index["V-Mon"]] == 9 * 60


def test_a_stranger_pinned_to_the_visit_stays():
    """V is pinned to S: the move leaves the plan as it was (no second worker on V)."""
    pin = Pin(visit_id="V-Mon", worker_id="S", start=9 * 60)
    plan, before, index, worker_of = stranger_at_the_familiar_workers_time(
        "08:00-12:00", pinned=(pin,))
    assert plan.workers_of(index["V-Mon"]) == [worker_of["S"]]
    assert plan.objective() == before


def stranger_covered_in_part(m_shift: str):
    """C1's Monday visits V1 at 09:00 and V2 at 11:00 are with S, a stranger; V3 at 14:00 is
    with M, a named regular and member. F, the other named regular, works 08:00-10:00 only, so
    can take V1 but not V2; M works ``m_shift``. Everyone lives and works at one place (no
    travel). Returns the plan after a familiar_member move, its objective before, the visit
    index by id and the worker index by id."""
    c = caseload(
        customers=[customer("C1")],
        visits=[visit("V1", "C1", "09:00"), visit("V2", "C1", "11:00"),
                visit("V3", "C1", "14:00")],
        workers=[worker("S"), worker("F"), worker("M")],
        availability=[shift("S", "08:00", "12:00"), shift("F", "08:00", "10:00"),
                      shift("M", *m_shift.split("-"))],
        preferences=[regular("C1", "F"), regular("C1", "M")],
    )
    plan, index, worker_of, shift_of = plan_with_indexes(c)
    for visit_id, name in (("V1", "S"), ("V2", "S"), ("V3", "M")):
        assert insert(plan, index[f"{visit_id}-Mon"], shifts=[shift_of[worker_of[name]]])
    before = plan.objective()
    familiar_member(Search(plan, random.Random(1), Limits(deadline=time.monotonic() + 10),
                           seed=1))
    return plan, before, index, worker_of


def test_a_stranger_s_visits_are_shared_by_a_familiar_worker_and_a_member():
    """F can take V1 only, M can take V2: S leaves C1's team for F, the team as large as
    before and no member unfamiliar (900 points less)."""
    plan, before, index, worker_of = stranger_covered_in_part("10:00-16:00")
    assert plan.workers_of(index["V1-Mon"]) == [worker_of["F"]]
    assert plan.workers_of(index["V2-Mon"]) == [worker_of["M"]]
    assert set(plan.team[0]) == {worker_of["F"], worker_of["M"]}
    assert before - plan.objective() == plan.inst.weights[UNFAMILIAR_WORKER] == 900


def test_a_stranger_s_visit_neither_f_nor_a_member_can_take_keeps_the_stranger():
    """M works 12:00-16:00, so nobody familiar can take V2: the plan stays as it was."""
    plan, before, index, worker_of = stranger_covered_in_part("12:00-16:00")
    assert plan.workers_of(index["V2-Mon"]) == [worker_of["S"]]
    assert plan.objective() == before


def two_members_and_a_neighbour(a_shift: str, pinned: tuple[Pin, ...] = ()):
    """C1's Monday visits V1 at 09:00 and V2 at 11:00 are with A and B; A (free ``a_shift``)
    also has C2's visit O at 11:00 if free then; B works 10:00-12:00, so cannot take V1.
    Everyone lives and works at one place (no travel). Returns the plan after up to ten
    merge_member moves (until C1's team is one worker), its objective before, the visit index
    by id and the worker index by id."""
    c = caseload(
        customers=[customer("C1"), customer("C2")],
        visits=[visit("V1", "C1", "09:00"), visit("V2", "C1", "11:00"),
                visit("O", "C2", "11:00")],
        workers=[worker("A"), worker("B")],
        availability=[shift("A", *a_shift.split("-")), shift("B", "10:00", "12:00")],
        pinned=pinned,
    )
    plan, index, worker_of, shift_of = plan_with_indexes(c)
    assert insert(plan, index["V1-Mon"], shifts=[shift_of[worker_of["A"]]])
    assert insert(plan, index["V2-Mon"], shifts=[shift_of[worker_of["B"]]])
    insert(plan, index["O-Mon"], shifts=[shift_of[worker_of["A"]]])  # if A is free at 11:00
    before = plan.objective()
    search = Search(plan, random.Random(1), Limits(deadline=time.monotonic() + 10), seed=1)
    for _ in range(10):  # the customer and the leaving member are drawn at random
        merge_member(search)
        if len(plan.team[0]) == 1:
            break
    return plan, before, index, worker_of


def test_a_member_busy_elsewhere_takes_over_the_other_members_visit():
    """B leaves C1: A's O is cleared for V2 and goes to B. C1 has one member, C2 still one:
    600 points less, nothing else changes."""
    plan, before, index, worker_of = two_members_and_a_neighbour("08:00-12:00")
    assert plan.workers_of(index["V2-Mon"]) == [worker_of["A"]]
    assert plan.workers_of(index["O-Mon"]) == [worker_of["B"]]
    assert not plan.waiting
    assert before - plan.objective() == plan.inst.weights["team_size"] == 600


def test_no_member_is_merged_into_one_without_a_shift_at_its_visits():
    """A works 08:00-10:00 (O is left out): neither member can take the other's visit, so the
    plan stays as it was."""
    plan, before, index, worker_of = two_members_and_a_neighbour("08:00-10:00")
    assert plan.workers_of(index["V2-Mon"]) == [worker_of["B"]]
    assert plan.objective() == before


def test_a_member_pinned_to_a_visit_is_not_merged_away():
    """V2 is pinned to B: the move leaves the plan as it was."""
    pin = Pin(visit_id="V2-Mon", worker_id="B", start=11 * 60)
    plan, before, index, worker_of = two_members_and_a_neighbour("08:00-12:00", pinned=(pin,))
    assert plan.workers_of(index["V2-Mon"]) == [worker_of["B"]]
    assert plan.objective() == before
