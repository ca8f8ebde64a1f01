"""Test doubles of the national registers: the local registers the service runs with in
development, plus the knobs only tests need (an outage switch, a call counter, staff a test
makes for itself). Tests put them into the composition (tests/conftest.py builds `Services`
with them), so the production adapters carry none of this."""

from __future__ import annotations

from collections.abc import Sequence

from adapters.hsa.local import LocalHsaDirectory, TestStaffEntry
from adapters.person_register.local import LocalPersonRegister
from domain.identity_numbers import PersonalIdentityNumber
from domain.persons import Person, PersonRegisterUnavailable
from domain.staff import EmployeeAssignment, HsaDirectoryUnavailable, StaffIdentity


class TestPersonRegister(LocalPersonRegister):
    """The local person register, switchable to an outage (`fail`) and counting look-ups."""

    __test__ = False  # not a pytest test class

    def __init__(self) -> None:
        super().__init__()
        self.fail = False
        self.calls = 0

    def add_person(self, person: Person) -> None:
        """A citizen only this test knows (its orders are the test's own)."""
        self._persons[person.personnummer] = person

    async def get_person(self, personnummer: PersonalIdentityNumber) -> Person | None:
        self.calls += 1
        if self.fail:
            raise PersonRegisterUnavailable("test person register is switched to fail")
        return await super().get_person(personnummer)


class TestHsaDirectory(LocalHsaDirectory):
    """The local HSA directory, switchable to an outage (`fail`), with spare staff members.

    The embedded IdP offers the identities the directory knows when the app is built, so the
    spares exist from the start (without assignments); a test claims one with `new_staff` and
    gives it the assignments it needs. Each spare has an HSA-id of its own, so every row a
    claimed staff member causes (permissions, assignments, audit entries) belongs to one test.
    """

    __test__ = False  # not a pytest test class

    def __init__(self, *, spare_staff: int = 0) -> None:
        super().__init__()
        self.fail = False
        self._spares: list[str] = []
        for number in range(1, spare_staff + 1):
            key = f"spare-staff-{number}"
            staff = StaffIdentity(
                hsa_id=f"SE2321000016-T{number:04d}",
                given_name="Testa",
                family_name=f"Reserv {number}",
                title=None,
            )
            self._entries[key] = TestStaffEntry(key=key, label=staff.full_name, staff=staff)
            self._staff[staff.hsa_id] = staff
            self._spares.append(key)

    def new_staff(self, *, assignments: Sequence[EmployeeAssignment]) -> TestStaffEntry:
        """A staff member no other test has used, with these employee assignments."""
        if not self._spares:
            raise RuntimeError("no spare staff left: raise spare_staff in tests/conftest.py")
        key = self._spares.pop(0)
        spare = self._entries[key].staff
        staff = StaffIdentity(
            hsa_id=spare.hsa_id,
            given_name=spare.given_name,
            family_name=spare.family_name,
            title="Sjuksköterska",
            assignments=tuple(assignments),
        )
        entry = TestStaffEntry(key=key, label=staff.full_name, staff=staff)
        self._entries[key] = entry
        self._staff[staff.hsa_id] = staff
        return entry

    async def get_staff(self, hsa_id: str) -> StaffIdentity | None:
        if self.fail:
            raise HsaDirectoryUnavailable("test HSA directory is switched to fail")
        return await super().get_staff(hsa_id)
