"""GetPersonsForProfile v3 (Inera Personuppgiftstjänst, RIV-TA) request and response XML.

The production client (``soap.py``) and the local register (``local.py``) both go through
``parse_response``, so the local register exercises the same mapping as production.

Fidelity to the real schema is best effort (written from the service contract description, not
validated against the XSD). What matters here is that ``build_response`` and ``parse_response``
agree. The parser matches elements by local name, so it also accepts namespace prefixes or
namespace assignments that differ from the ones we write.

Request (SOAP 1.1)::

    Envelope/Header/LogicalAddress                  urn:riv:itintegration:registry:1
    Envelope/Body/GetPersonsForProfile              responder namespace
        personId/root, personId/extension           one per identity (OID, 12 digits)
        profile                                     "P2"
        ignoreReferredIdentity                      "false"

Response::

    Envelope/Body/GetPersonsForProfileResponse      responder namespace
      requestedPersonRecord                         1..*, responder namespace
        requestedPersonalIdentity/root, /extension  core namespace from here down
        personRecord                                0..1; absent when the person is not found
          personalIdentity/root, /extension         OID 1.2.752.129.2.1.3.1 or .3.3, 12 digits
          protectedPersonIndicator                  "true" | "false" (protectedPopulationRecord
                                                    = "true" is also read as protected)
          testIndicator                             "true" | "false"
          primaryIdentity                           "true"
          name/givenName/name                       NamePartType wrappers
          name/middleName/name
          name/surname/name
          populationRegistrationLocality/countyCode        "01" (the region's county code)
          populationRegistrationLocality/municipalityCode  "80" (two digits inside the county;
                                                    joined to "0180"; four digits also accepted)
          addressInformation/residentialAddress/careOf
          addressInformation/residentialAddress/postalAddress1   extra line (rarely used)
          addressInformation/residentialAddress/postalAddress2   street
          addressInformation/residentialAddress/postalCode       five digits, no space
          addressInformation/residentialAddress/city
          deregistration/deregistrationReasonCode/code   "AV" = deceased (avliden)
          relationship                              0..*
            relationshipId/personalIdentity/root, /extension
            relationshipType/code                   "VF" = custody of (vårdnadshavare för)

A protected person's address is dropped by the parser even if a producer sent one (the
contract says only profile-1 data is returned for them). A SOAP Fault raises ``SoapFault``;
anything unreadable raises ``ResponseFormatError``; a DOCTYPE is refused outright so that entity
expansion can never happen (``defusedxml`` is not available).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence

from adapters.riv_ta import (
    ResponseFormatError,
    child_bool,
    child_text,
    children,
    first,
    response_element,
    serialise,
    soap,
    text_element,
)
from domain.identity_numbers import (
    InvalidPersonalIdentityNumber,
    PersonalIdentityNumber,
)
from domain.persons import Person, PostalAddress

LOGICAL_ADDRESS_NS = "urn:riv:itintegration:registry:1"
RESPONDER_NS = "urn:riv:strategicresourcemanagement:persons:person:GetPersonsForProfileResponder:3"
CORE_NS = "urn:riv:strategicresourcemanagement:persons:person:3"
SOAP_ACTION = f"{RESPONDER_NS}:GetPersonsForProfile"
DEFAULT_PROFILE = "P2"

DECEASED_REASON_CODE = "AV"
CUSTODY_OF_RELATIONSHIP_CODE = "VF"

ET.register_namespace("add", LOGICAL_ADDRESS_NS)
ET.register_namespace("gpfp", RESPONDER_NS)
ET.register_namespace("pu", CORE_NS)


# --- request -------------------------------------------------------------------------------


def build_request(
    personnummer: Sequence[PersonalIdentityNumber],
    *,
    logical_address: str,
    profile: str = DEFAULT_PROFILE,
) -> bytes:
    envelope = ET.Element(soap("Envelope"))
    header = ET.SubElement(envelope, soap("Header"))
    text_element(header, f"{{{LOGICAL_ADDRESS_NS}}}LogicalAddress", logical_address)
    body = ET.SubElement(envelope, soap("Body"))
    request = ET.SubElement(body, _responder("GetPersonsForProfile"))
    for number in personnummer:
        _identity(request, _responder("personId"), number)
    text_element(request, _responder("profile"), profile)
    text_element(request, _responder("ignoreReferredIdentity"), "false")
    return serialise(envelope)


# --- response ------------------------------------------------------------------------------


def build_response(
    persons: Sequence[Person],
    *,
    not_found: Sequence[PersonalIdentityNumber] = (),
) -> bytes:
    """A response as the service would send it; ``not_found`` get records without personRecord."""
    envelope = ET.Element(soap("Envelope"))
    ET.SubElement(envelope, soap("Header"))
    body = ET.SubElement(envelope, soap("Body"))
    response = ET.SubElement(body, _responder("GetPersonsForProfileResponse"))
    for person in persons:
        record = ET.SubElement(response, _responder("requestedPersonRecord"))
        _identity(record, _core("requestedPersonalIdentity"), person.personnummer)
        _person_record(record, person)
    for number in not_found:
        record = ET.SubElement(response, _responder("requestedPersonRecord"))
        _identity(record, _core("requestedPersonalIdentity"), number)
    return serialise(envelope)


def parse_response(xml: bytes) -> list[Person]:
    """The persons found in a response; requested identities without a personRecord are skipped."""
    response = response_element(xml, "GetPersonsForProfileResponse")
    persons: list[Person] = []
    for requested in children(response, "requestedPersonRecord"):
        record = first(children(requested, "personRecord"))
        if record is not None:
            persons.append(_parse_person(record))
    return persons


def _person_record(parent: ET.Element, person: Person) -> None:
    record = ET.SubElement(parent, _core("personRecord"))
    _identity(record, _core("personalIdentity"), person.personnummer)
    text_element(record, _core("protectedPersonIndicator"), _bool(person.protected_identity))
    text_element(record, _core("testIndicator"), _bool(person.test_person))
    text_element(record, _core("primaryIdentity"), "true")
    name = ET.SubElement(record, _core("name"))
    _name_part(name, "givenName", person.given_name)
    if person.middle_name:
        _name_part(name, "middleName", person.middle_name)
    _name_part(name, "surname", person.family_name)
    if person.region_code is not None or person.municipality_code is not None:
        locality = ET.SubElement(record, _core("populationRegistrationLocality"))
        if person.region_code is not None:
            text_element(locality, _core("countyCode"), person.region_code)
        municipality = person.municipality_code
        if municipality is not None:
            # The contract carries the two digits inside the county ("0180" -> "80").
            if person.region_code is not None and municipality.startswith(person.region_code):
                municipality = municipality[len(person.region_code) :]
            text_element(locality, _core("municipalityCode"), municipality)
    if person.address is not None and not person.protected_identity:
        information = ET.SubElement(record, _core("addressInformation"))
        residential = ET.SubElement(information, _core("residentialAddress"))
        if person.address.care_of:
            text_element(residential, _core("careOf"), person.address.care_of)
        text_element(residential, _core("postalAddress2"), person.address.street)
        text_element(residential, _core("postalCode"), person.address.postal_code)
        text_element(residential, _core("city"), person.address.city)
    if person.deceased:
        deregistration = ET.SubElement(record, _core("deregistration"))
        reason = ET.SubElement(deregistration, _core("deregistrationReasonCode"))
        text_element(reason, _core("code"), DECEASED_REASON_CODE)
    for child in person.custodian_of:
        relationship = ET.SubElement(record, _core("relationship"))
        relationship_id = ET.SubElement(relationship, _core("relationshipId"))
        _identity(relationship_id, _core("personalIdentity"), child)
        relationship_type = ET.SubElement(relationship, _core("relationshipType"))
        text_element(relationship_type, _core("code"), CUSTODY_OF_RELATIONSHIP_CODE)


def _parse_person(record: ET.Element) -> Person:
    identity = first(children(record, "personalIdentity"))
    if identity is None:
        raise ResponseFormatError("personRecord without personalIdentity")
    personnummer = _parse_identity(identity)
    protected = child_bool(record, "protectedPersonIndicator") or child_bool(
        record, "protectedPopulationRecord"
    )
    name = first(children(record, "name"))
    given_name = _name_part_text(name, "givenName") or ""
    middle_name = _name_part_text(name, "middleName")
    family_name = _name_part_text(name, "surname") or ""

    region_code: str | None = None
    municipality_code: str | None = None
    locality = first(children(record, "populationRegistrationLocality"))
    if locality is not None:
        region_code = child_text(locality, "countyCode")
        municipality = child_text(locality, "municipalityCode")
        if municipality is not None and len(municipality) == 2 and region_code is not None:
            municipality_code = region_code + municipality
        else:
            municipality_code = municipality

    address = None if protected else _parse_address(record)
    deregistration = first(children(record, "deregistration"))
    deceased = False
    if deregistration is not None:
        reason = first(children(deregistration, "deregistrationReasonCode"))
        deceased = reason is not None and child_text(reason, "code") == DECEASED_REASON_CODE

    custodian_of: list[PersonalIdentityNumber] = []
    for relationship in children(record, "relationship"):
        relationship_type = first(children(relationship, "relationshipType"))
        if relationship_type is None:
            continue
        if child_text(relationship_type, "code") != CUSTODY_OF_RELATIONSHIP_CODE:
            continue
        relationship_id = first(children(relationship, "relationshipId"))
        child_identity = (
            first(children(relationship_id, "personalIdentity"))
            if relationship_id is not None
            else None
        )
        if child_identity is not None:
            custodian_of.append(_parse_identity(child_identity))

    return Person(
        personnummer=personnummer,
        given_name=given_name,
        middle_name=middle_name,
        family_name=family_name,
        address=address,
        region_code=region_code,
        municipality_code=municipality_code,
        protected_identity=protected,
        deceased=deceased,
        test_person=child_bool(record, "testIndicator"),
        custodian_of=tuple(custodian_of),
    )


def _parse_address(record: ET.Element) -> PostalAddress | None:
    information = first(children(record, "addressInformation"))
    if information is None:
        return None
    residential = first(children(information, "residentialAddress"))
    if residential is None:
        return None
    lines = [
        child_text(residential, "postalAddress1"),
        child_text(residential, "postalAddress2"),
    ]
    street = ", ".join(line for line in lines if line)
    postal_code = (child_text(residential, "postalCode") or "").replace(" ", "")
    city = child_text(residential, "city") or ""
    if not (street or postal_code or city):
        return None
    return PostalAddress(
        care_of=child_text(residential, "careOf"),
        street=street,
        postal_code=postal_code,
        city=city,
    )


def _parse_identity(element: ET.Element) -> PersonalIdentityNumber:
    extension = child_text(element, "extension")
    if extension is None:
        raise ResponseFormatError("personal identity without extension")
    try:
        return PersonalIdentityNumber.parse(extension)
    except InvalidPersonalIdentityNumber as error:
        raise ResponseFormatError(f"unreadable personal identity: {error}") from error


def _name_part_text(name: ET.Element | None, part: str) -> str | None:
    if name is None:
        return None
    element = first(children(name, part))
    if element is None:
        return None
    # NamePartType wraps the text in <name>; accept plain text too.
    return child_text(element, "name") or ((element.text or "").strip() or None)


def _responder(local_name: str) -> str:
    return f"{{{RESPONDER_NS}}}{local_name}"


def _core(local_name: str) -> str:
    return f"{{{CORE_NS}}}{local_name}"


def _identity(parent: ET.Element, tag: str, number: PersonalIdentityNumber) -> None:
    identity = ET.SubElement(parent, tag)
    text_element(identity, _core("root"), number.oid)
    text_element(identity, _core("extension"), number.value)


def _name_part(parent: ET.Element, part: str, text: str) -> None:
    element = ET.SubElement(parent, _core(part))
    text_element(element, _core("name"), text)


def _bool(value: bool) -> str:
    return "true" if value else "false"
