"""The speed benchmark (benchmarks/moves.py): its checksum tells whether two versions of the
code made the same moves, so it must not depend on the timing, and each timed move must leave
the rota as it found it."""

from __future__ import annotations

import csv
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # benchmarks/ is not installed

from benchmarks.moves import TIMED, main, time_moves, worked_on_plan

RIVERSIDE = Path(__file__).resolve().parents[1] / "data" / "samples" / "riverside"


def test_moves_are_undone_and_their_checksum_repeats():
    plan = worked_on_plan(RIVERSIDE, iterations=200, seed=3)
    state, objective = plan.copy_state(), plan.objective()
    first = time_moves(plan, "related_customers", moves=30, seed=3)
    assert plan.copy_state() == state and plan.objective() == objective
    second = time_moves(plan, "related_customers", moves=30, seed=3)
    assert first[1] == second[1]
    assert first[1] != 30 * objective  # the moves changed the rota before being undone


def test_the_suite_writes_one_row_per_timed_operator(tmp_path):
    argv = ["--caseload", str(RIVERSIDE), "--iterations", "100", "--moves", "10",
            "--repeats", "1", "--out", str(tmp_path), "--name", "m"]
    assert main(argv) == 0
    with open(tmp_path / "m.csv") as f:
        rows = list(csv.DictReader(f))
    assert [row["operator"] for row in rows] == TIMED
    assert all(float(row["ms_per_move"]) > 0 for row in rows)
    assert "short_run" in TIMED and "exact_day" not in TIMED and "unassigned" not in TIMED
    assert (tmp_path / "m.md").read_text().count("\n| ") == len(TIMED) + 1
