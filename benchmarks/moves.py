"""The search's speed: wall time per move of each local-search operator on a worked-on rota.

Run from the repository root::

    python -m benchmarks moves                          # L (seed 7), 1,500 moves each
    python -m benchmarks moves --caseload CASELOAD --moves 500 --name moves-M

The caseload is constructed and searched for ``--iterations`` iterations on one process (an
iteration budget: the same rota on any machine), so the moves run on a rota the search has
worked on (on L after 20,000 iterations: 7 visits left out). Then each operator that needs no
visit left out and calls no CP-SAT (those are timed by their own budgets) makes ``--moves``
moves, each undone at once, from the same rota and seed; ``--repeats`` rounds, the fastest
kept. ``checksum`` is the sum of the objectives right after each move: equal checksums on two
versions of the code mean they made the same moves, so a speed change that should not change
the search can be told from one that does. Results: ``<out>/<name>.csv`` and ``.md``.
"""

from __future__ import annotations

import argparse
import csv
import logging
import random
import sys
import time
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from benchmarks.ladder import DEFAULT_OUT
from scheduler.construct import construct
from scheduler.io import read_caseload
from scheduler.lns import FOR_WAITING_VISITS, OPERATORS, Limits, Search
from scheduler.plan import Plan
from scheduler.prepare import prepare

logger = logging.getLogger("benchmarks.moves")

DEFAULT_CASELOAD = Path(__file__).resolve().parent / "instances" / "ladder-L-7.json"

TIMED = [name for name in OPERATORS
         if name not in FOR_WAITING_VISITS and not name.startswith("exact")]
"""The operators timed: those that run on a complete rota without CP-SAT."""


def worked_on_plan(caseload: Path, iterations: int, seed: int) -> Plan:
    """The caseload constructed and searched for ``iterations`` iterations (one process)."""
    plan = Plan(prepare(read_caseload(caseload)))
    construct(plan, random.Random(seed))
    search = Search(plan, random.Random(seed),
                    Limits(deadline=float("inf"), iterations=iterations, log_every_s=None),
                    seed=seed)
    search.run()
    return search.plan


def time_moves(plan: Plan, name: str, moves: int, seed: int) -> tuple[float, int]:
    """(seconds, checksum) of ``moves`` moves of operator ``name`` from ``plan``, each undone."""
    search = Search(plan, random.Random(seed),
                    Limits(deadline=float("inf"), log_every_s=None), seed=seed)
    operator, checksum = OPERATORS[name], 0
    started = time.perf_counter()
    for _ in range(moves):
        plan.begin()
        operator(search)
        checksum += plan.objective()
        plan.rollback()
    return time.perf_counter() - started, checksum


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks moves",
                                     description="Wall time per move of each operator.")
    parser.add_argument("--caseload", type=Path, default=DEFAULT_CASELOAD)
    parser.add_argument("--iterations", type=int, default=20_000,
                        help="search iterations before timing (default 20,000)")
    parser.add_argument("--moves", type=int, default=1_500, help="moves per operator")
    parser.add_argument("--repeats", type=int, default=3, help="rounds; the fastest is kept")
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--name", default=f"moves-{date.today().isoformat()}")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stdout)
    started = time.perf_counter()
    plan = worked_on_plan(args.caseload, args.iterations, args.seed)
    logger.info("moves: %s after %d iterations (%.0f s): objective %d, %d visits left out",
                args.caseload.name, args.iterations, time.perf_counter() - started,
                plan.objective(), len(plan.waiting))
    rows = []
    for name in TIMED:
        runs = [time_moves(plan, name, args.moves, args.seed) for _ in range(args.repeats)]
        seconds, checksum = min(runs)
        rows.append({"operator": name, "moves": args.moves,
                     "ms_per_move": round(1000 * seconds / args.moves, 3), "checksum": checksum})
        logger.info("moves: %-18s %7.3f ms a move  checksum %d", name,
                    rows[-1]["ms_per_move"], checksum)
    _write(rows, args)
    return 0


def _write(rows: list[dict], args: argparse.Namespace) -> None:
    out, name = args.out, args.name
    out.mkdir(parents=True, exist_ok=True)
    with open(out / f"{name}.csv", "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    lines = [f"# Time per move: {args.caseload.name}, after {args.iterations:,} iterations, "
             f"seed {args.seed}", "", "| operator | ms a move | checksum |", "|---|---:|---:|"]
    lines += [f"| {r['operator']} | {r['ms_per_move']:.3f} | {r['checksum']} |" for r in rows]
    (out / f"{name}.md").write_text("\n".join(lines) + "\n")
    logger.info("moves: wrote %s.csv and .md in %s", name, out)


if __name__ == "__main__":
    sys.exit(main())
