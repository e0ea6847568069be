"""Time ``scheduler.travel.haversine_matrix`` on random points (a speed check, not a test).

Usage::

    python -m benchmarks.travel_matrix [--points 5000] [--repeat 7] [--seed 0]

Points are uniform in a 40 x 40 km box around a city (the series branch of the arcsine, the
common case) plus a share spread over the globe (the ``np.arcsin`` branch). Each repetition
builds the full n x n matrix; the first, warm-up run is not counted. Prints the min and median
seconds, and the throughput in pairs per second of the min.
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np

from scheduler.travel import haversine_matrix


def random_points(n: int, seed: int, far_share: float = 0.1) -> tuple[np.ndarray, np.ndarray]:
    """``n`` (lat, lon) points in degrees: mostly one city, ``far_share`` of them worldwide."""
    rng = np.random.default_rng(seed)
    far = int(n * far_share)
    lat = np.concatenate([rng.uniform(51.32, 51.68, n - far), rng.uniform(-80, 80, far)])
    lon = np.concatenate([rng.uniform(-0.41, 0.17, n - far), rng.uniform(-180, 180, far)])
    return lat, lon


def time_matrix(lat: np.ndarray, lon: np.ndarray, repeat: int) -> list[float]:
    """Wall-clock seconds of ``repeat`` runs, after one warm-up run."""
    haversine_matrix(lat, lon)
    seconds = []
    for _ in range(repeat):
        start = time.perf_counter()
        haversine_matrix(lat, lon)
        seconds.append(time.perf_counter() - start)
    return seconds


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--points", type=int, default=5000, help="number of points (default 5000)")
    parser.add_argument("--repeat", type=int, default=7, help="timed repetitions (default 7)")
    parser.add_argument("--seed", type=int, default=0, help="random seed of the points")
    args = parser.parse_args(argv)
    lat, lon = random_points(args.points, args.seed)
    seconds = time_matrix(lat, lon, args.repeat)
    best, median = min(seconds), statistics.median(seconds)
    print(f"haversine_matrix n={args.points} ({args.points**2:,} pairs), {args.repeat} runs")
    print(f"  min    {best:.3f} s   ({args.points**2 / best / 1e6:.0f} M pairs/s)")
    print(f"  median {median:.3f} s")


if __name__ == "__main__":
    main()
