"""The contract of Smittspårning. Deliberately without any field of a result: the privacy
test walks every answer of this module for insights and values."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Literal

from pydantic import BaseModel, Field

from api.contact_tracing.usecases import TracedTest, TracingResult
from api.web.schemas import RequestModel
from domain.identity_numbers import PersonalIdentityNumber


class ContactTracingSearchIn(RequestModel):
    # In the body, never in the URL.
    personnummer: str = Field(min_length=10, max_length=13)


class ContactTracingPatientOut(BaseModel):
    personnummer: str
    name: str


class ContactTracingHomeTest(BaseModel):
    """A home test: when ordered, sampled and answered — never what the answer was."""

    order_id: uuid.UUID
    offer_name: str
    sampling_method: Literal["home_kit", "anonymous_kit"]
    tested_for: list[str] = Field(description="The contact-tracing analyses of the test")
    state: Literal["ordered", "sampled", "answered", "cancelled", "expired", "rejected"]
    ordered_on: date
    sampled_on: date | None
    answered: bool = Field(description="A laboratory answer has come (whatever it says)")
    answered_on: date | None

    @classmethod
    def of(cls, traced: TracedTest) -> ContactTracingHomeTest:
        row, test = traced.row, traced.test
        return cls(
            order_id=row.order_id,
            offer_name=row.offer_name,
            sampling_method=row.sampling_method,
            tested_for=list(row.products),
            state=test.state.value,
            ordered_on=test.ordered_on,
            sampled_on=test.sampled_on,
            answered=test.answered,
            answered_on=test.answered_on,
        )


class ContactTracingOut(BaseModel):
    patient: ContactTracingPatientOut
    home_tests: list[ContactTracingHomeTest]

    @classmethod
    def of(cls, found: TracingResult) -> ContactTracingOut:
        return cls(
            patient=ContactTracingPatientOut(
                personnummer=PersonalIdentityNumber(found.person.personnummer.value).formatted,
                name=found.person.full_name,
            ),
            home_tests=[ContactTracingHomeTest.of(t) for t in found.tests],
        )
