"""Adapter from a Solomon VRPTW instance to this project's engine: ``solve_ours``.

PENDING: the engine author fills in :func:`solve_ours`. Until then it raises
``NotImplementedError("engine adapter pending")`` and the Solomon runner reports the solver
``ours`` as "not available" (skipped), without failing the run.

What the adapter must do
------------------------
Signature and result are the peers' (:mod:`benchmarks.peers`)::

    solve_ours(instance: VrptwInstance, time_limit_s: float, seed: int) -> PeerResult

1. Convert ``instance`` to a one-day caseload: one worker shift per vehicle
   (``instance.vehicles`` shifts), every shift starting and ending at the depot (node 0,
   ``instance.coordinates[0]``) and available from ``instance.ready[0]`` to
   ``instance.due[0]``; one visit per customer ``1..n`` with duration ``instance.service[c]``
   and a hard window on its *start* ``[instance.ready[c], instance.due[c]]``; the customer's
   ``instance.demands[c]`` counted against a per-shift load cap of ``instance.capacity``.
2. Travel time and travel cost between nodes ``i`` and ``j`` are ``instance.dist[i, j]``:
   the DIMACS length in integer tenths (``floor(10 * euclid)``). All of ``dist``, ``ready``,
   ``due`` and ``service`` are already integers in tenths, so one engine "minute" is one tenth
   here and nothing needs rounding. The objective is total travel (distance) only: no cost per
   shift used, no continuity or punctuality terms. Waiting before a window opens is free.
3. Solve with the engine's public ``solve`` (the same one the CLI calls), honouring
   ``time_limit_s`` (wall clock, model building included) and ``seed``, on **one** worker
   (``num_workers=1``), since every peer runs single-threaded.
4. Return ``PeerResult(routes, seconds, status, note)``:

   - ``routes``: one ``list[int]`` per used shift, the **customer numbers** ``1..n`` in
     visiting order, **without** the depot; unused shifts may be omitted or left empty;
     a customer the engine left unassigned is simply absent (the checker reports it missing);
   - ``seconds``: wall time of the whole call (``time.perf_counter()`` around it);
   - ``status``: ``"solution"`` if any route came back, else ``"no solution"``;
   - ``note``: the engine's own status word (``"optimal"``, ``"feasible"``, ...), optional.

The runner re-costs and checks the routes with :func:`benchmarks.vrptw.check_solution`, the
same judge the peers face; the engine's own objective is not used in the report.
"""

from __future__ import annotations

from benchmarks.peers import PeerResult
from benchmarks.vrptw import VrptwInstance


def solve_ours(instance: VrptwInstance, time_limit_s: float, seed: int) -> PeerResult:
    """Solve a VRPTW instance with this project's engine (see the module docstring).

    Raises
    ------
    NotImplementedError
        Always, until the engine adapter is written; the runner then skips ``ours``.
    """
    raise NotImplementedError("engine adapter pending")
