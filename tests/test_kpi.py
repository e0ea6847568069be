"""kpis.json figures on the hand-made week of small_week.py, worked out by hand.

Recap of the valid rota (see small_week.py): contact minutes W1 225 (Mon 30+45+60, Sat 30+60),
W2 150 (Mon 60+30, Sat 60), W3 60 (Sat); travel minutes W1 78 (42 Mon + 36 Sat), W2 56
(16 + 24 Mon, 16 Sat), W3 50; km W1 31.2 (car), W2 14.0 (bike), W3 4.0 (walk).
"""

from __future__ import annotations

import json

import pytest
from referee import load_checker
from small_week import change_row, make_caseload, make_rota

from models import Assignment, Rota
from scheduler.io import write_caseload, write_rota
from scheduler.kpi import compute_kpis

FORMAT_KEYS = (
    "visits_total", "visits_assigned", "visits_unassigned", "care_hours_delivered",
    "travel_hours", "travel_km", "travel_share", "mean_distinct_workers_per_customer",
    "max_distinct_workers_per_customer", "continuity_pct", "weekend_familiar_pct",
    "punctuality_mean_abs_dev_min", "workers_used", "split_shift_days", "utilisation_pct",
    "paid_idle_hours", "pay_total", "mileage_total", "fee_total", "margin",
    "effective_hourly_pay_mean", "effective_hourly_pay_min", "changes_vs_previous",
    "solve_seconds", "objective", "bound",
)
"""Every key FORMAT.md says kpis.json holds."""

# pay per worker: rate x contact h + weekend contact h x (10 % of rate + 0.50) + rate x idle h
W1_PAY = 12.0 * 225 / 60 + 90 / 60 * (1.2 + 0.5)  # 45.00 + 2.55 = 47.55
W2_PAY = 11.5 * 150 / 60 + 60 / 60 * (1.15 + 0.5)  # 28.75 + 1.65 = 30.40
W3_PAY = 11.5 * 60 / 60 + 60 / 60 * (1.15 + 0.5) + 11.5 * 490 / 60  # 13.15 + 93.92 = 107.07
PAY = W1_PAY + W2_PAY + W3_PAY  # W4 has no rows and no guaranteed hours: 185.02
EFFECTIVE = (W1_PAY / (303 / 60), W2_PAY / (206 / 60), W3_PAY / (110 / 60))  # 9.42, 8.85, 58.40

EXPECTED = {
    "visits_total": 8,  # V1 x2, V2, V3 x2, V4, V5, V6
    "visits_assigned": 7,
    "visits_unassigned": 1,  # V6-Sat
    "care_hours_delivered": 435 / 60,  # 225 + 150 + 60 min = 7.25 h
    "travel_hours": 184 / 60,  # 78 + 56 + 50 min
    "travel_km": 49.2,  # 31.2 + 14.0 + 4.0
    "travel_share": 184 / (184 + 435),  # 0.2973
    "mean_distinct_workers_per_customer": 2.0,  # C1 {W1, W2}, C2 {W1}, C3 {W1, W2, W3}
    "max_distinct_workers_per_customer": 3,
    "continuity_pct": 100.0,  # nobody has more than 3 workers
    "weekend_familiar_pct": 75.0,  # V1-Sat W1, V3-Sat W1 and W2 familiar; V5-Sat W3 not
    "punctuality_mean_abs_dev_min": 40 / 7,  # only V4-Mon is off, by 40 min; 7 instances
    "workers_used": 3,
    "split_shift_days": 1,  # W2 on Monday: 11:00-13:08 and 16:30-20:00
    # availability 420 + 360 (W1) + 128 + 210 + 180 (W2) + 145 (W3) = 1443 min
    "utilisation_pct": 100 * (435 + 184) / 1443,  # 42.90
    "paid_idle_hours": (600 - 110) / 60,  # W3: 10 h guaranteed, 110 min worked
    "pay_total": PAY,
    "mileage_total": (31.2 + 14.0) * 0.25,  # car and bike km only: 11.30
    "fee_total": 435 / 60 * 22.0,  # 159.50
    "margin": 435 / 60 * 22.0 - PAY - 45.2 * 0.25,  # -36.82
    "effective_hourly_pay_mean": sum(EFFECTIVE) / 3,  # 25.56
    "effective_hourly_pay_min": EFFECTIVE[1],  # W2: 8.85
    "changes_vs_previous": 3,  # V2-Mon (W3 -> W1), V4-Mon (17:10 -> 17:40), V6-Sat (unassigned)
    "solve_seconds": 1.5,
    "objective": 30_502,  # see test_validate.test_objective_of_hand_made_rota
    "bound": 30_000,
}


def approx(expected: dict) -> dict:
    return {k: pytest.approx(v, abs=1e-4) if isinstance(v, float) else v
            for k, v in expected.items()}


def test_every_format_key_present_in_format_order():
    kpis = compute_kpis(make_caseload(), make_rota())
    assert tuple(kpis) == FORMAT_KEYS


def test_kpis_of_hand_made_rota():
    kpis = compute_kpis(make_caseload(), make_rota(), solve_seconds=1.5, bound=30_000)
    assert kpis == approx(EXPECTED)
    json.dumps(kpis)  # plain JSON values


def test_objective_given_is_passed_through():
    kpis = compute_kpis(make_caseload(), make_rota(), objective=7)
    assert kpis["objective"] == 7
    assert kpis["bound"] is None


def test_paid_travel_is_paid_and_counted_in_effective_pay():
    kpis = compute_kpis(make_caseload(costs={"travel_time_paid": True}), make_rota())
    travel_pay = (12.0 * 78 + 11.5 * 56 + 11.5 * 50) / 60  # 15.60 + 10.73 + 9.58 = 35.92
    assert kpis["pay_total"] == pytest.approx(PAY + travel_pay, abs=1e-4)
    w2 = (W2_PAY + 11.5 * 56 / 60) / (206 / 60)  # 11.5 + 30.40 / 3.43 = 20.35
    assert kpis["effective_hourly_pay_min"] == pytest.approx(w2, abs=1e-4)


def test_weekend_premium_percent_and_flat():
    kpis = compute_kpis(
        make_caseload(costs={"weekend_premium_pct": 50, "weekend_premium_per_hour": 0}),
        make_rota(),
    )
    # weekend contact: W1 1.5 h at 12.00, W2 1 h and W3 1 h at 11.50; premium 50 % of rate
    weekend = 1.5 * 6.0 + 1 * 5.75 + 1 * 5.75  # 20.50
    base = PAY - (90 / 60 * 1.7 + 1.65 + 1.65)  # without the 10 % + 0.50 premium: 179.92
    assert kpis["pay_total"] == pytest.approx(base + weekend, abs=1e-4)


def row(visit_id, customer_id, worker_id, day, start, end):
    return Assignment(visit_id=visit_id, customer_id=customer_id, worker_id=worker_id, day=day,
                      start=start, end=end)


def test_continuity_counts_the_three_most_frequent_workers():
    rota = Rota(assignments=(
        row("V1-Mon", "C1", "W1", "Mon", "08:00", "08:30"),
        row("V3-Mon", "C3", "W1", "Mon", "12:00", "13:00"),
        row("V3-Mon", "C3", "W2", "Mon", "12:00", "13:00"),
        row("V3-Sat", "C3", "W3", "Sat", "12:00", "13:00"),
        row("V3-Sat", "C3", "W4", "Sat", "12:00", "13:00"),
        row("V5-Sat", "C3", "W1", "Sat", "10:00", "11:00"),
    ))
    kpis = compute_kpis(make_caseload(), rota)
    # C3: W1 2 rows, W2, W3, W4 1 each -> top 3 = 4 of 5; C1: 1 of 1; pooled 5 of 6
    assert kpis["continuity_pct"] == pytest.approx(100 * 5 / 6, abs=1e-4)
    assert kpis["mean_distinct_workers_per_customer"] == 2.5  # C1 1, C3 4
    assert kpis["max_distinct_workers_per_customer"] == 4
    # weekend rows: W3, W4 (V3-Sat) and W1 (V5-Sat); only W1 has a weekday row at C3
    assert kpis["weekend_familiar_pct"] == pytest.approx(100 / 3, abs=1e-4)
    assert kpis["visits_assigned"] == 4 and kpis["visits_unassigned"] == 4


def test_figures_without_rows():
    kpis = compute_kpis(make_caseload(previous=[]), Rota())
    assert kpis["visits_assigned"] == 0 and kpis["visits_unassigned"] == 8
    assert kpis["care_hours_delivered"] == 0.0 and kpis["travel_share"] == 0.0
    assert kpis["continuity_pct"] == 0.0 and kpis["max_distinct_workers_per_customer"] == 0
    assert kpis["weekend_familiar_pct"] is None
    assert kpis["punctuality_mean_abs_dev_min"] is None
    assert kpis["effective_hourly_pay_mean"] is None
    assert kpis["effective_hourly_pay_min"] is None
    assert kpis["utilisation_pct"] == 0.0
    assert kpis["paid_idle_hours"] == 10.0  # W3's guarantee, all idle
    assert kpis["pay_total"] == pytest.approx(115.0)  # 10 h x 11.50
    assert kpis["changes_vs_previous"] == 0  # no previous rota


def test_weekend_familiar_is_null_without_weekend_rows():
    rota = Rota(assignments=(row("V1-Mon", "C1", "W1", "Mon", "08:00", "08:30"),))
    assert compute_kpis(make_caseload(), rota)["weekend_familiar_pct"] is None


def test_changes_count_worker_and_start():
    # V1-Mon moved by 5 min: a 4th change; V2-Mon back with W3 last week is still W1 now
    rota = change_row(make_rota(), "V1-Mon", "W1", start="08:05", end="08:35")
    assert compute_kpis(make_caseload(), rota)["changes_vs_previous"] == 4


def test_rows_outside_availability_are_still_costed():
    # V4-Mon at 16:29 lies before W2's 16:30 shift: a pseudo-run home -> C1 -> home, 12 + 12 min
    rota = change_row(make_rota(), "V4-Mon", "W2", start="16:29", end="16:59")
    kpis = compute_kpis(make_caseload(), rota)
    assert kpis["travel_hours"] == pytest.approx(184 / 60, abs=1e-4)
    assert kpis["split_shift_days"] == 0  # the pseudo-run is no availability row


@pytest.mark.parametrize("name", ["valid", "continuity"])
def test_figures_agree_with_referee(tmp_path, name):
    referee = load_checker()
    caseload = make_caseload()
    rota = make_rota() if name == "valid" else Rota(assignments=(
        row("V1-Mon", "C1", "W1", "Mon", "08:00", "08:30"),
        row("V3-Mon", "C3", "W1", "Mon", "12:00", "13:00"),
        row("V3-Mon", "C3", "W2", "Mon", "12:00", "13:00"),
        row("V3-Sat", "C3", "W3", "Sat", "12:00", "13:00"),
        row("V3-Sat", "C3", "W4", "Sat", "12:00", "13:00"),
        row("V5-Sat", "C3", "W1", "Sat", "10:00", "11:00"),
    ))
    kpis = compute_kpis(caseload, rota)
    write_caseload(caseload, tmp_path / "caseload")
    write_rota(rota, tmp_path / "rota", kpis)
    report = referee.check_paths(tmp_path / "caseload", tmp_path / "rota")
    assert not report.rules() & {"kpi_missing", "kpi_mismatch"}
    for key, figure in report.figures.items():
        assert not referee.figure_differs(key, figure, kpis[key]), key
