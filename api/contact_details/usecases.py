"""Reading and changing the citizen's contact details. A change names the version it
changes (If-Match): 428 without it, 412 when somebody (another tab) changed them first. The
audit log keeps what changed — added, changed, removed — never the values."""

from __future__ import annotations

from datetime import datetime

from adapters.db.uow import UnitOfWork
from adapters.protection import DataProtector
from api.ordering.usecases import citizen_hash
from domain.actors import CitizenActor
from domain.audit import audit_event
from domain.errors import StaleVersion
from domain.notifications import (
    ContactDetails,
    change_summary,
    validated_email,
    validated_mobile,
)


async def get_contact_details(
    *, uow: UnitOfWork, actor: CitizenActor, protector: DataProtector
) -> ContactDetails:
    """The citizen's contact details; version 0 when none are saved yet."""
    return await uow.notifications.contact_details(citizen_hash(protector, actor))


async def change_contact_details(
    *,
    uow: UnitOfWork,
    actor: CitizenActor,
    now: datetime,
    protector: DataProtector,
    email: str | None,
    mobile: str | None,
    expected_version: int,
) -> ContactDetails:
    """Sets (or, left empty, removes) the e-mail address and the mobile number used for
    notifications. Invalid values are refused (422) before anything is compared."""
    new_email = validated_email(email)
    new_mobile = validated_mobile(mobile)
    hashed = citizen_hash(protector, actor)
    before = await uow.notifications.contact_details(hashed)
    if before.version != expected_version:
        raise StaleVersion("the contact details were changed since you read them")
    version = await uow.notifications.save_contact_details(
        hashed, email=new_email, mobile=new_mobile, expected_version=expected_version, now=now
    )
    if version is None:  # changed between our read and our write
        raise StaleVersion("the contact details were changed since you read them")
    after = ContactDetails(email=new_email, mobile=new_mobile, version=version)
    await uow.audit.record(
        audit_event(
            actor, "contact_details_changed", now=now, details=change_summary(before, after)
        )
    )
    await uow.commit()
    return after
