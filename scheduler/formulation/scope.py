"""What a formulation is built for: the free shifts and visits, and the fixed rest around them.

The whole caseload is the scope with everything free. An LNS neighbourhood frees a few shifts
(their routes are rebuilt) and a set of visits (those routes' visits plus some unassigned ones);
everything else is summarised here as constants the sub-model must respect.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from scheduler.prepare import Instance


@dataclass(frozen=True)
class Scope:
    """A neighbourhood of the rota and the fixed context it sits in.

    Attributes
    ----------
    shifts, visits
        Free shift and visit indexes.
    fixed_workers
        Free visit -> workers serving it outside the scope (a double-handed partner); such a
        visit must be covered, at ``fixed_start``.
    fixed_start
        Visit -> start (minutes) for visits assigned outside the scope that matter here.
    team_rows
        Customer -> worker -> (weekday rows, weekend rows) outside the scope.
    worked_week, worked_day
        Worked minutes outside the scope per worker, and per (worker, day).
    day_bounds
        (worker, day) -> (first start, last end) of the worker's runs outside the scope.
    hint_routes, hint_starts
        The current rota inside the scope: free shift -> visits in order, visit -> start.
    """

    shifts: tuple[int, ...]
    visits: tuple[int, ...]
    fixed_workers: dict[int, tuple[int, ...]] = field(default_factory=dict)
    fixed_start: dict[int, int] = field(default_factory=dict)
    team_rows: dict[int, dict[int, tuple[int, int]]] = field(default_factory=dict)
    worked_week: dict[int, int] = field(default_factory=dict)
    worked_day: dict[tuple[int, int], int] = field(default_factory=dict)
    day_bounds: dict[tuple[int, int], tuple[int, int]] = field(default_factory=dict)
    hint_routes: dict[int, list[int]] = field(default_factory=dict)
    hint_starts: dict[int, int] = field(default_factory=dict)

    @classmethod
    def everything(cls, inst: Instance) -> Scope:
        """The whole caseload, nothing fixed."""
        return cls(shifts=tuple(range(inst.n_shifts)), visits=tuple(range(inst.n_visits)))
