"""The integration API's contract (what other organisations program against): versioned
under /api/integration/v1, every model with examples."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import Header
from pydantic import BaseModel, ConfigDict, Field

from adapters.db.repositories.integration_deliveries import IntegrationOrder
from adapters.integration_tokens import IssuedToken
from api.web.schemas import RequestModel

IntegrationIdempotencyKey = Annotated[
    str,
    Header(
        alias="Idempotency-Key",
        min_length=8,
        max_length=100,
        pattern=r"^[A-Za-z0-9_.:-]+$",
        description="A unique key per intended change (e.g. a UUID). A retry with the same key "
        "and the same request gets the first call's answer (as things are now) and changes "
        "nothing again; the same key with a different request is 409 idempotency-key-reused. "
        "Keys are per client.",
        examples=["4f1c2a9e-8d3b-4c55-9a61-2f0e5b7d9c10"],
    ),
]

ORDER_EXAMPLE: dict[str, Any] = {
    "id": "0b6c1c1e-3f7e-4a55-8f0a-6d2b1f9e4a21",
    "rid": "RID4K7Q2M9X",
    "status": "sampled",
    "version": 3,
    "personnummer": "191212121212",
    "catalog_id": "1001",
    "sampling_method": "site_booking",
    "created_at": "2026-12-01T08:12:00Z",
    "handled_at": "2026-12-01T09:30:00Z",
    "expires_at": "2026-12-31T09:30:00Z",
    "sampled_at": "2026-12-01T09:30:00Z",
    "answered_at": None,
    "cancelled_at": None,
    "rejected_at": None,
    "rejection_reason": None,
    "booked_start": "2026-12-01T09:20:00Z",
    "updated_at": "2026-12-01T09:30:00Z",
    "laboratory": {"code": "KS-LAB", "name": "Karolinska Universitetslaboratoriet"},
    "sampling_unit": {"hsa_id": "SE2321000016-PT01", "name": "Provtagning Huddinge"},
    "result_recipient": {"hsa_id": "SE2321000016-VC01", "name": "Vårdcentral Huddinge"},
    "lines": [
        {
            "line_no": 1,
            "product_code": "CT-NAAT",
            "product_name": "Klamydia NAAT",
            "lab_code": "KS-CT01",
            "tube_code": "UR-GUL",
            "material": "Urin",
        }
    ],
    "lease": None,
}


class LaboratoryRefOut(BaseModel):
    code: str
    name: str


class UnitRefOut(BaseModel):
    hsa_id: str
    name: str


class IntegrationOrderLineOut(BaseModel):
    line_no: int
    product_code: str = Field(description="The national product code")
    product_name: str
    lab_code: str | None = Field(
        description="The laboratory's own code for the product (None before a laboratory "
        "is chosen, i.e. before Provtagen)"
    )
    tube_code: str | None = Field(description="The laboratory's tube code (rörkod)")
    material: str | None


class LeaseOut(BaseModel):
    lease_id: str = Field(description="Acknowledge the order with this (POST /orders/ack)")
    leased_until: datetime = Field(
        description="Nobody else is handed the order before then; unacknowledged, it is "
        "handed out again after it"
    )


class IntegrationOrderOut(BaseModel):
    """An order as integration clients see it: the citizen, the products in the
    laboratory's codes with tube codes, the sampling time, the RID and the result
    recipient."""

    model_config = ConfigDict(json_schema_extra={"examples": [ORDER_EXAMPLE]})

    id: uuid.UUID
    rid: str = Field(description="The order's remiss/label id (on every tube label)")
    status: Literal["ordered", "handled", "sampled", "answered", "cancelled", "expired", "rejected"]
    version: int
    personnummer: str = Field(description="The citizen (12 digits)")
    catalog_id: str = Field(description="The offer's catalog id")
    sampling_method: Literal["site_booking", "site_drop_in", "home_kit", "anonymous_kit"]
    created_at: datetime
    handled_at: datetime | None
    expires_at: datetime | None
    sampled_at: datetime | None = Field(description="The sampling time (Provtagen)")
    answered_at: datetime | None
    cancelled_at: datetime | None
    rejected_at: datetime | None
    rejection_reason: str | None
    booked_start: datetime | None
    updated_at: datetime = Field(description="When the order last changed status")
    laboratory: LaboratoryRefOut | None
    sampling_unit: UnitRefOut | None
    result_recipient: UnitRefOut | None = Field(
        description="The care unit that receives the results (svarsmottagare)"
    )
    lines: list[IntegrationOrderLineOut]
    lease: LeaseOut | None = Field(default=None, description="Set on orders handed out by a claim")

    @classmethod
    def of(cls, order: IntegrationOrder, *, lease_id: str | None = None) -> IntegrationOrderOut:
        return cls.model_validate(order_document(order, lease_id=lease_id))


def _time(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def order_document(order: IntegrationOrder, *, lease_id: str | None = None) -> dict[str, Any]:
    """The order as IntegrationOrderOut's JSON, built directly: a claim renders hundreds at
    once, and this is what it answers without a model per field (tests validate claimed
    orders against IntegrationOrderOut)."""
    return {
        "id": str(order.id),
        "rid": order.rid,
        "status": order.status,
        "version": order.version,
        "personnummer": order.personnummer,
        "catalog_id": order.catalog_id,
        "sampling_method": order.sampling_method,
        "created_at": _time(order.created_at),
        "handled_at": _time(order.handled_at),
        "expires_at": _time(order.expires_at),
        "sampled_at": _time(order.sampled_at),
        "answered_at": _time(order.answered_at),
        "cancelled_at": _time(order.cancelled_at),
        "rejected_at": _time(order.rejected_at),
        "rejection_reason": order.rejection_reason,
        "booked_start": _time(order.booked_start),
        "updated_at": _time(order.changed_at),
        "laboratory": {"code": order.laboratory_code, "name": order.laboratory_name}
        if order.laboratory_code and order.laboratory_name
        else None,
        "sampling_unit": {"hsa_id": order.sampling_unit_hsa_id, "name": order.sampling_unit_name}
        if order.sampling_unit_hsa_id and order.sampling_unit_name
        else None,
        "result_recipient": {"hsa_id": order.recipient_hsa_id, "name": order.recipient_name}
        if order.recipient_hsa_id and order.recipient_name
        else None,
        "lines": [
            {
                "line_no": line.line_no,
                "product_code": line.product_code,
                "product_name": line.product_name,
                "lab_code": line.lab_code,
                "tube_code": line.tube_code,
                "material": line.material,
            }
            for line in order.lines
        ],
        "lease": {"lease_id": lease_id, "leased_until": _time(order.leased_until)}
        if lease_id is not None and order.leased_until is not None
        else None,
    }


class OrderPageOut(BaseModel):
    orders: list[IntegrationOrderOut]
    next_cursor: str | None = Field(
        description="Pass as `cursor` for the next page; None on the last page"
    )


class ClaimIn(RequestModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"limit": 100, "lease_seconds": 120}]}
    )

    limit: int | None = Field(
        default=None,
        description="How many orders at most (default 100; the server's maximum "
        "is in the 422 when exceeded)",
    )
    lease_seconds: int | None = Field(
        default=None,
        description="How long the orders are held for this caller (default and maximum are "
        "the server's configuration)",
    )


class ClaimOut(BaseModel):
    leased_until: datetime
    orders: list[IntegrationOrderOut] = Field(
        description="Oldest first; each carries its lease_id. Empty: nothing is waiting"
    )


class AckIn(RequestModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"lease_ids": ["C1fHtT3vQmK2fF1m0x9Zbw8LHB4-fkpVjwptKx-eSiE"]}]
        },
    )

    lease_ids: list[Annotated[str, Field(min_length=1, max_length=64)]] = Field(
        min_length=1, max_length=5000
    )


class AckItemOut(BaseModel):
    lease_id: str
    order_id: uuid.UUID
    acknowledged: bool = Field(
        description="False when the lease ran out and the order was handed out again since "
        "(the poller holding it now acknowledges it)"
    )


class AckOut(BaseModel):
    acknowledged: int
    results: list[AckItemOut]


class HandledIn(RequestModel):
    model_config = ConfigDict(extra="forbid")
    status: Literal["handled"]


class SampledIn(RequestModel):
    model_config = ConfigDict(extra="forbid")
    status: Literal["sampled"]
    sampled_at: datetime = Field(
        description="The sampling time from the sampling system (with a time zone; never in "
        "the future, never before the order)"
    )
    laboratory_code: str | None = Field(
        default=None,
        max_length=32,
        description="The laboratory that analyses the sample; required when the order has none yet",
    )


class RejectedIn(RequestModel):
    model_config = ConfigDict(extra="forbid")
    status: Literal["rejected"]
    reason: str = Field(min_length=1, max_length=500, description="Why (shown to staff)")


StatusIn = Annotated[HandledIn | SampledIn | RejectedIn, Field(discriminator="status")]

STATUS_EXAMPLES = {
    "handled": {"summary": "Hanterad (starts the validity)", "value": {"status": "handled"}},
    "sampled": {
        "summary": "Provtagen",
        "value": {
            "status": "sampled",
            "sampled_at": "2026-12-01T09:30:00+01:00",
            "laboratory_code": "KS-LAB",
        },
    },
    "rejected": {
        "summary": "Avvisad",
        "value": {"status": "rejected", "reason": "Provet hemolyserat"},
    },
}


class TokenOut(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "access_token": "eyJhbGciOiJIUzI1NiIsInR5cCI6ImF0K2p3dCJ9…",
                    "token_type": "Bearer",
                    "expires_in": 300,
                    "scope": "orders:read orders:write",
                }
            ]
        }
    )

    access_token: str
    token_type: Literal["Bearer"] = "Bearer"
    expires_in: int
    scope: str

    @classmethod
    def of(cls, issued: IssuedToken) -> TokenOut:
        return cls(
            access_token=issued.access_token,
            expires_in=issued.expires_in,
            scope=" ".join(sorted(issued.scopes)),
        )


class OAuthErrorOut(BaseModel):
    """RFC 6749 §5.2."""

    error: Literal[
        "invalid_request",
        "invalid_client",
        "invalid_grant",
        "unauthorized_client",
        "unsupported_grant_type",
        "invalid_scope",
    ]
    error_description: str | None = None
