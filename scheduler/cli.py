"""The ``rota`` command line: thin click commands over the library.

Bad input prints every problem found (file, row, column, rule) and exits with code 2, writing
nothing.
"""

from __future__ import annotations

import json
import logging
import sys
import warnings
from contextlib import contextmanager
from pathlib import Path

import click

from scheduler.io import CaseloadError, CaseloadWarning, read_caseload

SAMPLES = Path(__file__).resolve().parent.parent / "data" / "samples"
DEFAULT_CASELOAD = SAMPLES / "riverside"
EXIT_BAD_INPUT = 2
ITERATIONS_TIME_LIMIT_S = 86_400.0
"""With ``--iterations`` and no ``--time-limit``: a day, so that the budget ends the search."""


@contextmanager
def user_errors():
    """Show caseload warnings on stderr; turn input errors into a message and exit code 2."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", CaseloadWarning)
        try:
            yield
        except CaseloadError as exc:
            _show_warnings(caught)
            click.echo(f"error: {exc}", err=True)
            sys.exit(EXIT_BAD_INPUT)
    _show_warnings(caught)


def _show_warnings(caught) -> None:
    for item in caught:
        if isinstance(item.message, CaseloadWarning):
            click.echo(f"warning: {item.message}", err=True)


def load(path: str | Path):
    """Read a caseload for a command (inside ``user_errors``)."""
    return read_caseload(path)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-v", "--verbose", count=True,
              help="More log detail: -v adds the search operators' statistics and other "
                   "libraries' messages, -vv debug. Progress lines show without it.")
def main(verbose: int) -> None:
    """Plan a week of home care visits: caseloads in, rotas out.

    A caseload is a folder (caseload.yaml and CSV tables) or one JSON file; docs/formats.md
    in the project describes both. Start with `rota inspect CASELOAD`, then
    `rota solve CASELOAD --out DIR`.
    """
    level = logging.WARNING if verbose == 0 else logging.INFO if verbose == 1 else logging.DEBUG
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("scheduler").setLevel(min(level, logging.INFO))  # progress lines
    logging.getLogger("scheduler.lns.operators").setLevel(level)


# ----------------------------------------------------------------------------- caseloads


@main.command()
@click.argument("source", type=click.Path(exists=True, path_type=Path))
@click.argument("target", type=click.Path(path_type=Path))
def convert(source: Path, target: Path) -> None:
    """Convert a caseload between a folder and one JSON file (TARGET ending .json = JSON)."""
    from scheduler.io import write_caseload

    with user_errors():
        caseload = load(source)
    removed = write_caseload(caseload, target)
    click.echo(f"wrote {target}{_removed_note(removed)}")


def _removed_note(removed: list[str]) -> str:
    """What writing a caseload folder took out of the caseload that was there before."""
    if not removed:
        return ""
    return (f" (removed {', '.join(removed)}, left from the caseload that was there; the new "
            "one has no such table)")


@main.command()
def schema() -> None:
    """Print the JSON schema of a caseload JSON file."""
    import json

    from models import Caseload

    click.echo(json.dumps(Caseload.model_json_schema(mode="serialization"), indent=1))


# ----------------------------------------------------------------------------- solve


@main.command()
@click.argument("caseload_path", required=False, type=click.Path(exists=True, path_type=Path))
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              default=Path("rota-out"),
              show_default=True, help="Folder for rota.csv, unassigned.csv and kpis.json.")
@click.option("--time-limit", type=click.FloatRange(min=0.1), default=None,
              help="Seconds to search (default 60, or a day with --iterations); Ctrl-C stops "
                   "early and keeps the best rota.")
@click.option("--seed", type=int, default=1, show_default=True,
              help="Random seed: the same seed, workers and iterations give the same rota.")
@click.option("--workers", type=click.IntRange(min=1), default=2, show_default=True,
              help="CPU cores to use: searches run side by side, and CP-SAT threads.")
@click.option("--stall", type=click.FloatRange(min=0.1), default=None,
              help="Stop after this many seconds without improvement.")
@click.option("--iterations", type=click.IntRange(min=0), default=None,
              help="Stop after this many search iterations (exactly reproducible runs, unless "
                   "the time limit comes first).")
def solve(caseload_path, out_dir, time_limit, seed, workers, stall, iterations) -> None:
    """Plan the week of CASELOAD and write the rota folder.

    With no CASELOAD, the bundled sample data/samples/riverside is planned. Progress lines
    (elapsed time, visits placed, objective) go to stderr; the KPI table is printed at the end.
    """
    from models.result import SolveParams
    from scheduler.io import write_caseload, write_rota
    from scheduler.kpi import compute_kpis
    from scheduler.report import write_reports
    from scheduler.scenarios import DEFAULT_TIME_LIMIT_S

    path = caseload_path or DEFAULT_CASELOAD
    if time_limit is None:
        time_limit = DEFAULT_TIME_LIMIT_S if iterations is None else ITERATIONS_TIME_LIMIT_S
    with user_errors():
        caseload = load(path)
    click.echo(f"planning {path} ({len(caseload.instances)} visits, "
               f"{len(caseload.workers)} workers), up to {time_limit:g} s"
               + (f" or {iterations} iterations" if iterations is not None else ""), err=True)
    params = SolveParams(time_limit_s=time_limit, seed=seed, workers=workers, stall_s=stall,
                         iterations=iterations)
    with user_errors():
        result = _solve_keeping_pins(caseload, params, path)
    kpis = compute_kpis(caseload, result.rota, solve_seconds=result.solve_seconds,
                        objective=result.objective, bound=result.bound)
    write_rota(result.rota, out_dir, kpis)
    write_caseload(caseload, out_dir / "caseload.json")  # a rota folder is self-contained
    write_reports(caseload, result.rota, kpis, out_dir)
    click.echo(result.summary())
    click.echo(kpi_table(kpis))
    click.echo(f"wrote {out_dir}/rota.csv, unassigned.csv, kpis.json, caseload.json and the "
               "reports (board.html, run sheets, customer schedules, changes, calendars)")
    left_out = len(result.rota.unassigned)
    if left_out:
        caseload_arg = f"{caseload_path} " if caseload_path else ""  # both default to the sample
        click.echo(f"{left_out} visit{'s' if left_out > 1 else ''} left out, each with its "
                   f"reason in unassigned.csv; `rota explain {out_dir}` lists them, `rota bound "
                   f"{caseload_arg}--rota {out_dir}` proves how many any rota must leave out")


def _solve_keeping_pins(caseload, params, path):
    """Solve; pins that cannot be kept are input errors on their pinned.csv rows."""
    from scheduler.io import CaseloadError, InputProblem, locate_entry
    from scheduler.solve import PinError
    from scheduler.solve import solve as solve_caseload

    try:
        return solve_caseload(caseload, params)
    except PinError as error:
        index = {(pin.visit_id, pin.worker_id): i for i, pin in enumerate(caseload.pinned)}
        problems = []
        for (visit_id, worker_id, _), message in zip(error.unkept, error.messages()):
            file, row = locate_entry(path, "pinned", index[(visit_id, worker_id)])
            problems.append(InputProblem(file, row, "worker_id", "pin_unkept", message))
        raise CaseloadError(problems) from None


def kpi_table(kpis: dict) -> str:
    """kpis.json as an aligned two-column table."""
    width = max(len(k) for k in kpis)
    lines = []
    for key, value in kpis.items():
        shown = f"{value:,.2f}" if isinstance(value, float) else "-" if value is None else value
        lines.append(f"  {key:<{width}}  {shown:>14}")
    return "\n".join(lines)


# ----------------------------------------------------------------------------- check


@main.command()
@click.argument("caseload_path", metavar="CASELOAD", type=click.Path(path_type=Path))
@click.argument("rota_dir", metavar="ROTA_DIR", type=click.Path(path_type=Path))
def check(caseload_path: Path, rota_dir: Path) -> None:
    """Check a rota folder against its caseload: every rule of FORMAT.md, and the objective.

    Prints the violations grouped by rule, the recomputed objective with its breakdown and a
    VALID/INVALID line. Exit code 0 valid, 1 violations, 2 unreadable input.
    """
    from scheduler.io import read_rota
    from scheduler.runs import build_runs
    from scheduler.validate import objective, report_text, validate

    with user_errors():
        caseload = load(caseload_path)
        rota, _, row_numbers = read_rota(rota_dir)
    runs = build_runs(caseload, rota)
    violations = validate(caseload, rota, runs=runs, row_numbers=row_numbers)
    total, breakdown = objective(caseload, rota, runs=runs)
    click.echo(report_text(violations, total, breakdown))
    sys.exit(1 if violations else 0)


@main.command("bound")
@click.argument("caseload_path", metavar="[CASELOAD]", required=False,
                type=click.Path(path_type=Path))
@click.option("--rota", "rota_dir", type=click.Path(path_type=Path), default=None,
              help="A rota folder to set against the bound (its visits left out per day).")
@click.option("--time-limit", type=click.FloatRange(min=0.1), default=30.0, show_default=True,
              help="Seconds of CP-SAT per day at most.")
@click.option("--seed", type=int, default=1, show_default=True, help="Random seed.")
@click.option("--workers", type=click.IntRange(min=1), default=2, show_default=True,
              help="CP-SAT threads.")
def bound_command(caseload_path, rota_dir, time_limit, seed, workers) -> None:
    """The fewest visits any rota must leave out, proven day by day.

    Each day's visits are planned alone, with every rule that holds within a day (the rules
    that tie days together, such as weekly hours and rest, are dropped, so the figure is a
    bound that no rota can beat), and names visits that no rota can place all together. With
    --rota, says whether that rota places as many visits as any rota can. With no CASELOAD,
    the bundled sample data/samples/riverside. Ctrl-C prints the table at once, with what the
    day in hand had proven and the days after not tried.
    """
    from collections import Counter

    from scheduler.bound import bounds_text, week_bounds
    from scheduler.io import read_rota

    path = caseload_path or DEFAULT_CASELOAD
    with user_errors():
        caseload = load(path)
        rota = read_rota(rota_dir).rota if rota_dir is not None else None
    bounds = week_bounds(caseload, time_limit, seed, workers)
    left_out = None if rota is None else Counter(u.day for u in rota.unassigned)
    click.echo(bounds_text(bounds, left_out, str(rota_dir) if rota_dir else "the rota"))


# ----------------------------------------------------------------------------- generate and inspect

from scheduler.generate import GEOGRAPHIES, PRESETS, SIZES  # noqa: E402


@main.command("generate")
@click.option("--size", type=click.Choice(list(SIZES)),
              help="S (25 customers), M (100), L (250), XL (1,000 in 4-6 zones).")
@click.option("--geography", type=click.Choice(GEOGRAPHIES), default="mixed", show_default=True,
              help="urban: one town; rural: villages over 30-40 km; mixed: a town, villages "
                   "and a rural fringe.")
@click.option("--preset", type=click.Choice(list(PRESETS)),
              help="A bundled sample instead of --size/--geography (riverside, shire).")
@click.option("--seed", type=int, required=True, help="Same seed, same caseload.")
@click.option("--out", type=click.Path(path_type=Path), required=True,
              help="Caseload folder to write (created if missing).")
@click.option("--json", "as_json", is_flag=True,
              help="Write one JSON file instead of a folder (OUT, with .json added if absent).")
def generate_command(size, geography, preset, seed, out, as_json) -> None:
    """Generate a synthetic caseload: customers, care plans, workers, availability,
    preferences and last week's rota (docs/synthetic-caseloads.md)."""
    from scheduler.generate import generate, generate_preset
    from scheduler.inspect import summarise
    from scheduler.io import write_caseload

    if (size is None) == (preset is None):
        raise click.UsageError("give either --size or --preset")
    caseload = generate_preset(preset, seed) if preset else generate(size, geography, seed)
    target = out.with_name(out.name + ".json") if as_json and out.suffix != ".json" else out
    removed = write_caseload(caseload, target)
    click.echo(f"wrote {target}{_removed_note(removed)}: {summarise(caseload).one_line()}")


@main.command("inspect")
@click.argument("caseload_path", metavar="CASELOAD", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
def inspect_command(caseload_path: Path, as_json: bool) -> None:
    """Summarise a caseload: counts, care hours, double-handed share, capacity against demand
    by hour of day, and warnings about visits nobody can do."""
    import json

    from scheduler.inspect import render, summarise

    with user_errors():
        caseload = load(caseload_path)
    summary = summarise(caseload)
    click.echo(json.dumps(summary.to_dict(), indent=1) if as_json else render(summary))


# ----------------------------------------------------------------------------- report


CASELOAD_IN_ROTA = "caseload.json"
"""The planned caseload, as ``rota solve`` writes it into the rota folder."""

DEFAULT_ROTA_DIR = Path("rota-out")
"""The rota folder ``rota explain`` reads when --rota is not given (``rota solve``'s default)."""


def rota_caseload_path(rota_dir: Path, caseload_path: Path | None) -> Path:
    """The caseload of a rota folder: --caseload if given, else ROTA_DIR/caseload.json.

    Raises CaseloadError (exit code 2 through ``user_errors``) when neither exists.
    """
    from scheduler.io import InputProblem

    path = caseload_path or rota_dir / CASELOAD_IN_ROTA
    if not path.exists():
        hint = ("" if caseload_path else
                f"; {rota_dir} has no {CASELOAD_IN_ROTA}, so give the caseload with --caseload")
        raise CaseloadError([InputProblem(str(path), None, "", "missing_file",
                                          f"caseload not found{hint}")])
    return path


@main.command()
@click.argument("rota_dir", metavar="ROTA_DIR", type=click.Path(path_type=Path))
@click.option("--caseload", "caseload_path", type=click.Path(path_type=Path), default=None,
              help="The caseload the rota plans (default ROTA_DIR/caseload.json).")
def report(rota_dir: Path, caseload_path: Path | None) -> None:
    """Write the coordinator's and care workers' outputs into a rota folder.

    Reads ROTA_DIR (rota.csv, unassigned.csv, kpis.json if present; ours or another tool's in
    FORMAT.md's format) and its caseload, checks the rota, and writes board.html,
    runsheets.csv/.html, customer_schedules.csv/.html, changes.csv and calendars/*.ics (and
    kpis.json when missing). A rota that breaks a rule still gets its reports, with the board
    marked INVALID; the violations are printed and the exit code is 1. Exit code 2: unreadable
    input, nothing written.
    """
    from scheduler.io import read_rota
    from scheduler.io.rota_io import KPIS_FILE
    from scheduler.kpi import compute_kpis
    from scheduler.report import write_reports
    from scheduler.report.common import write_text
    from scheduler.runs import build_runs
    from scheduler.validate import objective, report_text, validate

    with user_errors():
        rota, kpis, row_numbers = read_rota(rota_dir)
        caseload = load(rota_caseload_path(rota_dir, caseload_path))
    runs = build_runs(caseload, rota)
    violations = validate(caseload, rota, runs=runs, row_numbers=row_numbers)
    if kpis is None:
        kpis = compute_kpis(caseload, rota, runs=runs)
        write_text(rota_dir / KPIS_FILE, json.dumps(kpis, indent=1) + "\n")
    written = write_reports(caseload, rota, kpis, rota_dir, violations=violations)
    if violations:
        total, breakdown = objective(caseload, rota, runs=runs)
        click.echo(report_text(violations, total, breakdown))
    click.echo(f"wrote {len(written)} files into {rota_dir} (open {rota_dir / 'board.html'})")
    sys.exit(1 if violations else 0)


# ----------------------------------------------------------------------------- explain


@main.command()
@click.argument("caseload_path", metavar="CASELOAD", type=click.Path(path_type=Path))
@click.option("--rota", "rota_dir", type=click.Path(path_type=Path), default=None,
              help="The rota folder to explain (default: CASELOAD itself when it is a rota "
                   "folder with caseload.json, else ./rota-out).")
@click.option("--visit", "visit_id", default=None,
              help="A visit instance id (e.g. V12-Mon): every worker, and what blocks each.")
def explain(caseload_path: Path, rota_dir: Path | None, visit_id: str | None) -> None:
    """Explain a rota: why a visit is (or is not) assigned, or the whole objective.

    With --visit: the visit, its status, and every worker: on it, free to take it, or blocked
    (skill, gender, ban, zone, provider, availability, window, team cap, hours, span, rest,
    load, minimum gap, overlap with which visits, travel). Without --visit: the objective by
    term and every unassigned visit with its reason. CASELOAD may be the rota folder that
    `rota solve` wrote (it holds caseload.json). No solve is run; a missing rota folder is an
    error (exit code 2) asking for one.
    """
    from scheduler.explain import explain_visit, explanation_text, rota_explanation_text
    from scheduler.io import InputProblem, read_rota

    with user_errors():
        if rota_dir is None and (caseload_path / CASELOAD_IN_ROTA).is_file():
            rota_dir, caseload_path = caseload_path, caseload_path / CASELOAD_IN_ROTA
        rota_dir = rota_dir or DEFAULT_ROTA_DIR
        caseload = load(caseload_path)
        if not rota_dir.is_dir():
            raise CaseloadError([InputProblem(
                str(rota_dir), None, "", "missing_rota",
                "no rota folder here: pass --rota DIR, or run `rota solve CASELOAD --out DIR` "
                "first")])
        rota = read_rota(rota_dir).rota
        if visit_id is not None and visit_id not in caseload.instance_by_id:
            raise CaseloadError([InputProblem(
                "--visit", None, "", "unknown_visit", _unknown_visit_text(caseload, visit_id))])
    if visit_id is None:
        click.echo(rota_explanation_text(caseload, rota))
    else:
        click.echo(explanation_text(caseload, explain_visit(caseload, rota, visit_id)))


def _unknown_visit_text(caseload, visit_id: str) -> str:
    import difflib

    template = visit_id.rsplit("-", 1)[0]
    same = [v.id for v in caseload.instances if v.template_id == template]
    close = same or difflib.get_close_matches(visit_id, list(caseload.instance_by_id), n=3)
    hint = f" (did you mean {', '.join(close[:7])}?)" if close else ""
    return f"no visit instance '{visit_id}' in the caseload{hint}; ids look like V12-Mon"


# ----------------------------------------------------------------------------- compare


@main.command()
@click.argument("scenarios_path", metavar="SCENARIOS.yaml",
                type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              required=True,
              help="Folder for one rota folder per scenario and comparison.csv/.md/.html.")
@click.option("--time-limit", type=click.FloatRange(min=0.1), default=None,
              help="Seconds per solve (default: the file's time_limit_s, else 60).")
@click.option("--seed", type=int, default=None,
              help="Seed of every solve (default: the file's seed, else 1).")
@click.option("--workers", type=click.IntRange(min=1), default=1, show_default=True,
              help="CPU threads per solve; scenarios run (cores // workers) at a time.")
def compare(scenarios_path: Path, out_dir: Path, time_limit, seed, workers) -> None:
    """Compare planner scenarios on one caseload: one solve per scenario, one table.

    SCENARIOS.yaml names a base caseload and scenarios that change its policy, visit lengths,
    shifts, market (zone providers, open market, one provider per customer) or costs
    (docs/scenarios.md). Writes OUT/<scenario>/ (a rota folder with its board) and
    OUT/comparison.csv, .md and .html; prints the table. Exit code 1 when a scenario failed or
    its rota broke a rule, 2 for a bad scenario file or caseload.
    """
    from scheduler.compare import comparison_markdown, run_comparison
    from scheduler.scenarios import load_scenarios

    with user_errors():
        scenarios = load_scenarios(scenarios_path)
        base = load(scenarios.base_path)
        params = scenarios.solve_params(time_limit_s=time_limit, seed=seed, workers=workers)
        outcomes = run_comparison(scenarios, base, out_dir, params,
                                  progress=lambda line: click.echo(line, err=True))
    click.echo(comparison_markdown(outcomes, base.costs.currency))
    click.echo(f"wrote {out_dir}/comparison.csv, comparison.md, comparison.html and one folder "
               "per scenario")
    sys.exit(1 if any(o.failed for o in outcomes) else 0)
