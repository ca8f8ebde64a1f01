"""Production client for GetPersonsForProfile v3 over SOAP 1.1 (RIV-TA).

The ``httpx.AsyncClient`` is injected: TLS client certificates (SITHS function certificate),
connection limits and base settings belong to whoever builds it. Every failure to get a readable
answer - timeout, transport error, HTTP error status, SOAP Fault, unreadable XML - becomes
``PersonRegisterUnavailable``; the cache rule then decides whether a stale copy may be used.
"""

from __future__ import annotations

import re

import httpx

from adapters.person_register.getpersonsforprofile import (
    DEFAULT_PROFILE,
    SOAP_ACTION,
    ResponseFormatError,
    SoapFault,
    build_request,
    parse_response,
)
from domain.identity_numbers import PersonalIdentityNumber
from domain.persons import Person, PersonRegister, PersonRegisterUnavailable

DEFAULT_TIMEOUT_SECONDS = 10.0

# Fault texts may echo the requested identity; they end up in logs, so blank such numbers out.
_IDENTITY_NUMBER_LIKE = re.compile(r"\d{6,8}[-+]?\d{4}")


def _redact(text: str, *, limit: int = 300) -> str:
    return _IDENTITY_NUMBER_LIKE.sub("<identity number>", text)[:limit]


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
            response = await self._client.post(
                self._endpoint_url,
                content=request,
                headers={
                    "Content-Type": "text/xml; charset=utf-8",
                    "SOAPAction": f'"{SOAP_ACTION}"',
                },
                timeout=self._timeout,
            )
        except httpx.TimeoutException as error:
            raise PersonRegisterUnavailable("person register timed out") from error
        except httpx.HTTPError as error:
            raise PersonRegisterUnavailable(
                f"person register transport error: {type(error).__name__}"
            ) from error

        # SOAP 1.1 sends Faults with status 500; read the body first for a better message.
        try:
            persons = parse_response(response.content)
        except SoapFault as fault:
            message = _redact(fault.fault_string)
            raise PersonRegisterUnavailable(
                f"person register SOAP fault (HTTP {response.status_code}): {message}"
            ) from fault
        except ResponseFormatError as error:
            raise PersonRegisterUnavailable(
                f"person register answered HTTP {response.status_code} "
                f"with an unreadable body: {_redact(str(error))}"
            ) from error
        if response.is_error:
            raise PersonRegisterUnavailable(f"person register answered HTTP {response.status_code}")

        for person in persons:
            if person.personnummer == personnummer:
                return person
        # The contract lets the producer answer with the primary identity of a referred number.
        return persons[0] if persons else None
