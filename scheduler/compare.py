"""Scenario comparison: solve every scenario of a scenario file with the same seed and time limit,
write each scenario's rota folder, and one table (comparison.csv, .md, .html) of the figures a
planner compares.

Scheduling. ``SolveParams.workers`` is the CPU threads one scenario's solve may use; scenarios
run ``cores // workers`` at a time in separate processes (``default_jobs``). A caseload of
independent parts (zones with a provider each) is solved by ``scheduler.solve`` in
``min(workers, parts)`` processes of one thread each, so with ``workers=1`` every scenario
uses one core whatever its market, and two scenarios share a 2-core machine fairly. Two-stage
scenarios (one_provider_per_customer) take two solves and are started first.

Each scenario's folder ``OUT/<slug>/`` holds what ``rota solve`` writes (rota.csv,
unassigned.csv, kpis.json, caseload.json — the scenario's transformed caseload — and the
reports with board.html) plus scenario.json (its overrides); a two-stage scenario keeps its first
stage's rota.csv, unassigned.csv and kpis.json in ``stage1/``. Every rota is checked by
scheduler.validate against its scenario's caseload, and the result is in the table.
"""

from __future__ import annotations

import logging
import os
import statistics
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from models import Caseload
from models.result import SolveParams
from scheduler.io import write_caseload, write_rota
from scheduler.io.files import write_text
from scheduler.kpi import compute_kpis, effective_hourly_pay
from scheduler.report import write_reports
from scheduler.report.common import csv_text
from scheduler.runs import build_runs
from scheduler.scenarios import Scenario, ScenarioSet, providers_by_majority
from scheduler.solve import solve
from scheduler.validate import validate

logger = logging.getLogger(__name__)

COMPARISON_CSV = "comparison.csv"
COMPARISON_MD = "comparison.md"
COMPARISON_HTML = "comparison.html"
EFFECTIVE_PAY_CSV = "effective_pay.csv"
STAGE1_DIR = "stage1"

KPI_COLUMNS: tuple[str, ...] = (
    "visits_total", "visits_assigned", "visits_unassigned", "care_hours_delivered",
    "travel_hours", "travel_km", "travel_share", "mean_distinct_workers_per_customer",
    "continuity_pct", "weekend_familiar_pct", "punctuality_mean_abs_dev_min", "workers_used",
    "split_shift_days", "pay_total", "mileage_total", "fee_total", "margin",
)
"""kpis.json figures copied into the table."""

COLUMNS: tuple[str, ...] = (
    "scenario", "status", "valid", "violations", *KPI_COLUMNS, "cost_per_care_hour",
    "effective_hourly_pay_mean", "effective_hourly_pay_min", "effective_hourly_pay_median",
    "objective", "solve_seconds", "stages", "folder", "error",
)
"""comparison.csv columns, one row per scenario in file order."""

MARKDOWN_ROWS: tuple[tuple[str, str, int | None], ...] = (
    ("status", "status", None),
    ("valid rota (violations)", "valid", None),
    ("visits assigned", "visits_assigned", 0),
    ("visits unassigned", "visits_unassigned", 0),
    ("care hours delivered", "care_hours_delivered", 1),
    ("travel hours", "travel_hours", 1),
    ("travel share %", "travel_share_pct", 1),
    ("distinct workers per customer (mean)", "mean_distinct_workers_per_customer", 2),
    ("continuity % (top 3 workers)", "continuity_pct", 1),
    ("weekend visits by a familiar worker %", "weekend_familiar_pct", 1),
    ("punctuality: mean deviation, min", "punctuality_mean_abs_dev_min", 1),
    ("workers used", "workers_used", 0),
    ("pay total {cur}", "pay_total", 0),
    ("mileage total {cur}", "mileage_total", 0),
    ("fee total {cur}", "fee_total", 0),
    ("margin {cur}", "margin", 0),
    ("cost per care hour {cur}", "cost_per_care_hour", 2),
    ("effective hourly pay, mean {cur}/h", "effective_hourly_pay_mean", 2),
    ("effective hourly pay, min {cur}/h", "effective_hourly_pay_min", 2),
    ("effective hourly pay, median {cur}/h", "effective_hourly_pay_median", 2),
    ("objective (points)", "objective", 0),
    ("solve seconds", "solve_seconds", 1),
)
"""The human table: (label, row key, decimals or None for text); scenarios are its columns."""


@dataclass(frozen=True)
class Outcome:
    """One scenario's result: its table row and the per-worker effective hourly pay."""

    name: str
    slug: str
    description: str
    row: dict[str, Any]
    effective_pay: dict[str, float] = field(default_factory=dict)
    """Worker id -> pay / (contact + travel hours), money per hour, workers with a row."""

    @property
    def failed(self) -> bool:
        """True when the solve raised or the rota broke a rule."""
        return bool(self.row.get("error")) or self.row.get("valid") != "yes"


def default_jobs(workers: int, scenarios: int) -> int:
    """Scenarios solved at a time: the usable cores divided by each solve's threads."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return max(1, min(scenarios, (cores or 1) // max(1, workers)))


def run_comparison(
    scenarios: ScenarioSet,
    base: Caseload,
    out_dir: str | Path,
    params: SolveParams,
    *,
    jobs: int | None = None,
    progress: Callable[[str], None] | None = None,
) -> list[Outcome]:
    """Solve every scenario and write the scenario folders and the comparison files.

    Parameters
    ----------
    scenarios
        The loaded scenario file.
    base
        Its base caseload.
    out_dir
        Folder for ``<slug>/`` per scenario and comparison.csv/.md/.html.
    params
        Solve settings shared by every scenario (time limit per solve, seed, threads per solve).
    jobs
        Scenarios solved at a time. Default ``default_jobs(params.workers, n)``.
    progress
        Called with one line per scenario started and finished.

    Returns
    -------
    list[Outcome]
        In file order.

    Raises
    ------
    ScenarioError
        Before any solve, when a scenario's overrides cannot apply to the base.
    """
    out = Path(out_dir)
    say = progress or (lambda line: None)
    caseloads = scenarios.caseloads(base)  # every transform checked before the first solve
    items = list(zip(scenarios.spec.scenarios, caseloads))
    jobs = jobs or default_jobs(params.workers, len(items))
    order = sorted(range(len(items)), key=lambda i: not items[i][0].two_stage)
    solves = len(items) + sum(s.two_stage for s, _ in items)
    say(f"comparing {len(items)} scenarios of {scenarios.base_path} ({solves} solves of "
        f"{params.time_limit_s:g} s, seed {params.seed}, {params.workers} thread(s) each, "
        f"{jobs} at a time)")
    outcomes: dict[int, Outcome] = {}

    def finished(i: int, outcome: Outcome) -> None:
        outcomes[i] = outcome
        say(f"[{len(outcomes)}/{len(items)}] {progress_line(outcome)}")

    try:
        if jobs == 1:
            for i in order:
                scenario, caseload = items[i]
                say(f"solving {scenario.name}")
                finished(i, run_scenario(scenario, caseload, out / scenario.slug, params))
        else:
            with ProcessPoolExecutor(max_workers=jobs) as pool:
                futures = {pool.submit(run_scenario, items[i][0], items[i][1],
                                       out / items[i][0].slug, params): i for i in order}
                try:
                    for future in as_completed(futures):
                        finished(futures[future], future.result())
                except KeyboardInterrupt:  # running solves stop at their best on the same Ctrl-C
                    say("interrupted: finishing the running scenarios, skipping the others")
                    pool.shutdown(wait=False, cancel_futures=True)
                    for future, i in futures.items():
                        if i not in outcomes and not future.cancelled():
                            finished(i, _result_after_interrupt(future, items[i][0]))
    except KeyboardInterrupt:
        say("interrupted: the scenarios not yet solved are left out of the table")
    ordered = [outcomes.get(i) or _not_run(items[i][0]) for i in range(len(items))]
    write_comparison(out, ordered, title=scenarios.spec.title or scenarios.base_path.name,
                     settings=_settings_text(scenarios, params), currency=base.costs.currency,
                     pay_rate=base.costs.pay_per_hour)
    return ordered


def _settings_text(scenarios: ScenarioSet, params: SolveParams) -> str:
    return (f"base {scenarios.base_path}, seed {params.seed}, {params.time_limit_s:g} s per "
            f"solve, {params.workers} CPU thread(s) per solve")


def run_scenario(scenario: Scenario, caseload: Caseload, folder: Path,
                 params: SolveParams) -> Outcome:
    """Solve one scenario (both stages of a two-stage one) and write its rota folder.

    Never raises: a failure becomes an Outcome with status ``error`` and the message.
    """
    try:
        return _run_scenario(scenario, caseload, folder, params)
    except Exception as exc:  # one broken scenario must not lose the others' results
        logger.exception("scenario %s failed", scenario.name)
        return _failed(scenario, f"{type(exc).__name__}: {exc}")


def _failed(scenario: Scenario, message: str) -> Outcome:
    row = {"scenario": scenario.name, "status": "error", "valid": "", "folder": scenario.slug,
           "error": message}
    return Outcome(scenario.name, scenario.slug, scenario.description, row)


def _not_run(scenario: Scenario) -> Outcome:
    return _failed(scenario, "not run (interrupted)")


def _result_after_interrupt(future, scenario: Scenario) -> Outcome:
    """A running scenario's outcome after Ctrl-C: its best rota, or a failed row if it died."""
    try:
        return future.result()
    except BaseException as exc:  # the worker was cut off outside the search loop
        return _failed(scenario, f"interrupted ({type(exc).__name__})")


def _run_scenario(scenario: Scenario, caseload: Caseload, folder: Path,
                  params: SolveParams) -> Outcome:
    result = solve(caseload, params)
    seconds, stages = result.solve_seconds, 1
    if scenario.two_stage:
        write_rota(result.rota, folder / STAGE1_DIR,
                   compute_kpis(caseload, result.rota, solve_seconds=result.solve_seconds,
                                objective=result.objective, bound=result.bound))
        caseload = providers_by_majority(caseload, result.rota)
        result = solve(caseload, params)
        seconds, stages = seconds + result.solve_seconds, 2
    rota = result.rota
    runs = build_runs(caseload, rota)
    violations = validate(caseload, rota, runs=runs)
    kpis = compute_kpis(caseload, rota, solve_seconds=seconds, objective=result.objective,
                        bound=result.bound, runs=runs)
    write_rota(rota, folder, kpis)
    write_caseload(caseload, folder / "caseload.json")
    write_reports(caseload, rota, kpis, folder, violations=violations)
    write_text(folder / "scenario.json",
               scenario.model_dump_json(indent=1, exclude_none=True) + "\n")
    pay = effective_hourly_pay(caseload, runs)
    row = comparison_row(scenario, result.status, kpis, len(violations), pay, stages)
    return Outcome(scenario.name, scenario.slug, scenario.description, row, pay)


def comparison_row(scenario: Scenario, status: str, kpis: dict[str, Any], violations: int,
                   pay: dict[str, float], stages: int) -> dict[str, Any]:
    """The comparison.csv row of a scenario, from its kpis.json and per-worker pay."""
    hours = kpis["care_hours_delivered"]
    cost = kpis["pay_total"] + kpis["mileage_total"]
    values = list(pay.values())
    return {
        "scenario": scenario.name,
        "status": status,
        "valid": "yes" if violations == 0 else "no",
        "violations": violations,
        **{key: kpis[key] for key in KPI_COLUMNS},
        "cost_per_care_hour": round(cost / hours, 4) if hours else None,
        "effective_hourly_pay_mean": kpis["effective_hourly_pay_mean"],
        "effective_hourly_pay_min": kpis["effective_hourly_pay_min"],
        "effective_hourly_pay_median": round(statistics.median(values), 4) if values else None,
        "objective": kpis["objective"],
        "solve_seconds": round(kpis["solve_seconds"], 2),
        "stages": stages,
        "folder": scenario.slug,
        "error": "",
    }


def progress_line(outcome: Outcome) -> str:
    """``paid travel: feasible, 580/588 visits, travel 210.3 h, objective 123, 20.1 s, valid``."""
    row = outcome.row
    if row.get("error"):
        return f"{outcome.name}: ERROR {row['error']}"
    check = "valid" if row["valid"] == "yes" else f"INVALID ({row['violations']} violations)"
    return (f"{outcome.name}: {row['status']}, {row['visits_assigned']}/{row['visits_total']} "
            f"visits, travel {row['travel_hours']:.1f} h, objective {row['objective']}, "
            f"{row['solve_seconds']:.1f} s, {check}")


# ----------------------------------------------------------------------------- tables


def write_comparison(out_dir: Path, outcomes: list[Outcome], *, title: str, settings: str,
                     currency: str, pay_rate: float | None = None) -> list[Path]:
    """comparison.csv, comparison.md, comparison.html and effective_pay.csv into ``out_dir``.

    ``pay_rate`` (the base caseload's pay per hour) is marked on the effective pay chart.
    """
    from scheduler.report.comparison import comparison_html

    pay_rows = [{"scenario": o.name, "worker_id": w, "effective_hourly_pay": round(v, 4)}
                for o in outcomes for w, v in o.effective_pay.items()]
    texts = {
        COMPARISON_CSV: csv_text([o.row for o in outcomes], COLUMNS),
        COMPARISON_MD: f"# {title}\n\n{settings}\n\n{comparison_markdown(outcomes, currency)}\n",
        COMPARISON_HTML: comparison_html(outcomes, title=title, settings=settings,
                                         currency=currency, pay_rate=pay_rate),
        EFFECTIVE_PAY_CSV: csv_text(pay_rows, ("scenario", "worker_id", "effective_hourly_pay")),
    }
    return [write_text(out_dir / name, text) for name, text in texts.items()]


def table_cells(outcome: Outcome, key: str, decimals: int | None) -> str:
    """One cell of the human table."""
    row = outcome.row
    if row.get("error"):
        return "error" if key == "status" else "-"
    if key == "valid":
        return "yes" if row["valid"] == "yes" else f"NO ({row['violations']})"
    if key == "travel_share_pct":
        value = None if row["travel_share"] is None else 100 * row["travel_share"]
    else:
        value = row.get(key)
    if value is None:
        return "-"
    if decimals is None:
        return str(value)
    return f"{value:,.{decimals}f}"


def comparison_markdown(outcomes: list[Outcome], currency: str = "GBP") -> str:
    """The comparison as a markdown table: one column per scenario, one row per figure."""
    header = ["figure", *(o.name.replace("|", "/") for o in outcomes)]
    lines = ["| " + " | ".join(header) + " |",
             "|---|" + "---:|" * len(outcomes)]
    for label, key, decimals in MARKDOWN_ROWS:
        cells = [table_cells(o, key, decimals) for o in outcomes]
        lines.append(f"| {label.format(cur=currency)} | " + " | ".join(cells) + " |")
    return "\n".join(lines)

