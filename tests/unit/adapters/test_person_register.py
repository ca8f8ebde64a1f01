import json
import xml.etree.ElementTree as ET
from datetime import date

import httpx
import pytest

from adapters.person_register.getpersonsforprofile import (
    CORE_NS,
    RESPONDER_NS,
    build_response,
    parse_response,
)
from adapters.person_register.local import (
    DEFAULT_TEST_PERSONS_PATH,
    LocalPersonRegister,
    load_test_persons,
)
from adapters.person_register.soap import SoapPersonRegister
from adapters.riv_ta import ResponseFormatError, SoapFault
from domain.identity_numbers import PersonalIdentityNumber
from domain.persons import PersonRegisterUnavailable

ENDPOINT = "https://pu.example.test/strategicresourcemanagement/persons/person/GetPersonsForProfile/3/rivtabp21"
LOGICAL_ADDRESS = "SE2321000016-0001"
SOAP_FAULT = b"""<?xml version="1.0" encoding="UTF-8"?>
<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/">
  <soap:Body>
    <soap:Fault>
      <faultcode>soap:Server</faultcode>
      <faultstring>Timeout from producer for 198504129829</faultstring>
    </soap:Fault>
  </soap:Body>
</soap:Envelope>"""


@pytest.fixture
def register() -> LocalPersonRegister:
    return LocalPersonRegister()


# --- test data -------------------------------------------------------------------------------


def test_every_personnummer_in_test_persons_json_parses() -> None:
    raw = json.loads(DEFAULT_TEST_PERSONS_PATH.read_text(encoding="utf-8"))
    numbers = [p["personnummer"] for p in raw["persons"]]
    numbers += [child for p in raw["persons"] for child in p["custodian_of"]]

    for number in numbers:
        parsed = PersonalIdentityNumber.parse(number)
        assert parsed.formatted == number
        assert 980 <= int(parsed.value[8:11]) <= 999, "use Skatteverket's test series"


def test_test_persons_cover_the_cases_the_rules_need() -> None:
    entries = load_test_persons()
    persons = [e.person for e in entries]
    on = date(2025, 11, 21)
    ages = [p.personnummer.age(on) for p in persons]

    assert len({e.key for e in entries}) == len(entries)
    assert len({p.region_code for p in persons if p.region_code}) >= 4
    assert {p.personnummer.legal_sex for p in persons} == {"F", "M"}
    assert any(a == 10 for a in ages)
    assert any(15 <= a <= 17 for a in ages)
    assert any(a >= 80 for a in ages)
    assert any(p.protected_identity and p.address is None for p in persons)
    assert any(p.personnummer.kind == "samordningsnummer" for p in persons)
    assert any(p.deceased for p in persons)
    children = {c for p in persons for c in p.custodian_of}
    assert children <= {p.personnummer for p in persons}


# --- local register --------------------------------------------------------------------------


async def test_local_register_returns_person_with_address_and_region(
    register: LocalPersonRegister,
) -> None:
    person = await register.get_person(PersonalIdentityNumber.parse("19850412-9829"))

    assert person is not None
    assert person.full_name == "Anna Maria Andersson"
    assert person.address is not None
    assert person.address.city == "Stockholm"
    assert person.region_code == "01"
    assert person.municipality_code == "0180"
    assert person.custodian_of == (PersonalIdentityNumber.parse("20150620-9848"),)


async def test_local_register_gives_protected_person_no_address(
    register: LocalPersonRegister,
) -> None:
    person = await register.get_person(register.by_key("protected-person").personnummer)

    assert person is not None
    assert person.protected_identity
    assert person.address is None


async def test_local_register_answers_none_for_unknown_person(
    register: LocalPersonRegister,
) -> None:
    unknown = PersonalIdentityNumber.parse("19990101-9803")

    assert await register.get_person(unknown) is None


# --- XML -------------------------------------------------------------------------------------


def test_every_test_person_survives_the_xml_round_trip() -> None:
    persons = [e.person for e in load_test_persons()]

    assert parse_response(build_response(persons)) == persons


def test_not_found_records_are_skipped() -> None:
    missing = PersonalIdentityNumber.parse("19990101-9803")

    assert parse_response(build_response([], not_found=[missing])) == []


def test_response_uses_the_v3_namespaces_and_identity_oids() -> None:
    entries = {e.key: e.person for e in load_test_persons()}
    root = ET.fromstring(build_response([entries["coordination-number"]]))

    record = root.find(f".//{{{RESPONDER_NS}}}requestedPersonRecord")
    assert record is not None
    identity_root = record.find(
        f"{{{CORE_NS}}}personRecord/{{{CORE_NS}}}personalIdentity/{{{CORE_NS}}}root"
    )
    assert identity_root is not None
    assert identity_root.text == "1.2.752.129.2.1.3.3"


def test_protected_person_address_is_dropped_even_if_a_producer_sends_it() -> None:
    xml = build_response([LocalPersonRegister().by_key("anna-stockholm")]).replace(
        b"<pu:protectedPersonIndicator>false", b"<pu:protectedPersonIndicator>true"
    )

    (person,) = parse_response(xml)

    assert person.protected_identity
    assert person.address is None


def test_doctype_is_rejected_before_parsing() -> None:
    xml = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>
<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>&lol2;</soap:Body></soap:Envelope>"""

    with pytest.raises(ResponseFormatError, match="DOCTYPE"):
        parse_response(xml)


def test_soap_fault_is_raised_as_soap_fault() -> None:
    with pytest.raises(SoapFault, match="Timeout from producer"):
        parse_response(SOAP_FAULT)


@pytest.mark.parametrize("xml", [b"", b"<not-closed>", b"<a/>"])
def test_unreadable_response_raises_format_error(xml: bytes) -> None:
    with pytest.raises(ResponseFormatError):
        parse_response(xml)


# --- SOAP client -----------------------------------------------------------------------------


def _soap_register(handler: httpx.MockTransport) -> SoapPersonRegister:
    client = httpx.AsyncClient(transport=handler)
    return SoapPersonRegister(client=client, endpoint_url=ENDPOINT, logical_address=LOGICAL_ADDRESS)


async def test_soap_client_posts_a_p2_request_and_parses_the_answer() -> None:
    anna = LocalPersonRegister().by_key("anna-stockholm")
    requests: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        requests.append(request)
        return httpx.Response(200, content=build_response([anna]))

    person = await _soap_register(httpx.MockTransport(answer)).get_person(anna.personnummer)

    assert person == anna
    (request,) = requests
    assert str(request.url) == ENDPOINT
    assert "GetPersonsForProfileResponder:3" in request.headers["SOAPAction"]
    envelope = ET.fromstring(request.content)
    texts = {el.tag.rsplit("}", 1)[-1]: el.text for el in envelope.iter()}
    assert texts["LogicalAddress"] == LOGICAL_ADDRESS
    assert texts["profile"] == "P2"
    assert texts["extension"] == "198504129829"
    assert texts["root"] == "1.2.752.129.2.1.3.1"


async def test_soap_client_answers_none_when_the_person_is_not_found() -> None:
    missing = PersonalIdentityNumber.parse("19990101-9803")

    def answer(_request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=build_response([], not_found=[missing]))

    assert await _soap_register(httpx.MockTransport(answer)).get_person(missing) is None


async def test_soap_fault_makes_the_register_unavailable_without_leaking_the_number() -> None:
    def answer(_request: httpx.Request) -> httpx.Response:
        return httpx.Response(500, content=SOAP_FAULT)

    with pytest.raises(PersonRegisterUnavailable, match="SOAP fault") as raised:
        await _soap_register(httpx.MockTransport(answer)).get_person(
            PersonalIdentityNumber.parse("19850412-9829")
        )
    assert "198504129829" not in str(raised.value)


async def test_timeout_makes_the_register_unavailable() -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("slow", request=request)

    with pytest.raises(PersonRegisterUnavailable, match="timed out"):
        await _soap_register(httpx.MockTransport(answer)).get_person(
            PersonalIdentityNumber.parse("19850412-9829")
        )


async def test_connection_error_makes_the_register_unavailable() -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    with pytest.raises(PersonRegisterUnavailable, match="transport"):
        await _soap_register(httpx.MockTransport(answer)).get_person(
            PersonalIdentityNumber.parse("19850412-9829")
        )


async def test_server_error_without_soap_body_makes_the_register_unavailable() -> None:
    def answer(_request: httpx.Request) -> httpx.Response:
        return httpx.Response(503, content=b"<html>Service Unavailable</html>")

    with pytest.raises(PersonRegisterUnavailable, match="503"):
        await _soap_register(httpx.MockTransport(answer)).get_person(
            PersonalIdentityNumber.parse("19850412-9829")
        )
