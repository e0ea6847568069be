"""``python -m benchmarks {solomon,ladder,moves,quick} [args]``: run a named benchmark suite.

- ``solomon [args]``: the Solomon VRPTW suite (``python -m benchmarks solomon --help``).
- ``ladder [args]``: the synthetic ladder (``python -m benchmarks ladder --help``).
- ``moves [args]``: the search's speed, time per move of each operator
  (``python -m benchmarks moves --help``).
- ``quick [--out DIR] [--skip-solomon]``: the CI smoke test, about 1-2 minutes on 2 cores:
  the Solomon quick run (C101, R101, RC101 at 5 s, every available solver) and the ladder's
  quick run (size S, seed 1, 10 s, every method). Exit status 1 when any solution is invalid
  (a Solomon result the shared checker rejects, a ladder rota ``scheduler.validate``
  rejects) or any run failed; 2 when the Solomon data is missing (pass ``--skip-solomon`` to
  run the ladder alone).

Run from the repository root. Results go to ``benchmarks/results/``: ``solomon-*`` and
``ladder-*`` files as those suites name them (``moves-*`` for ``moves``), and for ``quick``
``quick-solomon-5s-<date>.{csv,md,png}`` and ``quick-ladder-<date>{.csv,-trace.csv,.md,-*.png}``
(so a smoke run never overwrites a suite's own results of the same day).
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from collections.abc import Sequence
from datetime import date
from pathlib import Path

logger = logging.getLogger("benchmarks")

SUITES = ("solomon", "ladder", "moves", "quick")


def quick(argv: Sequence[str]) -> int:
    """The CI smoke test (see the module docstring)."""
    from benchmarks import ladder, solomon
    from benchmarks.vrptw import default_solomon_dir

    parser = argparse.ArgumentParser(prog="python -m benchmarks quick",
                                     description="CI smoke test: Solomon quick + ladder quick.")
    parser.add_argument("--out", type=Path, default=ladder.DEFAULT_OUT,
                        help="output folder (default benchmarks/results)")
    parser.add_argument("--skip-solomon", action="store_true",
                        help="run the ladder's quick run only (no Solomon data needed)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stdout)
    started = time.perf_counter()
    problems: list[str] = []
    if not args.skip_solomon:
        if default_solomon_dir() is None:
            logger.error("quick: no Solomon data (shared/benchdata/solomon beside the "
                         "repository, or $SOLOMON_DIR); pass --skip-solomon to run the "
                         "ladder alone")
            return 2
        stem = f"quick-solomon-{solomon.QUICK_TIME_LIMIT_S:g}s-{date.today().isoformat()}"
        code = solomon.main(["--quick", "--out", str(args.out), "--name", stem])
        if code:
            problems.append(f"solomon quick exited {code}")
        for row in solomon.read_rows(args.out / f"{stem}.csv"):
            if row.status == "error" or not row.feasible:
                problems.append(f"solomon {row.instance} {row.solver}: {row.status}, "
                                f"{row.violations} violation(s): {row.first_violation}")
    code = ladder.main(["--quick", "--out", str(args.out),
                        "--name", f"quick-ladder-{date.today().isoformat()}"])
    if code:
        problems.append(f"ladder quick exited {code} (invalid, failed or timed-out runs above)")
    elapsed = time.perf_counter() - started
    for line in problems:
        logger.error("quick: %s", line)
    logger.info("quick: %s in %.0f s", "FAILED" if problems else "all solutions valid",
                elapsed)
    return 1 if problems else 0


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] not in SUITES:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    suite, rest = argv[0], argv[1:]
    if suite == "solomon":
        from benchmarks import solomon

        return solomon.main(rest)
    if suite == "ladder":
        from benchmarks import ladder

        return ladder.main(rest)
    if suite == "moves":
        from benchmarks import moves

        return moves.main(rest)
    return quick(rest)


if __name__ == "__main__":
    sys.exit(main())
