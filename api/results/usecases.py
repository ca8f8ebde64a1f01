"""The citizen's own results: mark them read, or delete the order with them. Each is one
transaction, committed here."""

from __future__ import annotations

import uuid
from datetime import datetime

from adapters.db.uow import UnitOfWork
from adapters.protection import DataProtector
from api.ordering.usecases import citizen_hash
from domain.actors import CitizenActor
from domain.audit import audit_event
from domain.errors import InvalidInput
from domain.identity_numbers import InvalidPersonalIdentityNumber, PersonalIdentityNumber
from domain.orders import (
    OrderNotDeletable,
    OrderNotFound,
    OrderStatus,
    counts_against_usage_limit,
    may_be_deleted,
)


async def mark_results_read(
    *,
    uow: UnitOfWork,
    actor: CitizenActor,
    now: datetime,
    protector: DataProtector,
    order_id: uuid.UUID,
) -> None:
    """The citizen has seen the order's results; results already read keep their time."""
    order = await uow.orders.get_for_citizen(order_id, citizen_hash(protector, actor))
    if order is None:
        raise OrderNotFound("no such order")
    await uow.orders.mark_results_read(order.id, now=now)
    await uow.commit()


async def delete_order(
    *,
    uow: UnitOfWork,
    actor: CitizenActor,
    now: datetime,
    protector: DataProtector,
    order_id: uuid.UUID,
    confirm_personnummer: str,
) -> None:
    """Irreversible: the order, its lines and results are removed, confirmed by the citizen
    typing their own personnummer. Only a result and its order are deleted (manual 3.7): an
    ongoing order without a result is refused (it is cancelled instead). The order's use still
    counts against the offer's usage limit, as a content-free count. Nothing of the order
    remains under the Idempotency-Key that made it (a retry answers 404). The audit log keeps
    that it happened, not what it was."""
    try:
        confirmed = PersonalIdentityNumber.parse(confirm_personnummer, today=now.date())
    except InvalidPersonalIdentityNumber as error:
        raise InvalidInput(
            "confirm_personnummer", str(error), code="invalid_personnummer"
        ) from None
    if confirmed != actor.personnummer:
        raise InvalidInput(
            "confirm_personnummer", "is not your personnummer", code="not_own_personnummer"
        )
    hashed = citizen_hash(protector, actor)
    order = await uow.orders.get_for_citizen(order_id, hashed, for_update=True)
    if order is None:
        raise OrderNotFound("no such order")
    status = OrderStatus(order.status)
    if not may_be_deleted(status, results=order.results):
        raise OrderNotDeletable(
            "an ongoing order without a result is cancelled, not deleted: cancel it instead"
        )
    if counts_against_usage_limit(status):
        await uow.orders.count_deleted_use(
            citizen_hash=hashed, catalog_id=order.catalog_id, created_at=order.created_at
        )
    await uow.orders.delete(order.id)
    await uow.audit.record(audit_event(actor, "order_deleted", now=now, details={}))
    await uow.commit()
