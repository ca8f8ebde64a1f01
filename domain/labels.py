"""Rules for sample labels (SPEC §5, label printing): what a valid ZPL label template is.
Label printing itself will live here too."""

from __future__ import annotations

import re

from domain.administration import InvalidConfiguration

LABEL_PLACEHOLDERS = frozenset(
    {
        "rid",
        "tube_code",
        "lab_code",
        "product_name",
        "personnummer",
        "sex_mark",
        "address_line1",
        "address_line2",
        "address_line3",
    }
)
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
MAX_TEMPLATE_LENGTH = 8000


def validate_label_template(zpl: str) -> None:
    """A ZPL II label with ^CI28 (UTF-8, so å, ä and ö print), the RID, and only known
    placeholders. Raises InvalidConfiguration naming what is wrong."""
    field = "label_template_zpl"
    body = zpl.strip()
    if len(body) > MAX_TEMPLATE_LENGTH:
        raise InvalidConfiguration(field, f"at most {MAX_TEMPLATE_LENGTH} characters")
    if not body.startswith("^XA") or not body.endswith("^XZ"):
        raise InvalidConfiguration(field, "a ZPL label starts with ^XA and ends with ^XZ")
    if body.count("^XA") != body.count("^XZ"):
        raise InvalidConfiguration(field, "every ^XA needs its ^XZ")
    if "^CI28" not in body:
        raise InvalidConfiguration(field, "add ^CI28 so that å, ä and ö print")
    if body.count("{") != body.count("}") or re.search(r"\{[^}]*\{", body):
        raise InvalidConfiguration(field, "unbalanced { } in a placeholder")
    names = set(_PLACEHOLDER.findall(body))
    unknown = sorted(names - LABEL_PLACEHOLDERS)
    if unknown:
        raise InvalidConfiguration(
            field,
            f"unknown placeholder {{{unknown[0]}}}; allowed: "
            + ", ".join(sorted(LABEL_PLACEHOLDERS)),
        )
    if "rid" not in names:
        raise InvalidConfiguration(field, "the label must carry {rid}")
