"""Ctrl-C during a CP-SAT solve: the solve ends at its best solution and Python keeps its own
SIGINT handler (scheduler/stoppable.py)."""

from __future__ import annotations

from itertools import pairwise

from ortools.sat.python import cp_model

from scheduler.stoppable import solve_stoppable
from tests.child import run_python


def long_model(time_limit_s: float) -> tuple[cp_model.CpModel, cp_model.CpSolver]:
    """A model CP-SAT does not prove optimal within a minute, and a solver on two threads
    limited to ``time_limit_s``."""
    model = cp_model.CpModel()
    xs = [model.new_int_var(0, 1000, "") for _ in range(300)]
    for a, b in pairwise(xs):
        first = model.new_bool_var("")
        model.add(a + 7 <= b).only_enforce_if(first)
        model.add(b + 5 <= a).only_enforce_if(~first)
    model.add_all_different(xs)
    model.maximize(sum(xs[::3]) - sum(xs[1::3]))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit_s
    solver.parameters.num_workers = 2
    return model, solver


def test_a_solve_without_ctrl_c_returns_its_status():
    model = cp_model.CpModel()
    x = model.new_int_var(0, 10, "x")
    model.maximize(x)
    solver = cp_model.CpSolver()
    assert solve_stoppable(solver, model) == (cp_model.OPTIMAL, False)
    assert solver.value(x) == 10


def test_the_waiting_thread_is_called_back_while_the_solve_runs():
    """A solve of 1 s polled every 0.1 s: the callback (progress reports) runs about ten
    times, in the calling thread."""
    model, solver = long_model(time_limit_s=1.0)
    calls = []
    status, interrupted = solve_stoppable(solver, model, while_waiting=lambda: calls.append(1))
    assert (solver.status_name(status), interrupted) == ("FEASIBLE", False)
    assert 5 <= len(calls) <= 15


def test_ctrl_c_ends_the_solve_at_its_best_and_python_still_handles_the_next():
    """A minute's solve, Ctrl-C after 2 s: it returns a solution within a second or two, and a
    second Ctrl-C raises KeyboardInterrupt as usual (CP-SAT's own handling would leave SIGINT
    unhandled, and the second would kill the process)."""
    script = (
        "import os, signal, threading, time\n"
        "from scheduler.stoppable import solve_stoppable\n"
        "from tests.test_stoppable import long_model\n"
        "m, solver = long_model(time_limit_s=60)\n"
        "threading.Timer(2, os.kill, (os.getpid(), signal.SIGINT)).start()\n"
        "began = time.monotonic()\n"
        "status, interrupted = solve_stoppable(solver, m)\n"
        "print(solver.status_name(status), interrupted, time.monotonic() - began < 5)\n"
        "try:\n"
        "    os.kill(os.getpid(), signal.SIGINT)\n"
        "except KeyboardInterrupt:\n"
        "    print('handled')\n"
    )
    done = run_python(script)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["FEASIBLE", "True", "True", "handled"]
