"""Care units: list, read, create, change and retire, within the administrator's scope."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from adapters.db.models import CareUnit
from adapters.db.repositories.care_units import CareUnitRow
from adapters.db.uow import UnitOfWork
from api.administration.editing import edit, found, record_change
from domain.access import admin_scope
from domain.actors import StaffActor
from domain.administration import (
    InvalidConfiguration,
    StillInUse,
    require_care_unit,
    require_hsa_id,
    require_known_region,
    require_region,
)


@dataclass(frozen=True, slots=True)
class CareUnitView:
    unit: CareUnit
    assignable_offers: list[str]


@dataclass(frozen=True, slots=True)
class NewCareUnit:
    hsa_id: str
    name: str
    region_code: str
    care_giver_hsa_id: str
    care_giver_name: str
    result_recipient_hsa_id: str | None
    worklist_insights: Sequence[str]


@dataclass(frozen=True, slots=True)
class CareUnitChange:
    name: str
    care_giver_name: str
    result_recipient_hsa_id: str | None
    worklist_insights: Sequence[str]
    assignable_offers: Sequence[str]


async def _view(uow: UnitOfWork, unit: CareUnit) -> CareUnitView:
    return CareUnitView(
        unit=unit, assignable_offers=await uow.care_units.assignable_catalog_ids(unit.id)
    )


def _authorize(actor: StaffActor, unit: CareUnit) -> None:
    require_care_unit(actor.context, region_code=unit.region_code, care_unit_hsa_id=unit.hsa_id)


async def list_care_units(*, uow: UnitOfWork, actor: StaffActor) -> list[CareUnitRow]:
    """Care units the staff member may administer: own units for a unit administrator, the
    region for a regional administrator, all for operators and central administrators."""
    return await uow.care_units.list_within(admin_scope(actor.context))


async def get_care_unit(*, uow: UnitOfWork, actor: StaffActor, hsa_id: str) -> CareUnitView:
    unit = found(await uow.care_units.get(hsa_id), "care unit")
    _authorize(actor, unit)
    return await _view(uow, unit)


async def create_care_unit(
    *, uow: UnitOfWork, actor: StaffActor, now: datetime, new: NewCareUnit
) -> CareUnitView:
    require_known_region(new.region_code)
    require_hsa_id("hsa_id", new.hsa_id)
    require_hsa_id("care_giver_hsa_id", new.care_giver_hsa_id)
    require_region(actor.context, new.region_code)
    if await uow.care_units.get(new.hsa_id) is not None:
        raise InvalidConfiguration("hsa_id", "a care unit with this HSA-id exists already")
    unit = await uow.care_units.add(
        hsa_id=new.hsa_id,
        name=new.name,
        region_code=new.region_code,
        care_giver_hsa_id=new.care_giver_hsa_id,
        care_giver_name=new.care_giver_name,
        result_recipient_hsa_id=new.result_recipient_hsa_id,
        worklist_insights=new.worklist_insights,
    )
    await record_change(uow, actor=actor, now=now, action="create_care_unit", hsa_id=unit.hsa_id)
    view = await _view(uow, unit)
    await uow.commit()
    return view


async def update_care_unit(
    *,
    uow: UnitOfWork,
    actor: StaffActor,
    now: datetime,
    hsa_id: str,
    expected_version: int | None,
    change: CareUnitChange,
) -> CareUnitView:
    async def apply(unit: CareUnit) -> CareUnit:
        personal = await uow.offers_admin.personal_offer_regions()
        for catalog_id in change.assignable_offers:
            if personal.get(catalog_id) != unit.region_code:
                raise InvalidConfiguration(
                    "assignable_offers", f"{catalog_id} is not a personal offer of the region"
                )
        unit.name = change.name
        unit.care_giver_name = change.care_giver_name
        unit.result_recipient_hsa_id = change.result_recipient_hsa_id
        unit.worklist_insights = list(change.worklist_insights)
        await uow.care_units.set_assignable_offers(unit.id, change.assignable_offers)
        return unit

    return await edit(
        uow,
        await uow.care_units.get(hsa_id, for_update=True),
        what="care unit",
        actor=actor,
        now=now,
        action="update_care_unit",
        expected_version=expected_version,
        authorize=lambda unit: _authorize(actor, unit),
        change=apply,
        details=lambda unit: {"hsa_id": hsa_id, "version": unit.version},
        view=lambda unit: _view(uow, unit),
    )


async def retire_care_unit(
    *, uow: UnitOfWork, actor: StaffActor, now: datetime, hsa_id: str, expected_version: int | None
) -> CareUnitView:
    """Retired, not deleted: orders and results keep referring to it. Refused while offers
    in use send their results to it."""

    async def retire(unit: CareUnit) -> CareUnit:
        receiving = await uow.offers_admin.reporting_to(unit.id)
        if receiving:
            raise StillInUse(f"offers {', '.join(receiving)} send their results here")
        unit.retired_at = now
        return unit

    return await edit(
        uow,
        await uow.care_units.get(hsa_id, for_update=True),
        what="care unit",
        actor=actor,
        now=now,
        action="retire_care_unit",
        expected_version=expected_version,
        authorize=lambda unit: require_region(actor.context, unit.region_code),
        change=retire,
        details=lambda _unit: {"hsa_id": hsa_id},
        view=lambda unit: _view(uow, unit),
    )
