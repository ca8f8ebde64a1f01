"""Smittspårning (SPEC §5, §7; manual 4.8; domain/contact_tracing.py): whether a person did
a chlamydia/gonorrhoea home test here and got an answer, and when — never what the answer
was. Every search is audited with who, unit, assignment and patient."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from adapters.db.repositories.contact_tracing import HomeTestRow
from adapters.db.uow import UnitOfWork
from api.persons.usecases import PersonLookup, find_person
from domain.actors import StaffActor
from domain.audit import audit_event
from domain.contact_tracing import HomeTest, HomeTestFacts, home_test
from domain.identity_numbers import PersonalIdentityNumber
from domain.persons import Person, PersonNotInRegister


@dataclass(frozen=True, slots=True)
class TracedTest:
    row: HomeTestRow
    test: HomeTest


@dataclass(frozen=True, slots=True)
class TracingResult:
    person: Person
    tests: list[TracedTest]


async def search(
    *,
    uow: UnitOfWork,
    actor: StaffActor,
    now: datetime,
    lookup: PersonLookup,
    personnummer: PersonalIdentityNumber,
) -> TracingResult:
    """The person (from the person register) and their home tests of contact-tracing
    products, newest first. Audited with the patient, also when nobody has the number."""
    person = await find_person(uow=uow, lookup=lookup, personnummer=personnummer, now=now)
    rows = [] if person is None else await uow.contact_tracing.home_tests(personnummer.value)
    await uow.audit.record(
        audit_event(
            actor,
            "contact_tracing_search",
            now=now,
            patient=personnummer,
            details={"found": str(person is not None), "home_tests": str(len(rows))},
        )
    )
    await uow.commit()
    if person is None:
        raise PersonNotInRegister("the person register has no such person")
    return TracingResult(
        person=person,
        tests=[
            TracedTest(
                row=r,
                test=home_test(
                    HomeTestFacts(
                        order_status=r.status,
                        ordered_at=r.ordered_at,
                        sampled_at=r.sampled_at,
                        first_sampling_date=r.first_sampling_date,
                        first_answer_at=r.first_answer_at,
                    )
                ),
            )
            for r in rows
        ],
    )
