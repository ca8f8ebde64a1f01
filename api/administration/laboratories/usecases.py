"""Laboratories and their result templates, within the administrator's regions."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from adapters.db.models import Laboratory, LaboratoryProductMapping, ResultTemplate
from adapters.db.repositories.laboratories import ProductMapping
from adapters.db.uow import UnitOfWork
from api.administration.editing import edit, found, record_change
from domain.access import admin_scope
from domain.actors import StaffActor
from domain.administration import (
    InvalidConfiguration,
    require_active,
    require_known_region,
    require_region,
)
from domain.labels import validate_label_template


@dataclass(frozen=True, slots=True)
class LaboratoryView:
    laboratory: Laboratory
    customers: list[str]
    mappings: list[LaboratoryProductMapping]


@dataclass(frozen=True, slots=True)
class NewLaboratory:
    code: str
    name: str
    region_code: str
    label_template_zpl: str | None


@dataclass(frozen=True, slots=True)
class LaboratoryChange:
    name: str
    label_template_zpl: str | None
    customers: Sequence[str]  # care units' HSA-ids
    mappings: Sequence[ProductMapping]


@dataclass(frozen=True, slots=True)
class ResultTemplateDetails:
    name: str
    # {"analysis", "unit", "reference_range", "value", "insight"}
    analyses: Sequence[dict[str, Any]]
    default_comment: str | None
    insight: str | None
    # What the citizen reads for the template's insight (over the offer's and the default).
    insight_text: str | None = None


@dataclass(frozen=True, slots=True)
class ResultTemplateView:
    template: ResultTemplate
    laboratory_code: str


async def _views(uow: UnitOfWork, labs: Sequence[Laboratory]) -> list[LaboratoryView]:
    """Customers and mappings of all the labs in two statements, however many labs."""
    ids = [lab.id for lab in labs]
    customers = await uow.laboratories.customers(ids)
    mappings = await uow.laboratories.mappings(ids)
    return [
        LaboratoryView(laboratory=lab, customers=customers[lab.id], mappings=mappings[lab.id])
        for lab in labs
    ]


async def _view(uow: UnitOfWork, lab: Laboratory) -> LaboratoryView:
    return (await _views(uow, [lab]))[0]


async def _laboratory_within_regions(
    uow: UnitOfWork, actor: StaffActor, code: str, *, for_update: bool = False
) -> Laboratory:
    lab = found(await uow.laboratories.get(code, for_update=for_update), "laboratory")
    require_region(actor.context, lab.region_code)
    return lab


async def list_laboratories(*, uow: UnitOfWork, actor: StaffActor) -> list[LaboratoryView]:
    scope = admin_scope(actor.context)
    labs = await uow.laboratories.in_regions(None if scope.national else sorted(scope.region_codes))
    return await _views(uow, labs)


async def get_laboratory(*, uow: UnitOfWork, actor: StaffActor, code: str) -> LaboratoryView:
    return await _view(uow, await _laboratory_within_regions(uow, actor, code))


async def create_laboratory(
    *, uow: UnitOfWork, actor: StaffActor, now: datetime, new: NewLaboratory
) -> LaboratoryView:
    require_known_region(new.region_code)
    require_region(actor.context, new.region_code)
    if new.label_template_zpl is not None:
        validate_label_template(new.label_template_zpl)
    if await uow.laboratories.get(new.code) is not None:
        raise InvalidConfiguration("code", "a laboratory with this code exists already")
    lab = await uow.laboratories.add(
        code=new.code,
        name=new.name,
        region_code=new.region_code,
        label_template_zpl=new.label_template_zpl,
    )
    await record_change(uow, actor=actor, now=now, action="create_laboratory", code=lab.code)
    view = await _view(uow, lab)
    await uow.commit()
    return view


async def update_laboratory(
    *,
    uow: UnitOfWork,
    actor: StaffActor,
    now: datetime,
    code: str,
    expected_version: int | None,
    change: LaboratoryChange,
) -> LaboratoryView:
    """Name, label template, customers (care units it may send results to) and the mapping
    from national product codes to the lab's own codes and tubes."""
    if change.label_template_zpl is not None:
        validate_label_template(change.label_template_zpl)

    async def apply(lab: Laboratory) -> Laboratory:
        units = await uow.care_units.by_hsa_ids(change.customers)
        missing = sorted(set(change.customers) - set(units))
        if missing:
            raise InvalidConfiguration("customers", f"unknown care unit {missing[0]}")
        codes = [x.product_code for x in change.mappings]
        if len(set(codes)) != len(codes):
            raise InvalidConfiguration("mappings", "each national product code once")
        unknown = sorted(set(codes) - await uow.products.active_codes(codes))
        if unknown:
            raise InvalidConfiguration("mappings", f"no national product code {unknown[0]}")
        lab.name = change.name
        lab.label_template_zpl = change.label_template_zpl
        await uow.laboratories.set_customers(lab.id, [units[h].id for h in change.customers])
        await uow.laboratories.set_mappings(lab.id, change.mappings)
        return lab

    return await edit(
        uow,
        await uow.laboratories.get(code, for_update=True),
        what="laboratory",
        actor=actor,
        now=now,
        action="update_laboratory",
        expected_version=expected_version,
        authorize=lambda lab: require_region(actor.context, lab.region_code),
        change=apply,
        details=lambda lab: {"code": code, "version": lab.version},
        view=lambda lab: _view(uow, lab),
    )


async def retire_laboratory(
    *, uow: UnitOfWork, actor: StaffActor, now: datetime, code: str, expected_version: int | None
) -> LaboratoryView:
    """A retired laboratory is chosen for no new sampling; what it analysed stays linked."""

    async def retire(lab: Laboratory) -> Laboratory:
        lab.retired_at = now
        return lab

    return await edit(
        uow,
        await uow.laboratories.get(code, for_update=True),
        what="laboratory",
        actor=actor,
        now=now,
        action="retire_laboratory",
        expected_version=expected_version,
        authorize=lambda lab: require_region(actor.context, lab.region_code),
        change=retire,
        details=lambda _lab: {"code": code},
        view=lambda lab: _view(uow, lab),
    )


def _insight_text(details: ResultTemplateDetails) -> str | None:
    """A template's own insight text needs an insight to be the text of."""
    text = (details.insight_text or "").strip() or None
    if text is not None and details.insight is None:
        raise InvalidConfiguration("insight_text", "choose the insight the text is for")
    return text


async def list_result_templates(
    *, uow: UnitOfWork, actor: StaffActor, code: str
) -> list[ResultTemplate]:
    lab = await _laboratory_within_regions(uow, actor, code)
    return await uow.laboratories.result_templates(lab.id)


async def create_result_template(
    *, uow: UnitOfWork, actor: StaffActor, now: datetime, code: str, new: ResultTemplateDetails
) -> ResultTemplate:
    lab = await _laboratory_within_regions(uow, actor, code)
    require_active(lab.retired_at, "laboratory")
    if any(t.name == new.name for t in await uow.laboratories.result_templates(lab.id)):
        raise InvalidConfiguration("name", "the laboratory has a template with this name")
    template = await uow.laboratories.add_result_template(
        laboratory_id=lab.id,
        name=new.name,
        analyses=new.analyses,
        default_comment=new.default_comment,
        insight=new.insight,
        insight_text=_insight_text(new),
    )
    await record_change(uow, actor=actor, now=now, action="create_result_template", id=template.id)
    await uow.commit()
    return template


async def update_result_template(
    *,
    uow: UnitOfWork,
    actor: StaffActor,
    now: datetime,
    template_id: uuid.UUID,
    expected_version: int | None,
    change: ResultTemplateDetails,
) -> ResultTemplateView:
    template = found(
        await uow.laboratories.result_template(template_id, for_update=True), "result template"
    )
    lab = found(await uow.laboratories.by_id(template.laboratory_id), "laboratory")

    async def apply(template: ResultTemplate) -> ResultTemplate:
        template.name = change.name
        template.analyses = list(change.analyses)
        template.default_comment = change.default_comment
        template.insight = change.insight
        template.insight_text = _insight_text(change)
        return template

    async def view(template: ResultTemplate) -> ResultTemplateView:
        return ResultTemplateView(template=template, laboratory_code=lab.code)

    return await edit(
        uow,
        template,
        what="result template",
        actor=actor,
        now=now,
        action="update_result_template",
        expected_version=expected_version,
        authorize=lambda _template: require_region(actor.context, lab.region_code),
        change=apply,
        details=lambda _template: {"id": template_id},
        view=view,
        # No action retires a result template, so there is nothing to check.
        check_retired=False,
    )
