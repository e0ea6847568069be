"""The command line as a user meets it: where output may go, what it prints."""

import subprocess
import sys
from pathlib import Path
from unittest import mock

from click.testing import CliRunner

from scheduler.cli import ITERATIONS_TIME_LIMIT_S, SAMPLES, main


def test_solve_refuses_an_output_folder_that_is_a_file_before_solving(tmp_path):
    taken = tmp_path / "afile"
    taken.write_text("keep me\n")
    result = CliRunner().invoke(main, ["solve", str(SAMPLES / "tiny"), "--out", str(taken)])
    assert result.exit_code == 2
    assert "is a file" in result.output
    assert "planning" not in result.output  # refused before the caseload was even read
    assert taken.read_text() == "keep me\n"


def _solve_riverside(tmp_path, *flags: str) -> str:
    """stderr of a short riverside solve with these global flags."""
    rota = Path(sys.executable).parent / "rota"
    done = subprocess.run(
        [str(rota), *flags, "solve", str(SAMPLES / "riverside"), "--out", str(tmp_path / "r"),
         "--iterations", "30", "--workers", "1"],
        capture_output=True, text=True, timeout=300, check=True,
    )
    return done.stderr


def test_progress_shows_by_default_and_operator_statistics_with_v(tmp_path):
    quiet = _solve_riverside(tmp_path)
    assert "lns " in quiet and "placed" in quiet  # progress lines
    assert "operator " not in quiet
    assert "operator unassigned" in _solve_riverside(tmp_path, "-v")


class _Stop(Exception):
    """Raised by the patched solve once it has seen its parameters."""


def _params_of_solve(*flags: str):
    """The SolveParams `rota solve tiny FLAGS` hands to the engine."""
    seen = []

    def capture(caseload, params, path):
        seen.append(params)
        raise _Stop

    with mock.patch("scheduler.cli._solve_keeping_pins", side_effect=capture):
        CliRunner().invoke(main, ["solve", str(SAMPLES / "tiny"), *flags])
    return seen[0]


def test_an_iteration_budget_is_not_cut_short_by_the_default_time_limit():
    assert _params_of_solve().time_limit_s == 60
    budget = _params_of_solve("--iterations", "20000")
    assert budget.iterations == 20000 and budget.time_limit_s == ITERATIONS_TIME_LIMIT_S
    assert _params_of_solve("--iterations", "20000", "--time-limit", "5").time_limit_s == 5
