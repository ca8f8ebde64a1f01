"""Laboratories: customers, product mappings, label and result templates."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from fastapi import APIRouter, Response
from pydantic import BaseModel, Field

from adapters.db import models as m
from adapters.db.uow import UnitOfWork
from api.routes.administration.common import (
    IfMatch,
    Insight,
    audit,
    check_version,
    etag,
    guarded,
    regions_filter,
    require_known_region,
    scope_of,
)
from api.services import Services
from api.web.deps import ServicesDep, Staff, StaffSession
from domain.administration import (
    ConfigurationNotFound,
    InvalidConfiguration,
    require_active,
    require_region,
)
from domain.labels import validate_label_template

router = APIRouter()


class MappingIO(BaseModel):
    product_code: str = Field(min_length=1, max_length=32)
    lab_code: str = Field(min_length=1, max_length=32)
    tube_code: str = Field(min_length=1, max_length=32)
    material: str = Field(min_length=1, max_length=100)


class LaboratoryCreate(BaseModel):
    code: str = Field(pattern=r"^[A-Z0-9-]{2,32}$")
    name: str = Field(min_length=2, max_length=200)
    region_code: str = Field(min_length=2, max_length=2)
    label_template_zpl: str | None = Field(default=None, max_length=8000)


class LaboratoryUpdate(BaseModel):
    name: str = Field(min_length=2, max_length=200)
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


async def _laboratories_out(uow: UnitOfWork, labs: Sequence[m.Laboratory]) -> list[LaboratoryOut]:
    """Customers and mappings of all the labs in two statements, however many labs."""
    ids = [lab.id for lab in labs]
    customers = await uow.administration.customers(ids)
    mappings = await uow.administration.mappings(ids)
    return [
        LaboratoryOut(
            code=lab.code,
            name=lab.name,
            region_code=lab.region_code,
            label_template_zpl=lab.label_template_zpl,
            customers=customers[lab.id],
            mappings=[
                MappingIO(
                    product_code=x.product_code,
                    lab_code=x.lab_code,
                    tube_code=x.tube_code,
                    material=x.material,
                )
                for x in mappings[lab.id]
            ],
            retired=lab.retired_at is not None,
            version=lab.version,
        )
        for lab in labs
    ]


async def _laboratory_out(uow: UnitOfWork, lab: m.Laboratory) -> LaboratoryOut:
    return (await _laboratories_out(uow, [lab]))[0]


async def _load_laboratory(
    uow: UnitOfWork,
    services: Services,
    staff: Staff,
    action: str,
    code: str,
    *,
    for_update: bool = False,
) -> m.Laboratory:
    """The laboratory, if it exists and lies within the staff member's regions."""
    lab = await uow.administration.laboratory(code, for_update=for_update)
    if lab is None:
        raise ConfigurationNotFound("no such laboratory")
    await guarded(services, staff, action, lambda: require_region(staff.context, lab.region_code))
    return lab


@router.get("/laboratories", operation_id="listLaboratories")
async def list_laboratories(staff: StaffSession, services: ServicesDep) -> list[LaboratoryOut]:
    scope = await scope_of(services, staff, "admin:list_laboratories")
    async with services.uow() as uow:
        return await _laboratories_out(
            uow, await uow.administration.laboratories(regions_filter(scope))
        )


@router.get("/laboratories/{code}", operation_id="getLaboratory")
async def get_laboratory(
    code: str, staff: StaffSession, services: ServicesDep, response: Response
) -> LaboratoryOut:
    await scope_of(services, staff, "admin:get_laboratory")
    async with services.uow() as uow:
        lab = await _load_laboratory(uow, services, staff, "admin:get_laboratory", code)
        out = await _laboratory_out(uow, lab)
    etag(response, out.version)
    return out


@router.post("/laboratories", operation_id="createLaboratory", status_code=201)
async def create_laboratory(
    body: LaboratoryCreate, staff: StaffSession, services: ServicesDep, response: Response
) -> LaboratoryOut:
    await scope_of(services, staff, "admin:create_laboratory")
    require_known_region(body.region_code)
    await guarded(
        services,
        staff,
        "admin:create_laboratory",
        lambda: require_region(staff.context, body.region_code),
    )
    if body.label_template_zpl is not None:
        validate_label_template(body.label_template_zpl)
    async with services.uow() as uow:
        if await uow.administration.laboratory(body.code) is not None:
            raise InvalidConfiguration("code", "a laboratory with this code exists already")
        lab = m.Laboratory(
            id=uuid.uuid4(),
            code=body.code,
            name=body.name,
            region_code=body.region_code,
            label_template_zpl=body.label_template_zpl,
            version=1,
        )
        await uow.administration.add(lab)
        await audit(uow, services, staff, "create_laboratory", code=lab.code)
        out = await _laboratory_out(uow, lab)
        await uow.commit()
    etag(response, out.version)
    return out


@router.put("/laboratories/{code}", operation_id="updateLaboratory")
async def update_laboratory(
    code: str,
    body: LaboratoryUpdate,
    staff: StaffSession,
    services: ServicesDep,
    response: Response,
    if_match: IfMatch = None,
) -> LaboratoryOut:
    """Name, label template, customers (care units it may send results to) and the mapping
    from national product codes to the lab's own codes and tubes."""
    await scope_of(services, staff, "admin:update_laboratory")
    if body.label_template_zpl is not None:
        validate_label_template(body.label_template_zpl)
    async with services.uow() as uow:
        lab = await _load_laboratory(
            uow, services, staff, "admin:update_laboratory", code, for_update=True
        )
        check_version(lab.version, if_match)
        require_active(lab.retired_at, "laboratory")
        units = await uow.administration.care_units_by_hsa(body.customers)
        missing = sorted(set(body.customers) - set(units))
        if missing:
            raise InvalidConfiguration("customers", f"unknown care unit {missing[0]}")
        codes = [x.product_code for x in body.mappings]
        if len(set(codes)) != len(codes):
            raise InvalidConfiguration("mappings", "each national product code once")
        unknown = sorted(set(codes) - await uow.administration.existing_product_codes(codes))
        if unknown:
            raise InvalidConfiguration("mappings", f"no national product code {unknown[0]}")
        lab.name = body.name
        lab.label_template_zpl = body.label_template_zpl
        lab.version += 1
        await uow.administration.set_customers(lab.id, [units[h].id for h in body.customers])
        await uow.administration.set_mappings(lab.id, [x.model_dump() for x in body.mappings])
        await audit(uow, services, staff, "update_laboratory", code=code, version=lab.version)
        out = await _laboratory_out(uow, lab)
        await uow.commit()
    etag(response, out.version)
    return out


@router.post("/laboratories/{code}/retire", operation_id="retireLaboratory")
async def retire_laboratory(
    code: str,
    staff: StaffSession,
    services: ServicesDep,
    response: Response,
    if_match: IfMatch = None,
) -> LaboratoryOut:
    """A retired laboratory is chosen for no new sampling; what it analysed stays linked."""
    await scope_of(services, staff, "admin:retire_laboratory")
    async with services.uow() as uow:
        lab = await _load_laboratory(
            uow, services, staff, "admin:retire_laboratory", code, for_update=True
        )
        check_version(lab.version, if_match)
        require_active(lab.retired_at, "laboratory")
        lab.retired_at = services.now()
        lab.version += 1
        await audit(uow, services, staff, "retire_laboratory", code=code)
        out = await _laboratory_out(uow, lab)
        await uow.commit()
    etag(response, out.version)
    return out


class AnalysisIO(BaseModel):
    analysis: str = Field(min_length=1, max_length=200)
    unit: str | None = Field(default=None, max_length=40)
    reference_range: str | None = Field(default=None, max_length=100)


class ResultTemplateIn(BaseModel):
    name: str = Field(min_length=2, max_length=200)
    analyses: list[AnalysisIO] = Field(min_length=1, max_length=50)
    default_comment: str | None = Field(default=None, max_length=2000)
    insight: Insight | None = None


class ResultTemplateOut(ResultTemplateIn):
    id: uuid.UUID
    laboratory_code: str
    version: int


def _template_out(template: m.ResultTemplate, lab_code: str) -> ResultTemplateOut:
    return ResultTemplateOut(
        id=template.id,
        laboratory_code=lab_code,
        name=template.name,
        analyses=[AnalysisIO(**a) for a in template.analyses],
        default_comment=template.default_comment,
        insight=template.insight,
        version=template.version,
    )


@router.get("/laboratories/{code}/result-templates", operation_id="listResultTemplates")
async def list_result_templates(
    code: str, staff: StaffSession, services: ServicesDep
) -> list[ResultTemplateOut]:
    await scope_of(services, staff, "admin:list_result_templates")
    async with services.uow() as uow:
        lab = await _load_laboratory(uow, services, staff, "admin:list_result_templates", code)
        return [_template_out(t, code) for t in await uow.administration.result_templates(lab.id)]


@router.post(
    "/laboratories/{code}/result-templates", operation_id="createResultTemplate", status_code=201
)
async def create_result_template(
    code: str, body: ResultTemplateIn, staff: StaffSession, services: ServicesDep
) -> ResultTemplateOut:
    await scope_of(services, staff, "admin:create_result_template")
    async with services.uow() as uow:
        lab = await _load_laboratory(uow, services, staff, "admin:create_result_template", code)
        require_active(lab.retired_at, "laboratory")
        if any(t.name == body.name for t in await uow.administration.result_templates(lab.id)):
            raise InvalidConfiguration("name", "the laboratory has a template with this name")
        template = m.ResultTemplate(
            id=uuid.uuid4(),
            laboratory_id=lab.id,
            name=body.name,
            analyses=[a.model_dump() for a in body.analyses],
            default_comment=body.default_comment,
            insight=body.insight,
            version=1,
        )
        await uow.administration.add(template)
        await audit(uow, services, staff, "create_result_template", id=template.id)
        await uow.commit()
    return _template_out(template, code)


@router.put("/result-templates/{template_id}", operation_id="updateResultTemplate")
async def update_result_template(
    template_id: uuid.UUID,
    body: ResultTemplateIn,
    staff: StaffSession,
    services: ServicesDep,
    response: Response,
    if_match: IfMatch = None,
) -> ResultTemplateOut:
    await scope_of(services, staff, "admin:update_result_template")
    async with services.uow() as uow:
        template = await uow.administration.result_template(template_id, for_update=True)
        if template is None:
            raise ConfigurationNotFound("no such result template")
        labs = {lab.id: lab for lab in await uow.administration.laboratories(None)}
        lab = labs[template.laboratory_id]
        await guarded(
            services,
            staff,
            "admin:update_result_template",
            lambda: require_region(staff.context, lab.region_code),
        )
        check_version(template.version, if_match)
        template.name = body.name
        template.analyses = [a.model_dump() for a in body.analyses]
        template.default_comment = body.default_comment
        template.insight = body.insight
        template.version += 1
        await audit(uow, services, staff, "update_result_template", id=template_id)
        out = _template_out(template, lab.code)
        await uow.commit()
    etag(response, out.version)
    return out
