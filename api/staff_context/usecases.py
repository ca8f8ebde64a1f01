"""Choosing the care-unit context, and the person look-up staff make in it."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import datetime

from adapters.db.uow import UnitOfWork
from api.persons.usecases import PersonLookup, find_person
from domain.access import ModuleNotPermitted, select_assignment
from domain.actors import StaffActor
from domain.audit import audit_event
from domain.errors import NotPermitted
from domain.identity_numbers import PersonalIdentityNumber
from domain.persons import Person, PersonNotInRegister
from domain.staff import EmployeeAssignment

# Keeps the chosen assignment in the staff member's session (the web layer's Redis session).
RememberSelection = Callable[[EmployeeAssignment], Awaitable[None]]


def acting_in(actor: StaffActor, assignment: EmployeeAssignment) -> StaffActor:
    """The staff member once they work under `assignment`."""
    return replace(actor, context=replace(actor.context, selected=assignment))


async def record_refusal(
    *, uow: UnitOfWork, actor: StaffActor, now: datetime, action: str, error: NotPermitted
) -> None:
    """A refused authorization is kept in the audit log even though the request fails: the
    caller raises `error` right after, with nothing else written in this unit of work."""
    await uow.audit.record(
        audit_event(
            actor, action, now=now, outcome="refused", details={"reason": type(error).__name__}
        )
    )
    await uow.commit()


async def select_context(
    *,
    uow: UnitOfWork,
    actor: StaffActor,
    now: datetime,
    assignment_id: str,
    remember: RememberSelection,
) -> EmployeeAssignment:
    """Chooses the care unit and assignment to work under; only one of the staff member's
    own assignments (from HSA at login) can be chosen."""
    try:
        assignment = select_assignment(actor.context.assignments, assignment_id)
    except ModuleNotPermitted as error:
        await record_refusal(uow=uow, actor=actor, now=now, action="select_context", error=error)
        raise
    await uow.audit.record(audit_event(acting_in(actor, assignment), "select_context", now=now))
    await uow.commit()
    await remember(assignment)
    return assignment


async def look_up_person(
    *,
    uow: UnitOfWork,
    actor: StaffActor,
    now: datetime,
    lookup: PersonLookup,
    personnummer: PersonalIdentityNumber,
) -> Person:
    """A patient from the person register (through the cache). Every look-up is audited with
    who, unit, assignment and patient, also when the register has no such person."""
    person = await find_person(uow=uow, lookup=lookup, personnummer=personnummer, now=now)
    await uow.audit.record(
        audit_event(
            actor,
            "person_lookup",
            now=now,
            patient=personnummer,
            details={"found": person is not None},
        )
    )
    await uow.commit()
    if person is None:
        raise PersonNotInRegister("the person register has no such person")
    return person
