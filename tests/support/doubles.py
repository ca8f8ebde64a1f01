"""Test doubles of the national registers: the local registers the service runs with in
development, plus the knobs only tests need (an outage switch, a call counter, staff a test
makes for itself). Tests put them into the composition (tests/conftest.py builds `Services`
with them), so the production adapters carry none of this."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from adapters.hsa.local import LocalHsaDirectory, TestStaffEntry
from adapters.person_register.local import LocalPersonRegister, TestPersonEntry
from domain.identity_numbers import PersonalIdentityNumber, luhn_check_digit
from domain.persons import Person, PersonRegisterUnavailable, PostalAddress
from domain.staff import EmployeeAssignment, HsaDirectoryUnavailable, StaffIdentity


class TestPersonRegister(LocalPersonRegister):
    """The local person register, switchable to an outage (`fail`) and counting look-ups,
    with spare citizens: like the spare staff below, they exist from the start (the embedded
    IdP offers them), and a test claims one with `new_citizen` to log in as somebody whose
    orders, messages and settings are its own."""

    __test__ = False  # not a pytest test class

    def __init__(self, *, spare_citizens: int = 0) -> None:
        super().__init__()
        self.fail = False
        self.calls = 0
        self._spare_citizens: list[str] = []
        for number in range(1, spare_citizens + 1):
            # Born in 1950 (day by number), serial 555: apart from the test persons' and
            # from the random ones tests add for themselves (1960-1990).
            born = date(1950, 1, 1) + timedelta(days=number - 1)
            nine = born.strftime("%y%m%d") + "555"
            personnummer = PersonalIdentityNumber.parse(
                born.strftime("%Y%m%d") + "555" + str(luhn_check_digit(nine))
            )
            person = Person(
                personnummer=personnummer,
                given_name="Reserv",
                middle_name=None,
                family_name=f"Invånare {number}",
                address=PostalAddress(
                    care_of=None, street="Gatan 1", postal_code="11122", city="Stockholm"
                ),
                region_code="01",
                municipality_code="0180",
                protected_identity=False,
                deceased=False,
                test_person=True,
            )
            key = f"spare-citizen-{number}"
            self._entries[key] = TestPersonEntry(
                key=key, label=f"Reserv Invånare {number}", person=person
            )
            self._persons[personnummer] = person
            self._spare_citizens.append(key)

    def new_citizen(self) -> TestPersonEntry:
        """A citizen no other test has used (log in with its `key`)."""
        if not self._spare_citizens:
            raise RuntimeError("no spare citizens left: raise SPARE_CITIZENS in tests/conftest.py")
        return self._entries[self._spare_citizens.pop(0)]

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
