"""Result intake (SPEC §6, §7; manual 3.4): a laboratory's result for one order line, from a
laboratory system (electronic) or registered by hand (manual, the results follow-up issue) —
one set of rules for both.

**What identifies a result.** The unique key is the order line + the sampling date (SPEC §7):
a line has at most one result per sampling date, and a correction of it is a new *version*
(the newest is the one shown). A laboratory names its result by its own result id and
version; within a laboratory a result id belongs to exactly one order line and sampling date.

**Deciding an incoming result** (`decide`), item by item, against what is stored (and what the
same batch accepted before it):
- the order: by RID, among the orders the actor may post for (a laboratory client: the
  orders sampled for its laboratories) — otherwise *order not found* (404); it must be
  sampled (Provtagen) or answered (Besvarad);
- the line: by line number, or by the analysis code in the laboratory's code system (the
  laboratory's mapping of the line's national product code). A code the laboratory has not
  mapped is refused naming it (422); a code of another product than the line's likewise;
  a line the order does not have is 404;
- the same laboratory result id and version again: with the same content a no-op success
  (`duplicate`); with other content a conflict (the laboratory must send a new version);
- a version older than (or equal to) the newest stored one of that result, arriving late: it
  never overwrites the newer one — nothing is stored (`superseded`);
- a result of another laboratory result id for a line and sampling date that already has
  one: a conflict (the unique key holds); a laboratory result id already used for another
  line or sampling date: a conflict;
- otherwise it is stored as the next version: `created` (the first) or `corrected`.
A manual result (no laboratory ids) is always stored as the next version.

Every stored result answers the order when all its lines have a result (Besvarad) and is
announced through the outbox in the same transaction: `result_available` (the citizen is
notified, never with the result itself) and `result_to_care_unit` (the result recipient's
system)."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from domain.errors import Conflict, InvalidInput, NotFound
from domain.orders import OrderNotFound, OrderStatus
from domain.sampling import today_in_stockholm

MAX_BATCH = 1000


class Insight(StrEnum):
    POSITIVE = "positive"
    NEGATIVE = "negative"
    TECHNICAL_ERROR = "technical_error"
    ANSWER = "answer"


class AbnormalFlag(StrEnum):
    HIGH = "high"
    LOW = "low"
    ABNORMAL = "abnormal"


class ResultSource(StrEnum):
    ELECTRONIC = "electronic"
    MANUAL = "manual"


class Outcome(StrEnum):
    CREATED = "created"  # the first version of the result: stored
    CORRECTED = "corrected"  # a newer version: stored, shown instead of the older
    DUPLICATE = "duplicate"  # the same result id, version and content again: nothing changed
    SUPERSEDED = "superseded"  # an older version arriving late: nothing stored
    REFUSED = "refused"


STORED = frozenset({Outcome.CREATED, Outcome.CORRECTED})
RECEIVABLE = frozenset({OrderStatus.SAMPLED, OrderStatus.ANSWERED})


@dataclass(frozen=True, slots=True)
class IncomingResult:
    """One result as a laboratory system (or the manual registration) sends it. The order
    line is named by RID and line number, or by RID and the analysis code in the lab's code
    system (or both, which must agree)."""

    rid: str
    sampling_date: date
    value: str
    analysis_code: str | None = None
    line_no: int | None = None
    unit: str | None = None
    reference_range: str | None = None
    abnormal_flag: AbnormalFlag | None = None
    comment: str | None = None
    lab_result_id: str | None = None
    lab_version: int | None = None
    insight: Insight | None = None
    source: ResultSource = ResultSource.ELECTRONIC

    def content(self) -> dict[str, Any]:
        """What identifies the result's content (a re-send with other content under the same
        version is a conflict, not a duplicate)."""
        return {
            "rid": self.rid,
            "line_no": self.line_no,
            "analysis_code": self.analysis_code,
            "sampling_date": self.sampling_date.isoformat(),
            "value": self.value,
            "unit": self.unit,
            "reference_range": self.reference_range,
            "abnormal_flag": self.abnormal_flag,
            "comment": self.comment,
            "insight": self.insight,
        }


# --- errors ---------------------------------------------------------------------------------


class OrderLineNotFound(NotFound):
    """The order has no such line (by number, or for the analysis the code names)."""


class OrderNotAwaitingResults(Conflict):
    """Only a sampled (or answered) order receives results."""

    def __init__(self, detail: str, *, order_status: str) -> None:
        super().__init__(detail)
        self.order_status = order_status

    @property
    def problem_extensions(self) -> dict[str, object]:
        return {"order_status": self.order_status}


class ResultVersionConflict(Conflict):
    """The laboratory's result id and version were received before with other content:
    a change is a new version."""


class ResultKeyTaken(Conflict):
    """The line and sampling date already have a result under another laboratory result
    id, or the result id belongs to another line or sampling date (SPEC §7: one result per
    order line and sampling date)."""


class UnmappedAnalysisCode(InvalidInput):
    """The laboratory has not mapped this analysis code to any national product code."""

    def __init__(self, code: str) -> None:
        super().__init__(
            "analysis_code",
            f"the laboratory has not mapped the analysis code {code!r}",
            code="unmapped_analysis_code",
        )
        self.analysis_code = code


def require_laboratory_ids(item: IncomingResult) -> None:
    """An electronic result names the analysis in the lab's codes and carries the lab's
    result id and version; a manual one names the line. Raises InvalidInput."""
    if item.source is ResultSource.ELECTRONIC:
        if not item.analysis_code:
            raise InvalidInput(
                "analysis_code", "name the analysis in your code system", code="required"
            )
        if not item.lab_result_id:
            raise InvalidInput("lab_result_id", "send your result id", code="required")
        if item.lab_version is None:
            raise InvalidInput("lab_version", "send your result's version", code="required")
    elif item.line_no is None and not item.analysis_code:
        raise InvalidInput("line_no", "name the order line", code="required")
    if (item.lab_result_id is None) != (item.lab_version is None):
        raise InvalidInput(
            "lab_version", "send the result id and its version together", code="required"
        )
    if not item.value.strip():
        raise InvalidInput("value", "the result needs a value", code="required")


def check_sampling_date(sampling_date: date, *, now: datetime) -> None:
    check_not_after(sampling_date, today=today_in_stockholm(now))


def check_not_after(sampling_date: date, *, today: date) -> None:
    """`today` is Sweden's (today_in_stockholm): a batch works it out once, not per item."""
    if sampling_date > today:
        raise InvalidInput("sampling_date", "must not be in the future", code="in_future")


def check_sampled_within_order(sampling_date: date, order: OrderFacts) -> None:
    """SPEC §7 keys a result by order line + sampling date: the date is the day a sample of
    this order was taken, so it lies within the order's lifetime — not before the day the
    order was placed (in Sweden) and, by check_sampling_date, not after today. (Not only
    the order's recorded sampling day: a line may be sampled again, and each sampling has
    its own result.)"""
    if order.placed_at is not None:
        check_not_before_order(sampling_date, placed_at=order.placed_at)


def check_not_before_order(sampling_date: date, *, placed_at: datetime) -> None:
    """No sample of an order is older than the day it was placed (in Sweden)."""
    if sampling_date < today_in_stockholm(placed_at):
        raise InvalidInput(
            "sampling_date",
            "must not be before the order was placed "
            f"({today_in_stockholm(placed_at).isoformat()})",
            code="before_order",
        )


# --- what is stored, as the decision reads it ------------------------------------------------


@dataclass(frozen=True, slots=True)
class LineFacts:
    id: uuid.UUID
    line_no: int
    product_code: str
    product_name: str


@dataclass(frozen=True, slots=True)
class OrderFacts:
    """An order the actor may post results for, with its lines."""

    id: uuid.UUID
    rid: str
    status: OrderStatus
    laboratory_id: uuid.UUID
    lines: tuple[LineFacts, ...]
    # The care unit whose system receives the results (None: no recipient configured).
    recipient_care_unit_id: uuid.UUID | None = None
    # When the citizen placed it: no sample of it can be older (None: not known here).
    placed_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class StoredVersion:
    """One stored version of a result."""

    result_id: uuid.UUID
    line_id: uuid.UUID
    sampling_date: date
    version: int
    laboratory_id: uuid.UUID | None
    lab_result_id: str | None
    lab_version: int | None
    content_hash: bytes | None


@dataclass(frozen=True, slots=True)
class Decision:
    """What to do with one incoming result. For a stored outcome: the line, the version to
    store and a new result id; for a duplicate or superseded one, the result shown now."""

    outcome: Outcome
    order: OrderFacts | None = None
    line: LineFacts | None = None
    version: int | None = None
    result_id: uuid.UUID | None = None
    error: Exception | None = None


@dataclass
class _Known:
    """What the decisions of one batch know: what was stored plus what was accepted."""

    by_key: dict[tuple[uuid.UUID, date], list[StoredVersion]] = field(default_factory=dict)
    by_lab_id: dict[tuple[uuid.UUID, str], list[StoredVersion]] = field(default_factory=dict)

    def add(self, stored: StoredVersion) -> None:
        self.by_key.setdefault((stored.line_id, stored.sampling_date), []).append(stored)
        if stored.laboratory_id is not None and stored.lab_result_id is not None:
            self.by_lab_id.setdefault((stored.laboratory_id, stored.lab_result_id), []).append(
                stored
            )


def _find_line(
    item: IncomingResult, order: OrderFacts, mapped: Mapping[tuple[uuid.UUID, str], str]
) -> LineFacts:
    product = None
    if item.analysis_code:
        product = mapped.get((order.laboratory_id, item.analysis_code))
        if product is None:
            raise UnmappedAnalysisCode(item.analysis_code)
    if item.line_no is not None:
        line = next((x for x in order.lines if x.line_no == item.line_no), None)
        if line is None:
            raise OrderLineNotFound(f"the order {order.rid} has no line {item.line_no}")
        if product is not None and line.product_code != product:
            raise InvalidInput(
                "analysis_code",
                f"the analysis code {item.analysis_code!r} is not the analysis of line "
                f"{line.line_no} ({line.product_name})",
                code="analysis_code_not_of_line",
            )
        return line
    candidates = [x for x in order.lines if x.product_code == product]
    if not candidates:
        raise OrderLineNotFound(
            f"the order {order.rid} has no line for the analysis code {item.analysis_code!r}"
        )
    if len(candidates) > 1:
        raise InvalidInput(
            "line_no",
            f"the order has several lines for {item.analysis_code!r}: name the line",
            code="ambiguous_line",
        )
    return candidates[0]


def decide(
    items: Sequence[IncomingResult],
    *,
    orders: Mapping[str, OrderFacts],
    mapped: Mapping[tuple[uuid.UUID, str], str],
    stored: Sequence[StoredVersion],
    content_hashes: Sequence[bytes],
    now: datetime,
    new_id: Callable[[], uuid.UUID],
) -> list[Decision]:
    """Decides each item in order (a later item sees what an earlier one of the same batch
    stored). `orders` holds only the orders the actor may post for, by RID; `mapped` is the
    laboratories' analysis codes → national product codes; `content_hashes[i]` is a keyed
    hash of `items[i].content()`."""
    known = _Known()
    for version in stored:
        known.add(version)
    today = today_in_stockholm(now)
    decisions: list[Decision] = []
    for item, content_hash in zip(items, content_hashes, strict=True):
        try:
            decisions.append(
                _decide_one(item, content_hash, orders, mapped, known, today=today, new_id=new_id)
            )
        except (NotFound, Conflict, InvalidInput) as error:
            decisions.append(Decision(outcome=Outcome.REFUSED, error=error))
    return decisions


def _decide_one(
    item: IncomingResult,
    content_hash: bytes,
    orders: Mapping[str, OrderFacts],
    mapped: Mapping[tuple[uuid.UUID, str], str],
    known: _Known,
    *,
    today: date,
    new_id: Callable[[], uuid.UUID],
) -> Decision:
    require_laboratory_ids(item)
    check_not_after(item.sampling_date, today=today)
    order = orders.get(item.rid)
    if order is None:
        raise OrderNotFound(f"no order with the RID {item.rid} is yours")
    if order.status not in RECEIVABLE:
        raise OrderNotAwaitingResults(
            f"a {order.status.value} order receives no results", order_status=order.status.value
        )
    check_sampled_within_order(item.sampling_date, order)
    line = _find_line(item, order, mapped)
    versions = known.by_key.get((line.id, item.sampling_date), [])
    newest = max(versions, key=lambda v: v.version, default=None)
    if item.lab_result_id is not None and item.lab_version is not None:
        lab_key = (order.laboratory_id, item.lab_result_id)
        same_result = known.by_lab_id.get(lab_key, [])
        same = next((v for v in same_result if v.lab_version == item.lab_version), None)
        if same is not None:
            if same.line_id != line.id or same.sampling_date != item.sampling_date:
                raise ResultKeyTaken(
                    f"the result id {item.lab_result_id!r} belongs to another line or sampling date"
                )
            if same.content_hash != content_hash:
                raise ResultVersionConflict(
                    f"version {item.lab_version} of {item.lab_result_id!r} was received with "
                    "other content; send a correction as a new version"
                )
            return Decision(
                outcome=Outcome.DUPLICATE,
                order=order,
                line=line,
                version=same.version,
                result_id=same.result_id,
            )
        if any(v.line_id != line.id or v.sampling_date != item.sampling_date for v in same_result):
            raise ResultKeyTaken(
                f"the result id {item.lab_result_id!r} belongs to another line or sampling date"
            )
        others = [
            v
            for v in versions
            if v.lab_result_id is not None and (v.laboratory_id, v.lab_result_id) != lab_key
        ]
        if others:
            raise ResultKeyTaken(
                f"line {line.line_no} sampled {item.sampling_date.isoformat()} already has "
                f"a result ({others[0].lab_result_id!r}); correct that one with a new version"
            )
        newest_lab_version = max(
            (v.lab_version for v in same_result if v.lab_version is not None), default=None
        )
        if newest_lab_version is not None and item.lab_version < newest_lab_version:
            assert newest is not None
            return Decision(
                outcome=Outcome.SUPERSEDED,
                order=order,
                line=line,
                version=newest.version,
                result_id=newest.result_id,
            )
    version = (newest.version if newest else 0) + 1
    result_id = new_id()
    known.add(
        StoredVersion(
            result_id=result_id,
            line_id=line.id,
            sampling_date=item.sampling_date,
            version=version,
            laboratory_id=order.laboratory_id if item.lab_result_id else None,
            lab_result_id=item.lab_result_id,
            lab_version=item.lab_version,
            content_hash=content_hash,
        )
    )
    return Decision(
        outcome=Outcome.CREATED if version == 1 else Outcome.CORRECTED,
        order=order,
        line=line,
        version=version,
        result_id=result_id,
    )


def result_payload(item: IncomingResult, line: LineFacts) -> dict[str, Any]:
    """What is stored (encrypted) and shown to the citizen: the shape the citizen's order
    view reads (`values` with analysis, value, unit, reference range, flag; `comment`)."""
    return {
        "values": [
            {
                "analysis": line.product_name,
                "analysis_code": item.analysis_code,
                "value": item.value,
                "unit": item.unit,
                "reference_range": item.reference_range,
                "flag": item.abnormal_flag.value if item.abnormal_flag else None,
            }
        ],
        "comment": item.comment,
    }


class InvalidFhirResource(InvalidInput):
    """A FHIR resource sent to us that is not valid FHIR R4, or not the results this service
    takes (answered as a 422 OperationOutcome naming the FHIR expression)."""
