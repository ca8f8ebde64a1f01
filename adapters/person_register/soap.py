"""Production client for GetPersonsForProfile v3 over SOAP 1.1 (RIV-TA).

The ``httpx.AsyncClient`` is injected: TLS client certificates (SITHS function certificate),
connection limits and base settings belong to whoever builds it. Every failure to get a readable
answer - timeout, transport error, HTTP error status, SOAP Fault, unreadable XML - becomes
``PersonRegisterUnavailable``; the cache rule then decides whether a stale copy may be used.
"""

from __future__ import annotations

import httpx

from adapters import riv_ta
from adapters.person_register.getpersonsforprofile import (
    DEFAULT_PROFILE,
    SOAP_ACTION,
    build_request,
    parse_response,
)
from domain.identity_numbers import PersonalIdentityNumber
from domain.persons import Person, PersonRegister, PersonRegisterUnavailable

DEFAULT_TIMEOUT_SECONDS = 10.0
SERVICE = "person register"


class SoapPersonRegister(PersonRegister):
    def __init__(
        self,
        *,
        client: httpx.AsyncClient,
        endpoint_url: str,
        logical_address: str,
        profile: str = DEFAULT_PROFILE,
        timeout: float | httpx.Timeout = DEFAULT_TIMEOUT_SECONDS,
    ) -> None:
        self._client = client
        self._endpoint_url = endpoint_url
        self._logical_address = logical_address
        self._profile = profile
        self._timeout = timeout

    async def get_person(self, personnummer: PersonalIdentityNumber) -> Person | None:
        request = build_request(
            [personnummer], logical_address=self._logical_address, profile=self._profile
        )
        try:
            persons = await riv_ta.call(
                self._client,
                endpoint_url=self._endpoint_url,
                soap_action=SOAP_ACTION,
                request=request,
                timeout=self._timeout,
                service=SERVICE,
                parse=parse_response,
            )
        except riv_ta.CallFailed as error:
            raise PersonRegisterUnavailable(str(error)) from error

        for person in persons:
            if person.personnummer == personnummer:
                return person
        # The contract lets the producer answer with the primary identity of a referred number.
        return persons[0] if persons else None
