import pytest

from domain.access import (
    AssignmentRequired,
    CareAndTreatmentPurposeRequired,
    Module,
    ModuleNotPermitted,
    Permission,
    StaffContext,
    admin_scope,
    available_modules,
    require_module,
)
from domain.staff import EmployeeAssignment

UNIT_A = "SE2321000016-A001"
UNIT_B = "SE2321000016-A002"


def _assignment(unit: str, purpose: str = "Vård och behandling") -> EmployeeAssignment:
    return EmployeeAssignment(
        assignment_id=f"{unit}:{purpose}",
        care_unit_hsa_id=unit,
        care_unit_name=unit,
        care_giver_hsa_id="SE2321000016-0001",
        care_giver_name="Region Stockholm",
        purpose=purpose,
    )


def _ctx(selected: EmployeeAssignment | None, *permissions: Permission) -> StaffContext:
    return StaffContext(
        hsa_id="SE2321000016-9999",
        assignments=(selected,) if selected else (),
        selected=selected,
        permissions=permissions,
    )


def test_patient_module_needs_a_permission_at_the_selected_unit():
    ctx = _ctx(_assignment(UNIT_A), Permission("sampling", care_unit_hsa_id=UNIT_B))
    with pytest.raises(ModuleNotPermitted):
        require_module(ctx, Module.SAMPLING)
    ctx_b = _ctx(_assignment(UNIT_B), Permission("sampling", care_unit_hsa_id=UNIT_B))
    assert require_module(ctx_b, Module.SAMPLING).care_unit_hsa_id == UNIT_B


def test_patient_module_needs_the_care_and_treatment_purpose():
    ctx = _ctx(
        _assignment(UNIT_A, purpose="Administration"),
        Permission("sampling", care_unit_hsa_id=UNIT_A),
    )
    with pytest.raises(CareAndTreatmentPurposeRequired):
        require_module(ctx, Module.SAMPLING)


def test_assigning_offers_needs_only_an_assignment():
    assert require_module(_ctx(_assignment(UNIT_A)), Module.ASSIGN_OFFER)
    with pytest.raises(AssignmentRequired):
        require_module(_ctx(None), Module.ASSIGN_OFFER)


def test_assigning_offers_needs_the_care_and_treatment_purpose():
    # Offer assignment shows the patient's name (manual 4.1): not under an administrative
    # assignment, and not in that assignment's module menu either.
    administrative = _ctx(_assignment(UNIT_A, purpose="Administration"))
    with pytest.raises(CareAndTreatmentPurposeRequired):
        require_module(administrative, Module.ASSIGN_OFFER)
    assert Module.ASSIGN_OFFER not in available_modules(administrative)


def test_treatment_responsibility_needs_only_an_assignment_of_any_purpose():
    administrative = _ctx(_assignment(UNIT_A, purpose="Administration"))
    assert (
        require_module(administrative, Module.TREATMENT_RESPONSIBILITY).care_unit_hsa_id == UNIT_A
    )
    assert available_modules(administrative) == [Module.TREATMENT_RESPONSIBILITY]


def test_export_is_listed_only_with_its_own_permission():
    labels_only = _ctx(_assignment(UNIT_A), Permission("labels", care_unit_hsa_id=UNIT_A))
    assert Module.EXPORT not in available_modules(labels_only)
    with_export = _ctx(
        _assignment(UNIT_A),
        Permission("labels", care_unit_hsa_id=UNIT_A),
        Permission("export", care_unit_hsa_id=UNIT_A),
    )
    assert Module.EXPORT in available_modules(with_export)


def test_admin_scope_per_role():
    unit_admin = admin_scope(_ctx(None, Permission("unit_admin", care_unit_hsa_id=UNIT_A)))
    assert unit_admin.covers(region_code="01", care_unit_hsa_id=UNIT_A)
    assert not unit_admin.covers(region_code="01", care_unit_hsa_id=UNIT_B)
    regional = admin_scope(_ctx(None, Permission("region_admin", region_code="01")))
    assert regional.covers(region_code="01", care_unit_hsa_id=UNIT_B)
    assert not regional.covers(region_code="12")
    central = admin_scope(_ctx(None, Permission("central_admin")))
    assert central.covers(region_code="12")
    assert not admin_scope(_ctx(None)).any


def test_administration_menu_only_for_administrators():
    assert Module.ADMINISTRATION not in available_modules(_ctx(_assignment(UNIT_A)))
    admin = _ctx(_assignment(UNIT_A), Permission("region_admin", region_code="01"))
    assert Module.ADMINISTRATION in available_modules(admin)
