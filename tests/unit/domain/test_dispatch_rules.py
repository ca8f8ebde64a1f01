"""Rules of sending kits home (domain/dispatch.py) and the citizen's process steps."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from domain.dispatch import (
    DeliveryAddress,
    DispatchKind,
    ManualHandling,
    Offender,
    OrdersNotReceivable,
    delivery_address,
    export_row,
    home_delivery_refusal,
    kit_delivery_binds,
    manual_handling,
    neutralised,
    sex_mark,
    tube_label_values,
)
from domain.offers import SamplingMethod, Unavailability
from domain.orders import OrderStatus, process_steps

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ('=HYPERLINK("https://x","y")', '\'=HYPERLINK("https://x","y")'),
        ("+46701234567", "'+46701234567"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("Storgatan 1", "Storgatan 1"),
        ("a=b", "a=b"),
        ("", ""),
    ],
)
def test_cells_a_spreadsheet_would_read_as_formulas_are_neutralised(cell, expected):
    assert neutralised(cell) == expected


def test_an_export_row_holds_only_what_the_carrier_needs_each_cell_neutralised():
    address = DeliveryAddress(
        name="=Eva", care_of=None, street="+Gatan 1", postal_code="111 22", city="Stockholm"
    )
    assert export_row(address, rid="ABCD-EFGH-JK") == (
        "'=Eva",
        "",
        "'+Gatan 1",
        "111 22",
        "Stockholm",
        "ABCD-EFGH-JK",
    )


def test_the_orders_own_mark_or_the_registers_flag_means_manual_handling():
    marked = {"manual_handling": "protected_identity"}
    assert manual_handling(marked, register_protected=False) is ManualHandling.PROTECTED_IDENTITY
    assert manual_handling({}, register_protected=True) is ManualHandling.PROTECTED_IDENTITY
    assert manual_handling({}, register_protected=False) is None


def test_the_address_label_gets_the_name_and_a_c_o_line_only_when_given():
    answers = {
        "delivery_address": {
            "care_of": "Svensson",
            "street": "Gatan 1",
            "postal_code": "111 22",
            "city": "Solna",
        }
    }
    address = delivery_address("Eva Ek", answers)
    assert address is not None
    assert address.label_values() == {
        "name": "Eva Ek",
        "care_of": "c/o Svensson",
        "street": "Gatan 1",
        "postal_code": "111 22",
        "city": "Solna",
    }
    without = delivery_address(
        "Eva Ek", {"delivery_address": {**answers["delivery_address"], "care_of": None}}
    )
    assert without is not None
    assert without.label_values()["care_of"] == ""
    assert delivery_address("Eva Ek", {"answers": {}}) is None


def test_a_tube_label_carries_rid_codes_personnummer_and_sex_mark_but_no_address():
    assert tube_label_values(
        rid="ABCDEFGHJ",
        personnummer="19901212-9897",
        sex="M",
        product_name="Klamydia",
        lab_code="CTNA",
        tube_code="UR10",
    ) == {
        "rid": "ABCDEFGHJ",
        "tube_code": "UR10",
        "lab_code": "CTNA",
        "product_name": "Klamydia",
        "personnummer": "19901212-9897",
        "sex_mark": "M",
        "address_line1": "",
        "address_line2": "",
        "address_line3": "",
    }
    assert sex_mark("F") == "K"


def test_an_anonymous_kit_is_orderable_only_when_the_offer_asks_where_to_post_it():
    kit = SamplingMethod.ANONYMOUS_KIT
    assert home_delivery_refusal(kit, asks_delivery_address=False) is Unavailability.REGISTER_KIT
    assert home_delivery_refusal(kit, asks_delivery_address=True) is None
    assert home_delivery_refusal(SamplingMethod.HOME_KIT, asks_delivery_address=True) is None


def test_a_registered_kit_binds_to_a_posted_order_without_a_kit_only():
    assert kit_delivery_binds(OrderStatus.HANDLED, has_kit=False)
    assert not kit_delivery_binds(OrderStatus.ORDERED, has_kit=False)
    assert not kit_delivery_binds(OrderStatus.HANDLED, has_kit=True)


def test_only_etiketter_prints_tube_labels():
    assert DispatchKind.HOME_KIT.prints_tube_labels
    assert not DispatchKind.ANONYMOUS_KIT.prints_tube_labels
    assert DispatchKind.ANONYMOUS_KIT.sampling_method is SamplingMethod.ANONYMOUS_KIT


def test_a_refused_selection_names_each_order_in_the_way_with_its_state():
    offenders = [Offender("id-1", "ABCD-EFGH-JK", "handled"), Offender("id-2", None, None)]
    error = OrdersNotReceivable(offenders)
    assert error.detail == (
        "2 of the selected orders are not waiting (Beställd); nothing was changed: "
        "ABCD-EFGH-JK (handled), id-2 (not found)"
    )
    assert error.problem_extensions == {
        "orders": [
            {"order_id": "id-1", "rid": "ABCD-EFGH-JK", "status": "handled"},
            {"order_id": "id-2", "rid": None, "status": None},
        ]
    }


def test_a_long_list_of_offenders_is_cut_short():
    error = OrdersNotReceivable([Offender(f"id-{n}", f"R{n}", "handled") for n in range(60)])
    assert error.detail.endswith("R49 (handled) and 10 more")


def test_the_process_steps_show_each_date_reached():
    assert process_steps(ordered_at=T0, handled_at=T0, sampled_at=None, answered_at=None) == [
        (OrderStatus.ORDERED, T0),
        (OrderStatus.HANDLED, T0),
        (OrderStatus.SAMPLED, None),
        (OrderStatus.ANSWERED, None),
    ]
