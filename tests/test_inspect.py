"""Caseload figures on a tiny hand-made caseload, checked by hand."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from models import AvailabilityRow, Caseload, Customer, Preference, VisitTemplate, Worker
from scheduler.cli import main
from scheduler.inspect import (
    HomeLegs,
    eligible_workers,
    fits_shift,
    reachable_workers,
    render,
    short_instances,
    summarise,
)
from scheduler.io import write_caseload


def tiny() -> Caseload:
    """Two customers, two workers, three templates (four instances), easy to check by hand.

    - C1: V1 Mon 08:00 60 min, double-handed; V3 Sat 09:00 30 min.
    - C2 (female workers only): V2 Mon;Tue 12:00 30 min, needs medication.
    - W1 (female, medication): Mon 07:00-13:00 and 16:00-22:00 (a split shift).
    - W2 (male, hoist, by bike, 8 minutes from C1): Mon 08:00-12:00, Sat 08:00-12:00.
    """
    return Caseload(
        name="tiny",
        customers=(
            Customer(customer_id="C1", lat=52.0, lon=-1.0),
            Customer(customer_id="C2", lat=52.01, lon=-1.0, gender_preference="female"),
        ),
        visits=(
            VisitTemplate(visit_id="V1", customer_id="C1", days="Mon", start="08:00",
                          duration_min=60, workers_required=2, type="morning"),
            VisitTemplate(visit_id="V2", customer_id="C2", days="Mon;Tue", start="12:00",
                          duration_min=30, skills="medication", type="medication",
                          priority="critical"),
            VisitTemplate(visit_id="V3", customer_id="C1", days="Sat", start="09:00",
                          duration_min=30, type="shower"),
        ),
        workers=(
            Worker(worker_id="W1", lat=52.0, lon=-1.01, gender="female", skills="medication",
                   contract="full-time", min_hours_week=20),
            Worker(worker_id="W2", lat=52.0, lon=-1.02, gender="male", skills="hoist",
                   transport="bike", contract="zero-hours"),
        ),
        availability=(
            AvailabilityRow(worker_id="W1", day="Mon", start="07:00", end="13:00"),
            AvailabilityRow(worker_id="W1", day="Mon", start="16:00", end="22:00"),
            AvailabilityRow(worker_id="W2", day="Mon;Sat", start="08:00", end="12:00"),
        ),
    )


def replaced(model: Caseload, **tables) -> Caseload:
    """A new caseload with some tables replaced (``model_copy`` would keep cached views);
    cross checks skipped, so inspect can be shown caseloads the reader would refuse."""
    data = {**model.model_dump(), **tables}
    return Caseload.model_validate(data, context={"skip_cross_checks": True})


def test_counts():
    s = summarise(tiny())
    assert (s.customers, s.workers, s.templates, s.instances) == (2, 2, 3, 4)
    assert s.instances_by_day == {"Mon": 2, "Tue": 1, "Sat": 1}
    assert s.instances_by_type == {"medication": 2, "morning": 1, "shower": 1}
    assert s.workers_by_contract == {"full-time": 1, "zero-hours": 1}
    assert s.workers_by_transport == {"bike": 1, "car": 1}
    assert s.gender_preferences == {"female": 1}


def test_hours_count_a_double_handed_hour_twice():
    s = summarise(tiny())
    # V1 60 min x 2 workers + V2 2 x 30 min + V3 30 min = 210 min = 3.5 h
    assert s.care_hours == 3.5
    # with the customers: 60 + 60 + 30 = 150 min = 2.5 h (C1 1.5 h, C2 1 h)
    assert s.customer_hours == 2.5
    assert s.customers_by_hours["1-4 h"] == 2
    assert (s.double_handed, s.double_handed_share) == (1, 0.25)


def test_availability_figures():
    s = summarise(tiny())
    # W1 6 h + 6 h on Monday, W2 4 h Monday + 4 h Saturday = 20 h
    assert s.available_hours == 20
    assert s.split_shift_days == 1  # W1 on Monday
    # weekend (4 h / 2 days = 2 h) over weekday (16 h / 5 days = 3.2 h)
    assert s.weekend_availability_ratio == 0.625
    assert s.guaranteed_hours == 20


def test_demand_is_spread_over_the_window():
    s = summarise(tiny())
    eight = next(h for h in s.weekday_hours if h.hour == 8)
    # V1 starts at 07:45, 08:00 or 08:15 (a third each), 2 workers: minutes in 08:00-09:00 are
    # (45 + 60 + 45) x 2 / 3 = 100 on Monday, 0 on the other weekdays -> 100 / 5 / 60 h a day
    assert eight.demand_h == round(100 / 5 / 60, 2)
    # W1 and W2 both available all of 08:00-09:00 on Monday: 120 min / 5 days
    assert eight.capacity_h == round(120 / 5 / 60, 2)


def test_peak_is_an_hour_with_demand_and_no_capacity():
    peak = summarise(tiny()).peak
    # V2 on Tuesday: nobody works on Tuesday; its first minutes fall in 11:00-12:00
    assert (peak.day, peak.hour, peak.capacity_h) == ("Tue", 11, 0)


def test_warnings_name_the_visits_nobody_can_do():
    s = summarise(tiny())
    assert any("V2-Tue" in w and "shift can hold" in w for w in s.warnings)
    assert any("Tue 11:00" in w and "Tue 12:00" in w for w in s.warnings)
    assert not any("V1-Mon" in w or "V3-Sat" in w for w in s.warnings)


def test_eligibility_follows_skills_gender_and_bans():
    model = tiny()
    assert eligible_workers(model) == {"V1": ("W1", "W2"), "V2": ("W1",), "V3": ("W1", "W2")}
    banned = replaced(model, preferences=[Preference(customer_id="C1", worker_id="W2",
                                                     kind="banned")])
    assert eligible_workers(banned)["V1"] == ("W1",)
    assert short_instances(banned) == {
        "have too few eligible workers (skills, gender, bans, zone)": ["V1-Mon"],
        # V3 on Saturday: W2 is banned and W1 does not work on Saturdays
        "have too few eligible workers whose shift can hold them (travel from and to home "
        "included)": ["V2-Tue", "V3-Sat"],
    }
    assert eligible_workers(model, ignore_skills=True)["V2"] == ("W1",)  # W2 is male


def test_reach_counts_the_walk_from_home():
    # on foot W2 needs 23 min to C1 (1.37 km x 1.3 detour at 4.8 km/h): leaving at 08:00 he
    # arrives after 08:15, the latest start of V1, so V1 on Monday has one worker, not two
    walking = replaced(tiny(), workers=[
        tiny().workers[0], tiny().workers[1].model_copy(update={"transport": "walk"})])
    reach = reachable_workers(walking, eligible_workers(walking), HomeLegs.of(walking))
    assert reach["V1-Mon"] == ["W1"]
    assert reach["V3-Sat"] == ["W2"]  # 09:00 +- 15: leaving at 08:00 is early enough
    assert short_instances(walking)[
        "have too few eligible workers whose shift can hold them (travel from and to home "
        "included)"] == ["V1-Mon", "V2-Tue"]


@pytest.mark.parametrize(
    ("start", "end", "fits"),
    [
        ("07:00", "13:00", True),
        ("08:15", "09:15", True),  # starts at the end of the window, stays 60 min
        ("08:16", "10:00", False),  # opens after the latest start
        ("06:00", "08:44", False),  # closes before the earliest end (07:45 + 60)
    ],
)
def test_fits_shift_uses_the_window(start, end, fits):
    model = replaced(tiny(), availability=[
        AvailabilityRow(worker_id="W1", day="Mon", start=start, end=end)])
    visit = model.instance_by_id["V1-Mon"]
    assert fits_shift(model.shifts[0], visit) is fits


def test_render_and_json():
    s = summarise(tiny())
    text = render(s)
    assert "4 instances of 3 templates" in text and "3.5 worker-hours" in text
    assert "warning:" in text
    assert json.loads(json.dumps(s.to_dict()))["care_hours"] == 3.5
    assert s.one_line().startswith("2 customers, 2 workers, 4 visits (25.0 % double-handed)")


def test_cli_inspect(tmp_path):
    write_caseload(tiny(), tmp_path / "tiny")
    runner = CliRunner()
    shown = runner.invoke(main, ["inspect", str(tmp_path / "tiny"), "--json"])
    assert shown.exit_code == 0, shown.output
    assert json.loads(shown.output)["instances"] == 4
    missing = runner.invoke(main, ["inspect", str(tmp_path / "nowhere")])
    assert missing.exit_code == 2 and "not found" in missing.output
