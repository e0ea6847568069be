"""Cooperative LNS on several CPU cores: every process searches from the same best plan for one
leg (a few seconds) with its own seed; the best plan any of them found is where all of them
start the next leg. The annealing schedule runs across the legs as in one search.

In a long search (at least ON_OWN_MIN_S), for the first ON_OWN_SHARE of the time each process
follows its own line instead, leg after leg, and every process but the first starts from a rota
it constructs itself: the week's team structure is set early and rarely changes later, so two
structures develop before the best is taken further by all.

From the second leg on, before every other leg (in a short phase, before any: ``_may_reform``),
the coordinator re-forms the week's double-handed teams (and any full team that leaves a visit
out) in the second process's plan (scheduler/reform.py) when such a visit is left out there
(when not, in the first other plan with one), other visits than at the last reform, and the
phase (own lines, or together) has room for the reform and a search after it
(``_reform_times``: the smaller model around the visits left out, which stops once settled;
in a short phase, the full model instead when it is small enough for the time left). CP-SAT
then runs on a thread per process while the processes wait. In a leg that no reform can
follow, or while the visits left out are those of the last reform, the team operators do not
wait for one (``Limits.reform_ahead``, ``Limits.reformed_out``).

Used for a caseload that is one part (independent parts already run one per core) when more
than one worker is allowed and the search is time-limited; an iteration budget keeps the
single-process search, which is deterministic.
"""

from __future__ import annotations

import itertools
import logging
import math
import multiprocessing
import random
import signal
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from functools import partial
from typing import NamedTuple

from scheduler.construct import construct
from scheduler.lns import (
    Limits,
    OperatorStats,
    Search,
    Temperature,
    log_operators,
    starting_temperature,
)
from scheduler.plan import Plan
from scheduler.prepare import Instance
from scheduler.reform import (
    SECONDS_PER_FREE_VISIT,
    free_visits,
    reform_teams,
    reform_would_act,
    team_bound_waiting,
)

logger = logging.getLogger(__name__)

LEGS = 8
"""Legs a search is cut into (each leg at least MIN_LEG_S, at most MAX_LEG_S seconds); with
2 processes on L at 30 s, 8 legs left 3.7 visits unassigned on average, 4 legs 5.0, 15 legs
4.7 (3 seeds each)."""

MIN_LEG_S = 3.0
MAX_LEG_S = 20.0

ON_OWN_SHARE = 0.5
"""Share of a long search's time each process searches its own line before all start from the
best. On L at 300 s (seeds 1-6) it left 3.8 visits out on average against 4.8 without (five
runs); at 30 s it left 6.2 against 5.5, hence ON_OWN_MIN_S."""

ON_OWN_MIN_S = 120.0
"""Searches shorter than this (seconds) are cooperative from the start."""

REFORM_S = 30.0
"""CP-SAT seconds of a re-forming of the teams (on a thread per process, the search processes
waiting meanwhile)."""

REFORM_SEARCH_S = 20.0
"""Seconds of search a leg that starts with a re-forming keeps after it, at least."""

SEARCH_AFTER_SHARE = 1 / 8
"""In a short phase, the share of the search's time a leg that starts with a reform lasts
after it, so that a second reform may come next (``_reform_times``)."""

_process: dict = {}
"""In each worker process: the plan it searches (built once) and the shared scoreboard."""


@dataclass
class _Best:
    """The best plan found so far, with the operator weights of the search that found it."""

    objective: int
    state: tuple
    found_at: float
    weights: dict[str, float] | None = None


class _ReformTimes(NamedTuple):
    """A reform's CP-SAT seconds at most, the seconds of search after it at least, and
    whether its model is the smaller one around the visits left out (``reform.free_visits``),
    which stops once settled."""

    solve_s: float
    search_s: float
    around_waiting: bool = False


def cooperative_search(
    plan: Plan,
    processes: int,
    seed: int,
    limits: Limits,
    progress: Callable[[dict], None] | None = None,
) -> Plan:
    """Improve ``plan`` with ``processes`` searches in parallel until ``limits.deadline`` or a
    stall of ``limits.stall_s``; return the best plan (Ctrl-C stops at the best so far).
    Progress is logged every ``limits.log_every_s`` with the best any process has found."""
    started = time.monotonic()
    schedule = _Schedule(started, limits.deadline, starting_temperature(plan))
    best = _Best(plan.objective(), plan.copy_state(), found_at=started)
    board = _Scoreboard(processes, plan.inst)
    reporter = _Reporter(plan.inst, started, limits.log_every_s, progress)
    totals: dict[str, OperatorStats] = {}
    reporter.report(best.objective, board.placed(best.state), 0)
    lines = [_Line(best.state)] + [_Line(None) for _ in range(processes - 1)]
    on_own_until = started + _time_on_own(limits.deadline - started)
    smallest = len(free_visits(plan, around_waiting=True))  # the smallest reform: an estimate
    reform, reformed_out = False, frozenset()  # the visits left out at the last reform
    try:
        with ProcessPoolExecutor(processes, initializer=_start_process,
                                 initargs=(plan.inst, board.values)) as pool:
            for leg in itertools.count():
                now = time.monotonic()
                stalled = limits.stall_s is not None and now - best.found_at >= limits.stall_s
                if now >= limits.deadline - 0.5 or stalled:
                    break
                if now >= on_own_until:
                    lines = [_Line(best.state, best.weights)] * processes
                phase_end = on_own_until if now < on_own_until else limits.deadline
                allowed = processes > 1 and _may_reform(leg, reform, phase_end - now)
                k = _line_to_reform(plan, lines) if allowed else None
                if k is not None and not reform_would_act(plan, reformed_out):
                    k = None  # the same visits are left out as at the last reform
                short = _is_short(phase_end - now)  # only a short phase reads the sizes
                sizes = _model_sizes(plan) if k is not None and short else None
                times = _reform_times(sizes, phase_end - now, limits.deadline - started, reform)
                reform = allowed and times is not None
                if reform and k is not None:
                    reformed_out = frozenset(plan.waiting)
                    lines[k], interrupted = _reformed(
                        plan, lines[k], seed * 1009 + leg, processes, times,
                        while_waiting=lambda: reporter.tick(*board.best()))
                    if interrupted:
                        logger.warning("interrupted: keeping the best rota found so far")
                        break
                    now = time.monotonic()
                leg_limits = schedule.leg(now, times.search_s if reform else 0.0)
                leg_limits = replace(leg_limits, reformed_out=reformed_out,
                                     reform_ahead=_reform_may_follow(
                                         leg_limits.deadline, on_own_until, schedule, smallest))
                board.reset(best, _calls(totals))
                futures = [
                    pool.submit(_leg, line.state, seed * 1009 + leg * processes + k, leg_limits,
                                line.weights, k)
                    for k, line in enumerate(lines)
                ]
                results, interrupted = _gather(futures, reporter, board)
                _absorb(best, totals, results)
                if interrupted:
                    break
                lines = [_Line(state, _weights(stats)) for _, state, stats in results]
    except KeyboardInterrupt:  # between legs
        logger.warning("interrupted: keeping the best rota found so far")
    plan.restore(best.state)
    reporter.report(best.objective, board.placed(best.state), _calls(totals))
    log_operators(totals)
    return plan


def _reformed(
    plan: Plan, line: _Line, seed: int, workers: int,
    times: _ReformTimes = _ReformTimes(REFORM_S, REFORM_SEARCH_S),
    while_waiting: Callable[[], None] | None = None,
) -> tuple[_Line, bool]:
    """``line`` after re-forming its plan's teams (scheduler/reform.py), with CP-SAT on
    ``workers`` threads for up to ``times.solve_s`` (the search processes wait meanwhile;
    ``plan`` is used as scratch), and whether Ctrl-C stopped CP-SAT (the line is then
    unchanged). ``while_waiting`` is called during the solve (the progress reports go on)."""
    plan.restore(line.state)
    if not team_bound_waiting(plan):
        return line, False
    if reform_teams(plan, times.solve_s, seed, workers, while_waiting,
                    around_waiting=times.around_waiting).interrupted:
        return line, True
    return _Line(plan.copy_state(), line.weights), False


def _may_reform(leg: int, after_reform: bool, room_s: float) -> bool:
    """Whether leg number ``leg`` (from 0) may start with a reform, with ``room_s`` left in
    its phase: not the first, and not one right after a reform's leg unless the phase is
    short (``_is_short``): there a second reform is the one chance to place what the first
    left out."""
    return leg >= 1 and (not after_reform or _is_short(room_s))


def _is_short(room_s: float) -> bool:
    """Whether a phase with ``room_s`` seconds left is short: too short for REFORM_S of CP-SAT
    and REFORM_SEARCH_S of search after it."""
    return room_s < REFORM_S + REFORM_SEARCH_S


def _line_to_reform(plan: Plan, lines: list[_Line]) -> int | None:
    """The line whose plan to re-form: the second process's if a visit a reform acts on is
    left out there (``team_bound_waiting``), else the first other line with one (None: no line
    has one). ``plan`` is left holding that line's plan (scratch)."""
    for k in [1, 0, *range(2, len(lines))]:
        if lines[k].state is not None:
            plan.restore(lines[k].state)
            if team_bound_waiting(plan):
                return k
    return None


def _model_sizes(plan: Plan) -> tuple[int, int]:
    """The visits a reform of ``plan`` frees: in the full model, and in the smaller one
    around the visits left out."""
    return len(free_visits(plan)), len(free_visits(plan, around_waiting=True))


def _reform_times(
    sizes: tuple[int, int] | None, room_s: float, total_s: float, follow_up: bool = False,
) -> _ReformTimes | None:
    """The times of a reform whose models free ``sizes`` visits (``_model_sizes``; None: no line to
    re-form; not read in a long phase) with ``room_s`` left in the phase of a search of
    ``total_s``, right after another reform's leg if ``follow_up``. When REFORM_S and
    REFORM_SEARCH_S both fit (a leg that could re-form, whether or not a line needs it), the
    smaller model around the visits left out gets them, and stops once settled (reform.SETTLE_S;
    on L at 300 s the full model's 504 visits took 30 s a reform and the first complete rota
    came at 55-210 s; the smaller one's 143-289 took 1-31 s, the rota was complete at 35-165 s
    and ended lower: docs/engine.md).

    In a shorter phase, the leg lasts SEARCH_AFTER_SHARE of the search after the reform. A
    first reform fits if SECONDS_PER_FREE_VISIT a visit and a quarter of the search after it
    do: the full model then gets that time (riverside at 30 s: 145 visits, 7 s), else the
    smaller one gets all the room but half the search (for a search and a second reform
    after it), SECONDS_PER_FREE_VISIT a visit at least, and stops once settled (on L at 30 s
    the full model's 504 visits would need 25 s, the smaller one's 160-310 fit). A second
    reform, which has fewer visits left out to place, fits with half those seconds a visit
    and an eighth of the search after it, and its smaller model gets all the room but that
    eighth. None when no model fits."""
    if not _is_short(room_s):
        return _ReformTimes(REFORM_S, REFORM_SEARCH_S, around_waiting=True)
    if sizes is None:
        return None
    leg_s = total_s * SEARCH_AFTER_SHARE
    after, kept, per_visit = ((leg_s, leg_s, SECONDS_PER_FREE_VISIT / 2) if follow_up
                              else (2 * leg_s, 4 * leg_s, SECONDS_PER_FREE_VISIT))
    for free, around_waiting in zip(sizes, (False, True)):
        needed = free * per_visit
        if needed + after <= room_s:
            solve_s = min(REFORM_S, max(needed, room_s - kept)) if around_waiting else needed
            return _ReformTimes(solve_s, leg_s, around_waiting)
    return None


def _reform_may_follow(end: float, on_own_until: float, schedule: _Schedule, free: int) -> bool:
    """Whether a reform freeing ``free`` visits could come after a leg ending at ``end`` (a
    time of time.monotonic()), in the rest of its phase or in the next (the processes follow
    their own lines until ``on_own_until``): the team operators wait for one only then."""
    total_s = schedule.deadline - schedule.started
    rooms = ([schedule.deadline - end] if end >= on_own_until
             else [on_own_until - end, schedule.deadline - on_own_until])
    return any(_reform_times((free, free), room, total_s) is not None for room in rooms)


def _time_on_own(total_s: float) -> float:
    """Seconds the processes search their own lines, of a search of ``total_s``."""
    return ON_OWN_SHARE * total_s if total_s >= ON_OWN_MIN_S else 0.0


@dataclass(frozen=True)
class _Line:
    """Where a process starts its next leg: a plan's state (None: construct one) and the
    operator weights to start with (None: the defaults)."""

    state: tuple | None
    weights: dict[str, float] | None = None


def _weights(stats: dict[str, OperatorStats]) -> dict[str, float]:
    return {name: stat.weight for name, stat in stats.items()}


@dataclass
class _Schedule:
    """Cuts the time from ``started`` to ``deadline`` (time.monotonic()) into legs of about a
    LEGS-th of it, and gives each the part of one annealing schedule it covers."""

    started: float
    deadline: float
    temperature: Temperature

    def leg(self, now: float, at_least_s: float = 0.0) -> Limits:
        """The limits of a leg starting ``now``, lasting ``at_least_s`` if longer."""
        total = max(1e-9, self.deadline - self.started)
        length = max(at_least_s, min(MAX_LEG_S, max(MIN_LEG_S, total / LEGS)))
        end = min(self.deadline, now + length)
        cooling = ((now - self.started) / total, min(1.0, (end - self.started) / total))
        return Limits(deadline=end, log_every_s=None, cooling=cooling,
                      temperature=self.temperature)


def _absorb(best: _Best, totals: dict[str, OperatorStats], results) -> None:
    """Keep the best of a leg's results and add up the operators' statistics."""
    for objective, state, stats in results:
        for name, stat in stats.items():
            totals.setdefault(name, OperatorStats()).add(stat)
        if objective < best.objective:
            best.objective, best.state, best.found_at = objective, state, time.monotonic()
            best.weights = _weights(stats)


def _start_process(inst: Instance, scoreboard) -> None:
    """Set up a worker process. Ctrl-C is the coordinator's to answer between legs (a
    re-forming runs there while the workers wait); in a leg, the search stops at its best."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _set_up_process(inst, scoreboard)


def _set_up_process(inst: Instance, scoreboard) -> None:
    _process["plan"] = Plan(inst)
    _process["scoreboard"] = scoreboard


def _leg(state, seed: int, limits: Limits, weights: dict[str, float] | None, slot: int):
    """One leg in a worker process, from ``state`` or (None) from a rota constructed with
    ``seed``: (best objective, best state, operator statistics). Each new best is posted to
    the process's ``slot`` of the scoreboard."""
    between_legs = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        plan = _process["plan"]
        if state is None:
            plan = Plan(plan.inst)
            construct(plan, random.Random(seed))
        else:
            plan.restore(state)
        search = Search(plan, random.Random(seed), limits, seed=seed, start_weights=weights,
                        on_best=partial(_post, _process["scoreboard"], slot))
        search.run()
        return search.best_objective, search.best_state, search.stats
    finally:
        signal.signal(signal.SIGINT, between_legs)


def _post(values, slot: int, objective: int, placed: int, iterations: int) -> None:
    values[3 * slot: 3 * slot + 3] = [objective, placed, iterations]


def _gather(futures, reporter: _Reporter, board: _Scoreboard) -> tuple[list, bool]:
    """The legs' results, and whether Ctrl-C was pressed (each process then returns its best
    so far; one cut off mid-change is left out). Progress is reported from the scoreboard
    while they run."""
    results, interrupted = [], False
    for future in futures:
        while True:
            try:
                results.append(future.result(timeout=None if interrupted else reporter.due_in()))
                break
            except TimeoutError:
                reporter.tick(*board.best())
            except KeyboardInterrupt:
                interrupted = True
            except Exception as error:  # a process killed by Ctrl-C
                if not interrupted:
                    raise
                logger.warning("a search process stopped without a result: %s", error)
                break
    return results, interrupted


class _Scoreboard:
    """Each process's best objective in its current leg, with the visits placed and the leg's
    iterations when it was found; in shared memory (each process writes its own slot, the
    coordinator reads them all)."""

    def __init__(self, processes: int, inst: Instance):
        self.inst = inst
        self.values = multiprocessing.Array("q", 3 * processes, lock=False)
        self.base_iterations = 0

    def reset(self, best: _Best, iterations: int) -> None:
        """Each slot starts a leg at the best plan so far, with no iterations."""
        placed = self.placed(best.state)
        for slot in range(len(self.values) // 3):
            _post(self.values, slot, best.objective, placed, 0)
        self.base_iterations = iterations

    def best(self) -> tuple[int, int, int]:
        """(objective, placed) of the best plan posted, and the iterations made (as of each
        process's latest best)."""
        triples = [self.values[i:i + 3] for i in range(0, len(self.values), 3)]
        objective, placed, _ = min(triples)
        return objective, placed, self.base_iterations + sum(t[2] for t in triples)

    def placed(self, state) -> int:
        return self.inst.n_visits - _unassigned_count(self.inst, state[0])


@dataclass
class _Reporter:
    """Logs the search's progress (at most every ``every_s`` seconds; never when None) and
    passes it to the ``progress`` callback."""

    inst: Instance
    started: float
    every_s: float | None
    progress: Callable[[dict], None] | None
    last: float = -math.inf

    def due_in(self) -> float | None:
        """Seconds until the next report is due (None: never)."""
        if self.every_s is None:
            return None
        return max(0.01, self.last + self.every_s - time.monotonic())

    def tick(self, objective: int, placed: int, iterations: int) -> None:
        """Report if one is due."""
        if self.every_s is not None and time.monotonic() - self.last >= self.every_s:
            self.report(objective, placed, iterations)

    def report(self, objective: int, placed: int, iterations: int) -> None:
        if self.every_s is None:
            return
        self.last = time.monotonic()
        info = {"elapsed_s": round(self.last - self.started, 1), "iterations": iterations,
                "placed": placed, "visits": self.inst.n_visits, "objective": objective}
        logger.info("lns %6.1fs  it %6d  placed %d/%d  objective %d", info["elapsed_s"],
                    iterations, placed, info["visits"], objective)
        if self.progress:
            self.progress(info)


def _calls(totals: dict[str, OperatorStats]) -> int:
    return sum(stat.calls for stat in totals.values())


def _unassigned_count(inst: Instance, runs) -> int:
    """Visits without all the workers they need in these runs."""
    rows = [0] * inst.n_visits
    for run in runs:
        for v in run:
            rows[v] += 1
    return sum(1 for v in range(inst.n_visits) if rows[v] < int(inst.required[v]))
