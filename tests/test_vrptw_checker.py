"""The shared VRPTW checker of the benchmark suite (``benchmarks/vrptw.py``).

It judges every solver of the Solomon suite, ours and the peers, so it is tested here although
the benchmarks themselves are not: it must accept each of the 56 best-known solutions at exactly
the published distance, and reject each kind of broken solution with the right violation.
"""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # benchmarks/ is not installed

from benchmarks.vrptw import (
    CAPACITY,
    DEPOT_RETURN,
    DUPLICATE,
    FLEET,
    MISSING,
    TIME_WINDOW,
    UNKNOWN_NODE,
    VrptwInstance,
    check_solution,
    default_solomon_dir,
    find_bks_file,
    instance_class,
    instance_files,
    read_bks,
    read_solomon,
    read_solution,
)

SOLOMON_DIR = default_solomon_dir()
INSTANCE_FILES = instance_files(SOLOMON_DIR) if SOLOMON_DIR else []
needs_data = pytest.mark.skipif(
    SOLOMON_DIR is None,
    reason="Solomon data not found (shared/benchdata/solomon beside the repo, or $SOLOMON_DIR)",
)


@pytest.fixture(scope="module")
def bks():
    return read_bks(find_bks_file(SOLOMON_DIR))


@pytest.fixture(scope="module")
def c101():
    """C101 and its best-known routes: 10 routes, 827.3, loads 150..200 against capacity 200."""
    path = next(f for f in INSTANCE_FILES if f.stem == "C101")
    routes, _ = read_solution(path.with_suffix(".sol"))
    return read_solomon(path), routes


def tiny(**changes) -> VrptwInstance:
    """Depot (0,0); customer 1 at (3,4), customer 2 at (1,1); capacity 10, two vehicles.

    Arcs in tenths: 0-1 = floor(10*5) = 50, 1-2 = floor(10*sqrt(13)) = floor(36.06) = 36,
    2-0 = floor(10*sqrt(2)) = floor(14.14) = 14. Service 2 at customer 1, 1 at customer 2.
    """
    values = dict(
        name="tiny",
        coordinates=[(0, 0), (3, 4), (1, 1)],
        demands=[0, 4, 3],
        capacity=10,
        vehicles=2,
        ready=[0, 0, 0],
        due=[100, 20, 30],
        service=[0, 2, 1],
    )
    values.update(changes)
    return VrptwInstance.from_units(**values)


# --------------------------------------------------------------------------------------------
# Hand-checked arithmetic


def test_tiny_route_distance_and_times_are_exact():
    result = check_solution(tiny(), [[1, 2]])
    # 50 + 36 + 14 = 100 tenths
    assert result.distance_tenths == 100
    assert result.distance == 10.0
    assert result.feasible
    assert result.routes == 1


def test_service_may_start_exactly_at_the_due_time():
    # arrive at 2: 50 (at 1) + 20 (service) + 36 = 106 tenths = 10.6
    assert check_solution(tiny(due=[100, 20, 10.6]), [[1, 2]]).feasible


def test_one_tenth_late_is_a_time_window_violation():
    result = check_solution(tiny(due=[100, 20, 10.5]), [[1, 2]])
    assert [(v.kind, v.customer, v.amount) for v in result.violations] == [(TIME_WINDOW, 2, 1)]


def test_waiting_for_a_window_to_open_is_allowed():
    # wait at 2 until 20.0; back at 200 + 10 (service) + 14 = 224 tenths = 22.4 <= 100
    assert check_solution(tiny(ready=[0, 0, 20]), [[1, 2]]).feasible
    # back at 22.4: a depot due time of 22.3 is one tenth short
    result = check_solution(tiny(ready=[0, 0, 20], due=[22.3, 20, 30]), [[1, 2]])
    assert [(v.kind, v.amount) for v in result.violations] == [(DEPOT_RETURN, 1)]


def test_empty_routes_are_ignored():
    result = check_solution(tiny(vehicles=1), [[], [2, 1], []])
    assert result.feasible
    assert result.routes == 1


def test_distances_truncate_to_one_decimal():
    # floor(10 * sqrt(2)) = 14, floor(10 * 5) = 50: truncation, not rounding
    inst = tiny()
    assert inst.dist[0, 2] == 14
    assert inst.dist[0, 1] == 50
    assert inst.dist[1, 2] == 36
    assert (inst.dist == inst.dist.T).all()


def test_instance_class_names():
    assert [instance_class(n) for n in ("C101", "C208", "R112", "R211", "RC101", "RC208")] == [
        "C1", "C2", "R1", "R2", "RC1", "RC2"]


def test_instance_arrays_are_read_only():
    inst = tiny()
    with pytest.raises(ValueError):
        inst.dist[0, 1] = 0


# --------------------------------------------------------------------------------------------
# Best-known solutions


@needs_data
def test_all_56_instances_are_present():
    assert len(INSTANCE_FILES) == 56
    assert all(f.with_suffix(".sol").is_file() for f in INSTANCE_FILES)


@needs_data
@pytest.mark.parametrize("path", INSTANCE_FILES, ids=lambda p: p.stem)
def test_checker_accepts_best_known_solution_at_its_distance(path, bks):
    instance = read_solomon(path)
    routes, stated_cost = read_solution(path.with_suffix(".sol"))
    result = check_solution(instance, routes)
    expected = bks[instance.name]
    assert result.violations == ()
    assert result.feasible
    assert result.distance == pytest.approx(expected.distance, abs=0.05)
    assert result.distance == pytest.approx(stated_cost, abs=0.05)
    assert result.routes == expected.vehicles


@needs_data
def test_reader_matches_the_file(c101):
    instance, _ = c101
    # C101 line "1  45  68  10  912  967  90" and depot "0  40  50  0  0  1236  0"
    assert (instance.num_customers, instance.vehicles, instance.capacity) == (100, 25, 200)
    assert tuple(instance.coordinates[1]) == (45.0, 68.0)
    assert (instance.demands[1], instance.ready[1], instance.due[1], instance.service[1]) == (
        10, 9120, 9670, 900)
    assert instance.due[0] == 12360


# --------------------------------------------------------------------------------------------
# Broken solutions, each rejected with its violation


@needs_data
def test_rejects_a_late_customer(c101):
    instance, routes = c101
    broken = [list(r) for r in routes]
    # route 1 starts 5 (due 67), 3 (ready 65): serving 3 first (90 service) makes 5 late
    assert broken[0][:2] == [5, 3]
    broken[0][:2] = [3, 5]
    result = check_solution(instance, broken)
    assert not result.feasible
    assert result.kinds() == {TIME_WINDOW}
    first = result.violations[0]
    assert (first.kind, first.route, first.customer) == (TIME_WINDOW, 0, 5)
    assert first.amount > 0


@needs_data
def test_rejects_an_over_capacity_route(c101):
    instance, routes = c101
    loads = [int(sum(instance.demands[c] for c in r)) for r in routes]
    heaviest = max(loads)  # 200
    smaller = dataclasses.replace(instance, capacity=heaviest - 1)
    result = check_solution(smaller, routes)
    assert result.kinds() == {CAPACITY}
    over = [v.route for v in result.violations]
    assert over == [i for i, load in enumerate(loads) if load == heaviest]
    assert all(v.amount == 1 for v in result.violations)


@needs_data
def test_rejects_a_missing_customer(c101):
    instance, routes = c101
    broken = [list(r) for r in routes]
    dropped = broken[3].pop(2)
    result = check_solution(instance, broken)
    assert [(v.kind, v.customer) for v in result.violations] == [(MISSING, dropped)]
    assert not result.feasible


@needs_data
def test_rejects_a_duplicated_customer(c101):
    instance, routes = c101
    # customer 5 also served alone by an 11th vehicle (fleet 25): only the duplicate is wrong
    broken = [*routes, [5]]
    result = check_solution(instance, broken)
    assert [(v.kind, v.customer, v.amount) for v in result.violations] == [(DUPLICATE, 5, 1)]
    assert result.routes == 11


@needs_data
def test_rejects_too_many_routes(c101):
    instance, routes = c101
    result = check_solution(dataclasses.replace(instance, vehicles=9), routes)
    assert [(v.kind, v.amount) for v in result.violations] == [(FLEET, 1)]


@needs_data
def test_rejects_a_node_that_is_not_a_customer(c101):
    instance, routes = c101
    broken = [list(r) for r in routes]
    broken[0].append(0)  # the depot inside a route
    broken[1].append(101)  # beyond the last customer
    result = check_solution(instance, broken)
    assert {(v.kind, v.customer) for v in result.violations} >= {
        (UNKNOWN_NODE, 0), (UNKNOWN_NODE, 101)}
    assert not result.feasible


@needs_data
def test_reader_agrees_with_vrplib():
    import numpy as np
    import vrplib

    for path in INSTANCE_FILES[::7]:
        ours = read_solomon(path)
        theirs = vrplib.read_instance(path, instance_format="solomon")
        assert np.array_equal(theirs["node_coord"], ours.coordinates)
        assert np.array_equal(theirs["demand"], ours.demands)
        windows = np.rint(np.asarray(theirs["time_window"]) * 10).astype(int)
        assert np.array_equal(windows, np.stack([ours.ready, ours.due], axis=1))
        assert np.array_equal(np.floor(10 * theirs["edge_weight"] + 1e-9).astype(int), ours.dist)
        assert (theirs["capacity"], theirs["vehicles"]) == (ours.capacity, ours.vehicles)


def test_data_folder_helpers_on_a_missing_folder(tmp_path: Path):
    assert instance_files(tmp_path) == []
    assert find_bks_file(tmp_path) is None
