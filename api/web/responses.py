"""Answers already in their JSON form.

FastAPI validates whatever a route returns against its response model and then serialises
it: for an answer the route has just built from values of the declared types (often by
validating a model itself), that is a second and third pass over the same data. The hot
citizen reads and placing an order (issue 12, part 3) return a `Document` instead: the
route declares `response_model=` for the OpenAPI document, and the answer is serialised
once, with orjson. Each route's test checks that the answer is exactly the model's
document (`Model.model_validate(answer).model_dump(mode="json") == answer`)."""

from __future__ import annotations

import uuid
from typing import Any

import orjson
from starlette.responses import Response


class Document(Response):
    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        # UTC datetimes end in "Z", as pydantic writes them.
        return orjson.dumps(content, default=_text_of_uuid, option=orjson.OPT_UTC_Z)


def _text_of_uuid(value: Any) -> str:
    # asyncpg's UUID subclasses uuid.UUID, which orjson serialises only by exact type.
    if isinstance(value, uuid.UUID):
        return str(value)
    raise TypeError(f"{type(value).__name__} is not JSON serializable")
