"""The request to delete an order with its results."""

from __future__ import annotations

from pydantic import BaseModel, Field


class DeleteIn(BaseModel):
    confirm_personnummer: str = Field(min_length=10, max_length=13)
