"""Production client for GetCredentialsForPersonIncludingProtectedPerson v2 over SOAP 1.1 (RIV-TA).

The ``httpx.AsyncClient`` is injected: TLS client certificates (SITHS function certificate),
connection limits and base settings belong to whoever builds it. Every failure to get a readable
answer - timeout, transport error, HTTP error status, SOAP Fault, ``resultCode`` ERROR, unreadable
XML, an answer about another person - becomes ``HsaDirectoryUnavailable``. Exception texts carry
no HSA-ids or personal identity numbers (fault texts are redacted) and never names.

The XML mapping and its uncertainties are described in ``credentials.py``.
"""

from __future__ import annotations

import re

import httpx

from adapters.hsa.credentials import (
    SOAP_ACTION,
    ResponseFormatError,
    ServiceError,
    SoapFault,
    build_request,
    parse_response,
)
from domain.staff import HsaDirectory, HsaDirectoryUnavailable, StaffIdentity, is_valid_hsa_id

DEFAULT_TIMEOUT_SECONDS = 10.0

# Fault texts may echo the requested HSA-id (or a personal identity number); they end up in logs.
_HSA_ID_LIKE = re.compile(r"SE\d{10}-[A-Za-z0-9-]+", re.IGNORECASE)
_IDENTITY_NUMBER_LIKE = re.compile(r"\d{6,8}[-+]?\d{4}")


def _redact(text: str, *, limit: int = 300) -> str:
    text = _HSA_ID_LIKE.sub("<hsa-id>", text)
    return _IDENTITY_NUMBER_LIKE.sub("<identity number>", text)[:limit]


class SoapHsaDirectory(HsaDirectory):
    def __init__(
        self,
        *,
        client: httpx.AsyncClient,
        endpoint_url: str,
        logical_address: str,
        timeout: float | httpx.Timeout = DEFAULT_TIMEOUT_SECONDS,
    ) -> None:
        self._client = client
        self._endpoint_url = endpoint_url
        self._logical_address = logical_address
        self._timeout = timeout

    async def get_staff(self, hsa_id: str) -> StaffIdentity | None:
        if not is_valid_hsa_id(hsa_id):
            raise ValueError("not a valid HSA-id")
        request = build_request(hsa_id, logical_address=self._logical_address)
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
            raise HsaDirectoryUnavailable("HSA directory timed out") from error
        except httpx.HTTPError as error:
            raise HsaDirectoryUnavailable(
                f"HSA directory transport error: {type(error).__name__}"
            ) from error

        # SOAP 1.1 sends Faults with status 500; read the body first for a better message.
        try:
            staff = parse_response(response.content)
        except SoapFault as fault:
            raise HsaDirectoryUnavailable(
                f"HSA directory SOAP fault (HTTP {response.status_code}): "
                f"{_redact(fault.fault_string)}"
            ) from fault
        except ServiceError as error:
            raise HsaDirectoryUnavailable(
                f"HSA directory answered resultCode ERROR: {_redact(error.result_text)}"
            ) from error
        except ResponseFormatError as error:
            raise HsaDirectoryUnavailable(
                f"HSA directory answered HTTP {response.status_code} "
                f"with an unreadable body: {_redact(str(error))}"
            ) from error
        if response.is_error:
            raise HsaDirectoryUnavailable(f"HSA directory answered HTTP {response.status_code}")

        if staff is not None and staff.hsa_id.upper() != hsa_id.upper():
            raise HsaDirectoryUnavailable("HSA directory answered about another HSA-id")
        return staff
