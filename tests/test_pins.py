"""Pinned assignments (pinned.csv): kept exactly, start included, or the solve stops with an
input error on the pin's row when it cannot be kept; nothing is written then."""

import pytest
from click.testing import CliRunner

from models import Pin
from scheduler.cli import main
from scheduler.io import CaseloadError, read_caseload, write_caseload
from tests.builders import caseload, customer, shift, solve_both, solve_heuristic, visit, worker


def early_pin_caseload():
    """V1 may start 07:30-08:30 (preferred 08:00) and is pinned to W1 at 07:35; V2 at 09:00
    joins the same run afterwards. Everyone at one address."""
    return caseload(
        [customer("C1"), customer("C2")],
        [visit("V1", "C1", "08:00", window_before_min=30, window_after_min=30),
         visit("V2", "C2", "09:00")],
        [worker("W1")],
        [shift("W1", "07:00", "12:00")],
        pinned=(Pin(visit_id="V1-Mon", worker_id="W1", start=7 * 60 + 35),),
    )


def test_a_pinned_start_is_kept_when_the_run_fills_up():
    rota, _ = solve_heuristic(early_pin_caseload())  # checks the rota with the validator
    starts = {a.visit_id: (a.worker_id, a.start) for a in rota.assignments}
    assert starts["V1-Mon"] == ("W1", 7 * 60 + 35)  # not moved to the preferred 08:00
    assert starts["V2-Mon"] == ("W1", 9 * 60)


def test_a_pinned_start_is_kept_by_the_whole_model_too():
    workers, result = solve_both(early_pin_caseload())
    assert workers["V1-Mon"] == ["W1"]
    assert {a.visit_id: a.start for a in result.rota.assignments}["V1-Mon"] == 7 * 60 + 35


def _solve_folder(tmp_path, c):
    folder = tmp_path / "caseload"
    write_caseload(c, folder)
    out = tmp_path / "rota"
    result = CliRunner().invoke(main, ["solve", str(folder), "--out", str(out),
                                       "--time-limit", "1", "--workers", "1"])
    return result, folder, out


def test_a_pin_out_of_reach_from_home_is_an_error_on_its_row(tmp_path):
    # W1 lives 10 km (20 min) away and is free from 08:00; V1 must start by 08:10
    c = caseload(
        [customer("C1")], [visit("V1", "C1", "08:00", window_after_min=10)],
        [worker("W1", km=10)], [shift("W1", "08:00", "12:00")],
        pinned=(Pin(visit_id="V1-Mon", worker_id="W1"),),
    )
    result, folder, out = _solve_folder(tmp_path, c)
    assert result.exit_code == 2, result.output
    assert (f"{folder / 'pinned.csv'}, row 2, column worker_id: V1-Mon cannot be kept with W1: "
            "they cannot get there from home") in result.output
    assert "[pin_unkept]" in result.output
    assert not out.exists()


def test_two_pins_at_the_same_time_are_an_error_on_the_second(tmp_path):
    c = caseload(
        [customer("C1"), customer("C2")],
        [visit("V1", "C1", "08:00"), visit("V2", "C2", "08:00")],
        [worker("W1")], [shift("W1", "07:00", "12:00")],
        pinned=(Pin(visit_id="V1-Mon", worker_id="W1"), Pin(visit_id="V2-Mon", worker_id="W1")),
    )
    result, folder, out = _solve_folder(tmp_path, c)
    assert result.exit_code == 2, result.output
    assert (f"{folder / 'pinned.csv'}, row 3, column worker_id: V2-Mon cannot be kept with W1: "
            "it does not fit beside their other pinned visits") in result.output
    assert not out.exists()


def test_the_two_pins_of_a_double_handed_visit_must_give_one_start(tmp_path):
    c = caseload(
        [customer("C1")],
        [visit("V1", "C1", "08:00", workers_required=2, window_after_min=15)],
        [worker("W1"), worker("W2")],
        [shift("W1", "07:00", "12:00"), shift("W2", "07:00", "12:00")],
    )
    folder = tmp_path / "caseload"
    write_caseload(c, folder)
    (folder / "pinned.csv").write_text("visit_id,worker_id,start\n"
                                       "V1-Mon,W1,08:00\nV1-Mon,W2,08:05\n", encoding="utf-8")
    with pytest.raises(CaseloadError) as error:
        read_caseload(folder)
    (problem,) = error.value.problems
    assert (problem.row, problem.column, problem.rule) == (3, "start", "pins_disagree")
    assert "08:00 and 08:05" in problem.message
