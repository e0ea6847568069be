"""The travel model of FORMAT.md: great-circle km x detour, whole minutes per mode, the public
transport wait, travel.csv overrides, and agreement with the independent checker."""

from __future__ import annotations

import math

import numpy as np
import pytest
from referee import load_checker

from models import Caseload, Customer, TravelOverride, TravelSettings, Worker
from scheduler.io import read_caseload, write_caseload
from scheduler.travel import (
    BLOCK_ROWS,
    EARTH_RADIUS_KM,
    build_travel,
    haversine_matrix,
    leg_minutes,
)

MODES = ("car", "bike", "walk", "public")
KM_PER_DEGREE = 111.1950802335329
"""6371.0088 km x pi / 180: one degree of a great circle."""


def _km(lat1, lon1, lat2, lon2) -> float:
    return float(haversine_matrix(np.array([lat1, lat2]), np.array([lon1, lon2]))[0, 1])


def _caseload(places, travel_matrix=(), travel=None) -> Caseload:
    """Customers ``C*`` and workers ``W*-<mode>`` at (lat, lon); default travel settings."""
    customers = [Customer(customer_id=pid, lat=lat, lon=lon)
                 for pid, (lat, lon) in places.items() if pid.startswith("C")]
    workers = [Worker(worker_id=pid, lat=lat, lon=lon, transport=pid.split("-")[1])
               for pid, (lat, lon) in places.items() if pid.startswith("W")]
    return Caseload(customers=customers, workers=workers, travel=travel or TravelSettings(),
                    travel_matrix=[TravelOverride(**row) for row in travel_matrix])


# ----------------------------------------------------------------------------- haversine


def test_earth_radius_is_the_formats():
    assert EARTH_RADIUS_KM == 6371.0088


@pytest.mark.parametrize(
    ("lat1", "lon1", "lat2", "lon2", "km"),
    [
        (0, 0, 1, 0, KM_PER_DEGREE),  # one degree of latitude
        (51.5, -0.1, 52.5, -0.1, KM_PER_DEGREE),  # anywhere along a meridian
        (0, 0, 0, 1, KM_PER_DEGREE),  # one degree of longitude on the equator
        (0, 0, 0, 90, 6371.0088 * math.pi / 2),  # a quarter of the equator: 10007.557 km
        (0, 0, 0, 180, 6371.0088 * math.pi),  # antipodes: 20015.114 km
        (90, 0, -90, 0, 6371.0088 * math.pi),  # pole to pole
        (60, 0, 60, 1, 6371.0088 * 2 * math.asin(0.5 * math.sin(math.radians(0.5)))),
        # ^ along the 60th parallel: haversine = cos^2(60) sin^2(0.5 deg) = (sin(0.5 deg)/2)^2
        (51.5, -0.1, 51.5, -0.1, 0.0),  # the same point
    ],
)
def test_haversine_hand_computed(lat1, lon1, lat2, lon2, km):
    assert _km(lat1, lon1, lat2, lon2) == pytest.approx(km, rel=1e-12, abs=1e-12)
    assert _km(lat2, lon2, lat1, lon1) == pytest.approx(km, rel=1e-12, abs=1e-12)


def test_haversine_keeps_precision_for_close_points():
    # 1e-6 degree of latitude is 11 cm: 1e-6 x 111.195 km = 1.11195e-4 km
    assert _km(51.5, -0.1, 51.500001, -0.1) == pytest.approx(1e-6 * KM_PER_DEGREE, rel=1e-6)
    assert _km(51.5, -0.1, 51.5, -0.1 + 1e-9) > 0


def test_haversine_matrix_matches_the_textbook_formula_across_blocks():
    # more points than one block of rows, near (series branch) and far (arcsine branch)
    rng = np.random.default_rng(7)
    n = BLOCK_ROWS + 88
    lat = np.concatenate([rng.uniform(51.3, 51.7, n // 2), rng.uniform(-80, 80, n - n // 2)])
    lon = np.concatenate([rng.uniform(-0.5, 0.3, n // 2), rng.uniform(-180, 180, n - n // 2)])
    phi, lam = np.radians(lat), np.radians(lon)
    a = (np.sin((phi[:, None] - phi[None, :]) / 2) ** 2
         + np.cos(phi[:, None]) * np.cos(phi[None, :])
         * np.sin((lam[:, None] - lam[None, :]) / 2) ** 2)
    reference = 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0, 1)))
    got = haversine_matrix(lat, lon)
    assert got.shape == (n, n)
    np.testing.assert_allclose(got, reference, rtol=1e-9, atol=1e-9)
    np.testing.assert_array_equal(np.diag(got), 0.0)
    np.testing.assert_allclose(got, got.T, rtol=1e-12, atol=1e-12)


# ----------------------------------------------------------------------------- minutes


def test_leg_minutes_round_up_to_whole_minutes():
    km = np.array([0.0, 0.5, 1.0, 1.0000001, 0.01])
    # at 30 km/h a km takes 2 minutes: 0 -> 0, 0.5 -> 1, 1.0 -> 2, a hair over -> 3, 10 m -> 1
    assert leg_minutes(km, 30.0).tolist() == [0, 1, 2, 3, 1]


def test_leg_minutes_ignore_float_noise():
    # 0.1 x 3 = 0.30000000000000004 km at 18 km/h is 1.0000000000000002 min: one minute
    assert leg_minutes(np.array([0.1 * 3]), 18.0).tolist() == [1]


def test_public_wait_only_on_legs_that_move():
    km = np.array([0.0, 0.001, 7.0])
    # at 14 km/h: 0 -> 0 (no wait); 1 m -> 1 + 8; 7 km -> 30 + 8
    assert leg_minutes(km, 14.0, wait_min=8).tolist() == [0, 9, 38]


def test_minutes_per_mode():
    # every worker 0.1 degree north of C1: 11.1195 km x 1.3 = 14.45536 km by road
    places = {"C1": (51.0, 0.0), **{f"W-{mode}": (51.1, 0.0) for mode in MODES}}
    travel = build_travel(_caseload(places))
    c, w = travel.index["C1"], travel.index["W-car"]
    expected = {
        "car": 29,  # 14.45536 / 30 x 60 = 28.91 -> 29
        "bike": 62,  # 14.45536 / 14 x 60 = 61.95 -> 62
        "walk": 181,  # 14.45536 / 4.8 x 60 = 180.69 -> 181
        "public": 70,  # as the bike, 62, + the 8 min wait
    }
    assert {mode: int(travel.minutes[mode][c, w]) for mode in MODES} == expected
    assert {mode: int(travel.minutes[mode][w, c]) for mode in MODES} == expected
    for mode in MODES:
        assert travel.km[mode][c, w] == pytest.approx(0.1 * KM_PER_DEGREE * 1.3, rel=1e-12)


def test_settings_change_the_model():
    places = {"C1": (51.0, 0.0), "W1-public": (51.1, 0.0)}
    settings = TravelSettings(detour_factor=1.0, speed_kmh={"public": 20}, public_wait_min=3)
    travel = build_travel(_caseload(places, travel=settings))
    # 11.1195 km / 20 x 60 = 33.36 -> 34, + 3 min wait
    assert int(travel.minutes["public"][0, 1]) == 37
    assert travel.km["public"][0, 1] == pytest.approx(0.1 * KM_PER_DEGREE, rel=1e-12)


def test_same_coordinates_cost_nothing_even_by_public_transport():
    # C2 lives at the worker's home coordinates; C1 is about 30 km away
    places = {"C1": (51.0, 0.0), "C2": (51.2, 0.3), "W1-public": (51.2, 0.3)}
    travel = build_travel(_caseload(places))
    i, j = travel.index["C2"], travel.index["W1-public"]
    assert travel.minutes["public"][i, j] == travel.minutes["public"][j, i] == 0
    assert travel.km["public"][i, j] == 0.0
    np.testing.assert_array_equal(np.diag(travel.minutes["public"]), 0)
    assert travel.minutes["public"][travel.index["C1"], j] > 8


def test_only_the_workers_modes_are_built_unless_asked():
    places = {"C1": (51.0, 0.0), "W1-bike": (51.1, 0.0)}
    assert set(build_travel(_caseload(places)).minutes) == {"bike"}
    assert set(build_travel(_caseload(places), set(MODES)).minutes) == set(MODES)


# ----------------------------------------------------------------------------- travel.csv


def test_overrides_are_directed_and_a_moded_row_wins():
    places = {"C1": (51.0, 0.0), "C2": (51.0, 0.1), "W1-car": (51.1, 0.0),
              "W2-bike": (51.1, 0.1), "W3-public": (51.05, 0.05)}
    rows = [
        {"from_id": "C1", "to_id": "C2", "minutes": 7, "km": 2.5, "mode": "car"},  # first
        {"from_id": "C1", "to_id": "C2", "minutes": 5, "km": 2.0},  # every other mode
        {"from_id": "C2", "to_id": "W2-bike", "minutes": 0, "km": 0.0, "mode": "bike"},
        {"from_id": "C1", "to_id": "X9", "minutes": 1, "km": 0.1},  # unknown place: ignored
    ]
    plain = build_travel(_caseload(places))
    travel = build_travel(_caseload(places, rows))
    a, b, w2 = travel.index["C1"], travel.index["C2"], travel.index["W2-bike"]
    assert (travel.minutes["car"][a, b], travel.km["car"][a, b]) == (7, 2.5)
    assert (travel.minutes["bike"][a, b], travel.km["bike"][a, b]) == (5, 2.0)
    # no public-transport wait on an override
    assert (travel.minutes["public"][a, b], travel.km["public"][a, b]) == (5, 2.0)
    assert travel.minutes["bike"][b, w2] == 0 and travel.km["bike"][b, w2] == 0.0
    # the other direction, and other modes of an override with a mode, keep the model
    for mode in ("car", "bike", "public"):
        assert travel.minutes[mode][b, a] == plain.minutes[mode][b, a]
        assert travel.km[mode][b, a] == plain.km[mode][b, a]
    assert travel.minutes["car"][b, w2] == plain.minutes["car"][b, w2]
    assert travel.km["car"][b, w2] == plain.km["car"][b, w2]
    # everything not overridden is the model
    changed = np.zeros_like(plain.minutes["car"], dtype=bool)
    changed[a, b] = True
    for mode in ("car", "public"):
        np.testing.assert_array_equal(travel.minutes[mode][~changed], plain.minutes[mode][~changed])
    changed[b, w2] = True
    np.testing.assert_array_equal(travel.minutes["bike"][~changed], plain.minutes["bike"][~changed])


# ----------------------------------------------------------------------------- the checker


@pytest.mark.filterwarnings("ignore:.*the care plan has no visits")  # places only
def test_agrees_with_the_checker_on_random_places(tmp_path):
    """Every leg, in both directions, for every mode: the same whole minutes and km."""
    checker = load_checker()
    rng = np.random.default_rng(20261123)
    city = [(rng.uniform(51.40, 51.60), rng.uniform(-0.30, 0.10)) for _ in range(40)]
    far = [(rng.uniform(-70, 70), rng.uniform(-179, 179)) for _ in range(8)]
    points = city + far + [city[0], city[1]]  # two homes at a customer's address
    places = {f"C{i}": p for i, p in enumerate(points[:30])}
    places |= {f"W{i}-{MODES[i % 4]}": p for i, p in enumerate(points[30:])}
    rows = [
        {"from_id": "C0", "to_id": "C1", "minutes": 3, "km": 0.7},
        {"from_id": "C0", "to_id": "C1", "minutes": 2, "km": 0.6, "mode": "bike"},
        {"from_id": "W1-bike", "to_id": "C5", "minutes": 40, "km": 9.5},
    ]
    write_caseload(_caseload(places, rows), tmp_path)  # both read the same folder
    ours = build_travel(read_caseload(tmp_path), set(MODES))
    theirs = checker.load_caseload(tmp_path)
    homes = {p.id: p for p in (c.place for c in theirs.customers.values())}
    homes |= {w.place.id: w.place for w in theirs.workers.values()}
    assert set(homes) == set(ours.place_ids)
    legs = 0
    for mode in MODES:
        for a in ours.place_ids:
            for b in ours.place_ids:
                leg = theirs.travel.leg(homes[a], homes[b], mode)
                i, j = ours.index[a], ours.index[b]
                assert ours.minutes[mode][i, j] == leg.minutes, (mode, a, b)
                assert ours.km[mode][i, j] == pytest.approx(leg.km, rel=1e-9, abs=1e-9)
                legs += 1
    assert legs == 4 * 50 * 50
