"""In-memory fakes for result intake's use case (api/results_intake/usecases.py): a unit of
work whose results-intake repository holds one laboratory's sampled orders, its analysis
codes and the stored result versions, and records what is inserted, answered, announced
(outbox), audited and committed; an Idempotency-Key port that records its claim."""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from typing import Any

from adapters.db.repositories.results_intake import NewVersion
from domain.actors import IntegrationActor, IntegrationOrganisation
from domain.audit import AuditEvent
from domain.orders import OrderStatus
from domain.outbox import NewEvent
from domain.results import IncomingResult, LineFacts, OrderFacts, StoredVersion

NOW = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)
SAMPLED_ON = date(2026, 12, 1)
LAB = uuid.uuid4()
OTHER_LAB = uuid.uuid4()
RECIPIENT = uuid.uuid4()
RID = "7K2M9QX4PB"
# The laboratory's analysis codes → national product codes.
CODES = {"CTNA": "PEP-CT", "NGNA": "PEP-NG"}


def laboratory_client(*labs: uuid.UUID) -> IntegrationActor:
    return IntegrationActor(
        client_id="kul-lab",
        organisation=IntegrationOrganisation(laboratory_ids=frozenset(labs or (LAB,))),
        scopes=frozenset({"results:write"}),
    )


def sampled_order(
    rid: str = RID,
    *,
    status: OrderStatus = OrderStatus.SAMPLED,
    laboratory_id: uuid.UUID = LAB,
    recipient: uuid.UUID | None = RECIPIENT,
) -> OrderFacts:
    """An order sampled for `laboratory_id` with two lines: 1 PEP-CT, 2 PEP-NG."""
    return OrderFacts(
        id=uuid.uuid4(),
        rid=rid,
        status=status,
        laboratory_id=laboratory_id,
        lines=(
            LineFacts(id=uuid.uuid4(), line_no=1, product_code="PEP-CT", product_name="Klamydia"),
            LineFacts(id=uuid.uuid4(), line_no=2, product_code="PEP-NG", product_name="Gonorré"),
        ),
        recipient_care_unit_id=recipient,
    )


def result(code: str = "CTNA", **fields: Any) -> IncomingResult:
    """A laboratory's result for the line `code` names, version 1 of its own result id."""
    base = IncomingResult(
        rid=RID,
        sampling_date=SAMPLED_ON,
        value="Påvisad",
        analysis_code=code,
        reference_range="Ej påvisad",
        lab_result_id=f"KUL-{code}",
        lab_version=1,
    )
    return replace(base, **fields)


class FakeResultsIntake:
    """The orders (each sampled for one laboratory), the laboratories' mappings and the
    stored versions; `collide` names result ids whose insert "another call committed first"
    (left out, as ON CONFLICT DO NOTHING leaves them)."""

    def __init__(self) -> None:
        self.orders: dict[str, OrderFacts] = {}
        self.mapped: dict[tuple[uuid.UUID, str], str] = {
            (LAB, code): product for code, product in CODES.items()
        }
        self.stored: list[StoredVersion] = []
        self.inserted: list[NewVersion] = []
        self.answered: list[uuid.UUID] = []
        self.collide_next_insert = False
        self.locked: list[str] = []

    def add(self, order: OrderFacts) -> OrderFacts:
        self.orders[order.rid] = order
        return order

    def content_hash(self, content: dict[str, Any]) -> bytes:
        return hashlib.sha256(json.dumps(content, sort_keys=True, default=str).encode()).digest()

    async def lock_orders(
        self, *, rids: Sequence[str], laboratory_ids: Sequence[uuid.UUID]
    ) -> dict[str, OrderFacts]:
        self.locked.extend(rids)
        return {
            rid: order
            for rid, order in self.orders.items()
            if rid in rids and order.laboratory_id in laboratory_ids
        }

    async def mappings(
        self, *, laboratory_ids: Sequence[uuid.UUID], codes: Sequence[str]
    ) -> dict[tuple[uuid.UUID, str], str]:
        return {
            (lab, code): product
            for (lab, code), product in self.mapped.items()
            if lab in laboratory_ids and code in codes
        }

    async def stored_versions(
        self,
        *,
        line_ids: Sequence[uuid.UUID],
        laboratory_ids: Sequence[uuid.UUID],
        lab_result_ids: Sequence[str],
    ) -> list[StoredVersion]:
        return [
            v
            for v in self.stored
            if v.line_id in line_ids
            or (v.laboratory_id in laboratory_ids and v.lab_result_id in lab_result_ids)
        ]

    async def insert(self, versions: Sequence[NewVersion], *, now: datetime) -> set[uuid.UUID]:
        if self.collide_next_insert:
            self.collide_next_insert = False
            return set()
        for v in versions:
            self.inserted.append(v)
            self.stored.append(
                StoredVersion(
                    result_id=v.result_id,
                    line_id=v.line_id,
                    sampling_date=v.sampling_date,
                    version=v.version,
                    laboratory_id=v.laboratory_id,
                    lab_result_id=v.lab_result_id,
                    lab_version=v.lab_version,
                    content_hash=v.content_hash,
                )
            )
        return {v.result_id for v in versions}

    async def answer_complete(
        self, order_ids: Sequence[uuid.UUID], *, now: datetime
    ) -> set[uuid.UUID]:
        answered: set[uuid.UUID] = set()
        with_result = {v.line_id for v in self.stored}
        for rid, order in list(self.orders.items()):
            if order.id not in order_ids or order.status is not OrderStatus.SAMPLED:
                continue
            if all(line.id in with_result for line in order.lines):
                self.orders[rid] = replace(order, status=OrderStatus.ANSWERED)
                answered.add(order.id)
                self.answered.append(order.id)
        return answered

    def store(self, item: IncomingResult, *, line_no: int, version: int = 1) -> uuid.UUID:
        """A version stored before the call (as an earlier call left it)."""
        order = self.orders[item.rid]
        line = next(x for x in order.lines if x.line_no == line_no)
        result_id = uuid.uuid4()
        self.stored.append(
            StoredVersion(
                result_id=result_id,
                line_id=line.id,
                sampling_date=item.sampling_date,
                version=version,
                laboratory_id=order.laboratory_id if item.lab_result_id else None,
                lab_result_id=item.lab_result_id,
                lab_version=item.lab_version,
                content_hash=self.content_hash(item.content()),
            )
        )
        return result_id


class FakeOutbox:
    def __init__(self) -> None:
        self.events: list[NewEvent] = []

    async def add(self, events: Sequence[NewEvent], *, now: datetime) -> None:
        self.events.extend(events)


class FakeAudit:
    def __init__(self) -> None:
        self.events: list[AuditEvent] = []

    async def record(self, event: AuditEvent) -> None:
        self.events.append(event)


class FakeUnitOfWork:
    def __init__(self) -> None:
        self.results_intake = FakeResultsIntake()
        self.outbox = FakeOutbox()
        self.audit = FakeAudit()
        self.commits = 0

    async def commit(self) -> None:
        self.commits += 1


@dataclass
class FakeIdempotency:
    """The Idempotency-Key port: records what was claimed (the runner commits)."""

    claims: list[tuple[str, Mapping[str, Any]]] = field(default_factory=list)

    async def claim(self, operation: str, request: Mapping[str, Any]) -> None:
        self.claims.append((operation, request))
