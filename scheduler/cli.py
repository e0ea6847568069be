"""The ``rota`` command line: thin click commands over the library.

Bad input prints every problem found (file, row, column, rule) and exits with code 2, writing
nothing.
"""

from __future__ import annotations

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
@click.option("-v", "--verbose", count=True, help="More log detail (-v info, -vv debug).")
def main(verbose: int) -> None:
    """Plan a week of home care visits: caseloads in, rotas out.

    A caseload is a folder (caseload.yaml and CSV tables) or one JSON file, as ../FORMAT.md
    describes. Start with `rota inspect CASELOAD`, then `rota solve CASELOAD --out DIR`.
    """
    level = logging.WARNING if verbose == 0 else logging.INFO if verbose == 1 else logging.DEBUG
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("scheduler").setLevel(min(level, logging.INFO))


# ----------------------------------------------------------------------------- caseloads


@main.command()
@click.argument("source", type=click.Path(exists=True, path_type=Path))
@click.argument("target", type=click.Path(path_type=Path))
def convert(source: Path, target: Path) -> None:
    """Convert a caseload between a folder and one JSON file (TARGET ending .json = JSON)."""
    from scheduler.io import write_caseload

    with user_errors():
        caseload = load(source)
    write_caseload(caseload, target)
    click.echo(f"wrote {target}")


@main.command()
def schema() -> None:
    """Print the JSON schema of a caseload JSON file."""
    import json

    from models import Caseload

    click.echo(json.dumps(Caseload.model_json_schema(mode="serialization"), indent=1))


# ----------------------------------------------------------------------------- solve


@main.command()
@click.argument("caseload_path", required=False, type=click.Path(exists=True, path_type=Path))
@click.option("--out", "out_dir", type=click.Path(path_type=Path), default=Path("rota-out"),
              show_default=True, help="Folder for rota.csv, unassigned.csv and kpis.json.")
@click.option("--time-limit", type=click.FloatRange(min=0.1), default=60.0, show_default=True,
              help="Seconds to search; Ctrl-C stops early and keeps the best rota.")
@click.option("--seed", type=int, default=1, show_default=True,
              help="Random seed: the same seed, workers and iterations give the same rota.")
@click.option("--workers", type=click.IntRange(min=1), default=2, show_default=True,
              help="CPU threads for CP-SAT.")
@click.option("--stall", type=click.FloatRange(min=0.1), default=None,
              help="Stop after this many seconds without improvement.")
@click.option("--iterations", type=click.IntRange(min=0), default=None,
              help="Stop after this many search iterations (exactly reproducible runs).")
def solve(caseload_path, out_dir, time_limit, seed, workers, stall, iterations) -> None:
    """Plan the week of CASELOAD and write the rota folder.

    With no CASELOAD, the bundled sample data/samples/riverside is planned. Progress lines
    (elapsed time, visits placed, objective) go to stderr; the KPI table is printed at the end.
    """
    from models.result import SolveParams
    from scheduler.io import write_rota
    from scheduler.kpi import compute_kpis
    from scheduler.solve import solve as solve_caseload

    path = caseload_path or DEFAULT_CASELOAD
    with user_errors():
        caseload = load(path)
    click.echo(f"planning {path} ({len(caseload.instances)} visits, "
               f"{len(caseload.workers)} workers), up to {time_limit:g} s", err=True)
    params = SolveParams(time_limit_s=time_limit, seed=seed, workers=workers, stall_s=stall,
                         iterations=iterations)
    result = solve_caseload(caseload, params)
    kpis = compute_kpis(caseload, result.rota, solve_seconds=result.solve_seconds,
                        objective=result.objective, bound=result.bound)
    write_rota(result.rota, out_dir, kpis)
    click.echo(result.summary())
    click.echo(kpi_table(kpis))
    click.echo(f"wrote {out_dir}/rota.csv, unassigned.csv, kpis.json")


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
        rota, _ = read_rota(rota_dir)
    runs = build_runs(caseload, rota)
    violations = validate(caseload, rota, runs=runs)
    total, breakdown = objective(caseload, rota, runs=runs)
    click.echo(report_text(violations, total, breakdown))
    sys.exit(1 if violations else 0)
