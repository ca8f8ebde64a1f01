from __future__ import annotations

import uuid
from datetime import date, datetime, time

from pydantic import BaseModel, Field

from adapters.db.models import SamplingUnit
from api.administration.fields import HsaId
from api.web.schemas import PlainText, RequestModel


class SamplingUnitIn(RequestModel):
    hsa_id: HsaId
    name: PlainText = Field(min_length=2, max_length=200)
    region_code: str = Field(min_length=2, max_length=2)
    street: PlainText = Field(min_length=2, max_length=200)
    postal_code: str = Field(pattern=r"^\d{3} ?\d{2}$")
    city: PlainText = Field(min_length=2, max_length=100)
    opening_hours: PlainText | None = Field(default=None, max_length=500)
    laboratory_codes: list[str] = Field(min_length=1, max_length=20)


class SamplingUnitOut(SamplingUnitIn):
    # What is stored is shown as it is: a unit may serve no laboratory yet (made before the
    # rule, or linked to its care unit by a migration), and a list must not fail on it.
    laboratory_codes: list[str] = Field(max_length=20)
    id: uuid.UUID
    retired: bool
    version: int

    @classmethod
    def of(cls, unit: SamplingUnit, laboratory_codes: list[str]) -> SamplingUnitOut:
        return cls(
            id=unit.id,
            hsa_id=unit.hsa_id,
            name=unit.name,
            region_code=unit.region_code,
            street=unit.street,
            postal_code=unit.postal_code,
            city=unit.city,
            opening_hours=unit.opening_hours,
            laboratory_codes=laboratory_codes,
            retired=unit.retired_at is not None,
            version=unit.version,
        )


class SlotRuleIn(RequestModel):
    first_day: date
    last_day: date
    weekdays: list[int] = Field(min_length=1, max_length=7)
    start: time
    end: time
    minutes: int = Field(ge=5, le=240)
    capacity: int = Field(ge=1, le=100)
    closed_days: list[date] = Field(default_factory=list, max_length=366)


class SlotsCreated(BaseModel):
    created: int


class SlotAdminOut(BaseModel):
    id: uuid.UUID
    starts_at: datetime
    ends_at: datetime
    capacity: int
    booked: int


class ClosedDayIn(RequestModel):
    day: date
