"""Ctrl-C during a CP-SAT solve: the solve ends at its best solution and Python keeps its own
SIGINT handler (scheduler/stoppable.py)."""

from __future__ import annotations

from ortools.sat.python import cp_model

from scheduler.stoppable import solve_stoppable
from tests.child import run_python

LONG_MODEL = (
    "from ortools.sat.python import cp_model\n"
    "m = cp_model.CpModel()\n"
    "xs = [m.new_int_var(0, 1000, '') for _ in range(300)]\n"
    "for a, b in zip(xs, xs[1:]):\n"
    "    first = m.new_bool_var('')\n"
    "    m.add(a + 7 <= b).only_enforce_if(first)\n"
    "    m.add(b + 5 <= a).only_enforce_if(~first)\n"
    "m.add_all_different(xs)\n"
    "m.maximize(sum(xs[::3]) - sum(xs[1::3]))\n"
    "solver = cp_model.CpSolver()\n"
    "solver.parameters.max_time_in_seconds = 60\n"
    "solver.parameters.num_workers = 2\n"
)


def test_a_solve_without_ctrl_c_returns_its_status():
    model = cp_model.CpModel()
    x = model.new_int_var(0, 10, "x")
    model.maximize(x)
    solver = cp_model.CpSolver()
    assert solve_stoppable(solver, model) == (cp_model.OPTIMAL, False)
    assert solver.value(x) == 10


def test_ctrl_c_ends_the_solve_at_its_best_and_python_still_handles_the_next():
    """A minute's solve, Ctrl-C after 2 s: it returns a solution within a second or two, and a
    second Ctrl-C raises KeyboardInterrupt as usual (CP-SAT's own handling would leave SIGINT
    unhandled, and the second would kill the process)."""
    script = LONG_MODEL + (
        "import os, signal, threading, time\n"
        "from scheduler.stoppable import solve_stoppable\n"
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
