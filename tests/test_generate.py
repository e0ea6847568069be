"""Synthetic caseloads: determinism, loading back, round trips and the shape of what comes out."""

from __future__ import annotations

import functools
import itertools
import warnings
from collections import defaultdict
from pathlib import Path

import pytest
from click.testing import CliRunner

from models import Caseload
from models.base import MINUTES_PER_DAY
from scheduler.cli import main
from scheduler.generate import (
    GEOGRAPHIES,
    PRESETS,
    SIZES,
    WEEK_START,
    generate,
    generate_preset,
)
from scheduler.inspect import summarise
from scheduler.io import CaseloadWarning, read_caseload, write_caseload

SAMPLES = Path(__file__).resolve().parent.parent / "data" / "samples"
SAMPLE_SEEDS = {"riverside": 14, "shire": 6}
"""The seeds the bundled samples were generated with (their README.md gives the command)."""

WORKERS = {"S": (6, 20), "M": (25, 60), "L": (55, 130), "XL": (250, 500)}
"""Workers per size: the calibration decides, these are the sane bounds."""


@functools.cache
def caseload(size: str, geography: str, seed: int) -> Caseload:
    """Generated once per test session (generation is deterministic)."""
    return generate(size, geography, seed)


def round_trip(model: Caseload, folder: Path) -> Caseload:
    """Write as a folder and read back, failing on any reader warning."""
    write_caseload(model, folder)
    with warnings.catch_warnings():
        warnings.simplefilter("error", CaseloadWarning)
        return read_caseload(folder)


# ----------------------------------------------------------------------------- determinism


def test_same_seed_same_caseload():
    assert generate("M", "mixed", 3).model_dump() == generate("M", "mixed", 3).model_dump()


def test_different_seed_different_caseload():
    first, second = generate("S", "urban", 1), generate("S", "urban", 2)
    assert first.model_dump()["customers"] != second.model_dump()["customers"]
    assert first.model_dump()["visits"] != second.model_dump()["visits"]


def test_unknown_size_or_geography_is_refused():
    with pytest.raises(ValueError, match="unknown size"):
        generate("XXL", "urban", 1)
    with pytest.raises(ValueError, match="unknown geography"):
        generate("S", "lunar", 1)


# ----------------------------------------------------------------------------- loading back


@pytest.mark.parametrize("geography", GEOGRAPHIES)
@pytest.mark.parametrize("size", ["S", "M", "L"])
def test_loads_back_without_errors_or_warnings(size, geography, tmp_path):
    model = caseload(size, geography, 11)
    read = round_trip(model, tmp_path / "caseload")
    assert read.model_dump() == model.model_dump()
    assert summarise(read).warnings == ()


def test_xl_loads_back_as_json(tmp_path):
    model = caseload("XL", "mixed", 7)
    write_caseload(model, tmp_path / "xl.json")
    assert read_caseload(tmp_path / "xl.json").model_dump() == model.model_dump()


@pytest.mark.parametrize("size", ["S", "M", "L"])
def test_folder_round_trip_is_stable(size, tmp_path):
    first = round_trip(caseload(size, "mixed", 5), tmp_path / "a")
    second = round_trip(first, tmp_path / "b")
    assert second.model_dump() == first.model_dump()
    for name in ("customers.csv", "visits.csv", "workers.csv", "availability.csv"):
        assert (tmp_path / "a" / name).read_text() == (tmp_path / "b" / name).read_text()


@pytest.mark.parametrize("name", sorted(PRESETS))
def test_samples_load_round_trip_and_regenerate(name, tmp_path):
    sample = read_caseload(SAMPLES / name)
    assert round_trip(sample, tmp_path / name).model_dump() == sample.model_dump()
    regenerated = generate_preset(name, SAMPLE_SEEDS[name])
    assert regenerated.model_dump() == sample.model_dump()


# ----------------------------------------------------------------------------- shape


@pytest.mark.parametrize("size", ["S", "M", "L"])
def test_counts_are_in_range(size):
    for geography in GEOGRAPHIES:
        model = caseload(size, geography, 11)
        low, high = WORKERS[size]
        assert len(model.customers) == SIZES[size]
        assert low <= len(model.workers) <= high, (geography, len(model.workers))


def test_large_caseload_has_about_1200_care_hours_and_2200_visits():
    figures = summarise(caseload("L", "mixed", 11))
    assert 1000 <= figures.care_hours <= 1400
    assert 1900 <= figures.instances <= 2700


@pytest.mark.parametrize("size", ["S", "M", "L"])
def test_double_handed_share_is_10_to_15_percent(size):
    for geography in GEOGRAPHIES:
        share = summarise(caseload(size, geography, 11)).double_handed_share
        assert 0.10 <= share <= 0.15


def test_double_handed_visits_are_mostly_hoist_transfers():
    visits = [v for v in caseload("L", "mixed", 11).visits if v.workers_required == 2]
    hoist = sum(1 for v in visits if "hoist" in v.skills)
    assert hoist >= 0.6 * len(visits)


def test_hours_per_customer_are_right_skewed():
    bands = summarise(caseload("L", "urban", 11)).customers_by_hours
    assert bands["1-4 h"] > bands["4-10 h"] > bands["10-20 h"] > bands["20-35 h"] > 0
    assert bands["0-1 h"] == 0 and bands["35+ h"] == 0


def test_visit_lengths_and_windows_are_plausible():
    model = caseload("L", "mixed", 11)
    for v in model.instances:
        clock = v.preferred_start - v.day * MINUTES_PER_DAY
        assert v.duration_min % 15 == 0 and v.duration_min >= 15
        assert v.earliest >= v.day * MINUTES_PER_DAY
        assert v.latest + v.duration_min <= (v.day + 1) * MINUTES_PER_DAY
        if v.type == "morning":
            assert 7 * 60 <= clock <= 10 * 60 and v.duration_min in (45, 60)
        if v.type == "lunch":
            assert 11 * 60 + 30 <= clock <= 14 * 60
        if v.type == "bed":
            assert 19 * 60 <= clock <= 21 * 60
        if v.type in ("social", "shopping"):
            assert v.day < 5 and v.priority == "flexible" and v.duration_min >= 60


def test_rural_visits_last_at_least_30_minutes():
    assert min(v.duration_min for v in caseload("M", "rural", 11).visits) >= 30


def test_medication_visits_are_critical_punctual_and_spaced():
    medication = [v for v in caseload("L", "mixed", 11).visits if v.type == "medication"]
    assert medication
    assert all("medication" in v.skills and v.tolerance_min == 0 for v in medication)
    assert all(v.priority == "critical" for v in medication)
    assert sum(1 for v in medication if v.min_gap_after_min >= 60) >= 0.8 * len(medication)


def test_a_customers_visits_never_overlap_even_at_the_window_edges():
    model = caseload("L", "rural", 11)
    spans = defaultdict(list)
    for v in model.instances:
        spans[v.customer_id].append((v.earliest, v.latest + v.duration_min, v))
    for items in spans.values():
        items.sort(key=lambda item: item[:2])
        for (_, end, first), (start, _, _) in itertools.pairwise(items):
            assert end <= start
            assert end + first.min_gap_after_min <= start


def test_availability_keeps_span_and_rest_rules():
    model = caseload("L", "mixed", 11)
    days = defaultdict(list)
    for shift in model.shifts:
        days[(shift.worker_id, shift.day)].append(shift)
    for shifts in days.values():
        shifts.sort(key=lambda s: s.start)
        assert shifts[-1].end - shifts[0].start <= model.policy.max_shift_span_min
        assert all(a.end <= b.start for a, b in itertools.pairwise(shifts))
    for (worker_id, day), shifts in days.items():
        following = days.get((worker_id, day + 1))
        if following:
            rest = min(s.start for s in following) - max(s.end for s in shifts)
            assert rest >= model.policy.min_rest_between_days_min


def test_workforce_mix():
    figures = summarise(caseload("L", "mixed", 11))
    assert set(figures.workers_by_contract) == {"full-time", "part-time", "zero-hours"}
    assert {"car", "walk", "bike", "public"} <= set(figures.workers_by_transport)
    assert figures.workers_by_gender["female"] > 0.7 * figures.workers
    assert {"medication", "hoist", "dementia", "peg"} <= set(figures.skills_held)
    assert figures.split_shift_days > figures.workers
    assert 0.45 <= figures.weekend_availability_ratio <= 0.8
    assert figures.guaranteed_hours > 0


def test_non_drivers_live_in_town():
    model = caseload("M", "mixed", 11)
    centre_lat = sum(c.lat for c in model.customers) / len(model.customers)
    walkers = [w for w in model.workers if w.transport == "walk"]
    drivers = [w for w in model.workers if w.transport == "car"]
    spread = lambda ws: sum(abs(w.lat - centre_lat) for w in ws) / len(ws)  # noqa: E731
    assert walkers and spread(walkers) < spread(drivers)


def test_utilisation_at_the_busiest_hour_leaves_room_for_travel():
    peak = summarise(caseload("L", "mixed", 11)).peak
    assert peak.demand_h / peak.capacity_h <= 0.85


def test_week_and_ids_are_fixed():
    model = caseload("S", "urban", 11)
    assert model.week_start == WEEK_START
    assert model.customers[0].customer_id == "C001"
    assert model.workers[0].worker_id == "W01"
    assert model.visits[0].visit_id == "V0001"


def test_xl_has_zones_each_with_its_own_provider():
    model = caseload("XL", "mixed", 7)
    zones = {c.zone for c in model.customers}
    assert 4 <= len(zones) <= 6
    provider_of = {c.zone: c.provider for c in model.customers}
    assert len(set(provider_of.values())) == len(zones)
    assert all(provider_of[c.zone] == c.provider for c in model.customers)
    for worker in model.workers:
        assert len(worker.zones) == 1 and provider_of[worker.zones[0]] == worker.provider
    assert len(model.customers) == 1000 and WORKERS["XL"][0] <= len(model.workers)


def test_previous_rota_uses_this_weeks_visits_and_small_teams():
    model = caseload("L", "urban", 11)
    rows = model.previous_rota
    assert {r.visit_id for r in rows} <= set(model.instance_by_id)
    assert {r.worker_id for r in rows} <= set(model.worker_by_id)
    covered = len({r.visit_id for r in rows})
    assert covered >= 0.7 * len(model.instances)
    shifts = defaultdict(list)
    for shift in model.shifts:
        shifts[(shift.worker_id, shift.day)].append(shift)
    teams = defaultdict(set)
    for row in rows:
        visit = model.instance_by_id[row.visit_id]
        start = row.day * MINUTES_PER_DAY + row.start
        assert row.customer_id == visit.customer_id
        assert visit.earliest <= start <= visit.latest
        assert row.end - row.start == visit.duration_min
        assert any(s.start <= start and start + visit.duration_min <= s.end
                   for s in shifts[(row.worker_id, row.day)])
        teams[row.customer_id].add(row.worker_id)
    small = sum(1 for team in teams.values() if len(team) <= 3)
    assert small >= 0.7 * len(teams)


def test_preferences_name_regulars_from_last_week_and_a_few_bans():
    model = caseload("L", "mixed", 11)
    kinds = summarise(model).preferences
    assert kinds.get("regular", 0) > 10 and kinds.get("banned", 0) > 0
    last_week = {(r.customer_id, r.worker_id) for r in model.previous_rota}
    assert model.regular_pairs <= last_week
    assert not model.banned_pairs & last_week


def test_gender_preferences_are_female_only_and_rare():
    customers = caseload("L", "mixed", 11).customers
    preferring = [c for c in customers if c.gender_preference]
    assert all(c.gender_preference == "female" for c in preferring)
    assert 0 < len(preferring) < 0.15 * len(customers)


# ----------------------------------------------------------------------------- command line


def test_cli_generate_then_inspect(tmp_path):
    runner = CliRunner()
    out = tmp_path / "s1"
    done = runner.invoke(main, ["generate", "--size", "S", "--geography", "rural", "--seed",
                                "1", "--out", str(out)])
    assert done.exit_code == 0, done.output
    assert "25 customers" in done.output and (out / "caseload.yaml").is_file()
    shown = runner.invoke(main, ["inspect", str(out)])
    assert shown.exit_code == 0, shown.output
    assert "double-handed" in shown.output and "warnings: none" in shown.output


def test_cli_generate_json_and_preset(tmp_path):
    runner = CliRunner()
    done = runner.invoke(main, ["generate", "--preset", "riverside", "--seed", "14", "--out",
                                str(tmp_path / "river"), "--json"])
    assert done.exit_code == 0, done.output
    assert read_caseload(tmp_path / "river.json").model_dump() == (
        read_caseload(SAMPLES / "riverside").model_dump()
    )


def test_cli_generate_needs_size_or_preset(tmp_path):
    done = CliRunner().invoke(main, ["generate", "--seed", "1", "--out", str(tmp_path / "x")])
    assert done.exit_code == 2 and "--size or --preset" in done.output
