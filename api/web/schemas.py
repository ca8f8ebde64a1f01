"""What every request model of the HTTP contract shares: text that the database can store and
that a person can read. PostgreSQL refuses NUL in text (the statement would fail as a 500),
and other control characters are invisible in every list and label; so a request with one is
refused as 422 naming the field, before any use case runs (pydantic itself refuses unpaired
surrogates, `string_unicode`). Path and query parameters get the same rule
(`api/web/parameters.py`).

`PlainText` is for names and help texts: shown in both apps and printed on labels, they are
plain text, so markup in them is refused (`markup`) rather than stored verbatim."""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, field_validator
from pydantic_core import PydanticCustomError

# C0 controls except tab, line feed and carriage return (multi-line texts keep them), DEL.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def text_problem(value: str) -> tuple[str, str] | None:
    """(code, message) when `value` holds a character no text of ours may hold."""
    if _CONTROL.search(value):
        return "control_character", "must not contain control characters (such as NUL)"
    return None


def _first_problem(value: Any) -> tuple[str, str] | None:
    # Nested request models have validated their own fields; what is left are plain strings,
    # lists and mappings of them.
    if isinstance(value, str):
        return text_problem(value)
    if isinstance(value, list | tuple | set | frozenset):
        for item in value:
            if (problem := _first_problem(item)) is not None:
                return problem
    elif isinstance(value, dict):
        for key, item in value.items():
            if (problem := _first_problem(key) or _first_problem(item)) is not None:
                return problem
    return None


class RequestModel(BaseModel):
    """The base of every request body model (`...In`, `...Create`, `...Update`)."""

    @field_validator("*", mode="after")
    @classmethod
    def _readable_text(cls, value: Any) -> Any:
        problem = _first_problem(value)
        if problem is not None:
            code, message = problem
            raise PydanticCustomError(code, message)
        return value


def _no_markup(value: str) -> str:
    if "<" in value or ">" in value:
        raise PydanticCustomError("markup", "must not contain < or >")
    return value


PlainText = Annotated[str, AfterValidator(_no_markup)]
