"""Sampling units and their bookable times, within the administrator's regions."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from adapters.db.models import SamplingSlot, SamplingUnit
from adapters.db.uow import UnitOfWork
from api.administration.editing import edit, found, record_change
from domain.access import admin_scope
from domain.actors import StaffActor
from domain.administration import (
    ZONE,
    InvalidConfiguration,
    SamplingUnitHsaIdTaken,
    SlotRule,
    StillInUse,
    expand_slots,
    refuse_overlaps,
    require_active,
    require_hsa_id,
    require_known_region,
    require_plannable,
    require_region,
    require_within_calendar,
)

# Retiring removes the unit's free times from now on; none is ever this far ahead.
_FOREVER = timedelta(days=3650)


@dataclass(frozen=True, slots=True)
class SamplingUnitView:
    unit: SamplingUnit
    laboratory_codes: list[str]


@dataclass(frozen=True, slots=True)
class SamplingUnitDetails:
    """A sampling unit as the administrator gives it (on creation and on every change)."""

    hsa_id: str
    name: str
    region_code: str
    street: str
    postal_code: str
    city: str
    opening_hours: str | None
    laboratory_codes: Sequence[str]


async def _laboratory_ids(uow: UnitOfWork, codes: Sequence[str]) -> list[uuid.UUID]:
    labs = await uow.laboratories.by_codes(codes)
    missing = sorted(set(codes) - set(labs))
    if missing:
        raise InvalidConfiguration("laboratory_codes", f"unknown laboratory {missing[0]}")
    return [labs[c].id for c in codes]


async def _unit_within_regions(
    uow: UnitOfWork, actor: StaffActor, unit_id: uuid.UUID, *, for_update: bool = False
) -> SamplingUnit:
    unit = found(await uow.sampling_units.get(unit_id, for_update=for_update), "sampling unit")
    require_region(actor.context, unit.region_code)
    return unit


async def _view(uow: UnitOfWork, unit: SamplingUnit) -> SamplingUnitView:
    labs = await uow.sampling_units.served_laboratory_codes([unit.id])
    return SamplingUnitView(unit=unit, laboratory_codes=labs[unit.id])


async def list_sampling_units(*, uow: UnitOfWork, actor: StaffActor) -> list[SamplingUnitView]:
    scope = admin_scope(actor.context)
    units = await uow.sampling_units.in_regions(
        None if scope.national else sorted(scope.region_codes)
    )
    labs = await uow.sampling_units.served_laboratory_codes([u.id for u in units])
    return [SamplingUnitView(unit=u, laboratory_codes=labs[u.id]) for u in units]


async def get_sampling_unit(
    *, uow: UnitOfWork, actor: StaffActor, unit_id: uuid.UUID
) -> SamplingUnitView:
    return await _view(uow, await _unit_within_regions(uow, actor, unit_id))


async def create_sampling_unit(
    *, uow: UnitOfWork, actor: StaffActor, now: datetime, new: SamplingUnitDetails
) -> SamplingUnitView:
    require_known_region(new.region_code)
    require_hsa_id("hsa_id", new.hsa_id)
    require_region(actor.context, new.region_code)
    if await uow.sampling_units.hsa_id_taken(new.hsa_id):
        raise SamplingUnitHsaIdTaken()
    lab_ids = await _laboratory_ids(uow, new.laboratory_codes)
    unit = await uow.sampling_units.add(
        hsa_id=new.hsa_id,
        name=new.name,
        region_code=new.region_code,
        street=new.street,
        postal_code=new.postal_code,
        city=new.city,
        opening_hours=new.opening_hours,
    )
    await uow.sampling_units.set_served_laboratories(unit.id, lab_ids)
    await record_change(uow, actor=actor, now=now, action="create_sampling_unit", id=unit.id)
    await uow.commit()
    return SamplingUnitView(unit=unit, laboratory_codes=list(new.laboratory_codes))


async def update_sampling_unit(
    *,
    uow: UnitOfWork,
    actor: StaffActor,
    now: datetime,
    unit_id: uuid.UUID,
    expected_version: int | None,
    change: SamplingUnitDetails,
) -> SamplingUnitView:
    async def apply(unit: SamplingUnit) -> SamplingUnit:
        if change.region_code != unit.region_code or change.hsa_id != unit.hsa_id:
            raise InvalidConfiguration("region_code", "region and HSA-id cannot change")
        lab_ids = await _laboratory_ids(uow, change.laboratory_codes)
        unit.name, unit.street, unit.postal_code = change.name, change.street, change.postal_code
        unit.city, unit.opening_hours = change.city, change.opening_hours
        await uow.sampling_units.set_served_laboratories(unit.id, lab_ids)
        return unit

    async def view(unit: SamplingUnit) -> SamplingUnitView:
        return SamplingUnitView(unit=unit, laboratory_codes=list(change.laboratory_codes))

    return await edit(
        uow,
        await uow.sampling_units.get(unit_id, for_update=True),
        what="sampling unit",
        actor=actor,
        now=now,
        action="update_sampling_unit",
        expected_version=expected_version,
        authorize=lambda unit: require_region(actor.context, unit.region_code),
        change=apply,
        details=lambda unit: {"id": unit.id, "version": unit.version},
        view=view,
    )


async def retire_sampling_unit(
    *,
    uow: UnitOfWork,
    actor: StaffActor,
    now: datetime,
    unit_id: uuid.UUID,
    expected_version: int | None,
) -> SamplingUnitView:
    """Refused while future times are booked; its free future times are removed."""

    async def retire(unit: SamplingUnit) -> SamplingUnit:
        booked = await uow.sampling_units.remove_free_times(unit_id, start=now, end=now + _FOREVER)
        if booked:
            raise StillInUse(f"{booked} future times are booked: move those bookings first")
        unit.retired_at = now
        return unit

    return await edit(
        uow,
        await uow.sampling_units.get(unit_id, for_update=True),
        what="sampling unit",
        actor=actor,
        now=now,
        action="retire_sampling_unit",
        expected_version=expected_version,
        authorize=lambda unit: require_region(actor.context, unit.region_code),
        change=retire,
        details=lambda _unit: {"id": unit_id},
        view=lambda unit: _view(uow, unit),
    )


async def create_slots(
    *, uow: UnitOfWork, actor: StaffActor, now: datetime, unit_id: uuid.UUID, rule: SlotRule
) -> int:
    """Adds bookable times by a weekly rule; refused if any overlaps existing times.
    Returns how many were added."""
    require_plannable(rule, today=now.astimezone(ZONE).date())
    times = expand_slots(rule, zone=ZONE)
    if not times:
        raise InvalidConfiguration("weekdays", "the rule gives no times at all")
    unit = await _unit_within_regions(uow, actor, unit_id, for_update=True)
    require_active(unit.retired_at, "sampling unit")
    existing = await uow.sampling_units.slot_times(unit_id, start=times[0][0], end=times[-1][1])
    refuse_overlaps(times, existing)
    await uow.sampling_units.add_slots(unit_id, times, rule.capacity)
    await record_change(
        uow, actor=actor, now=now, action="create_slots", id=unit_id, count=len(times)
    )
    await uow.commit()
    return len(times)


async def list_slots(
    *,
    uow: UnitOfWork,
    actor: StaffActor,
    now: datetime,
    unit_id: uuid.UUID,
    first_day: date,
    days: int,
) -> list[SamplingSlot]:
    require_within_calendar("first_day", first_day, today=now.astimezone(ZONE).date())
    await _unit_within_regions(uow, actor, unit_id)
    start = datetime.combine(first_day, time(0), tzinfo=ZONE)
    return await uow.sampling_units.slots(unit_id, start=start, end=start + timedelta(days=days))


async def close_day(
    *, uow: UnitOfWork, actor: StaffActor, now: datetime, unit_id: uuid.UUID, day: date
) -> None:
    """Closes a day: its times are removed; refused while any of them is booked."""
    require_within_calendar("day", day, today=now.astimezone(ZONE).date())
    await _unit_within_regions(uow, actor, unit_id, for_update=True)
    start = datetime.combine(day, time(0), tzinfo=ZONE)
    booked = await uow.sampling_units.remove_free_times(
        unit_id, start=start, end=start + timedelta(days=1)
    )
    if booked:
        raise StillInUse(f"{booked} times that day are booked: move those bookings first")
    await record_change(uow, actor=actor, now=now, action="close_day", id=unit_id, day=day)
    await uow.commit()
