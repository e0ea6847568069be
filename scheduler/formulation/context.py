"""What every constraint family receives: the model, the variables, the instance and the scope,
plus the per-shift expressions (contact, travel) and travel lookups the families share."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

from ortools.sat.python import cp_model

from scheduler.formulation.scope import Scope
from scheduler.formulation.variables import HOME, RotaVars
from scheduler.prepare import Instance


class PenaltyTerm(NamedTuple):
    """One soft part of the objective: ``weight x expr`` points, under an objective term id."""

    term: str
    expr: cp_model.LinearExprT
    weight: int


@dataclass
class Context:
    """The formulation being built, handed to each constraint family in registry order."""

    model: cp_model.CpModel
    vars: RotaVars
    inst: Instance
    scope: Scope
    max_successors: int | None = None
    shift_contact: dict[int, cp_model.LinearExprT] = field(default_factory=dict)
    shift_travel: dict[int, cp_model.LinearExprT] = field(default_factory=dict)
    shift_empty: dict[int, cp_model.IntVar] = field(default_factory=dict)

    def place(self, s: int, node: int) -> int:
        """Travel place of an arc end in shift s (HOME = the shift's worker's home)."""
        if node == HOME:
            return int(self.inst.home[self.inst.shift_worker[s]])
        return int(self.inst.place[node])

    def minutes(self, s: int, a: int, b: int) -> int:
        """Travel minutes from arc end a to b for shift s's worker."""
        table = self.inst.minutes[int(self.inst.mode[self.inst.shift_worker[s]])]
        return int(table[self.place(s, a), self.place(s, b)])

    def hectometres(self, s: int, a: int, b: int) -> int:
        """Travel distance in 100 m units from arc end a to b for shift s's worker."""
        table = self.inst.hm[int(self.inst.mode[self.inst.shift_worker[s]])]
        return int(table[self.place(s, a), self.place(s, b)])

    def worked(self, s: int) -> cp_model.LinearExprT:
        """Contact plus travel minutes of shift s's run."""
        return self.shift_contact[s] + self.shift_travel[s]
