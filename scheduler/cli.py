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
