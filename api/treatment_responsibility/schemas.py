from __future__ import annotations

import uuid
from datetime import date, datetime

from pydantic import BaseModel, Field

from adapters.db.repositories.worklist import TakeoverRow
from api.treatment_responsibility.usecases import PatientResults, PositiveResult, Takeover
from api.web.schemas import RequestModel
from domain.identity_numbers import PersonalIdentityNumber


class TreatmentSearchIn(RequestModel):
    # In the body, never in the URL.
    personnummer: str = Field(min_length=10, max_length=13)


class TreatmentTakeoverIn(RequestModel):
    personnummer: str = Field(
        min_length=10, max_length=13, description="The patient the result belongs to"
    )
    result_id: uuid.UUID = Field(description="A result's id from the search")


class TreatmentPatientOut(BaseModel):
    personnummer: str
    name: str


class TreatmentTakeoverRecord(BaseModel):
    taken_by_hsa_id: str
    taken_by_name: str | None
    care_unit_hsa_id: str
    care_unit_name: str
    taken_at: datetime

    @classmethod
    def of(cls, row: TakeoverRow) -> TreatmentTakeoverRecord:
        return cls(
            taken_by_hsa_id=row.taken_by_hsa_id,
            taken_by_name=row.taken_by_name,
            care_unit_hsa_id=row.care_unit_hsa_id,
            care_unit_name=row.care_unit_name,
            taken_at=row.taken_at,
        )


class TreatmentResultOut(BaseModel):
    """A positive result of a contact-tracing product (its newest version positive)."""

    id: uuid.UUID = Field(
        description="The result's id (its order line: the same through corrections)"
    )
    offer_name: str
    product_name: str
    sampling_date: date
    result_at: datetime
    result_care_unit_hsa_id: str | None = Field(
        description="The care unit following the result up (the STD clinic)"
    )
    result_care_unit_name: str | None
    takeovers: list[TreatmentTakeoverRecord]

    @classmethod
    def of(cls, result: PositiveResult) -> TreatmentResultOut:
        row = result.row
        return cls(
            id=row.line_id,
            offer_name=row.offer_name,
            product_name=row.product_name,
            sampling_date=row.sampling_date,
            result_at=row.result_at,
            result_care_unit_hsa_id=row.result_care_unit_hsa_id,
            result_care_unit_name=row.result_care_unit_name,
            takeovers=[TreatmentTakeoverRecord.of(t) for t in result.takeovers],
        )


class TreatmentSearchOut(BaseModel):
    patient: TreatmentPatientOut
    results: list[TreatmentResultOut]

    @classmethod
    def of(cls, found: PatientResults) -> TreatmentSearchOut:
        return cls(
            patient=TreatmentPatientOut(
                personnummer=PersonalIdentityNumber(found.person.personnummer.value).formatted,
                name=found.person.full_name,
            ),
            results=[TreatmentResultOut.of(r) for r in found.results],
        )


class TreatmentTakeoverOut(BaseModel):
    already_taken_over: bool = Field(
        description="Your care unit had taken over this result before: nothing new was "
        "registered (`takeover` is that record)"
    )
    takeover: TreatmentTakeoverRecord
    result: TreatmentResultOut

    @classmethod
    def of(cls, made: Takeover) -> TreatmentTakeoverOut:
        return cls(
            already_taken_over=made.outcome.value == "already_taken_over",
            takeover=TreatmentTakeoverRecord.of(made.takeover),
            result=TreatmentResultOut.of(made.result),
        )
