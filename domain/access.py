"""Who may do what, in one place (SPEC §1). Pure rules over a staff member's HSA
assignments and the permissions (behörigheter) granted to them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from domain.errors import NotPermitted
from domain.staff import CARE_AND_TREATMENT, EmployeeAssignment


class Module(StrEnum):
    SAMPLING = "sampling"
    LABELS = "labels"
    ORDER_RECEIPT = "order_receipt"
    RESULT_REGISTRATION = "result_registration"
    WORKLIST = "worklist"
    TREATMENT_RESPONSIBILITY = "treatment_responsibility"
    CONTACT_TRACING = "contact_tracing"
    ASSIGN_OFFER = "assign_offer"
    ASSIGNED_OFFERS = "assigned_offers"
    ADMINISTRATION = "administration"
    EXPORT = "export"


class Role(StrEnum):
    """Permissions that are not a patient-data module: the administrator roles."""

    UNIT_ADMIN = "unit_admin"
    REGION_ADMIN = "region_admin"
    OPERATOR = "operator"
    CENTRAL_ADMIN = "central_admin"


# Modules that present patient data: they need an explicit permission for the care unit and
# an assignment with the purpose "Vård och behandling".
PATIENT_DATA_MODULES: frozenset[Module] = frozenset(
    {
        Module.SAMPLING,
        Module.LABELS,
        Module.ORDER_RECEIPT,
        Module.RESULT_REGISTRATION,
        Module.WORKLIST,
        Module.CONTACT_TRACING,
        Module.ASSIGNED_OFFERS,
    }
)
# Modules open to anyone with a valid employee assignment (no permission needed).
ASSIGNMENT_ONLY_MODULES: frozenset[Module] = frozenset(
    {Module.ASSIGN_OFFER, Module.TREATMENT_RESPONSIBILITY}
)
# Staff reach patients' data in every module, so each needs an assignment with the purpose
# "Vård och behandling" — except Behandlingsansvar, which needs only the SITHS login (manual
# 4.1), and Administration, which shows configuration, not patients.
CARE_PURPOSE_MODULES: frozenset[Module] = frozenset(Module) - {
    Module.TREATMENT_RESPONSIBILITY,
    Module.ADMINISTRATION,
}
GRANTABLE = frozenset({m.value for m in PATIENT_DATA_MODULES} | {Module.EXPORT.value}) | frozenset(
    r.value for r in Role
)


@dataclass(frozen=True, slots=True)
class Permission:
    name: str  # a Module or Role value
    care_unit_hsa_id: str | None = None
    region_code: str | None = None


@dataclass(frozen=True, slots=True)
class StaffContext:
    """A logged-in staff member as the rules see them: identity, the assignment chosen for
    this session (None until chosen), and every permission they hold."""

    hsa_id: str
    assignments: tuple[EmployeeAssignment, ...]
    selected: EmployeeAssignment | None
    permissions: tuple[Permission, ...]

    def holds(self, name: str, *, care_unit_hsa_id: str | None = None) -> bool:
        return any(
            p.name == name and (care_unit_hsa_id is None or p.care_unit_hsa_id == care_unit_hsa_id)
            for p in self.permissions
        )


class AssignmentRequired(NotPermitted):
    pass


class CareAndTreatmentPurposeRequired(NotPermitted):
    pass


class ModuleNotPermitted(NotPermitted):
    pass


def select_assignment(
    assignments: Iterable[EmployeeAssignment], assignment_id: str
) -> EmployeeAssignment:
    for assignment in assignments:
        if assignment.assignment_id == assignment_id:
            return assignment
    raise ModuleNotPermitted("the assignment is not one of yours")


def available_modules(ctx: StaffContext) -> list[Module]:
    """The module menu at the selected care unit, in menu order."""
    if ctx.selected is None:
        return []
    unit = ctx.selected.care_unit_hsa_id
    modules: list[Module] = []
    for module in Module:
        if module in CARE_PURPOSE_MODULES and not ctx.selected.allows_patient_data:
            continue
        if module in ASSIGNMENT_ONLY_MODULES:
            modules.append(module)
        elif module in PATIENT_DATA_MODULES or module is Module.EXPORT:
            if ctx.holds(module.value, care_unit_hsa_id=unit):
                modules.append(module)
        elif module is Module.ADMINISTRATION and admin_scope(ctx).any:
            modules.append(module)
    return modules


def require_module(ctx: StaffContext, module: Module) -> EmployeeAssignment:
    """Returns the assignment under which the module is used, or says why not."""
    if ctx.selected is None:
        raise AssignmentRequired("choose a care unit and employee assignment first")
    if module in CARE_PURPOSE_MODULES and not ctx.selected.allows_patient_data:
        raise CareAndTreatmentPurposeRequired(
            f"the module needs an assignment with the purpose {CARE_AND_TREATMENT!r}"
        )
    if module not in available_modules(ctx):
        raise ModuleNotPermitted(
            f"no permission for {module.value} at {ctx.selected.care_unit_hsa_id}"
        )
    return ctx.selected


@dataclass(frozen=True, slots=True)
class AdminScope:
    national: bool
    region_codes: frozenset[str]
    care_unit_hsa_ids: frozenset[str]

    @property
    def any(self) -> bool:
        return self.national or bool(self.region_codes) or bool(self.care_unit_hsa_ids)

    def covers(self, *, region_code: str, care_unit_hsa_id: str | None = None) -> bool:
        return (
            self.national
            or region_code in self.region_codes
            or (care_unit_hsa_id is not None and care_unit_hsa_id in self.care_unit_hsa_ids)
        )


def admin_scope(ctx: StaffContext) -> AdminScope:
    """What the staff member may administer: a unit administrator their own units, a
    regional administrator their region, operators and central administrators everything."""
    national = any(p.name in (Role.CENTRAL_ADMIN, Role.OPERATOR) for p in ctx.permissions)
    return AdminScope(
        national=national,
        region_codes=frozenset(
            p.region_code
            for p in ctx.permissions
            if p.name == Role.REGION_ADMIN and p.region_code is not None
        ),
        care_unit_hsa_ids=frozenset(
            p.care_unit_hsa_id
            for p in ctx.permissions
            if p.name == Role.UNIT_ADMIN and p.care_unit_hsa_id is not None
        ),
    )
