"""Synthetic ladder: our engine beside the greedy baseline and OR-Tools routing, sizes S to XL.

Run from the repository root::

    python -m benchmarks.ladder                         # S,M,L,XL x seeds 1,2,3, 60 s
    python -m benchmarks.ladder --quick                 # S, seed 1, 10 s: the CI smoke run
    python -m benchmarks.ladder --sizes S,M --seeds 1 --time-limit 20 --methods ours,greedy

For each size and seed the caseload is generated once (``scheduler.generate.generate(size,
"mixed", seed)``) and written to a temporary JSON file (or, with ``--instances DIR``, read
from / written to ``DIR/ladder-<size>-<seed>.json``, to freeze the instance set); then each
method runs on it in its own **subprocess**, one after the other (never two at once), so that

- peak memory is the child's own high-water mark of resident memory (``VmHWM`` of
  ``/proc/self/status``, read right after the method returns, so it covers loading the
  caseload and the method, not the evaluation; ``peak_total_mb`` is read at the child's end),
  and
- a crash or a runaway method costs one row, not the suite (the row says ``error`` or
  ``timeout``).

The child evaluates its rota with the project's independent judges, the same for every
method: ``scheduler.validate.validate`` (validity), ``scheduler.validate.objective`` (the
objective in the caseload's weights) and ``scheduler.kpi.compute_kpis`` (the figures).

Methods (``--methods``):

- ``ours``: ``scheduler.solve.solve`` with ``--time-limit``, ``--workers`` CP-SAT workers and
  the seed; the progress callback (every second) gives the objective over time.
- ``greedy``: :func:`benchmarks.greedy.greedy_rota` ("rank the carers, fill the gaps"); it
  takes no time limit and no seed.
- ``routing``: :func:`benchmarks.routing_peer.routing_solve` (OR-Tools routing, worker-shift
  vehicles, no continuity rule) with ``--time-limit``.
- ``ours@greedy``, ``ours@routing`` (optional): the baseline runs first, then our engine on
  only the visits it placed (:func:`keep_placed`), so travel and continuity compare at equal
  coverage; their objectives are on that smaller caseload and are left out of the gaps.

Outputs under ``--out`` (default ``benchmarks/results``), stem ``ladder[-quick]-<date>``:
``.csv`` (one row per size, seed and method; rewritten after every run), ``-trace.csv``
(our objective over time), ``.md`` (means over seeds per size and method) and three PNGs:
``-gap.png`` (mean objective gap to the best method of each instance, by size),
``-objective.png`` (our objective over time, the peers' final objectives marked) and
``-travel-continuity.png`` (travel hours against mean distinct workers per customer).
The exit status is 1 when any run is invalid, failed or timed out. The protocol is in
``benchmarks/README.md``.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import json
import logging
import math
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

logger = logging.getLogger("benchmarks.ladder")

SIZES = ("S", "M", "L", "XL")
"""The ladder's rungs, as ``scheduler.generate.SIZES`` names them."""

GEOGRAPHY = "mixed"
"""Every rung is a mixed town-and-country caseload."""

METHODS = ("ours", "greedy", "routing")
"""Methods in report order (the default set)."""

EQUAL_COVERAGE_METHODS = ("ours@greedy", "ours@routing")
"""Our engine on only the visits a baseline placed (the baseline runs first in the same child):
travel and continuity at the baseline's coverage. Optional; their objectives are on a smaller
caseload, so they are left out of the gaps."""

ALL_METHODS = METHODS + EQUAL_COVERAGE_METHODS

DEFAULT_SEEDS = (1, 2, 3)
DEFAULT_TIME_LIMIT_S = 60.0
QUICK_SIZES = ("S",)
QUICK_SEEDS = (1,)
QUICK_TIME_LIMIT_S = 10.0

TRACE_EVERY_S = 1.0
"""Seconds between our engine's progress reports (the objective-over-time trace)."""

DEFAULT_OUT = Path(__file__).resolve().parent / "results"

CSV_COLUMNS = (
    "size", "seed", "method", "status", "valid", "violations", "first_violation",
    "visits", "visits_assigned", "coverage_pct", "unassigned_critical", "travel_hours",
    "travel_km", "mean_distinct_workers", "max_distinct_workers", "continuity_pct",
    "punctuality_min", "pay_total", "mileage_total", "cost_total", "objective",
    "first_valid_s", "wall_s", "peak_mb", "peak_total_mb", "time_limit_s", "workers",
    "customers", "care_workers", "shifts", "caseload_sha", "note",
)
"""Columns of the results CSV (see ``benchmarks/README.md`` for each figure)."""

TRACE_COLUMNS = ("size", "seed", "method", "elapsed_s", "objective", "placed", "visits")


def peak_rss_mb() -> float:
    """This process's peak resident memory so far, MB.

    ``VmHWM`` from ``/proc/self/status`` on Linux. Not ``ru_maxrss``: on Linux a child started
    by fork and exec inherits its parent's high-water mark in ``ru_maxrss`` (measured here: a
    child of a 300 MB parent reports 311 MB, its VmHWM 11 MB). Elsewhere ``ru_maxrss``
    (kilobytes on Linux, bytes on macOS), with that caveat.
    """
    try:
        with open("/proc/self/status") as handle:
            for line in handle:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 1024 / (1024 if sys.platform == "darwin" else 1)


def child_timeout_s(time_limit_s: float, size: str) -> float:
    """Seconds a child may run before it is killed: the limit, plus room to build and judge."""
    extra = {"S": 60, "M": 120, "L": 240, "XL": 600}.get(size, 600)
    return 2 * time_limit_s + extra


# --------------------------------------------------------------------------------------------
# The child: one method on one caseload


def run_method(spec: dict) -> dict:
    """Run one method on one caseload file and judge its rota (in the child process).

    ``spec``: ``caseload`` (JSON path), ``method``, ``time_limit_s``, ``seed``, ``workers``.
    Returns the figures of one CSV row (without the parent's columns) and the trace.
    """
    from scheduler.io import read_caseload
    from scheduler.kpi import compute_kpis
    from scheduler.travel import build_travel
    from scheduler.validate import objective, validate

    caseload = read_caseload(spec["caseload"])
    travel = build_travel(caseload)
    method, limit, seed = spec["method"], float(spec["time_limit_s"]), int(spec["seed"])
    trace: list[dict] = []
    note = ""
    if "@" in method:  # ours on the visits a baseline placed
        baseline = method.split("@", 1)[1]
        placed = (_run_greedy(caseload, travel) if baseline == "greedy"
                  else _run_routing(caseload, limit, seed, travel)[0])
        caseload = keep_placed(caseload, placed)
        travel = build_travel(caseload)
        note = f"on the {len(caseload.instances)} visits {baseline} placed; "
    began = time.perf_counter()
    if method.startswith("ours"):
        from models.result import SolveParams
        from scheduler.solve import solve

        def progress(info: dict) -> None:
            trace.append({"elapsed_s": info.get("elapsed_s"), "objective": info.get("objective"),
                          "placed": info.get("placed"), "visits": info.get("visits")})

        params = SolveParams(time_limit_s=limit, seed=seed, workers=int(spec["workers"]),
                             log_every_s=TRACE_EVERY_S)
        result = solve(caseload, params, progress=progress)
        wall = time.perf_counter() - began
        rota = result.rota
        first_valid = float(result.stats.get("first_valid_s", math.nan))
        note += f"{result.status}"
        if result.bound is not None:
            note += f"; bound {result.bound}"
    elif method == "greedy":
        rota = _run_greedy(caseload, travel)
        wall = time.perf_counter() - began
        first_valid = wall
    elif method == "routing":
        rota, first_valid, note = _run_routing(caseload, limit, seed, travel)
        wall = time.perf_counter() - began
    else:
        raise ValueError(f"unknown method {method!r}")
    peak_mb = peak_rss_mb()
    if rota is None:
        return {"status": "no rota", "wall_s": wall, "peak_mb": peak_mb, "note": note,
                "trace": trace}
    violations = validate(caseload, rota, travel=travel)
    total, _ = objective(caseload, rota, travel=travel)
    kpis = compute_kpis(caseload, rota, travel=travel, objective=total)
    if method.startswith("ours"):
        trace.append({"elapsed_s": round(wall, 2), "objective": total,
                      "placed": kpis["visits_assigned"], "visits": kpis["visits_total"]})
    priority = {v.id: v.priority for v in caseload.instances}
    return {
        "status": "ok",
        "valid": not violations,
        "violations": len(violations),
        "first_violation": f"{violations[0].rule}: {violations[0].text()}" if violations else "",
        "visits": kpis["visits_total"],
        "visits_assigned": kpis["visits_assigned"],
        "coverage_pct": 100.0 * kpis["visits_assigned"] / max(1, kpis["visits_total"]),
        "unassigned_critical": sum(priority[u.visit_id] == "critical" for u in rota.unassigned),
        "travel_hours": kpis["travel_hours"],
        "travel_km": kpis["travel_km"],
        "mean_distinct_workers": kpis["mean_distinct_workers_per_customer"],
        "max_distinct_workers": kpis["max_distinct_workers_per_customer"],
        "continuity_pct": kpis["continuity_pct"],
        "punctuality_min": kpis["punctuality_mean_abs_dev_min"],
        "pay_total": kpis["pay_total"],
        "mileage_total": kpis["mileage_total"],
        "cost_total": kpis["pay_total"] + kpis["mileage_total"],
        "objective": total,
        "first_valid_s": first_valid,
        "wall_s": wall,
        "peak_mb": peak_mb,
        "peak_total_mb": peak_rss_mb(),
        "note": note,
        "trace": trace,
    }


def _run_greedy(caseload, travel):
    from benchmarks.greedy import greedy_rota

    return greedy_rota(caseload, travel=travel)


def _run_routing(caseload, limit: float, seed: int, travel):
    """OR-Tools routing: (rota or None, seconds to its first solution, note)."""
    from benchmarks.routing_peer import routing_solve

    outcome = routing_solve(caseload, limit, seed, travel=travel)
    stats = outcome.stats
    note = (f"{stats['blocks']} blocks; routed {stats['routed_visits']} visits; "
            f"post-check dropped {stats['dropped_by_postfix']} "
            f"{json.dumps(stats['dropped_by_postfix_rule'], sort_keys=True)}; search left "
            f"out {stats['dropped_by_search_nodes']} nodes")
    if stats["no_solution_blocks"]:
        note += f"; {stats['no_solution_blocks']} block(s) without a solution"
    return outcome.rota, float(stats["first_solution_s"]), note


def keep_placed(caseload, rota):
    """The caseload with only the visits (visit-days) ``rota`` placed; everything else (workers,
    availability, last week's rota) as it was."""
    placed = {a.visit_id for a in rota.assignments} if rota is not None else set()
    days: dict[str, list[int]] = {}
    for visit in caseload.instances:
        if visit.id in placed:
            days.setdefault(visit.template_id, []).append(visit.day)
    templates = [t.model_copy(update={"days": tuple(days[t.visit_id])})
                 for t in caseload.visits if t.visit_id in days]
    return caseload.replace(visits=tuple(templates))


def child_main(spec_path: str, out_path: str) -> int:
    """Entry point of the child process: read the spec, run, write the result JSON."""
    logging.basicConfig(level=logging.WARNING, format="%(name)s: %(message)s")
    spec = json.loads(Path(spec_path).read_text())
    result = run_method(spec)
    Path(out_path).write_text(json.dumps(result))
    return 0


# --------------------------------------------------------------------------------------------
# The parent: generate, spawn, collect


@dataclass
class Instance:
    """One generated caseload of the ladder and its file."""

    size: str
    seed: int
    path: Path
    customers: int
    care_workers: int
    shifts: int
    visits: int
    sha: str


def make_instance(size: str, seed: int, folder: Path) -> Instance:
    """The caseload of a rung as a JSON file for the children: ``folder/ladder-<size>-<seed>.json``
    when it exists (a frozen instance set), else generated (mixed geography) and written there.
    """
    from scheduler.generate import generate
    from scheduler.io import read_caseload, write_caseload

    path = folder / f"ladder-{size}-{seed}.json"
    if path.exists():
        caseload = read_caseload(path)
        logger.info("%s seed %d: read %s", size, seed, path)
    else:
        caseload = generate(size, GEOGRAPHY, seed)
        write_caseload(caseload, path)
    sha = hashlib.sha256(path.read_bytes()).hexdigest()[:12]
    return Instance(size, seed, path, len(caseload.customers), len(caseload.workers),
                    len(caseload.shifts), len(caseload.instances), sha)


def spawn(instance: Instance, method: str, time_limit_s: float, workers: int,
          folder: Path) -> dict:
    """Run one method in a child process and return its result dict.

    A child that exits non-zero, writes no result or outlives :func:`child_timeout_s` gives a
    row with status ``error`` or ``timeout`` and the last lines of its log in the note.
    """
    stem = folder / f"{instance.size}-{instance.seed}-{method}"
    spec_path, out_path, log_path = (stem.with_suffix(".spec.json"),
                                     stem.with_suffix(".out.json"), stem.with_suffix(".log"))
    spec = {"caseload": str(instance.path), "method": method, "time_limit_s": time_limit_s,
            "seed": instance.seed, "workers": workers}
    spec_path.write_text(json.dumps(spec))
    out_path.unlink(missing_ok=True)
    root = Path(__file__).resolve().parent.parent
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        p for p in (str(root), os.environ.get("PYTHONPATH", "")) if p)}
    timeout = child_timeout_s(time_limit_s, instance.size)
    began = time.monotonic()
    with log_path.open("w") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "benchmarks.ladder", "--child", str(spec_path),
             str(out_path)], stdout=log, stderr=subprocess.STDOUT, cwd=root, env=env)
        try:
            status = proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
            return {"status": "timeout", "wall_s": time.monotonic() - began,
                    "note": f"killed after {timeout:.0f} s"}
    if status != 0 or not out_path.exists():
        tail = log_path.read_text().strip().splitlines()[-3:]
        return {"status": "error", "wall_s": time.monotonic() - began,
                "note": f"exit {status}: " + " | ".join(tail)}
    return json.loads(out_path.read_text())


def make_row(instance: Instance, method: str, result: dict, time_limit_s: float,
             workers: int) -> dict:
    row = {key: "" for key in CSV_COLUMNS}
    row.update({k: v for k, v in result.items() if k in CSV_COLUMNS})
    row.update({
        "size": instance.size, "seed": instance.seed, "method": method,
        "time_limit_s": "" if method == "greedy" else time_limit_s,
        "workers": workers if method.startswith("ours") else 1,
        "customers": instance.customers, "care_workers": instance.care_workers,
        "shifts": instance.shifts, "caseload_sha": instance.sha,
    })
    if "valid" in result:
        row["valid"] = "yes" if result["valid"] else "no"
    return row


def describe(row: dict) -> str:
    if row["status"] != "ok":
        return f"{row['status'].upper()} {row['note']}"
    valid = "valid" if row["valid"] == "yes" else f"INVALID ({row['first_violation']})"
    return (f"{valid}  coverage {row['coverage_pct']:.1f} %  objective {row['objective']}  "
            f"travel {row['travel_hours']:.1f} h  workers/customer "
            f"{row['mean_distinct_workers']:.2f}  first valid {row['first_valid_s']:.2f} s  "
            f"wall {row['wall_s']:.1f} s  peak {row['peak_mb']:.0f} MB")


def run_ladder(sizes: Sequence[str], seeds: Sequence[int], methods: Sequence[str],
               time_limit_s: float, workers: int, on_row=None,
               instances: Path | None = None) -> tuple[list[dict], list[dict]]:
    """Generate (or read from ``instances``) and run everything; return the rows and the
    trace points."""
    rows: list[dict] = []
    trace: list[dict] = []
    total = len(sizes) * len(seeds) * len(methods)
    step = 0
    with tempfile.TemporaryDirectory(prefix="ladder-") as tmp:
        folder = Path(tmp)
        if instances is not None:
            instances.mkdir(parents=True, exist_ok=True)
        for size in sizes:
            for seed in seeds:
                began = time.perf_counter()
                instance = make_instance(size, seed, instances or folder)
                logger.info("%s seed %d: %d customers, %d workers, %d shifts, %d visits "
                            "(ready in %.1f s, sha %s)", size, seed, instance.customers,
                            instance.care_workers, instance.shifts, instance.visits,
                            time.perf_counter() - began, instance.sha)
                for method in methods:
                    step += 1
                    result = spawn(instance, method, time_limit_s, workers, folder)
                    row = make_row(instance, method, result, time_limit_s, workers)
                    rows.append(row)
                    for point in result.get("trace", []):
                        trace.append({"size": size, "seed": seed, "method": method, **point})
                    logger.info("[%d/%d] %-2s seed %d %-8s %s", step, total, size, seed, method,
                                describe(row))
                    if on_row:
                        on_row(rows, trace)
    return rows, trace


# --------------------------------------------------------------------------------------------
# Reports


def _num(value) -> float | None:
    if value in ("", None):
        return None
    try:
        out = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(out) else out


def _mean(values) -> float | None:
    values = [v for v in (_num(x) for x in values) if v is not None]
    return statistics.fmean(values) if values else None


def _fmt(value: float | None, digits: int = 1) -> str:
    return "-" if value is None else f"{value:,.{digits}f}"


def objective_gaps(rows: Sequence[dict]) -> dict[tuple[str, int, str], float]:
    """(size, seed, method) -> 100 (objective - best) / best, best over the valid runs of the
    same caseload."""
    rows = [r for r in rows if r["method"] not in EQUAL_COVERAGE_METHODS]
    best: dict[tuple[str, int], float] = {}
    for r in rows:
        if r["status"] == "ok" and r["valid"] == "yes":
            key = (r["size"], int(r["seed"]))
            best[key] = min(best.get(key, math.inf), float(r["objective"]))
    out = {}
    for r in rows:
        key = (r["size"], int(r["seed"]))
        if r["status"] == "ok" and r["valid"] == "yes" and best.get(key):
            out[(*key, r["method"])] = 100.0 * (float(r["objective"]) - best[key]) / best[key]
    return out


SUMMARY_FIGURES = (
    ("coverage_pct", "coverage %", 1),
    ("unassigned_critical", "critical left", 1),
    ("travel_hours", "travel h", 1),
    ("mean_distinct_workers", "workers / customer", 2),
    ("continuity_pct", "continuity %", 1),
    ("punctuality_min", "punctuality min", 1),
    ("cost_total", "cost", 0),
    ("objective", "objective", 0),
    ("gap", "gap to best %", 1),
    ("first_valid_s", "first valid s", 2),
    ("wall_s", "wall s", 1),
    ("peak_mb", "peak MB", 0),
)
"""(column, header, decimals) of the summary table, in order."""


def summary_markdown(rows: Sequence[dict], methods: Sequence[str], title: str,
                     complete: bool = True) -> str:
    out = io.StringIO()
    w = out.write
    w(f"# {title}\n\n")
    if not complete:
        w("**Interrupted run: partial results.**\n\n")
    limits = sorted({str(r["time_limit_s"]) for r in rows if r["time_limit_s"] != ""})
    seeds = sorted({int(r["seed"]) for r in rows})
    workers = sorted({str(r["workers"]) for r in rows if r["method"].startswith("ours")})
    w(f"- Date: {date.today().isoformat()}; geography {GEOGRAPHY}; seeds "
      f"{', '.join(map(str, seeds))}; time limit {', '.join(limits) or '-'} s for ours and "
      f"routing (greedy has none); ours on {', '.join(workers) or '-'} CP-SAT worker(s).\n")
    w(f"- Machine: {platform.platform()}, {os.cpu_count()} CPU(s), Python "
      f"{platform.python_version()}; one method at a time, each in its own process; load "
      f"average {os.getloadavg()[0]:.2f} when this report was written.\n")
    w("- Every rota judged by `scheduler.validate` (validity, objective in the caseload's "
      "weights) and `scheduler.kpi` (figures); cost = pay_total + mileage_total; gap = "
      "objective against the best valid method on the same caseload.\n")
    bad = [r for r in rows if r["status"] != "ok" or r["valid"] != "yes"]
    w(f"- Runs: {len(rows)}; valid: {len(rows) - len(bad)}; invalid, failed or timed out: "
      f"{len(bad)}.\n\n")

    w("## Caseloads\n\n| size | seed | customers | workers | shifts | visits | sha |\n"
      "|---|---:|---:|---:|---:|---:|---|\n")
    seen = set()
    for r in rows:
        key = (r["size"], r["seed"])
        if key not in seen:
            seen.add(key)
            w(f"| {r['size']} | {r['seed']} | {r['customers']} | {r['care_workers']} | "
              f"{r['shifts']} | {r['visits']} | {r['caseload_sha']} |\n")

    gaps = objective_gaps(rows)
    sizes = [s for s in SIZES if any(r["size"] == s for r in rows)]
    sizes += sorted({r["size"] for r in rows} - set(sizes))
    w("\n## Means over seeds (valid runs)\n\n")
    w("| size | method | runs | " + " | ".join(h for _, h, _ in SUMMARY_FIGURES) + " |\n")
    w("|---|---|---:|" + "---:|" * len(SUMMARY_FIGURES) + "\n")
    for size in sizes:
        for method in methods:
            group = [r for r in rows if r["size"] == size and r["method"] == method]
            if not group:
                continue
            good = [r for r in group if r["status"] == "ok" and r["valid"] == "yes"]
            cells = []
            for column, _, digits in SUMMARY_FIGURES:
                if column == "gap":
                    value = _mean(gaps[key] for r in good
                                  if (key := (size, int(r["seed"]), method)) in gaps)
                else:
                    value = _mean(r[column] for r in good)
                cells.append(_fmt(value, digits))
            w(f"| {size} | {method} | {len(good)}/{len(group)} | " + " | ".join(cells) + " |\n")

    w("\n## Every run\n\n| size | seed | method | status | coverage % | objective | travel h "
      "| workers / customer | continuity % | first valid s | wall s | peak MB | note |\n"
      "|---|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|\n")
    for r in rows:
        status = r["status"] if r["status"] != "ok" else (
            "valid" if r["valid"] == "yes" else f"INVALID: {r['first_violation']}")
        w(f"| {r['size']} | {r['seed']} | {r['method']} | {status} | "
          f"{_fmt(_num(r['coverage_pct']))} | {_fmt(_num(r['objective']), 0)} | "
          f"{_fmt(_num(r['travel_hours']))} | {_fmt(_num(r['mean_distinct_workers']), 2)} | "
          f"{_fmt(_num(r['continuity_pct']))} | {_fmt(_num(r['first_valid_s']), 2)} | "
          f"{_fmt(_num(r['wall_s']))} | {_fmt(_num(r['peak_mb']), 0)} | "
          f"{str(r['note']).replace('|', '/')} |\n")
    return out.getvalue()


def _pyplot():
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError as exc:
        logger.warning("no plots: matplotlib not importable (%s)", exc)
        return None
    return plt


def _save(plt, fig, path: Path) -> None:
    """Lay the figure out, write it to ``path`` (PNG, atomically) and close it."""
    fig.tight_layout()
    tmp = path.with_name(path.name + ".tmp")
    fig.savefig(tmp, dpi=120, format="png")
    os.replace(tmp, path)
    plt.close(fig)


def plot_gaps(rows, methods, path: Path, title: str) -> bool:
    """Mean objective gap to the best method of each caseload, by size, one bar per method."""
    plt = _pyplot()
    gaps = objective_gaps(rows)
    sizes = [s for s in SIZES if any(r["size"] == s for r in rows)]
    methods = [m for m in methods if m not in EQUAL_COVERAGE_METHODS]
    if plt is None or not gaps or not sizes:
        return False
    fig, ax = plt.subplots(figsize=(1.6 * len(sizes) + 3, 4.5))
    width = 0.8 / len(methods)
    for k, method in enumerate(methods):
        xs = [i + (k - (len(methods) - 1) / 2) * width for i in range(len(sizes))]
        heights = [_mean(g for (s, _, m), g in gaps.items() if s == size and m == method) or 0
                   for size in sizes]
        ax.bar(xs, heights, width, label=method)
    ax.set_xticks(range(len(sizes)), sizes)
    ax.set_yscale("symlog", linthresh=1)
    ax.set_ylabel("mean objective gap to the best method (%)")
    ax.set_title(title, fontsize=10)
    ax.legend(fontsize=8)
    ax.grid(axis="y", alpha=0.3)
    _save(plt, fig, path)
    return True


def plot_objective(rows, trace, path: Path, title: str) -> bool:
    """Our objective over time per size (a line per seed); the peers' finals as markers."""
    plt = _pyplot()
    sizes = [s for s in SIZES if any(t["size"] == s for t in trace)]
    if plt is None or not sizes:
        return False
    fig, axes = plt.subplots(1, len(sizes), figsize=(4.2 * len(sizes), 3.8), squeeze=False)
    markers = {"greedy": "s", "routing": "^"}
    for ax, size in zip(axes[0], sizes, strict=True):
        seeds = sorted({int(t["seed"]) for t in trace if t["size"] == size})
        for k, seed in enumerate(seeds):
            colour = f"C{k}"
            points = [t for t in trace if t["size"] == size and int(t["seed"]) == seed
                      and t["method"] == "ours" and _num(t["objective"]) is not None]
            points.sort(key=lambda t: float(t["elapsed_s"]))
            ax.plot([float(t["elapsed_s"]) for t in points],
                    [float(t["objective"]) for t in points], color=colour,
                    label=f"ours, seed {seed}", marker=".", markersize=3)
            for r in rows:
                if (r["size"] == size and int(r["seed"]) == seed and r["method"] in markers
                        and r["status"] == "ok"):
                    ax.scatter([float(r["wall_s"])], [float(r["objective"])], color=colour,
                               marker=markers[r["method"]], s=40, zorder=3,
                               label=f"{r['method']}, seed {seed}")
        ax.set_yscale("log")
        ax.set_xlabel("seconds")
        ax.set_title(f"{size}", fontsize=10)
        ax.grid(alpha=0.3)
        ax.legend(fontsize=6)
    axes[0][0].set_ylabel("objective (points, log)")
    fig.suptitle(title, fontsize=10)
    _save(plt, fig, path)
    return True


def plot_travel_continuity(rows, methods, path: Path, title: str) -> bool:
    """Travel hours against mean distinct workers per customer, per size, one colour per
    method, one point per seed."""
    plt = _pyplot()
    good = [r for r in rows if r["status"] == "ok" and r["valid"] == "yes"]
    sizes = [s for s in SIZES if any(r["size"] == s for r in good)]
    if plt is None or not sizes:
        return False
    fig, axes = plt.subplots(1, len(sizes), figsize=(4.2 * len(sizes), 3.8), squeeze=False)
    for ax, size in zip(axes[0], sizes, strict=True):
        for k, method in enumerate(methods):
            group = [r for r in good if r["size"] == size and r["method"] == method]
            if group:
                ax.scatter([float(r["mean_distinct_workers"]) for r in group],
                           [float(r["travel_hours"]) for r in group], color=f"C{k}",
                           label=method, s=36)
                for r in group:
                    ax.annotate(f"{float(r['coverage_pct']):.0f}%",
                                (float(r["mean_distinct_workers"]), float(r["travel_hours"])),
                                fontsize=6, xytext=(3, 3), textcoords="offset points")
        ax.set_xlabel("mean distinct workers per customer")
        ax.set_title(f"{size} (labels: coverage)", fontsize=10)
        ax.grid(alpha=0.3)
        ax.legend(fontsize=7)
    axes[0][0].set_ylabel("travel hours (week)")
    fig.suptitle(title, fontsize=10)
    _save(plt, fig, path)
    return True


def write_csv(rows: Sequence[dict], columns: Sequence[str], path: Path) -> None:
    tmp = path.with_name(path.name + ".tmp")
    with tmp.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        for row in rows:
            writer.writerow({k: _cell(row.get(k, "")) for k in columns})
    os.replace(tmp, path)


def _cell(value) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return "" if math.isnan(value) else f"{value:.4f}".rstrip("0").rstrip(".")
    return str(value)


def read_csv(path: Path) -> list[dict]:
    with path.open(newline="") as handle:
        return list(csv.DictReader(handle))


def write_reports(rows, trace, methods, out: Path, stem: str, title: str,
                  complete: bool = True) -> list[Path]:
    rows = [{k: _cell(v) for k, v in r.items()} for r in rows]  # as read back from the CSV
    md = out / f"{stem}.md"
    tmp = md.with_name(md.name + ".tmp")
    tmp.write_text(summary_markdown(rows, methods, title, complete))
    os.replace(tmp, md)
    written = [md]
    for suffix, ok in (
        ("-gap.png", lambda p: plot_gaps(rows, methods, p, title)),
        ("-objective.png", lambda p: plot_objective(rows, trace, p, title)),
        ("-travel-continuity.png", lambda p: plot_travel_continuity(rows, methods, p, title)),
    ):
        path = out / f"{stem}{suffix}"
        if ok(path):
            written.append(path)
    return written


def failures(rows: Sequence[dict]) -> list[str]:
    """A line per run that is not a valid rota (invalid, error, timeout, no rota)."""
    out = []
    for r in rows:
        if r["status"] != "ok" or _cell(r["valid"]) != "yes":
            what = r["status"] if r["status"] != "ok" else f"invalid: {r['first_violation']}"
            out.append(f"{r['size']} seed {r['seed']} {r['method']}: {what} {r['note']}".strip())
    return out


# --------------------------------------------------------------------------------------------
# Command line


def _split(value: str) -> list[str]:
    return [v.strip() for v in value.split(",") if v.strip()]


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.ladder",
        description="Synthetic ladder: our engine, the greedy baseline and OR-Tools routing "
                    "on generated caseloads (mixed geography), each method in a subprocess.")
    parser.add_argument("--quick", action="store_true",
                        help=f"smoke run: size {','.join(QUICK_SIZES)}, seed "
                             f"{','.join(map(str, QUICK_SEEDS))}, {QUICK_TIME_LIMIT_S:g} s")
    parser.add_argument("--sizes", default=None, help=f"comma-separated subset of "
                        f"{','.join(SIZES)} (default all)")
    parser.add_argument("--seeds", default=None, help="comma-separated generator seeds, also "
                        "the solvers' seeds (default 1,2,3)")
    parser.add_argument("--time-limit", type=float, default=None,
                        help=f"seconds for ours and routing (default {DEFAULT_TIME_LIMIT_S:g}, "
                             f"or {QUICK_TIME_LIMIT_S:g} with --quick)")
    parser.add_argument("--methods", default=",".join(METHODS),
                        help=f"comma-separated subset of {','.join(ALL_METHODS)} (default "
                             f"{','.join(METHODS)}; ours@<baseline> is our engine on only "
                             f"the visits that baseline placed: equal coverage)")
    parser.add_argument("--workers", type=int, default=1,
                        help="CP-SAT workers for ours (default 1, like the single-threaded "
                             "peers)")
    parser.add_argument("--instances", type=Path, default=None, metavar="DIR",
                        help="read each caseload from DIR/ladder-<size>-<seed>.json when it "
                             "exists, else generate it and write it there (freezes the "
                             "instance set); default: generate into a temporary folder")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT,
                        help="output folder (default benchmarks/results)")
    parser.add_argument("--name", default=None,
                        help="output file stem (default ladder[-quick]-<date>)")
    parser.add_argument("--summarize", type=Path, nargs="+", default=None, metavar="CSV",
                        help="run nothing: merge these result CSVs (and their -trace.csv) "
                             "into one report named by --name")
    parser.add_argument("--child", nargs=2, metavar=("SPEC", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        return args
    args.sizes = _split(args.sizes) if args.sizes else list(
        QUICK_SIZES if args.quick else SIZES)
    args.seeds = [int(s) for s in _split(args.seeds)] if args.seeds else list(
        QUICK_SEEDS if args.quick else DEFAULT_SEEDS)
    if args.time_limit is None:
        args.time_limit = QUICK_TIME_LIMIT_S if args.quick else DEFAULT_TIME_LIMIT_S
    if args.time_limit <= 0:
        parser.error("--time-limit must be positive")
    args.methods = _split(args.methods)
    unknown = [m for m in args.methods if m not in ALL_METHODS]
    if unknown:
        parser.error(f"unknown method(s) {','.join(unknown)}; choose from "
                     f"{','.join(ALL_METHODS)}")
    bad = [s for s in args.sizes if s not in SIZES]
    if bad:
        parser.error(f"unknown size(s) {','.join(bad)}; choose from {','.join(SIZES)}")
    return args


def summarize(paths: Sequence[Path], out: Path, stem: str | None) -> int:
    rows, trace = [], []
    for path in paths:
        rows.extend(read_csv(path))
        trace_path = path.with_name(path.stem + "-trace.csv")
        if trace_path.exists():
            trace.extend(read_csv(trace_path))
    if not rows:
        raise SystemExit("no rows in " + ", ".join(map(str, paths)))
    methods = [m for m in ALL_METHODS if any(r["method"] == m for r in rows)]
    stem = stem or f"ladder-merged-{date.today().isoformat()}"
    out.mkdir(parents=True, exist_ok=True)
    write_csv(rows, CSV_COLUMNS, out / f"{stem}.csv")
    write_csv(trace, TRACE_COLUMNS, out / f"{stem}-trace.csv")
    title = f"Synthetic ladder (merged from {len(paths)} file(s))"
    written = write_reports(rows, trace, methods, out, stem, title)
    logger.info("wrote %s", ", ".join(map(str, written)))
    return 1 if failures(rows) else 0


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if args.child:
        return child_main(*args.child)
    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stdout)
    logging.getLogger("matplotlib").setLevel(logging.WARNING)
    if args.summarize:
        return summarize(args.summarize, args.out, args.name)
    stem = args.name or f"ladder{'-quick' if args.quick else ''}-{date.today().isoformat()}"
    args.out.mkdir(parents=True, exist_ok=True)
    csv_path, trace_path = args.out / f"{stem}.csv", args.out / f"{stem}-trace.csv"
    title = (f"Synthetic ladder{' (quick)' if args.quick else ''}: sizes "
             f"{','.join(args.sizes)}, seeds {','.join(map(str, args.seeds))}, "
             f"{args.time_limit:g} s")
    logger.info("%s; methods %s; results in %s", title, ",".join(args.methods), args.out)
    started = time.perf_counter()
    rows: list[dict] = []
    trace: list[dict] = []

    def save(current_rows, current_trace) -> None:
        rows[:], trace[:] = current_rows, current_trace
        write_csv(current_rows, CSV_COLUMNS, csv_path)
        write_csv(current_trace, TRACE_COLUMNS, trace_path)

    complete = True
    try:
        run_ladder(args.sizes, args.seeds, args.methods, args.time_limit, args.workers,
                   on_row=save, instances=args.instances)
    except KeyboardInterrupt:
        complete = False
        logger.warning("interrupted: writing the results so far")
    write_csv(rows, CSV_COLUMNS, csv_path)
    write_csv(trace, TRACE_COLUMNS, trace_path)
    written = [csv_path, trace_path,
               *write_reports(rows, trace, args.methods, args.out, stem, title, complete)]
    logger.info("wrote %s in %.0f s", ", ".join(map(str, written)),
                time.perf_counter() - started)
    bad = failures([{k: _cell(v) for k, v in r.items()} for r in rows])
    for line in bad:
        logger.error("NOT VALID: %s", line)
    if not complete:
        return 130
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
