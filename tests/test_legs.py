"""A search of one process in legs (scheduler/legs.py): between legs, while a visit a full
team keeps out is left out, the teams are re-formed; the best plan is kept; a caseload where
no such visit can arise is searched in one leg."""

from __future__ import annotations

import random
import time
from typing import ClassVar

from scheduler import legs
from scheduler.extract import to_rota
from scheduler.lns import Limits, Search
from scheduler.plan import Plan
from scheduler.prepare import prepare
from scheduler.validate import validate
from tests.builders import caseload, customer, shift, visit, worker
from tests.test_reform import stuck_case


class IdleSearch(Search):
    """A search that finds no move: it waits for its deadline with the plan as it was."""

    legs_run: ClassVar[list[tuple[float, float]]] = []
    reform_ahead: ClassVar[list[bool]] = []
    reformed_out: ClassVar[list[frozenset[int]]] = []

    def run(self) -> None:
        IdleSearch.legs_run.append(self.limits.cooling)
        IdleSearch.reform_ahead.append(self.limits.reform_ahead)
        IdleSearch.reformed_out.append(self.limits.reformed_out)
        self.best_objective, self.best_state = self.plan.objective(), self.plan.copy_state()
        time.sleep(max(0.0, self.limits.deadline - time.monotonic()))


def _idle_search_in_legs(plan: Plan, monkeypatch, caplog) -> Plan:
    """search_in_legs for 2 s with IdleSearch (its legs recorded afresh), logs captured."""
    monkeypatch.setattr(legs, "Search", IdleSearch)
    IdleSearch.legs_run, IdleSearch.reform_ahead, IdleSearch.reformed_out = [], [], []
    caplog.set_level("INFO")
    limits = Limits(deadline=time.monotonic() + 2.0, log_every_s=None)
    return legs.search_in_legs(plan, random.Random(1), limits, seed=1)


def test_a_reform_between_legs_places_what_the_search_could_not(monkeypatch, caplog):
    """stuck_case's D-Tue is kept out by A's full team; with a search that moves nothing, only
    the reform after the first leg can place it, and the plan it leaves is kept."""
    c, plan, _visit_at, _ = stuck_case()
    best = _idle_search_in_legs(plan, monkeypatch, caplog)
    assert best.unassigned_visits() == []
    assert "re-formed" in caplog.text
    assert validate(c, to_rota(best, c)) == []
    first, then = IdleSearch.legs_run  # one leg, a reform, and the rest as one leg
    assert first[0] < 0.01 and 0.2 < first[1] < 0.3  # a quarter of the schedule
    assert then[1] == 1.0
    assert IdleSearch.reform_ahead == [True, False]  # the team operators wait in the first only


def test_no_second_reform_while_the_same_visits_are_left_out(monkeypatch, caplog):
    """With S-Mon pinned to W3, no reform can place D-Tue. Legs of a sixth of the time leave
    room for two reforms, but after the first has left D-Tue out the next leg knows none
    follows for it (the team operators then run), and none does."""
    _, plan, visit_at, _ = stuck_case(pinned=True)
    monkeypatch.setattr(legs, "LEGS", 6)
    best = _idle_search_in_legs(plan, monkeypatch, caplog)
    assert best.unassigned_visits() == [visit_at["D-Tue"]]
    assert caplog.text.count("re-forming the teams") == 1
    assert IdleSearch.reformed_out[:2] == [frozenset(), frozenset({visit_at["D-Tue"]})]


def test_no_reform_when_its_time_is_too_short_for_its_model(monkeypatch, caplog):
    """The same search as above, but each visit the model frees asks for more time than the
    reform has (2 visits at 1 s each, against a quarter of 2 s): one leg, D-Tue still out."""
    _, plan, visit_at, _ = stuck_case()
    monkeypatch.setattr(legs, "SECONDS_PER_FREE_VISIT", 1.0)
    best = _idle_search_in_legs(plan, monkeypatch, caplog)
    assert best.unassigned_visits() == [visit_at["D-Tue"]]
    assert "re-form" not in caplog.text
    assert len(IdleSearch.legs_run) == 1
    assert IdleSearch.reform_ahead == [False]  # no reform to wait for


def test_the_reform_frees_only_the_visits_around_those_left_out(monkeypatch, caplog):
    """With F's morning double-handed visits as well, the full model would free A's and F's
    four visits, the smaller one A's two (F's are far from D-Tue in time of day). At 0.2 s a
    visit, only the smaller one fits a quarter of 2 s; it places D-Tue."""
    c, plan, _, _ = stuck_case(mornings=True)
    monkeypatch.setattr(legs, "SECONDS_PER_FREE_VISIT", 0.2)
    best = _idle_search_in_legs(plan, monkeypatch, caplog)
    assert "2 visits free" in caplog.text
    assert best.unassigned_visits() == []
    assert validate(c, to_rota(best, c)) == []


def test_the_real_search_in_legs_completes_the_stuck_rota_with_progress_in_order():
    c, plan, _, _ = stuck_case()
    seen = []
    limits = Limits(deadline=time.monotonic() + 2.0, log_every_s=0.05)
    best = legs.search_in_legs(plan, random.Random(1), limits, seed=1, progress=seen.append)
    assert best.unassigned_visits() == []
    assert validate(c, to_rota(best, c)) == []
    elapsed = [info["elapsed_s"] for info in seen]
    assert elapsed == sorted(elapsed) and elapsed[-1] > 1.5  # one clock across the legs


def test_a_caseload_with_no_double_handed_visit_and_room_in_every_team_is_one_leg(monkeypatch):
    c = caseload(
        customers=[customer("A", km=1), customer("B", km=2, max_team_size=2)],
        visits=[visit("V", "A", "09:00"), visit("U", "B", "10:00", days="Mon;Tue")],
        workers=[worker("W1")],
        availability=[shift("W1", "08:00", "12:00", day="Mon-Tue")],
    )
    plan = Plan(prepare(c))
    assert not legs.could_leave_team_bound(plan.inst)
    _, stuck, _, _ = stuck_case()
    assert legs.could_leave_team_bound(stuck.inst)
    monkeypatch.setattr(legs, "Search", IdleSearch)
    IdleSearch.legs_run = []
    legs.search_in_legs(plan, random.Random(1), Limits(deadline=time.monotonic() + 0.4), seed=1)
    [(first, last)] = IdleSearch.legs_run
    assert first < 0.01 and last == 1.0
