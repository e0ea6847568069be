"""The fewest visits any rota must leave out, proven day by day.

A day's visits planned alone keep every rule that holds within the day: windows, travel,
availability, skills, gender, bans, zones and providers, double-handed visits, gaps and order
between a customer's visits that day, daily hours and span, load, team caps (a day's workers
are part of the week's team). They lose what ties the days together: weekly hours, rest between
days, gaps across midnight, the rest of each team's week, and pins. Any rota of the week, cut to
one day, is a plan of that day alone; so what no plan of the day alone can place, no rota can.

For each day, construction and a short local search plan the day alone; if visits are still
out, one CP-SAT model of the whole day, where each visit left out costs 1 point and nothing else
counts, proves the fewest that must be left out (or a lower bound on it, when the time runs
out). Where some must be and the day is settled, CP-SAT then names sets of visits that no plan
places all together (infeasible cores, disjoint, one for each visit that must go at most), each
cut down until every visit in it is needed: what a coordinator can act on (a window, a worker's
hours).
"""

from __future__ import annotations

import logging
import random
import signal
import threading
import time
from dataclasses import dataclass, replace

from models import Caseload
from models.base import DAYS, MINUTES_PER_DAY, format_clock
from models.objective import resolve_weights
from models.result import SolveParams
from scheduler.construct import construct
from scheduler.formulation import Formulation
from scheduler.formulation.scope import Scope
from scheduler.lns import Limits, Search
from scheduler.plan import Plan
from scheduler.prepare import Instance, prepare
from scheduler.solve import model_arcs, solve_whole

logger = logging.getLogger(__name__)

MAX_ARCS = 200_000
"""A day whose model would have more possible arcs (sum over shifts of candidate visits
squared) is not modelled: CP-SAT would spend the time building it (a day of the L benchmark
has about a million; riverside's 7,000-31,000, each proven in 2-14 s)."""

SEARCH_S = 2.0
"""Seconds of local search (at most; it stops after STALL_S without a gain) before the model:
on riverside it places every visit of the days that can be completed, which the model takes
6-12 s to do."""

STALL_S = 0.5
"""Seconds without a gain that end that search."""


@dataclass(frozen=True)
class DayBound:
    """One day: its visits, the fewest any rota must leave out (proven), the fewest a plan of
    the day alone was found to leave out, and why nothing was proven, if so."""

    day: int
    visits: int
    at_least: int
    found: int
    note: str = ""
    conflicts: tuple[tuple[str, ...], ...] = ()
    """Disjoint sets of the day's visits ("V12-Sat (C3 16:30)") that no rota places all of."""

    @property
    def exact(self) -> bool:
        """Whether the day alone is solved: the bound meets a plan that reaches it."""
        return self.at_least == self.found


def day_caseload(caseload: Caseload, day: int) -> Caseload:
    """The caseload cut to one day's visits (index 0-6), with no pins and no previous rota,
    and an objective that counts only visits left out, 1 point each."""
    visits = tuple(
        v.model_copy(update={"days": (day,)}) for v in caseload.visits if day in v.days
    )
    weights = {
        term: 1 if term.startswith("unassigned") else 0 for term in resolve_weights(None)
    }
    return caseload.model_copy(
        update={"visits": visits, "pinned": (), "previous_rota": (), "weights": weights}
    )


def bound_day(caseload: Caseload, day: int, time_limit_s: float, seed: int = 1,
              workers: int = 1) -> DayBound:
    """The fewest visits any rota must leave out on ``day`` (see the module docstring)."""
    inst = prepare(day_caseload(caseload, day))
    plan = Plan(inst)
    rng = random.Random(seed)
    construct(plan, rng)
    if plan.waiting:
        limits = Limits(deadline=time.monotonic() + min(SEARCH_S, time_limit_s),
                        stall_s=STALL_S, log_every_s=None)
        search = Search(plan, rng, limits, seed=seed)
        search.run()
        if search.interrupted:
            raise KeyboardInterrupt
        plan = search.plan
    if not plan.waiting:
        return DayBound(day, inst.n_visits, 0, 0)
    arcs = model_arcs(inst)
    if arcs > MAX_ARCS:
        return DayBound(day, inst.n_visits, 0, len(plan.waiting),
                        f"not modelled: {arcs:,} possible arcs (at most {MAX_ARCS:,})")
    logger.info("%s: %d of %d visits still out; CP-SAT on the day alone, up to %g s",
                DAYS[day], len(plan.waiting), inst.n_visits, time_limit_s)
    params = SolveParams(time_limit_s=time_limit_s, seed=seed, workers=workers)
    status, bound = solve_whole(plan, params, time.monotonic() + time_limit_s)
    settled = status == "optimal"  # not after a time limit or a Ctrl-C
    note = "" if settled else f"time limit ({time_limit_s:g} s) reached"
    conflicts = _conflicts(inst, bound or 0, time_limit_s, seed, workers) if settled else ()
    return DayBound(day, inst.n_visits, bound or 0, len(plan.waiting), note, conflicts)


def _conflicts(inst: Instance, most: int, time_limit_s: float, seed: int,
               workers: int) -> tuple[tuple[str, ...], ...]:
    """Up to ``most`` disjoint sets of visits that no plan of the day places all together,
    each cut down (within ``time_limit_s`` in all) until every visit in it is needed, and
    named with its customer and preferred start."""
    if most <= 0:
        return ()
    formulation = Formulation(inst, Scope.everything(inst))
    deadline = time.monotonic() + time_limit_s

    def conflict_among(visits: list[int]) -> list[int] | None:
        left_s = deadline - time.monotonic()
        if left_s <= 0:
            return None
        return formulation.unplaceable_together(visits, time_limit_s=left_s, seed=seed,
                                                workers=workers)

    left, out = list(range(inst.n_visits)), []
    try:
        while len(out) < most:
            core = conflict_among(left)
            if not core:
                break
            out.append(core)  # as it is, if a Ctrl-C cuts the cutting down short
            out[-1] = _irreducible(core, conflict_among)
            left = [v for v in left if v not in out[-1]]
    except KeyboardInterrupt:  # the sets found stand (the last perhaps not cut down)
        pass
    return tuple(tuple(_visit_label(inst, v) for v in core) for core in out)


def _irreducible(core: list[int], conflict_among) -> list[int]:
    """``core`` cut down: each visit in turn goes when the rest still cannot all be placed
    (``conflict_among`` then gives that smaller set; None when they fit or it ran out of
    time, and the visit stays)."""
    kept = list(core)
    for v in core:
        if v in kept and len(kept) > 1:
            smaller = conflict_among([u for u in kept if u != v])
            if smaller:
                kept = smaller
    return kept


def _visit_label(inst: Instance, v: int) -> str:
    start = format_clock(int(inst.preferred[v]) % MINUTES_PER_DAY)
    return f"{inst.visit_ids[v]} ({inst.customer_ids[int(inst.customer[v])]} {start})"


def week_bounds(caseload: Caseload, time_limit_s: float, seed: int = 1,
                workers: int = 1) -> list[DayBound]:
    """``bound_day`` for each day with visits, ``time_limit_s`` each. Ctrl-C keeps what the
    day in hand had proven when CP-SAT was stopped (or nothing, before its model) and skips
    the days after it: each is listed as proving nothing (at least 0, its visits all out)."""
    days = sorted({day for v in caseload.visits for day in v.days})
    pressed: list[bool] = []

    def ctrl_c(signum, frame):
        pressed.append(True)
        signal.default_int_handler(signum, frame)  # KeyboardInterrupt: CP-SAT stops

    main_thread = threading.current_thread() is threading.main_thread()  # signals go there
    previous = signal.signal(signal.SIGINT, ctrl_c) if main_thread else None
    out: list[DayBound] = []
    try:
        for day in days:
            if pressed:
                break
            try:
                found = bound_day(caseload, day, time_limit_s, seed, workers)
            except KeyboardInterrupt:
                pressed.append(True)
                break
            out.append(replace(found, note="stopped by Ctrl-C") if pressed and found.note
                       else found)
    finally:
        if main_thread:
            signal.signal(signal.SIGINT, previous)
    for day in days[len(out):]:
        visits = sum(1 for v in caseload.visits if day in v.days)
        out.append(DayBound(day, visits, 0, visits, "not tried: stopped by Ctrl-C"))
    return out


def bounds_text(bounds: list[DayBound], left_out: dict[int, int] | None = None,
                rota_name: str = "the rota") -> str:
    """A table of the bounds by day, and what they mean for the week (and for a rota whose
    visits left out per day are ``left_out``)."""
    header = "day  visits  left out by any rota  best plan of the day alone"
    if left_out is not None:
        header += f"  {rota_name}"
    lines = [header]
    for b in bounds:
        proven = f"at least {b.at_least}" + ("" if b.exact else " (bound)")
        line = f"{DAYS[b.day]:<4} {b.visits:>6}  {proven:<20}  {b.found:>25}"
        if left_out is not None:
            line += f"  {left_out.get(b.day, 0):>{len(rota_name)}}"
        if b.note:
            line += f"  {b.note}"
        lines.append(line)
    total = sum(b.visits for b in bounds)
    must = sum(b.at_least for b in bounds)
    lines.append(f"No rota can place more than {total - must:,} of the {total:,} visits "
                 f"(at least {must} left out: proven day by day).")
    unsettled = [DAYS[b.day] for b in bounds if not b.exact]
    if unsettled:
        lines.append(f"Not settled: {', '.join(unsettled)} (more time may raise the bound there, "
                     "or find a plan of the day that leaves fewer out).")
    for b in bounds:
        for conflict in b.conflicts:
            lines.append(f"{DAYS[b.day]}: no rota places all of {', '.join(conflict)}.")
    if left_out is not None:
        out = sum(left_out.values())
        verdict = ("as many as any rota can" if out == must
                   else f"at most {out - must} more could be placed")
        lines.append(f"{rota_name} places {total - out:,}: {verdict}.")
    return "\n".join(lines)
