"""The FHIR view's use cases: searches over the client's organisation, and a transaction
Bundle of results through the one result-intake use case (all stored, or none)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from adapters.db.repositories.fhir_view import FhirLine
from adapters.db.uow import UnitOfWork
from api.results_intake.usecases import ItemResult, receive_results
from domain.actors import IntegrationActor
from domain.audit import audit_event
from domain.results import IncomingResult, Outcome


async def search_lines(
    *,
    uow: UnitOfWork,
    actor: IntegrationActor,
    now: datetime,
    since: datetime,
    limit: int,
    resource: str,
) -> list[FhirLine]:
    """Order lines of the client's organisation changed at or after `since`. Audited (the
    patients are in the answer)."""
    lines = await uow.fhir_view.lines(
        actor.organisation,
        since=since,
        limit=limit,
        by_result=resource in ("DiagnosticReport", "Observation"),
    )
    await uow.audit.record(
        audit_event(
            actor,
            "fhir_search",
            now=now,
            details={"resource": resource, "orders": len({line.order_id for line in lines})},
        )
    )
    await uow.commit()
    return lines


async def receive_transaction(
    *, uow: UnitOfWork, actor: IntegrationActor, now: datetime, items: Sequence[IncomingResult]
) -> list[ItemResult]:
    """A FHIR transaction is atomic: every result is decided as the native batch decides
    it, and the first refusal refuses the whole Bundle (nothing is written)."""
    report = await receive_results(uow=uow, actor=actor, now=now, items=items, commit=False)
    refused = next((i for i in report.items if i.outcome is Outcome.REFUSED), None)
    if refused is not None and refused.error is not None:
        raise refused.error
    await uow.commit()
    return report.items
