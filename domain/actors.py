"""Who is acting: the one type every use case receives. The web layer builds an actor from
the session (citizen or staff) and, later, from an integration client's token; use cases and
audit entries read only this, never a session or a request."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from domain.access import StaffContext
from domain.identity_numbers import PersonalIdentityNumber
from domain.offers import CitizenFacts
from domain.staff import EmployeeAssignment


@dataclass(frozen=True, slots=True)
class CitizenActor:
    """A citizen logged in with BankID, with the register facts of the login."""

    personnummer: PersonalIdentityNumber
    region_code: str | None = None
    protected_identity: bool = False

    def facts(self, today: date) -> CitizenFacts:
        """Age, legal sex and home region: what decides which offers the citizen sees."""
        return CitizenFacts(
            age=self.personnummer.age(today),
            legal_sex=self.personnummer.legal_sex,
            region_code=self.region_code,
        )


@dataclass(frozen=True, slots=True)
class StaffActor:
    """A staff member logged in with SITHS, in the care-unit context they chose."""

    context: StaffContext

    @property
    def hsa_id(self) -> str:
        return self.context.hsa_id

    @property
    def selected(self) -> EmployeeAssignment | None:
        return self.context.selected


Actor = CitizenActor | StaffActor
