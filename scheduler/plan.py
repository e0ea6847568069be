"""The working rota of the search: each shift's run, each visit's start, and the objective's
running totals, kept consistent under every change and undoable.

Every hard rule holds in a Plan at all times: changes go through ``set_run``, which is checked
by ``feasible_change`` first. Single-worker visits are re-timed whenever their run changes (as
close to the preferred start as the run allows); a double-handed visit keeps the start it was
inserted with until it is removed, so its two runs never disagree.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import numpy as np

from models.base import WEEKEND
from models.objective import (
    CONTINUITY_TERMS,
    GUARANTEED_HOURS,
    MILEAGE,
    PUNCTUALITY,
    TRAVEL_TIME,
)
from scheduler.prepare import NO_CAP, Instance

UNASSIGNED = -1


@dataclass
class RunInfo:
    """Cached figures of one run: travel minutes and 100 m units, contact minutes, load,
    first start and last end (0, 0 when empty)."""

    travel: int = 0
    hm: int = 0
    contact: int = 0
    load: int = 0
    first: int = 0
    last: int = 0


class Plan:
    """A rota under construction or improvement (see the module docstring)."""

    def __init__(self, inst: Instance):
        self.inst = inst
        n_visits, n_shifts = inst.n_visits, inst.n_shifts
        self.runs: list[list[int]] = [[] for _ in range(n_shifts)]
        self.start: list[int] = [UNASSIGNED] * n_visits
        self.rows: list[list[int]] = [[] for _ in range(n_visits)]  # shifts holding each visit
        self.info = [RunInfo() for _ in range(n_shifts)]
        self._tables = _Tables(inst)
        self.team: list[dict[int, list[int]]] = [{} for _ in range(inst.n_customers)]
        self.worked_week = [0] * inst.n_workers
        self.worked_day: dict[tuple[int, int], int] = defaultdict(int)
        self.worker_day_shifts = _worker_day_shifts(inst)
        self.visits_of_customer: list[list[int]] = [[] for _ in range(inst.n_customers)]
        for v in range(n_visits):
            self.visits_of_customer[int(inst.customer[v])].append(v)
        self.totals: dict[str, int] = defaultdict(int)
        self.unassigned_points = int(inst.penalty.sum())
        self.waiting: set[int] = set(range(n_visits))  # visits not (fully) assigned
        self._punctuality = [0] * n_visits
        self._shortfall = [int(g) for g in inst.guaranteed]
        self.totals[GUARANTEED_HOURS] = sum(self._shortfall)
        self._journal: list[tuple[int, list[int], dict[int, int]]] | None = None
        self._marks: list[int] = []  # journal lengths at each open ``begin``
        self.version = [0] * n_shifts
        self._slack: dict[int, tuple[int, list[int], list[int]]] = {}

    # ------------------------------------------------------------------------- objective

    def objective(self) -> int:
        """Total points of the plan as it stands."""
        weights = self.inst.weights
        return self.unassigned_points + sum(
            weights[term] * quantity for term, quantity in self.totals.items()
        )

    def breakdown(self) -> dict[str, int]:
        """Points per objective term id."""
        weights, out = self.inst.weights, {}
        for v in self.unassigned_visits():
            term = self.inst.priority_term[v]
            out[term] = out.get(term, 0) + int(self.inst.penalty[v])
        for term, quantity in self.totals.items():
            out[term] = out.get(term, 0) + weights[term] * quantity
        return out

    def is_assigned(self, v: int) -> bool:
        return len(self.rows[v]) == self._tables.required[v]

    def unassigned_visits(self) -> list[int]:
        """Visits without all their workers, in index order."""
        return sorted(self.waiting)

    def workers_of(self, v: int) -> list[int]:
        return [int(self.inst.shift_worker[s]) for s in self.rows[v]]

    # ------------------------------------------------------------------------- timing

    def windows(self, v: int, run: set[int], fixed: dict[int, int]) -> tuple[int, int]:
        """Start window of v in a run: its hard window, narrowed by a fixed start (given, or a
        double-handed visit's current one) and by its customer's other visits outside the run."""
        tables = self._tables
        if v in fixed:
            return fixed[v], fixed[v]
        if tables.required[v] > 1 and self.rows[v]:
            return self.start[v], self.start[v]
        lo, hi = tables.window[v]
        for u, delay in tables.before[v]:
            if u not in run and self.rows[u]:
                lo = max(lo, self.start[u] + delay)
        for w, delay in tables.after[v]:
            if w not in run and self.rows[w]:
                hi = min(hi, self.start[w] - delay)
        return lo, hi

    def schedule(self, s: int, run: list[int], fixed: dict[int, int] | None = None):
        """Starts for ``run`` in shift s, as punctual as the run allows; None if infeasible.

        Forward pass: earliest starts; backward pass: latest starts that keep the rest of the
        run (and the way home) feasible; then each visit starts at the earliest time that is
        free of punctuality cost, or as close to it as the latest start allows.
        """
        if not run:
            return []
        passes = self._passes(s, run, fixed or {})
        if passes is None:
            return None
        windows, _, latest = passes
        tables = self._tables
        position = {v: i for i, v in enumerate(run)}
        w = tables.shift_worker[s]
        minutes, places, duration = tables.minutes[w], tables.place, tables.duration
        starts = [0] * len(run)
        t, here = tables.shift_start[s], tables.home[w]
        for i, v in enumerate(run):
            e = t + minutes[here][places[v]]
            if e < windows[i][0]:
                e = windows[i][0]
            for u, delay in tables.before[v]:
                if u in position and position[u] < i and e < starts[position[u]] + delay:
                    e = starts[position[u]] + delay
            if e < tables.punctual_from[v]:
                e = tables.punctual_from[v]
            starts[i] = e if e < latest[i] else latest[i]
            t, here = starts[i] + duration[v], places[v]
        return starts

    def _passes(self, s: int, run: list[int], fixed: dict[int, int]):
        """(windows, earliest, latest) start of each visit of a candidate run; None if the run
        is infeasible."""
        tables = self._tables
        members = set(run)
        position = {v: i for i, v in enumerate(run)}
        w = tables.shift_worker[s]
        minutes, home = tables.minutes[w], tables.home[w]
        places, duration = tables.place, tables.duration
        own, window = tables.own_window, tables.window
        windows = [window[v] if own[v] and v not in fixed else self.windows(v, members, fixed)
                   for v in run]
        # comparisons rather than max() and min() calls: every tried run is timed here
        earliest = [0] * len(run)
        t, here = tables.shift_start[s], home
        for i, v in enumerate(run):
            e = t + minutes[here][places[v]]
            if e < windows[i][0]:
                e = windows[i][0]
            for u, delay in tables.before[v]:
                if u in position and position[u] < i and e < earliest[position[u]] + delay:
                    e = earliest[position[u]] + delay
            if e > windows[i][1]:
                return None
            earliest[i], t, here = e, e + duration[v], places[v]
        if t + minutes[here][home] > tables.shift_end[s]:
            return None
        latest = [0] * len(run)
        limit, there = tables.shift_end[s], home
        for i in range(len(run) - 1, -1, -1):
            v = run[i]
            late = limit - minutes[places[v]][there] - duration[v]
            if late > windows[i][1]:
                late = windows[i][1]
            for x, delay in tables.after[v]:
                if x in position and position[x] > i and late > latest[position[x]] - delay:
                    late = latest[position[x]] - delay
            if late < earliest[i]:
                return None
            latest[i], limit, there = late, late, places[v]
        return windows, earliest, latest

    # ------------------------------------------------------------------------- changes

    def set_run(self, s: int, run: list[int], starts: list[int]) -> None:
        """Replace shift s's run and the starts of its visits, updating every total."""
        old_run = self.runs[s]
        if self._journal is not None:
            self._journal.append((s, list(old_run), {v: self.start[v] for v in old_run + run}))
        w = self._tables.shift_worker[s]
        old_set, new_set = set(old_run), set(run)
        for v in old_run:
            if v not in new_set:
                self._remove_row(v, s, w)
        for v in run:
            if v not in old_set:
                self._add_row(v, s, w)
        self.runs[s] = list(run)
        self.version[s] += 1
        for v, t in zip(run, starts):
            self._set_start(v, t)
        self._refresh_run(s, w)

    def try_run(self, s: int, run: list[int], fixed: dict[int, int] | None = None) -> bool:
        """Make ``run`` shift s's run if every hard rule still holds; leave it unchanged if not."""
        starts = self.schedule(s, run, fixed)
        if starts is None:
            return False
        old_run = self.runs[s]
        old_starts = [self.start[v] for v in old_run]
        self.set_run(s, run, starts)
        if (
            self.worker_ok(self._tables.shift_worker[s], {self._tables.shift_day[s]})
            and self.precedences_ok(run)
            and self.teams_ok(run)
        ):
            return True
        self.set_run(s, old_run, old_starts)
        return False

    def slack(self, s: int) -> tuple[list[int], list[int]]:
        """(earliest, latest) feasible start of each visit of shift s's run as it stands."""
        cached = self._slack.get(s)
        if cached is not None and cached[0] == self.version[s]:
            return cached[1], cached[2]
        _, earliest, latest = self._passes(s, self.runs[s], {}) or ([], [], [])
        self._slack[s] = (self.version[s], earliest, latest)
        return earliest, latest

    def _add_row(self, v: int, s: int, w: int) -> None:
        was_assigned = self.is_assigned(v)
        self.rows[v].append(s)
        self._count_team(v, w, +1)
        if self.is_assigned(v) and not was_assigned:
            self.unassigned_points -= self._tables.penalty[v]
            self.waiting.discard(v)

    def _remove_row(self, v: int, s: int, w: int) -> None:
        was_assigned = self.is_assigned(v)
        self.rows[v].remove(s)
        self._count_team(v, w, -1)
        if was_assigned:
            self.unassigned_points += self._tables.penalty[v]
            self.waiting.add(v)
        if not self.rows[v]:
            self._set_start(v, UNASSIGNED)

    def _set_start(self, v: int, t: int) -> None:
        if self.start[v] == t:  # most visits of a re-timed run keep theirs
            return
        self.start[v] = t
        old = self._punctuality[v]
        new = 0 if t == UNASSIGNED else self._tables.deviation(v, t)
        self._punctuality[v] = new
        self.totals[PUNCTUALITY] += new - old

    def _count_team(self, v: int, w: int, change: int) -> None:
        tables = self._tables
        c = tables.customer[v]
        before = self._pair_points(c, w)
        rows = self.team[c].setdefault(w, [0, 0])
        rows[tables.weekend[v]] += change
        after = self._pair_points(c, w)
        if rows == [0, 0]:
            del self.team[c][w]
        totals = self.totals
        for term, b, a in zip(CONTINUITY_TERMS, before, after):
            if a != b:
                totals[term] += a - b

    def _pair_points(self, c: int, w: int) -> tuple[int, int, int]:
        """(team member, unfamiliar member, weekend-unfamiliar rows) of customer c's worker w."""
        rows = self.team[c].get(w)
        if not rows or rows == [0, 0]:
            return 0, 0, 0
        familiar = self.inst.familiar[c]
        unfamiliar = 1 if familiar and w not in familiar else 0
        return 1, unfamiliar, rows[1] if rows[0] == 0 else 0

    def _refresh_run(self, s: int, w: int) -> None:
        inst, tables, run = self.inst, self._tables, self.runs[s]
        old = self.info[s]
        new = RunInfo()
        if run:
            minutes, hm, home = tables.minutes[w], tables.hm[w], tables.home[w]
            place, duration, load = tables.place, tables.duration, tables.load
            travel = distance = contact = weight = 0
            here = home
            for v in run:
                there = place[v]
                travel += minutes[here][there]
                distance += hm[here][there]
                contact += duration[v]
                weight += load[v]
                here = there
            new.travel = travel + minutes[here][home]
            new.hm = distance + hm[here][home]
            new.contact, new.load = contact, weight
            new.first = self.start[run[0]]
            new.last = self.start[run[-1]] + duration[run[-1]]
        self.info[s] = new
        self.totals[TRAVEL_TIME] += new.travel - old.travel
        self.totals[MILEAGE] += new.hm - old.hm
        change = new.travel + new.contact - old.travel - old.contact
        if change:
            self.worked_week[w] += change
            self.worked_day[(w, int(inst.shift_day[s]))] += change
            short = max(0, int(inst.guaranteed[w]) - self.worked_week[w])
            self.totals[GUARANTEED_HOURS] += short - self._shortfall[w]
            self._shortfall[w] = short

    # ------------------------------------------------------------------------- undo

    def begin(self) -> None:
        """Start recording changes so ``rollback`` can undo them. Calls nest: each ``begin``
        is closed by one ``commit`` or ``rollback``, which keeps or undoes the changes since
        that ``begin`` only."""
        if self._journal is None:
            self._journal = []
        self._marks.append(len(self._journal))

    def commit(self) -> None:
        """Keep the changes since the matching ``begin``."""
        self._marks.pop()
        if not self._marks:
            self._journal = None

    def rollback(self) -> None:
        """Undo every change since the matching ``begin``."""
        journal, mark = self._journal or [], self._marks.pop()
        undo = journal[mark:]
        del journal[mark:]
        self._journal = None  # the undoing itself is not recorded
        for s, old_run, old_starts in reversed(undo):
            self.set_run(s, old_run, [old_starts[v] for v in old_run])
            for v, t in old_starts.items():
                if self.rows[v] and self.start[v] != t:
                    self._set_start(v, t)
        self._journal = journal if self._marks else None

    # ------------------------------------------------------------------------- rules

    def worker_ok(self, w: int, days: set[int]) -> bool:
        """Daily and weekly caps, span and rest hold for worker w around the given days."""
        inst = self.inst
        if self.worked_week[w] > inst.max_week[w]:
            return False
        for day in days:
            if self.worked_day[(w, day)] > inst.max_day[w]:
                return False
            bounds = self.day_bounds(w, day)
            if bounds is None:
                continue
            if bounds[1] - bounds[0] > inst.max_span:
                return False
            before, after = self.day_bounds(w, day - 1), self.day_bounds(w, day + 1)
            if before is not None and bounds[0] - before[1] < inst.min_rest:
                return False
            if after is not None and after[0] - bounds[1] < inst.min_rest:
                return False
        return True

    def day_bounds(self, w: int, day: int) -> tuple[int, int] | None:
        """(first start, last end) of worker w's runs on a day, None if not working."""
        first = last = None
        for s in self.worker_day_shifts.get((w, day), ()):
            if self.runs[s]:
                info = self.info[s]
                first = info.first if first is None else min(first, info.first)
                last = info.last if last is None else max(last, info.last)
        return None if first is None else (first, last)

    def precedences_ok(self, visits) -> bool:
        """Timing between these visits and the rest of their customers' visits holds."""
        tables = self._tables
        for v in visits:
            if not self.rows[v]:
                continue
            for u, delay in tables.before[v]:
                if self.rows[u] and self.start[v] < self.start[u] + delay:
                    return False
            for x, delay in tables.after[v]:
                if self.rows[x] and self.start[x] < self.start[v] + delay:
                    return False
        return True

    def teams_ok(self, visits) -> bool:
        """The customers of these visits have no more workers than their caps allow."""
        inst = self.inst
        return all(
            len(self.team[c]) <= inst.team_cap[c] for c in {int(inst.customer[v]) for v in visits}
        )

    def team_allows(self, v: int, w: int) -> bool:
        """Worker w may join visit v's customer's team (already in it, or room left)."""
        c = int(self.inst.customer[v])
        return w in self.team[c] or len(self.team[c]) < self.inst.team_cap[c]

    def load_allows(self, s: int, v: int) -> bool:
        cap = self._tables.max_load[s]
        return cap >= NO_CAP or self.info[s].load + self._tables.load[v] <= cap

    # ------------------------------------------------------------------------- views

    @property
    def tables(self) -> _Tables:
        return self._tables

    def copy_state(self) -> tuple[list[list[int]], list[int]]:
        """(runs, starts) as plain lists, to restore the best plan found later."""
        return [list(r) for r in self.runs], list(self.start)

    def restore(self, state: tuple[list[list[int]], list[int]]) -> None:
        """Make the plan equal to a state taken with ``copy_state``."""
        runs, starts = state
        for s in range(len(self.runs)):
            if self.runs[s]:
                self.set_run(s, [], [])
        for s, run in enumerate(runs):
            if run:
                self.set_run(s, run, [starts[v] for v in run])


class _Tables:
    """Plain-Python copies of the instance arrays the inner loops read (faster than numpy
    element access), per-visit timing relations, and the workers able to take each visit."""

    def __init__(self, inst: Instance):
        mode_minutes = [m.tolist() for m in inst.minutes]
        mode_hm = [m.tolist() for m in inst.hm]
        workers = range(inst.n_workers)
        self.minutes = [mode_minutes[int(inst.mode[w])] for w in workers]
        self.hm = [mode_hm[int(inst.mode[w])] for w in workers]
        self.home = [int(h) for h in inst.home]
        self.place = inst.place.tolist()
        self.duration = inst.duration.tolist()
        self.window = list(zip(inst.earliest.tolist(), inst.latest.tolist()))
        self.required = inst.required.tolist()
        self.load = inst.load.tolist()
        self.preferred = inst.preferred.tolist()
        self.tolerance = inst.tolerance.tolist()
        self.punctual_from = (inst.preferred - inst.tolerance).tolist()
        self.max_load = [int(inst.max_load[inst.shift_worker[s]]) for s in range(inst.n_shifts)]
        self.shift_worker = inst.shift_worker.tolist()
        self.shift_day = inst.shift_day.tolist()
        self.shift_start = inst.shift_start.tolist()
        self.shift_end = inst.shift_end.tolist()
        self.max_day = inst.max_day.tolist()
        self.max_week = inst.max_week.tolist()
        self.guaranteed = inst.guaranteed.tolist()
        self.customer = inst.customer.tolist()
        self.weekend = [int(day in WEEKEND) for day in inst.day.tolist()]  # 1 on a weekend day
        self.penalty = inst.penalty.tolist()
        self.candidates = [c.tolist() for c in inst.candidates]
        self.candidate_workers = [
            frozenset(int(inst.shift_worker[s]) for s in shifts) for shifts in inst.candidates
        ]
        self.before: list[list[tuple[int, int]]] = [[] for _ in range(inst.n_visits)]
        self.after: list[list[tuple[int, int]]] = [[] for _ in range(inst.n_visits)]
        for u, v, delay in inst.precedences:
            self.after[u].append((v, delay))
            self.before[v].append((u, delay))
        # per visit: its start window is its own (single-handed, no timing relations)
        self.own_window = [
            required == 1 and not before and not after
            for required, before, after in zip(self.required, self.before, self.after)
        ]

    def deviation(self, v: int, t: int) -> int:
        """Punctuality minutes of visit v starting at t."""
        return max(0, abs(t - self.preferred[v]) - self.tolerance[v])


def _worker_day_shifts(inst: Instance) -> dict[tuple[int, int], tuple[int, ...]]:
    out: dict[tuple[int, int], list[int]] = defaultdict(list)
    for s in np.argsort(inst.shift_start, kind="stable"):
        out[(int(inst.shift_worker[s]), int(inst.shift_day[s]))].append(int(s))
    return {key: tuple(v) for key, v in out.items()}
