from __future__ import annotations

from pydantic import BaseModel, Field

from api.administration.care_units.usecases import CareUnitView
from api.administration.fields import HsaId, Insight
from api.web.schemas import PlainText, RequestModel
from domain.regions import REGIONS


class CareUnitOut(BaseModel):
    hsa_id: str
    name: str
    region_code: str
    region_name: str
    care_giver_hsa_id: str
    care_giver_name: str
    result_recipient_hsa_id: str | None
    worklist_insights: list[Insight]
    assignable_offers: list[str]
    retired: bool
    version: int

    @classmethod
    def of(cls, view: CareUnitView) -> CareUnitOut:
        unit = view.unit
        return cls(
            hsa_id=unit.hsa_id,
            name=unit.name,
            region_code=unit.region_code,
            region_name=REGIONS[unit.region_code],
            care_giver_hsa_id=unit.care_giver_hsa_id,
            care_giver_name=unit.care_giver_name,
            result_recipient_hsa_id=unit.result_recipient_hsa_id,
            worklist_insights=list(unit.worklist_insights),
            assignable_offers=view.assignable_offers,
            retired=unit.retired_at is not None,
            version=unit.version,
        )


class CareUnitSummary(BaseModel):
    hsa_id: str
    name: str
    region_code: str
    region_name: str
    care_giver_name: str
    retired: bool


class CareUnitCreate(RequestModel):
    hsa_id: HsaId
    name: PlainText = Field(min_length=2, max_length=200)
    region_code: str = Field(min_length=2, max_length=2)
    care_giver_hsa_id: HsaId
    care_giver_name: PlainText = Field(min_length=2, max_length=200)
    result_recipient_hsa_id: HsaId | None = None
    worklist_insights: list[Insight] = Field(default_factory=list, max_length=4)


class CareUnitUpdate(RequestModel):
    name: PlainText = Field(min_length=2, max_length=200)
    care_giver_name: PlainText = Field(min_length=2, max_length=200)
    result_recipient_hsa_id: HsaId | None = None
    worklist_insights: list[Insight] = Field(default_factory=list, max_length=4)
    assignable_offers: list[str] = Field(default_factory=list, max_length=500)
