"""Independent parts: zones with a provider each are split, solved apart, and merged."""

from models.result import SolveParams
from scheduler.components import split
from scheduler.solve import solve
from scheduler.validate import objective, validate
from tests.builders import caseload, customer, shift, visit, worker


def two_providers():
    return caseload(
        customers=[customer("N1", 0, provider="North"), customer("N2", 1, provider="North"),
                   customer("S1", 20, provider="South"),
                   customer("X", 5, gender_preference="male")],
        visits=[visit("VN1", "N1", "08:00"), visit("VN2", "N2", "09:00"),
                visit("VS1", "S1", "08:00"), visit("VX", "X", "10:00")],
        workers=[worker("WN", 0, provider="North", gender="female"),
                 worker("WS", 20, provider="South", gender="male"),
                 worker("IDLE", 3, provider="Nobody", skills="peg", gender="male")],
        availability=[shift("WN", "07:00", "12:00"), shift("WS", "07:00", "12:00")],
    )


def test_split_keeps_linked_customers_and_workers_together():
    parts = split(two_providers())
    groups = sorted(
        (sorted(c.customer_id for c in p.customers), sorted(w.worker_id for w in p.workers))
        for p in parts
    )
    # X (wants a man, no provider) links to WS and IDLE; North stays apart
    assert groups == [(["N1", "N2"], ["WN"]), (["S1", "X"], ["IDLE", "WS"])]


def test_parts_are_solved_apart_and_merged_into_one_valid_rota():
    c = two_providers()
    result = solve(c, SolveParams(time_limit_s=10, seed=1, workers=2))
    assert result.stats["parts"] == 2
    assert validate(c, result.rota) == []
    assert objective(c, result.rota)[0] == result.objective == result.stats["engine_objective"]
    assert {a.visit_id for a in result.rota.assignments} == {"VN1-Mon", "VN2-Mon", "VS1-Mon",
                                                             "VX-Mon"}


def test_a_linked_caseload_is_one_part():
    c = two_providers()
    one = c.replace(customers=tuple(cu.model_copy(update={"provider": ""}) for cu in c.customers))
    assert len(split(one)) == 1
