import xml.etree.ElementTree as ET

import httpx
import pytest

from adapters.hsa.credentials import (
    CORE_NS,
    RESPONDER_NS,
    ServiceError,
    build_response,
    parse_response,
)
from adapters.hsa.local import LocalHsaDirectory, load_test_staff
from adapters.hsa.soap import SoapHsaDirectory
from adapters.riv_ta import ResponseFormatError, SoapFault
from domain.staff import (
    CARE_AND_TREATMENT,
    EmployeeAssignment,
    HsaDirectoryUnavailable,
    StaffIdentity,
)

ENDPOINT = (
    "https://hsa.example.test/infrastructure/directory/authorizationmanagement/"
    "GetCredentialsForPersonIncludingProtectedPerson/2/rivtabp21"
)
LOGICAL_ADDRESS = "SE165565594230-1000"
HSA_ID = "SE2321000016-1002"
SOAP_FAULT = b"""<?xml version="1.0" encoding="UTF-8"?>
<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/">
  <soap:Body>
    <soap:Fault>
      <faultcode>soap:Server</faultcode>
      <faultstring>Producer timeout for SE2321000016-1002 (198504129829)</faultstring>
    </soap:Fault>
  </soap:Body>
</soap:Envelope>"""
DOCTYPE_RESPONSE = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>
<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>&lol2;</soap:Body></soap:Envelope>"""

MIKAEL = StaffIdentity(
    hsa_id=HSA_ID,
    given_name="Mikael",
    family_name="af Sandberg",
    title="Barnmorska",
    assignments=(
        EmployeeAssignment(
            assignment_id="SE2321000016-1002-MU1",
            care_unit_hsa_id="SE2321000016-A002",
            care_unit_name="STI-mottagningen Södersjukhuset",
            care_giver_hsa_id="SE2321000016-0001",
            care_giver_name="Region Stockholm",
            purpose=CARE_AND_TREATMENT,
        ),
        EmployeeAssignment(
            assignment_id="SE2321000016-1002-MU2",
            care_unit_hsa_id="SE2321000016-A003",
            care_unit_name="Provtagningen Karolinska Huddinge",
            care_giver_hsa_id="SE2321000016-0001",
            care_giver_name="Region Stockholm",
            purpose=CARE_AND_TREATMENT,
        ),
        EmployeeAssignment(
            assignment_id="SE2321000255-1002-MU3",
            care_unit_hsa_id="SE2321000255-B001",
            care_unit_name="Vårdcentralen Lund",
            care_giver_hsa_id="SE2321000255-0001",
            care_giver_name="Region Skåne",
            purpose="Administration",
        ),
    ),
)


def _commission(*, unit: str | None, extra: str = "") -> str:
    unit_xml = f"<am:healthCareUnitHsaId>{unit}</am:healthCareUnitHsaId>" if unit else ""
    return (
        "<am:commission>"
        "<am:commissionName>Uppdrag</am:commissionName>"
        f"<am:commissionHsaId>SE2321000016-MU-{unit or 'VG'}</am:commissionHsaId>"
        f"<am:commissionPurpose>{CARE_AND_TREATMENT}</am:commissionPurpose>"
        f"{unit_xml}{extra}"
        "<am:healthCareProviderHsaId>SE2321000016-0001</am:healthCareProviderHsaId>"
        "<am:healthCareProviderName>Region Stockholm</am:healthCareProviderName>"
        "</am:commission>"
    )


def _response(*informations: str) -> bytes:
    body = "".join(
        f"<r:credentialInformation>{information}</r:credentialInformation>"
        for information in informations
    )
    return (
        '<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>'
        f'<r:GetCredentialsForPersonIncludingProtectedPersonResponse xmlns:r="{RESPONDER_NS}" '
        f'xmlns:am="{CORE_NS}">{body}'
        "</r:GetCredentialsForPersonIncludingProtectedPersonResponse></s:Body></s:Envelope>"
    ).encode()


def _result_error(text: str) -> bytes:
    return _response().replace(
        b"</r:GetCredentialsForPersonIncludingProtectedPersonResponse>",
        f"<r:resultCode>ERROR</r:resultCode><r:resultText>{text}</r:resultText>"
        "</r:GetCredentialsForPersonIncludingProtectedPersonResponse>".encode(),
    )


def _information(hsa_id: str, *commissions: str) -> str:
    return (
        "<am:givenName>Mikael</am:givenName>"
        "<am:middleAndSurName>Sandberg</am:middleAndSurName>"
        f"<am:personHsaId>{hsa_id}</am:personHsaId>" + "".join(commissions)
    )


# --- XML -------------------------------------------------------------------------------------


def test_staff_with_several_commissions_survives_the_xml_round_trip() -> None:
    assert parse_response(build_response(MIKAEL)) == MIKAEL


def test_every_local_test_staff_member_survives_the_xml_round_trip() -> None:
    for entry in load_test_staff():
        assert parse_response(build_response(entry.staff)) == entry.staff


def test_staff_without_given_name_title_or_commissions_survives_the_round_trip() -> None:
    bare = StaffIdentity(hsa_id=HSA_ID, given_name="", family_name="Sandberg", title=None)

    assert parse_response(build_response(bare)) == bare


def test_response_without_credential_information_means_unknown_person() -> None:
    assert parse_response(build_response(None)) is None


def test_response_puts_commissions_in_the_core_namespace_under_the_responder_element() -> None:
    root = ET.fromstring(build_response(MIKAEL))

    information = root.find(f".//{{{RESPONDER_NS}}}credentialInformation")
    assert information is not None
    hsa_ids = information.findall(f"{{{CORE_NS}}}commission/{{{CORE_NS}}}commissionHsaId")
    assert [e.text for e in hsa_ids] == [a.assignment_id for a in MIKAEL.assignments]


def test_commissions_of_several_credential_informations_are_merged_without_duplicates() -> None:
    first = _information(HSA_ID, _commission(unit="SE2321000016-A002"))
    second = _information(
        HSA_ID, _commission(unit="SE2321000016-A002"), _commission(unit="SE2321000016-A003")
    )

    staff = parse_response(_response(first, second))

    assert staff is not None
    assert [a.care_unit_hsa_id for a in staff.assignments] == [
        "SE2321000016-A002",
        "SE2321000016-A003",
    ]


def test_credential_informations_about_different_people_are_unreadable() -> None:
    xml = _response(_information(HSA_ID), _information("SE2321000016-1003"))

    with pytest.raises(ResponseFormatError, match="more than one person"):
        parse_response(xml)


def test_commission_directly_under_the_care_provider_is_skipped() -> None:
    staff = parse_response(_response(_information(HSA_ID, _commission(unit=None))))

    assert staff is not None
    assert staff.assignments == ()


@pytest.mark.parametrize("flag", ["archivedHealthCareUnit", "archivedHealthCareProvider"])
def test_commission_at_an_archived_unit_or_provider_is_skipped(flag: str) -> None:
    commission = _commission(unit="SE2321000016-A002", extra=f"<am:{flag}>true</am:{flag}>")

    staff = parse_response(_response(_information(HSA_ID, commission)))

    assert staff is not None
    assert staff.assignments == ()


def test_doctype_is_rejected_before_parsing() -> None:
    with pytest.raises(ResponseFormatError, match="DOCTYPE"):
        parse_response(DOCTYPE_RESPONSE)


def test_soap_fault_is_raised_as_soap_fault() -> None:
    with pytest.raises(SoapFault, match="Producer timeout"):
        parse_response(SOAP_FAULT)


def test_result_code_error_is_raised_as_service_error() -> None:
    with pytest.raises(ServiceError, match="broken"):
        parse_response(_result_error("broken"))


@pytest.mark.parametrize(
    "xml",
    [
        b"",
        b"<not-closed>",
        b"<a/>",
        _response("<am:givenName>Mikael</am:givenName>"),
        _response(
            _information(
                HSA_ID,
                "<am:commission><am:healthCareUnitHsaId>x</am:healthCareUnitHsaId></am:commission>",
            )
        ),
    ],
)
def test_unreadable_response_raises_format_error(xml: bytes) -> None:
    with pytest.raises(ResponseFormatError):
        parse_response(xml)


# --- SOAP client -----------------------------------------------------------------------------


def _directory(handler: httpx.MockTransport) -> SoapHsaDirectory:
    return SoapHsaDirectory(
        client=httpx.AsyncClient(transport=handler),
        endpoint_url=ENDPOINT,
        logical_address=LOGICAL_ADDRESS,
    )


def _answering(status: int, content: bytes) -> httpx.MockTransport:
    return httpx.MockTransport(lambda _request: httpx.Response(status, content=content))


async def test_request_carries_the_logical_address_header_and_the_hsa_id() -> None:
    requests: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        requests.append(request)
        return httpx.Response(200, content=build_response(MIKAEL))

    staff = await _directory(httpx.MockTransport(answer)).get_staff(HSA_ID)

    assert staff == MIKAEL
    (request,) = requests
    assert str(request.url) == ENDPOINT
    assert request.method == "POST"
    assert (
        "GetCredentialsForPersonIncludingProtectedPersonResponder:2"
        in request.headers["SOAPAction"]
    )
    envelope = ET.fromstring(request.content)
    soap = "{http://schemas.xmlsoap.org/soap/envelope/}"
    logical_address = envelope.find(
        f"{soap}Header/{{urn:riv:itintegration:registry:1}}LogicalAddress"
    )
    assert logical_address is not None
    assert logical_address.text == LOGICAL_ADDRESS
    person_hsa_id = envelope.find(
        f"{soap}Body/{{{RESPONDER_NS}}}GetCredentialsForPersonIncludingProtectedPerson"
        f"/{{{RESPONDER_NS}}}personHsaId"
    )
    assert person_hsa_id is not None
    assert person_hsa_id.text == HSA_ID


async def test_staff_from_the_local_directory_comes_back_unchanged_over_soap() -> None:
    nurse = LocalHsaDirectory().by_key("nurse-sti")

    staff = await _directory(_answering(200, build_response(nurse))).get_staff(nurse.hsa_id)

    assert staff == nurse


async def test_unknown_person_is_none() -> None:
    directory = _directory(_answering(200, build_response(None)))

    assert await directory.get_staff("SE2321000016-9999") is None


async def test_soap_fault_makes_the_directory_unavailable_without_leaking_identities() -> None:
    directory = _directory(_answering(500, SOAP_FAULT))

    with pytest.raises(HsaDirectoryUnavailable, match="SOAP fault") as raised:
        await directory.get_staff(HSA_ID)
    assert HSA_ID not in str(raised.value)
    assert "198504129829" not in str(raised.value)


async def test_result_code_error_makes_the_directory_unavailable() -> None:
    directory = _directory(_answering(200, _result_error(f"no such person {HSA_ID}")))

    with pytest.raises(HsaDirectoryUnavailable, match="resultCode ERROR") as raised:
        await directory.get_staff(HSA_ID)
    assert HSA_ID not in str(raised.value)


async def test_server_error_without_soap_body_makes_the_directory_unavailable() -> None:
    directory = _directory(_answering(500, b"<html>Internal Server Error</html>"))

    with pytest.raises(HsaDirectoryUnavailable, match="500"):
        await directory.get_staff(HSA_ID)


async def test_http_error_with_a_readable_body_still_makes_the_directory_unavailable() -> None:
    directory = _directory(_answering(503, build_response(MIKAEL)))

    with pytest.raises(HsaDirectoryUnavailable, match="503"):
        await directory.get_staff(HSA_ID)


async def test_timeout_makes_the_directory_unavailable() -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("slow", request=request)

    with pytest.raises(HsaDirectoryUnavailable, match="timed out"):
        await _directory(httpx.MockTransport(answer)).get_staff(HSA_ID)


async def test_connection_error_makes_the_directory_unavailable() -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    with pytest.raises(HsaDirectoryUnavailable, match="transport"):
        await _directory(httpx.MockTransport(answer)).get_staff(HSA_ID)


async def test_doctype_in_the_answer_makes_the_directory_unavailable() -> None:
    directory = _directory(_answering(200, DOCTYPE_RESPONSE))

    with pytest.raises(HsaDirectoryUnavailable, match="DOCTYPE"):
        await directory.get_staff(HSA_ID)


async def test_answer_about_another_person_makes_the_directory_unavailable() -> None:
    other = StaffIdentity(hsa_id="SE2321000016-1003", given_name="E", family_name="L", title=None)
    directory = _directory(_answering(200, build_response(other)))

    with pytest.raises(HsaDirectoryUnavailable, match="another HSA-id") as raised:
        await directory.get_staff(HSA_ID)
    assert "SE2321000016" not in str(raised.value)


@pytest.mark.parametrize(
    "hsa_id", ["", "1002", "SE2321000016", "se2321000016-1002 ", "19850412-9829"]
)
async def test_invalid_hsa_id_is_refused_before_anything_is_sent(hsa_id: str) -> None:
    requests: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        requests.append(request)
        return httpx.Response(200, content=build_response(None))

    with pytest.raises(ValueError, match="HSA-id") as raised:
        await _directory(httpx.MockTransport(answer)).get_staff(hsa_id)
    assert requests == []
    if hsa_id:
        assert hsa_id not in str(raised.value)
