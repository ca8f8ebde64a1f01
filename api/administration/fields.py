"""Field types that several administration resources share in their request and response
models."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

Insight = Literal["positive", "negative", "technical_error", "answer"]
HsaId = Annotated[str, Field(min_length=5, max_length=64)]
