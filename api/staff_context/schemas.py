from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from adapters.sessions import WebSession
from api.web.schemas import RequestModel
from domain.access import Role, StaffContext, admin_scope, available_modules


class Assignment(BaseModel):
    assignment_id: str
    care_unit_hsa_id: str
    care_unit_name: str
    care_giver_name: str
    purpose: str


class ModuleAccess(BaseModel):
    module: str
    care_unit_hsa_id: str


class AdministrationScopeOut(BaseModel):
    """What the staff member may administer (empty lists and false: nothing)."""

    national: bool
    central: bool
    region_codes: list[str]
    care_unit_hsa_ids: list[str]


class StaffMe(BaseModel):
    hsa_id: str
    given_name: str
    family_name: str
    title: str | None
    assignments: list[Assignment]
    selected_assignment_id: str | None
    modules: list[ModuleAccess]
    administration: AdministrationScopeOut

    @classmethod
    def of(cls, context: StaffContext, session: WebSession) -> StaffMe:
        """The staff member in `context`; names and title as the login stored them in the
        session (the context may be newer than the session: just chosen)."""
        scope = admin_scope(context)
        selected = context.selected
        return cls(
            administration=AdministrationScopeOut(
                national=scope.national,
                central=context.holds(Role.CENTRAL_ADMIN.value),
                region_codes=sorted(scope.region_codes),
                care_unit_hsa_ids=sorted(scope.care_unit_hsa_ids),
            ),
            hsa_id=context.hsa_id,
            given_name=session.given_name,
            family_name=session.family_name,
            title=session.extra.get("title"),
            assignments=[
                Assignment(
                    assignment_id=a.assignment_id,
                    care_unit_hsa_id=a.care_unit_hsa_id,
                    care_unit_name=a.care_unit_name,
                    care_giver_name=a.care_giver_name,
                    purpose=a.purpose,
                )
                for a in context.assignments
            ],
            selected_assignment_id=selected.assignment_id if selected else None,
            modules=[
                ModuleAccess(module=m.value, care_unit_hsa_id=selected.care_unit_hsa_id)
                for m in available_modules(context)
            ]
            if selected
            else [],
        )


class ContextChoice(RequestModel):
    assignment_id: str = Field(min_length=1, max_length=64)


class PersonLookupRequest(RequestModel):
    # In the body, never in the URL: personnummer must not end up in access logs.
    personnummer: str = Field(min_length=10, max_length=13)


class PersonSummary(BaseModel):
    personnummer: str
    given_name: str
    family_name: str
    age: int
    legal_sex: Literal["F", "M"]
    protected_identity: bool
