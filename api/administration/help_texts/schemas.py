from __future__ import annotations

from pydantic import Field, field_validator

from adapters.db.models import HelpText
from api.web.schemas import PlainText, RequestModel


class HelpTextIn(RequestModel):
    text_sv: PlainText = Field(min_length=1, max_length=2000)
    # Swedish alone will do: without an English text the English locale shows the Swedish.
    text_en: PlainText | None = Field(default=None, max_length=2000)

    @field_validator("text_en")
    @classmethod
    def _blank_is_none(cls, value: str | None) -> str | None:
        return value if value and value.strip() else None


class HelpTextOut(HelpTextIn):
    key: str
    version: int

    @classmethod
    def of(cls, text: HelpText) -> HelpTextOut:
        return cls(key=text.key, text_sv=text.text_sv, text_en=text.text_en, version=text.version)
