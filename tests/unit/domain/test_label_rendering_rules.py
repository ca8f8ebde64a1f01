"""Filling a label template (domain/labels.py render_label): placeholders filled, and no
value can inject a ZPL command."""

from __future__ import annotations

from domain.labels import (
    ADDRESS_LABEL_TEMPLATE,
    TUBE_LABEL_TEMPLATE,
    render_label,
    validate_label_template,
    zpl_field_text,
)


def test_placeholders_are_filled_in_hex_escaped_fields() -> None:
    label = render_label("^XA^CI28^FO1,1^FD{rid}^FS^XZ", {"rid": "ABC-123"})

    assert label == "^XA^CI28^FO1,1^FH\\^FDABC-123^FS^XZ"


def test_an_end_of_label_in_a_value_prints_as_text() -> None:
    label = render_label("^XA^CI28^FO1,1^FD{street}^FS^XZ", {"street": "Gatan 1^XZ^XA^FDfake^FS"})

    assert label == "^XA^CI28^FO1,1^FH\\^FDGatan 1\\5EXZ\\5EXA\\5EFDfake\\5EFS^FS^XZ"
    assert label.count("^XZ") == 1


def test_a_tilde_command_in_a_value_prints_as_text() -> None:
    label = render_label("^XA^CI28^FD{name}^FS^XZ", {"name": "Anna ~JA~DGR:X"})

    assert label == "^XA^CI28^FH\\^FDAnna \\7EJA\\7EDGR:X^FS^XZ"
    assert "~" not in label


def test_a_backslash_in_a_value_cannot_forge_a_hex_escape() -> None:
    assert zpl_field_text("a\\5Eb") == "a\\5C5Eb"


def test_control_characters_are_removed() -> None:
    assert zpl_field_text("Rad 1\r\nRad\t2\x00\x1b") == "Rad 1Rad2"


def test_swedish_letters_are_kept_as_utf8_under_ci28() -> None:
    label = render_label(ADDRESS_LABEL_TEMPLATE, {"name": "Åsa Öberg", "city": "Älvsjö"})

    assert "^CI28" in label
    assert "^FH\\^FDÅsa Öberg^FS" in label
    assert "Älvsjö^FS" in label


def test_static_text_in_a_filled_field_keeps_its_meaning_under_fh() -> None:
    label = render_label("^XA^CI28^FDc:\\tmp {rid}^FS^XZ", {"rid": "R1"})

    assert label == "^XA^CI28^FH\\^FDc:\\5Ctmp R1^FS^XZ"


def test_a_field_with_its_own_fh_indicator_gets_ours() -> None:
    label = render_label("^XA^CI28^FH_^FD{rid}^FS^XZ", {"rid": "R^1"})

    assert label == "^XA^CI28^FH\\^FDR\\5E1^FS^XZ"


def test_fields_without_placeholders_are_left_as_written() -> None:
    label = render_label("^XA^CI28^FDLabb^FS^FD{rid}^FS^XZ", {"rid": "R1"})

    assert label == "^XA^CI28^FDLabb^FS^FH\\^FDR1^FS^XZ"


def test_a_missing_value_prints_empty() -> None:
    label = render_label("^XA^CI28^FD{rid} {sex_mark}^FS^XZ", {"rid": "R1"})

    assert label == "^XA^CI28^FH\\^FDR1 ^FS^XZ"


def test_a_placeholder_outside_field_data_loses_command_characters() -> None:
    label = render_label("^XA^CI28^FO{rid},1^FD{rid}^FS^XZ", {"rid": "1^XZ~"})

    assert label == "^XA^CI28^FO1XZ,1^FH\\^FD1\\5EXZ\\7E^FS^XZ"


def test_ci28_is_added_to_a_template_without_it() -> None:
    assert render_label("^XA^FD{rid}^FS^XZ", {"rid": "R1"}) == "^XA^CI28^FH\\^FDR1^FS^XZ"


def test_a_value_with_braces_is_not_filled_again() -> None:
    label = render_label("^XA^CI28^FD{name}^FS^FD{rid}^FS^XZ", {"name": "{rid}", "rid": "R1"})

    assert label == "^XA^CI28^FH\\^FD{rid}^FS^FH\\^FDR1^FS^XZ"


def test_the_built_in_tube_template_is_a_valid_lab_template() -> None:
    validate_label_template(TUBE_LABEL_TEMPLATE)


def test_the_built_in_tube_label_carries_rid_as_code128_and_text() -> None:
    label = render_label(
        TUBE_LABEL_TEMPLATE,
        {
            "rid": "ABCD-1234",
            "tube_code": "UR10",
            "lab_code": "CTNA",
            "personnummer": "19121212-1212",
            "sex_mark": "M",
            "product_name": "Klamydia",
        },
    )

    assert "^BCN,80,N,N,N^FH\\^FDABCD-1234^FS" in label
    assert "^A0N,30,30^FH\\^FDABCD-1234^FS" in label
    assert "^FH\\^FDUR10 CTNA^FS" in label
    assert "^FH\\^FD19121212-1212 M^FS" in label
