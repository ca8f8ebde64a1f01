"""The transactional outbox (STYLE §4; docs/adr/0008-result-intake-and-outbox.md): what happens
after a change commits — notifying the citizen, delivering a result to the care unit's
system — is written as an event in the change's own transaction, and delivered afterwards by
the worker. So an event exists exactly when its change does.

Delivery is **at least once**: a worker claims a batch of events for a while (a lease),
delivers them, and marks them delivered; a worker killed in between leaves its claim to run
out, and the events are delivered again. Consumers are therefore **idempotent**: each event's
id is its delivery key, and a consumer that has seen the key changes nothing (nothing a
person would see happens twice). A failed delivery is retried with exponential back-off; after
the last attempt the event is *dead* — kept, listed for operators, and requeued by them.

The ports of the consumers are here; their implementations are in adapters/notifications."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any, Protocol

from domain.errors import NotFound, NotPermitted


class EventKind(StrEnum):
    # A result of the citizen's order arrived or was corrected: notify the citizen.
    RESULT_AVAILABLE = "result_available"
    # A result for the order's result recipient: deliver it to that care unit's system.
    RESULT_TO_CARE_UNIT = "result_to_care_unit"
    # One message of the citizen's inbox on one channel (domain/notifications.py): one event
    # per channel and message, its payload the delivery's id.
    INBOX_DELIVERY = "inbox_delivery"
    EMAIL_NOTIFICATION = "email_notification"
    SMS_NOTIFICATION = "sms_notification"


@dataclass(frozen=True, slots=True)
class NewEvent:
    id: uuid.UUID
    kind: EventKind
    payload: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class OutboxEvent:
    """A claimed event, as a consumer receives it. `id` is the delivery key; `holder` the
    claim's own name (api/outbox/usecases.py claim_holder): a consumer that must not act
    once a later claim has taken the event over checks it (OutboxRepository.still_held)."""

    id: uuid.UUID
    kind: EventKind
    payload: Mapping[str, Any]
    attempts: int
    created_at: datetime
    holder: str


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    max_attempts: int = 8
    base: timedelta = timedelta(seconds=5)
    cap: timedelta = timedelta(hours=1)

    def after_failure(self, attempts: int, *, now: datetime) -> datetime | None:
        """When a delivery that failed on attempt number `attempts` (1 = the first) is tried
        again: base × 2^(attempts−1), at most `cap`; None when it was the last attempt (the
        event is dead)."""
        if attempts >= self.max_attempts:
            return None
        delay: timedelta = self.base * (2 ** (attempts - 1))
        return now + min(delay, self.cap)


class EventConsumer(Protocol):
    """Delivers events of some kinds. Must be idempotent per event id: delivering an event
    it has seen changes nothing. Returns the events it could not deliver (id → reason)."""

    kinds: frozenset[EventKind]

    async def deliver(
        self, events: Sequence[OutboxEvent], *, now: datetime
    ) -> dict[uuid.UUID, str]: ...


class OutboxEventNotFound(NotFound):
    """No such dead event."""


class NotAnOperator(NotPermitted):
    """Dead letters are for operators (technical operation, integrations)."""


def result_events(
    *,
    order_id: uuid.UUID,
    results: Sequence[tuple[uuid.UUID, int, uuid.UUID | None]],
    corrected: bool,
    new_id: Any,
) -> list[NewEvent]:
    """The events of results stored for one order in one transaction: one notification to
    the citizen (never the result itself), and each result to the recipient care unit's
    system. `results` are (result id, line number, recipient care unit id or None)."""
    order = str(order_id)
    events = [
        NewEvent(
            id=new_id(),
            kind=EventKind.RESULT_AVAILABLE,
            payload={"order_id": order, "corrected": corrected},
        )
    ]
    for result_id, line_no, care_unit_id in results:
        if care_unit_id is None:
            continue
        events.append(
            NewEvent(
                id=new_id(),
                kind=EventKind.RESULT_TO_CARE_UNIT,
                payload={
                    "order_id": order,
                    "result_id": str(result_id),
                    "line_no": line_no,
                    "care_unit_id": str(care_unit_id),
                },
            )
        )
    return events
