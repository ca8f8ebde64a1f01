import pytest

from domain.regions import REGIONS, UnknownRegion, region_name
from domain.staff import (
    CARE_AND_TREATMENT,
    EmployeeAssignment,
    StaffIdentity,
    is_valid_hsa_id,
)


@pytest.mark.parametrize(
    "value",
    ["SE2321000016-1234", "SE2321000016-A001", "SE5565594230-B8N", "SE2321000255-x"],
)
def test_hsa_id_with_se_organisation_number_and_local_part_is_valid(value: str) -> None:
    assert is_valid_hsa_id(value)


@pytest.mark.parametrize(
    "value",
    [
        "",
        "SE2321000016",
        "SE232100001-1234",
        "NO2321000016-1234",
        "SE2321000016-",
        "SE2321000016-12 4",
    ],
)
def test_malformed_hsa_id_is_invalid(value: str) -> None:
    assert not is_valid_hsa_id(value)


def _assignment(unit: str, purpose: str) -> EmployeeAssignment:
    return EmployeeAssignment(
        assignment_id=f"{unit}-{purpose}",
        care_unit_hsa_id=unit,
        care_unit_name="Enhet",
        care_giver_hsa_id="SE2321000016-0001",
        care_giver_name="Region Stockholm",
        purpose=purpose,
    )


def test_only_care_and_treatment_assignments_allow_patient_data() -> None:
    staff = StaffIdentity(
        hsa_id="SE2321000016-1001",
        given_name="Karin",
        family_name="Holm",
        title=None,
        assignments=(
            _assignment("SE2321000016-A001", "Administration"),
            _assignment("SE2321000016-A001", CARE_AND_TREATMENT),
            _assignment("SE2321000016-A002", "Administration"),
        ),
    )

    assert [a.care_unit_hsa_id for a in staff.care_assignments] == ["SE2321000016-A001"]
    at_a001 = staff.assignment_at("SE2321000016-A001")
    assert at_a001 is not None
    assert at_a001.purpose == CARE_AND_TREATMENT
    assert staff.assignment_at("SE2321000016-A999") is None


def test_there_are_twenty_one_regions_and_unknown_codes_raise() -> None:
    assert len(REGIONS) == 21
    assert region_name("14") == "Västra Götalandsregionen"
    with pytest.raises(UnknownRegion):
        region_name("02")
