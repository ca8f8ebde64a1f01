"""Production client for GetCredentialsForPersonIncludingProtectedPerson v2 over SOAP 1.1 (RIV-TA).

The ``httpx.AsyncClient`` is injected: TLS client certificates (SITHS function certificate),
connection limits and base settings belong to whoever builds it. Every failure to get a readable
answer - timeout, transport error, HTTP error status, SOAP Fault, ``resultCode`` ERROR, unreadable
XML, an answer about another person - becomes ``HsaDirectoryUnavailable``. Exception texts carry
no HSA-ids or personal identity numbers (fault texts are redacted) and never names.

The XML mapping and its uncertainties are described in ``credentials.py``.
"""

from __future__ import annotations

import httpx

from adapters import riv_ta
from adapters.hsa.credentials import SOAP_ACTION, ServiceError, build_request, parse_response
from domain.staff import HsaDirectory, HsaDirectoryUnavailable, StaffIdentity, is_valid_hsa_id

DEFAULT_TIMEOUT_SECONDS = 10.0
SERVICE = "HSA directory"


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
            staff = await riv_ta.call(
                self._client,
                endpoint_url=self._endpoint_url,
                soap_action=SOAP_ACTION,
                request=request,
                timeout=self._timeout,
                service=SERVICE,
                parse=parse_response,
            )
        except riv_ta.CallFailed as error:
            raise HsaDirectoryUnavailable(str(error)) from error
        except ServiceError as error:
            raise HsaDirectoryUnavailable(
                f"{SERVICE} answered resultCode ERROR: {riv_ta.redact(error.result_text)}"
            ) from error

        if staff is not None and staff.hsa_id.upper() != hsa_id.upper():
            raise HsaDirectoryUnavailable(f"{SERVICE} answered about another HSA-id")
        return staff
