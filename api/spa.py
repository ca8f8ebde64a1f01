"""Serving the two built single-page apps. Unknown paths under an app return its index.html
so that deep links (e.g. /Offer/Details?offerCatalogID=…) reach the app's router — except
under /api/, where an unknown path is an API client's mistake and answers 404 problem+json
rather than a page with 200."""

from __future__ import annotations

from pathlib import Path

from starlette.exceptions import HTTPException
from starlette.responses import Response
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

from api.web.problems import problem_response
from api.web.request_context import current_request_id

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    # 'wasm-unsafe-eval': the label preview compiles its renderer (WebAssembly, zpl-renderer-js);
    # it allows WebAssembly only, never eval() of script text.
    "script-src 'self' 'wasm-unsafe-eval'; connect-src 'self' http://127.0.0.1:9100 "
    "https://127.0.0.1:9101 http://localhost:9100 https://localhost:9101; "
    "frame-ancestors 'self'; "
    "base-uri 'self'; form-action 'self'"
)


class SinglePageApp(StaticFiles):
    def __init__(self, directory: Path) -> None:
        super().__init__(directory=directory, html=True, check_dir=True)

    async def get_response(self, path: str, scope: Scope) -> Response:
        if scope.get("path", "").startswith("/api/") or scope.get("path") == "/api":
            return problem_response(
                status=404,
                slug="not-found",
                title="Not Found",
                detail="There is no such API endpoint.",
                request_id=current_request_id(),
            )
        try:
            response = await super().get_response(path, scope)
        except HTTPException as error:
            if error.status_code != 404:
                raise
            response = await super().get_response("index.html", scope)
        if response.status_code == 404:
            response = await super().get_response("index.html", scope)
        response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
        if path in ("", ".", "index.html") or not Path(path).suffix:
            response.headers["Cache-Control"] = "no-cache"
        return response
