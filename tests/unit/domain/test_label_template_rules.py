"""The ZPL rules a label template must keep (domain/labels.py)."""

from __future__ import annotations

import pytest

from domain.administration import InvalidConfiguration
from domain.errors import InvalidInput
from domain.labels import LABEL_PLACEHOLDERS, MAX_TEMPLATE_LENGTH, validate_label_template

GOOD = "^XA^CI28^FO30,30^A0N,30,30^FD{rid}^FS^FO30,70^A0N,24,24^FD{tube_code}^FS^XZ"


def _refusal(zpl: str) -> InvalidConfiguration:
    with pytest.raises(InvalidConfiguration) as caught:
        validate_label_template(zpl)
    return caught.value


def test_a_label_with_ci28_rid_and_known_placeholders_is_accepted() -> None:
    validate_label_template(GOOD)


def test_every_known_placeholder_is_accepted() -> None:
    fields = "".join(f"^FD{{{name}}}^FS" for name in sorted(LABEL_PLACEHOLDERS))

    validate_label_template(f"^XA^CI28{fields}^XZ")


def test_surrounding_whitespace_and_newlines_are_ignored() -> None:
    validate_label_template(f"\n  {GOOD}\n\n")


def test_several_labels_in_one_template_are_accepted_when_each_is_closed() -> None:
    validate_label_template("^XA^CI28^FD{rid}^FS^XZ^XA^CI28^FD{tube_code}^FS^XZ")


def test_refusal_names_the_template_field_and_is_an_invalid_input() -> None:
    error = _refusal("^XA^FD{rid}^FS^XZ")

    assert isinstance(error, InvalidInput)
    assert error.field == "label_template_zpl"
    assert error.code == "invalid"


def test_template_of_the_maximum_length_is_accepted() -> None:
    frame = "^XA^CI28^FD{rid}^FS^XZ"
    padding = "^FX" + "x" * (MAX_TEMPLATE_LENGTH - len(frame) - 3)
    zpl = frame[:-3] + padding + "^XZ"
    assert len(zpl) == MAX_TEMPLATE_LENGTH

    validate_label_template(zpl)


def test_template_longer_than_the_maximum_is_refused() -> None:
    frame = "^XA^CI28^FD{rid}^FS^XZ"
    zpl = frame[:-3] + "^FX" + "x" * (MAX_TEMPLATE_LENGTH - len(frame) - 2) + "^XZ"
    assert len(zpl) == MAX_TEMPLATE_LENGTH + 1

    assert _refusal(zpl).detail == f"at most {MAX_TEMPLATE_LENGTH} characters"


@pytest.mark.parametrize(
    "zpl",
    [
        "^CI28^FD{rid}^FS^XZ",  # no ^XA
        "^XA^CI28^FD{rid}^FS",  # no ^XZ
        "^XZ^CI28^FD{rid}^FS^XA",  # the wrong way round
        "",
    ],
)
def test_label_must_start_with_xa_and_end_with_xz(zpl: str) -> None:
    assert _refusal(zpl).detail == "a ZPL label starts with ^XA and ends with ^XZ"


def test_every_xa_needs_its_xz() -> None:
    error = _refusal("^XA^CI28^FD{rid}^FS^XA^FD{tube_code}^FS^XZ")

    assert error.detail == "every ^XA needs its ^XZ"


def test_label_without_ci28_is_refused_so_that_swedish_letters_print() -> None:
    assert _refusal("^XA^FO30,30^FD{rid}^FS^XZ").detail == "add ^CI28 so that å, ä and ö print"


def test_other_character_sets_than_ci28_are_refused() -> None:
    assert _refusal("^XA^CI27^FD{rid}^FS^XZ").detail == "add ^CI28 so that å, ä and ö print"


@pytest.mark.parametrize(
    "zpl",
    [
        "^XA^CI28^FD{rid^FS^XZ",  # opened, never closed
        "^XA^CI28^FDrid}^FS^XZ",  # closed, never opened
        "^XA^CI28^FD{{rid}}^FS^XZ",  # nested
        "^XA^CI28^FD{rid^FS^FD{tube_code}^FS}^XZ",  # second opened inside the first
    ],
)
def test_unbalanced_braces_are_refused(zpl: str) -> None:
    assert _refusal(zpl).detail == "unbalanced { } in a placeholder"


def test_unknown_placeholder_is_refused_naming_it_and_listing_the_allowed_ones() -> None:
    error = _refusal("^XA^CI28^FD{rid}^FS^FD{patient_name}^FS^XZ")

    assert error.detail == (
        "unknown placeholder {patient_name}; allowed: address_line1, address_line2,"
        " address_line3, lab_code, personnummer, product_name, rid, sex_mark, tube_code"
    )


def test_of_several_unknown_placeholders_the_first_in_alphabetical_order_is_named() -> None:
    error = _refusal("^XA^CI28^FD{rid}^FS^FD{zeta}^FS^FD{alpha}^FS^XZ")

    assert error.detail.startswith("unknown placeholder {alpha};")


def test_placeholders_are_case_sensitive() -> None:
    assert _refusal("^XA^CI28^FD{RID}^FS^XZ").detail.startswith("unknown placeholder {RID};")


def test_empty_placeholder_is_an_unknown_placeholder() -> None:
    assert _refusal("^XA^CI28^FD{rid}{}^FS^XZ").detail.startswith("unknown placeholder {};")


def test_label_without_the_rid_is_refused() -> None:
    assert _refusal("^XA^CI28^FD{tube_code}^FS^XZ").detail == "the label must carry {rid}"


def test_rid_as_plain_text_is_not_the_rid_placeholder() -> None:
    assert _refusal("^XA^CI28^FDrid^FS^XZ").detail == "the label must carry {rid}"


def test_unknown_placeholder_is_named_before_a_missing_rid() -> None:
    assert _refusal("^XA^CI28^FD{name}^FS^XZ").detail.startswith("unknown placeholder {name};")
