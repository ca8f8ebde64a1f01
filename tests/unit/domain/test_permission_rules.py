"""Who may grant and revoke which permission (SPEC §1, issue 11 item 4): pure rules."""

from __future__ import annotations

import pytest

from domain.access import Permission, StaffContext
from domain.administration import (
    InvalidConfiguration,
    LastCentralAdministrator,
    OutsideAdministrationScope,
    OwnPermissionChange,
    require_another_central_admin,
    require_grant_right,
    require_grantee,
)
from domain.staff import EmployeeAssignment, StaffIdentity

SOLNA = "SE2321000016-A001"
NURSE = "SE2321000016-1001"


def admin(*permissions: Permission, hsa_id: str = "SE2321000016-9001") -> StaffContext:
    return StaffContext(hsa_id=hsa_id, assignments=(), selected=None, permissions=permissions)


UNIT_ADMIN = admin(Permission("unit_admin", care_unit_hsa_id=SOLNA))
STOCKHOLM_ADMIN = admin(Permission("region_admin", region_code="01"))
SKANE_ADMIN = admin(Permission("region_admin", region_code="12"))
OPERATOR = admin(Permission("operator"))
CENTRAL = admin(Permission("central_admin"))


def grant(ctx: StaffContext, permission: str, *, staff: str = NURSE) -> None:
    require_grant_right(
        ctx, permission=permission, region_code="01", care_unit_hsa_id=SOLNA, staff_hsa_id=staff
    )


@pytest.mark.parametrize(
    "permission",
    [
        "sampling",
        "labels",
        "order_receipt",
        "result_registration",
        "worklist",
        "contact_tracing",
        "assigned_offers",
        "export",
    ],
)
def test_a_unit_administrator_manages_no_patient_data_permission(permission: str) -> None:
    with pytest.raises(OutsideAdministrationScope, match="regional administrators of region 01"):
        grant(UNIT_ADMIN, permission)


@pytest.mark.parametrize("ctx", [STOCKHOLM_ADMIN, OPERATOR, CENTRAL])
def test_patient_data_permissions_are_managed_by_the_region_operators_and_central(
    ctx: StaffContext,
) -> None:
    grant(ctx, "sampling")
    grant(ctx, "export")


def test_another_regions_administrator_manages_no_permission_at_the_unit() -> None:
    with pytest.raises(OutsideAdministrationScope):
        grant(SKANE_ADMIN, "sampling")


def test_a_unit_administrator_still_appoints_unit_administrators_of_the_unit() -> None:
    grant(UNIT_ADMIN, "unit_admin")


@pytest.mark.parametrize(
    ("ctx", "permission"),
    [
        (UNIT_ADMIN, "unit_admin"),
        (STOCKHOLM_ADMIN, "sampling"),
        (CENTRAL, "export"),
        (CENTRAL, "central_admin"),
    ],
)
def test_nobody_grants_or_revokes_a_permission_of_their_own(
    ctx: StaffContext, permission: str
) -> None:
    with pytest.raises(OwnPermissionChange):
        grant(ctx, permission, staff=ctx.hsa_id.lower())


def _staff(*units: str) -> StaffIdentity:
    return StaffIdentity(
        hsa_id=NURSE,
        given_name="Karin",
        family_name="Holm",
        title=None,
        assignments=tuple(
            EmployeeAssignment(
                assignment_id=f"MU-{unit}",
                care_unit_hsa_id=unit,
                care_unit_name="Vårdcentral",
                care_giver_hsa_id="SE2321000016-0001",
                care_giver_name="Region Stockholm",
                purpose="Vård och behandling",
            )
            for unit in units
        ),
    )


def test_a_permission_is_granted_only_to_a_staff_member_hsa_knows() -> None:
    with pytest.raises(InvalidConfiguration) as refused:
        require_grantee(None, care_unit_hsa_id=SOLNA)
    assert (refused.value.field, refused.value.code) == ("staff_hsa_id", "unknown_hsa_id")


def test_a_permission_at_a_unit_needs_an_employee_assignment_there() -> None:
    with pytest.raises(InvalidConfiguration) as refused:
        require_grantee(_staff("SE2321000016-A002"), care_unit_hsa_id=SOLNA)
    assert (refused.value.field, refused.value.code) == ("staff_hsa_id", "no_assignment_at_unit")
    require_grantee(_staff(SOLNA), care_unit_hsa_id=SOLNA)
    require_grantee(_staff(), care_unit_hsa_id=None)  # national and regional roles


def test_the_last_central_administrator_cannot_be_removed() -> None:
    with pytest.raises(LastCentralAdministrator):
        require_another_central_admin(others=0)
    require_another_central_admin(others=1)
