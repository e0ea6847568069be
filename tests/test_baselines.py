"""The ladder's baselines: the greedy allocation and the OR-Tools routing peer.

They live in ``benchmarks/`` (not collected, not installed), but every figure the ladder
reports for them assumes their rotas are valid, so their validity, the greedy's ranking and
the routing peer's double-handed synchronisation are tested here. Routing runs take a second
or less of wall-clock search; only validity and structure are asserted, never exact routes.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # benchmarks/ is not installed

from small_week import make_caseload

from benchmarks.greedy import greedy_rota
from benchmarks.routing_peer import routing_solve
from models import Caseload, Rota
from scheduler.io import read_caseload
from scheduler.validate import validate

TINY = Path(__file__).resolve().parents[1] / "data" / "samples" / "tiny"


@pytest.fixture(scope="module")
def tiny() -> Caseload:
    return read_caseload(TINY)


@pytest.fixture(scope="module")
def generated_s() -> Caseload:
    from scheduler.generate import generate

    return generate("S", "mixed", 1)


def rows_of(rota: Rota, visit_id: str):
    return [row for row in rota.assignments if row.visit_id == visit_id]


def assert_valid_and_complete(caseload: Caseload, rota: Rota) -> None:
    assert validate(caseload, rota) == []
    listed = {r.visit_id for r in rota.assignments} | {u.visit_id for u in rota.unassigned}
    assert listed == {v.id for v in caseload.instances}
    assert all(u.reason.strip() for u in rota.unassigned)


# ----------------------------------------------------------------------------- validity


def test_greedy_rota_of_tiny_is_valid(tiny):
    rota = greedy_rota(tiny)
    assert_valid_and_complete(tiny, rota)
    # time order, no look-ahead: V1 at its preferred 08:00 leaves Alice (the only medication
    # worker, home by 13:00) no start for V5 at 12:30 + 240 min spacing; the optimum starts V1
    # early instead (data/samples/tiny/README.md)
    assert [u.visit_id for u in rota.unassigned] == ["V5-Mon"]
    assert "medication spacing" in rota.unassigned[0].reason


def test_greedy_rota_of_generated_s_is_valid(generated_s):
    rota = greedy_rota(generated_s)
    assert_valid_and_complete(generated_s, rota)
    assert len(rota.assignments) > 0


def test_greedy_keeps_pins_and_travel_overrides():
    caseload = make_caseload()  # pins V1-Mon on W1 at 08:00 and V3-Sat on W2; travel.csv legs
    rota = greedy_rota(caseload)
    assert_valid_and_complete(caseload, rota)


def test_routing_rota_of_tiny_is_valid(tiny):
    outcome = routing_solve(tiny, 0.5, 1)
    assert_valid_and_complete(tiny, outcome.rota)
    v3 = rows_of(outcome.rota, "V3-Mon")  # double-handed: Ben and Cara together
    assert len(v3) == 2
    assert len({r.start for r in v3}) == 1
    assert {r.worker_id for r in v3} == {"W2", "W3"}


def test_routing_rota_of_generated_s_is_valid(generated_s):
    outcome = routing_solve(generated_s, 1.0, 1)
    assert_valid_and_complete(generated_s, outcome.rota)
    assert outcome.stats["no_solution_blocks"] == 0
    assert outcome.stats["first_solution_s"] > 0


def test_routing_keeps_pins_and_travel_overrides():
    caseload = make_caseload()
    outcome = routing_solve(caseload, 0.5, 1)
    assert_valid_and_complete(caseload, outcome.rota)


# ----------------------------------------------------------------------------- greedy ranking


def one_visit_week(*, homes=((51.760, -1.25), (51.760, -1.25)), pay=(11.5, 11.5),
                   previous=(), preferences=()) -> Caseload:
    """Customer C1 (51.750, -1.25) with one visit V1 on Monday 08:00 for 30 min; workers W1 and
    W2, both free Mon 07:00-13:00, identical unless the arguments say otherwise."""
    return Caseload.model_validate({
        "name": "one visit",
        "customers": [{"customer_id": "C1", "lat": 51.750, "lon": -1.25}],
        "visits": [{"visit_id": "V1", "customer_id": "C1", "days": "Mon", "start": "08:00",
                    "duration_min": 30}],
        "workers": [{"worker_id": f"W{i + 1}", "lat": lat, "lon": lon,
                     "pay_per_hour": pay[i]} for i, (lat, lon) in enumerate(homes)],
        "availability": [{"worker_id": w, "day": "Mon", "start": "07:00", "end": "13:00"}
                         for w in ("W1", "W2")],
        "previous_rota": [{"visit_id": "V1-Mon", "customer_id": "C1", "worker_id": w,
                           "day": "Mon", "start": "08:00", "end": "08:30"} for w in previous],
        "preferences": [{"customer_id": "C1", "worker_id": w, "kind": kind}
                        for w, kind in preferences],
    })


def chosen(caseload: Caseload) -> str:
    rota = greedy_rota(caseload)
    assert validate(caseload, rota) == []
    (row,) = rows_of(rota, "V1-Mon")
    return row.worker_id


def test_greedy_ties_break_by_worker_id():
    assert chosen(one_visit_week()) == "W1"


@pytest.mark.parametrize("familiarity", [
    {"previous": ("W2",)},                     # W2 did V1 last week
    {"preferences": (("W2", "regular"),)},     # W2 is C1's named regular
])
def test_greedy_picks_the_familiar_worker_when_otherwise_equal(familiarity):
    assert chosen(one_visit_week(**familiarity)) == "W2"


def test_greedy_familiarity_beats_proximity():
    # W1 lives next door (0.1 km), W2 1 km away but did the visit last week
    homes = ((51.7509, -1.25), (51.759, -1.25))
    assert chosen(one_visit_week(homes=homes)) == "W1"
    assert chosen(one_visit_week(homes=homes, previous=("W2",))) == "W2"


def test_greedy_proximity_then_cost():
    assert chosen(one_visit_week(homes=((51.770, -1.25), (51.760, -1.25)))) == "W2"
    assert chosen(one_visit_week(pay=(12.0, 11.0))) == "W2"


# ----------------------------------------------------------------------------- routing sync


def double_handed_week(w2_from: str) -> Caseload:
    """C1 needs two workers at 09:00 (window 08:45-09:15, 30 min). W1 is free from 07:00;
    W2 only from ``w2_from``; both live 1 min (car) from C1."""
    return Caseload.model_validate({
        "name": "double-handed",
        "customers": [{"customer_id": "C1", "lat": 51.750, "lon": -1.25}],
        "visits": [{"visit_id": "V1", "customer_id": "C1", "days": "Mon", "start": "09:00",
                    "duration_min": 30, "workers_required": 2}],
        "workers": [{"worker_id": "W1", "lat": 51.752, "lon": -1.25},
                    {"worker_id": "W2", "lat": 51.748, "lon": -1.25}],
        "availability": [{"worker_id": "W1", "day": "Mon", "start": "07:00", "end": "12:00"},
                         {"worker_id": "W2", "day": "Mon", "start": w2_from, "end": "12:00"}],
    })


def test_routing_waits_for_the_later_worker_of_a_double_handed_visit():
    caseload = double_handed_week("09:05")
    outcome = routing_solve(caseload, 0.5, 1)
    assert validate(caseload, outcome.rota) == []
    rows = rows_of(outcome.rota, "V1-Mon")
    assert {r.worker_id for r in rows} == {"W1", "W2"}
    # W2 leaves home at 09:05 and needs 1 min: both start at 09:06, not W1 at the preferred 09:00
    assert [r.start for r in rows] == [9 * 60 + 6] * 2


def test_routing_never_sends_one_worker_to_a_double_handed_visit():
    caseload = double_handed_week("09:20")  # W2 cannot be there by 09:15
    outcome = routing_solve(caseload, 0.5, 1)
    assert validate(caseload, outcome.rota) == []
    assert rows_of(outcome.rota, "V1-Mon") == []
    assert [u.visit_id for u in outcome.rota.unassigned] == ["V1-Mon"]


def test_greedy_waits_for_the_later_worker_of_a_double_handed_visit():
    caseload = double_handed_week("09:05")
    rota = greedy_rota(caseload)
    assert validate(caseload, rota) == []
    assert [r.start for r in rows_of(rota, "V1-Mon")] == [9 * 60 + 6] * 2


def test_keep_placed_keeps_exactly_the_placed_visit_days(generated_s):
    from benchmarks.ladder import keep_placed

    rota = greedy_rota(generated_s)
    kept = keep_placed(generated_s, rota)
    placed = {a.visit_id for a in rota.assignments}
    assert {v.id for v in kept.instances} == placed
    assert len(placed) < len(generated_s.instances)  # the greedy leaves some out on S
    assert kept.workers == generated_s.workers and kept.availability == generated_s.availability


def test_ours_at_greedy_plans_the_greedy_visits_at_equal_coverage(generated_s, tmp_path):
    from benchmarks.ladder import run_method
    from scheduler.io import write_caseload

    path = tmp_path / "s.json"
    write_caseload(generated_s, path)
    placed = len({a.visit_id for a in greedy_rota(generated_s).assignments})
    result = run_method({"caseload": str(path), "method": "ours@greedy", "time_limit_s": 3,
                         "seed": 1, "workers": 1})
    assert result["valid"] and result["visits"] == placed
    assert result["note"].startswith(f"on the {placed} visits greedy placed")
