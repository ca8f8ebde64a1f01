from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Response

from adapters.db.repositories.laboratories import ProductMapping
from api.administration.access import Administrator, admin_access, administer
from api.administration.laboratories import usecases
from api.administration.laboratories.schemas import (
    LaboratoryCreate,
    LaboratoryOut,
    LaboratoryUpdate,
    ResultTemplateIn,
    ResultTemplateOut,
)
from api.web.deps import ServicesDep
from api.web.etag import IfMatch, optional_version, set_etag

router = APIRouter()


@router.get("/laboratories", operation_id="listLaboratories")
async def list_laboratories(
    admin: Annotated[Administrator, Depends(admin_access("list_laboratories"))],
    services: ServicesDep,
) -> list[LaboratoryOut]:
    views = await administer(
        services, admin, lambda uow: usecases.list_laboratories(uow=uow, actor=admin.actor)
    )
    return [LaboratoryOut.of(v) for v in views]


@router.get("/laboratories/{code}", operation_id="getLaboratory")
async def get_laboratory(
    code: str,
    admin: Annotated[Administrator, Depends(admin_access("get_laboratory"))],
    services: ServicesDep,
    response: Response,
) -> LaboratoryOut:
    view = await administer(
        services, admin, lambda uow: usecases.get_laboratory(uow=uow, actor=admin.actor, code=code)
    )
    set_etag(response, view.laboratory.version)
    return LaboratoryOut.of(view)


@router.post("/laboratories", operation_id="createLaboratory", status_code=201)
async def create_laboratory(
    body: LaboratoryCreate,
    admin: Annotated[Administrator, Depends(admin_access("create_laboratory"))],
    services: ServicesDep,
    response: Response,
) -> LaboratoryOut:
    new = usecases.NewLaboratory(
        code=body.code,
        name=body.name,
        region_code=body.region_code,
        label_template_zpl=body.label_template_zpl,
    )
    view = await administer(
        services,
        admin,
        lambda uow: usecases.create_laboratory(
            uow=uow, actor=admin.actor, now=services.now(), new=new
        ),
    )
    set_etag(response, view.laboratory.version)
    return LaboratoryOut.of(view)


@router.put("/laboratories/{code}", operation_id="updateLaboratory")
async def update_laboratory(
    code: str,
    body: LaboratoryUpdate,
    admin: Annotated[Administrator, Depends(admin_access("update_laboratory"))],
    services: ServicesDep,
    response: Response,
    if_match: IfMatch = None,
) -> LaboratoryOut:
    """Name, label template, customers (care units it may send results to) and the mapping
    from national product codes to the lab's own codes and tubes."""
    change = usecases.LaboratoryChange(
        name=body.name,
        label_template_zpl=body.label_template_zpl,
        customers=body.customers,
        mappings=[ProductMapping(**x.model_dump()) for x in body.mappings],
    )
    expected = optional_version(if_match)
    view = await administer(
        services,
        admin,
        lambda uow: usecases.update_laboratory(
            uow=uow,
            actor=admin.actor,
            now=services.now(),
            code=code,
            expected_version=expected,
            change=change,
        ),
    )
    set_etag(response, view.laboratory.version)
    return LaboratoryOut.of(view)


@router.post("/laboratories/{code}/retire", operation_id="retireLaboratory")
async def retire_laboratory(
    code: str,
    admin: Annotated[Administrator, Depends(admin_access("retire_laboratory"))],
    services: ServicesDep,
    response: Response,
    if_match: IfMatch = None,
) -> LaboratoryOut:
    """A retired laboratory is chosen for no new sampling; what it analysed stays linked."""
    expected = optional_version(if_match)
    view = await administer(
        services,
        admin,
        lambda uow: usecases.retire_laboratory(
            uow=uow, actor=admin.actor, now=services.now(), code=code, expected_version=expected
        ),
    )
    set_etag(response, view.laboratory.version)
    return LaboratoryOut.of(view)


def _template_details(body: ResultTemplateIn) -> usecases.ResultTemplateDetails:
    return usecases.ResultTemplateDetails(
        name=body.name,
        analyses=[a.model_dump() for a in body.analyses],
        default_comment=body.default_comment,
        insight=body.insight,
        insight_text=body.insight_text,
    )


@router.get("/laboratories/{code}/result-templates", operation_id="listResultTemplates")
async def list_result_templates(
    code: str,
    admin: Annotated[Administrator, Depends(admin_access("list_result_templates"))],
    services: ServicesDep,
) -> list[ResultTemplateOut]:
    templates = await administer(
        services,
        admin,
        lambda uow: usecases.list_result_templates(uow=uow, actor=admin.actor, code=code),
    )
    return [ResultTemplateOut.of(t, code) for t in templates]


@router.post(
    "/laboratories/{code}/result-templates", operation_id="createResultTemplate", status_code=201
)
async def create_result_template(
    code: str,
    body: ResultTemplateIn,
    admin: Annotated[Administrator, Depends(admin_access("create_result_template"))],
    services: ServicesDep,
) -> ResultTemplateOut:
    template = await administer(
        services,
        admin,
        lambda uow: usecases.create_result_template(
            uow=uow, actor=admin.actor, now=services.now(), code=code, new=_template_details(body)
        ),
    )
    return ResultTemplateOut.of(template, code)


@router.put("/result-templates/{template_id}", operation_id="updateResultTemplate")
async def update_result_template(
    template_id: uuid.UUID,
    body: ResultTemplateIn,
    admin: Annotated[Administrator, Depends(admin_access("update_result_template"))],
    services: ServicesDep,
    response: Response,
    if_match: IfMatch = None,
) -> ResultTemplateOut:
    expected = optional_version(if_match)
    view = await administer(
        services,
        admin,
        lambda uow: usecases.update_result_template(
            uow=uow,
            actor=admin.actor,
            now=services.now(),
            template_id=template_id,
            expected_version=expected,
            change=_template_details(body),
        ),
    )
    set_etag(response, view.template.version)
    return ResultTemplateOut.of(view.template, view.laboratory_code)
