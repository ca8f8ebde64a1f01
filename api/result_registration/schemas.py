from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from adapters.db.repositories.result_registration import (
    LogRow,
    RegistrationOrderRow,
    ResultVersionRow,
    TemplateRow,
)
from api.result_registration.usecases import CareUnit, OpenedOrder, Registered
from api.web.schemas import RequestModel
from domain.codes import formatted
from domain.identity_numbers import PersonalIdentityNumber

InsightOut = Literal["positive", "negative", "technical_error", "answer"]
OrderStatusOut = Literal[
    "ordered", "handled", "sampled", "answered", "cancelled", "expired", "rejected"
]
SamplingMethodOut = Literal["site_booking", "site_drop_in", "home_kit", "anonymous_kit"]


class RegistrationSearchIn(RequestModel):
    """One of the two; in the body, never in the URL."""

    personnummer: str | None = Field(default=None, min_length=10, max_length=13)
    rid: str | None = Field(
        default=None,
        min_length=4,
        max_length=20,
        description="The RID of an anonymous kit, as printed (dashes and spaces allowed)",
    )


class RegistrationUnitOut(BaseModel):
    hsa_id: str
    name: str

    @classmethod
    def of(cls, unit: CareUnit) -> RegistrationUnitOut:
        return cls(hsa_id=unit.hsa_id, name=unit.name)


class RegistrationPatientOut(BaseModel):
    personnummer: str
    name: str | None

    @classmethod
    def of(cls, personnummer: str, name: str | None) -> RegistrationPatientOut:
        return cls(personnummer=PersonalIdentityNumber(personnummer).formatted, name=name)


class RegistrationOrderSummary(BaseModel):
    id: uuid.UUID
    rid: str
    version: int = Field(description="Send as If-Match when registering a result")
    status: OrderStatusOut
    offer_name: str
    catalog_id: str
    sampling_method: SamplingMethodOut
    created_at: datetime
    sampled_at: datetime | None
    answered_at: datetime | None
    laboratory_code: str | None
    laboratory_name: str | None
    results: int = Field(description="Result versions stored for the order (all lines)")

    @classmethod
    def of(cls, order: RegistrationOrderRow) -> RegistrationOrderSummary:
        return cls.model_validate(
            {
                "id": order.id,
                "rid": formatted(order.rid),
                "version": order.version,
                "status": order.status,
                "offer_name": order.offer_name,
                "catalog_id": order.catalog_id,
                "sampling_method": order.sampling_method,
                "created_at": order.created_at,
                "sampled_at": order.sampled_at,
                "answered_at": order.answered_at,
                "laboratory_code": order.laboratory_code,
                "laboratory_name": order.laboratory_name,
                "results": order.results,
            }
        )


class RegistrationSearchOut(BaseModel):
    care_unit: RegistrationUnitOut
    patient: RegistrationPatientOut | None
    orders: list[RegistrationOrderSummary]


class RegisteredValueOut(BaseModel):
    analysis: str
    value: str
    unit: str | None = None
    reference_range: str | None = None


class RegistrationResultOut(BaseModel):
    """One version of a line's result."""

    result_id: uuid.UUID
    sampling_date: date
    version: int
    corrected: bool
    insight: InsightOut | None
    values: list[RegisteredValueOut]
    comment: str | None
    received_at: datetime
    read_at: datetime | None
    source: Literal["electronic", "manual"]
    registered_by_hsa_id: str | None
    registered_by_name: str | None
    template_name: str | None

    @classmethod
    def of(cls, row: ResultVersionRow) -> RegistrationResultOut:
        values: list[dict[str, Any]] = row.payload.get("values", [])
        return cls.model_validate(
            {
                "result_id": row.result_id,
                "sampling_date": row.sampling_date,
                "version": row.version,
                "corrected": row.version > 1,
                "insight": row.insight,
                "values": [
                    {
                        "analysis": v.get("analysis") or "",
                        "value": v.get("value") or "",
                        "unit": v.get("unit"),
                        "reference_range": v.get("reference_range"),
                    }
                    for v in values
                ],
                "comment": row.payload.get("comment"),
                "received_at": row.received_at,
                "read_at": row.read_at,
                "source": row.source,
                "registered_by_hsa_id": row.registered_by_hsa_id,
                "registered_by_name": row.registered_by_name,
                "template_name": row.template_name,
            }
        )


class RegistrationLineOut(BaseModel):
    line_no: int
    product_code: str
    product_name: str
    result: RegistrationResultOut | None = Field(description="The version shown now")
    versions: list[RegistrationResultOut] = Field(
        description="Every version, newest first (corrections)"
    )


class TemplateAnalysisOut(BaseModel):
    analysis: str
    unit: str | None
    reference_range: str | None
    value: str | None
    insight: InsightOut | None = Field(
        description="The insight a line this analysis prefills starts with (null: the template's)"
    )


class RegistrationTemplateOut(BaseModel):
    id: uuid.UUID
    name: str
    laboratory_code: str
    laboratory_name: str
    insight: InsightOut | None = Field(
        description="The insight of the lines whose analysis has none of its own"
    )
    analyses: list[TemplateAnalysisOut]
    default_comment: str | None

    @classmethod
    def of(cls, row: TemplateRow) -> RegistrationTemplateOut:
        template = row.template
        return cls.model_validate(
            {
                "id": template.id,
                "name": template.name,
                "laboratory_code": row.laboratory_code,
                "laboratory_name": row.laboratory_name,
                "insight": template.insight.value if template.insight else None,
                "analyses": [
                    {
                        "analysis": a.analysis,
                        "unit": a.unit,
                        "reference_range": a.reference_range,
                        "value": a.value,
                        "insight": a.insight.value if a.insight else None,
                    }
                    for a in template.analyses
                ],
                "default_comment": template.default_comment,
            }
        )


class RegistrationOrderOut(BaseModel):
    care_unit: RegistrationUnitOut
    patient: RegistrationPatientOut
    order: RegistrationOrderSummary
    lines: list[RegistrationLineOut]
    templates: list[RegistrationTemplateOut] = Field(
        description="The result templates (svarsmallar) the order may be answered with"
    )
    sampling_date_locked: date | None = Field(
        description="The sampling date of the results registered: every later registration "
        "(a correction) uses it; it cannot be changed"
    )
    suggested_sampling_date: date | None = Field(
        description="The date to prefill: the locked one, else the day the order was sampled"
    )

    @classmethod
    def of(cls, opened: OpenedOrder) -> RegistrationOrderOut:
        return cls(
            care_unit=RegistrationUnitOut.of(opened.unit),
            patient=RegistrationPatientOut.of(opened.order.personnummer, opened.name),
            order=RegistrationOrderSummary.of(opened.order),
            lines=[
                RegistrationLineOut(
                    line_no=line.line_no,
                    product_code=line.product_code,
                    product_name=line.product_name,
                    result=RegistrationResultOut.of(line.versions[0]) if line.versions else None,
                    versions=[RegistrationResultOut.of(v) for v in line.versions],
                )
                for line in opened.lines
            ],
            templates=[RegistrationTemplateOut.of(t) for t in opened.templates],
            sampling_date_locked=opened.locked_sampling_date,
            suggested_sampling_date=opened.suggested_sampling_date,
        )


class RegistrationOutcomeOut(RegistrationOrderOut):
    registered: list[uuid.UUID] = Field(description="The result versions stored")
    corrected: bool = Field(description="Whether they corrected earlier versions")

    @classmethod
    def of_registered(cls, registered: Registered) -> RegistrationOutcomeOut:
        base = RegistrationOrderOut.of(registered.opened)
        return cls(
            **base.model_dump(),
            registered=registered.result_ids,
            corrected=registered.corrected,
        )


class RegisterValueIn(RequestModel):
    line_no: int = Field(ge=1, le=100)
    # A lab value may be "<0,5": plain text, shown escaped.
    value: str = Field(min_length=1, max_length=200)
    unit: str | None = Field(default=None, max_length=40)
    reference_range: str | None = Field(default=None, max_length=100)
    insight: InsightOut | None = Field(
        description="The line's insight (null: none). The form starts with the template "
        "analysis's insight, else the template's; staff may change it, as the value: a "
        "negative line of a positive template is registered negative"
    )


class RegisterResultIn(RequestModel):
    template_id: uuid.UUID
    sampling_date: date = Field(
        description="The day the sample was taken (Idag: today); never in the future, and "
        "the date of the results already registered for the order"
    )
    comment: str | None = Field(default=None, max_length=2000)
    values: list[RegisterValueIn] = Field(
        min_length=1, max_length=100, description="A result per order line to answer"
    )


class ResultLogSearchIn(RequestModel):
    """Svarslogg search: by personnummer or RID (in the body, never in the URL), within
    dates."""

    personnummer: str | None = Field(default=None, min_length=10, max_length=13)
    rid: str | None = Field(default=None, min_length=4, max_length=20)
    from_date: date | None = None
    to_date: date | None = None
    page: int = Field(default=1, ge=1)
    page_size: int = Field(default=50, ge=1, le=200)


class ResultLogEntryOut(BaseModel):
    result_id: uuid.UUID
    order_id: uuid.UUID
    rid: str
    patient: RegistrationPatientOut
    offer_name: str
    line_no: int
    product_name: str
    sampling_date: date
    version: int
    corrected: bool
    insight: InsightOut | None
    template_name: str | None
    registered_by_hsa_id: str | None
    registered_by_name: str | None
    registered_at: datetime

    @classmethod
    def of(cls, row: LogRow, name: str | None) -> ResultLogEntryOut:
        return cls.model_validate(
            {
                "result_id": row.result_id,
                "order_id": row.order_id,
                "rid": formatted(row.rid),
                "patient": RegistrationPatientOut.of(row.personnummer, name),
                "offer_name": row.offer_name,
                "line_no": row.line_no,
                "product_name": row.product_name,
                "sampling_date": row.sampling_date,
                "version": row.version,
                "corrected": row.version > 1,
                "insight": row.insight,
                "template_name": row.template_name,
                "registered_by_hsa_id": row.registered_by_hsa_id,
                "registered_by_name": row.registered_by_name,
                "registered_at": row.registered_at,
            }
        )


class ResultLogPage(BaseModel):
    total: int = Field(description="Matching results, counted up to 1,000")
    total_capped: bool = Field(description="True when there are more than `total`")
    page: int
    page_size: int
    items: list[ResultLogEntryOut]
