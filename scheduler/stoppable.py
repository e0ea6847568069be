"""CP-SAT solves that Ctrl-C stops at their best solution, without CP-SAT's own signal handling.

CP-SAT can answer Ctrl-C itself (``catch_sigint_signal``), but it leaves SIGINT unhandled after
the solve, may miss a Ctrl-C that comes while it sets up, and has aborted the whole process
("std::bad_function_call") on one that came as the solve ended. Here the solve runs in a helper
thread (CP-SAT releases the GIL) while the calling thread waits; Python's own handler stays in
place, and a KeyboardInterrupt in the waiting thread asks CP-SAT to stop.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from ortools.sat.python import cp_model

POLL_S = 0.1
"""Seconds between the waiting thread's looks at the solve (and between stop requests)."""


def solve_stoppable(
    solver: cp_model.CpSolver,
    model: cp_model.CpModel,
    callback: cp_model.CpSolverSolutionCallback | None = None,
    while_waiting: Callable[[], None] | None = None,
) -> tuple[int, bool]:
    """``solver.solve(model, callback)``: (status, whether Ctrl-C stopped it). A Ctrl-C in
    the calling thread during the solve ends it with the best solution found (CP-SAT's own
    SIGINT handling is turned off). ``while_waiting`` is called every POLL_S seconds in the
    calling thread meanwhile (progress reports)."""
    solver.parameters.catch_sigint_signal = False
    done = threading.Event()
    outcome: dict = {}

    def run() -> None:
        try:
            outcome["status"] = solver.solve(model, callback)
        except BaseException as error:  # re-raised in the calling thread
            outcome["error"] = error
        finally:
            done.set()

    threading.Thread(target=run, name="cp-sat", daemon=True).start()
    interrupted = False
    while not done.is_set():
        try:
            done.wait(POLL_S)
        except KeyboardInterrupt:
            interrupted = True
        if interrupted:
            solver.stop_search()  # again each poll: one sent before the search began is lost
        elif while_waiting is not None:
            while_waiting()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["status"], interrupted
