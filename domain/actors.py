"""Who is acting: the one type every use case receives. The web layer builds an actor from
the session (citizen or staff) and, later, from an integration client's token; use cases and
audit entries read only this, never a session or a request."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
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
    # The name the HSA directory gave at login, kept with what they do (who assigned, who
    # granted); None when not known.
    name: str | None = None

    @property
    def hsa_id(self) -> str:
        return self.context.hsa_id

    @property
    def selected(self) -> EmployeeAssignment | None:
        return self.context.selected


@dataclass(frozen=True, slots=True)
class IntegrationOrganisation:
    """What an integration client may see: the orders of its laboratories, of its sampling
    units and those whose results its care units receive (SPEC §6). Ids, as the orders carry
    them; the laboratory codes too, since lab systems name their laboratory by code."""

    laboratory_ids: frozenset[uuid.UUID] = frozenset()
    laboratory_codes: frozenset[str] = frozenset()
    sampling_unit_ids: frozenset[uuid.UUID] = frozenset()
    care_unit_ids: frozenset[uuid.UUID] = frozenset()
    care_unit_hsa_ids: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class IntegrationActor:
    """A machine: an integration platform or laboratory system authenticated with OAuth2
    client credentials. `scopes` are those granted to this token (a subset of the client's);
    the organisation is read from the client's row on every call, so a change or a
    retirement takes effect at once."""

    client_id: str
    organisation: IntegrationOrganisation = field(default_factory=IntegrationOrganisation)
    scopes: frozenset[str] = frozenset()
    name: str | None = None
    # The client's row (integration_clients.id): what its queues and keys are stored by.
    row_id: uuid.UUID | None = None

    def may(self, scope: str) -> bool:
        return scope in self.scopes


Actor = CitizenActor | StaffActor | IntegrationActor
