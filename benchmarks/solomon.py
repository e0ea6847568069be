"""Solomon VRPTW suite: our engine beside OR-Tools routing, PyVRP and VROOM, one shared checker.

Run from the repository root::

    python -m benchmarks.solomon --time-limit 10
    python -m benchmarks.solomon --time-limit 60 --seed 1
    python -m benchmarks.solomon --only C101,R101 --solvers pyvrp,vroom --time-limit 5
    python -m benchmarks.solomon --quick          # C101, R101, RC101 at 5 s each

For each instance and each solver, in turn (never two solvers at once), the solver gets the same
instance and the same time limit; its routes are re-costed and checked by
:func:`benchmarks.vrptw.check_solution`. The run writes, under ``--out`` (default
``benchmarks/results``), ``solomon-<limit>s-<date>.csv`` (one row per instance and solver),
``.md`` (mean gap to the distance-only BKS per class and overall, per solver; infeasible results
counted apart; routes and time) and ``.png`` (gap by class, per solver). The CSV is rewritten
after every solve, so an interrupted run keeps what it did. A solver that cannot run here (its
package is missing, or ``ours`` while its adapter is pending) is reported "not available" and
skipped. The protocol is in ``benchmarks/README.md``.
"""

from __future__ import annotations

import argparse
import csv
import io
import logging
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path

from benchmarks.ours import solve_ours
from benchmarks.peers import (
    PEER_PACKAGES,
    PEERS,
    PeerResult,
    PeerUnavailable,
    SolveFunction,
    package_version,
)
from benchmarks.vrptw import (
    CLASSES,
    Bks,
    VrptwInstance,
    check_solution,
    default_solomon_dir,
    find_bks_file,
    instance_class,
    instance_files,
    read_bks,
    read_solomon,
)

logger = logging.getLogger("benchmarks.solomon")

SOLVERS: dict[str, SolveFunction] = {"ours": solve_ours, **PEERS}
"""Every solver of the suite by name, in report order: our engine first, then the peers."""

QUICK_INSTANCES = ("C101", "R101", "RC101")
"""Instances of the ``--quick`` smoke run."""

QUICK_TIME_LIMIT_S = 5.0
"""Time limit per instance of the ``--quick`` smoke run, seconds."""

DEFAULT_OUT = Path(__file__).resolve().parent / "results"
"""Default output folder: ``benchmarks/results``."""

CSV_COLUMNS = (
    "instance", "class", "solver", "feasible", "distance", "bks", "gap_pct", "routes",
    "bks_routes", "seconds", "time_limit_s", "seed", "status", "note", "violations",
    "first_violation",
)
"""Columns of the results CSV: the report's figures first, then detail."""


@dataclass(frozen=True)
class Row:
    """One solve: an instance, a solver, and what the shared checker made of its routes.

    ``distance`` is the checker's re-costed total (``None`` without routes), ``gap_pct`` is
    ``100 * (distance - bks) / bks`` for feasible solutions only, ``seconds`` the solver call's
    wall time.
    """

    instance: str
    klass: str
    solver: str
    feasible: bool
    distance: float | None
    bks: float | None
    gap_pct: float | None
    routes: int
    bks_routes: int | None
    seconds: float
    time_limit_s: float
    seed: int
    status: str
    note: str
    violations: int
    first_violation: str

    def as_csv(self) -> dict[str, str]:
        """The row as CSV cells (fixed decimals; empty where there is no value)."""
        values = asdict(self)
        cells = {key: "" if value is None else str(value) for key, value in values.items()}
        cells["class"] = cells.pop("klass")
        cells["feasible"] = "yes" if self.feasible else "no"
        if self.distance is not None:
            cells["distance"] = f"{self.distance:.1f}"
        if self.gap_pct is not None:
            cells["gap_pct"] = f"{self.gap_pct:.3f}"
        cells["seconds"] = f"{self.seconds:.2f}"
        cells["time_limit_s"] = f"{self.time_limit_s:g}"
        return cells


def evaluate(
    instance: VrptwInstance,
    solver: str,
    result: PeerResult,
    bks: Bks | None,
    time_limit_s: float,
    seed: int,
) -> Row:
    """Check a solver's result with the shared checker and turn it into a :class:`Row`."""
    check = check_solution(instance, result.routes)
    has_routes = bool(result.routes)
    gap = None
    if check.feasible and bks is not None:
        gap = 100.0 * (check.distance - bks.distance) / bks.distance
    first = check.violations[0].message if check.violations else ""
    return Row(
        instance=instance.name,
        klass=instance.instance_class,
        solver=solver,
        feasible=check.feasible,
        distance=check.distance if has_routes else None,
        bks=bks.distance if bks else None,
        gap_pct=gap,
        routes=check.routes,
        bks_routes=bks.vehicles if bks else None,
        seconds=result.seconds,
        time_limit_s=time_limit_s,
        seed=seed,
        status=result.status,
        note=result.note,
        violations=len(check.violations),
        first_violation=first if has_routes else "no solution",
    )


def run_suite(
    instances: Sequence[VrptwInstance],
    solvers: Sequence[str],
    bks: dict[str, Bks],
    time_limit_s: float,
    seed: int,
    on_row: Callable[[list[Row]], None] | None = None,
    unavailable: dict[str, str] | None = None,
) -> tuple[list[Row], dict[str, str]]:
    """Solve every instance with every solver, one after the other, and check each result.

    Parameters
    ----------
    instances
        The instances, in run order.
    solvers
        Names from :data:`SOLVERS`.
    bks
        Best-known solutions by instance name (instances missing from it get no gap).
    time_limit_s
        Wall-clock limit handed to every solver, seconds.
    seed
        Seed handed to every solver (those without one ignore it).
    on_row
        Called with the list of rows so far after each solve (to save progress). Optional.
    unavailable
        Filled in place with the skipped solvers, if given (so an interrupted caller keeps
        them). Optional.

    Returns
    -------
    tuple
        The rows, and the solvers that were skipped mapped to the reason.
    """
    rows: list[Row] = []
    unavailable = {} if unavailable is None else unavailable
    total = len(instances) * len(solvers)
    step = 0
    for instance in instances:
        for name in solvers:
            step += 1
            prefix = f"[{step}/{total}] {instance.name:<6} {name:<8}"
            if name in unavailable:
                continue
            try:
                result = SOLVERS[name](instance, time_limit_s, seed)
            except (NotImplementedError, PeerUnavailable, ImportError) as exc:
                unavailable[name] = f"{type(exc).__name__}: {exc}"
                logger.warning("%s not available, skipped for the whole run: %s", prefix,
                               unavailable[name])
                continue
            except Exception as exc:  # a peer crashing on one instance must not end the run
                logger.exception("%s failed on this instance", prefix)
                result = PeerResult(routes=[], seconds=float("nan"), status="error",
                                    note=f"{type(exc).__name__}: {exc}")
            row = evaluate(instance, name, result, bks.get(instance.name), time_limit_s, seed)
            rows.append(row)
            logger.info("%s %s", prefix, describe(row))
            if on_row is not None:
                on_row(rows)
    return rows, unavailable


def describe(row: Row) -> str:
    """One progress line's worth of a row."""
    if row.status == "error":
        what = f"ERROR ({row.note})"
    elif row.distance is None:
        what = f"no solution ({row.note})" if row.note else "no solution"
    elif row.feasible:
        gap = f"gap {row.gap_pct:+.2f} %" if row.gap_pct is not None else "no BKS"
        what = f"{row.distance:9.1f}  {gap}  {row.routes} routes"
        if row.bks_routes is not None:
            what += f" (BKS {row.bks_routes})"
    else:
        what = (f"{row.distance:9.1f}  INFEASIBLE: {row.violations} violation(s), "
                f"{row.first_violation}")
    return f"{what}  {row.seconds:.1f} s"


# --------------------------------------------------------------------------------------------
# Summaries


def _mean(values: Iterable[float]) -> float | None:
    values = list(values)
    return statistics.fmean(values) if values else None


def _fmt(value: float | None, digits: int = 2) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def class_groups(rows: Sequence[Row]) -> list[str]:
    """Classes present in the rows, in Solomon's order, then any others, then ``"All"``."""
    present = {r.klass for r in rows}
    ordered = [c for c in CLASSES if c in present] + sorted(present - set(CLASSES))
    return [*ordered, "All"]


def _in_group(rows: Sequence[Row], solver: str, group: str) -> list[Row]:
    return [r for r in rows if r.solver == solver and (group == "All" or r.klass == group)]


def mean_gaps(rows: Sequence[Row], solvers: Sequence[str]) -> dict[str, dict[str, float | None]]:
    """Mean gap (%) over feasible results, by solver then class group (``"All"`` included)."""
    return {
        solver: {
            group: _mean(r.gap_pct for r in _in_group(rows, solver, group)
                         if r.feasible and r.gap_pct is not None)
            for group in class_groups(rows)
        }
        for solver in solvers
    }


def summary_markdown(
    rows: Sequence[Row],
    solvers: Sequence[str],
    unavailable: dict[str, str],
    time_limit_s: float,
    seed: int,
    title: str,
    complete: bool,
) -> str:
    """The markdown report: protocol, per-class tables per solver, then every instance."""
    ran = [s for s in solvers if s not in unavailable]
    groups = class_groups(rows)
    out = io.StringIO()
    w = out.write
    w(f"# {title}\n\n")
    if not complete:
        w("**Interrupted run: partial results.**\n\n")
    instances = sorted({r.instance for r in rows})
    w(f"- Date: {date.today().isoformat()}; time limit {time_limit_s:g} s per instance and "
      f"solver; seed {seed}; {len(instances)} instance(s).\n")
    w("- Convention: DIMACS (arc length = travel time = floor(10 d)/10; service in the "
      "windows; fleet limit); gap to the distance-only BKS; every solution re-costed and "
      "checked by `benchmarks.vrptw.check_solution`.\n")
    w(f"- Machine: {platform.platform()}, {os.cpu_count()} CPU(s), Python "
      f"{platform.python_version()}; solvers run one at a time, each single-threaded; "
      f"load average {os.getloadavg()[0]:.2f} when this report was written.\n")
    versions = ", ".join(f"{pkg} {package_version(pkg)}" for pkg in
                         [PEER_PACKAGES[s] for s in solvers if s in PEER_PACKAGES])
    if versions:
        w(f"- Versions installed: {versions}.\n")
    for name, reason in unavailable.items():
        w(f"- **{name}: not available** ({reason}).\n")
    w("\n")
    if not ran:
        w("No solver ran.\n")
        return out.getvalue()

    gaps = mean_gaps(rows, ran)
    header = "| solver | " + " | ".join(groups) + " |\n"
    rule = "|---|" + "---:|" * len(groups) + "\n"

    w("## Mean gap to BKS (%), feasible solutions only\n\n")
    w("Means over each solver's feasible results: when solvers differ in what they solved, "
      "compare them on the counts below too.\n\n")
    w(header + rule)
    for solver in ran:
        w(f"| {solver} | " + " | ".join(_fmt(gaps[solver][g]) for g in groups) + " |\n")

    w("\n## Feasible / infeasible / no solution (counts)\n\n")
    w(header + rule)
    for solver in ran:
        cells = []
        for g in groups:
            grp = _in_group(rows, solver, g)
            feas = sum(r.feasible for r in grp)
            none = sum(r.distance is None for r in grp)
            cells.append(f"{feas} / {len(grp) - feas - none} / {none}")
        w(f"| {solver} | " + " | ".join(cells) + " |\n")

    w("\n## Mean routes (feasible solutions) against the BKS routes\n\n")
    w(header + rule)
    bks_row = []
    for g in groups:
        names = {r.instance: r.bks_routes for r in rows if g in ("All", r.klass)}
        bks_row.append(_fmt(_mean(v for v in names.values() if v is not None)))
    w("| BKS | " + " | ".join(bks_row) + " |\n")
    for solver in ran:
        cells = [_fmt(_mean(r.routes for r in _in_group(rows, solver, g) if r.feasible))
                 for g in groups]
        w(f"| {solver} | " + " | ".join(cells) + " |\n")

    w("\n## Mean wall time (s)\n\n")
    w(header + rule)
    for solver in ran:
        cells = [_fmt(_mean(r.seconds for r in _in_group(rows, solver, g)
                            if r.seconds == r.seconds), 1) for g in groups]
        w(f"| {solver} | " + " | ".join(cells) + " |\n")

    w("\n## Per instance: distance (gap %, routes, s)\n\n")
    w("| instance | class | BKS (routes) | " + " | ".join(ran) + " |\n")
    w("|---|---|---:|" + "---:|" * len(ran) + "\n")
    by_key = {(r.instance, r.solver): r for r in rows}
    for name in instances:
        any_row = next(r for r in rows if r.instance == name)
        bks_cell = (f"{any_row.bks:.1f} ({any_row.bks_routes})" if any_row.bks is not None
                    else "-")
        cells = []
        for solver in ran:
            row = by_key.get((name, solver))
            if row is None:
                cells.append("-")
            elif row.status == "error":
                cells.append("error")
            elif row.distance is None:
                cells.append("no solution")
            elif not row.feasible:
                cells.append(f"infeasible ({row.violations} viol.)")
            else:
                gap = f"{row.gap_pct:+.2f} %, " if row.gap_pct is not None else ""
                cells.append(f"{row.distance:.1f} ({gap}{row.routes}, {row.seconds:.1f})")
        w(f"| {name} | {any_row.klass} | {bks_cell} | " + " | ".join(cells) + " |\n")
    return out.getvalue()


def plot_gaps(rows: Sequence[Row], solvers: Sequence[str], path: Path, title: str) -> bool:
    """Grouped bars of the mean gap by class (and overall), one bar per solver, saved as PNG.

    Returns ``False`` (and logs why) when matplotlib is missing or nothing is feasible.
    """
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError as exc:
        logger.warning("no plot: matplotlib not importable (%s)", exc)
        return False
    ran = [s for s in solvers if any(r.solver == s for r in rows)]
    if not ran:
        logger.warning("no plot: no solver produced a result")
        return False
    groups = class_groups(rows)
    gaps = mean_gaps(rows, ran)
    width = 0.8 / len(ran)
    fig, ax = plt.subplots(figsize=(1.4 * len(groups) + 2, 4.5))
    for k, solver in enumerate(ran):
        xs = [i + (k - (len(ran) - 1) / 2) * width for i in range(len(groups))]
        heights = [gaps[solver][g] if gaps[solver][g] is not None else 0.0 for g in groups]
        bars = ax.bar(xs, heights, width, label=solver)
        for bar, group in zip(bars, groups, strict=True):
            missing = sum(not r.feasible for r in _in_group(rows, solver, group))
            if missing:
                ax.annotate(f"{missing} inf.", (bar.get_x() + bar.get_width() / 2,
                                                bar.get_height()),
                            ha="center", va="bottom", fontsize=7, color="crimson")
    ax.set_xticks(range(len(groups)), groups)
    ax.set_ylabel("mean gap to BKS (%), feasible only")
    ax.set_title(title, fontsize=10)
    ax.axhline(0, color="black", linewidth=0.6)
    ax.legend(fontsize=8)
    ax.grid(axis="y", alpha=0.3)
    fig.tight_layout()
    tmp = path.with_name(path.name + ".tmp")
    fig.savefig(tmp, dpi=120, format="png")
    plt.close(fig)
    os.replace(tmp, path)
    return True


def write_csv(rows: Sequence[Row], path: Path) -> None:
    """Write the rows atomically (temp file, then rename)."""
    tmp = path.with_name(path.name + ".tmp")
    with tmp.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=CSV_COLUMNS)
        writer.writeheader()
        for row in rows:
            writer.writerow(row.as_csv())
    os.replace(tmp, path)


def write_text(text: str, path: Path) -> None:
    """Write a text file atomically."""
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text)
    os.replace(tmp, path)


# --------------------------------------------------------------------------------------------
# Command line


def _split(value: str | None) -> list[str]:
    return [v.strip() for v in value.split(",") if v.strip()] if value else []


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.solomon",
        description="Solomon VRPTW suite: our engine and peers, same time limit, one checker.")
    parser.add_argument("--time-limit", type=float, default=None,
                        help="seconds per instance and solver (10 and 60 are the reported "
                             "limits; default 10, or 5 with --quick)")
    parser.add_argument("--instances", type=Path, default=None,
                        help="folder of Solomon .txt files, or one holding instances/ "
                             "(default: shared/benchdata/solomon beside the repository)")
    parser.add_argument("--bks", type=Path, default=None,
                        help="BKS csv (default: bks_distance_dimacs.csv in or above the folder)")
    parser.add_argument("--only", default=None,
                        help="comma-separated instance names or classes, e.g. C101,R101 or "
                             "C1,C2")
    parser.add_argument("--solvers", default=",".join(SOLVERS),
                        help=f"comma-separated subset of {','.join(SOLVERS)} (default: all)")
    parser.add_argument("--seed", type=int, default=1, help="seed for every solver (default 1)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT,
                        help="output folder (default benchmarks/results)")
    parser.add_argument("--name", default=None,
                        help="output file stem (default solomon[-quick]-<limit>s-<date>"
                             "[-seed<N>]); use one per batch when splitting a run")
    parser.add_argument("--summarize", type=Path, nargs="+", default=None, metavar="CSV",
                        help="solve nothing: merge these result CSVs into one report "
                             "(CSV, markdown, plot) named by --name")
    parser.add_argument("--quick", action="store_true",
                        help=f"smoke run: {','.join(QUICK_INSTANCES)} at "
                             f"{QUICK_TIME_LIMIT_S:g} s each, all available solvers")
    args = parser.parse_args(argv)
    if args.quick:
        args.only = args.only or ",".join(QUICK_INSTANCES)
        args.time_limit = args.time_limit or QUICK_TIME_LIMIT_S
    if args.time_limit is None:
        args.time_limit = 10.0
    if args.time_limit <= 0:
        parser.error("--time-limit must be positive")
    unknown = [s for s in _split(args.solvers) if s not in SOLVERS]
    if unknown:
        parser.error(f"unknown solver(s) {','.join(unknown)}; choose from {','.join(SOLVERS)}")
    return args


def load_instances(folder: Path | None, only: Sequence[str]) -> tuple[list[VrptwInstance], Path]:
    """Read the suite's instances (sorted by name), filtered by ``only`` if given.

    Raises
    ------
    SystemExit
        With a message when the folder has no instances or a name in ``only`` is unknown.
    """
    if folder is None:
        folder = default_solomon_dir()
        if folder is None:
            raise SystemExit("no Solomon data found: pass --instances DIR or set SOLOMON_DIR")
    files = instance_files(folder)
    if not files:
        raise SystemExit(f"no *.txt instances in {folder} or {folder / 'instances'}")
    by_name = {f.stem.upper(): f for f in files}
    if only:
        chosen: list[Path] = []
        for item in (n.upper() for n in only):
            if item in by_name:
                matches = [by_name[item]]
            else:  # a class name such as RC1 stands for all its instances
                matches = [f for name, f in by_name.items() if instance_class(name) == item]
            if not matches:
                raise SystemExit(f"unknown instance or class {item} in {folder}")
            chosen.extend(f for f in matches if f not in chosen)
        files = chosen
    return [read_solomon(f) for f in files], folder


def read_rows(path: Path) -> list[Row]:
    """Read rows back from a results CSV written by :func:`write_csv`."""

    def number(text: str) -> float | None:
        return float(text) if text else None

    rows = []
    with path.open(newline="") as handle:
        for cells in csv.DictReader(handle):
            bks_routes = cells["bks_routes"]
            rows.append(Row(
                instance=cells["instance"],
                klass=cells["class"],
                solver=cells["solver"],
                feasible=cells["feasible"] == "yes",
                distance=number(cells["distance"]),
                bks=number(cells["bks"]),
                gap_pct=number(cells["gap_pct"]),
                routes=int(cells["routes"]),
                bks_routes=int(bks_routes) if bks_routes else None,
                seconds=float(cells["seconds"]),
                time_limit_s=float(cells["time_limit_s"]),
                seed=int(cells["seed"]),
                status=cells["status"],
                note=cells["note"],
                violations=int(cells["violations"]),
                first_violation=cells["first_violation"],
            ))
    return rows


def write_reports(
    rows: Sequence[Row],
    solvers: Sequence[str],
    unavailable: dict[str, str],
    out: Path,
    stem: str,
    title: str,
    complete: bool = True,
) -> list[Path]:
    """Write ``<stem>.md`` and ``<stem>.png`` for the rows, log the overall figures.

    Returns the paths written.
    """
    limits = sorted({r.time_limit_s for r in rows})
    seeds = sorted({r.seed for r in rows})
    limit = limits[0] if len(limits) == 1 else float("nan")
    seed = seeds[0] if len(seeds) == 1 else -1
    md_path = out / f"{stem}.md"
    write_text(summary_markdown(rows, solvers, unavailable, limit, seed, title, complete),
               md_path)
    written = [md_path]
    png_path = out / f"{stem}.png"
    if plot_gaps(rows, solvers, png_path, title):
        written.append(png_path)
    gaps = mean_gaps(rows, [s for s in solvers if s not in unavailable])
    for solver, by_group in gaps.items():
        feasible = sum(r.feasible for r in rows if r.solver == solver)
        count = sum(r.solver == solver for r in rows)
        logger.info("%-8s mean gap %s %% over %d/%d feasible", solver, _fmt(by_group["All"]),
                    feasible, count)
    for solver, reason in unavailable.items():
        logger.info("%-8s not available: %s", solver, reason)
    return written


def summarize(paths: Sequence[Path], out: Path, stem: str | None) -> int:
    """Merge result CSVs (e.g. one per class, run in separate sessions) into one report."""
    rows: list[Row] = []
    for path in paths:
        rows.extend(read_rows(path))
    if not rows:
        raise SystemExit("no rows in " + ", ".join(map(str, paths)))
    keys = [(r.instance, r.solver) for r in rows]
    if len(keys) != len(set(keys)):
        raise SystemExit("the CSVs hold the same instance and solver more than once")
    limits = sorted({f"{r.time_limit_s:g}s" for r in rows})
    seeds = sorted({r.seed for r in rows})
    if len(limits) > 1 or len(seeds) > 1:
        logger.warning("merging different time limits %s or seeds %s", limits, seeds)
    solvers = [s for s in SOLVERS if any(r.solver == s for r in rows)]
    solvers += sorted({r.solver for r in rows} - set(solvers))
    stem = stem or f"solomon-{'-'.join(limits)}-merged-{date.today().isoformat()}"
    title = (f"Solomon VRPTW: {', '.join(limits)} per instance, seed "
             f"{', '.join(map(str, seeds))} (merged from {len(paths)} file(s))")
    out.mkdir(parents=True, exist_ok=True)
    merged_csv = out / f"{stem}.csv"
    write_csv(rows, merged_csv)
    written = [merged_csv, *write_reports(rows, solvers, {}, out, stem, title)]
    logger.info("wrote %s", ", ".join(map(str, written)))
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stdout)
    logging.getLogger("matplotlib").setLevel(logging.WARNING)
    args = parse_args(argv)
    if args.summarize:
        return summarize(args.summarize, args.out, args.name)
    instances, folder = load_instances(args.instances, _split(args.only))
    bks_path = args.bks or find_bks_file(folder)
    bks = read_bks(bks_path) if bks_path else {}
    if not bks:
        logger.warning("no BKS table found: gaps will be empty")
    solvers = _split(args.solvers)

    limit = f"{args.time_limit:g}s"
    stem = args.name
    if stem is None:
        stem = f"solomon-{'quick-' if args.quick else ''}{limit}-{date.today().isoformat()}"
        if args.seed != 1:
            stem += f"-seed{args.seed}"
    args.out.mkdir(parents=True, exist_ok=True)
    csv_path = args.out / f"{stem}.csv"
    title = (f"Solomon VRPTW{' (quick)' if args.quick else ''}: {limit} per instance, "
             f"seed {args.seed}")
    logger.info("%s: %d instance(s) from %s, solvers %s; results in %s", title, len(instances),
                folder, ",".join(solvers), args.out)

    started = time.perf_counter()
    complete = True
    rows: list[Row] = []
    unavailable: dict[str, str] = {}

    def save(current: list[Row]) -> None:
        rows[:] = current
        write_csv(current, csv_path)

    try:
        run_suite(instances, solvers, bks, args.time_limit, args.seed, on_row=save,
                  unavailable=unavailable)
    except KeyboardInterrupt:
        complete = False
        logger.warning("interrupted: writing the results so far")
    write_csv(rows, csv_path)
    written = [csv_path, *write_reports(rows, solvers, unavailable, args.out, stem, title,
                                        complete)]
    logger.info("wrote %s in %.0f s", ", ".join(map(str, written)), time.perf_counter() - started)
    return 0 if complete else 130


if __name__ == "__main__":
    sys.exit(main())
