from __future__ import annotations

from pydantic import BaseModel


class RegionOut(BaseModel):
    code: str
    name: str
