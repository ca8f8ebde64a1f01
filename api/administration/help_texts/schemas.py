from __future__ import annotations

from pydantic import BaseModel, Field

from adapters.db.models import HelpText


class HelpTextIn(BaseModel):
    text_sv: str = Field(min_length=1, max_length=2000)
    text_en: str = Field(min_length=1, max_length=2000)


class HelpTextOut(HelpTextIn):
    key: str
    version: int

    @classmethod
    def of(cls, text: HelpText) -> HelpTextOut:
        return cls(key=text.key, text_sv=text.text_sv, text_en=text.text_en, version=text.version)
