"""In-memory fakes for the staff use cases (assignment, staff context, persons): a unit of
work whose repositories hold plain dicts and lists, a person register that counts its calls,
a record of used launch links and of the assignment a session remembers. They keep only what
the use cases read back, and record what they write."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from adapters.db.repositories.assignments import (
    AssignableOffer,
    AssignmentRow,
    ListedAssignment,
    ListingPosition,
    ListingSort,
)
from adapters.protection import DataProtector
from api.assignment.usecases import LaunchLinks
from api.persons.usecases import PersonLookup
from domain.access import StaffContext
from domain.actors import StaffActor
from domain.assignment import Audience
from domain.audit import AuditEvent
from domain.identity_numbers import PersonalIdentityNumber
from domain.persons import CachedPerson, Person, PersonRegisterUnavailable
from domain.staff import EmployeeAssignment

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
PROTECTOR = DataProtector(hash_key="unit-test", encryption_key="unit-test")
# Personnummer of Skatteverket's test series.
KARIN = PersonalIdentityNumber.parse("198504129829")
TOLVAN = PersonalIdentityNumber.parse("199012129897")
SOLNA = "SE2321000016-A001"
LUND = "SE2321000255-B001"
JOURNAL = "journal-test"
JOURNAL_SECRET = "a-secret-the-journal-system-shares-with-us"
NURSE_HSA_ID = "SE2321000016-1001"


def assignment(
    assignment_id: str = "uppdrag-solna", *, care_unit_hsa_id: str = SOLNA
) -> EmployeeAssignment:
    return EmployeeAssignment(
        assignment_id=assignment_id,
        care_unit_hsa_id=care_unit_hsa_id,
        care_unit_name=f"Vårdcentral {care_unit_hsa_id}",
        care_giver_hsa_id="SE2321000016-0001",
        care_giver_name="Region Test",
        purpose="Vård och behandling",
    )


def staff_actor(
    *assignments: EmployeeAssignment, selected: EmployeeAssignment | None = None
) -> StaffActor:
    """A nurse with these employee assignments (one at Solna unless given), working under
    `selected`."""
    owned = assignments or (assignment(),)
    return StaffActor(
        StaffContext(
            hsa_id=NURSE_HSA_ID,
            assignments=tuple(owned),
            selected=selected,
            permissions=(),
        ),
        name="Karin Holm",
    )


def person(personnummer: PersonalIdentityNumber = KARIN, *, given_name: str = "Karin") -> Person:
    return Person(
        personnummer=personnummer,
        given_name=given_name,
        middle_name=None,
        family_name="Holm",
        address=None,
        region_code="01",
        municipality_code="0180",
        protected_identity=False,
        deceased=False,
        test_person=True,
    )


class FakeRegister:
    def __init__(self, *persons: Person, fail: bool = False) -> None:
        self.persons = {p.personnummer.value: p for p in persons}
        self.fail = fail
        self.calls = 0

    async def get_person(self, personnummer: PersonalIdentityNumber) -> Person | None:
        self.calls += 1
        if self.fail:
            raise PersonRegisterUnavailable("the fake register is switched to fail")
        return self.persons.get(personnummer.value)


def lookup(register: FakeRegister) -> PersonLookup:
    return PersonLookup(register=register, max_age=timedelta(days=5))


class FakePersonCache:
    def __init__(self) -> None:
        self.copies: dict[str, CachedPerson] = {}

    async def load(self, personnummer: PersonalIdentityNumber) -> CachedPerson | None:
        return self.copies.get(personnummer.value)

    async def store(self, person: Person, *, fetched_at: datetime) -> None:
        self.copies[person.personnummer.value] = CachedPerson(person=person, fetched_at=fetched_at)

    async def load_many(self, hashes: list[bytes]) -> dict[bytes, CachedPerson]:
        by_hash = {PROTECTOR.lookup_hash(value): copy for value, copy in self.copies.items()}
        return {h: by_hash[h] for h in hashes if h in by_hash}


class FakeAudit:
    def __init__(self) -> None:
        self.events: list[AuditEvent] = []

    async def record(self, event: AuditEvent) -> None:
        self.events.append(event)

    async def record_many(self, events: list[AuditEvent]) -> None:
        self.events.extend(events)


@dataclass
class StoredAssignment:
    id: uuid.UUID
    personnummer: str
    catalog_id: str
    care_unit_id: uuid.UUID
    assigned_by_hsa_id: str
    assigned_at: datetime
    removed_at: datetime | None = None
    assigned_by_name: str | None = None


@dataclass
class FakeCareUnit:
    id: uuid.UUID
    hsa_id: str
    name: str
    # catalog id → offer name: the personal offers this unit is an assigning unit of.
    assignable: dict[str, str] = field(default_factory=dict)
    # catalog id → whom the offer is for (everyone when not given).
    audiences: dict[str, Audience] = field(default_factory=dict)


class FakeAssignments:
    def __init__(self) -> None:
        self.units: dict[str, FakeCareUnit] = {}
        self.stored: list[StoredAssignment] = []

    def add_unit(
        self,
        hsa_id: str,
        *,
        assignable: dict[str, str] | None = None,
        audiences: dict[str, Audience] | None = None,
    ) -> FakeCareUnit:
        unit = FakeCareUnit(
            id=uuid.uuid4(),
            hsa_id=hsa_id,
            name=f"Vårdcentral {hsa_id}",
            assignable=assignable or {},
            audiences=audiences or {},
        )
        self.units[hsa_id] = unit
        return unit

    def add_assignment(
        self,
        unit: FakeCareUnit,
        personnummer: PersonalIdentityNumber,
        catalog_id: str,
        *,
        assigned_at: datetime = NOW,
    ) -> StoredAssignment:
        stored = StoredAssignment(
            id=uuid.uuid4(),
            personnummer=personnummer.value,
            catalog_id=catalog_id,
            care_unit_id=unit.id,
            assigned_by_hsa_id="SE2321000016-1001",
            assigned_at=assigned_at,
        )
        self.stored.append(stored)
        return stored

    def active(self) -> list[StoredAssignment]:
        return [a for a in self.stored if a.removed_at is None]

    def _unit(self, care_unit_id: uuid.UUID) -> FakeCareUnit:
        return next(u for u in self.units.values() if u.id == care_unit_id)

    def _row(self, stored: StoredAssignment) -> AssignmentRow:
        unit = self._unit(stored.care_unit_id)
        return AssignmentRow(
            id=stored.id,
            personnummer=stored.personnummer,
            personnummer_hash=PROTECTOR.lookup_hash(stored.personnummer),
            catalog_id=stored.catalog_id,
            offer_name=unit.assignable.get(stored.catalog_id, stored.catalog_id),
            times_used=0,
            last_used_at=None,
            assigned_at=stored.assigned_at,
            assigned_by_hsa_id=stored.assigned_by_hsa_id,
            assigned_by_name=stored.assigned_by_name,
            care_unit_hsa_id=unit.hsa_id,
            care_unit_name=unit.name,
        )

    async def care_unit_id(self, hsa_id: str) -> uuid.UUID | None:
        unit = self.units.get(hsa_id)
        return unit.id if unit else None

    async def assignable_offers(
        self, care_unit_id: uuid.UUID, *, today: object
    ) -> list[AssignableOffer]:
        unit = self._unit(care_unit_id)
        return [
            AssignableOffer(
                catalog_id=catalog_id,
                name=name,
                sampling_method="self",
                validity_days=30,
                products=[],
                min_age=unit.audiences.get(catalog_id, Audience()).min_age,
                max_age=unit.audiences.get(catalog_id, Audience()).max_age,
                sex=unit.audiences.get(catalog_id, Audience()).sex,
            )
            for catalog_id, name in sorted(unit.assignable.items(), key=lambda item: item[1])
        ]

    async def for_patient(self, personnummer: str, care_unit_id: uuid.UUID) -> list[AssignmentRow]:
        return [
            self._row(a)
            for a in sorted(self.active(), key=lambda a: a.assigned_at, reverse=True)
            if a.personnummer == personnummer and a.care_unit_id == care_unit_id
        ]

    async def page_for_unit(
        self,
        care_unit_id: uuid.UUID,
        *,
        sort: ListingSort,
        descending: bool,
        catalog_id: str | None,
        after: ListingPosition | None,
        limit: int,
    ) -> list[ListedAssignment]:
        """The database's order (the sort key, then id) on the stored rows; only the
        assigned-at sort is kept here (the others are SQL, proven in the integration
        tests)."""
        assert sort == "assigned_at", "the fake keeps only the default sort"
        rows = sorted(
            (
                a
                for a in self.active()
                if a.care_unit_id == care_unit_id
                and (catalog_id is None or a.catalog_id == catalog_id)
            ),
            key=lambda a: (a.assigned_at, a.id),
            reverse=descending,
        )
        if after is not None:
            mark = (datetime.fromisoformat(after.value), after.id)
            rows = [
                a
                for a in rows
                if ((a.assigned_at, a.id) < mark if descending else (a.assigned_at, a.id) > mark)
            ]
        return [
            ListedAssignment(
                row=self._row(a),
                position=ListingPosition(value=a.assigned_at.isoformat(), id=a.id),
            )
            for a in rows[:limit]
        ]

    async def count_for_unit(
        self, care_unit_id: uuid.UUID, *, catalog_id: str | None, up_to: int
    ) -> int:
        count = sum(
            1
            for a in self.active()
            if a.care_unit_id == care_unit_id and (catalog_id is None or a.catalog_id == catalog_id)
        )
        return min(count, up_to)

    async def assign(
        self,
        *,
        personnummer: str,
        catalog_id: str,
        care_unit_id: uuid.UUID,
        assigned_by_hsa_id: str,
        assigned_by_name: str | None,
        now: datetime,
    ) -> uuid.UUID | None:
        # One active assignment of an offer per patient and care unit (the database's unique
        # index): several units may assign the same offer.
        if any(
            a.personnummer == personnummer
            and a.catalog_id == catalog_id
            and a.care_unit_id == care_unit_id
            for a in self.active()
        ):
            return None
        stored = StoredAssignment(
            id=uuid.uuid4(),
            personnummer=personnummer,
            catalog_id=catalog_id,
            care_unit_id=care_unit_id,
            assigned_by_hsa_id=assigned_by_hsa_id,
            assigned_at=now,
            assigned_by_name=assigned_by_name,
        )
        self.stored.append(stored)
        return stored.id

    async def remove(
        self, assignment_id: uuid.UUID, *, care_unit_id: uuid.UUID, now: datetime
    ) -> str | None:
        for stored in self.active():
            if stored.id == assignment_id and stored.care_unit_id == care_unit_id:
                stored.removed_at = now
                return stored.personnummer
        return None


class FakeUnitOfWork:
    """Like the real one, what is written counts only once committed: `committed_events`
    is the audit log as the database would keep it."""

    def __init__(self) -> None:
        self.assignments = FakeAssignments()
        self.person_cache = FakePersonCache()
        self.audit = FakeAudit()
        self.commits = 0
        self.committed_events: list[AuditEvent] = []

    async def commit(self) -> None:
        self.commits += 1
        self.committed_events = list(self.audit.events)


class UsedLinks:
    """The record of used deep links (Redis in the service)."""

    def __init__(self) -> None:
        self.seen: set[str] = set()

    async def first_use(self, token_id: str) -> bool:
        fresh = token_id not in self.seen
        self.seen.add(token_id)
        return fresh

    def links(self) -> LaunchLinks:
        return LaunchLinks(secrets_by_issuer={JOURNAL: JOURNAL_SECRET}, first_use=self.first_use)


class RememberedSelection:
    """The staff member's session: which assignment it keeps as chosen."""

    def __init__(self) -> None:
        self.chosen: list[EmployeeAssignment] = []

    async def __call__(self, chosen: EmployeeAssignment) -> None:
        self.chosen.append(chosen)
