"""The FHIR view's use cases: searches over the client's organisation, a page at a time, and
a transaction Bundle of results through the one result-intake use case (all stored, or
none)."""

from __future__ import annotations

import base64
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from adapters.db.repositories.fhir_view import FhirLine, FhirPosition
from adapters.db.uow import UnitOfWork
from api.results_intake.usecases import ItemResult, receive_results
from domain.actors import IntegrationActor
from domain.audit import audit_event
from domain.errors import InvalidInput
from domain.identity_numbers import PersonalIdentityNumber
from domain.integration import utc_instant
from domain.results import IncomingResult, Outcome

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
RESULT_RESOURCES = ("DiagnosticReport", "Observation")


@dataclass(frozen=True, slots=True)
class Since:
    """`_lastUpdated`: changed at (`ge`) or strictly after (`gt`) an instant."""

    at: datetime
    strictly_after: bool


def parse_last_updated(raw: str | None) -> Since:
    """`ge<instant>` / `gt<instant>`; a date alone is the whole day (FHIR's precision rule:
    `ge2026-12-01` from its start, `gt2026-12-01` from the next day's start)."""
    if raw is None:
        return Since(_EPOCH, strictly_after=False)
    prefix, value = raw[:2], raw[2:]
    if prefix not in ("ge", "gt"):
        raise InvalidInput("_lastUpdated", "use ge or gt (e.g. ge2026-12-01)", code="prefix")
    try:
        when = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise InvalidInput("_lastUpdated", "not a FHIR instant", code="format") from None
    when = when if when.tzinfo else when.replace(tzinfo=UTC)
    when = utc_instant(when, field="_lastUpdated")
    if len(value) == 10 and prefix == "gt":
        try:
            return Since(when + timedelta(days=1), strictly_after=False)
        except OverflowError:
            raise InvalidInput("_lastUpdated", "out of range", code="out_of_range") from None
    return Since(when, strictly_after=prefix == "gt")


def encode_cursor(position: FhirPosition) -> str:
    raw = f"{position.updated.astimezone(UTC).isoformat()}|{position.order_id}|{position.line_no}"
    return base64.urlsafe_b64encode(raw.encode()).rstrip(b"=").decode()


def decode_cursor(cursor: str) -> FhirPosition:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        at, order_id, line_no = raw.split("|")
        when = datetime.fromisoformat(at)
        if when.tzinfo is None:
            raise ValueError("naive")
        return FhirPosition(
            updated=utc_instant(when, field="_cursor"),
            order_id=uuid.UUID(order_id),
            line_no=int(line_no),
        )
    except (ValueError, UnicodeDecodeError):
        raise InvalidInput(
            "_cursor", "not a cursor this server gave out", code="invalid_cursor"
        ) from None


@dataclass(frozen=True, slots=True)
class FhirPage:
    lines: list[FhirLine]
    # The cursor of the next page (`_cursor`), None on the last page.
    next_cursor: str | None


async def search_lines(
    *,
    uow: UnitOfWork,
    actor: IntegrationActor,
    now: datetime,
    last_updated: str | None,
    cursor: str | None,
    limit: int,
    resource: str,
) -> FhirPage:
    """One page of the order lines of the client's organisation (results: of the orders it
    receives results for, adapters/db/repositories/fhir_view.py) changed since
    `_lastUpdated`, in a stable order: last updated, order, line; a Task is an order (its
    first line), a Specimen a sampled line. Audited: one entry per order shown, naming its
    patient."""
    since = parse_last_updated(last_updated)
    after = decode_cursor(cursor) if cursor else None
    rows = await uow.fhir_view.lines(
        actor.organisation,
        since=since.at,
        strictly_after=since.strictly_after,
        after=after,
        limit=limit + 1,
        by_result=resource in RESULT_RESOURCES,
        per_order=resource == "Task",
        sampled_only=resource == "Specimen",
    )
    page, more = rows[:limit], len(rows) > limit
    await _audit_patients(uow, actor, page, resource=resource, now=now)
    await uow.commit()
    last = page[-1] if page else None
    next_cursor = None
    if more and last is not None:
        next_cursor = encode_cursor(
            FhirPosition(updated=last.updated, order_id=last.order_id, line_no=last.line_no)
        )
    return FhirPage(lines=page, next_cursor=next_cursor)


async def _audit_patients(
    uow: UnitOfWork,
    actor: IntegrationActor,
    lines: Sequence[FhirLine],
    *,
    resource: str,
    now: datetime,
) -> None:
    """One entry per order shown, with its patient; a search that showed nobody one entry."""
    orders: dict[uuid.UUID, FhirLine] = {}
    for line in lines:
        orders.setdefault(line.order_id, line)
    if not orders:
        await uow.audit.record(
            audit_event(actor, "fhir_search", now=now, details={"resource": resource, "orders": 0})
        )
        return
    await uow.audit.record_many(
        [
            audit_event(
                actor,
                "fhir_search",
                now=now,
                patient=PersonalIdentityNumber.parse(line.personnummer),
                details={"resource": resource, "order_id": str(order_id), "rid": line.rid},
            )
            for order_id, line in orders.items()
        ]
    )


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
