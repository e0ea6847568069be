"""Scenario transforms, the scenario file loader and `rota compare`, on hand-made caseloads.

Places sit on one north-south street (tests/builders.py): ``at(km)`` is ``km`` road-km north of
the base point, 2 minutes by car per km. Each transform test states the expected effect by hand.
"""

from __future__ import annotations

import csv
import json
import random
import re

import pytest
from builders import caseload, customer, shift, solve_heuristic, visit, worker
from click.testing import CliRunner

from models import Assignment, Policy, Rota
from models.result import SolveParams
from scheduler.cli import main
from scheduler.io import CaseloadError, write_caseload
from scheduler.kpi import compute_kpis
from scheduler.scenarios import (
    TRANSFORMS,
    CostChanges,
    KMeansZones,
    OneProviderPerCustomer,
    OpenMarket,
    PolicyChanges,
    Scenario,
    ScenarioError,
    ShiftRules,
    VisitRules,
    ZoneProviders,
    apply_costs,
    apply_market,
    apply_policy,
    apply_scenario,
    apply_shift_rules,
    apply_visit_rules,
    kmeans,
    load_scenarios,
    providers_by_majority,
)
from scheduler.solve import solve

FAST = SolveParams(time_limit_s=10, seed=1, workers=1, deterministic=True)


def one_customer(minutes: int = 40, start: str = "09:00", **policy):
    """C1 with one Monday visit V1 of ``minutes``; W1 free all Monday."""
    return caseload(
        [customer("C1")], [visit("V1", "C1", start, minutes)], [worker("W1")],
        [shift("W1", "00:00", "24:00")],
        policy=Policy(window_before_min=0, window_after_min=policy.get("after", 0)),
    )


def lengths(c) -> dict[str, int]:
    return {v.visit_id: v.duration_min for v in c.visits}


# ----------------------------------------------------------------------------- visits


@pytest.mark.parametrize(("minutes", "rules", "expected"), [
    (40, VisitRules(round_up_to_min=15), 45),  # 40 -> next multiple of 15
    (40, VisitRules(round_up_to_min=30), 60),  # 40 -> next multiple of 30
    (30, VisitRules(round_up_to_min=30), 30),  # already a multiple: unchanged
    (15, VisitRules(min_length_min=30), 30),  # raised to the minimum
    (45, VisitRules(min_length_min=30), 45),  # above the minimum: unchanged
    (20, VisitRules(min_length_min=25, round_up_to_min=15), 30),  # minimum first: 25, then 30
    (20, VisitRules(min_length_min=45, round_up_to_min=30), 60),  # 45, then 60
])
def test_visit_rules_set_lengths(minutes, rules, expected):
    assert lengths(apply_visit_rules(one_customer(minutes), rules)) == {"V1": expected}


def test_visit_rules_keep_the_window_before_midnight():
    # 23:00 + 40 min rounded to 60 ends at 24:00 exactly; the 15 min window after would pass
    # midnight, so it shrinks to 0
    changed = apply_visit_rules(one_customer(40, "23:00", after=15), VisitRules(round_up_to_min=30))
    (v,) = changed.visits
    assert (v.duration_min, v.window_after_min) == (60, 0)


def test_visit_past_midnight_is_a_scenario_error():
    scenario = Scenario(name="long", visits=VisitRules(round_up_to_min=60))
    with pytest.raises(ScenarioError, match=r"s\.yaml, key scenarios\[3\] \(long\)\.visits"):
        apply_scenario(one_customer(40, "23:10"), scenario, file="s.yaml", index=3)


# ----------------------------------------------------------------------------- shifts


def split_day():
    """W1 works a split shift Mon-Tue (07:00-13:00 and 16:30-22:00), one row on Wednesday."""
    return caseload(
        [customer("C1")], [visit("V1", "C1", "08:00")], [worker("W1")],
        [shift("W1", "07:00", "13:00", "Mon-Tue"), shift("W1", "16:30", "22:00", "Mon-Tue"),
         shift("W1", "09:00", "12:00", "Wed")],
    )


def rows(c) -> set[tuple[str, tuple[int, ...], int, int]]:
    return {(a.worker_id, a.day, a.start, a.end) for a in c.availability}


def test_merge_makes_one_continuous_shift():
    merged = apply_shift_rules(split_day(), ShiftRules(split_shifts="merge"))
    # 07:00-22:00 is 900 min, the default max_shift_span_min: nothing to trim
    assert rows(merged) == {("W1", (0, 1), 7 * 60, 22 * 60), ("W1", (2,), 9 * 60, 12 * 60)}


def test_merge_trims_to_the_policy_span():
    base = split_day()
    short = base.replace(policy=base.policy.model_copy(update={"max_shift_span_min": 600}))
    merged = apply_shift_rules(short, ShiftRules(split_shifts="merge"))
    # 07:00 + 600 min = 17:00: the evening is cut; Wednesday's single row is untouched
    assert rows(merged) == {("W1", (0, 1), 7 * 60, 17 * 60), ("W1", (2,), 9 * 60, 12 * 60)}


def test_first_only_keeps_the_morning():
    first = apply_shift_rules(split_day(), ShiftRules(split_shifts="first_only"))
    assert rows(first) == {("W1", (0, 1), 7 * 60, 13 * 60), ("W1", (2,), 9 * 60, 12 * 60)}


def test_split_shifts_allowed_changes_nothing():
    base = split_day()
    assert apply_shift_rules(base, ShiftRules(split_shifts="allowed")) is base


def test_policy_applies_before_shifts():
    scenario = Scenario(name="x", policy=PolicyChanges(max_shift_span_min=600),
                        shifts=ShiftRules(split_shifts="merge"))
    assert [kind for kind, _ in TRANSFORMS] == ["policy", "visits", "shifts", "market", "costs"]
    merged = apply_scenario(split_day(), scenario)
    assert ("W1", (0, 1), 7 * 60, 17 * 60) in rows(merged)  # trimmed with the new span


# ----------------------------------------------------------------------------- markets


def two_towns(**customer_fields):
    """Customers at km 0, 1, 2 (south) and 50, 51, 52 (north); workers at km 1 and 51, and W3
    at km 30 (nearer the north)."""
    kms = {"C1": 0, "C2": 1, "C3": 2, "C4": 50, "C5": 51, "C6": 52}
    zone = {c: ("S" if km < 10 else "N") for c, km in kms.items()}
    customers = [customer(c, km, **({"zone": zone[c]} if customer_fields.get("zoned") else {}))
                 for c, km in kms.items()]
    workers = [worker("W1", 1, provider="old"), worker("W2", 51, provider="old"),
               worker("W3", 30)]
    return caseload(customers, [visit(f"V{c[1]}", c, "09:00") for c in kms], workers,
                    [shift(w.worker_id, "07:00", "13:00") for w in workers])


def zones_of(c):
    return ({x.customer_id: (x.zone, x.provider) for x in c.customers},
            {w.worker_id: (w.zones, w.provider) for w in c.workers})


def test_zone_providers_with_given_zones():
    changed = apply_market(two_towns(zoned=True), ZoneProviders(kind="zone_providers"))
    customers, workers = zones_of(changed)
    assert customers == {"C1": ("S", "provider-S"), "C2": ("S", "provider-S"),
                         "C3": ("S", "provider-S"), "C4": ("N", "provider-N"),
                         "C5": ("N", "provider-N"), "C6": ("N", "provider-N")}
    # centroids at km 1 (S) and km 51 (N): W3 at km 30 is 21 km from N and 29 km from S
    assert workers == {"W1": (("S",), "provider-S"), "W2": (("N",), "provider-N"),
                       "W3": (("N",), "provider-N")}


def test_zone_providers_names_and_worker_mapping():
    market = ZoneProviders(kind="zone_providers", providers={"S": "south-care"},
                           workers={"W3": "S"})
    customers, workers = zones_of(apply_market(two_towns(zoned=True), market))
    assert customers["C1"] == ("S", "south-care") and customers["C6"] == ("N", "provider-N")
    assert workers["W3"] == (("S",), "south-care")


def test_zone_providers_keep_a_zones_single_provider():
    base = two_towns(zoned=True)
    named = base.replace(customers=tuple(
        c.model_copy(update={"provider": "north-care" if c.zone == "N" else "south-care"})
        for c in base.customers))
    customers, _ = zones_of(apply_market(named, ZoneProviders(kind="zone_providers")))
    assert {p for _, p in customers.values()} == {"north-care", "south-care"}


def test_zone_providers_by_kmeans_on_two_clusters():
    market = ZoneProviders(kind="zone_providers", zones=KMeansZones(k=2, seed=5))
    customers, workers = zones_of(apply_market(two_towns(), market))
    # one street: clusters ordered west to east, then south to north -> Z1 south, Z2 north
    assert {c: z for c, (z, _) in customers.items()} == {
        "C1": "Z1", "C2": "Z1", "C3": "Z1", "C4": "Z2", "C5": "Z2", "C6": "Z2"}
    assert workers == {"W1": (("Z1",), "provider-Z1"), "W2": (("Z2",), "provider-Z2"),
                       "W3": (("Z2",), "provider-Z2")}


@pytest.mark.parametrize("seed", range(6))
def test_kmeans_is_deterministic_and_finds_obvious_clusters(seed):
    points = [(0.0, 0.0), (0.0, 1.0), (1.0, 0.0), (100.0, 100.0), (100.0, 101.0), (101.0, 100.0)]
    labels = kmeans(points, 2, random.Random(seed))
    assert labels == [0, 0, 0, 1, 1, 1]
    assert labels == kmeans(points, 2, random.Random(seed))


def test_zone_providers_errors_name_the_key():
    scenario = Scenario(name="z", market=ZoneProviders(kind="zone_providers",
                                                       providers={"X": "p"}))
    with pytest.raises(ScenarioError, match=r"market\.providers: no zone X"):
        apply_scenario(two_towns(zoned=True), scenario, file="s.yaml", index=0)
    given = Scenario(name="g", market=ZoneProviders(kind="zone_providers"))
    with pytest.raises(ScenarioError, match="no customer has a zone"):
        apply_scenario(two_towns(), given, file="s.yaml", index=0)


def test_open_market_clears_providers_and_zones():
    zoned = apply_market(two_towns(zoned=True), ZoneProviders(kind="zone_providers"))
    customers, workers = zones_of(apply_market(zoned, OpenMarket(kind="open_market")))
    assert set(customers.values()) == {("", "")}
    assert set(workers.values()) == {((), "")}


def test_one_provider_per_customer_first_stage_keeps_worker_providers():
    zoned = apply_market(two_towns(zoned=True), ZoneProviders(kind="zone_providers"))
    stage1 = apply_market(zoned, OneProviderPerCustomer(kind="one_provider_per_customer"))
    customers, workers = zones_of(stage1)
    assert set(customers.values()) == {("", "")}
    assert workers == {"W1": ((), "provider-S"), "W2": ((), "provider-N"),
                       "W3": ((), "provider-N")}


def test_providers_by_majority():
    base = caseload(
        [customer("C1"), customer("C2"), customer("C3", 40)],
        [visit("V1", "C1", "08:00", days="Mon-Wed"), visit("V2", "C2", "10:00", days="Mon-Tue")],
        [worker("A1", provider="alpha"), worker("B1", provider="beta"),
         worker("B2", 41, provider="beta")],
        [shift(w, "07:00", "13:00", "Mon-Wed") for w in ("A1", "B1", "B2")],
    )

    def row(visit_id, customer_id, worker_id):
        return Assignment(visit_id=visit_id, customer_id=customer_id, worker_id=worker_id,
                          day=visit_id[-3:], start="08:00", end="08:30")

    rota = Rota(assignments=(
        row("V1-Mon", "C1", "B1"), row("V1-Tue", "C1", "B1"), row("V1-Wed", "C1", "A1"),
        row("V2-Mon", "C2", "A1"), row("V2-Tue", "C2", "B1"),
    ))
    chosen = {c.customer_id: c.provider for c in providers_by_majority(base, rota).customers}
    # C1: beta 2 - alpha 1; C2: a tie, alpha first in sort order; C3 has no rows: the nearest
    # worker (B2 at km 41) works for beta
    assert chosen == {"C1": "beta", "C2": "alpha", "C3": "beta"}


def test_one_provider_per_customer_needs_worker_providers():
    scenario = Scenario(name="one", market="one_provider_per_customer")
    with pytest.raises(ScenarioError, match="needs workers with a provider"):
        apply_scenario(one_customer(), scenario, file="s.yaml", index=0)


# ----------------------------------------------------------------------------- policy, costs


def test_paid_travel_adds_travel_hours_times_rate():
    base = two_towns()
    rota, _ = solve_heuristic(base)
    unpaid = compute_kpis(base, rota)
    paid = compute_kpis(apply_costs(base, CostChanges(travel_time_paid=True)), rota)
    assert unpaid["travel_hours"] > 0
    # every worker is paid the default 11.50 per hour; kpis are rounded to 4 decimals
    assert paid["pay_total"] - unpaid["pay_total"] == pytest.approx(
        unpaid["travel_hours"] * 11.50, abs=1e-3)
    assert paid["margin"] < unpaid["margin"]


def test_cost_changes_keep_the_rest():
    changed = apply_costs(one_customer(), CostChanges(pay_per_hour=12.0, weekend_premium_pct=50))
    assert (changed.costs.pay_per_hour, changed.costs.weekend_premium_pct) == (12.0, 50)
    assert changed.costs.fee_per_hour == one_customer().costs.fee_per_hour


def three_day_customer():
    """C1 has a visit Mon, Tue and Wed; W1 works only Monday, W2 Tuesday, W3 Wednesday, so
    covering all three needs a team of 3."""
    workers = [worker("W1"), worker("W2"), worker("W3")]
    return caseload(
        [customer("C1"), customer("C2", max_team_size=4)],
        [visit("V1", "C1", "09:00", days="Mon-Wed"), visit("V2", "C2", "11:00")],
        workers,
        [shift("W1", "07:00", "13:00", "Mon"), shift("W2", "07:00", "13:00", "Tue"),
         shift("W3", "07:00", "13:00", "Wed")],
    )


def test_team_cap_changes_what_can_be_covered():
    base = three_day_customer()
    capped = apply_policy(base, PolicyChanges(max_team_size=2))
    assert (base.team_cap("C1"), capped.team_cap("C1")) == (3, 2)
    assert solve(base, FAST).rota.unassigned == ()
    # with at most 2 workers, one of the three days cannot be covered
    assert len(solve(capped, FAST).rota.unassigned) == 1


@pytest.mark.parametrize(("mode", "c2_cap"), [("keep", 4), ("lower", 2), ("replace", 2)])
def test_customer_team_caps(mode, c2_cap):
    changed = apply_policy(three_day_customer(),
                           PolicyChanges(max_team_size=2, customer_team_caps=mode))
    assert changed.team_cap("C2") == c2_cap
    own = changed.customer_by_id["C2"].max_team_size
    assert own == {"keep": 4, "lower": 2, "replace": None}[mode]


def test_an_override_that_breaks_the_caseload_names_every_entry_by_id():
    c = caseload(
        [customer("C1"), customer("C2")],
        [visit(f"V{i}", f"C{1 + i % 2}", "09:00", workers_required=2) for i in range(1, 13)],
        [worker("W1"), worker("W2")], [shift("W1", "08:00", "18:00"),
                                       shift("W2", "08:00", "18:00")],
    )
    scenario = Scenario(name="solo", policy=PolicyChanges(max_team_size=1))
    with pytest.raises(ScenarioError) as error:
        apply_scenario(c, scenario, file="s.yaml", index=0)
    text = str(error.value)
    assert "12 problem(s)" in text
    assert "visits entry 12 (V12), workers_required: needs 2 workers together but C1's team" \
        in text  # the last of twelve: none cut off, positions from 1, the id named
    assert text.count("[team_cap_too_small]") == 12


def test_the_base_is_never_changed():
    base = two_towns(zoned=True)
    before = base.model_dump()
    scenario = Scenario(name="all", policy=PolicyChanges(max_team_size=1),
                        visits=VisitRules(round_up_to_min=60),
                        shifts=ShiftRules(split_shifts="first_only"), market="open_market",
                        costs=CostChanges(travel_time_paid=True))
    changed = apply_scenario(base, scenario)
    assert base.model_dump() == before
    assert changed.policy.max_team_size == 1 and changed.costs.travel_time_paid


# ----------------------------------------------------------------------------- loader


def write_yaml(tmp_path, text: str, base: bool = True):
    if base:
        write_caseload(one_customer(), tmp_path / "base")
    path = tmp_path / "scenarios.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_loader_resolves_base_and_settings(tmp_path):
    path = write_yaml(tmp_path, "base: base\nseed: 7\ntime_limit_s: 5\nscenarios:\n"
                                "  - name: Paid travel\n    costs: {travel_time_paid: true}\n"
                                "  - name: open\n    market: open_market\n")
    loaded = load_scenarios(path)
    assert loaded.base_path == tmp_path / "base"
    assert [s.slug for s in loaded.spec.scenarios] == ["paid-travel", "open"]
    assert loaded.spec.scenarios[1].market == OpenMarket(kind="open_market")
    params = loaded.solve_params(seed=None, time_limit_s=None)
    assert (params.seed, params.time_limit_s, params.workers) == (7, 5, 1)
    assert loaded.solve_params(seed=3, time_limit_s=2).seed == 3


@pytest.mark.parametrize(("text", "match"), [
    ("base: base\nscenarios: [{name: a}]\npolcy: {}\n", r"key polcy: unknown key \[unknown_key\]"),
    ("base: base\nscenarios:\n  - name: paid\n    costs: {travel_paid: true}\n",
     r"key scenarios\[0\] \(paid\)\.costs\.travel_paid: unknown key"),
    ("base: base\nscenarios:\n  - name: z\n    market: {kind: zone_providers, zone: given}\n",
     r"scenarios\[0\] \(z\)\.market\.zone: unknown key"),
    ("base: base\nscenarios:\n  - name: m\n    market: closed_market\n",
     r"scenarios\[0\] \(m\)\.market"),
    ("base: base\nscenarios:\n  - name: v\n    visits: {round_up_to_min: 0}\n",
     r"scenarios\[0\] \(v\)\.visits\.round_up_to_min"),
    ("scenarios: [{name: a}]\n", r"key base: missing key \[missing_key\]"),
    ("base: elsewhere\nscenarios: [{name: a}]\n", r"key base: no caseload at .*elsewhere"),
    ("base: base\nscenarios: [{name: A b}, {name: a-B}]\n", "share the folder name 'a-b'"),
    ("base: base\nscenarios: []\n", r"key scenarios: no scenario listed"),
    ("- just a list\n", "expected keys base: and scenarios:"),
])
def test_loader_errors_name_file_and_key(tmp_path, text, match):
    path = write_yaml(tmp_path, text)
    with pytest.raises(CaseloadError) as caught:
        load_scenarios(path)
    message = str(caught.value)
    assert "scenarios.yaml" in message
    assert re.search(match, message), message


# ----------------------------------------------------------------------------- rota compare


def market_week():
    """Two providers' workers and three customers on Monday: A1 (alpha) lives by C1 and C2,
    B1 (beta) by C3; C1 and C3 have visits at 08:00 and 10:00, C2 at 08:45 and 10:45."""
    return caseload(
        [customer("C1"), customer("C2", 1), customer("C3", 10)],
        [visit(f"V{c}{h}", f"C{c}", f"{h:02d}:{45 if c == 2 else 0:02d}")
         for c in (1, 2, 3) for h in (8, 10)],
        [worker("A1", 0, provider="alpha"), worker("B1", 10, provider="beta")],
        [shift("A1", "07:00", "13:00"), shift("B1", "07:00", "13:00")],
    )


def test_rota_compare_end_to_end(tmp_path):
    write_caseload(market_week(), tmp_path / "week")
    scenarios = tmp_path / "scenarios.yaml"
    scenarios.write_text(
        "title: Market week\nbase: week\ntime_limit_s: 3\nscenarios:\n"
        "  - name: base\n"
        "  - name: Paid travel\n    costs: {travel_time_paid: true}\n"
        "  - name: one provider per customer\n    market: one_provider_per_customer\n",
        encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["compare", str(scenarios), "--out", str(out),
                                       "--time-limit", "3", "--seed", "2"])
    assert result.exit_code == 0, result.output
    assert "| figure | base | Paid travel | one provider per customer |" in result.output
    for name in ("comparison.csv", "comparison.md", "comparison.html", "effective_pay.csv"):
        assert (out / name).is_file()
    for slug in ("base", "paid-travel", "one-provider-per-customer"):
        for name in ("rota.csv", "unassigned.csv", "kpis.json", "caseload.json", "board.html",
                     "scenario.json"):
            assert (out / slug / name).is_file(), (slug, name)
    assert (out / "one-provider-per-customer" / "stage1" / "rota.csv").is_file()
    with open(out / "comparison.csv", newline="", encoding="utf-8") as f:
        table = list(csv.DictReader(f))
    assert [r["scenario"] for r in table] == ["base", "Paid travel", "one provider per customer"]
    assert {r["valid"] for r in table} == {"yes"}
    assert [r["stages"] for r in table] == ["1", "1", "2"]
    assert all(r["visits_assigned"] == "6" for r in table)
    base, paid = table[0], table[1]
    # every visit is done (3 h of contact either way) and nobody has guaranteed hours, so paid
    # travel adds exactly its travel hours x 11.50
    assert float(paid["pay_total"]) - float(base["pay_total"]) == pytest.approx(
        float(paid["travel_hours"]) * 11.5, abs=0.01)
    # one provider per customer: C1 and C2 by alpha (A1), C3 by beta (B1)
    week = json.loads((out / "one-provider-per-customer" / "caseload.json").read_text())
    assert {c["customer_id"]: c["provider"] for c in week["customers"]} == {
        "C1": "alpha", "C2": "alpha", "C3": "beta"}
    html = (out / "comparison.html").read_text(encoding="utf-8")
    assert html.count("<svg") == 6 and "http" not in html.replace(
        'xmlns="http://www.w3.org/2000/svg"', "")
    assert "solving" in result.output or "[3/3]" in result.output


def test_rota_compare_bad_file_exits_2(tmp_path):
    path = write_yaml(tmp_path, "base: base\nscenarios: [{name: a, costz: {}}]\n")
    result = CliRunner().invoke(main, ["compare", str(path), "--out", str(tmp_path / "o")])
    assert result.exit_code == 2
    assert "scenarios[0] (a).costz: unknown key" in result.output
    assert not (tmp_path / "o").exists()


def test_chart_helpers():
    from scheduler.report.comparison import _box, distribution_chart, nice_ticks

    assert nice_ticks(0, 9.3) == [0, 2, 4, 6, 8, 10]
    assert nice_ticks(0, 1, integer=True) == [0, 1]
    # quartiles 2.25, 3.5, 4.75; 100 lies beyond Q3 + 1.5 x IQR = 8.5: an outlier
    assert _box([1, 2, 3, 4, 5, 100]) == (1, 2.25, 3.5, 4.75, 5)
    svg = distribution_chart(["a", "b"], [[1, 2, 3, 4, 5, 100], []], reference=("rate", 3))
    assert svg.count("<circle") == 5 and svg.count("<path") == 1  # the outlier on the edge
    assert "+1" in svg and "no worker used" in svg and "rate" in svg
