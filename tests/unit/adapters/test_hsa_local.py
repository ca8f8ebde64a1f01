import pytest

from adapters.hsa.local import LocalHsaDirectory, load_care_units, load_test_staff
from domain.regions import REGIONS
from domain.staff import CARE_AND_TREATMENT, is_valid_hsa_id

EXPECTED_KEYS = {
    "nurse-solna",
    "nurse-sti",
    "unit-admin-solna",
    "regional-admin-stockholm",
    "operator",
    "central-admin",
    "doctor-lund",
    "no-assignment",
}


@pytest.fixture
def directory() -> LocalHsaDirectory:
    return LocalHsaDirectory()


def test_test_staff_have_the_keys_tests_refer_to_and_valid_hsa_ids() -> None:
    entries = load_test_staff()

    assert {e.key for e in entries} == EXPECTED_KEYS
    assert len({e.staff.hsa_id for e in entries}) == len(entries)
    assert all(is_valid_hsa_id(e.staff.hsa_id) for e in entries)


async def test_staff_is_found_by_hsa_id_with_assignments_at_named_care_units(
    directory: LocalHsaDirectory,
) -> None:
    staff = await directory.get_staff("SE2321000016-1001")

    assert staff is not None
    assert staff == directory.by_key("nurse-solna")
    (assignment,) = staff.assignments
    assert assignment.care_unit_hsa_id == "SE2321000016-A001"
    assert assignment.care_unit_name == "Vårdcentralen Solna"
    assert assignment.care_giver_name == "Region Stockholm"
    assert assignment.purpose == CARE_AND_TREATMENT


async def test_unknown_hsa_id_is_not_found(directory: LocalHsaDirectory) -> None:
    assert await directory.get_staff("SE2321000016-9999") is None


def test_operator_has_only_a_non_care_assignment(directory: LocalHsaDirectory) -> None:
    operator = directory.by_key("operator")

    assert operator.assignments
    assert operator.care_assignments == ()


def test_no_assignment_staff_has_no_assignments(directory: LocalHsaDirectory) -> None:
    assert directory.by_key("no-assignment").assignments == ()


def test_care_units_are_unique_valid_and_belong_to_known_regions() -> None:
    units = load_care_units()

    assert len({u["hsa_id"] for u in units}) == len(units)
    assert all(is_valid_hsa_id(u["hsa_id"]) for u in units)
    assert all(u["region_code"] in REGIONS for u in units)
    assert {u["name"] for u in units} >= {
        "Vårdcentralen Solna",
        "STI-mottagningen Södersjukhuset",
        "Provtagningen Karolinska Huddinge",
        "Vårdcentralen Lund",
    }


def test_every_assignment_points_at_a_listed_care_unit() -> None:
    unit_ids = {u["hsa_id"] for u in load_care_units()}

    for entry in load_test_staff():
        for assignment in entry.staff.assignments:
            assert assignment.care_unit_hsa_id in unit_ids
