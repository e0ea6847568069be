"""The greedy baseline: "rank the carers, fill the gaps", as care rostering products ship it.

``greedy_rota(caseload) -> Rota`` allocates the week the way the auto-allocation of a
rostering product does it (a coordinator pressing "auto-fill"), with no search and no undo:

1. **Visits in time order**: by preferred start; at the same minute, critical before normal
   before flexible, double-handed before single, then by id.
2. **Candidates**: every *qualified* worker (skills, the customer's gender preference, bans,
   zone, provider) with an availability row on the visit's day that can *hold* the visit:
   a gap in the row's run (between two already placed visits, or before the first / after the
   last) such that the worker gets there from the previous visit (or from home at the row's
   start), still reaches the next visit on time (or gets home by the row's end), and the start
   lies in the visit's hard window. Visits already placed never move. The start is the
   preferred start when that fits, else the nearest minute to it that fits (later when the
   worker cannot be there on time, earlier only when something later forces it).
3. **Caps**: the worker's daily and weekly worked hours (contact + travel, home legs
   included), the day's span, the rest between worked days, the customer's team cap, the
   row's load cap, and the customer's medication spacing (``min_gap_after_min``) all still
   hold after the visit is added.
4. **Ranking** of the candidates, lexicographic: *familiarity* first (the worker already
   serves the customer this week, was in the customer's team in last week's rota, or is their
   named regular), then *proximity* (travel minutes from where the worker would come from:
   the previous visit of the run, or home), then *cost* (pay rate), then worker id.
5. **Take the first that fits.** A double-handed visit takes the best-ranked worker who has a
   partner with a common start, and the best-ranked such partner. When nobody fits, the visit
   is unassigned, with the reasons the candidates were turned away.

Pinned visits (``caseload.pinned``, the project's locked assignments) are placed first, in time
order, with their pinned worker(s) and, when the pin gives one, at the pinned start; the
others follow.

That is the whole algorithm: no look-ahead, no repair, no improvement. It is not a straw man
either: it inserts into gaps rather than only appending, honours every rule of FORMAT.md by
construction, and prefers familiar workers, as the products advertise. The rota it returns
passes ``scheduler.validate.validate``.
"""

from __future__ import annotations

import itertools
import logging
from bisect import bisect_right, insort
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from models import MINUTES_PER_DAY, Assignment, Caseload, Rota, UnassignedVisit, VisitInstance
from models.caseload import Shift, Worker
from models.checks import static_eligible
from scheduler.travel import TravelMatrix, build_travel

logger = logging.getLogger(__name__)

PRIORITY_RANK = {"critical": 0, "normal": 1, "flexible": 2}
"""Order of priorities among visits with the same preferred start."""

EPSILON = 1e-9
"""Float slack on hour and load comparisons."""

Interval = tuple[int, int]
"""A closed range of start minutes (week minutes)."""


@dataclass(order=True)
class _Stop:
    """A placed visit in one worker's run, week minutes."""

    start: int
    end: int
    visit: str = field(compare=False)
    place: int = field(compare=False)
    load: float = field(compare=False)


@dataclass
class _Option:
    """Where a worker could take the visit: a run, a position, the feasible starts."""

    worker: str
    shift: Shift
    position: int
    starts: list[Interval]
    travel_in: int
    """Minutes from the previous place (previous visit or home): the proximity criterion."""
    delta_worked: int
    """Worked minutes the visit adds (contact + change of travel)."""


UNAVAILABLE = "no availability row covering the window"
"""The rejection cause of a qualified worker who does not work at the visit's time."""


class _Rejections(Counter):
    """Why candidates were turned away, by cause; the unassigned reason lists the top ones."""

    def reason(self, instance: VisitInstance, qualified: int) -> str:
        if qualified < instance.workers_required:
            return (f"greedy: {qualified} qualified worker(s) (skills, gender, bans, zone, "
                    f"provider) for {instance.workers_required} needed")
        off = self.get(UNAVAILABLE, 0)
        causes = ", ".join(f"{cause} ({n})" for cause, n in self.most_common()
                           if cause != UNAVAILABLE)
        text = "greedy: no qualified worker fits"
        if causes:
            text += f"; turned away for {causes}"
        if off:
            text += f"; {off} not working then"
        return text


class _Greedy:
    """The allocation state: runs, worked minutes, teams and customer visit times."""

    def __init__(self, caseload: Caseload, travel: TravelMatrix) -> None:
        self.c = caseload
        self.travel = travel
        self.place_index = travel.index  # customer or worker id -> row of the travel matrix
        self.minutes = {mode: m.tolist() for mode, m in travel.minutes.items()}
        self.shifts: dict[tuple[str, int], list[Shift]] = defaultdict(list)
        for shift in caseload.shifts:
            self.shifts[(shift.worker_id, shift.day)].append(shift)
        self.runs: dict[str, list[_Stop]] = defaultdict(list)
        self.worked_day: dict[tuple[str, int], int] = defaultdict(int)
        self.worked_week: dict[str, int] = defaultdict(int)
        self.team: dict[str, set[str]] = defaultdict(set)
        self.customer_times: dict[str, list[tuple[int, int, str, int]]] = defaultdict(list)
        self.familiar: dict[str, set[str]] = defaultdict(set)
        for row in caseload.previous_rota:
            self.familiar[row.customer_id].add(row.worker_id)
        for customer_id, worker_id in caseload.regular_pairs:
            self.familiar[customer_id].add(worker_id)
        self.qualified = self._qualified_workers()
        self.pins: dict[str, list] = defaultdict(list)
        for pin in caseload.pinned:
            self.pins[pin.visit_id].append(pin)

    # ------------------------------------------------------------------------- eligibility

    def _qualified_workers(self) -> dict[str, list[Worker]]:
        """Template id -> workers who may serve it (skills, gender, bans, zone, provider)."""
        return {
            template.visit_id: [w for w in self.c.workers if static_eligible(self.c, template, w)]
            for template in self.c.visits
        }

    # ------------------------------------------------------------------------- helpers

    def leg(self, worker: Worker, a: int, b: int) -> int:
        return self.minutes[worker.transport][a][b]

    def day_bounds(self, worker_id: str, day: int) -> tuple[int, int] | None:
        """(first start, last end) of the worker's day over all its runs, or None."""
        stops = [s for shift in self.shifts.get((worker_id, day), ())
                 for s in self.runs.get(shift.id, ())]
        if not stops:
            return None
        return min(s.start for s in stops), max(s.end for s in stops)

    def neighbour_days(self, worker_id: str, day: int) -> tuple[int | None, int | None]:
        """Last end of the nearest worked day before, first start of the nearest after."""
        before = after = None
        for d in range(day - 1, -1, -1):
            bounds = self.day_bounds(worker_id, d)
            if bounds:
                before = bounds[1]
                break
        for d in range(day + 1, 7):
            bounds = self.day_bounds(worker_id, d)
            if bounds:
                after = bounds[0]
                break
        return before, after

    def gap_intervals(self, v: VisitInstance) -> list[Interval]:
        """Starts in the window that keep the customer's medication spacing (min_gap_after_min).

        The validator checks consecutive visits of the customer in start order: the earlier
        one's end + its gap <= the later one's start. The window is cut at the starts of the
        customer's placed visits; in each piece the neighbours are fixed.
        """
        times = sorted(self.customer_times.get(v.customer_id, ()))
        if not times:
            return [(v.earliest, v.latest)]
        cuts = sorted({t[0] for t in times if v.earliest <= t[0] <= v.latest})
        points = [v.earliest, *cuts, v.latest]
        out: list[Interval] = []
        for lo, hi in itertools.pairwise(points):
            for a, b in ((lo, lo), (lo + 1, hi - 1), (hi, hi)):
                if a > b:
                    continue
                a2, b2 = self._gap_piece(v, times, a, b)
                if a2 <= b2:
                    out.append((a2, b2))
        return _merge(out)

    def _gap_piece(self, v, times, a: int, b: int) -> Interval:
        """Tighten [a, b] (one piece: the same neighbours for every start in it) by them."""
        tied = [t for t in times if t[0] == a]
        if a == b and tied:
            # same start as a placed visit: the validator's order between the two depends on
            # end and id, so any spacing rule on either side cannot hold
            if v.min_gap_after_min or any(t[3] for t in tied):
                return a, a - 1
            return a, b
        i = bisect_right(times, (a, float("inf")))
        if i > 0:
            _, end, _, gap = times[i - 1]
            if gap:
                a = max(a, end + gap)
        if i < len(times) and v.min_gap_after_min:
            b = min(b, times[i][0] - v.duration_min - v.min_gap_after_min)
        return a, b

    # ------------------------------------------------------------------------- options

    def options(self, v: VisitInstance, worker: Worker, place: int, allowed: list[Interval],
                rejected: _Rejections) -> list[_Option]:
        """Every gap of the worker's runs that day that can hold the visit, caps included."""
        wid = worker.worker_id
        c = self.c
        shifts = self.shifts.get((wid, v.day), ())
        fitting = [s for s in shifts
                   if s.start <= v.latest and s.end >= v.earliest + v.duration_min]
        if not fitting:
            rejected[UNAVAILABLE] += 1
            return []
        team = self.team[v.customer_id]
        if wid not in team and len(team) >= c.team_cap(v.customer_id):
            rejected["team cap"] += 1
            return []
        home = self.place_index[wid]
        d = v.duration_min
        day_cap = worker.max_hours_day * 60
        week_cap = worker.max_hours_week * 60
        bounds = self.day_bounds(wid, v.day)
        before, after = self.neighbour_days(wid, v.day)
        span = c.policy.max_shift_span_min
        rest = c.policy.min_rest_between_days_min
        lo_cap, hi_cap = v.earliest, v.latest
        if bounds:
            lo_cap = max(lo_cap, bounds[1] - span)
            hi_cap = min(hi_cap, bounds[0] + span - d)
        if before is not None:
            lo_cap = max(lo_cap, before + rest)
        if after is not None:
            hi_cap = min(hi_cap, after - rest - d)
        out = []
        cause = "no room in the run (other visits, travel)"
        for shift in fitting:
            run = self.runs[shift.id]
            load = sum(s.load for s in run)
            cap = worker.max_load_per_shift
            if cap is not None and load + v.load > cap + EPSILON:
                cause = "load cap"
                continue
            for p in range(len(run) + 1):
                prev_place = home if p == 0 else run[p - 1].place
                prev_end = shift.start if p == 0 else run[p - 1].end
                next_place = home if p == len(run) else run[p].place
                travel_in = self.leg(worker, prev_place, place)
                travel_out = self.leg(worker, place, next_place)
                lo = max(v.earliest, prev_end + travel_in)
                hi = (shift.end if p == len(run) else run[p].start) - travel_out - d
                hi = min(hi, v.latest)
                if lo > hi:
                    continue
                delta = d + travel_in + travel_out - self.leg(worker, prev_place, next_place)
                if self.worked_day[(wid, v.day)] + delta > day_cap + EPSILON:
                    cause = "daily hours cap"
                    continue
                if self.worked_week[wid] + delta > week_cap + EPSILON:
                    cause = "weekly hours cap"
                    continue
                lo2, hi2 = max(lo, lo_cap), min(hi, hi_cap)
                if lo2 > hi2:
                    cause = "span or rest between days"
                    continue
                starts = _intersect([(lo2, hi2)], allowed)
                if not starts:
                    cause = "medication spacing"
                    continue
                out.append(_Option(wid, shift, p, starts, travel_in, delta))
        if not out:
            rejected[cause] += 1
        return out

    # ------------------------------------------------------------------------- allocation

    def rank_key(self, v: VisitInstance, option: _Option) -> tuple:
        wid = option.worker
        familiar = wid in self.team[v.customer_id] or wid in self.familiar[v.customer_id]
        return (not familiar, option.travel_in, self.c.pay_rate(wid), wid)

    def allocate(self, v: VisitInstance) -> str | None:
        """Place the visit; None on success, else the unassigned reason."""
        qualified = self.qualified[v.template_id]
        rejected = _Rejections()
        if len(qualified) < v.workers_required:
            return rejected.reason(v, len(qualified))
        place = self.place_index[v.customer_id]
        allowed = self.gap_intervals(v)
        pinned = {pin.worker_id for pin in self.pins.get(v.id, ())}
        for pin in self.pins.get(v.id, ()):
            if pin.start is not None:
                at = v.day * MINUTES_PER_DAY + pin.start
                allowed = _intersect(allowed, [(at, at)])
        if pinned:
            qualified = [w for w in qualified if w.worker_id in pinned or
                         len(pinned) < v.workers_required]
        if not allowed:
            return "greedy: the customer's medication spacing leaves no start in the window"
        gaps: dict[str, list[_Option]] = {}
        for worker in qualified:
            opts = self.options(v, worker, place, allowed, rejected)
            if opts:  # the worker's gaps, best first: start closest to preferred, least travel
                opts.sort(key=lambda o: (_distance(o.starts, v.preferred_start), o.travel_in))
                gaps[worker.worker_id] = opts
        ranked = sorted(gaps, key=lambda w: (w not in pinned, self.rank_key(v, gaps[w][0])))
        if not pinned <= set(ranked):
            return f"greedy: pinned worker(s) {', '.join(sorted(pinned - set(ranked)))} cannot fit"
        if v.workers_required == 1:
            if not ranked:
                return rejected.reason(v, len(qualified))
            first = gaps[ranked[0]][0]
            self.place(v, [first], _closest(first.starts, v.preferred_start))
            return None
        cap = self.c.team_cap(v.customer_id)
        team = self.team[v.customer_id]
        for i, wa in enumerate(ranked):
            for wb in ranked[i + 1:]:
                new = (wa not in team) + (wb not in team)
                if len(team) + new > cap or not pinned <= {wa, wb}:
                    continue
                for a in gaps[wa]:
                    for b in gaps[wb]:
                        common = _intersect(a.starts, b.starts)
                        if common:
                            self.place(v, [a, b], _closest(common, v.preferred_start))
                            return None
        if len(ranked) >= 2:
            rejected["no second worker at the same start (or team cap)"] += 1
        elif ranked:
            rejected["only one worker fits"] += 1
        return rejected.reason(v, len(qualified))

    def place(self, v: VisitInstance, options: list[_Option], start: int) -> None:
        end = start + v.duration_min
        place = self.place_index[v.customer_id]
        for option in options:
            insort(self.runs[option.shift.id], _Stop(start, end, v.id, place, v.load))
            self.worked_day[(option.worker, v.day)] += option.delta_worked
            self.worked_week[option.worker] += option.delta_worked
            self.team[v.customer_id].add(option.worker)
        insort(self.customer_times[v.customer_id], (start, end, v.id, v.min_gap_after_min))

    # ------------------------------------------------------------------------- output

    def rota(self, unassigned: list[UnassignedVisit]) -> Rota:
        rows = []
        km = self.travel.km
        for shift in self.c.shifts:
            run = self.runs.get(shift.id)
            if not run:
                continue
            worker = self.c.worker_by_id[shift.worker_id]
            here = self.place_index[worker.worker_id]
            base = shift.day * MINUTES_PER_DAY
            for stop in run:
                rows.append(Assignment(
                    visit_id=stop.visit,
                    customer_id=self.c.instance_by_id[stop.visit].customer_id,
                    worker_id=worker.worker_id,
                    day=shift.day,
                    start=stop.start - base,
                    end=stop.end - base,
                    travel_min=self.leg(worker, here, stop.place),
                    travel_km=round(float(km[worker.transport][here, stop.place]), 3),
                ))
                here = stop.place
        return Rota(assignments=tuple(rows), unassigned=tuple(unassigned))


def _merge(intervals: list[Interval]) -> list[Interval]:
    out: list[Interval] = []
    for a, b in sorted(intervals):
        if out and a <= out[-1][1] + 1:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def _intersect(xs: list[Interval], ys: list[Interval]) -> list[Interval]:
    out = []
    for a, b in xs:
        for c, d in ys:
            lo, hi = max(a, c), min(b, d)
            if lo <= hi:
                out.append((lo, hi))
    return _merge(out)


def _closest(intervals: list[Interval], target: int) -> int:
    """The start in the intervals nearest the target (the earlier one on a tie)."""
    return min((min(max(target, a), b) for a, b in intervals),
               key=lambda t: (abs(t - target), t))


def _distance(intervals: list[Interval], target: int) -> int:
    return abs(_closest(intervals, target) - target)


def visit_order(caseload: Caseload) -> list[VisitInstance]:
    """The greedy's processing order: pinned visits first, then time order, priority,
    double-handed first, id."""
    pinned = {pin.visit_id for pin in caseload.pinned}
    return sorted(caseload.instances, key=lambda v: (
        v.id not in pinned, v.preferred_start, PRIORITY_RANK.get(v.priority, 1),
        -v.workers_required, v.id))


def greedy_rota(caseload: Caseload, *, travel: TravelMatrix | None = None) -> Rota:
    """Allocate the week greedily (see the module docstring).

    Parameters
    ----------
    caseload
        The validated caseload.
    travel
        Its travel matrix (``build_travel(caseload)``); built when None.

    Returns
    -------
    Rota
        Every visit instance assigned (rows with the leg that brought the worker) or
        unassigned with the reasons its candidates were turned away. Valid by construction.
    """
    state = _Greedy(caseload, travel if travel is not None else build_travel(caseload))
    unassigned = []
    for v in visit_order(caseload):
        reason = state.allocate(v)
        if reason is not None:
            unassigned.append(UnassignedVisit(
                visit_id=v.id, customer_id=v.customer_id, day=v.day,
                start=v.preferred_start - v.day * MINUTES_PER_DAY, reason=reason))
    rota = state.rota(unassigned)
    logger.info("greedy: %d of %d visits placed", len(caseload.instances) - len(unassigned),
                len(caseload.instances))
    return rota
