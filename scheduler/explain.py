"""Why a visit is unassigned, in words a coordinator can act on.

``unassigned_reason(plan, v)`` (used by the engine when it writes unassigned.csv): the first
reason that applies wins: no worker may do it at all (skills, gender preference, provider, zone,
bans); no eligible worker's run covers its window with travel; the customer's team is at its
cap (what each member is doing then, and how many others are on duty); or capacity is
exhausted then (the competing visits are named).

For a finished rota (ours or another tool's), ``plan_from_rota`` rebuilds the engine's Plan from
the rota rows and ``explain_visit`` checks every worker against one visit, rule by rule: the
eligibility rules, availability and the window with travel, then the visit tried at every place
in the worker's runs (team cap, overlapping visits, travel between neighbours, the customer's
minimum gaps, hours per day and week, span, rest, load). ``explanation_text`` and
``rota_explanation_text`` (objective by term, every unassigned visit with its reason) print them.
No solve is run.
"""

from __future__ import annotations

from dataclasses import dataclass

from models import DAYS, Caseload, Rota
from models.base import format_clock, format_week_time
from models.objective import resolve_weights
from scheduler.insertion import options
from scheduler.plan import Plan
from scheduler.prepare import Instance, prepare
from scheduler.runs import build_runs
from scheduler.travel import TravelMatrix, build_travel
from scheduler.validate import objective

NAMED = 3
"""Workers named in a capacity reason."""


def unassigned_reason(plan: Plan, v: int) -> str:
    """One sentence on why visit v is not in the rota."""
    inst = plan.inst
    need = int(inst.required[v])
    eligible = [int(w) for w in inst.eligible[v].nonzero()[0]]
    when = _window(plan, v)
    if len(eligible) < need:
        return _no_eligible(plan, v, eligible)
    workers_with_shift = {int(inst.shift_worker[s]) for s in inst.candidates[v]}
    if len(workers_with_shift) < need:
        names = ", ".join(inst.worker_ids[w] for w in eligible[:5])
        return (
            f"window too narrow for any eligible worker's run: none of {names} is available "
            f"{when} with travel from home and back"
        )
    c = int(inst.customer[v])
    if len(plan.team[c]) >= int(inst.team_cap[c]):
        return _team_full(plan, v, workers_with_shift, when)
    blocks = [b for b in dict.fromkeys(_blocker(plan, v, int(s)) for s in inst.candidates[v]) if b]
    named = "; ".join(blocks[:NAMED])
    if len(blocks) > NAMED:
        named += f"; and {len(blocks) - NAMED} more"
    return f"capacity exhausted {when}: {named or 'no run has room with travel'}"


def _team_full(plan: Plan, v: int, workers_with_shift: set[int], when: str) -> str:
    """Visit v's customer's team is at its cap: what each member is doing ``when`` (v's window,
    as text), and how many other eligible workers are on duty then."""
    inst = plan.inst
    c = int(inst.customer[v])
    team = plan.team[c]
    members = ", ".join(sorted(inst.worker_ids[w] for w in team))
    need = int(inst.required[v])
    text = (f"team cap reached: {inst.customer_ids[c]} already has {len(team)} "
            f"worker{'s' if len(team) > 1 else ''} ({members}), its cap, and the visit needs "
            f"{need}")
    statuses = []
    off = sorted(inst.worker_ids[w] for w in team if w not in workers_with_shift)
    if off:
        statuses.append(f"{_names(off)} {'is' if len(off) == 1 else 'are'} not available {when}")
    seen = set()
    for s in inst.candidates[v]:
        w = int(inst.shift_worker[s])
        if w in team and w not in seen:
            seen.add(w)
            statuses.append(_member_status(plan, v, int(s)))
    text += ": " + "; ".join(statuses)
    others = len(workers_with_shift - set(team))
    if others:
        text += (f"; {others} other worker{'s' if others > 1 else ''} on duty then "
                 f"{'is' if others == 1 else 'are'} outside the team")
    return text


def _member_status(plan: Plan, v: int, s: int) -> str:
    """A team member's shift against visit v: on it, free, or what keeps them from it."""
    name = plan.inst.worker_ids[int(plan.inst.shift_worker[s])]
    if s in plan.rows[v]:
        return f"{name} is on it"
    if options(plan, v, shifts=[s]):
        return f"{name} is free"
    return _blocker(plan, v, s)


def _names(ids: list[str]) -> str:
    return ids[0] if len(ids) == 1 else ", ".join(ids[:-1]) + " and " + ids[-1]


def _window(plan: Plan, v: int) -> str:
    inst = plan.inst
    lo, hi = int(inst.earliest[v]), int(inst.latest[v])
    end = hi + int(inst.duration[v])
    return f"{format_week_time(lo)}-{format_clock(end % 1440)}"


def _no_eligible(plan: Plan, v: int, eligible: list[int]) -> str:
    inst = plan.inst
    need = int(inst.required[v])
    c = inst.customer_ids[int(inst.customer[v])]
    if eligible:
        names = ", ".join(inst.worker_ids[w] for w in eligible)
        return (
            f"needs {need} workers but only {names} may serve {c} "
            "(skills, gender preference, zone, provider and bans considered)"
        )
    return (
        f"no worker may serve {c} on this visit: none meets its skills, the customer's gender "
        "preference, zone, provider and bans together"
    )


def _blocker(plan: Plan, v: int, s: int) -> str:
    """What stops shift s's worker from taking visit v."""
    inst = plan.inst
    w = int(inst.shift_worker[s])
    name = inst.worker_ids[w]
    if w in plan.workers_of(v):
        return ""
    if not plan.team_allows(v, w):
        return f"{name} would exceed {inst.customer_ids[int(inst.customer[v])]}'s team cap"
    if not plan.load_allows(s, v):
        return f"{name}'s run is at its load cap"
    lo = int(inst.earliest[v])
    hi = int(inst.latest[v]) + int(inst.duration[v])
    busy = [
        u for u in plan.runs[s]
        if plan.start[u] < hi and plan.start[u] + int(inst.duration[u]) > lo
    ]
    if busy:
        return f"{name} is at {_visit_text(plan, busy[0])}"
    day = int(inst.shift_day[s])
    if plan.worked_day[(w, day)] + int(inst.duration[v]) > inst.max_day[w]:
        return f"{name} would exceed max hours that day"
    if plan.worked_week[w] + int(inst.duration[v]) > inst.max_week[w]:
        return f"{name} would exceed max hours in the week"
    return f"{name}'s neighbouring visits leave no time for the travel"


# ============================================================================= explaining a rota
#
# Everything below explains a finished rota (ours or another tool's): the engine's Plan is
# rebuilt from the rota rows, then each worker is checked against one visit rule by rule.


@dataclass(frozen=True)
class Blocker:
    """One rule that stops a worker from taking a visit.

    Attributes
    ----------
    rule
        ``skill``, ``gender``, ``ban``, ``zone``, ``provider`` (who may serve the customer);
        ``availability`` (no availability row around the window), ``window`` (an availability
        row, but travel from home and back does not fit), ``load`` (the visit alone is over the
        shift's load cap); ``team_cap``, ``overlap``, ``travel`` (neighbouring visits leave no
        time to get there), ``min_gap`` (the customer's other visits), ``hours_day``,
        ``hours_week``, ``span``, ``rest`` (the worker's other visits in the rota).
    message
        The reason in a coordinator's words, naming the worker, visits and times involved.
    visits
        Ids of the visits involved (the overlapping or neighbouring ones), if any.
    """

    rule: str
    message: str
    visits: tuple[str, ...] = ()


@dataclass(frozen=True)
class WorkerCheck:
    """One worker against one visit: on it, free to take it, or blocked (and by what).

    ``start`` is the visit's start (minutes from Monday 00:00) the worker is on it at, or could
    take it at when free; None when blocked.
    """

    worker_id: str
    blockers: tuple[Blocker, ...] = ()
    start: int | None = None
    assigned: bool = False

    @property
    def free(self) -> bool:
        """Not on the visit and nothing blocks the worker from taking it."""
        return not self.assigned and not self.blockers


@dataclass(frozen=True)
class VisitExplanation:
    """Why a visit is (or is not) where it is in a rota.

    ``status`` is ``assigned``, ``unassigned`` or ``missing`` (in neither file of the rota);
    ``recorded_reason`` is unassigned.csv's reason, ``engine_reason`` the engine's own analysis
    (``unassigned_reason``) for a visit with no rows; ``checks`` has every worker in caseload
    order.
    """

    visit_id: str
    status: str
    workers: tuple[str, ...]
    recorded_reason: str
    engine_reason: str
    checks: tuple[WorkerCheck, ...]


def plan_from_rota(
    caseload: Caseload,
    rota: Rota,
    inst: Instance | None = None,
    *,
    travel: TravelMatrix | None = None,
    without: frozenset[str] = frozenset(),
) -> Plan:
    """The engine's Plan of a rota: each shift's run and start times taken from the rota rows.

    Parameters
    ----------
    caseload, rota
        The plan and its rota (any valid rota in FORMAT.md's format).
    inst
        ``prepare(caseload, travel)`` when the caller has it.
    travel
        The caseload's travel matrix; built when None.
    without
        Visit instance ids whose rows are left out (to ask "who else could take it").

    Returns
    -------
    Plan
        Runs as the rota has them (not re-checked). Rows inside none of the worker's
        availability rows, with unknown ids, or repeated, have no place in a Plan and are left
        out (the validator reports them).
    """
    travel = travel if travel is not None else build_travel(caseload)
    inst = inst if inst is not None else prepare(caseload, travel)
    plan = Plan(inst)
    shift_index = {shift_id: s for s, shift_id in enumerate(inst.shift_ids)}
    visit_index = {visit_id: v for v, visit_id in enumerate(inst.visit_ids)}
    for run in build_runs(caseload, rota, travel):
        stops = [stop for stop in run.stops if stop.visit_id not in without]
        if run.shift is None or not stops:
            continue
        plan.set_run(shift_index[run.shift.id], [visit_index[st.visit_id] for st in stops],
                     [st.start for st in stops])
    return plan


def explain_visit(
    caseload: Caseload, rota: Rota, visit_id: str, *, travel: TravelMatrix | None = None
) -> VisitExplanation:
    """Every worker against one visit of a rota: on it, free to take it, or what blocks them.

    The other visits stay where the rota has them; the visit's own rows are set aside first,
    so for an assigned visit the checks answer "who else could take it".

    Raises
    ------
    KeyError
        When ``visit_id`` is not a visit instance of the caseload.
    """
    instance = caseload.instance_by_id[visit_id]
    travel = travel if travel is not None else build_travel(caseload)
    inst = prepare(caseload, travel)
    plan = plan_from_rota(caseload, rota, inst, travel=travel, without=frozenset({visit_id}))
    v = inst.visit_ids.index(visit_id)
    rows = {row.worker_id: row for row in rota.assignments if row.visit_id == visit_id}
    recorded = next((u.reason for u in rota.unassigned if u.visit_id == visit_id), "")
    checks = []
    for w, worker in enumerate(caseload.workers):
        row = rows.get(worker.worker_id)
        if row is not None:
            start = instance.day * 1440 + row.start
            checks.append(WorkerCheck(worker.worker_id, start=start, assigned=True))
        else:
            checks.append(worker_check(caseload, plan, v, w))
    status = "assigned" if rows else "unassigned" if recorded else "missing"
    return VisitExplanation(
        visit_id=visit_id,
        status=status,
        workers=tuple(sorted(rows)),
        recorded_reason=recorded,
        engine_reason="" if rows else unassigned_reason(plan, v),
        checks=tuple(checks),
    )


def worker_check(caseload: Caseload, plan: Plan, v: int, w: int) -> WorkerCheck:
    """Worker w against visit v of a plan (v has no rows in it): the blockers, or a start."""
    instance = caseload.instance_by_id[plan.inst.visit_ids[v]]
    worker = caseload.workers[w]
    blockers = eligibility_blockers(caseload, instance, worker)
    if blockers:
        return WorkerCheck(worker.worker_id, tuple(blockers))
    shifts = plan.worker_day_shifts.get((w, int(plan.inst.day[v])), ())
    fitting = [s for s in shifts if _fits_alone(plan, v, s)]
    if not fitting:
        return WorkerCheck(worker.worker_id, tuple(_availability_blockers(plan, v, w)))
    start, found = _best_insertion(plan, v, fitting)
    if not plan.team_allows(v, w):
        found = [_team_blocker(caseload, plan, v), *found]
    return WorkerCheck(worker.worker_id, tuple(found), start=None if found else start)


# ----------------------------------------------------------------------------- eligibility


def eligibility_blockers(caseload: Caseload, instance, worker) -> list[Blocker]:
    """Who may serve the customer at all: skills, gender preference, bans, zones, provider
    (the rules of ``scheduler.prepare.eligibility``), each broken rule once."""
    customer = caseload.customer_by_id[instance.customer_id]
    whom = _customer_name(customer)
    out = []
    missing = [s for s in instance.skills if s not in worker.skills]
    if missing:
        out.append(Blocker("skill", f"lacks {', '.join(missing)}"))
    if customer.gender_preference and worker.gender != customer.gender_preference:
        out.append(Blocker("gender", f"{whom} wants {customer.gender_preference} workers; this "
                                     f"worker is {worker.gender or 'of unrecorded gender'}"))
    if (customer.customer_id, worker.worker_id) in caseload.banned_pairs:
        out.append(Blocker("ban", f"banned by {whom}"))
    if worker.zones and customer.zone and customer.zone not in worker.zones:
        out.append(Blocker("zone", f"works zone{'s' if len(worker.zones) > 1 else ''} "
                                   f"{', '.join(worker.zones)}; {whom} is in {customer.zone}"))
    if customer.provider and worker.provider != customer.provider:
        out.append(Blocker("provider", f"works for {worker.provider or 'no provider'}; {whom} "
                                       f"must be served by {customer.provider}"))
    return out


def _worker_name(worker) -> str:
    return f"{worker.name} ({worker.worker_id})" if worker.name else worker.worker_id


def _customer_name(customer) -> str:
    return f"{customer.name} ({customer.customer_id})" if customer.name else customer.customer_id


# ----------------------------------------------------------------------------- availability


def _travel_out_back(plan: Plan, v: int, s: int) -> tuple[int, int]:
    """Minutes from the shift's worker's home to visit v, and back."""
    inst, tables = plan.inst, plan.tables
    w = int(inst.shift_worker[s])
    home, place = tables.home[w], tables.place[v]
    return tables.minutes[w][home][place], tables.minutes[w][place][home]


def _fits_alone(plan: Plan, v: int, s: int) -> bool:
    """Shift s could hold visit v on its own: reachable in the window from home, home by the
    end, within the day's and week's hour caps and the load cap."""
    inst = plan.inst
    out, back = _travel_out_back(plan, v, s)
    arrive = int(inst.shift_start[s]) + out
    begin = max(arrive, int(inst.earliest[v]))
    worked = out + int(inst.duration[v]) + back
    w = int(inst.shift_worker[s])
    return (arrive <= inst.latest[v] and begin + inst.duration[v] + back <= inst.shift_end[s]
            and worked <= inst.max_day[w] and worked <= inst.max_week[w]
            and plan.tables.load[v] <= plan.tables.max_load[s])


def _availability_blockers(plan: Plan, v: int, w: int) -> list[Blocker]:
    inst = plan.inst
    day = int(inst.day[v])
    shifts = plan.worker_day_shifts.get((w, day), ())
    window = _window(plan, v)
    if not shifts:
        return [Blocker("availability", f"not available on {DAYS[day]}")]
    hours = ", ".join(f"{format_clock(int(inst.shift_start[s]) % 1440)}-"
                      f"{format_clock(int(inst.shift_end[s]) - day * 1440)}" for s in shifts)
    lo, hi = int(inst.earliest[v]), int(inst.latest[v]) + int(inst.duration[v])
    if not any(inst.shift_start[s] < hi and lo < inst.shift_end[s] for s in shifts):
        return [Blocker("availability", f"available {hours} only; the visit needs {window}")]
    if plan.tables.load[v] > min(plan.tables.max_load[s] for s in shifts):
        return [Blocker("load", "load cap per shift is below this visit's load")]
    out, back = _travel_out_back(plan, v, shifts[0])
    worked = out + int(inst.duration[v]) + back
    if worked > inst.max_day[w] or worked > inst.max_week[w]:
        return [Blocker("hours_day", "hour cap is below this visit with its travel")]
    return [Blocker("window", f"available {hours}, but with travel from home ({out} min) and "
                              f"back ({back} min) cannot fit the visit's {window}")]


# ----------------------------------------------------------------------------- in the plan


def _best_insertion(plan: Plan, v: int, shifts: list[int]) -> tuple[int | None, list[Blocker]]:
    """(start, []) for the first position in the worker's runs that breaks no rule; otherwise
    (None, the blockers of the position that breaks the fewest)."""
    best: list[Blocker] | None = None
    for s in shifts:
        run = plan.runs[s]
        for position in range(len(run) + 1):
            trial = [*run[:position], v, *run[position:]]
            starts = plan.schedule(s, trial)
            if starts is None:
                continue
            broken = _rules_broken(plan, s, trial, starts)
            if not broken:
                return starts[position], []
            if best is None or len(broken) < len(best):
                best = broken
    if best is not None:
        return None, best
    return None, _timing_blockers(plan, v, shifts)


def _rules_broken(plan: Plan, s: int, trial: list[int], starts: list[int]) -> list[Blocker]:
    """The worker's rules the trial run breaks (hours, span, rest, load, min gap)."""
    inst = plan.inst
    w, day = int(inst.shift_worker[s]), int(inst.shift_day[s])
    plan.begin()
    try:
        plan.set_run(s, trial, starts)
        out = []
        if plan.worked_week[w] > inst.max_week[w]:
            out.append(Blocker("hours_week", f"would work {_hm(plan.worked_week[w])} this week; "
                                             f"cap {_hm(int(inst.max_week[w]))}"))
        if plan.worked_day[(w, day)] > inst.max_day[w]:
            out.append(Blocker("hours_day", f"would work {_hm(plan.worked_day[(w, day)])} on "
                                            f"{DAYS[day]}; cap {_hm(int(inst.max_day[w]))}"))
        out += _span_rest(plan, w, day)
        if plan.info[s].load > plan.tables.max_load[s]:
            out.append(Blocker("load", "the run would pass the worker's load cap"))
        if not plan.precedences_ok(trial):
            out.append(Blocker("min_gap", "the customer's visits would be too close together "
                                          "(min_gap_after_min)"))
        return out
    finally:
        plan.rollback()


def _span_rest(plan: Plan, w: int, day: int) -> list[Blocker]:
    inst, out = plan.inst, []
    bounds = plan.day_bounds(w, day)
    if bounds is None:
        return out
    if bounds[1] - bounds[0] > inst.max_span:
        out.append(Blocker("span", f"{DAYS[day]} would span {_hm(bounds[1] - bounds[0])} from "
                                   f"first start to last end; cap {_hm(inst.max_span)}"))
    for other in (day - 1, day + 1):
        near = plan.day_bounds(w, other)
        if near is None:
            continue
        gap = bounds[0] - near[1] if other < day else near[0] - bounds[1]
        if gap < inst.min_rest:
            first, then = DAYS[min(day, other)], DAYS[max(day, other)]
            out.append(Blocker("rest", f"would rest only {_hm(gap)} between {first} and {then}; "
                                       f"minimum {_hm(inst.min_rest)}"))
    return out


def _timing_blockers(plan: Plan, v: int, shifts: list[int]) -> list[Blocker]:
    """Why no position in the worker's runs has time for visit v: the customer's other visits
    (min gap), visits overlapping the window, or the travel between neighbouring visits."""
    inst = plan.inst
    lo, hi = plan.windows(v, set(), {})
    if lo > hi:
        others = _customer_neighbours(plan, v)
        return [Blocker("min_gap", f"the customer's other visits ({', '.join(others)}) leave no "
                                   "start in the window (min_gap_after_min)", tuple(others))]
    end = hi + int(inst.duration[v])
    runs = [u for s in shifts for u in plan.runs[s]]
    busy = [u for u in runs if plan.start[u] < end and lo < plan.start[u] + int(inst.duration[u])]
    if busy:
        return [Blocker("overlap", f"at {_visit_text(plan, u)}", (inst.visit_ids[u],))
                for u in busy]
    before = [u for u in runs if plan.start[u] < lo]
    after = [u for u in runs if plan.start[u] >= end]
    near = [inst.visit_ids[u] for u in (before[-1:] + after[:1])]
    return [Blocker("travel", f"neighbouring visits ({', '.join(near) or 'none'}) leave no "
                              "time for the travel", tuple(near))]


def _customer_neighbours(plan: Plan, v: int) -> list[str]:
    inst = plan.inst
    tables = plan.tables
    linked = [u for u, _ in tables.before[v]] + [x for x, _ in tables.after[v]]
    return [inst.visit_ids[u] for u in linked if plan.rows[u]]


def _team_blocker(caseload: Caseload, plan: Plan, v: int) -> Blocker:
    inst = plan.inst
    c = int(inst.customer[v])
    team = sorted(inst.worker_ids[x] for x in plan.team[c])
    customer = caseload.customer_by_id[inst.customer_ids[c]]
    return Blocker("team_cap", f"not in {_customer_name(customer)}'s team, which is full "
                               f"({len(team)} of {int(inst.team_cap[c])}: {', '.join(team)})")


def _visit_text(plan: Plan, u: int) -> str:
    inst = plan.inst
    start, end = plan.start[u], plan.start[u] + int(inst.duration[u])
    return (f"{inst.visit_ids[u]} ({inst.customer_ids[int(inst.customer[u])]}) "
            f"{format_clock(start % 1440)}-{format_clock(end - (start // 1440) * 1440)}")


def _hm(minutes: int) -> str:
    return f"{minutes // 60}h{minutes % 60:02d}"


# ----------------------------------------------------------------------------- text


def explanation_text(caseload: Caseload, explanation: VisitExplanation) -> str:
    """The explanation of one visit as lines for a terminal: the visit, its status, then every
    worker (on it, free, or blocked with every blocker)."""
    instance = caseload.instance_by_id[explanation.visit_id]
    customer = caseload.customer_by_id[instance.customer_id]
    needs = f", needs {', '.join(instance.skills)}" if instance.skills else ""
    lines = [
        f"{instance.id}  {_customer_name(customer)}  {DAYS[instance.day]} "
        f"{format_clock(instance.preferred_start % 1440)} ({instance.duration_min} min, "
        f"start {format_clock(instance.earliest % 1440)}-{format_clock(instance.latest % 1440)}, "
        f"{instance.workers_required} worker{'s' if instance.workers_required > 1 else ''}, "
        f"{instance.priority}{needs})",
        _status_line(explanation),
    ]
    if explanation.engine_reason and explanation.engine_reason != explanation.recorded_reason:
        lines.append(f"  analysis: {explanation.engine_reason}")
    width = max((len(_worker_name(w)) for w in caseload.workers), default=0)
    lines.append("workers:")
    for check in sorted(explanation.checks, key=_check_order):
        name = _worker_name(caseload.worker_by_id[check.worker_id])
        lines.append(f"  {name:<{width}}  {_check_text(check)}")
    free = [c.worker_id for c in explanation.checks if c.free]
    lines.append(f"free to take it now: {', '.join(free) or 'nobody'}")
    if instance.workers_required > 1:
        lines.append(f"  (it needs {instance.workers_required} workers at one start; each worker "
                     "is checked alone, so a common start and the team cap for both together "
                     "still have to be found)")
    return "\n".join(lines)


def _status_line(explanation: VisitExplanation) -> str:
    if explanation.status == "assigned":
        return f"assigned to {', '.join(explanation.workers)}"
    if explanation.status == "unassigned":
        return f"unassigned: {explanation.recorded_reason}"
    return "in neither rota.csv nor unassigned.csv (an invalid rota)"


def _check_order(check: WorkerCheck) -> int:
    return 0 if check.assigned else 1 if check.free else 2


def _check_text(check: WorkerCheck) -> str:
    if check.assigned:
        return f"on this visit at {format_week_time(check.start)}"
    if check.free:
        return f"free: could take it at {format_week_time(check.start)}"
    return "; ".join(f"{b.rule}: {b.message}" for b in check.blockers)


def rota_explanation_text(caseload: Caseload, rota: Rota) -> str:
    """The whole rota: its objective broken down by term, then every unassigned visit with the
    reason unassigned.csv gives (and the engine's own analysis when it differs)."""
    travel = build_travel(caseload)
    total, breakdown = objective(caseload, rota, travel=travel)
    lines = [f"objective {total:,} points"]
    weights = resolve_weights(caseload.weights)
    for term, points in breakdown.items():
        quantity = points // weights[term] if weights[term] else 0
        lines.append(f"  {term:<20} {points:>12,}  ({quantity:,} x {weights[term]:,})")
    lines.append(f"unassigned visits: {len(rota.unassigned)}")
    plan = plan_from_rota(caseload, rota, travel=travel) if rota.unassigned else None
    index = {visit_id: v for v, visit_id in enumerate(plan.inst.visit_ids)} if plan else {}
    for u in sorted(rota.unassigned, key=lambda u: (u.day, u.start, u.visit_id)):
        instance = caseload.instance_by_id.get(u.visit_id)
        priority = instance.priority if instance else "?"
        lines.append(f"  {u.visit_id} {u.customer_id} {DAYS[u.day]} {format_clock(u.start)} "
                     f"[{priority}]: {u.reason}")
        if u.visit_id in index and not plan.rows[index[u.visit_id]]:
            analysis = unassigned_reason(plan, index[u.visit_id])
            if analysis != u.reason:
                lines.append(f"      analysis: {analysis}")
    return "\n".join(lines)
