"""Choosing the care-unit context and the staff's person look-up, against in-memory fakes
(tests/unit/usecases/fakes_assignment.py)."""

from __future__ import annotations

import pytest

from api.staff_context import usecases
from domain.access import ModuleNotPermitted
from domain.persons import PersonNotInRegister
from tests.unit.usecases.fakes_assignment import (
    KARIN,
    LUND,
    NOW,
    SOLNA,
    FakeRegister,
    FakeUnitOfWork,
    RememberedSelection,
    assignment,
    lookup,
    person,
    staff_actor,
)

AT_SOLNA = assignment("uppdrag-solna", care_unit_hsa_id=SOLNA)
AT_LUND = assignment("uppdrag-lund", care_unit_hsa_id=LUND)


async def test_choosing_one_of_ones_own_assignments_is_remembered_and_audited_in_it():
    uow, remember = FakeUnitOfWork(), RememberedSelection()

    chosen = await usecases.select_context(
        uow=uow,
        actor=staff_actor(AT_SOLNA, AT_LUND, selected=AT_SOLNA),
        now=NOW,
        assignment_id="uppdrag-lund",
        remember=remember,
    )

    assert chosen == AT_LUND
    assert remember.chosen == [AT_LUND]
    [event] = uow.committed_events
    assert (event.action, event.outcome, event.care_unit_hsa_id, event.assignment_id) == (
        "select_context",
        "success",
        LUND,
        "uppdrag-lund",
    )
    assert (event.patient, event.details) == (None, {})


async def test_an_assignment_that_is_not_ones_own_cannot_be_chosen_and_the_refusal_is_audited():
    uow, remember = FakeUnitOfWork(), RememberedSelection()

    with pytest.raises(ModuleNotPermitted):
        await usecases.select_context(
            uow=uow,
            actor=staff_actor(AT_SOLNA),
            now=NOW,
            assignment_id="uppdrag-lund",
            remember=remember,
        )

    assert remember.chosen == []
    [event] = uow.committed_events
    assert (event.action, event.outcome, event.details) == (
        "select_context",
        "refused",
        {"reason": "ModuleNotPermitted"},
    )
    # Refused in the context the staff member had: none chosen yet.
    assert (event.care_unit_hsa_id, event.assignment_id) == (None, None)


async def test_a_person_look_up_is_audited_with_the_patient_and_the_unit():
    uow = FakeUnitOfWork()

    found = await usecases.look_up_person(
        uow=uow,
        actor=staff_actor(AT_SOLNA, selected=AT_SOLNA),
        now=NOW,
        lookup=lookup(FakeRegister(person(KARIN))),
        personnummer=KARIN,
    )

    assert found.full_name == "Karin Holm"
    [event] = uow.committed_events
    assert (event.action, event.patient, event.care_unit_hsa_id, event.details) == (
        "person_lookup",
        KARIN,
        SOLNA,
        {"found": True},
    )
    assert KARIN.value in uow.person_cache.copies  # the register's answer is cached


async def test_a_person_look_up_the_register_does_not_know_is_audited_and_not_found():
    uow = FakeUnitOfWork()

    with pytest.raises(PersonNotInRegister):
        await usecases.look_up_person(
            uow=uow,
            actor=staff_actor(AT_SOLNA, selected=AT_SOLNA),
            now=NOW,
            lookup=lookup(FakeRegister()),
            personnummer=KARIN,
        )

    assert [(e.action, e.details) for e in uow.committed_events] == [
        ("person_lookup", {"found": False})
    ]
