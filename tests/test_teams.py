"""Team planning: the team chosen before a customer's visits are placed must be able to cover
all of them within the team cap, double-handed visits included."""

from __future__ import annotations

from scheduler.plan import Plan
from scheduler.prepare import prepare
from scheduler.teams import able_workers, available_minutes, planned_team
from tests.builders import caseload, customer, shift, solve_heuristic, visit, worker


def morning_and_evening_pair():
    """C1 (team cap 2): a long morning visit and a double-handed evening one. A lives next
    door but works mornings only; B and C live 30 km (an hour) away and work all day. The
    greedy pick (most minutes per hour of travel) is A then B, which leaves the evening visit
    one worker short; only {B, C} covers every visit."""
    return caseload(
        customers=[customer("C1", km=0, max_team_size=2)],
        visits=[
            visit("V1", "C1", "08:00", 120),
            visit("V2", "C1", "20:00", 60, workers_required=2),
        ],
        workers=[worker("A", km=0), worker("B", km=30), worker("C", km=30)],
        availability=[shift("A", "07:00", "12:00"), shift("B", "06:00", "23:00"),
                      shift("C", "06:00", "23:00")],
    )


def test_planned_team_covers_the_double_handed_visit_within_the_cap():
    inst = prepare(morning_and_evening_pair())
    plan = Plan(inst)
    team = planned_team(plan, 0, able_workers(plan, 0), [0.0] * inst.n_workers,
                        available_minutes(inst))
    assert sorted(inst.worker_ids[w] for w in team) == ["B", "C"]


def test_construction_places_every_visit_with_the_covering_team():
    rota, _ = solve_heuristic(morning_and_evening_pair())
    assert not rota.unassigned
    assert sorted({a.worker_id for a in rota.assignments}) == ["B", "C"]


def test_a_team_that_already_covers_everything_is_kept_small():
    """Without the evening visit the nearest worker alone is the team (no spare members)."""
    c = morning_and_evening_pair()
    c = c.model_copy(update={"visits": c.visits[:1]})
    rota, _ = solve_heuristic(c)
    assert [a.worker_id for a in rota.assignments] == ["A"]
