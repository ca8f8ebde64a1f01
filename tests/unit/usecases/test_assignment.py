"""The rules of Tilldela erbjudande, Tilldelade erbjudanden and the deep link, against
in-memory fakes (tests/unit/usecases/fakes_assignment.py)."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from adapters.identity.launch import create_launch_token
from api.assignment import usecases
from domain.access import StaffContext
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
    OfferNotForPatient,
)
from domain.errors import InvalidInput, NotFound
from domain.persons import PersonNotInRegister
from tests.unit.usecases.fakes_assignment import (
    JOURNAL,
    JOURNAL_SECRET,
    KARIN,
    LUND,
    NOW,
    NURSE_HSA_ID,
    SOLNA,
    TOLVAN,
    FakeRegister,
    FakeUnitOfWork,
    RememberedSelection,
    UsedLinks,
    assignment,
    lookup,
    person,
    staff_actor,
)

AT_SOLNA = assignment("uppdrag-solna", care_unit_hsa_id=SOLNA)
NURSE = staff_actor(AT_SOLNA, selected=AT_SOLNA)


def unit_of_work() -> FakeUnitOfWork:
    uow = FakeUnitOfWork()
    uow.assignments.add_unit(SOLNA, assignable={"2001": "Klamydia", "2002": "Hepatit C"})
    return uow


async def assign(uow: FakeUnitOfWork, register: FakeRegister, catalog_id: str = "2001"):
    return await usecases.assign_offer(
        uow=uow,
        actor=NURSE,
        now=NOW,
        lookup=lookup(register),
        personnummer=KARIN,
        catalog_id=catalog_id,
    )


async def test_assigning_an_offer_records_it_with_the_patients_name_and_audits_it():
    uow = unit_of_work()

    assigned = await assign(uow, FakeRegister(person(KARIN)))

    assert (assigned.row.personnummer, assigned.row.catalog_id, assigned.name) == (
        KARIN.value,
        "2001",
        "Karin Holm",
    )
    assert assigned.row.care_unit_hsa_id == SOLNA
    assert uow.commits == 1
    [event] = uow.committed_events
    assert (event.action, event.actor_id, event.patient, event.details) == (
        "offer_assigned",
        "SE2321000016-1001",
        KARIN,
        {"catalog_id": "2001"},
    )
    assert (event.care_unit_hsa_id, event.assignment_id) == (SOLNA, "uppdrag-solna")


async def test_the_same_unit_cannot_assign_a_patient_the_same_offer_twice():
    uow = unit_of_work()
    register = FakeRegister(person(KARIN))
    await assign(uow, register)

    with pytest.raises(AlreadyAssigned):
        await assign(uow, register)

    assert len(uow.assignments.active()) == 1
    assert uow.commits == 1  # only the first assignment's


async def test_the_assigners_name_is_kept_with_the_assignment():
    uow = unit_of_work()

    assigned = await assign(uow, FakeRegister(person(KARIN)))

    assert (assigned.row.assigned_by_hsa_id, assigned.row.assigned_by_name) == (
        NURSE_HSA_ID,
        "Karin Holm",
    )


PSA_FOR_MEN = {"3001": Audience(min_age=40, max_age=75, sex="M")}


async def test_an_offer_for_men_is_refused_for_a_woman_naming_whom_it_is_for():
    uow = FakeUnitOfWork()
    uow.assignments.add_unit(SOLNA, assignable={"3001": "PSA-prov"}, audiences=PSA_FOR_MEN)

    with pytest.raises(OfferNotForPatient) as refused:
        await assign(uow, FakeRegister(person(KARIN)), catalog_id="3001")  # Karin: a woman, 41

    assert refused.value.detail == "the offer is for men aged 40–75"
    assert refused.value.reason == "sex"
    assert uow.assignments.active() == []
    assert (uow.commits, uow.audit.events) == (0, [])


async def test_an_offer_for_an_age_range_the_patient_is_outside_is_refused():
    uow = FakeUnitOfWork()
    uow.assignments.add_unit(
        SOLNA, assignable={"3002": "Ungdomstest"}, audiences={"3002": Audience(max_age=29)}
    )

    with pytest.raises(OfferNotForPatient) as refused:
        await assign(uow, FakeRegister(person(KARIN)), catalog_id="3002")

    assert (refused.value.reason, refused.value.detail) == (
        "age",
        "the offer is for people aged up to 29",
    )
    assert uow.assignments.active() == []


async def test_a_patients_offers_tell_which_assignable_offers_they_are_not_for():
    uow = FakeUnitOfWork()
    uow.assignments.add_unit(
        SOLNA,
        assignable={"3001": "PSA-prov", "2001": "Klamydia", "3002": "Ungdomstest"},
        audiences={**PSA_FOR_MEN, "3002": Audience(max_age=29), "2001": Audience(min_age=15)},
    )

    found = await usecases.find_patient_offers(
        uow=uow,
        actor=NURSE,
        now=NOW,
        lookup=lookup(FakeRegister(person(KARIN))),
        personnummer=KARIN,
    )

    assert [(o.offer.catalog_id, o.ineligible) for o in found.assignable] == [
        ("2001", None),
        ("3001", "sex"),
        ("3002", "age"),
    ]


async def test_an_offer_the_unit_does_not_assign_cannot_be_assigned():
    uow = unit_of_work()
    register = FakeRegister(person(KARIN))

    with pytest.raises(OfferNotAssignable):
        await assign(uow, register, catalog_id="9999")

    assert uow.assignments.active() == []
    assert register.calls == 0  # refused before the patient is looked up
    assert (uow.commits, uow.audit.events) == (0, [])


async def test_an_offer_cannot_be_assigned_to_a_person_the_register_does_not_know():
    uow = unit_of_work()

    with pytest.raises(PersonNotInRegister):
        await assign(uow, FakeRegister())

    assert uow.assignments.active() == []
    assert (uow.commits, uow.audit.events) == (0, [])


async def test_a_care_unit_not_configured_in_the_service_assigns_nothing():
    uow = FakeUnitOfWork()  # Solna is not among the service's care units

    with pytest.raises(NotFound):
        await assign(uow, FakeRegister(person(KARIN)))

    assert uow.assignments.active() == []


async def test_removing_an_assignment_of_another_unit_is_answered_as_not_found():
    uow = unit_of_work()
    lund = uow.assignments.add_unit(LUND, assignable={"2001": "Klamydia"})
    theirs = uow.assignments.add_assignment(lund, KARIN, "2001")

    with pytest.raises(AssignmentNotFound):
        await usecases.remove_assigned_offer(uow=uow, actor=NURSE, now=NOW, assignment_id=theirs.id)

    assert theirs.removed_at is None
    assert (uow.commits, uow.audit.events) == (0, [])


async def test_removing_an_own_assignment_ends_it_and_audits_the_patient():
    uow = unit_of_work()
    ours = uow.assignments.add_assignment(uow.assignments.units[SOLNA], KARIN, "2001")

    await usecases.remove_assigned_offer(uow=uow, actor=NURSE, now=NOW, assignment_id=ours.id)

    assert ours.removed_at == NOW
    [event] = uow.committed_events
    assert (event.action, event.patient, event.details) == (
        "offer_unassigned",
        KARIN,
        {"assignment": str(ours.id)},
    )


async def test_removing_an_assignment_that_does_not_exist_is_answered_as_not_found():
    uow = unit_of_work()

    with pytest.raises(AssignmentNotFound):
        await usecases.remove_assigned_offer(
            uow=uow, actor=NURSE, now=NOW, assignment_id=uuid.uuid4()
        )


async def test_looking_up_a_patient_the_register_does_not_know_is_audited_as_not_found():
    uow = unit_of_work()

    with pytest.raises(PersonNotInRegister):
        await usecases.find_patient_offers(
            uow=uow, actor=NURSE, now=NOW, lookup=lookup(FakeRegister()), personnummer=KARIN
        )

    [event] = uow.committed_events
    assert (event.action, event.patient, event.details) == (
        "patient_offers_lookup",
        KARIN,
        {"found": "False"},
    )


async def test_a_patients_offers_are_those_this_unit_assigned():
    uow = unit_of_work()
    ours = uow.assignments.add_assignment(uow.assignments.units[SOLNA], KARIN, "2001")
    lund = uow.assignments.add_unit(LUND, assignable={"2002": "Hepatit C"})
    uow.assignments.add_assignment(lund, KARIN, "2002")

    found = await usecases.find_patient_offers(
        uow=uow,
        actor=NURSE,
        now=NOW,
        lookup=lookup(FakeRegister(person(KARIN))),
        personnummer=KARIN,
    )

    assert [(o.row.id, o.name) for o in found.assigned] == [(ours.id, "Karin Holm")]
    assert [e.details for e in uow.committed_events] == [{"found": "True"}]


async def _listing(uow, *, cursor=None, page_size=2, catalog_id=None):
    return await usecases.list_assigned_offers(
        uow=uow,
        actor=NURSE,
        now=NOW,
        sort="assigned_at",
        descending=True,
        catalog_id=catalog_id,
        cursor=cursor,
        page_size=page_size,
    )


async def test_the_units_list_pages_with_a_cursor_names_from_the_cache_and_audits_each_patient():
    uow = unit_of_work()
    solna = uow.assignments.units[SOLNA]
    karin_first = uow.assignments.add_assignment(solna, KARIN, "2001", assigned_at=NOW)
    karin_second = uow.assignments.add_assignment(
        solna, KARIN, "2002", assigned_at=NOW - timedelta(hours=1)
    )
    tolvan = uow.assignments.add_assignment(
        solna, TOLVAN, "2001", assigned_at=NOW - timedelta(days=1)
    )
    # Only Tolvan's register copy is cached: Karin's rows have no name to show.
    await uow.person_cache.store(person(TOLVAN, given_name="Tolvan"), fetched_at=NOW)

    first = await _listing(uow)
    second = await _listing(uow, cursor=first.next_cursor)

    assert (first.total, first.total_capped) == (3, False)
    assert [(o.row.id, o.name) for o in first.items] == [
        (karin_first.id, None),
        (karin_second.id, None),
    ]
    assert [(o.row.id, o.name) for o in second.items] == [(tolvan.id, "Tolvan Holm")]
    assert second.next_cursor is None
    assert [(e.action, e.patient, e.details) for e in uow.committed_events] == [
        ("assigned_offers_listed", KARIN, {"assignment": str(karin_first.id)}),
        ("assigned_offers_listed", KARIN, {"assignment": str(karin_second.id)}),
        ("assigned_offers_listed", TOLVAN, {"assignment": str(tolvan.id)}),
    ]


async def test_an_empty_list_is_audited_once_without_a_patient():
    uow = unit_of_work()

    listing = await _listing(uow)

    assert (listing.total, listing.items, listing.next_cursor) == (0, [], None)
    [event] = uow.committed_events
    assert (event.action, event.patient, event.details) == (
        "assigned_offers_listed",
        None,
        {"rows": "0"},
    )


async def test_a_units_count_stops_at_its_bound_and_says_so(monkeypatch):
    monkeypatch.setattr(usecases, "COUNTED_UP_TO", 2)
    uow = unit_of_work()
    solna = uow.assignments.units[SOLNA]
    for hours in range(3):
        uow.assignments.add_assignment(
            solna, KARIN, f"20{hours:02}", assigned_at=NOW - timedelta(hours=hours)
        )

    listing = await _listing(uow, page_size=1)

    assert (listing.total, listing.total_capped) == (2, True)


@pytest.mark.parametrize(
    "cursor",
    [
        "not base64 at all!",
        "W10",  # []
        # A cursor of another sort, of the other direction, of one offer.
        usecases.encode_listing_cursor(
            usecases.ListingPosition(value="3", id=uuid.UUID(int=1)),
            usecases.ListingKey(sort="times_used", descending=True, catalog_id=None),
        ),
        usecases.encode_listing_cursor(
            usecases.ListingPosition(value=NOW.isoformat(), id=uuid.UUID(int=1)),
            usecases.ListingKey(sort="assigned_at", descending=False, catalog_id=None),
        ),
        usecases.encode_listing_cursor(
            usecases.ListingPosition(value=NOW.isoformat(), id=uuid.UUID(int=1)),
            usecases.ListingKey(sort="assigned_at", descending=True, catalog_id="2001"),
        ),
        # The right listing, but a key that is no time.
        usecases.encode_listing_cursor(
            usecases.ListingPosition(value="yesterday", id=uuid.UUID(int=1)),
            usecases.ListingKey(sort="assigned_at", descending=True, catalog_id=None),
        ),
    ],
)
async def test_a_cursor_of_another_listing_or_none_at_all_is_refused(cursor):
    with pytest.raises(InvalidInput) as refused:
        await _listing(unit_of_work(), cursor=cursor)
    assert (refused.value.field, refused.value.code) == ("cursor", "invalid_cursor")


def launch_token(
    care_unit_hsa_id: str = SOLNA,
    *,
    issued: timedelta = timedelta(0),
    secret: str = JOURNAL_SECRET,
    staff_hsa_id: str = NURSE_HSA_ID,
) -> str:
    return create_launch_token(
        issuer=JOURNAL,
        secret=secret,
        personnummer=KARIN.value,
        care_unit_hsa_id=care_unit_hsa_id,
        staff_hsa_id=staff_hsa_id,
        now=NOW + issued,
    )


async def launch(uow, token, *, used=None, remember=None, actor=None):
    return await usecases.launch_from_journal(
        uow=uow,
        actor=actor or staff_actor(AT_SOLNA),
        now=NOW,
        token=token,
        links=(used or UsedLinks()).links(),
        remember=remember or RememberedSelection(),
    )


async def test_a_deep_link_chooses_the_assignment_at_its_care_unit_and_names_the_patient():
    at_lund = assignment("uppdrag-lund", care_unit_hsa_id=LUND)
    uow, remember = FakeUnitOfWork(), RememberedSelection()

    launched = await launch(
        uow, launch_token(LUND), remember=remember, actor=staff_actor(AT_SOLNA, at_lund)
    )

    assert (launched.personnummer, launched.care_unit_hsa_id, launched.chosen) == (
        KARIN,
        LUND,
        at_lund,
    )
    assert remember.chosen == [at_lund]
    [event] = uow.committed_events
    assert (event.action, event.patient, event.details) == (
        "launch_from_journal",
        KARIN,
        {"issuer": JOURNAL},
    )
    assert (event.care_unit_hsa_id, event.assignment_id) == (LUND, "uppdrag-lund")


async def test_an_expired_deep_link_is_refused_and_the_refusal_audited():
    uow, remember = FakeUnitOfWork(), RememberedSelection()

    with pytest.raises(LaunchExpiredRefused):
        await launch(uow, launch_token(issued=-timedelta(minutes=6)), remember=remember)

    assert remember.chosen == []
    [event] = uow.committed_events
    assert (event.action, event.outcome, event.details) == (
        "launch",
        "refused",
        {"reason": "LaunchExpiredRefused"},
    )


async def test_a_deep_link_of_an_unknown_journal_system_is_refused_and_audited():
    uow = FakeUnitOfWork()

    with pytest.raises(LaunchRefused) as refused:
        await launch(uow, launch_token(secret="not-the-shared-secret"))

    assert type(refused.value) is LaunchRefused
    assert [(e.outcome, e.details) for e in uow.committed_events] == [
        ("refused", {"reason": "LaunchRefused"})
    ]


async def test_a_deep_link_works_once():
    used, token = UsedLinks(), launch_token()
    await launch(FakeUnitOfWork(), token, used=used)
    uow, remember = FakeUnitOfWork(), RememberedSelection()

    with pytest.raises(LaunchAlreadyUsed):
        await launch(uow, token, used=used, remember=remember)

    assert remember.chosen == []
    assert (uow.commits, uow.audit.events) == (0, [])


async def test_a_deep_link_made_for_another_staff_member_is_refused_and_stays_theirs():
    used, token = UsedLinks(), launch_token(staff_hsa_id="SE2321000016-1003")
    uow, remember = FakeUnitOfWork(), RememberedSelection()

    with pytest.raises(LaunchForOtherUser):
        await launch(uow, token, used=used, remember=remember)

    assert (used.seen, remember.chosen) == (set(), [])
    [event] = uow.committed_events
    assert (event.outcome, event.details) == ("refused", {"reason": "LaunchForOtherUser"})
    owner = StaffActor(
        StaffContext(
            hsa_id="SE2321000016-1003", assignments=(AT_SOLNA,), selected=None, permissions=()
        )
    )
    launched = await launch(FakeUnitOfWork(), token, used=used, actor=owner)
    assert launched.chosen == AT_SOLNA


async def test_a_deep_link_refused_for_lack_of_an_assignment_at_its_unit_is_not_used_up():
    used = UsedLinks()

    with pytest.raises(NoAssignmentAtLaunchUnit):
        await launch(FakeUnitOfWork(), launch_token(LUND), used=used)

    assert used.seen == set()


async def test_a_deep_link_to_a_unit_without_an_assignment_of_ones_own_is_refused():
    uow, remember = FakeUnitOfWork(), RememberedSelection()

    with pytest.raises(NoAssignmentAtLaunchUnit):
        await launch(uow, launch_token(LUND), remember=remember)

    assert remember.chosen == []
    [event] = uow.committed_events
    assert (event.action, event.outcome, event.details) == (
        "launch",
        "refused",
        {"reason": "NoAssignmentAtLaunchUnit"},
    )
