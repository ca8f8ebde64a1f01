from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import Field

from api.administration.fields import HsaId, Insight
from api.administration.offers.usecases import OfferView
from api.web.schemas import PlainText, RequestModel
from domain.result_registration import MAX_INSIGHT_TEXT


class QuestionIO(RequestModel):
    id: str = Field(pattern=r"^[A-Za-z0-9_-]{1,40}$")
    text: PlainText = Field(min_length=2, max_length=500)
    type: Literal["yes_no", "text"]
    required: bool


class OfferAsksIO(RequestModel):
    contact_details: bool = True
    delivery_address: bool = False
    order_key: bool = False
    sampling_datetime: bool = False
    questions: list[QuestionIO] = Field(default_factory=list, max_length=30)


class OfferIn(RequestModel):
    name: PlainText = Field(min_length=2, max_length=200)
    instructions: str = Field(min_length=1, max_length=20000)
    region_code: str = Field(min_length=2, max_length=2)
    sampling_method: Literal["site_booking", "site_drop_in", "home_kit", "anonymous_kit"]
    visibility: Literal["personal", "general", "nationwide"]
    products: list[str] = Field(min_length=1, max_length=30)
    validity_days: int = Field(ge=1, le=730)
    result_care_unit_hsa_id: HsaId
    min_age: int | None = Field(default=None, ge=0, le=120)
    max_age: int | None = Field(default=None, ge=0, le=120)
    sex: Literal["F", "M"] | None = None
    usage_limit: int | None = Field(default=None, ge=1, le=1000)
    usage_period_days: int | None = Field(default=None, ge=1, le=3650)
    active_from: date | None = None
    active_until: date | None = None
    asks: OfferAsksIO = Field(default_factory=OfferAsksIO)
    assigning_units: list[str] = Field(default_factory=list, max_length=500)
    insight_texts: dict[Insight, Annotated[PlainText, Field(max_length=MAX_INSIGHT_TEXT)]] = Field(
        default_factory=dict,
        description="The citizen's text per insight for this offer's results (Positivt, "
        "Negativt, Tekniskt fel, Svar); an insight without one shows the default text, a "
        "result template's own text goes first",
    )


class OfferOut(OfferIn):
    catalog_id: str
    version: int
    retired: bool

    @classmethod
    def of(cls, view: OfferView) -> OfferOut:
        offer = view.offer
        return cls(
            catalog_id=offer.catalog_id,
            version=offer.version,
            retired=offer.retired_at is not None,
            name=offer.name,
            instructions=offer.instructions,
            region_code=offer.region_code,
            sampling_method=offer.sampling_method,
            visibility=offer.visibility,
            products=view.products,
            validity_days=offer.validity_days,
            result_care_unit_hsa_id=view.result_care_unit_hsa_id,
            min_age=offer.min_age,
            max_age=offer.max_age,
            sex=offer.sex,
            usage_limit=offer.usage_limit,
            usage_period_days=offer.usage_period_days,
            active_from=offer.active_from,
            active_until=offer.active_until,
            asks=OfferAsksIO(**offer.asks),
            assigning_units=view.assigning_units,
            insight_texts=offer.insight_texts or {},
        )
