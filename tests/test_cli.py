"""The command line as a user meets it: where output may go."""

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
