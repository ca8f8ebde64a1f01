"""The rule of `api/web/schemas.py` (no control characters, valid Unicode) for path and query
parameters, as one dependency of the whole application: a NUL in `/laboratories/{code}` would
otherwise reach a SQL statement and fail as a 500."""

from __future__ import annotations

from fastapi import Request

from api.web.schemas import text_problem
from domain.errors import InvalidInput


async def refuse_control_characters(request: Request) -> None:
    """422 naming the parameter (`path.code`, `query.first_day`), as request validation does."""
    for name, value in request.path_params.items():
        if isinstance(value, str) and (problem := text_problem(value)) is not None:
            raise InvalidInput(f"path.{name}", problem[1], code=problem[0])
    for name, value in request.query_params.multi_items():
        problem = text_problem(name) or text_problem(value)
        if problem is not None:
            raise InvalidInput(f"query.{name}", problem[1], code=problem[0])
