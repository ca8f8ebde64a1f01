"""The kit registration request; its answer is the order it became (ordering's
`OrderDetails`)."""

from __future__ import annotations

from pydantic import Field

from api.web.schemas import RequestModel


class KitIn(RequestModel):
    kit_number: str = Field(min_length=1, max_length=30)
    rid: str = Field(min_length=1, max_length=30)
