"""RFC 9457 problem details: one response shape for every error."""

from __future__ import annotations

from typing import Any

from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

PROBLEM_BASE = "/problems/"


class FieldError(BaseModel):
    field: str
    message: str = Field(description="English, for developers and logs")
    code: str = Field(
        description="Stable name of the rule that failed (e.g. required, in_past, markup, "
        "yes_no, check_character, invalid_personnummer, or pydantic's error type): clients "
        "choose their own wording by it"
    )


class Problem(BaseModel):
    type: str
    title: str
    status: int
    detail: str | None = None
    instance: str | None = None
    request_id: str | None = None
    errors: list[FieldError] | None = None

    # Extension members (RFC 9457 §3.2) some problems carry, e.g. the current state.
    model_config = ConfigDict(extra="allow")


def problem_response(
    *,
    status: int,
    slug: str,
    title: str,
    detail: str | None = None,
    request_id: str | None = None,
    errors: list[dict[str, Any]] | None = None,
    headers: dict[str, str] | None = None,
    extensions: dict[str, Any] | None = None,
) -> JSONResponse:
    body: dict[str, Any] = {
        "type": PROBLEM_BASE + slug,
        "title": title,
        "status": status,
    }
    if detail is not None:
        body["detail"] = detail
    if request_id is not None:
        body["request_id"] = request_id
    if errors is not None:
        body["errors"] = errors
    # RFC 9457 extension members: what a client needs to act on the problem (e.g. the
    # current state of what it tried to change). Never overriding the members above.
    for name, value in (extensions or {}).items():
        body.setdefault(name, value)
    return JSONResponse(
        body, status_code=status, media_type="application/problem+json", headers=headers
    )


# For the OpenAPI document: every endpoint may answer with these (400: a body that is not
# JSON at all, or a rule of the service without a more specific answer).
PROBLEM_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": Problem, "content": {"application/problem+json": {}}}
    for status in (400, 401, 403, 404, 409, 412, 422, 428, 503)
}
