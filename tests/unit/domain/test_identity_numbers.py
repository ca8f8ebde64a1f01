from datetime import date

import pytest

from domain.identity_numbers import (
    PERSONNUMMER_OID,
    SAMORDNINGSNUMMER_OID,
    InvalidPersonalIdentityNumber,
    PersonalIdentityNumber,
    luhn_check_digit,
)

TODAY = date(2025, 11, 21)


@pytest.mark.parametrize(
    "raw",
    ["19850412-9829", "198504129829", "850412-9829", "8504129829", " 19850412-9829 "],
)
def test_accepted_forms_normalise_to_twelve_digits(raw: str) -> None:
    number = PersonalIdentityNumber.parse(raw, today=TODAY)

    assert number.value == "198504129829"
    assert number.formatted == "19850412-9829"


def test_wrong_check_digit_is_rejected() -> None:
    with pytest.raises(InvalidPersonalIdentityNumber, match="check digit"):
        PersonalIdentityNumber.parse("19850412-9828")


@pytest.mark.parametrize("raw", ["19850230-9820", "19851312-9820", "19850400-9820"])
def test_impossible_date_is_rejected(raw: str) -> None:
    # Check digits are made valid so that only the date can be the reason.
    fixed = raw[:-1] + str(luhn_check_digit(raw[2:8] + raw[9:12]))

    with pytest.raises(InvalidPersonalIdentityNumber, match="date"):
        PersonalIdentityNumber.parse(fixed)


@pytest.mark.parametrize(
    "raw", ["", "abc", "1985-04-12-9829", "19850412_9829", "198504129", "1985041298290"]
)
def test_malformed_text_is_rejected(raw: str) -> None:
    with pytest.raises(InvalidPersonalIdentityNumber):
        PersonalIdentityNumber.parse(raw, today=TODAY)


def test_non_ascii_digits_are_rejected() -> None:
    with pytest.raises(InvalidPersonalIdentityNumber):
        PersonalIdentityNumber.parse("١٩٨٥٠٤١٢٩٨٢٩")


def test_birth_number_000_is_rejected() -> None:
    value = "19850412000"
    with pytest.raises(InvalidPersonalIdentityNumber, match="000"):
        PersonalIdentityNumber.parse(value + str(luhn_check_digit(value[2:])))


def test_ten_digit_form_needs_today_to_resolve_the_century() -> None:
    with pytest.raises(InvalidPersonalIdentityNumber, match="today"):
        PersonalIdentityNumber.parse("850412-9829")


def test_future_birth_date_is_rejected_when_today_is_known() -> None:
    value = "20300101980"
    full = value + str(luhn_check_digit(value[2:]))

    with pytest.raises(InvalidPersonalIdentityNumber, match="future"):
        PersonalIdentityNumber.parse(full, today=TODAY)


def test_samordningsnummer_has_day_plus_sixty_and_its_own_oid() -> None:
    number = PersonalIdentityNumber.parse("19900577-9930")

    assert number.kind == "samordningsnummer"
    assert number.birth_date == date(1990, 5, 17)
    assert number.oid == SAMORDNINGSNUMMER_OID


def test_personnummer_has_the_personnummer_oid() -> None:
    number = PersonalIdentityNumber.parse("19850412-9829")

    assert number.kind == "personnummer"
    assert number.oid == PERSONNUMMER_OID


def test_ten_digit_minus_means_under_one_hundred_years() -> None:
    assert PersonalIdentityNumber.parse("150620-9848", today=TODAY).value == "201506209848"
    assert PersonalIdentityNumber.parse("410115-9830", today=TODAY).value == "194101159830"


def test_ten_digit_plus_means_one_hundred_years_or_older() -> None:
    # 1912-12-12: under 113 years on TODAY; '+' moves it a century back from 2012.
    value = "19121212981"
    full = value + str(luhn_check_digit(value[2:]))
    short_plus = full[2:8] + "+" + full[8:]

    assert PersonalIdentityNumber.parse(short_plus, today=TODAY).value == full


def test_ten_digit_birthday_later_this_year_belongs_to_last_century() -> None:
    # Born 25 December: on 2025-11-21 a '-' number with year 25 cannot be 2025 (not born yet).
    value = "19251225981"
    full = value + str(luhn_check_digit(value[2:]))

    assert PersonalIdentityNumber.parse(full[2:8] + "-" + full[8:], today=TODAY).value == full


@pytest.mark.parametrize(
    ("raw", "sex"),
    [("19850412-9829", "F"), ("19780903-9816", "M"), ("19900577-9930", "M")],
)
def test_legal_sex_comes_from_second_to_last_digit_odd_is_male(raw: str, sex: str) -> None:
    assert PersonalIdentityNumber.parse(raw).legal_sex == sex


def test_age_increases_on_the_birthday_not_the_day_before() -> None:
    number = PersonalIdentityNumber.parse("20090214-9863")

    assert number.age(date(2025, 2, 13)) == 15
    assert number.age(date(2025, 2, 14)) == 16


def test_masked_hides_the_birth_number() -> None:
    number = PersonalIdentityNumber.parse("19850412-9829")

    assert number.masked == "19850412-****"


def test_repr_and_str_never_show_the_full_number() -> None:
    number = PersonalIdentityNumber.parse("19850412-9829")

    assert "9829" not in repr(number)
    assert "9829" not in str(number)
    assert "9829" not in f"{number}"


def test_equal_numbers_in_different_forms_are_equal_and_hash_alike() -> None:
    a = PersonalIdentityNumber.parse("19850412-9829")
    b = PersonalIdentityNumber.parse("850412-9829", today=TODAY)

    assert a == b
    assert len({a, b}) == 1


def test_direct_construction_validates_too() -> None:
    with pytest.raises(InvalidPersonalIdentityNumber):
        PersonalIdentityNumber("198504129828")


def test_check_digits_agree_with_the_personnummer_library() -> None:
    from personnummer import personnummer as library  # type: ignore[import-untyped]

    for serial in range(980, 1000):
        nine = f"850412{serial}"
        full = f"19{nine}{luhn_check_digit(nine)}"
        assert library.valid(full)
        assert PersonalIdentityNumber.parse(full).value == full
