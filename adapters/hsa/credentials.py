"""GetCredentialsForPersonIncludingProtectedPerson v2 (Inera HSA, RIV-TA) request and response XML.

The production client (``soap.py``) goes through ``parse_response``; ``build_response`` writes
what the service would answer, for tests and for a possible local stand-in, so that both sides
exercise the same mapping.

Fidelity to the real schema is best effort (written from the service contract description and
from how other consumers use it, not validated against the XSD). What matters here is that
``build_response`` and ``parse_response`` agree exactly. The parser matches elements by local
name, so it also accepts namespace prefixes or namespace assignments that differ from ours.
Following the usual RIV-TA layout, the children of the request and response elements are in the
responder namespace and everything inside ``credentialInformation`` is in the core namespace
``urn:riv:infrastructure:directory:authorizationmanagement:2``.

Request (SOAP 1.1)::

    Envelope/Header/LogicalAddress                 urn:riv:itintegration:registry:1
    Envelope/Body/GetCredentialsForPersonIncludingProtectedPerson   responder namespace
        personHsaId                                the requested HSA-id
        includeFeignedObject                       "false" (no fictitious objects in production)

    No ``profile`` is sent: the service's default is the basic profile, which is all we read,
    and we are not sure of the exact spelling of its enumeration values.

Response::

    Envelope/Body/GetCredentialsForPersonIncludingProtectedPersonResponse   responder namespace
      resultCode, resultText                       read if present ("ERROR" -> ``ServiceError``);
                                                   not written, since we are not sure v2 has them
      credentialInformation                        0..*; none when HSA knows no such person
        givenName                                  0..1 -> StaffIdentity.given_name ("" if absent)
        middleAndSurName                           1..1 -> StaffIdentity.family_name, verbatim
                                                   ("" if absent)
        personHsaId                                1..1 -> StaffIdentity.hsa_id
        healthCareProfessionalLicence              0..* -> StaffIdentity.title (the first one)
        commission                                 0..*, one per medarbetaruppdrag
          commissionName                           written as the care unit's name; not read
          commissionHsaId                          -> EmployeeAssignment.assignment_id
          commissionPurpose                        -> purpose, e.g. "Vård och behandling"
          healthCareUnitHsaId                      -> care_unit_hsa_id
          healthCareUnitName                       -> care_unit_name ("" if absent)
          archivedHealthCareUnit                   "true" drops the commission; not written
          healthCareProviderHsaId                  -> care_giver_hsa_id
          healthCareProviderName                   -> care_giver_name ("" if absent)
          archivedHealthCareProvider               "true" drops the commission; not written

Choices worth knowing:

* Several ``credentialInformation`` elements (a person can have several person objects in HSA)
  are merged: names and title come from the first, commissions from all, exact duplicates
  dropped. They must all carry the same ``personHsaId``; otherwise the answer is unreadable.
* A commission without ``healthCareUnitHsaId`` sits directly under the care provider. It cannot
  open a care unit here, so it is skipped. So are archived units and providers. Start and end
  dates (``healthCareUnitEndDate`` …) are not evaluated.
* ``healthCareProfessionalLicence`` is the licensed profession ("Sjuksköterska"). Titles that
  are not licences (e.g. "Enhetschef") do not come through this contract; ``build_response``
  still writes ``StaffIdentity.title`` there so that the round trip is exact.
* Texts are stripped and empty elements read as absent, so the round trip is exact for values
  without surrounding whitespace; an empty title is written as no licence and reads as ``None``.
* ``healthCareProviderOrgNo`` (1..1 in the contract) is not known to the domain: it is neither
  written nor read.

A SOAP Fault raises ``SoapFault``; ``resultCode`` ERROR raises ``ServiceError``; anything
unreadable raises ``ResponseFormatError``; a DOCTYPE is refused outright so that entity
expansion can never happen (``defusedxml`` is not available). Error messages raised here carry
no HSA-ids or names.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator

from domain.staff import EmployeeAssignment, StaffIdentity

SOAP_ENV_NS = "http://schemas.xmlsoap.org/soap/envelope/"
LOGICAL_ADDRESS_NS = "urn:riv:itintegration:registry:1"
RESPONDER_NS = (
    "urn:riv:infrastructure:directory:authorizationmanagement:"
    "GetCredentialsForPersonIncludingProtectedPersonResponder:2"
)
CORE_NS = "urn:riv:infrastructure:directory:authorizationmanagement:2"
OPERATION = "GetCredentialsForPersonIncludingProtectedPerson"
SOAP_ACTION = f"{RESPONDER_NS}:{OPERATION}"

RESULT_CODE_ERROR = "ERROR"

ET.register_namespace("soapenv", SOAP_ENV_NS)
ET.register_namespace("add", LOGICAL_ADDRESS_NS)
ET.register_namespace("gcfp", RESPONDER_NS)
ET.register_namespace("am", CORE_NS)


class ResponseFormatError(ValueError):
    """The XML is not a GetCredentialsForPersonIncludingProtectedPerson response we can read."""


class SoapFault(Exception):
    """The service answered with a SOAP Fault."""

    def __init__(self, fault_string: str) -> None:
        super().__init__(fault_string)
        self.fault_string = fault_string


class ServiceError(Exception):
    """The service answered normally but with ``resultCode`` ERROR."""

    def __init__(self, result_text: str) -> None:
        super().__init__(result_text)
        self.result_text = result_text


# --- request -------------------------------------------------------------------------------


def build_request(hsa_id: str, *, logical_address: str) -> bytes:
    envelope = ET.Element(_soap("Envelope"))
    header = ET.SubElement(envelope, _soap("Header"))
    _text(header, f"{{{LOGICAL_ADDRESS_NS}}}LogicalAddress", logical_address)
    body = ET.SubElement(envelope, _soap("Body"))
    request = ET.SubElement(body, _responder(OPERATION))
    _text(request, _responder("personHsaId"), hsa_id)
    _text(request, _responder("includeFeignedObject"), "false")
    return _serialise(envelope)


# --- response ------------------------------------------------------------------------------


def build_response(staff: StaffIdentity | None) -> bytes:
    """A response as the service would send it; ``None`` gives one without credentialInformation."""
    envelope = ET.Element(_soap("Envelope"))
    ET.SubElement(envelope, _soap("Header"))
    body = ET.SubElement(envelope, _soap("Body"))
    response = ET.SubElement(body, _responder(f"{OPERATION}Response"))
    if staff is not None:
        _credential_information(response, staff)
    return _serialise(envelope)


def parse_response(xml: bytes) -> StaffIdentity | None:
    """The person in a response, ``None`` when it has no credentialInformation."""
    root = _parse_xml(xml)
    if _local(root.tag) != "Envelope":
        raise ResponseFormatError("not a SOAP envelope")
    body = _only(_children(root, "Body"), "Body")
    fault = _first(_children(body, "Fault"))
    if fault is not None:
        raise SoapFault(_child_text(fault, "faultstring") or "SOAP fault without faultstring")
    response = _first(_children(body, f"{OPERATION}Response"))
    if response is None:
        raise ResponseFormatError(f"no {OPERATION}Response in the SOAP body")
    if (_child_text(response, "resultCode") or "").upper() == RESULT_CODE_ERROR:
        raise ServiceError(_child_text(response, "resultText") or "resultCode ERROR")

    informations = list(_children(response, "credentialInformation"))
    if not informations:
        return None
    first = informations[0]
    hsa_id = _child_text(first, "personHsaId")
    if hsa_id is None:
        raise ResponseFormatError("credentialInformation without personHsaId")
    assignments: list[EmployeeAssignment] = []
    for information in informations:
        if _child_text(information, "personHsaId") != hsa_id:
            raise ResponseFormatError("credentialInformation for more than one person")
        for commission in _children(information, "commission"):
            assignment = _parse_commission(commission)
            if assignment is not None and assignment not in assignments:
                assignments.append(assignment)
    return StaffIdentity(
        hsa_id=hsa_id,
        given_name=_child_text(first, "givenName") or "",
        family_name=_child_text(first, "middleAndSurName") or "",
        title=_child_text(first, "healthCareProfessionalLicence"),
        assignments=tuple(assignments),
    )


def _credential_information(parent: ET.Element, staff: StaffIdentity) -> None:
    information = ET.SubElement(parent, _responder("credentialInformation"))
    if staff.given_name:
        _text(information, _core("givenName"), staff.given_name)
    _text(information, _core("middleAndSurName"), staff.family_name)
    _text(information, _core("personHsaId"), staff.hsa_id)
    if staff.title:
        _text(information, _core("healthCareProfessionalLicence"), staff.title)
    for assignment in staff.assignments:
        commission = ET.SubElement(information, _core("commission"))
        _text(commission, _core("commissionName"), assignment.care_unit_name)
        _text(commission, _core("commissionHsaId"), assignment.assignment_id)
        _text(commission, _core("commissionPurpose"), assignment.purpose)
        _text(commission, _core("healthCareUnitHsaId"), assignment.care_unit_hsa_id)
        if assignment.care_unit_name:
            _text(commission, _core("healthCareUnitName"), assignment.care_unit_name)
        _text(commission, _core("healthCareProviderHsaId"), assignment.care_giver_hsa_id)
        _text(commission, _core("healthCareProviderName"), assignment.care_giver_name)


def _parse_commission(commission: ET.Element) -> EmployeeAssignment | None:
    care_unit_hsa_id = _child_text(commission, "healthCareUnitHsaId")
    if care_unit_hsa_id is None:
        return None  # directly under the care provider; no care unit to work at
    if _child_bool(commission, "archivedHealthCareUnit") or _child_bool(
        commission, "archivedHealthCareProvider"
    ):
        return None
    assignment_id = _child_text(commission, "commissionHsaId")
    purpose = _child_text(commission, "commissionPurpose")
    care_giver_hsa_id = _child_text(commission, "healthCareProviderHsaId")
    if assignment_id is None or purpose is None or care_giver_hsa_id is None:
        raise ResponseFormatError(
            "commission without commissionHsaId, commissionPurpose or healthCareProviderHsaId"
        )
    return EmployeeAssignment(
        assignment_id=assignment_id,
        care_unit_hsa_id=care_unit_hsa_id,
        care_unit_name=_child_text(commission, "healthCareUnitName") or "",
        care_giver_hsa_id=care_giver_hsa_id,
        care_giver_name=_child_text(commission, "healthCareProviderName") or "",
        purpose=purpose,
    )


# --- XML helpers ---------------------------------------------------------------------------


def _parse_xml(xml: bytes) -> ET.Element:
    upper = xml.upper()
    if b"<!DOCTYPE" in upper or b"<!ENTITY" in upper:
        raise ResponseFormatError("DOCTYPE and entity declarations are not accepted")
    try:
        return ET.fromstring(xml)
    except ET.ParseError as error:
        raise ResponseFormatError(f"malformed XML: {error}") from error


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _children(parent: ET.Element, local_name: str) -> Iterator[ET.Element]:
    return (child for child in parent if _local(child.tag) == local_name)


def _first(elements: Iterable[ET.Element]) -> ET.Element | None:
    return next(iter(elements), None)


def _only(elements: Iterable[ET.Element], what: str) -> ET.Element:
    found = list(elements)
    if len(found) != 1:
        raise ResponseFormatError(f"expected one {what}, found {len(found)}")
    return found[0]


def _child_text(parent: ET.Element, local_name: str) -> str | None:
    child = _first(_children(parent, local_name))
    if child is None or child.text is None:
        return None
    text = child.text.strip()
    return text or None


def _child_bool(parent: ET.Element, local_name: str) -> bool:
    return (_child_text(parent, local_name) or "").lower() in {"true", "1"}


def _soap(local_name: str) -> str:
    return f"{{{SOAP_ENV_NS}}}{local_name}"


def _responder(local_name: str) -> str:
    return f"{{{RESPONDER_NS}}}{local_name}"


def _core(local_name: str) -> str:
    return f"{{{CORE_NS}}}{local_name}"


def _text(parent: ET.Element, tag: str, text: str) -> ET.Element:
    element = ET.SubElement(parent, tag)
    element.text = text
    return element


def _serialise(element: ET.Element) -> bytes:
    serialised: bytes = ET.tostring(element, encoding="utf-8", xml_declaration=True)
    return serialised
