"""Input problems located in a file: which file, which row (as a spreadsheet numbers it), which
column, which rule, and what is wrong."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class InputProblem:
    """One problem in an input file.

    ``row`` is the spreadsheet row number (the header is row 1, the first data row is row 2);
    for JSON input it is the entry's position in the table's list, counting from 1 (the checker
    counts the same way); None for file-level problems.
    """

    file: str
    row: int | None
    column: str
    rule: str
    message: str

    def text(self) -> str:
        parts = [self.file]
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column:
            settings = self.row is None and self.file.endswith((".yaml", ".yml", ".json"))
            parts.append(f"{'key' if settings else 'column'} {self.column}")
        return f"{', '.join(parts)}: {self.message} [{self.rule}]"


class CaseloadError(Exception):
    """The caseload cannot be used; ``problems`` lists every problem found, not only the first."""

    def __init__(self, problems: list[InputProblem]):
        self.problems = problems
        count = len(problems)
        lines = [f"{count} problem{'s' if count != 1 else ''} in the input:"]
        lines += [f"  {p.text()}" for p in problems]
        super().__init__("\n".join(lines))


class CaseloadWarning(UserWarning):
    """Something legal but probably unintended in the input (an unknown yaml key, a skill no
    worker holds); the caseload is still used."""

    def __init__(self, problem: InputProblem):
        self.problem = problem
        super().__init__(problem.text())
