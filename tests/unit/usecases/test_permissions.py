"""Granting and revoking permissions against in-memory fakes: the rules that need the HSA
directory or every holder of a role (issue 11 item 4)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime

import pytest

from api.administration.permissions import usecases
from domain.access import Permission
from domain.administration import InvalidConfiguration, LastCentralAdministrator
from domain.errors import ServiceUnavailable
from domain.staff import EmployeeAssignment, HsaDirectoryUnavailable, StaffIdentity
from tests.unit.usecases.fakes_administration import (
    NOW,
    SOLNA,
    FakeAudit,
    FakeCareUnits,
    Item,
    administrator,
)

NURSE = "SE2321000016-1001"
CENTRAL = administrator(Permission("central_admin"))


@dataclass
class Grant:
    staff_hsa_id: str
    module: str
    care_unit_id: uuid.UUID | None = None
    region_code: str | None = None
    id: uuid.UUID = field(default_factory=uuid.uuid4)
    revoked_at: datetime | None = None
    revoked_by_hsa_id: str | None = None
    staff_name: str | None = None
    granted_by_name: str | None = None


class FakeGrants:
    def __init__(self, *grants: Grant) -> None:
        self.grants = list(grants)
        self.serialized: list[str] = []

    async def for_update(self, permission_id: uuid.UUID) -> Grant | None:
        return next((g for g in self.grants if g.id == permission_id), None)

    async def serialize_changes_of(self, module: str) -> None:
        self.serialized.append(module)

    async def other_active_holders(self, *, module: str, staff_hsa_id: str) -> int:
        return len(
            {
                g.staff_hsa_id
                for g in self.grants
                if g.module == module and g.revoked_at is None and g.staff_hsa_id != staff_hsa_id
            }
        )

    async def active_exists(self, **_: object) -> bool:
        return False

    async def grant(self, **fields: object) -> Grant:
        keep = {k: fields[k] for k in ("staff_hsa_id", "module", "care_unit_id", "region_code")}
        grant = Grant(
            **keep,  # type: ignore[arg-type]
            staff_name=fields["staff_name"],  # type: ignore[arg-type]
            granted_by_name=fields["granted_by_name"],  # type: ignore[arg-type]
        )
        self.grants.append(grant)
        return grant


@dataclass
class FakeUnitOfWork:
    permission_grants: FakeGrants
    care_units: FakeCareUnits = field(default_factory=lambda: FakeCareUnits(Item(hsa_id=SOLNA)))
    audit: FakeAudit = field(default_factory=FakeAudit)
    committed: bool = False

    async def commit(self) -> None:
        self.committed = True


class FakeHsa:
    def __init__(self, *staff: StaffIdentity, fail: bool = False) -> None:
        self.staff = {s.hsa_id: s for s in staff}
        self.fail = fail

    async def get_staff(self, hsa_id: str) -> StaffIdentity | None:
        if self.fail:
            raise HsaDirectoryUnavailable("the fake directory is switched to fail")
        return self.staff.get(hsa_id)


def nurse_at(*units: str) -> StaffIdentity:
    return StaffIdentity(
        hsa_id=NURSE,
        given_name="Karin",
        family_name="Holm",
        title=None,
        assignments=tuple(
            EmployeeAssignment(
                assignment_id=f"MU-{u}",
                care_unit_hsa_id=u,
                care_unit_name="Vårdcentral",
                care_giver_hsa_id="SE2321000016-0001",
                care_giver_name="Region Stockholm",
                purpose="Vård och behandling",
            )
            for u in units
        ),
    )


async def _grant(uow: FakeUnitOfWork, hsa: FakeHsa) -> usecases.GrantedPermission:
    return await usecases.grant_permission(
        uow=uow,  # type: ignore[arg-type]
        actor=CENTRAL,
        now=NOW,
        grant=usecases.PermissionGrant(
            staff_hsa_id=NURSE, permission="sampling", care_unit_hsa_id=SOLNA, region_code=None
        ),
        hsa=hsa,
    )


async def test_a_grant_keeps_the_holders_name_from_hsa_and_the_grantors():
    uow = FakeUnitOfWork(FakeGrants())

    granted = await _grant(uow, FakeHsa(nurse_at(SOLNA)))

    assert (granted.permission.staff_name, granted.permission.granted_by_name) == (
        "Karin Holm",
        None,  # the fake administrator has no name
    )
    assert uow.committed


async def test_a_grant_to_staff_not_employed_at_the_unit_is_refused_naming_the_field():
    uow = FakeUnitOfWork(FakeGrants())

    with pytest.raises(InvalidConfiguration) as refused:
        await _grant(uow, FakeHsa(nurse_at("SE2321000016-A002")))

    assert refused.value.field == "staff_hsa_id"
    assert (uow.permission_grants.grants, uow.committed) == ([], False)


async def test_nothing_is_granted_while_hsa_does_not_answer():
    uow = FakeUnitOfWork(FakeGrants())

    with pytest.raises(ServiceUnavailable):
        await _grant(uow, FakeHsa(fail=True))

    assert (uow.permission_grants.grants, uow.committed) == ([], False)


async def test_the_last_central_administrator_is_not_removed():
    # Two central administrators revoked each other at once: the other's revocation was
    # committed first, so this one would leave none.
    other = Grant("SE2321000016-1006", "central_admin", revoked_at=NOW)
    last = Grant("SE2321000016-1007", "central_admin")
    uow = FakeUnitOfWork(FakeGrants(other, last))

    with pytest.raises(LastCentralAdministrator):
        await usecases.revoke_permission(
            uow=uow,  # type: ignore[arg-type]
            actor=CENTRAL,
            now=NOW,
            permission_id=last.id,
        )

    assert (last.revoked_at, uow.committed) == (None, False)
    assert uow.permission_grants.serialized == ["central_admin"]


async def test_a_central_administrator_is_removed_while_another_remains():
    first = Grant("SE2321000016-1006", "central_admin")
    second = Grant("SE2321000016-1007", "central_admin")
    uow = FakeUnitOfWork(FakeGrants(first, second))

    await usecases.revoke_permission(
        uow=uow,  # type: ignore[arg-type]
        actor=CENTRAL,
        now=NOW,
        permission_id=second.id,
    )

    assert (second.revoked_at, uow.committed) == (NOW, True)
