"""What every RIV-TA (SOAP 1.1 over Inera's service platform) client here shares: safe XML
reading, the envelope and its Fault, the POST with its failure modes, and redaction of what
may echo personal data in fault texts. The contract modules (GetPersonsForProfile,
GetCredentialsForPersonIncludingProtectedPerson) build and read their own elements with it."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

import httpx

SOAP_ENV_NS = "http://schemas.xmlsoap.org/soap/envelope/"
T = TypeVar("T")
ET.register_namespace("soapenv", SOAP_ENV_NS)


class ResponseFormatError(ValueError):
    """The XML is not a response we can read."""


class SoapFault(Exception):
    """The service answered with a SOAP Fault."""

    def __init__(self, fault_string: str) -> None:
        super().__init__(fault_string)
        self.fault_string = fault_string


class CallFailed(Exception):
    """No readable answer: timeout, transport error or an HTTP error status without a body
    we could read. The text carries no personal data."""


# --- reading ---------------------------------------------------------------------------------


def parse_xml(xml: bytes) -> ET.Element:
    # ElementTree does not expand external entities, but a DOCTYPE has no place in an answer
    # and internal entity expansion ("billion laughs") is refused outright.
    upper = xml.upper()
    if b"<!DOCTYPE" in upper or b"<!ENTITY" in upper:
        raise ResponseFormatError("DOCTYPE and entity declarations are not accepted")
    try:
        return ET.fromstring(xml)
    except ET.ParseError as error:
        raise ResponseFormatError(f"malformed XML: {error}") from error


def local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def children(parent: ET.Element, local_name: str) -> Iterator[ET.Element]:
    """Children by local name: producers differ in prefixes and namespace layout."""
    return (child for child in parent if local(child.tag) == local_name)


def first(elements: Iterable[ET.Element]) -> ET.Element | None:
    return next(iter(elements), None)


def only(elements: Iterable[ET.Element], what: str) -> ET.Element:
    found = list(elements)
    if len(found) != 1:
        raise ResponseFormatError(f"expected one {what}, found {len(found)}")
    return found[0]


def child_text(parent: ET.Element, local_name: str) -> str | None:
    child = first(children(parent, local_name))
    if child is None or child.text is None:
        return None
    text = child.text.strip()
    return text or None


def child_bool(parent: ET.Element, local_name: str) -> bool:
    return (child_text(parent, local_name) or "").lower() in {"true", "1"}


def response_element(xml: bytes, response_name: str) -> ET.Element:
    """The operation's response element inside the SOAP envelope; SoapFault for a Fault."""
    root = parse_xml(xml)
    if local(root.tag) != "Envelope":
        raise ResponseFormatError("not a SOAP envelope")
    body = only(children(root, "Body"), "Body")
    fault = first(children(body, "Fault"))
    if fault is not None:
        raise SoapFault(child_text(fault, "faultstring") or "SOAP fault without faultstring")
    response = first(children(body, response_name))
    if response is None:
        raise ResponseFormatError(f"no {response_name} in the SOAP body")
    return response


# --- writing ---------------------------------------------------------------------------------


def soap(local_name: str) -> str:
    return f"{{{SOAP_ENV_NS}}}{local_name}"


def text_element(parent: ET.Element, tag: str, text: str) -> ET.Element:
    element = ET.SubElement(parent, tag)
    element.text = text
    return element


def serialise(element: ET.Element) -> bytes:
    serialised: bytes = ET.tostring(element, encoding="utf-8", xml_declaration=True)
    return serialised


# --- calling ---------------------------------------------------------------------------------

_HSA_ID_LIKE = re.compile(r"SE\d{10}-[A-Za-z0-9-]+", re.IGNORECASE)
_IDENTITY_NUMBER_LIKE = re.compile(r"\d{6,8}[-+]?\d{4}")


def redact(text: str, *, limit: int = 300) -> str:
    """Fault texts may echo what was asked for; they end up in logs."""
    text = _HSA_ID_LIKE.sub("<hsa-id>", text)
    return _IDENTITY_NUMBER_LIKE.sub("<identity number>", text)[:limit]


async def post(
    client: httpx.AsyncClient,
    *,
    endpoint_url: str,
    soap_action: str,
    request: bytes,
    timeout: float | httpx.Timeout,
    service: str,
) -> httpx.Response:
    """POSTs the envelope. Timeouts and transport errors raise CallFailed; the response is
    returned whatever its status, since SOAP 1.1 sends Faults with HTTP 500."""
    try:
        return await client.post(
            endpoint_url,
            content=request,
            headers={"Content-Type": "text/xml; charset=utf-8", "SOAPAction": f'"{soap_action}"'},
            timeout=timeout,
        )
    except httpx.TimeoutException as error:
        raise CallFailed(f"{service} timed out") from error
    except httpx.HTTPError as error:
        raise CallFailed(f"{service} transport error: {type(error).__name__}") from error


async def call(
    client: httpx.AsyncClient,
    *,
    endpoint_url: str,
    soap_action: str,
    request: bytes,
    timeout: float | httpx.Timeout,
    service: str,
    parse: Callable[[bytes], T],
) -> T:
    """Posts the request and reads the answer with `parse`. Every way of not getting a
    readable answer (timeout, transport, SOAP Fault, unreadable XML, HTTP error) raises
    CallFailed with a redacted text; other exceptions from `parse` pass through."""
    response = await post(
        client,
        endpoint_url=endpoint_url,
        soap_action=soap_action,
        request=request,
        timeout=timeout,
        service=service,
    )
    # SOAP 1.1 sends Faults with status 500; read the body first for a better message.
    try:
        result = parse(response.content)
    except SoapFault as fault:
        raise CallFailed(
            f"{service} SOAP fault (HTTP {response.status_code}): {redact(fault.fault_string)}"
        ) from fault
    except ResponseFormatError as error:
        raise CallFailed(
            f"{service} answered HTTP {response.status_code} "
            f"with an unreadable body: {redact(str(error))}"
        ) from error
    if response.is_error:
        raise CallFailed(f"{service} answered HTTP {response.status_code}")
    return result
