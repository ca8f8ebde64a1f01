"""Assigning personal offers to patients, listing and removing them, and the deep link from a
journal system. Every query is scoped to the care unit of the staff member's chosen
assignment (module access has made sure there is one)."""

from __future__ import annotations

import base64
import json
import uuid
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import datetime

from adapters.db.repositories.assignments import (
    AssignableOffer,
    AssignmentRow,
    ListingPosition,
    ListingSort,
    listing_value,
)
from adapters.db.uow import UnitOfWork
from adapters.identity.launch import InvalidLaunch, LaunchExpired, read_launch_token
from api.persons.usecases import PersonLookup, find_person
from api.staff_context.usecases import RememberSelection, acting_in, record_refusal
from domain.access import select_assignment
from domain.actors import StaffActor
from domain.assignment import (
    AlreadyAssigned,
    AssignmentNotFound,
    Audience,
    LaunchAlreadyUsed,
    LaunchExpiredRefused,
    LaunchForOtherUser,
    LaunchRefused,
    NoAssignmentAtLaunchUnit,
    OfferNotAssignable,
    ineligibility,
    launch_is_for,
    require_offer_for_patient,
)
from domain.audit import audit_event
from domain.errors import InvalidInput, NotFound
from domain.identity_numbers import PersonalIdentityNumber
from domain.offers import Unavailability
from domain.persons import Person, PersonNotInRegister
from domain.staff import EmployeeAssignment

# Tilldelade erbjudanden counts a unit's assignments up to this many; beyond it the list
# says "more than" (the count reads at most this many index entries, ADR 10).
COUNTED_UP_TO = 1_000


@dataclass(frozen=True, slots=True)
class AssignedOffer:
    row: AssignmentRow
    # The patient's name: from the register (one patient) or the cached copy (lists), None
    # when no copy is cached.
    name: str | None


@dataclass(frozen=True, slots=True)
class OfferForPatient:
    """An offer the unit may assign, and whether this patient could ever see it."""

    offer: AssignableOffer
    # None when the patient is within whom the offer is for; else AGE or SEX.
    ineligible: Unavailability | None


@dataclass(frozen=True, slots=True)
class PatientWithOffers:
    personnummer: PersonalIdentityNumber
    person: Person
    assigned: list[AssignedOffer]
    assignable: list[OfferForPatient]


def _audience(offer: AssignableOffer) -> Audience:
    return Audience(min_age=offer.min_age, max_age=offer.max_age, sex=offer.sex)


@dataclass(frozen=True, slots=True)
class AssignedOffersListing:
    # How many the unit has (of the offer), counted up to COUNTED_UP_TO; `total_capped`
    # when it has more.
    total: int
    total_capped: bool
    items: list[AssignedOffer]
    # The cursor of the next page; None on the last.
    next_cursor: str | None


@dataclass(frozen=True, slots=True)
class ListingKey:
    """What a listing is ordered and filtered by: a cursor is valid only for the same."""

    sort: ListingSort
    descending: bool
    catalog_id: str | None


def encode_listing_cursor(position: ListingPosition, listing: ListingKey) -> str:
    """An opaque cursor: the last row's position, with the sort, direction and offer it
    belongs to. It holds no patient data (a sort key of the assignment and its id)."""
    raw = json.dumps(
        [listing.sort, listing.descending, listing.catalog_id, position.value, str(position.id)],
        separators=(",", ":"),
    ).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def decode_listing_cursor(cursor: str, listing: ListingKey) -> ListingPosition:
    """The position a cursor of this listing names; a cursor of another sort, direction or
    offer, or none this API gave out, is refused (422 invalid_cursor)."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        sort, descending, catalog_id, value, row_id = json.loads(raw)
        if (sort, descending, catalog_id) != (
            listing.sort,
            listing.descending,
            listing.catalog_id,
        ) or not isinstance(value, str):
            raise ValueError("another listing")
        return ListingPosition(value=listing_value(listing.sort, value), id=uuid.UUID(row_id))
    except (ValueError, TypeError, UnicodeDecodeError, AttributeError):
        raise InvalidInput(
            "cursor",
            "not a cursor of this listing: start from the first page",
            code="invalid_cursor",
        ) from None


@dataclass(frozen=True, slots=True)
class LaunchLinks:
    """What a deep link is checked against: the secret shared with each journal system, and
    the record of links already used (`first_use` is True only the first time a link's token
    id is seen)."""

    secrets_by_issuer: Mapping[str, str]
    first_use: Callable[[str], Awaitable[bool]]


@dataclass(frozen=True, slots=True)
class Launch:
    personnummer: PersonalIdentityNumber
    care_unit_hsa_id: str
    # The assignment now chosen for the session.
    chosen: EmployeeAssignment


async def _care_unit_id(uow: UnitOfWork, actor: StaffActor) -> uuid.UUID:
    selected = actor.selected
    assert selected is not None  # module_access guarantees it
    unit_id = await uow.assignments.care_unit_id(selected.care_unit_hsa_id)
    if unit_id is None:
        raise NotFound("the care unit is not configured in this service")
    return unit_id


async def assignable_offers(
    *, uow: UnitOfWork, actor: StaffActor, now: datetime
) -> list[AssignableOffer]:
    """The personal offers the selected care unit may assign."""
    return await uow.assignments.assignable_offers(
        await _care_unit_id(uow, actor), today=now.date()
    )


async def find_patient_offers(
    *,
    uow: UnitOfWork,
    actor: StaffActor,
    now: datetime,
    lookup: PersonLookup,
    personnummer: PersonalIdentityNumber,
) -> PatientWithOffers:
    """The patient, the offers this unit assigned them and the offers it may assign (each
    telling whether the patient is among whom it is for). Audited as a look-up of patient
    data, also when the register has no such person."""
    person = await find_person(uow=uow, lookup=lookup, personnummer=personnummer, now=now)
    await uow.audit.record(
        audit_event(
            actor,
            "patient_offers_lookup",
            now=now,
            patient=personnummer,
            details={"found": str(person is not None)},
        )
    )
    if person is None:
        await uow.commit()
        raise PersonNotInRegister("the person register has no such person")
    unit_id = await _care_unit_id(uow, actor)
    rows = await uow.assignments.for_patient(personnummer.value, unit_id)
    offers = await uow.assignments.assignable_offers(unit_id, today=now.date())
    await uow.commit()
    age, legal_sex = personnummer.age(now.date()), personnummer.legal_sex
    return PatientWithOffers(
        personnummer=personnummer,
        person=person,
        assigned=[AssignedOffer(row=r, name=person.full_name) for r in rows],
        assignable=[
            OfferForPatient(
                offer=o, ineligible=ineligibility(_audience(o), age=age, legal_sex=legal_sex)
            )
            for o in offers
        ],
    )


async def assign_offer(
    *,
    uow: UnitOfWork,
    actor: StaffActor,
    now: datetime,
    lookup: PersonLookup,
    personnummer: PersonalIdentityNumber,
    catalog_id: str,
) -> AssignedOffer:
    """Tilldela: the citizen sees the offer at once. The unit may assign only the offers it
    is an assigning unit of, and only to a patient within whom the offer is for (age, sex);
    several units may assign the same offer to a patient, each once (manual 4.10)."""
    unit_id = await _care_unit_id(uow, actor)
    assignable = {
        o.catalog_id: o for o in await uow.assignments.assignable_offers(unit_id, today=now.date())
    }
    offer = assignable.get(catalog_id)
    if offer is None:
        raise OfferNotAssignable("this care unit may not assign that offer")
    person = await find_person(uow=uow, lookup=lookup, personnummer=personnummer, now=now)
    if person is None:
        raise PersonNotInRegister("the person register has no such person")
    require_offer_for_patient(
        _audience(offer), age=personnummer.age(now.date()), legal_sex=personnummer.legal_sex
    )
    assignment_id = await uow.assignments.assign(
        personnummer=personnummer.value,
        catalog_id=catalog_id,
        care_unit_id=unit_id,
        assigned_by_hsa_id=actor.hsa_id,
        assigned_by_name=actor.name,
        now=now,
    )
    if assignment_id is None:
        raise AlreadyAssigned("this care unit has assigned the patient this offer already")
    await uow.audit.record(
        audit_event(
            actor,
            "offer_assigned",
            now=now,
            patient=personnummer,
            details={"catalog_id": catalog_id},
        )
    )
    rows = await uow.assignments.for_patient(personnummer.value, unit_id)
    await uow.commit()
    row = next(r for r in rows if r.id == assignment_id)
    return AssignedOffer(row=row, name=person.full_name)


async def remove_assigned_offer(
    *, uow: UnitOfWork, actor: StaffActor, now: datetime, assignment_id: uuid.UUID
) -> None:
    """Ta bort erbjudande, for an offer assigned by mistake: only this unit's assignments
    (another unit's is answered as not found)."""
    personnummer = await uow.assignments.remove(
        assignment_id, care_unit_id=await _care_unit_id(uow, actor), now=now
    )
    if personnummer is None:
        raise AssignmentNotFound("no such assignment at this care unit")
    await uow.audit.record(
        audit_event(
            actor,
            "offer_unassigned",
            now=now,
            patient=PersonalIdentityNumber(personnummer),
            details={"assignment": str(assignment_id)},
        )
    )
    await uow.commit()


async def list_assigned_offers(
    *,
    uow: UnitOfWork,
    actor: StaffActor,
    now: datetime,
    sort: ListingSort,
    descending: bool,
    catalog_id: str | None,
    cursor: str | None,
    page_size: int,
) -> AssignedOffersListing:
    """Tilldelade erbjudanden of the selected unit: one page in the order of `sort` (then
    id), of one offer when `catalog_id` is given, after the position `cursor` names (a
    cursor of the same sort, direction and offer). Paged in SQL over an index per sort,
    so a unit with half a million assignments answers like one with fifty; only the page's
    rows are decrypted and named (from the cached register copies). Every patient shown is
    audited (an empty page: one entry without a patient)."""
    listing = ListingKey(sort=sort, descending=descending, catalog_id=catalog_id)
    after = decode_listing_cursor(cursor, listing) if cursor else None
    unit_id = await _care_unit_id(uow, actor)
    listed = await uow.assignments.page_for_unit(
        unit_id,
        sort=sort,
        descending=descending,
        catalog_id=catalog_id,
        after=after,
        limit=page_size + 1,
    )
    page, more = listed[:page_size], len(listed) > page_size
    counted = await uow.assignments.count_for_unit(
        unit_id, catalog_id=catalog_id, up_to=COUNTED_UP_TO + 1
    )
    cached = await uow.person_cache.load_many(sorted({p.row.personnummer_hash for p in page}))
    if page:
        await uow.audit.record_many(
            [
                audit_event(
                    actor,
                    "assigned_offers_listed",
                    now=now,
                    patient=PersonalIdentityNumber(p.row.personnummer),
                    details={"assignment": str(p.row.id)},
                )
                for p in page
            ]
        )
    else:
        await uow.audit.record(
            audit_event(actor, "assigned_offers_listed", now=now, details={"rows": "0"})
        )
    await uow.commit()
    return AssignedOffersListing(
        total=min(counted, COUNTED_UP_TO),
        total_capped=counted > COUNTED_UP_TO,
        items=[
            AssignedOffer(
                row=p.row,
                name=cached[p.row.personnummer_hash].person.full_name
                if p.row.personnummer_hash in cached
                else None,
            )
            for p in page
        ],
        next_cursor=encode_listing_cursor(page[-1].position, listing) if more else None,
    )


async def launch_from_journal(
    *,
    uow: UnitOfWork,
    actor: StaffActor,
    now: datetime,
    token: str,
    links: LaunchLinks,
    remember: RememberSelection,
) -> Launch:
    """The deep link (uthopp): the journal system's encrypted token names the patient, the
    care unit and the staff member it was made for; that staff member's assignment at that unit
    is chosen for the session. A token works once, for a few minutes and only for the staff
    member it names; a refused staff member does not use it up. Refusals of the link or of the
    staff member are audited."""
    try:
        launch = read_launch_token(token, secrets_by_issuer=links.secrets_by_issuer, now=now)
    except InvalidLaunch as error:
        refusal = (
            LaunchExpiredRefused(str(error))
            if isinstance(error, LaunchExpired)
            else LaunchRefused(str(error))
        )
        await record_refusal(uow=uow, actor=actor, now=now, action="launch", error=refusal)
        raise refusal from None
    # Who may use the link is decided before it is used up: a refused staff member must not
    # spend the link of the one it was made for.
    if not launch_is_for(launch.staff_hsa_id, actor.hsa_id):
        other_user = LaunchForOtherUser("the link was made for another staff member")
        await record_refusal(uow=uow, actor=actor, now=now, action="launch", error=other_user)
        raise other_user
    candidates = [
        a for a in actor.context.assignments if a.care_unit_hsa_id == launch.care_unit_hsa_id
    ]
    if not candidates:
        no_assignment = NoAssignmentAtLaunchUnit(
            "you have no employee assignment at the care unit of the link"
        )
        await record_refusal(uow=uow, actor=actor, now=now, action="launch", error=no_assignment)
        raise no_assignment
    if not await links.first_use(launch.token_id):
        raise LaunchAlreadyUsed("this link has been used already: open it again from the journal")
    chosen = select_assignment(candidates, candidates[0].assignment_id)
    await remember(chosen)
    personnummer = PersonalIdentityNumber.parse(launch.personnummer, today=now.date())
    await uow.audit.record(
        audit_event(
            acting_in(actor, chosen),
            "launch_from_journal",
            now=now,
            patient=personnummer,
            details={"issuer": launch.issuer},
        )
    )
    await uow.commit()
    return Launch(
        personnummer=personnummer, care_unit_hsa_id=launch.care_unit_hsa_id, chosen=chosen
    )
