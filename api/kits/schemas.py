"""The kit registration request; its answer is the order it became (ordering's
`OrderDetails`)."""

from __future__ import annotations

from pydantic import BaseModel, Field


class KitIn(BaseModel):
    kit_number: str = Field(min_length=1, max_length=30)
    rid: str = Field(min_length=1, max_length=30)
