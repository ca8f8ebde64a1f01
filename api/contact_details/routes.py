"""Citizen endpoints of the contact details for notifications."""

from __future__ import annotations

from fastapi import APIRouter, Response

from api.contact_details import usecases
from api.contact_details.schemas import ContactDetailsIn, ContactDetailsOut
from api.web.deps import CitizenSession, ServicesDep
from api.web.etag import IfMatch, expected_version, set_etag
from api.web.problems import PROBLEM_RESPONSES
from api.web.run import in_transaction

router = APIRouter(prefix="/api/citizen", tags=["citizen"], responses=PROBLEM_RESPONSES)


@router.get("/contact-details", operation_id="getContactDetails")
async def get_contact_details(
    citizen: CitizenSession, services: ServicesDep, response: Response
) -> ContactDetailsOut:
    """The e-mail address and mobile number the citizen gave for notifications, with the
    version to send back as If-Match (ETag "0" before any were saved)."""
    details = await in_transaction(
        services,
        lambda uow: usecases.get_contact_details(
            uow=uow, actor=citizen, protector=services.protector
        ),
    )
    set_etag(response, details.version)
    return ContactDetailsOut.of(details)


@router.put("/contact-details", operation_id="changeContactDetails")
async def change_contact_details(
    body: ContactDetailsIn,
    citizen: CitizenSession,
    services: ServicesDep,
    response: Response,
    if_match: IfMatch = None,
) -> ContactDetailsOut:
    """Sets or removes the e-mail address and mobile number for notifications. If-Match is
    required (the version read; "0" for the first time): 428 without it, 412 when they were
    changed meanwhile."""
    version = expected_version(if_match)
    details = await in_transaction(
        services,
        lambda uow: usecases.change_contact_details(
            uow=uow,
            actor=citizen,
            now=services.now(),
            protector=services.protector,
            email=body.email,
            mobile=body.mobile,
            expected_version=version,
        ),
    )
    set_etag(response, details.version)
    return ContactDetailsOut.of(details)
