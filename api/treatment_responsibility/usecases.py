"""Behandlingsansvar (SPEC §5; manual 1.4, 4.7; domain/treatment_responsibility.py): find a
patient's positive contact-tracing results and take over treatment responsibility for one,
at the care unit of the assignment the staff member works under. Open to every staff member
with an assignment (module access checks only that), so every search and every take-over is
audited with the patient."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from adapters.db.repositories.treatment_responsibility import PositiveResultRow
from adapters.db.repositories.worklist import TakeoverRow
from adapters.db.uow import UnitOfWork
from api.persons.usecases import PersonLookup, find_person
from domain.actors import StaffActor
from domain.audit import audit_event
from domain.identity_numbers import PersonalIdentityNumber
from domain.persons import Person, PersonNotInRegister
from domain.treatment_responsibility import PositiveResultNotFound, TakeoverOutcome


@dataclass(frozen=True, slots=True)
class PositiveResult:
    row: PositiveResultRow
    takeovers: list[TakeoverRow]


@dataclass(frozen=True, slots=True)
class PatientResults:
    person: Person
    results: list[PositiveResult]


@dataclass(frozen=True, slots=True)
class Takeover:
    outcome: TakeoverOutcome
    takeover: TakeoverRow
    result: PositiveResult


async def search(
    *,
    uow: UnitOfWork,
    actor: StaffActor,
    now: datetime,
    lookup: PersonLookup,
    personnummer: PersonalIdentityNumber,
) -> PatientResults:
    """The patient (from the person register) and their positive results of
    contact-tracing products, with the take-overs made so far. Audited with the patient,
    also when the register has no such person."""
    person = await find_person(uow=uow, lookup=lookup, personnummer=personnummer, now=now)
    rows = (
        []
        if person is None
        else await uow.treatment_responsibility.positive_results(personnummer.value)
    )
    takeovers = await uow.worklist.takeovers([r.line_id for r in rows])
    await uow.audit.record(
        audit_event(
            actor,
            "treatment_responsibility_search",
            now=now,
            patient=personnummer,
            details={"found": str(person is not None), "results": str(len(rows))},
        )
    )
    await uow.commit()
    if person is None:
        raise PersonNotInRegister("the person register has no such person")
    return PatientResults(
        person=person,
        results=[PositiveResult(row=r, takeovers=takeovers.get(r.line_id, [])) for r in rows],
    )


async def take_over(
    *,
    uow: UnitOfWork,
    actor: StaffActor,
    now: datetime,
    personnummer: PersonalIdentityNumber,
    line_id: uuid.UUID,
) -> Takeover:
    """Registers that the staff member's care unit took over treatment of the patient's
    positive result (the newest version positive; 404 for anything else, also another
    patient's result). Once per result and unit: a second time answers the first record."""
    selected = actor.selected
    assert selected is not None  # module access guarantees it
    row = await uow.treatment_responsibility.positive_result(personnummer.value, line_id)
    if row is None:
        raise PositiveResultNotFound("the patient has no such positive result")
    takeover, created = await uow.treatment_responsibility.take_over(
        line_id=line_id,
        result_id=row.result_id,
        care_unit_hsa_id=selected.care_unit_hsa_id,
        care_unit_name=selected.care_unit_name,
        by_hsa_id=actor.hsa_id,
        by_name=actor.name,
        now=now,
    )
    if created:
        await uow.worklist.mark_taken_over(line_id, now=now)
    outcome = TakeoverOutcome.CREATED if created else TakeoverOutcome.ALREADY_TAKEN_OVER
    await uow.audit.record(
        audit_event(
            actor,
            "treatment_responsibility_taken_over",
            now=now,
            patient=personnummer,
            details={
                "order_id": str(row.order_id),
                "line_id": str(line_id),
                "result_care_unit": row.result_care_unit_hsa_id or "",
                "outcome": outcome.value,
            },
        )
    )
    takeovers = await uow.worklist.takeovers([line_id])
    await uow.commit()
    return Takeover(
        outcome=outcome,
        takeover=takeover,
        result=PositiveResult(row=row, takeovers=takeovers.get(line_id, [])),
    )
