from __future__ import annotations

import uuid

from pydantic import BaseModel, Field

from adapters.db.models import ResultTemplate
from api.administration.fields import Insight
from api.administration.laboratories.usecases import LaboratoryView
from api.web.schemas import PlainText, RequestModel
from domain.result_registration import MAX_INSIGHT_TEXT


class MappingIO(RequestModel):
    product_code: str = Field(min_length=1, max_length=32)
    lab_code: PlainText = Field(min_length=1, max_length=32)
    tube_code: PlainText = Field(min_length=1, max_length=32)
    material: PlainText = Field(min_length=1, max_length=100)


class LaboratoryCreate(RequestModel):
    code: str = Field(pattern=r"^[A-Z0-9-]{2,32}$")
    name: PlainText = Field(min_length=2, max_length=200)
    region_code: str = Field(min_length=2, max_length=2)
    label_template_zpl: str | None = Field(default=None, max_length=8000)


class LaboratoryUpdate(RequestModel):
    name: PlainText = Field(min_length=2, max_length=200)
    label_template_zpl: str | None = Field(default=None, max_length=8000)
    customers: list[str] = Field(default_factory=list, max_length=500)
    mappings: list[MappingIO] = Field(default_factory=list, max_length=500)


class LaboratoryOut(BaseModel):
    code: str
    name: str
    region_code: str
    label_template_zpl: str | None
    customers: list[str]
    mappings: list[MappingIO]
    retired: bool
    version: int

    @classmethod
    def of(cls, view: LaboratoryView) -> LaboratoryOut:
        lab = view.laboratory
        return cls(
            code=lab.code,
            name=lab.name,
            region_code=lab.region_code,
            label_template_zpl=lab.label_template_zpl,
            customers=view.customers,
            mappings=[
                MappingIO(
                    product_code=x.product_code,
                    lab_code=x.lab_code,
                    tube_code=x.tube_code,
                    material=x.material,
                )
                for x in view.mappings
            ],
            retired=lab.retired_at is not None,
            version=lab.version,
        )


class AnalysisIO(RequestModel):
    analysis: PlainText = Field(min_length=1, max_length=200)
    unit: PlainText | None = Field(default=None, max_length=40)
    reference_range: str | None = Field(default=None, max_length=100)
    # A value may be "<0,5" (a lab value below the limit of detection): plain str.
    value: str | None = Field(
        default=None,
        max_length=200,
        description="The result the template prefills (e.g. 'Ej påvisad'); staff may change "
        "it when registering",
    )
    insight: Insight | None = Field(
        default=None,
        description="The insight the line this analysis prefills starts with, when it is not "
        "the template's (e.g. the 'Ej påvisad' gonorrhoea analysis of a chlamydia-positive "
        "template: negative); staff may change it when registering",
    )


class ResultTemplateIn(RequestModel):
    name: PlainText = Field(min_length=2, max_length=200)
    analyses: list[AnalysisIO] = Field(min_length=1, max_length=50)
    default_comment: str | None = Field(default=None, max_length=2000)
    insight: Insight | None = None
    insight_text: PlainText | None = Field(
        default=None,
        max_length=MAX_INSIGHT_TEXT,
        description="What the citizen reads for this template's insight, over the offer's "
        "text and the default",
    )


class ResultTemplateOut(ResultTemplateIn):
    id: uuid.UUID
    laboratory_code: str
    version: int

    @classmethod
    def of(cls, template: ResultTemplate, laboratory_code: str) -> ResultTemplateOut:
        return cls(
            id=template.id,
            laboratory_code=laboratory_code,
            name=template.name,
            analyses=[AnalysisIO(**a) for a in template.analyses],
            default_comment=template.default_comment,
            insight=template.insight,
            insight_text=template.insight_text,
            version=template.version,
        )
