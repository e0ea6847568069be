"""Pydantic data models of the caseload and rota formats (FORMAT.md). No ortools, no pandas."""

from models.base import DAYS as DAYS
from models.base import MINUTES_PER_DAY as MINUTES_PER_DAY
from models.caseload import AvailabilityRow as AvailabilityRow
from models.caseload import Caseload as Caseload
from models.caseload import Costs as Costs
from models.caseload import Customer as Customer
from models.caseload import Policy as Policy
from models.caseload import Preference as Preference
from models.caseload import Shift as Shift
from models.caseload import TravelOverride as TravelOverride
from models.caseload import TravelSettings as TravelSettings
from models.caseload import VisitInstance as VisitInstance
from models.caseload import VisitTemplate as VisitTemplate
from models.caseload import Worker as Worker
from models.rota import Assignment as Assignment
from models.rota import Pin as Pin
from models.rota import Rota as Rota
from models.rota import UnassignedVisit as UnassignedVisit
