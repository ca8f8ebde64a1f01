"""The national-volume generator's own rules: the numbers, codes and volumes it makes are
what the service accepts (the rows themselves are proven against the schema at head by
tests/integration/test_list_queries_use_indexes.py, which fills its database with it)."""

from __future__ import annotations

from adapters.person_register.local import load_test_persons
from bench import national_volume
from domain.codes import normalise
from domain.identity_numbers import PersonalIdentityNumber


def test_generated_personnummer_are_valid_distinct_and_never_a_demo_persons():
    taken = frozenset(entry.person.personnummer.value for entry in load_test_persons())
    persons = sorted(set(range(0, 1_200_000, 997)) | set(range(4000)))
    numbers = [national_volume.personnummer(p, taken) for p in persons]

    assert len(set(numbers)) == len(numbers)
    assert not set(numbers) & taken
    for number in numbers:
        assert PersonalIdentityNumber(number).value == number


def test_generated_rids_have_the_services_format_and_check_character():
    rids = [national_volume.rid(i) for i in (0, 1, 31, 32, 5_000_000, 2**40 - 1)]

    assert len(set(rids)) == len(rids)
    for value in rids:
        assert normalise(value, body_length=9) == value


def test_scale_zero_is_the_bench_worlds_floor_and_one_the_issues_volumes():
    floor, national = national_volume.Volumes.at(0), national_volume.Volumes.at(1.0)

    assert (floor.orders, floor.assignments, floor.solna_assignments) == (0, 0, 60)
    assert (national.persons, national.assignments, national.orders) == (
        1_000_000,
        510_000,
        5_000_000,
    )
    assert national_volume.bench_world_orders(national) < national.orders


def test_copy_text_escapes_what_copy_would_read_as_separators():
    assert national_volume.copy_text("a\tb\nc\\d") == "a\\tb\\nc\\\\d"
    assert national_volume.ts(0) == "1970-01-01 00:00:00+00"
    assert national_volume.hexa(b"\x01\xff") == "\\\\x01ff"
