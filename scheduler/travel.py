"""The travel model of FORMAT.md, for all pairs of places at once.

``km = haversine x detour_factor`` (Earth radius 6371.0088 km); ``minutes = ceil(km / speed x 60)``
for the worker's transport mode, plus ``public_wait_min`` on public transport legs longer than
0 km; the same coordinates give 0 minutes and 0 km. travel.csv rows replace the model for their
directed pair (a row with a mode wins for that mode), with no wait added.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from models import Caseload

EARTH_RADIUS_KM = 6371.0088
CEIL_SLACK = 1e-9
"""Minutes within this of a whole number round down, so float noise never adds a minute."""


SERIES_LIMIT = 0.01
"""Below this half-chord (about 127 km) arcsine is a 5-term series, exact to double precision."""

BLOCK_ROWS = 512
"""Rows computed at a time, so the working arrays stay in cache."""


def haversine_matrix(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    """Great-circle km between every pair of points (degrees), as an (n, n) float64 array.

    Uses ``sin((a - b) / 2) = sin(a/2)cos(b/2) - cos(a/2)sin(b/2)`` so that no trigonometry
    runs on n x n elements and short distances keep full precision.
    """
    phi, lam = np.radians(lat) / 2, np.radians(lon) / 2
    sin_phi, cos_phi, sin_lam, cos_lam = np.sin(phi), np.cos(phi), np.sin(lam), np.cos(lam)
    cos_lat = np.cos(2 * phi)
    out = np.empty((len(lat), len(lat)), dtype=np.float64)
    for top in range(0, len(lat), BLOCK_ROWS):
        rows = slice(top, top + BLOCK_ROWS)
        half_dlat = np.multiply.outer(sin_phi[rows], cos_phi)
        half_dlat -= np.multiply.outer(cos_phi[rows], sin_phi)
        half_dlon = np.multiply.outer(sin_lam[rows], cos_lam)
        half_dlon -= np.multiply.outer(cos_lam[rows], sin_lam)
        half_dlat *= half_dlat
        half_dlon *= half_dlon
        half_dlon *= np.multiply.outer(cos_lat[rows], cos_lat)
        half_dlat += half_dlon
        np.clip(half_dlat, 0.0, 1.0, out=half_dlat)
        out[rows] = _arcsin(np.sqrt(half_dlat, out=half_dlat))
    out *= 2 * EARTH_RADIUS_KM
    return out


def _arcsin(x: np.ndarray) -> np.ndarray:
    """arcsin for x in [0, 1]: a Taylor series below SERIES_LIMIT, np.arcsin above."""
    x2 = x * x
    y = x2 * (35 / 1152) + 5 / 112
    y *= x2
    y += 3 / 40
    y *= x2
    y += 1 / 6
    y *= x2
    y += 1
    y *= x
    far = x >= SERIES_LIMIT
    if far.any():
        y[far] = np.arcsin(x[far])
    return y


def leg_minutes(km: np.ndarray, speed_kmh: float, wait_min: int = 0) -> np.ndarray:
    """Whole minutes to cover ``km`` at ``speed_kmh``, plus ``wait_min`` on legs over 0 km."""
    minutes = np.ceil(km * (60.0 / speed_kmh) - CEIL_SLACK).astype(np.int32)
    np.maximum(minutes, 0, out=minutes)
    if wait_min:
        minutes[km > 0] += wait_min
    return minutes


@dataclass(frozen=True)
class TravelMatrix:
    """Travel between places: customers first, then worker homes, in caseload order.

    ``minutes[mode]`` is an (n, n) int32 array and ``km[mode]`` an (n, n) float64 array, for
    every transport mode a worker uses; entry [i, j] is the leg from place i to place j.
    """

    place_ids: tuple[str, ...]
    minutes: dict[str, np.ndarray]
    km: dict[str, np.ndarray]
    index: dict[str, int] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "index", {pid: i for i, pid in enumerate(self.place_ids)})


def build_travel(caseload: Caseload, modes: set[str] | None = None) -> TravelMatrix:
    """All-pairs travel for the caseload's places, for ``modes`` (default: the workers')."""
    places = [(c.customer_id, c.lat, c.lon) for c in caseload.customers]
    places += [(w.worker_id, w.lat, w.lon) for w in caseload.workers]
    ids = tuple(p[0] for p in places)
    lat = np.array([p[1] for p in places], dtype=np.float64)
    lon = np.array([p[2] for p in places], dtype=np.float64)
    road_km = haversine_matrix(lat, lon) * caseload.travel.detour_factor
    same_place = (lat[:, None] == lat[None, :]) & (lon[:, None] == lon[None, :])
    road_km[same_place] = 0.0
    modes = modes if modes is not None else {w.transport for w in caseload.workers}
    minutes, km = {}, {}
    for mode in sorted(modes):
        wait = caseload.travel.public_wait_min if mode == "public" else 0
        minutes[mode] = leg_minutes(road_km, caseload.travel.speed_kmh[mode], wait)
        km[mode] = road_km
    matrix = TravelMatrix(ids, minutes, km)
    _apply_overrides(caseload, matrix)
    return matrix


def _apply_overrides(caseload: Caseload, matrix: TravelMatrix) -> None:
    """travel.csv rows replace the model; rows without a mode first, so a moded row wins."""
    rows = sorted(caseload.travel_matrix, key=lambda r: r.mode != "")
    index = matrix.index
    for mode in matrix.minutes:
        if rows:
            matrix.km[mode] = matrix.km[mode].copy()  # modes no longer share one array
    for row in rows:
        a, b = index.get(row.from_id), index.get(row.to_id)
        if a is None or b is None:
            continue  # unknown ids were warned about when reading
        for mode in matrix.minutes if row.mode == "" else [row.mode]:
            if mode in matrix.minutes:
                matrix.minutes[mode][a, b] = row.minutes
                matrix.km[mode][a, b] = row.km
