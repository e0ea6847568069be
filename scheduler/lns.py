"""Large neighbourhood search: ruin part of the rota, recreate it, keep it if it is better (or,
early on, not much worse: simulated annealing), until the time limit or a stall.

Operators (each takes the search, changes the plan, and is undone if rejected):
- related customers: take every visit of a few neighbouring customers out, put them back
  (teams and regular runs re-form around them);
- costly customers: the same, seeded on a customer with a large or unfamiliar team;
- day cluster: visits near one visit in place and time on its day (routing);
- short run: empty a run of one to three visits into the others (fewer, fuller runs);
- unassigned: make room for a visit left out by taking out the visits in its way (and
  visits on other days of a worker whose week is short of room; a visit in the way that its
  own full team cannot take back gets a member swapped in);
- rebuild customer: choose a customer's whole team again from who can take which of their
  visits now, and put every visit of theirs back within it;
- critical swap: a critical visit left out because its customer's team is full and busy:
  release a member and rebuild the team around the visit;
- shed member: take one member out of a customer's team, their visits to other workers;
- familiar member: hand an unfamiliar member's visits to a familiar worker outside the team
  (those the worker has no shift at, to the other members), clearing room in their runs;
- exact day: CP-SAT rebuilds the runs of a few neighbouring workers on one day, optimally
  within a fraction of a second (sequencing, timing, double-handed visits, caps);
- exact unassigned: CP-SAT rebuilds the runs a visit left out could join, plus two
  neighbouring runs to take the visits it displaces.
Operators are chosen adaptively, by the points of improvement each earned per second lately.
"""

from __future__ import annotations

import logging
import math
import random
import time
from collections.abc import Callable, Collection
from dataclasses import dataclass, field

import numpy as np

from models.objective import CONTINUITY_TERMS, UNASSIGNED_CRITICAL
from scheduler.insertion import difficulty, insert, options, remove
from scheduler.neighbourhood import apply_outcome, scope_of, solve_scope
from scheduler.plan import Plan
from scheduler.prepare import FORMER_WORKER, Instance
from scheduler.reform import reform_would_act
from scheduler.teams import able_workers, available_minutes, planned_team

logger = logging.getLogger(__name__)
operator_log = logging.getLogger(f"{__name__}.operators")
"""Per-operator statistics at the end of a search (shown with ``rota -v``)."""

NEAREST = 12
"""Neighbouring customers kept per customer for the related-customer operators."""

RUIN_CUSTOMERS = 4
RUIN_VISITS = 12
"""A related-customers ruin takes out up to RUIN_CUSTOMERS customers, or more where customers
have few visits each (a routing instance: one visit per customer), up to about RUIN_VISITS
visits (capped by the NEAREST neighbours kept)."""

SUBSOLVE_S = 0.5
"""Time limit of one CP-SAT neighbourhood: deterministic seconds, and four times that of wall
clock."""

BUDGET_SUBSOLVE_WALL_S = 60.0
"""The wall-clock limit of a CP-SAT neighbourhood under an iteration budget, seconds: only the
deterministic limit may end it, so that a loaded machine makes the same moves."""

PLACED_DRAWS = 8
"""Random draws over all visits for a placed one before listing the placed visits."""

REWEIGH_EVERY = 20
"""Iterations between updates of the operators' weights."""

ROUTING_START_SHARE = 0.5
"""Where annealing's routing part starts: this share of the plan's routing cost per visit
(travel, mileage, punctuality, guaranteed hours)."""

ROUTING_FINAL_RATIO = 0.01
"""The routing part at the end of the search, as a share of its start (cooling is geometric
in the elapsed share of the time or iterations). On Solomon (travel only) at 10 s, R1 ends
2.5 % above the best known with these two, and 5.2 % from twice the cost to a quarter of that
(docs/engine.md)."""

CONTINUITY_START_SHARE = 3.0
"""Where annealing's continuity part starts: this share of the plan's continuity cost per
visit (team size, unfamiliar workers), about 900 points on L, one and a half team members. On
L, seeds 1-6: at 300 s every run complete (one of six left a visit out at 2.0), and at 30 s
4.3 visits left out on average (5.3 at 2.0)."""

CONTINUITY_FINAL_RATIO = 0.25
"""The continuity part at the end of the search, as a share of its start. A colder search keeps
each customer's team as it is: on L at 300 s, seeds 1-6, one temperature on the whole cost
from twice it to a quarter of that gave a mean of 1.101 M; from half to a hundredth, 1.174 M."""

EXACT_UNASSIGNED_RUNS = 7
"""Runs at most in an exact_unassigned neighbourhood."""

WEEK_ROOM_TRAVEL_MIN = 150
"""The ``unassigned`` operator frees a worker's week for a visit left out until it has room
for the visit and this many minutes of travel (the way to it and on from it, less the way
it replaces). With 60, the three stuck L rotas where W12's week was short still had no place
for C239's Tuesday 20:15 in W12's run (docs/engine.md, "The visit in the way")."""

TRAVEL_FREED_MIN = 15
"""Travel minutes assumed saved per visit taken out of a worker's week to free it."""

TIME_SHARE_FLOOR = 0.05
"""The least share of the search time an operator gets, relative to the best one's."""

MIN_CALL_S = 2e-4
"""Seconds per call assumed at least (an operator that finds nothing to do returns at once)."""

FOR_WAITING_VISITS = frozenset({"unassigned", "exact_unassigned", "critical_swap"})
"""Operators that only act on visits left out: not chosen while every visit is placed."""

FOR_CRITICAL_VISITS = frozenset({"critical_swap"})
"""Of those, the ones that only act on critical visits left out: not chosen while none is."""

FOR_SETTLED_TEAMS = frozenset({"familiar_member", "merge_member"})
"""Operators that reshape teams for continuity: not chosen while a visit is left out that
re-forming the teams could place (``reform.team_bound_waiting``: a double-handed one, or one
kept out by a full team while a worker outside it could come) and a reform may yet come
(``Limits.reform_ahead``; none comes while the visits of the last reform are out:
``Limits.reformed_out``). On L at 300 s, familiar_member chosen throughout left 1 visit out
in 3 runs of 11 (none of the nine before it). Waiting for a complete rota instead kept them
out of riverside's search for good (2 of its visits no rota can place); running there, they
end 1.8 % lower at 60 s. Where no reform can come they run: shire at 60 s ends 0.9 % lower,
and L at 30 s ended 2.7 % lower with as many visits left out before its search re-formed
(docs/engine.md)."""


@dataclass
class Limits:
    """When to stop: a deadline (time.monotonic()), an iteration budget, a stall; how often to
    log (None: never); and, for a search that is one leg of a longer one, the part of the
    annealing schedule it covers (fractions of the whole, 0 to 1) and its temperature (None:
    from the plan)."""

    deadline: float
    iterations: int | None = None
    stall_s: float | None = None
    log_every_s: float | None = 5.0
    cooling: tuple[float, float] = (0.0, 1.0)
    temperature: Temperature | None = None
    began: float | None = None
    """When the whole search began (time.monotonic()): progress reports count from it (None:
    from this search's own start)."""
    reform_ahead: bool = False
    """Whether the teams may be re-formed after this search (scheduler/legs.py,
    scheduler/parallel.py): only then do the team operators wait for it (FOR_SETTLED_TEAMS)."""
    reformed_out: frozenset[int] = frozenset()
    """The visits left out when the teams were last re-formed: while exactly these are out, no
    reform follows (scheduler/legs.py, scheduler/parallel.py), so the team operators do not
    wait for one."""


@dataclass(frozen=True)
class Temperature:
    """Annealing's temperature: a routing part and a continuity part (points at the start),
    each cooling at its own rate, so that a caseload scored on travel alone is searched as
    coldly as routing needs while team changes, worth hundreds of points each, stay possible."""

    routing: float
    continuity: float

    def at(self, cooled: float) -> float:
        """The temperature (points) once the share ``cooled`` (0 to 1) of the schedule is over."""
        return (self.routing * ROUTING_FINAL_RATIO**cooled
                + self.continuity * CONTINUITY_FINAL_RATIO**cooled)


@dataclass
class OperatorStats:
    """An operator's record: totals for the log, and the time and points of improvement it
    earned since its weight was last updated."""

    calls: int = 0
    accepted: int = 0
    improved: int = 0
    total_seconds: float = 0.0
    recent_seconds: float = 0.0
    recent_gain: float = 0.0
    weight: float = 1.0

    def add(self, other: OperatorStats) -> None:
        """Add another search's totals (calls, accepted, improved, seconds) to these."""
        self.calls += other.calls
        self.accepted += other.accepted
        self.improved += other.improved
        self.total_seconds += other.total_seconds


@dataclass
class Search:
    """State of one LNS run over a plan."""

    plan: Plan
    rng: random.Random
    limits: Limits
    seed: int
    progress: Callable[[dict], None] | None = None
    stats: dict[str, OperatorStats] = field(default_factory=dict)
    best_objective: int = 0
    best_state: tuple | None = None
    iteration: int = 0
    start_weights: dict[str, float] | None = None
    on_best: Callable[[int, int, int], None] | None = None
    """Called with (objective, visits placed, iterations) at each new best."""
    interrupted: bool = False
    """Whether Ctrl-C stopped the search."""

    def __post_init__(self) -> None:
        inst = self.plan.inst
        self.nearest = nearest_customers(inst)
        self.visits_of_customer = self.plan.visits_of_customer
        self.locked = set(inst.pins)
        self.capacity = available_minutes(inst)
        self.shifts_of_worker = inst.shifts_of_worker()
        self.customers = [c for c, visits in enumerate(self.visits_of_customer) if visits]
        self.with_familiar = [c for c in self.customers if inst.familiar[c]]
        visits_per_customer = inst.n_visits / max(1, len(self.customers))
        self.max_ruin_customers = max(RUIN_CUSTOMERS, round(RUIN_VISITS / visits_per_customer))
        self.operators = dict(OPERATORS)
        weights = self.start_weights or dict.fromkeys(OPERATORS, 1.0)
        self.stats = {name: OperatorStats(weight=weights[name]) for name in self.operators}

    # ------------------------------------------------------------------------- main loop

    def run(self) -> None:
        """Improve the plan until a limit; the plan ends as the best one found."""
        plan, limits = self.plan, self.limits
        self.best_objective = plan.objective()
        self.best_state = plan.copy_state()
        started = last_log = last_gain = time.monotonic()
        origin = started if limits.began is None else limits.began
        temperature = limits.temperature or starting_temperature(plan)
        first, last = limits.cooling
        self._report(started - origin)  # the starting point
        try:
            while not self._done(started, last_gain):
                now = time.monotonic()
                fraction = (self.iteration / limits.iterations if limits.iterations
                            else min(1.0, (now - started) / max(1e-9, limits.deadline - started)))
                if self._step(temperature.at(first + (last - first) * fraction)):
                    last_gain = time.monotonic()
                if limits.log_every_s is not None and now - last_log >= limits.log_every_s:
                    last_log = now
                    self._report(now - origin)
        except KeyboardInterrupt:
            logger.warning("interrupted: keeping the best rota found so far")
            self.interrupted = True
            self.plan = plan = Plan(plan.inst)  # a change may have been cut off half-way
            plan.restore(self.best_state)
        if plan.objective() != self.best_objective:
            plan.restore(self.best_state)
        if self._clock_cut_budget():
            logger.warning("the time limit ended the search after %d of %d iterations: another "
                           "run may differ", self.iteration, limits.iterations)
        self._report(time.monotonic() - origin)

    def _clock_cut_budget(self) -> bool:
        """Whether the deadline, not the iteration budget, ended the search."""
        budget = self.limits.iterations
        return (budget is not None and self.iteration < budget and not self.interrupted
                and time.monotonic() >= self.limits.deadline)

    def _done(self, started: float, last_gain: float) -> bool:
        now = time.monotonic()
        if now >= self.limits.deadline:
            return True
        if self.limits.iterations is not None and self.iteration >= self.limits.iterations:
            return True
        return self.limits.stall_s is not None and now - last_gain >= self.limits.stall_s

    def _step(self, temperature: float) -> bool:
        """One operator application; True if it found a new best."""
        plan = self.plan
        name = self._choose()
        stat = self.stats[name]
        before = plan.objective()
        began = time.monotonic()
        plan.begin()
        self.operators[name](self)
        after = plan.objective()
        delta = after - before
        accept = delta <= 0 or self.rng.random() < math.exp(-delta / temperature)
        if accept:
            plan.commit()
        else:
            plan.rollback()
        self.iteration += 1
        stat.calls += 1
        spent = (time.monotonic() - began if self.limits.iterations is None
                 else _nominal_seconds(name))  # an iteration budget: the same choices anywhere
        stat.recent_seconds += spent
        stat.total_seconds += spent
        stat.accepted += accept
        stat.improved += delta < 0
        stat.recent_gain += max(0, -delta) if accept else 0
        if accept and after < self.best_objective:
            self.best_objective = after
            self.best_state = plan.copy_state()
            if self.on_best:
                self.on_best(after, plan.inst.n_visits - len(plan.waiting), self.iteration)
            return True
        return False

    def _choose(self) -> str:
        """An operator, so that each one's share of the time follows its recent improvement
        per second (floored at TIME_SHARE_FLOOR of the best's): the chance of a call is that
        share over the operator's mean seconds per call."""
        if self.iteration % REWEIGH_EVERY == 0:
            for stat in self.stats.values():
                if stat.recent_seconds:  # an operator not called lately keeps its weight
                    rate = stat.recent_gain / stat.recent_seconds
                    stat.weight = 0.7 * stat.weight + 0.3 * rate
                stat.recent_gain = stat.recent_seconds = 0.0
        waiting = self.plan.unassigned_points > 0
        critical = waiting and any(_is_critical(self.plan, v) for v in self.plan.waiting)
        settled = (not waiting or not self.limits.reform_ahead
                   or not reform_would_act(self.plan, self.limits.reformed_out))  # a few µs
        names = [n for n in self.operators
                 if (waiting or n not in FOR_WAITING_VISITS)
                 and (critical or n not in FOR_CRITICAL_VISITS)
                 and (settled or n not in FOR_SETTLED_TEAMS)]
        weights = [self.stats[n].weight for n in names]
        floor = TIME_SHARE_FLOOR * max(weights) if max(weights) > 0 else 1.0
        chances = [max(w, floor) / self._seconds_per_call(n) for n, w in zip(names, weights)]
        return self.rng.choices(names, chances)[0]

    def _seconds_per_call(self, name: str) -> float:
        stat = self.stats[name]
        if stat.calls:
            return max(MIN_CALL_S, stat.total_seconds / stat.calls)
        return _nominal_seconds(name)

    def _report(self, elapsed: float) -> None:
        if self.limits.log_every_s is None:
            return
        plan = self.plan
        info = {
            "elapsed_s": round(elapsed, 1),
            "iterations": self.iteration,
            "placed": plan.inst.n_visits - len(plan.unassigned_visits()),
            "visits": plan.inst.n_visits,
            "objective": self.best_objective,
        }
        logger.info(
            "lns %6.1fs  it %6d  placed %d/%d  objective %d", info["elapsed_s"],
            info["iterations"], info["placed"], info["visits"], info["objective"],
        )
        if self.progress:
            self.progress(info)

    # ------------------------------------------------------------------------- recreate

    def recreate(self, visits, blocked: set[int] = frozenset()) -> None:
        """Put visits back, hardest first, cheapest place with a little noise."""
        inst, rng = self.plan.inst, self.rng
        order = sorted(set(visits), key=lambda v: (difficulty(self.plan, v), rng.random()))
        for v in order:
            if self.plan.is_assigned(v):
                continue
            shifts = None
            if blocked:
                shifts = [s for s in inst.candidates[v] if int(s) not in blocked]
            insert(self.plan, v, noise=rng, shifts=shifts)

    def take_out(self, visits) -> list[int]:
        """Remove the assigned, unpinned visits among ``visits``; return them."""
        out = [v for v in dict.fromkeys(visits) if self.plan.rows[v] and v not in self.locked]
        for v in out:
            remove(self.plan, v)
        return out

    def unassigned_of(self, customers) -> list[int]:
        return [
            v for c in customers for v in self.visits_of_customer[c]
            if not self.plan.is_assigned(v)
        ]


def _nominal_seconds(name: str) -> float:
    """A typical call's seconds: what the operator choice assumes before measuring, and always
    under an iteration budget (so that a seed gives the same rota on any machine)."""
    return SUBSOLVE_S if name.startswith("exact") else 1e-3


def starting_temperature(plan: Plan) -> Temperature:
    """Annealing's temperature for ``plan``: each part its share of the plan's mean cost per
    visit in those terms (the routing part at least a point)."""
    breakdown, visits = plan.breakdown(), max(1, plan.inst.n_visits)
    continuity = sum(breakdown.get(term, 0) for term in CONTINUITY_TERMS)
    routing = plan.objective() - plan.unassigned_points - continuity
    return Temperature(max(1.0, ROUTING_START_SHARE * routing / visits),
                       CONTINUITY_START_SHARE * continuity / visits)


def log_operators(stats: dict[str, OperatorStats]) -> None:
    """One log line per operator: calls, accepted, improving, seconds."""
    for name, stat in stats.items():
        operator_log.info(
            "operator %-18s calls %6d accepted %6d improved %5d seconds %6.1f",
            name, stat.calls, stat.accepted, stat.improved, stat.total_seconds,
        )


# ----------------------------------------------------------------------------- operators


def related_customers(search: Search) -> None:
    seed = search.rng.choice(search.customers)
    _customers_ruin(search, seed)


def costly_customers(search: Search) -> None:
    plan, inst = search.plan, search.plan.inst
    scores = [
        len(plan.team[c]) + (2 * len(set(plan.team[c]) - inst.familiar[c])
                             if inst.familiar[c] else 0)
        for c in search.customers
    ]
    seed = search.rng.choices(search.customers, [s * s + 0.1 for s in scores])[0]
    _customers_ruin(search, seed)


def _customers_ruin(search: Search, seed: int) -> None:
    """Take out the seed customer and up to a few of its nearest (up to RUIN_CUSTOMERS, or
    more when customers have few visits each, up to about RUIN_VISITS visits), put back."""
    count = search.rng.randint(1, search.max_ruin_customers)
    customers = [seed, *search.nearest[seed][:count - 1]]
    removed = search.take_out(v for c in customers for v in search.visits_of_customer[c])
    search.recreate(removed + search.unassigned_of(customers))


def rebuild_customer(search: Search) -> None:
    """Take every visit of one customer (one with visits left out, mostly) out, choose their
    team again from who can take which visit now, and put the visits back within it; for
    visits that still do not fit, clear their window in the team's runs and re-place what was
    there elsewhere."""
    plan, inst, rng = search.plan, search.plan.inst, search.rng
    waiting = [v for v in plan.unassigned_visits() if v not in search.locked]
    c = int(inst.customer[rng.choice(waiting)]) if waiting and rng.random() < 0.8 else (
        rng.choice(search.customers))
    removed = search.take_out(search.visits_of_customer[c])
    commitment = [float(m) for m in plan.worked_week]
    team = set(planned_team(plan, c, able_workers(plan, c), commitment, search.capacity))
    _put_back_in_team(search, c, removed, team)


def critical_swap(search: Search) -> None:
    """A critical visit left out because its customer's team is full and too few members can
    take it: release a member (mostly the one with the fewest of the customer's visits) for
    each worker it lacks, place the critical visit (newcomers may now join; their visits in
    its way are taken out if need be), then put the released visits back within the team and
    the others anywhere. A critical visit is worth ten normal ones, so the move is kept even
    when a few normal visits end up left out instead."""
    plan, rng = search.plan, search.rng
    stuck = [(v, lacking) for v in _critical_waiting(plan) if v not in search.locked
             and (lacking := _members_lacking(plan, v))]
    if not stuck:
        return
    _swap_members(search, *rng.choice(stuck))


def _swap_members(search: Search, v: int, lacking: int) -> None:
    """Release ``lacking`` members of visit v's customer's team (mostly those with the fewest
    of its visits; fewer if the team empties first, as a double-handed visit taken out takes
    its partner out too), place v (newcomers may now join; their visits in its way are taken
    out if need be), then put the released visits back within the team and the others
    anywhere."""
    plan, rng = search.plan, search.rng
    c = int(plan.inst.customer[v])
    released = []
    for _ in range(lacking):
        if not plan.team[c]:
            break
        released += _release_member(search, c)[1]
    ejected = [] if insert(plan, v, noise=rng) else _make_room(search, v)
    if plan.is_assigned(v):
        _put_back_in_team(search, c, released, set(plan.team[c]))
        search.recreate(ejected)


def shed_member(search: Search) -> None:
    """Take one member out of a customer's team (mostly the one with the fewest of its
    visits) and put their visits there back in other workers' runs: a member less (600
    points, more for an unfamiliar one) where the rest of the team has room."""
    plan, inst = search.plan, search.plan.inst
    c = search.rng.choice(search.customers)
    if len(plan.team[c]) < 2:
        return
    leaving, released = _release_member(search, c)
    theirs = {int(s) for u in released for s in inst.candidates[u]
              if inst.shift_worker[s] == leaving}
    search.recreate(released, blocked=theirs)


def familiar_member(search: Search) -> None:
    """Hand an unfamiliar team member's visits at a customer to a familiar worker (last
    week's team or a named regular) outside the team now who has a shift at each of them, or
    at some of them while the other members have one at each of the rest: clear their windows
    in those runs, place them there, put what was cleared back anywhere. Shedding a member
    cannot do this: the familiar worker's runs are full."""
    plan, inst, rng = search.plan, search.plan.inst, search.rng
    if not search.with_familiar:
        return
    c = rng.choice(search.with_familiar)
    familiar, team = inst.familiar[c], plan.team[c]
    strangers = [w for w in team if w not in familiar]
    if not strangers:
        return
    stranger = rng.choice(strangers)
    theirs = _visits_with(search, c, stranger)
    _hand_over(search, theirs,
               _shifts_at_each(inst, theirs, sorted(familiar.difference(team, {FORMER_WORKER})),
                               standing_in=set(team) - {stranger}))


def merge_member(search: Search) -> None:
    """Hand one team member's visits at a customer (mostly the member with the fewest of
    them) to another member who has a shift at each: clear their windows in that member's
    runs, place them there, put what was cleared back anywhere. A member less (600 points,
    more for an unfamiliar one), where shedding the member finds the others' runs full."""
    plan, inst, rng = search.plan, search.plan.inst, search.rng
    c = rng.choice(search.customers)
    team = plan.team[c]
    if len(team) < 2:
        return
    leaving = _leaving_member(search, c)
    theirs = _visits_with(search, c, leaving)
    _hand_over(search, theirs, _shifts_at_each(inst, theirs, sorted(set(team) - {leaving})))


def _hand_over(search: Search, visits: list[int], shifts_of: dict[int, list[list[int]]]
               ) -> None:
    """Hand the visits (a leaving member's at one customer) to one worker of ``shifts_of``
    (worker -> their shifts, visit by visit), chosen at random: take the visits out, clear
    each one's window in its shifts' runs and place it there, then put back what was cleared
    and anything still out anywhere (a double-handed visit taken out whole is paired up
    there). Nothing is done if no worker is given or a visit is pinned."""
    plan, rng = search.plan, search.rng
    if not shifts_of or search.locked.intersection(visits):
        return
    coming = rng.choice(sorted(shifts_of))
    search.take_out(visits)
    cleared = []
    for u, shifts in zip(visits, shifts_of[coming]):
        cleared += search.take_out(x for s in shifts for x in _in_window(plan, u, s))
        insert(plan, u, noise=rng, shifts=shifts)  # double-handed: fails here, paired below
    search.recreate([*visits, *cleared])


def _shifts_at_each(inst: Instance, visits: list[int], workers: list[int],
                    standing_in: Collection[int] = ()) -> dict[int, list[list[int]]]:
    """For each of the workers with a candidate shift for every one of the visits, or for
    some of them while the ``standing_in`` workers have one for each of the rest: the
    shifts, visit by visit (the worker's where they have one, else those workers')."""
    found = {}
    for w in workers:
        own = [[int(s) for s in inst.candidates[u] if inst.shift_worker[s] == w]
               for u in visits]
        if not any(own):
            continue
        shifts = [mine or [int(s) for s in inst.candidates[u]
                           if int(inst.shift_worker[s]) in standing_in]
                  for u, mine in zip(visits, own)]
        if all(shifts):
            found[w] = shifts
    return found


def _release_member(search: Search, c: int) -> tuple[int, list[int]]:
    """Take out customer c's visits of one team member (mostly the one with the fewest of
    them); return that member and the visits."""
    leaving = _leaving_member(search, c)
    return leaving, search.take_out(_visits_with(search, c, leaving))


def _visits_with(search: Search, c: int, w: int) -> list[int]:
    """Customer c's visits that worker w is on."""
    return [u for u in search.visits_of_customer[c] if w in search.plan.workers_of(u)]


def _leaving_member(search: Search, c: int) -> int:
    """A member of customer c's team to take out: mostly the one with the fewest of c's
    visits, else any."""
    team, rng = search.plan.team[c], search.rng
    members = sorted(team, key=lambda w: (sum(team[w]), rng.random()))
    return members[0] if rng.random() < 0.7 else rng.choice(members)


def _critical_waiting(plan: Plan) -> list[int]:
    """Critical visits left out, in index order."""
    return sorted(v for v in plan.waiting if _is_critical(plan, v))


def _is_critical(plan: Plan, v: int) -> bool:
    return plan.inst.priority_term[v] == UNASSIGNED_CRITICAL


def _team_full(plan: Plan, v: int) -> bool:
    """Whether visit v's customer's team is at its cap."""
    c = int(plan.inst.customer[v])
    return len(plan.team[c]) >= int(plan.inst.team_cap[c])


def _members_lacking(plan: Plan, v: int) -> int:
    """How many of the workers visit v still needs neither its customer's team members (as
    the plan stands) nor the room left in the team can give."""
    inst = plan.inst
    c = int(inst.customer[v])
    room = int(inst.team_cap[c]) - len(plan.team[c])
    members = [int(s) for s in inst.candidates[v] if int(inst.shift_worker[s]) in plan.team[c]]
    able = {int(inst.shift_worker[o.s]) for o in options(plan, v, shifts=members)}
    return max(0, int(inst.required[v]) - len(plan.rows[v]) - len(able) - room)


def _put_back_in_team(search: Search, c: int, visits: list[int], team: set[int]) -> None:
    """Put customer c's visits (and any of theirs still left out) back, hardest first, in the
    team's runs where they fit and elsewhere within the cap where not; for those still out,
    clear their window in runs they could join and re-place what was there."""
    plan, inst, rng = search.plan, search.plan.inst, search.rng
    for u in sorted(set(visits) | set(search.unassigned_of([c])),
                    key=lambda u: (difficulty(plan, u), rng.random())):
        if plan.is_assigned(u):
            continue
        within = [s for s in inst.candidates[u] if int(inst.shift_worker[s]) in team]
        if not insert(plan, u, noise=rng, shifts=within):
            insert(plan, u, noise=rng)
    ejected = []
    for u in search.unassigned_of([c]):
        ejected += _make_room(search, u)
    search.recreate(ejected)


def _make_room(search: Search, v: int) -> list[int]:
    """Clear visit v's window in a few runs it could join (one more than the workers it still
    needs) and place it there; return the visits taken out (v may still be out)."""
    plan, inst, rng = search.plan, search.plan.inst, search.rng
    shifts = _allowed_shifts(plan, v)
    rng.shuffle(shifts)
    chosen = shifts[: int(inst.required[v]) - len(plan.rows[v]) + 1]
    ejected = search.take_out(u for s in chosen for u in _in_window(plan, v, s))
    insert(plan, v, noise=rng, shifts=chosen)
    return ejected


def day_cluster(search: Search) -> None:
    """Take out, on the day of a visit chosen at random, the visits of its customer and a few
    nearest customers that day within one to three hours of its start, and put them back."""
    plan, inst, rng = search.plan, search.plan.inst, search.rng
    v0 = _placed_at_random(plan, rng)
    if v0 is None:
        return
    day, at = int(inst.day[v0]), plan.start[v0]
    near = set(search.nearest[int(inst.customer[v0])][: rng.randint(4, 10)])
    near.add(int(inst.customer[v0]))
    band = rng.choice((60, 120, 180))
    chosen = [
        v for c in near for v in search.visits_of_customer[c]
        if int(inst.day[v]) == day
        and (not plan.rows[v] or abs(plan.start[v] - at) <= band)
    ]
    removed = search.take_out(chosen)
    search.recreate(removed + [v for v in chosen if not plan.is_assigned(v)])


def _placed_at_random(plan: Plan, rng: random.Random) -> int | None:
    """A visit with a worker, uniformly at random (None if there is none): a few draws over all
    visits first, since nearly all are placed (listing them every call cost a tenth of the
    operator's time on L)."""
    for _ in range(PLACED_DRAWS):
        v = rng.randrange(plan.inst.n_visits)
        if plan.rows[v]:
            return v
    placed = [v for v in range(plan.inst.n_visits) if plan.rows[v]]
    return rng.choice(placed) if placed else None


def short_run(search: Search) -> None:
    plan, rng = search.plan, search.rng
    runs = [s for s, run in enumerate(plan.runs) if 0 < len(run) <= 3]
    if not runs:
        return
    s = rng.choice(runs)
    removed = search.take_out(list(plan.runs[s]))
    search.recreate(removed, blocked={s})
    search.recreate([v for v in removed if not plan.is_assigned(v)])


def unassigned(search: Search) -> None:
    """Make room for a visit left out: in turn, for a few of the runs it could join (pairs of
    runs for a double-handed visit; its customer's team members' when the team is full), take
    out the visits in its window (and, where a worker's week lacks room for it, visits of
    theirs on other days), place it there and put them back elsewhere; a visit taken out that
    its own customer's full team cannot take back gets a member swapped in for it
    (``_swap_members``). Keep the first attempt that lowers the objective (every visit back
    in place, or a lower-priority one left out in its stead)."""
    plan, inst, rng = search.plan, search.plan.inst, search.rng
    waiting = [v for v in plan.unassigned_visits() if v not in search.locked]
    if not waiting:
        return
    v = rng.choice(waiting)
    shifts = _allowed_shifts(plan, v)
    rng.shuffle(shifts)
    need = int(inst.required[v]) - len(plan.rows[v])
    attempts = (
        [shifts[i:i + 1] for i in range(min(8, len(shifts)))] if need == 1
        else [[a, b] for i, a in enumerate(shifts[:5]) for b in shifts[i + 1:6]
              if int(inst.shift_worker[a]) != int(inst.shift_worker[b])]
    )
    before = plan.objective()
    for chosen in attempts:
        plan.begin()
        removed = search.take_out(u for s in chosen for u in _in_window(plan, v, s))
        removed += _free_week(search, v, chosen)
        if insert(plan, v, noise=rng, shifts=chosen):
            search.recreate(removed)
            for u in removed:
                if not plan.is_assigned(u) and _team_full(plan, u):
                    _swap_members(search, u, max(1, _members_lacking(plan, u)))
            if plan.objective() < before:
                plan.commit()
                return
        plan.rollback()


def _free_week(search: Search, v: int, shifts: list[int]) -> list[int]:
    """For each shift's worker whose week lacks room for visit v and WEEK_ROOM_TRAVEL_MIN of
    travel, take out visits of theirs on other days, at random, until it has it (counting
    each visit's length and TRAVEL_FREED_MIN); return the visits taken out."""
    plan, inst = search.plan, search.plan.inst
    out = []
    for s in shifts:
        w, day = int(inst.shift_worker[s]), int(inst.shift_day[s])
        room = int(inst.max_week[w]) - plan.worked_week[w]
        short = int(inst.duration[v]) + WEEK_ROOM_TRAVEL_MIN - room
        if short <= 0:
            continue
        theirs = [u for s2 in search.shifts_of_worker[w] if int(inst.shift_day[s2]) != day
                  for u in plan.runs[s2] if u not in search.locked]
        search.rng.shuffle(theirs)
        for u in theirs:
            if short <= 0:
                break
            short -= int(inst.duration[u]) + TRAVEL_FREED_MIN
            out += search.take_out([u])
    return out


def _in_window(plan: Plan, v: int, s: int, margin: int = 30) -> list[int]:
    """Visits of shift s's run overlapping visit v's window (with a margin for travel)."""
    inst = plan.inst
    lo, hi = int(inst.earliest[v]) - margin, int(inst.latest[v]) + int(inst.duration[v]) + margin
    return [u for u in plan.runs[s]
            if plan.start[u] < hi and plan.start[u] + int(inst.duration[u]) > lo]


def _allowed_shifts(plan: Plan, v: int) -> list[int]:
    """Candidate shifts of v whose workers its customer's team cap still allows."""
    inst = plan.inst
    return [int(s) for s in inst.candidates[v] if plan.team_allows(v, int(inst.shift_worker[s]))]


def exact_day(search: Search) -> None:
    """CP-SAT rebuilds 2-4 neighbouring runs of one day with the unassigned visits they could
    take."""
    plan, inst, rng = search.plan, search.plan.inst, search.rng
    used = [s for s, run in enumerate(plan.runs) if run]
    if not used:
        return
    seed = rng.choice(used)
    shifts = _neighbour_runs(plan, seed, rng.randint(2, 4))
    free = set(shifts)
    waiting = [
        v for v in plan.unassigned_visits()
        if v not in search.locked and free.intersection(int(s) for s in inst.candidates[v])
    ][:8]
    _rebuild_exactly(search, shifts, waiting)


def exact_unassigned(search: Search) -> None:
    """CP-SAT rebuilds, on the day of a visit left out, a few runs it could join, and for the
    visits in its way there, a run each could move to (an ejection chain of depth two)."""
    plan, inst, rng = search.plan, search.plan.inst, search.rng
    waiting = [v for v in plan.unassigned_visits() if v not in search.locked]
    allowed = [v for v in waiting if _allowed_shifts(plan, v)]
    if not allowed:
        return
    v = rng.choice(allowed)
    shifts = _allowed_shifts(plan, v)
    rng.shuffle(shifts)
    shifts = shifts[: int(inst.required[v]) + 2]
    for u in [u for s in list(shifts) for u in _in_window(plan, v, s)]:
        others = [s for s in _allowed_shifts(plan, u) if s not in shifts]
        if others and len(shifts) < EXACT_UNASSIGNED_RUNS:
            shifts.append(rng.choice(others))
    day = int(inst.day[v])
    free = set(shifts)
    joinable = [
        u for u in waiting
        if u != v and int(inst.day[u]) == day and free.intersection(_allowed_shifts(plan, u))
    ]
    extra = [v, *joinable[:5]]
    _rebuild_exactly(search, shifts, extra)


def _rebuild_exactly(search: Search, shifts: list[int], extra_visits: list[int]) -> None:
    """CP-SAT rebuilds these runs with their visits and the extra (unassigned) ones, hinted
    with the current runs; pinned visits are never in a neighbourhood. The search keeps or
    undoes the result like any other move."""
    plan = search.plan
    scope = scope_of(plan, shifts, extra_visits)
    if any(v in search.locked for v in scope.visits):
        return
    wall_s = 4 * SUBSOLVE_S if search.limits.iterations is None else BUDGET_SUBSOLVE_WALL_S
    outcome = solve_scope(
        plan, scope, time_limit_s=wall_s, seed=search.seed + search.iteration,
        deterministic_time=SUBSOLVE_S,
    )
    if outcome.routes:
        apply_outcome(plan, outcome)


def _neighbour_runs(plan: Plan, seed: int, count: int) -> list[int]:
    """The seed run and the runs of other workers that day closest to it in place and time."""
    inst = plan.inst
    day = int(inst.shift_day[seed])
    seed_places = [int(inst.place[v]) for v in plan.runs[seed]]
    seed_worker = int(inst.shift_worker[seed])
    table = inst.minutes[0]
    info = plan.info[seed]
    scored = []
    for s in np.nonzero(inst.shift_day == day)[0]:
        s = int(s)
        if s == seed or int(inst.shift_worker[s]) == seed_worker:
            continue
        if plan.runs[s] and (plan.info[s].last < info.first or plan.info[s].first > info.last):
            continue
        if not plan.runs[s] and (inst.shift_end[s] < info.first
                                 or inst.shift_start[s] > info.last):
            continue
        home = int(inst.home[inst.shift_worker[s]])
        places = [int(inst.place[v]) for v in plan.runs[s]] or [home]
        distance = min(int(table[a, b]) for a in seed_places for b in places)
        scored.append((distance, s))
    scored.sort()
    return [seed] + [s for _, s in scored[: count - 1]]


OPERATORS: dict[str, Callable[[Search], None]] = {
    "related_customers": related_customers,
    "costly_customers": costly_customers,
    "day_cluster": day_cluster,
    "short_run": short_run,
    "unassigned": unassigned,
    "rebuild_customer": rebuild_customer,
    "critical_swap": critical_swap,
    "shed_member": shed_member,
    "familiar_member": familiar_member,
    "merge_member": merge_member,
    "exact_day": exact_day,
    "exact_unassigned": exact_unassigned,
}


def nearest_customers(inst) -> dict[int, list[int]]:
    """Per customer, the NEAREST other customers by travel time (first mode's table)."""
    places = inst.customer_place
    table = inst.minutes[0][np.ix_(places, places)].astype(np.float64)
    np.fill_diagonal(table, np.inf)
    k = min(NEAREST, max(0, inst.n_customers - 1))
    order = np.argsort(table, axis=1, kind="stable")[:, :k]
    return {c: [int(x) for x in order[c]] for c in range(inst.n_customers)}
