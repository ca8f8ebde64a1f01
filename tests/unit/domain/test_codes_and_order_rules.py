import random
from datetime import UTC, date, datetime, timedelta

import pytest

from domain.codes import (
    ALPHABET,
    RID_BODY_LENGTH,
    InvalidCode,
    check_character,
    formatted,
    new_code,
    normalise,
)
from domain.offers import (
    CitizenFacts,
    OfferRules,
    SamplingMethod,
    Unavailability,
    Visibility,
    unavailability,
)
from domain.orders import CancellableOrder, CancelRefusal, OrderStatus, cancel_refusal

NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)


def test_rid_check_character_catches_every_single_character_typo():
    code = new_code(random.Random(1).randrange, RID_BODY_LENGTH)
    for position in range(len(code)):
        for replacement in ALPHABET:
            if replacement == code[position]:
                continue
            typo = code[:position] + replacement + code[position + 1 :]
            with pytest.raises(InvalidCode):
                normalise(typo, body_length=RID_BODY_LENGTH)


def test_rid_check_character_catches_swapped_neighbours():
    code = new_code(random.Random(2).randrange, RID_BODY_LENGTH)
    for i in range(len(code) - 1):
        if code[i] != code[i + 1]:
            swapped = code[:i] + code[i + 1] + code[i] + code[i + 2 :]
            with pytest.raises(InvalidCode):
                normalise(swapped, body_length=RID_BODY_LENGTH)


def test_rid_input_forgives_case_dashes_spaces_and_look_alikes():
    body = "0123ABCDE"
    code = body + check_character(body)
    typed = formatted(code).lower().replace("0", "o").replace("1", "l")
    assert normalise(" " + typed + " ", body_length=RID_BODY_LENGTH) == code


def _offer(**overrides) -> OfferRules:
    values = {
        "catalog_id": "1",
        "region_code": "01",
        "visibility": Visibility.GENERAL,
        "sampling_method": SamplingMethod.HOME_KIT,
        "min_age": 15,
        "max_age": None,
        "sex": None,
        "usage_limit": 2,
        "usage_period_days": 365,
        "active_from": date(2026, 1, 1),
        "active_until": None,
    }
    values.update(overrides)
    return OfferRules(**values)


CITIZEN = CitizenFacts(age=30, legal_sex="F", region_code="01")


@pytest.mark.parametrize(
    ("offer", "citizen", "assigned", "uses", "expected"),
    [
        (_offer(), CITIZEN, False, 0, None),
        (_offer(), CitizenFacts(age=14, legal_sex="F", region_code="01"), False, 0, "age"),
        (_offer(), CitizenFacts(age=30, legal_sex="F", region_code="12"), False, 0, "other_region"),
        (_offer(visibility=Visibility.NATIONWIDE, region_code="12"), CITIZEN, False, 0, None),
        (
            _offer(visibility=Visibility.NATIONWIDE),
            CitizenFacts(age=30, legal_sex="F", region_code=None),
            False,
            0,
            "not_resident",
        ),
        (_offer(visibility=Visibility.PERSONAL), CITIZEN, False, 0, "not_assigned"),
        (_offer(visibility=Visibility.PERSONAL, region_code="12"), CITIZEN, True, 0, None),
        (_offer(sex="M"), CITIZEN, False, 0, "sex"),
        (_offer(), CITIZEN, False, 2, "usage_limit"),
        (_offer(active_until=date(2026, 6, 30)), CITIZEN, False, 0, "not_active"),
    ],
)
def test_offer_availability(offer, citizen, assigned, uses, expected):
    reason = unavailability(
        offer, citizen, today=NOW.date(), assigned=assigned, uses_in_period=uses
    )
    assert reason == (None if expected is None else Unavailability(expected))


@pytest.mark.parametrize(
    ("status", "method", "booked", "expected"),
    [
        (OrderStatus.ORDERED, SamplingMethod.HOME_KIT, None, None),
        (OrderStatus.HANDLED, SamplingMethod.HOME_KIT, None, CancelRefusal.DELIVERY_STARTED),
        (OrderStatus.HANDLED, SamplingMethod.SITE_DROP_IN, None, None),
        (OrderStatus.SAMPLED, SamplingMethod.SITE_DROP_IN, None, CancelRefusal.SAMPLED),
        (OrderStatus.ANSWERED, SamplingMethod.HOME_KIT, None, CancelRefusal.SAMPLED),
        (OrderStatus.CANCELLED, SamplingMethod.HOME_KIT, None, CancelRefusal.ALREADY_CANCELLED),
        (OrderStatus.EXPIRED, SamplingMethod.HOME_KIT, None, CancelRefusal.FINISHED),
        (
            OrderStatus.ORDERED,
            SamplingMethod.SITE_BOOKING,
            NOW + timedelta(minutes=1),
            None,
        ),
        (
            OrderStatus.ORDERED,
            SamplingMethod.SITE_BOOKING,
            NOW,
            CancelRefusal.BOOKED_TIME_PASSED,
        ),
    ],
)
def test_cancel_rules(status, method, booked, expected):
    order = CancellableOrder(status=status, sampling_method=method, booked_start=booked)
    assert cancel_refusal(order, now=NOW) == expected
