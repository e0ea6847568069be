"""The command line as a user meets it: where output may go, what it prints."""

import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from scheduler.cli import SAMPLES, main


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
