"""Batches of pre-labelled kits (opersonliga provtagningskit) for an anonymous-kit offer,
within the administrator's regions. Kit numbers and RIDs are drawn with domain/codes.py;
the kit numbers are answered once, when the batch is made, and kept only as keyed hashes
(so the printed list is the only copy)."""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from adapters.db.models import Offer
from adapters.db.repositories.kit_batches import KitBatchRow
from adapters.db.uow import UnitOfWork
from api.administration.editing import found, record_change
from domain.actors import StaffActor
from domain.administration import InvalidConfiguration, require_active, require_region
from domain.codes import KIT_BODY_LENGTH, RID_BODY_LENGTH, new_code
from domain.offers import SamplingMethod

# Drawing a taken kit number or RID is rare (32^11 and 32^9 codes): a few rounds suffice.
DRAW_ROUNDS = 5


@dataclass(frozen=True, slots=True)
class NewKitBatch:
    batch_id: uuid.UUID
    catalog_id: str
    offer_name: str
    created_at: datetime
    kits: list[tuple[str, str]]  # (kit number, RID), unformatted


async def _anonymous_kit_offer(uow: UnitOfWork, actor: StaffActor, catalog_id: str) -> Offer:
    offer = found(await uow.offers_admin.current_version(catalog_id), "offer")
    require_region(actor.context, offer.region_code)
    if offer.sampling_method != SamplingMethod.ANONYMOUS_KIT:
        raise InvalidConfiguration(
            "catalog_id", "pre-labelled kits are made for anonymous-kit offers only"
        )
    return offer


def _draw(random_index: Callable[[int], int], count: int) -> list[tuple[str, str]]:
    """`count` (kit number, RID) pairs, no kit number and no RID twice."""
    numbers: set[str] = set()
    rids: set[str] = set()
    pairs: list[tuple[str, str]] = []
    while len(pairs) < count:
        number = new_code(random_index, KIT_BODY_LENGTH)
        rid = new_code(random_index, RID_BODY_LENGTH)
        if number not in numbers and rid not in rids:
            numbers.add(number)
            rids.add(rid)
            pairs.append((number, rid))
    return pairs


async def create_kit_batch(
    *,
    uow: UnitOfWork,
    actor: StaffActor,
    now: datetime,
    catalog_id: str,
    count: int,
    random_index: Callable[[int], int] = secrets.randbelow,
) -> NewKitBatch:
    """`count` new kits of the offer, in one batch; audited with the offer and the count."""
    offer = await _anonymous_kit_offer(uow, actor, catalog_id)
    require_active(offer.retired_at, "offer")
    batch_id = uuid.uuid4()
    await uow.kit_batches.add_batch(
        batch_id=batch_id, catalog_id=catalog_id, count=count, by=actor.hsa_id, now=now
    )
    kits: list[tuple[str, str]] = []
    for _ in range(DRAW_ROUNDS):
        wanted = count - len(kits)
        if wanted == 0:
            break
        drawn = _draw(random_index, wanted)
        stored = await uow.kit_batches.add_kits(
            batch_id=batch_id, catalog_id=catalog_id, kits=drawn, now=now
        )
        kits.extend((number, rid) for number, rid in drawn if rid in stored)
    if len(kits) != count:
        raise RuntimeError("could not draw free kit numbers and RIDs")
    await record_change(
        uow,
        actor=actor,
        now=now,
        action="create_kit_batch",
        catalog_id=catalog_id,
        batch_id=batch_id,
        kits=count,
    )
    await uow.commit()
    return NewKitBatch(
        batch_id=batch_id, catalog_id=catalog_id, offer_name=offer.name, created_at=now, kits=kits
    )


async def list_kit_batches(
    *, uow: UnitOfWork, actor: StaffActor, catalog_id: str
) -> list[KitBatchRow]:
    """The offer's batches, newest first: how many kits, how many registered (never the
    kit numbers)."""
    await _anonymous_kit_offer(uow, actor, catalog_id)
    return await uow.kit_batches.for_offer(catalog_id)
