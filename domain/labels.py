"""Rules for sample labels (SPEC §5, label printing): what a valid ZPL label template is, and
how a template is filled in so that no value can inject ZPL."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Protocol

from domain.administration import InvalidConfiguration
from domain.errors import InvalidInput, ServiceUnavailable

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


# --- filling a template (printing) ---------------------------------------------------------

# Placeholders of the built-in address label (Etiketter, Ordermottagning). `care_of` is the
# whole c/o line ("c/o Andersson") or empty.
ADDRESS_PLACEHOLDERS = frozenset({"name", "care_of", "street", "postal_code", "city"})

# The tube label used when a laboratory has no template of its own: the RID as a Code 128
# barcode and as text, the lab's tube code, the personnummer and the M/K sex mark.
TUBE_LABEL_TEMPLATE = (
    "^XA^CI28^PW600^LL300"
    "^FO30,20^A0N,30,30^FD{rid}^FS"
    "^FO30,60^BY2^BCN,80,N,N,N^FD{rid}^FS"
    "^FO30,155^A0N,26,26^FD{tube_code} {lab_code}^FS"
    "^FO30,190^A0N,26,26^FD{personnummer} {sex_mark}^FS"
    "^FO30,225^A0N,22,22^FB540,1,0,L^FD{product_name}^FS"
    "^XZ"
)

# The address label on the envelope of a home kit.
ADDRESS_LABEL_TEMPLATE = (
    "^XA^CI28^PW800^LL400"
    "^FO40,40^A0N,36,36^FB720,1,0,L^FD{name}^FS"
    "^FO40,90^A0N,32,32^FB720,1,0,L^FD{care_of}^FS"
    "^FO40,135^A0N,32,32^FB720,1,0,L^FD{street}^FS"
    "^FO40,180^A0N,32,32^FB720,1,0,L^FD{postal_code} {city}^FS"
    "^XZ"
)

# A field: an optional ^FH (with its own indicator, or the default "_") and the ^FD data up to
# ^FS. The data may hold placeholders.
_FIELD = re.compile(r"(?:\^FH[^\^~]?)?\^FD(.*?)\^FS", re.DOTALL)
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
# What ZPL reads as a command (^, ~) or as our hex indicator (\), as ^FH\ hex escapes.
_HEX_ESCAPES = {"\\": "\\5C", "^": "\\5E", "~": "\\7E"}


def zpl_field_text(value: str) -> str:
    """A value as safe ZPL field data under ^FH\\: control characters removed, and ^, ~ and \\
    written as hex escapes, so no value can end the field or start a command."""
    cleaned = _CONTROL.sub("", value)
    return "".join(_HEX_ESCAPES.get(ch, ch) for ch in cleaned)


def _outside_field_text(value: str) -> str:
    # A placeholder outside ^FD…^FS (e.g. in a command's parameters) cannot be hex-escaped:
    # whatever could start a command or a field is dropped.
    return _CONTROL.sub("", value).replace("^", "").replace("~", "").replace("\\", "")


def render_label(template: str, values: Mapping[str, str]) -> str:
    """The template with its {placeholder}s filled in. Every field that carries a placeholder
    is emitted as `^FH\\^FD…^FS` with the values hex-escaped (zpl_field_text), so a `^XZ` or a
    `~JA` in an address prints as text; the static text of such a field is escaped the same
    way, since ^FH makes its backslashes meaningful. A missing value is printed as empty.
    ^CI28 (UTF-8, for å, ä and ö) is kept, and added after ^XA when a template lacks it."""

    def fill(text: str, escape: Callable[[str], str]) -> str:
        parts = []
        position = 0
        for match in _PLACEHOLDER.finditer(text):
            parts.append(escape(text[position : match.start()]))
            parts.append(escape(values.get(match.group(1), "")))
            position = match.end()
        parts.append(escape(text[position:]))
        return "".join(parts)

    def field(match: re.Match[str]) -> str:
        data = match.group(1)
        if not _PLACEHOLDER.search(data):
            return match.group(0)
        return "^FH\\^FD" + fill(data, zpl_field_text) + "^FS"

    pieces = []
    position = 0
    for match in _FIELD.finditer(template):
        outside = template[position : match.start()]
        pieces.append(
            _PLACEHOLDER.sub(lambda m: _outside_field_text(values.get(m.group(1), "")), outside)
        )
        pieces.append(field(match))
        position = match.end()
    rest = template[position:]
    pieces.append(_PLACEHOLDER.sub(lambda m: _outside_field_text(values.get(m.group(1), "")), rest))
    label = "".join(pieces)
    if "^CI28" not in label:
        label = re.sub(r"\^XA", "^XA^CI28", label)
    return label


# --- sending labels to a network printer (IP print) ------------------------------------------


class PrinterNotAllowed(InvalidInput):
    """A network printer that is not on the configured list: the server connects to no other
    address (answered as 422 naming `printer`)."""

    def __init__(self, printer: str) -> None:
        super().__init__(
            "printer", f"{printer!r} is not a configured network printer", code="not_allowed"
        )
        self.printer = printer


class PrinterUnavailable(ServiceUnavailable):
    """The network printer did not accept the label (refused, unreachable, timed out)."""


class LabelPrinter(Protocol):
    """Sends ZPL to a network label printer ("host:port" from the configured list)."""

    def check(self, printer: str) -> None:
        """Raises PrinterNotAllowed unless `printer` is on the list."""
        ...

    async def send(self, printer: str, zpl: str) -> None:
        """Raises PrinterNotAllowed or PrinterUnavailable."""
        ...
