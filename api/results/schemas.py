"""The request to delete an order with its results."""

from __future__ import annotations

from pydantic import Field

from api.web.schemas import RequestModel


class DeleteIn(RequestModel):
    confirm_personnummer: str = Field(min_length=10, max_length=13)
