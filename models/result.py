"""What a solve returns: the rota with an explicit status, the objective and its breakdown."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, NonNegativeFloat

from models.base import Frozen
from models.rota import Rota

Status = Literal["optimal", "feasible", "infeasible", "unknown", "invalid"]


class SolveParams(Frozen):
    """How to search: time limit, seed and CPU workers. Weights live in the caseload."""

    time_limit_s: float = Field(60.0, gt=0, description="wall-clock limit of the whole solve, s")
    seed: int = Field(0, description="random seed; the same seed and workers give the same rota")
    workers: int = Field(2, ge=1, description="CPU cores: parallel searches and CP-SAT threads")
    iterations: int | None = Field(
        None, ge=0, description="stop the search after this many LNS iterations; None = no limit"
    )
    stall_s: float | None = Field(
        None, gt=0, description="stop after this many seconds without improvement; None = never"
    )
    log_every_s: float = Field(5.0, gt=0, description="seconds between progress log lines")
    deterministic: bool = Field(
        False,
        description="use deterministic time and iteration budgets instead of wall-clock "
        "(exact reproducibility, for tests)",
    )


class Result(Frozen):
    """A solve's outcome. ``rota`` is None only when no valid rota could be produced."""

    status: Status
    rota: Rota | None
    objective: int | None = Field(description="weighted objective of the rota, points")
    bound: int | None = Field(None, description="best lower bound proven, points")
    breakdown: dict[str, int] = Field(
        default_factory=dict, description="weighted points per objective term id"
    )
    solve_seconds: NonNegativeFloat = Field(description="wall-clock time of the solve, s")
    seed: int
    solver_version: str = Field("", description="OR-Tools version used")
    stats: dict[str, float] = Field(
        default_factory=dict, description="search statistics: iterations, improvements, ..."
    )

    def summary(self) -> str:
        """One line: status, objective, bound, time."""
        bound = "" if self.bound is None else f" bound={self.bound}"
        return (
            f"{self.status} objective={self.objective}{bound} "
            f"time={self.solve_seconds:.1f}s seed={self.seed}"
        )
