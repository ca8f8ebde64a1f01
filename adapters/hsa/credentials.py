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

from adapters.riv_ta import (
    ResponseFormatError,
    child_bool,
    child_text,
    children,
    response_element,
    serialise,
    soap,
    text_element,
)
from domain.staff import EmployeeAssignment, StaffIdentity

LOGICAL_ADDRESS_NS = "urn:riv:itintegration:registry:1"
RESPONDER_NS = (
    "urn:riv:infrastructure:directory:authorizationmanagement:"
    "GetCredentialsForPersonIncludingProtectedPersonResponder:2"
)
CORE_NS = "urn:riv:infrastructure:directory:authorizationmanagement:2"
OPERATION = "GetCredentialsForPersonIncludingProtectedPerson"
SOAP_ACTION = f"{RESPONDER_NS}:{OPERATION}"

RESULT_CODE_ERROR = "ERROR"

ET.register_namespace("add", LOGICAL_ADDRESS_NS)
ET.register_namespace("gcfp", RESPONDER_NS)
ET.register_namespace("am", CORE_NS)


class ServiceError(Exception):
    """The service answered normally but with ``resultCode`` ERROR."""

    def __init__(self, result_text: str) -> None:
        super().__init__(result_text)
        self.result_text = result_text


# --- request -------------------------------------------------------------------------------


def build_request(hsa_id: str, *, logical_address: str) -> bytes:
    envelope = ET.Element(soap("Envelope"))
    header = ET.SubElement(envelope, soap("Header"))
    text_element(header, f"{{{LOGICAL_ADDRESS_NS}}}LogicalAddress", logical_address)
    body = ET.SubElement(envelope, soap("Body"))
    request = ET.SubElement(body, _responder(OPERATION))
    text_element(request, _responder("personHsaId"), hsa_id)
    text_element(request, _responder("includeFeignedObject"), "false")
    return serialise(envelope)


# --- response ------------------------------------------------------------------------------


def build_response(staff: StaffIdentity | None) -> bytes:
    """A response as the service would send it; ``None`` gives one without credentialInformation."""
    envelope = ET.Element(soap("Envelope"))
    ET.SubElement(envelope, soap("Header"))
    body = ET.SubElement(envelope, soap("Body"))
    response = ET.SubElement(body, _responder(f"{OPERATION}Response"))
    if staff is not None:
        _credential_information(response, staff)
    return serialise(envelope)


def parse_response(xml: bytes) -> StaffIdentity | None:
    """The person in a response, ``None`` when it has no credentialInformation."""
    response = response_element(xml, f"{OPERATION}Response")
    if (child_text(response, "resultCode") or "").upper() == RESULT_CODE_ERROR:
        raise ServiceError(child_text(response, "resultText") or "resultCode ERROR")

    informations = list(children(response, "credentialInformation"))
    if not informations:
        return None
    first = informations[0]
    hsa_id = child_text(first, "personHsaId")
    if hsa_id is None:
        raise ResponseFormatError("credentialInformation without personHsaId")
    assignments: list[EmployeeAssignment] = []
    for information in informations:
        if child_text(information, "personHsaId") != hsa_id:
            raise ResponseFormatError("credentialInformation for more than one person")
        for commission in children(information, "commission"):
            assignment = _parse_commission(commission)
            if assignment is not None and assignment not in assignments:
                assignments.append(assignment)
    return StaffIdentity(
        hsa_id=hsa_id,
        given_name=child_text(first, "givenName") or "",
        family_name=child_text(first, "middleAndSurName") or "",
        title=child_text(first, "healthCareProfessionalLicence"),
        assignments=tuple(assignments),
    )


def _credential_information(parent: ET.Element, staff: StaffIdentity) -> None:
    information = ET.SubElement(parent, _responder("credentialInformation"))
    if staff.given_name:
        text_element(information, _core("givenName"), staff.given_name)
    text_element(information, _core("middleAndSurName"), staff.family_name)
    text_element(information, _core("personHsaId"), staff.hsa_id)
    if staff.title:
        text_element(information, _core("healthCareProfessionalLicence"), staff.title)
    for assignment in staff.assignments:
        commission = ET.SubElement(information, _core("commission"))
        text_element(commission, _core("commissionName"), assignment.care_unit_name)
        text_element(commission, _core("commissionHsaId"), assignment.assignment_id)
        text_element(commission, _core("commissionPurpose"), assignment.purpose)
        text_element(commission, _core("healthCareUnitHsaId"), assignment.care_unit_hsa_id)
        if assignment.care_unit_name:
            text_element(commission, _core("healthCareUnitName"), assignment.care_unit_name)
        text_element(commission, _core("healthCareProviderHsaId"), assignment.care_giver_hsa_id)
        text_element(commission, _core("healthCareProviderName"), assignment.care_giver_name)


def _parse_commission(commission: ET.Element) -> EmployeeAssignment | None:
    care_unit_hsa_id = child_text(commission, "healthCareUnitHsaId")
    if care_unit_hsa_id is None:
        return None  # directly under the care provider; no care unit to work at
    if child_bool(commission, "archivedHealthCareUnit") or child_bool(
        commission, "archivedHealthCareProvider"
    ):
        return None
    assignment_id = child_text(commission, "commissionHsaId")
    purpose = child_text(commission, "commissionPurpose")
    care_giver_hsa_id = child_text(commission, "healthCareProviderHsaId")
    if assignment_id is None or purpose is None or care_giver_hsa_id is None:
        raise ResponseFormatError(
            "commission without commissionHsaId, commissionPurpose or healthCareProviderHsaId"
        )
    return EmployeeAssignment(
        assignment_id=assignment_id,
        care_unit_hsa_id=care_unit_hsa_id,
        care_unit_name=child_text(commission, "healthCareUnitName") or "",
        care_giver_hsa_id=care_giver_hsa_id,
        care_giver_name=child_text(commission, "healthCareProviderName") or "",
        purpose=purpose,
    )


def _responder(local_name: str) -> str:
    return f"{{{RESPONDER_NS}}}{local_name}"


def _core(local_name: str) -> str:
    return f"{{{CORE_NS}}}{local_name}"
