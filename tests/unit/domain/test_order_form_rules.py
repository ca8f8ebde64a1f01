from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import pytest

from domain.errors import InvalidInput
from domain.orders import validated_answers

NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)
ASKS = {
    "contact_details": True,
    "delivery_address": True,
    "order_key": False,
    "sampling_datetime": False,
    "questions": [
        {"id": "symptoms", "text": "Har du symtom?", "type": "yes_no", "required": True},
        {"id": "note", "text": "Övrigt", "type": "text", "required": False},
    ],
}
ADDRESS = {"care_of": None, "street": "Gatan 1", "postal_code": "12345", "city": "Staden"}


@dataclass
class Form:
    contact: dict | None = field(default_factory=lambda: {"phone": "0701234567", "email": None})
    delivery_address: dict | None = field(default_factory=lambda: dict(ADDRESS))
    order_key: str | None = None
    sampling_datetime: datetime | None = None
    answers: dict = field(default_factory=lambda: {"symptoms": False})


def test_a_complete_form_is_stored_without_empty_optional_answers():
    stored = validated_answers(ASKS, Form(answers={"symptoms": True, "note": ""}), now=NOW)
    assert stored["answers"] == {"symptoms": True}
    assert stored["delivery_address"]["city"] == "Staden"
    assert stored["contact"]["phone"] == "0701234567"


@pytest.mark.parametrize(
    ("form", "field_name"),
    [
        (Form(contact={"phone": None, "email": None}), "contact"),
        (Form(delivery_address=None), "delivery_address"),
        (Form(delivery_address={**ADDRESS, "city": "<i>x</i>"}), "delivery_address.city"),
        (Form(answers={}), "answers.symptoms"),
        (Form(answers={"symptoms": "ja"}), "answers.symptoms"),
        (Form(answers={"symptoms": True, "note": "<script>"}), "answers.note"),
        (Form(answers={"symptoms": True, "other": "x"}), "answers.other"),
        (Form(sampling_datetime=NOW - timedelta(minutes=1)), "sampling_datetime"),
        (Form(sampling_datetime=datetime(2027, 1, 1, 10, 0)), "sampling_datetime"),
    ],
)
def test_each_broken_rule_names_its_field(form, field_name):
    with pytest.raises(InvalidInput) as raised:
        validated_answers(ASKS, form, now=NOW)
    assert raised.value.field == field_name


def test_order_key_and_sampling_time_are_required_only_when_asked():
    asks = {**ASKS, "order_key": True, "sampling_datetime": True}
    with pytest.raises(InvalidInput, match="order key"):
        validated_answers(asks, Form(), now=NOW)
    with pytest.raises(InvalidInput, match="sampling date"):
        validated_answers(asks, Form(order_key="ABC"), now=NOW)
    stored = validated_answers(
        asks, Form(order_key="ABC", sampling_datetime=NOW + timedelta(days=1)), now=NOW
    )
    assert stored["order_key"] == "ABC"
