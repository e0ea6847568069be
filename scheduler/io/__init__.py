"""Reading and writing caseloads and rotas (FORMAT.md), with located errors."""

from scheduler.io.caseload_io import locate_entry as locate_entry
from scheduler.io.caseload_io import read_caseload as read_caseload
from scheduler.io.caseload_io import write_caseload as write_caseload
from scheduler.io.errors import CaseloadError as CaseloadError
from scheduler.io.errors import CaseloadWarning as CaseloadWarning
from scheduler.io.errors import InputProblem as InputProblem
from scheduler.io.rota_io import read_rota as read_rota
from scheduler.io.rota_io import write_rota as write_rota
