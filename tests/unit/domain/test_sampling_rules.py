"""Provtagning's rules (domain/sampling.py): choosing the laboratory, the two checks, the
labels, and the day in Sweden."""

from __future__ import annotations

import uuid
from datetime import UTC, date, timedelta

import pytest

from domain.sampling import (
    LaboratoryChoiceRequired,
    LaboratoryNotServed,
    LaboratoryRef,
    MappedLine,
    ProductNotPerformed,
    RecipientNotCustomer,
    check_laboratory,
    choose_laboratory,
    require_laboratory,
    sample_labels,
    stockholm_day,
)

KUL = LaboratoryRef(id=uuid.uuid4(), code="KUL", name="Karolinska", label_template_zpl=None)
SYNLAB = LaboratoryRef(
    id=uuid.uuid4(),
    code="SYNLAB",
    name="Synlab",
    label_template_zpl="^XA^CI28^FD{rid} {tube_code}^FS^XZ",
)
CT = MappedLine(1, "PEP-CT", "Klamydia", "CTNA", "UR10", "Urin")
NG_UNMAPPED = MappedLine(2, "PEP-NG", "Gonorré", None, None, None)


def test_the_only_laboratory_is_chosen_without_asking() -> None:
    assert choose_laboratory([KUL], requested=None, locked=None) == KUL


def test_with_several_laboratories_none_is_chosen_until_asked() -> None:
    assert choose_laboratory([KUL, SYNLAB], requested=None, locked=None) is None
    assert choose_laboratory([KUL, SYNLAB], requested="SYNLAB", locked=None) == SYNLAB


def test_once_sampled_the_locked_laboratory_wins_over_any_request() -> None:
    assert choose_laboratory([KUL, SYNLAB], requested="KUL", locked=SYNLAB.id) == SYNLAB


def test_a_laboratory_the_unit_does_not_serve_is_refused_naming_it() -> None:
    with pytest.raises(LaboratoryNotServed) as refused:
        choose_laboratory([KUL], requested="LMS", locked=None)

    assert refused.value.field == "laboratory_code"
    assert refused.value.code == "not_served"
    assert "'LMS'" in refused.value.detail
    assert "KUL" in refused.value.detail


def test_sampling_needs_a_settled_laboratory() -> None:
    with pytest.raises(LaboratoryChoiceRequired) as refused:
        require_laboratory([KUL, SYNLAB], requested=None)
    assert refused.value.code == "required"
    with pytest.raises(LaboratoryNotServed):
        require_laboratory([], requested=None)


def test_a_laboratory_performing_every_product_for_a_customer_passes() -> None:
    check_laboratory(
        KUL, [CT], recipient_is_customer=True, recipient_hsa_id="SE1-A", recipient_name="A"
    )


def test_an_unperformed_product_is_named_and_a_failing_recipient_with_it() -> None:
    with pytest.raises(ProductNotPerformed) as refused:
        check_laboratory(
            KUL,
            [CT, NG_UNMAPPED],
            recipient_is_customer=False,
            recipient_hsa_id="SE1-A",
            recipient_name="Mottagningen",
        )

    assert refused.value.problem_extensions == {
        "laboratory_code": "KUL",
        "product_codes": ["PEP-NG"],
        "recipient": {"care_unit_hsa_id": "SE1-A", "name": "Mottagningen"},
    }
    assert "PEP-NG" in refused.value.detail
    assert "Mottagningen" in refused.value.detail


def test_a_recipient_who_is_no_customer_is_named() -> None:
    with pytest.raises(RecipientNotCustomer) as refused:
        check_laboratory(
            KUL, [CT], recipient_is_customer=False, recipient_hsa_id="SE1-A", recipient_name="A"
        )

    assert refused.value.problem_extensions == {
        "laboratory_code": "KUL",
        "recipient": {"care_unit_hsa_id": "SE1-A", "name": "A"},
    }


def test_one_label_per_line_from_the_labs_template() -> None:
    labels = sample_labels(SYNLAB, [CT, CT], rid="ABCD12345", personnummer="19121212-1212", sex="F")

    assert labels == "^XA^CI28^FH\\^FDABCD12345 UR10^FS^XZ\n" * 2


def test_a_lab_without_a_template_prints_the_built_in_tube_label_with_k_for_a_woman() -> None:
    labels = sample_labels(KUL, [CT], rid="R1", personnummer="19121212-1212", sex="F")

    assert "^BCN,80,N,N,N^FH\\^FDR1^FS" in labels
    assert "^FH\\^FD19121212-1212 K^FS" in labels


def test_a_swedish_day_is_23_hours_when_the_clocks_go_forward() -> None:
    start, end = stockholm_day(date(2026, 3, 29))

    # Same-zone subtraction in Python counts wall time: compare the instants.
    assert end.astimezone(UTC) - start.astimezone(UTC) == timedelta(hours=23)
    assert start.utcoffset() == timedelta(hours=1)
