"""Re-form the week's double-handed teams, and the full teams that leave a visit out, by CP-SAT.

The visits the local search leaves out last are double-handed visits of customers whose team is
at its cap: the members cannot come, and taking a newcomer means changing who covers the rest of
the customer's week, and so other double-handed customers' teams in turn. Now and then it is a
single-handed visit of a customer whose small team is full. Small moves do not make that change;
this model makes it for all of them at once:

- free: every visit of every customer with double-handed visits (in the smaller model, which
  the searches mostly use, of those with one left out only, and the other double-handed
  visits near theirs in time of day), and
  of every customer with a single-handed visit left out while their team is full (its
  workers, its start in its window, the customer's team within its cap);
- fixed: every other visit, at its worker and start, unless it is taken out to make room (a
  small cost, TAKE_OUT_POINTS, if it has another place to go in the plan as it stands, a large
  one, STRANDED_POINTS, if not; pinned visits never are); a fixed visit of a customer with
  free ones keeps its worker in the customer's team while it stays;
- travel is exact between any two visits that could share a run, and from and back home at a
  run's ends; hours, span, rest and load are left to the plan, which refuses a change that
  breaks them (where a worker's week lacks the minutes, visits of theirs on other days make
  room: ROOM_VISITS).

The solution is applied to the plan, and the visits taken out (or refused) are put back by
insertion. The plan is then usually worse than before (visits left out for a while) but its
team structure is new: the local search repairs it from there (scheduler/parallel.py
re-forms the second process's plan before some legs, with CP-SAT on every core).
"""

from __future__ import annotations

import logging
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from ortools.sat.python import cp_model

from models.base import MINUTES_PER_DAY
from scheduler.insertion import difficulty, insert, options, remove
from scheduler.plan import Plan
from scheduler.prepare import Instance, travel_out_back
from scheduler.stoppable import solve_stoppable

logger = logging.getLogger(__name__)

TAKE_OUT_POINTS = 10
"""Model points for taking a fixed visit out to make room (it is put back by insertion)."""

STRANDED_POINTS = 3000
"""Model points for taking out a fixed visit that has no other place in the plan as it stands
(it is likely to stay out). With TAKE_OUT_POINTS for every visit, a solution left 1 of its
free visits out (7 before) but 17 of the 30 visits it took out found no place again; at 1,000
or 3,000 points a reform and 20 s of search left 3.7 or 3.2 visits out on average, against
5.7 with 10 points and 6.2 with no reform (docs/engine.md); at 10,000 the model seldom changed
anything."""

CHANGE_POINTS = 1
"""Model points for each worker a free visit changes to (keeps the rest of the rota)."""

LEFT_OUT_SHARE = 10
"""A free visit left out costs its objective points over this in the model (a normal visit:
10,000 points, worth a thousand visits taken out)."""

SECONDS_PER_FREE_VISIT = 0.05
"""A search re-forms only if a reform's time gives CP-SAT at least this long per visit its
model frees (scheduler/legs.py; scheduler/parallel.py in a short phase). On L (504 visits
freed), 15 s on one thread in a search of 60 s left more visits out than no reform (seeds
1-3), while 30 s in a search of 300 s left fewer (2 and 0 against 4 and 1, seeds 1-2); on
shire's parts (11 to 80 visits freed, 4 to 14 s allowed, each reform done in under a second)
the search left 4 visits out instead of 7 to 9 (seeds 1-3)."""

NEAR_MIN = 30
"""The smaller model also frees the other customers' double-handed visits within this many
minutes (time of day, any day) of a double-handed visit left out: the workers able to come
then are mostly held by those. On L at 30 s that left 1.3 visits out on average, 5 runs of
24 complete (without: 4.4 and none of 12); 60 minutes freed about as many visits and did the
same (docs/engine.md)."""

SETTLE_S = 3.0
"""The smaller model's solve ends once a solution places every free visit and nothing better
has come for this long. A short search gives it all the time its phase allows but a search
after it: on L at 30 s (seeds 1-24) that left 0.7 visits out on average, 12 runs complete,
against 1.3 and 5 with SECONDS_PER_FREE_VISIT a visit (docs/engine.md)."""

ROOM_VISITS = 4
"""A free visit that the plan refuses, mostly for its new workers' weekly hours (the model
leaves hours to the plan), is placed after up to this many of their visits on other days are
taken out and put back elsewhere. On L at 30 s, in 29 runs of 48 a reform placed 1 to 3 such
visits this way (most often one of C239's double-handed evenings, which insertion within its
full team seldom places); 38 of the 48 runs were complete against 35 without, within the
spread between sets of runs (docs/engine.md)."""

MAX_FREE_VISITS = 800
"""Free visits at most: customers beyond it (the fewest double-handed visits first) are fixed."""


@dataclass(frozen=True)
class Reform:
    """What a reform did: ``changed`` visits given new workers or starts, ``taken_out`` visits
    moved out of the way, ``left_out`` visits still without their workers afterwards, and
    whether CP-SAT was stopped by Ctrl-C (then the plan is unchanged)."""

    changed: int = 0
    taken_out: int = 0
    left_out: int = 0
    interrupted: bool = False


def double_handed_customers(inst: Instance) -> list[int]:
    """Customers with double-handed visits, the most such visits first."""
    count: dict[int, int] = defaultdict(int)
    for v in range(inst.n_visits):
        if inst.required[v] > 1:
            count[int(inst.customer[v])] += 1
    return sorted(count, key=lambda c: (-count[c], c))


def team_bound_waiting(plan: Plan) -> bool:
    """Whether a visit is left out that a reform acts on: a double-handed one, or one whose
    customer's team is at its cap while a worker outside it could come."""
    return any(plan.inst.required[v] > 1 for v in plan.waiting) or bool(_capped_waiting(plan))


def reform_would_act(plan: Plan, reformed_out: frozenset[int]) -> bool:
    """Whether re-forming ``plan`` is worth a try: a visit it acts on is left out
    (``team_bound_waiting``), and the visits left out are not exactly ``reformed_out``, those
    of the last reform (a repeat, probed on a stuck L rota, placed nothing: docs/engine.md)."""
    return plan.waiting != reformed_out and team_bound_waiting(plan)


def _capped_waiting(plan: Plan) -> list[int]:
    """Customers with a single-handed visit left out while their team is at its cap and a
    worker outside it could come (availability, skills and bans allowing), in index order."""
    inst, tables = plan.inst, plan.tables
    out = set()
    for v in plan.waiting:
        c = tables.customer[v]
        team = plan.team[c]
        if (tables.required[v] == 1 and len(team) >= inst.team_cap[c]
                and tables.candidate_workers[v] - team.keys()):
            out.add(c)
    return sorted(out)


def reform_teams(
    plan: Plan,
    time_limit_s: float,
    seed: int,
    workers: int = 1,
    while_waiting: Callable[[], None] | None = None,
    around_waiting: bool = False,
) -> Reform:
    """Solve the model above from the plan as it stands, with CP-SAT on ``workers`` threads,
    and apply its solution (see the module docstring); the plan stays valid throughout.
    Nothing is done unless ``team_bound_waiting``. ``while_waiting`` is called every 0.1 s
    or so during the solve (progress reports); ``around_waiting`` frees the smaller model
    around the visits left out (``free_visits``), whose solve ends early once it places every
    free visit and has found nothing better for SETTLE_S. The start and the outcome are
    logged."""
    if not team_bound_waiting(plan):
        return Reform()
    free = free_visits(plan, around_waiting)
    logger.info("re-forming the teams: up to %.0f s of CP-SAT on %d thread(s), %d visits free",
                time_limit_s, workers, len(free))
    model = _Model(plan, free)
    settle_s = SETTLE_S if around_waiting else None
    solution, interrupted = model.solve(time_limit_s, seed, workers, while_waiting, settle_s)
    if interrupted:
        return Reform(interrupted=True)
    if solution is None:
        return Reform()
    shifts, starts, taken_out = solution.shifts, solution.starts, solution.taken_out
    changed = [v for v in model.free if shifts[v] != set(plan.rows[v])
               or (shifts[v] and starts[v] != plan.start[v])]
    for v in changed + taken_out:
        remove(plan, v)
    refused, for_room, free_set = [], [], set(free)
    for v in sorted(changed, key=starts.__getitem__):
        if shifts[v] and not _place(plan, v, shifts[v], starts[v]):
            moved = _place_making_room(plan, v, shifts[v], starts[v], free_set)
            if moved is None:
                refused.append(v)
            else:
                for_room += moved
    for v in sorted(refused + taken_out + for_room, key=lambda v: difficulty(plan, v)):
        if not plan.is_assigned(v):
            insert(plan, v)
    taken_out += for_room
    left_out = sum(1 for v in changed + taken_out if not plan.is_assigned(v))
    logger.info("re-formed: %d visits changed, %d taken out (%d to make room in a week), "
                "%d left out; %d left out in all", len(changed), len(taken_out), len(for_room),
                left_out, len(plan.waiting))
    return Reform(len(changed), len(taken_out), left_out)


def free_visits(plan: Plan, around_waiting: bool = False) -> list[int]:
    """Every unpinned visit of the customers with a single-handed visit left out by a full
    team, then of the double-handed customers, up to MAX_FREE_VISITS. With ``around_waiting``
    (the smaller model), only the double-handed customers with such a visit left out, and the
    other customers' double-handed visits near theirs in time of day."""
    inst, free = plan.inst, []
    capped = _capped_waiting(plan)
    waiting = {int(inst.customer[v]) for v in plan.waiting if inst.required[v] > 1}
    double_handed = [c for c in double_handed_customers(inst)
                     if c not in capped and (c in waiting or not around_waiting)]
    for c in capped + double_handed:
        visits = [v for v in plan.visits_of_customer[c] if v not in inst.pins]
        if len(free) + len(visits) > MAX_FREE_VISITS:
            break
        free += visits
    if around_waiting:
        free += _double_handed_near_waiting(plan, set(free))
    return free


def _double_handed_near_waiting(plan: Plan, free: set[int]) -> list[int]:
    """The unpinned double-handed visits not in ``free`` whose time of day, on any day, comes
    within NEAR_MIN of a double-handed visit left out's (windows and lengths included)."""
    inst = plan.inst
    spans = [_time_of_day(inst, v) for v in plan.waiting if inst.required[v] > 1]
    near = []
    for v in range(inst.n_visits):
        if v in free or v in inst.pins or inst.required[v] < 2:
            continue
        lo, hi = _time_of_day(inst, v)
        if any(lo < b + NEAR_MIN and a - NEAR_MIN < hi for a, b in spans):
            near.append(v)
    return near


def _time_of_day(inst: Instance, v: int) -> tuple[int, int]:
    """(Earliest start, latest end) of v in minutes from its day's midnight."""
    earliest = int(inst.earliest[v]) % MINUTES_PER_DAY
    return earliest, earliest + int(inst.latest[v] - inst.earliest[v] + inst.duration[v])


def _place(plan: Plan, v: int, shifts: set[int], start: int) -> bool:
    """Put v into each of its shifts' runs in time order, at ``start`` if the first run allows,
    else where it re-times to, and at that time in the others; undone unless every shift takes
    it."""
    for s in sorted(shifts):
        at = plan.start[v] if plan.rows[v] else start
        run = sorted(plan.runs[s] + [v], key=lambda u: at if u == v else plan.start[u])
        if not (plan.try_run(s, run, {v: at}) or plan.try_run(s, run)):
            remove(plan, v)
            return False
    return True


def _place_making_room(plan: Plan, v: int, shifts: set[int], start: int,
                       free: set[int]) -> list[int] | None:
    """Place v as ``_place`` does once its shifts' workers have room for it in their week:
    take out, one at a time and up to ROOM_VISITS, their visits on other days (not ``free``
    ones, pinned or double-handed; those with another place in the plan first, then the
    longest); return the visits taken out, or None if v still does not fit (then the plan is
    as it was)."""
    inst = plan.inst
    shifts_of_worker = inst.shifts_of_worker()
    theirs = [u for s in shifts for s2 in shifts_of_worker[int(inst.shift_worker[s])]
              if inst.shift_day[s2] != inst.shift_day[s] for u in plan.runs[s2]
              if u not in free and u not in inst.pins and inst.required[u] == 1]
    theirs.sort(key=lambda u: (not options(plan, u), -int(inst.duration[u])))
    plan.begin()
    for k, u in enumerate(theirs[:ROOM_VISITS]):
        remove(plan, u)
        if _place(plan, v, shifts, start):
            plan.commit()
            return theirs[:k + 1]
    plan.rollback()
    return None


@dataclass(frozen=True)
class _Solution:
    """The model's solution: the shifts and start of each free visit (no shifts: left out),
    and the fixed visits taken out."""

    shifts: dict[int, set[int]]
    starts: dict[int, int]
    taken_out: list[int]


class _Model:
    """The CP-SAT model of the module docstring, for the free visits of a plan."""

    def __init__(self, plan: Plan, free: list[int]):
        self.plan, self.free = plan, free
        self.m = cp_model.CpModel()
        self.start: dict[int, cp_model.IntVar] = {}
        self.placed: dict[int, cp_model.IntVar] = {}
        self.on: dict[tuple[int, int], cp_model.IntVar] = {}  # (visit, shift) -> bool
        self.keep: dict[int, cp_model.IntVar] = {}  # fixed visit -> kept where it is
        self.cost: list = []
        for v in free:
            self._add_visit(v)
        self._add_teams()
        self._add_precedences()
        for s, items in self._by_shift().items():
            self._add_travel(s, items)
        self.m.minimize(sum(self.cost))

    def _add_visit(self, v: int) -> None:
        plan, inst, m = self.plan, self.plan.inst, self.m
        self.start[v] = m.new_int_var(int(inst.earliest[v]), int(inst.latest[v]), "")
        self.placed[v] = placed = m.new_bool_var("")
        self.cost.append(int(inst.penalty[v]) // LEFT_OUT_SHARE * (1 - placed))
        m.add_hint(placed, plan.is_assigned(v))
        if plan.rows[v]:
            m.add_hint(self.start[v], plan.start[v])
        shifts = inst.candidates[v]
        if len(shifts) == 0:
            m.add(placed == 0)
            return
        out, back = travel_out_back(inst, shifts, [v])
        chosen = []
        for k, s in enumerate(int(s) for s in shifts):
            on = self.on[v, s] = m.new_bool_var("")
            chosen.append(on)
            m.add_hint(on, s in plan.rows[v])
            m.add(self.start[v] >= int(inst.shift_start[s] + out[k, 0])).only_enforce_if(on)
            latest = int(inst.shift_end[s] - back[k, 0] - inst.duration[v])
            m.add(self.start[v] <= latest).only_enforce_if(on)
            if s not in plan.rows[v]:
                self.cost.append(CHANGE_POINTS * on)
        m.add(sum(chosen) == int(inst.required[v]) * placed)

    def _add_teams(self) -> None:
        """Distinct workers per customer within its cap, counting pinned visits' workers."""
        plan, inst, m = self.plan, self.plan.inst, self.m
        on_worker: dict[tuple[int, int], list] = defaultdict(list)
        for (v, s), on in self.on.items():
            on_worker[int(inst.customer[v]), int(inst.shift_worker[s])].append(on)
        for u in self._fixed_of_free_customers():
            for w in plan.workers_of(u):
                on_worker[int(inst.customer[u]), w].append(self._kept(u))
        members: dict[int, list] = defaultdict(list)
        for (c, w), ons in on_worker.items():
            member = m.new_bool_var("")
            m.add_max_equality(member, ons)
            members[c].append((w, member))
        for c, pairs in members.items():
            pinned = {w for v in plan.visits_of_customer[c] if v in inst.pins
                      for w in plan.workers_of(v)}
            others = [member for w, member in pairs if w not in pinned]
            m.add(sum(others) <= int(inst.team_cap[c]) - len(pinned))

    def _fixed_of_free_customers(self) -> list[int]:
        """The unpinned visits that stay fixed of customers with a free visit (the smaller
        model frees some customers' nearby double-handed visits only): their workers stay
        members while they are kept."""
        plan, inst, free = self.plan, self.plan.inst, set(self.free)
        customers = sorted({int(inst.customer[v]) for v in self.free})
        return [u for c in customers for u in plan.visits_of_customer[c]
                if u not in free and u not in inst.pins and plan.rows[u]]

    def _add_precedences(self) -> None:
        """Minimum gaps and order between a customer's visits, where both are placed."""
        plan, m = self.plan, self.m
        for u, v, delay in plan.inst.precedences:
            if u in self.start and v in self.start:
                m.add(self.start[v] >= self.start[u] + delay).only_enforce_if(
                    [self.placed[u], self.placed[v]])
            elif u in self.start and plan.rows[v]:
                m.add(self.start[u] <= plan.start[v] - delay).only_enforce_if(self.placed[u])
            elif v in self.start and plan.rows[u]:
                m.add(self.start[v] >= plan.start[u] + delay).only_enforce_if(self.placed[v])

    def _by_shift(self) -> dict[int, list[tuple[int, cp_model.IntVar]]]:
        out: dict[int, list] = defaultdict(list)
        for (v, s), on in self.on.items():
            out[s].append((v, on))
        return out

    def _add_travel(self, s: int, items: list[tuple[int, cp_model.IntVar]]) -> None:
        """On shift s, each pair of visits that could overlap (with the travel between them)
        goes one after the other: free visits among themselves, and against the fixed
        visits of the run that stay."""
        plan, tables = self.plan, self.plan.tables
        minutes = tables.minutes[tables.shift_worker[s]]
        free = set(self.free)
        for u in plan.runs[s]:
            if u in free:
                continue
            for v, on in items:
                gaps = self._gaps(v, u, minutes)
                if self._may_meet(v, u, gaps):
                    self._one_after_other(v, u, gaps, [on, self._kept(u)])
        for i, (v, on_v) in enumerate(items):
            for u, on_u in items[i + 1:]:
                gaps = self._gaps(v, u, minutes)
                if self._may_meet(v, u, gaps):
                    self._one_after_other(v, u, gaps, [on_v, on_u])

    def _kept(self, u: int) -> cp_model.IntVar:
        """The fixed visit u stays where it is (pinned ones always do)."""
        if u not in self.keep:
            self.keep[u] = keep = self.m.new_bool_var("")
            self.m.add_hint(keep, True)
            if u in self.plan.inst.pins:
                self.m.add(keep == 1)
            else:
                self.cost.append(self._take_out_points(u) * (1 - keep))
        return self.keep[u]

    def _take_out_points(self, u: int) -> int:
        """What taking the fixed visit u out costs: little if another worker could take it in
        the plan as it stands, much if not."""
        return TAKE_OUT_POINTS if options(self.plan, u) else STRANDED_POINTS

    def _bounds(self, v: int) -> tuple[int, int]:
        """Earliest and latest start of v: its window if free, its start if fixed."""
        if v in self.start:
            return self.plan.tables.window[v]
        return self.plan.start[v], self.plan.start[v]

    def _gaps(self, v: int, u: int, minutes: list[list[int]]) -> tuple[int, int]:
        """(Least minutes from v's start to u's when v goes first, from u's start to v's when
        u does) on a run with travel times ``minutes``: the visit, then the way to the other."""
        places, duration = self.plan.tables.place, self.plan.tables.duration
        return (duration[v] + minutes[places[v]][places[u]],
                duration[u] + minutes[places[u]][places[v]])

    def _may_meet(self, v: int, u: int, gaps: tuple[int, int]) -> bool:
        """Whether v and u could be too close on one run (else no constraint is needed)."""
        (v_lo, v_hi), (u_lo, u_hi) = self._bounds(v), self._bounds(u)
        return not (v_hi + gaps[0] <= u_lo or u_hi + gaps[1] <= v_lo)

    def _one_after_other(self, v: int, u: int, gaps: tuple[int, int], when: list) -> None:
        m = self.m
        start_v = self.start[v]
        start_u = self.start[u] if u in self.start else self.plan.start[u]
        v_before_u = m.new_bool_var("")
        gap_vu, gap_uv = gaps
        m.add(start_v + gap_vu <= start_u).only_enforce_if([*when, v_before_u])
        m.add(start_u + gap_uv <= start_v).only_enforce_if([*when, ~v_before_u])

    def solve(
        self, time_limit_s: float, seed: int, workers: int = 1,
        while_waiting: Callable[[], None] | None = None, settle_s: float | None = None,
    ) -> tuple[_Solution | None, bool]:
        """(the model's solution, None if none was found; whether Ctrl-C stopped CP-SAT, and
        then the solution is not to be applied). With ``settle_s``, CP-SAT stops early once
        a solution places every free visit and no better one has come for that long.

        Presolve is off: on L it takes 5 s before the first solution and the search after it
        improves more slowly (a reform and 20 s of search left 5.3 visits out on average with
        it, 3.2 without)."""
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = time_limit_s
        solver.parameters.num_workers = workers
        solver.parameters.random_seed = seed
        solver.parameters.cp_model_presolve = False
        settling = None if settle_s is None else _Settling(self.placed.values())

        def waiting() -> None:
            if settling is not None and settling.quiet_s() >= settle_s:
                solver.stop_search()
            if while_waiting is not None:
                while_waiting()

        status, interrupted = solve_stoppable(solver, self.m, settling, while_waiting=waiting)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return None, interrupted
        shifts: dict[int, set[int]] = {v: set() for v in self.free}
        for (v, s), on in self.on.items():
            if solver.value(on):
                shifts[v].add(s)
        starts = {v: solver.value(self.start[v]) for v in self.free}
        taken_out = sorted(u for u, keep in self.keep.items() if not solver.value(keep))
        return _Solution(shifts, starts, taken_out), interrupted


class _Settling(cp_model.CpSolverSolutionCallback):
    """How long CP-SAT has gone without a better solution since its last one that placed
    every free visit (``placed``: the model's placed variables)."""

    def __init__(self, placed):
        super().__init__()
        self.placed = list(placed)
        self.found_at: float | None = None

    def on_solution_callback(self) -> None:
        complete = all(self.boolean_value(p) for p in self.placed)
        self.found_at = time.monotonic() if complete else None

    def quiet_s(self) -> float:
        """Seconds since that solution (0 while the latest leaves a free visit out)."""
        return 0.0 if self.found_at is None else time.monotonic() - self.found_at
